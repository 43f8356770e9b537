import {
  ASSIGNMENT_ROLE_LABELS,
  AssignInput,
  todayIso,
  type AssignmentRole,
  type ElderAssignmentRow,
} from '@tanfang/domain';
import { Alert, App, DatePicker, Form, Modal, Radio, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { visitorsApi } from '../visitors/api';
import { VisitorSelect } from '../visitors/VisitorSelect';

interface AssignValues {
  visitorId?: string;
  role: AssignmentRole;
  startDate?: string;
}

const FORM_FIELDS = ['visitorId', 'role', 'startDate'] as const;
/** How many names the modal lists before “等 N 人”. */
const SHOWN = 12;

/** Props of `AssignModal`. */
export interface AssignModalProps {
  open: boolean;
  /** The elders chosen in the list. */
  elders: ElderAssignmentRow[];
  onClose: () => void;
  onAssigned: (count: number) => void;
}

/**
 * 分配探访人: one visitor for the chosen elders, as primary or backup, from a date. Only visitors
 * whose area covers every chosen elder are offered; the server decides all or nothing and its
 * refusal (which names the elders) is shown as it is.
 */
export function AssignModal({ open, elders, onClose, onAssigned }: AssignModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const villages = useMemo(() => [...new Set(elders.map((r) => r.elder.village.code))], [elders]);
  const role = Form.useWatch('role', form);

  const onFinish = async (values: AssignValues) => {
    setFormError(null);
    const parsed = AssignInput.safeParse({
      elderIds: elders.map((r) => r.elder.id),
      visitorId: values.visitorId,
      role: values.role,
      startDate: values.startDate,
    });
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FORM_FIELDS);
      form.setFields(fields);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const result = await visitorsApi.assign(parsed.data);
      const who = result.created[0]?.visitor.name ?? '';
      message.success(
        `已将 ${result.created.length} 位老年人的${ASSIGNMENT_ROLE_LABELS[parsed.data.role]}设为 ${who}`,
      );
      onAssigned(result.created.length);
    } catch (error) {
      // A refusal about the elders (not a field of this form) shows above the form, names and all.
      if (!(error instanceof ApiError && applyServerError(form, FORM_FIELDS, error))) {
        setFormError(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`分配探访人（已选 ${elders.length} 人）`}
      okText="确认分配"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <div style={{ margin: '16px 0' }} data-testid="assign-elders">
        <Typography.Text type="secondary">老年人：</Typography.Text>
        <Space size={[4, 4]} wrap>
          {elders.slice(0, SHOWN).map((r) => (
            <Tag key={r.elder.id} style={{ marginInlineEnd: 0 }}>
              {r.elder.name}
            </Tag>
          ))}
          {elders.length > SHOWN && (
            <Typography.Text type="secondary">等 {elders.length} 人</Typography.Text>
          )}
        </Space>
      </div>
      {formError && (
        <Alert
          type="error"
          showIcon
          title={formError}
          style={{ marginBottom: 16 }}
          data-testid="assign-error"
        />
      )}
      <Form<AssignValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ role: 'primary', startDate: todayIso() }}
        onFinish={(values) => void onFinish(values)}
        onValuesChange={() => setFormError(null)}
      >
        <Form.Item
          label="探访人员"
          name="visitorId"
          required
          rules={[{ required: true, message: '请选择探访人员' }]}
          extra="只列出负责区域包括所选老年人居住地的在岗探访人员"
        >
          <VisitorSelect covering={villages} data-testid="assign-visitor" />
        </Form.Item>
        <Form.Item label="角色" name="role" required>
          <Radio.Group
            optionType="button"
            options={(Object.keys(ASSIGNMENT_ROLE_LABELS) as AssignmentRole[]).map((r) => ({
              value: r,
              label: ASSIGNMENT_ROLE_LABELS[r],
            }))}
          />
        </Form.Item>
        {role === 'primary' && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12, fontSize: 13 }}>
            每位老年人同一时间只有一位主要探访人；已有主要探访人的，请用“调整分配”更换。
          </Typography.Paragraph>
        )}
        <Form.Item
          label="开始日期"
          name="startDate"
          required
          rules={[{ required: true, message: '请选择开始日期' }]}
          getValueProps={(value: string | undefined) => ({
            value: value ? dayjs(value) : undefined,
          })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
