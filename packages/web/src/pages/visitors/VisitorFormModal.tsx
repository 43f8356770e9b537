import {
  VISITOR_TYPE_LABELS,
  VisitorFields,
  VisitorPatch,
  type VisitorAccountDto,
  type VisitorDto,
  type VisitorType,
} from '@tanfang/domain';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { applyServerError, issuesToFields, schemaRule, type SchemaIssue } from '../../lib/zodForm';
import { visitorsApi } from './api';
import { canLinkVisitorAccounts } from './permissions';

/** The fields of the visitor form. */
interface VisitorFormValues {
  name: string;
  type?: VisitorType;
  phone: string;
  idNumber?: string;
  regionCode?: string;
  userId?: string;
  note?: string;
}

const FORM_FIELDS = [
  'name',
  'type',
  'phone',
  'idNumber',
  'regionCode',
  'userId',
  'note',
] as const satisfies readonly (keyof VisitorFormValues)[];

const TYPE_OPTIONS = (Object.keys(VISITOR_TYPE_LABELS) as VisitorType[]).map((t) => ({
  value: t,
  label: VISITOR_TYPE_LABELS[t],
}));

const shape = VisitorFields.shape;

/** Props of `VisitorFormModal`: `visitor` set edits that visitor, absent registers a new one. */
export interface VisitorFormModalProps {
  open: boolean;
  visitor?: VisitorDto;
  onClose: () => void;
  onSaved: (visitor: VisitorDto) => void;
}

/** The 探访人员 accounts a visitor of an area may be linked to, with the visitor each already has. */
function useVisitorAccounts(enabled: boolean, region: string | undefined) {
  const [accounts, setAccounts] = useState<VisitorAccountDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled || !region || region.length < 6) {
      setAccounts([]);
      return;
    }
    let cancelled = false;
    setLoading(true);
    visitorsApi.listVisitorAccounts(region).then(
      (r) => {
        if (cancelled) return;
        setAccounts(r.items);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [enabled, region]);
  return { accounts, loading, error };
}

/**
 * 登记探访人员 / 编辑探访人员: validated live with the domain's VisitorFields (VisitorPatch when
 * editing), server errors on the fields they name. Numbers are shown masked; a masked number left
 * as it is keeps the stored one.
 */
export function VisitorFormModal({ open, visitor, onClose, onSaved }: VisitorFormModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<VisitorFormValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const editing = visitor !== undefined;
  const canLink = canLinkVisitorAccounts(me.role);
  const regionCode = Form.useWatch('regionCode', form);
  const accounts = useVisitorAccounts(open && canLink, regionCode);

  const initialValues: Partial<VisitorFormValues> = visitor
    ? {
        name: visitor.name,
        type: visitor.type,
        phone: visitor.phoneMasked ?? '',
        idNumber: visitor.idNumberMasked ?? '',
        regionCode: visitor.region.code,
        userId: visitor.user?.id,
        note: visitor.note ?? '',
      }
    : {};

  const showIssues = (issues: readonly SchemaIssue[]) => {
    const { fields, rest } = issuesToFields(issues, FORM_FIELDS);
    form.setFields(fields);
    if (rest.length > 0) setFormError(rest.join('；'));
  };

  const save = async (values: VisitorFormValues): Promise<VisitorDto | null> => {
    const idNumber = values.idNumber?.trim() ?? '';
    const note = values.note?.trim() ?? '';
    if (!visitor) {
      const parsed = VisitorFields.safeParse({
        name: values.name,
        type: values.type,
        phone: values.phone,
        idNumber: idNumber || undefined,
        regionCode: values.regionCode,
        userId: canLink ? values.userId : undefined,
        note: note || undefined,
      });
      if (!parsed.success) {
        showIssues(parsed.error.issues);
        return null;
      }
      const created = await visitorsApi.createVisitor(parsed.data);
      message.success(`已登记探访人员“${created.name}”`);
      return created;
    }
    // Send only what changed; a masked number left as it was is not sent (the server keeps it).
    const patch: Record<string, unknown> = {};
    if (values.name.trim() !== visitor.name) patch.name = values.name;
    if (values.type !== visitor.type) patch.type = values.type;
    if (values.phone.trim() !== (visitor.phoneMasked ?? '')) patch.phone = values.phone;
    if (idNumber !== (visitor.idNumberMasked ?? '')) patch.idNumber = idNumber || null;
    if (values.regionCode !== visitor.region.code) patch.regionCode = values.regionCode;
    if (canLink && (values.userId ?? null) !== (visitor.user?.id ?? null))
      patch.userId = values.userId ?? null;
    if (note !== (visitor.note ?? '')) patch.note = note || null;
    if (Object.keys(patch).length === 0) {
      message.info('未作任何修改');
      onClose();
      return null;
    }
    const parsed = VisitorPatch.safeParse({ ...patch, version: visitor.version });
    if (!parsed.success) {
      showIssues(parsed.error.issues);
      return null;
    }
    const updated = await visitorsApi.updateVisitor(visitor.id, parsed.data);
    message.success(`已保存“${updated.name}”的信息`);
    return updated;
  };

  const onFinish = async (values: VisitorFormValues) => {
    setSaving(true);
    setFormError(null);
    try {
      const result = await save(values);
      if (result) onSaved(result);
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, FORM_FIELDS, error))) {
        setFormError(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  /** A masked number read from the server passes as it is; anything typed is checked. */
  const keepsMasked = (masked: string | null | undefined, value: unknown) =>
    editing && typeof value === 'string' && masked !== null && value === masked;

  const accountOptions = (() => {
    const list = accounts.accounts.map((u) => {
      const other = u.linkedVisitor;
      const taken = other !== null && other.id !== visitor?.id;
      return {
        value: u.id,
        label: taken
          ? `${u.displayName}（${u.username}）— 已关联 ${other!.name}`
          : `${u.displayName}（${u.username}）`,
        disabled: taken,
      };
    });
    if (visitor?.user && !list.some((o) => o.value === visitor.user?.id)) {
      list.unshift({
        value: visitor.user.id,
        label: `${visitor.user.displayName}（${visitor.user.username}）`,
        disabled: false,
      });
    }
    return list;
  })();

  return (
    <Modal
      open={open}
      title={editing ? `编辑探访人员：${visitor.name}` : '登记探访人员'}
      okText={editing ? '保存' : '登记'}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginTop: 16 }} />}
      <Form<VisitorFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        style={{ marginTop: 16 }}
        data-testid="visitor-form"
      >
        <Form.Item label="姓名" name="name" required rules={[schemaRule(shape.name)]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="类型"
          name="type"
          required
          rules={[{ required: true, message: '请选择探访人员类型' }]}
        >
          <Select<VisitorType> options={TYPE_OPTIONS} placeholder="村(居)干部、网格员、志愿者…" />
        </Form.Item>
        <Form.Item
          label="联系电话"
          name="phone"
          required
          rules={[
            {
              validator: async (_rule, value: unknown) => {
                if (keepsMasked(visitor?.phoneMasked, value)) return;
                const result = shape.phone.safeParse(value ?? '');
                if (!result.success) {
                  throw new Error(
                    value ? (result.error.issues[0]?.message ?? '输入不正确') : '请填写联系电话',
                  );
                }
              },
            },
          ]}
          extra={editing ? '显示为遮盖后的号码；不修改则保留原号码' : undefined}
        >
          <Input maxLength={20} autoComplete="off" inputMode="tel" placeholder="手机号或固定电话" />
        </Form.Item>
        <Form.Item
          label="身份证号"
          name="idNumber"
          rules={[
            {
              validator: async (_rule, value: unknown) => {
                if (
                  value === undefined ||
                  value === '' ||
                  keepsMasked(visitor?.idNumberMasked, value)
                )
                  return;
                const result = VisitorPatch.shape.idNumber.safeParse(value);
                if (!result.success)
                  throw new Error(result.error.issues[0]?.message ?? '输入不正确');
              },
            },
          ]}
          extra={
            editing
              ? '选填；清空即删除已登记的身份证号'
              : '选填；加密保存，列表中只显示遮盖后的号码'
          }
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="服务区域"
          name="regionCode"
          required
          rules={[
            { required: true, message: '请选择负责区域' },
            schemaRule(shape.regionCode, true),
          ]}
          extra="探访人员只能被分配给此区域内的老年人"
        >
          <RegionPicker
            allowedLevels={['county', 'township', 'village']}
            placeholder="请选择负责的村(居)、乡镇(街道)或县(区)"
          />
        </Form.Item>
        {canLink ? (
          <Form.Item
            label="关联账号"
            name="userId"
            extra="角色为“探访人员”、辖区在服务区域内的账号；关联后可在手机端查看自己的探访对象"
          >
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!regionCode}
              loading={accounts.loading}
              status={accounts.error ? 'error' : undefined}
              placeholder={regionCode ? '不关联' : '请先选择服务区域'}
              options={accountOptions}
              notFoundContent={
                accounts.error ?? '该区域没有可关联的探访人员账号，请先在“用户管理”中创建'
              }
            />
          </Form.Item>
        ) : (
          <Form.Item label="关联账号">
            <Typography.Text data-testid="visitor-linked-account">
              {visitor?.user ? `${visitor.user.displayName}（${visitor.user.username}）` : '未关联'}
            </Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 13 }}>
              登录账号的关联由系统管理员设置。
            </Typography.Paragraph>
          </Form.Item>
        )}
        <Form.Item label="备注" name="note" rules={[schemaRule(shape.note, true)]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：村妇女主任" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
