import {
  DisplayName,
  NewPassword,
  PASSWORD_RULE,
  PhoneNumber,
  REGION_LEVEL_LABELS,
  ROLES,
  ROLE_JURISDICTION_LEVELS,
  ROLE_LABELS,
  RegionCode,
  RoleSchema,
  UserCreateInput,
  UserUpdateInput,
  Username,
  regionLevelOf,
  type Role,
  type UserDto,
} from '@tanfang/domain';
import { App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { applyServerError, issuesToFields, schemaRule, type SchemaIssue } from '../../lib/zodForm';
import { ProviderSelect } from '../providers/ProviderSelect';

/** The fields of the user form (the password only when creating). */
interface UserFormValues {
  username: string;
  displayName: string;
  role?: Role;
  jurisdiction?: string;
  phone?: string;
  password: string;
  /** The service provider of a 服务机构 account. */
  providerId?: string;
}

const FORM_FIELDS = [
  'username',
  'displayName',
  'role',
  'jurisdiction',
  'phone',
  'password',
  'providerId',
] as const satisfies readonly (keyof UserFormValues)[];

/** Whether a jurisdiction's level suits a role (ROLE_JURISDICTION_LEVELS). */
function jurisdictionFits(role: Role, code: string): boolean {
  const level = regionLevelOf(code);
  return level !== undefined && ROLE_JURISDICTION_LEVELS[role].includes(level);
}

const roleOptions = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** Props of `UserFormModal`: `user` set edits that account, absent creates a new one. */
export interface UserFormModalProps {
  open: boolean;
  user?: UserDto;
  onClose: () => void;
  onSaved: (user: UserDto) => void;
}

/** 新建用户 / 编辑用户: validated live with the domain schemas, server errors on their fields. */
export function UserFormModal({ open, user, onClose, onSaved }: UserFormModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);
  const role = Form.useWatch('role', form);
  const editing = user !== undefined;

  const initialValues: Partial<UserFormValues> = user
    ? {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        jurisdiction: user.jurisdiction.code,
        phone: user.phone ?? '',
        providerId: user.provider?.id,
      }
    : {};

  const showIssues = (issues: readonly SchemaIssue[]) => {
    const { fields, rest } = issuesToFields(issues, FORM_FIELDS);
    form.setFields(fields);
    if (rest.length > 0) message.error(rest.join('；'));
  };

  const save = async (values: UserFormValues) => {
    const phone = values.phone?.trim() ?? '';
    let result: UserDto;
    if (!user) {
      const parsed = UserCreateInput.safeParse({
        username: values.username,
        displayName: values.displayName,
        role: values.role,
        jurisdiction: values.jurisdiction,
        phone: phone || undefined,
        password: values.password,
        ...(values.role === 'provider' && values.providerId
          ? { providerId: values.providerId }
          : {}),
      });
      if (!parsed.success) {
        showIssues(parsed.error.issues);
        return;
      }
      result = await api.createUser(parsed.data);
      message.success(`已创建用户“${result.displayName}”`);
    } else {
      // Send only what changed; an emptied phone is cleared with null.
      const patch: Record<string, unknown> = {};
      if (values.displayName.trim() !== user.displayName) patch.displayName = values.displayName;
      if (values.role !== user.role) patch.role = values.role;
      if (values.jurisdiction !== user.jurisdiction.code) patch.jurisdiction = values.jurisdiction;
      if (phone !== (user.phone ?? '')) patch.phone = phone || null;
      if (values.role === 'provider' && values.providerId !== user.provider?.id)
        patch.providerId = values.providerId;
      const parsed = UserUpdateInput.safeParse(patch);
      if (!parsed.success) {
        showIssues(parsed.error.issues);
        return;
      }
      if (Object.keys(parsed.data).length === 0) {
        message.info('未作任何修改');
        onClose();
        return;
      }
      result = await api.updateUser(user.id, parsed.data);
      message.success(`已保存“${result.displayName}”的信息`);
    }
    onSaved(result);
  };

  const onFinish = async (values: UserFormValues) => {
    setSaving(true);
    try {
      await save(values);
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, FORM_FIELDS, error))) {
        message.error(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? `编辑用户：${user.username}` : '新建用户'}
      okText={editing ? '保存' : '创建'}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        style={{ marginTop: 16 }}
      >
        <Form.Item
          label="用户名"
          name="username"
          required={!editing}
          rules={editing ? [] : [schemaRule(Username)]}
          extra={editing ? '用户名创建后不可修改' : '3–32 位字母、数字、“-”、“_”或“.”，用于登录'}
        >
          <Input disabled={editing} autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" required rules={[schemaRule(DisplayName)]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="角色"
          name="role"
          required
          rules={[{ required: true, message: '请选择角色' }]}
        >
          <Select options={roleOptions} placeholder="请选择角色" />
        </Form.Item>
        <Form.Item
          label="辖区"
          name="jurisdiction"
          required
          dependencies={['role']}
          rules={[
            { required: true, message: '请选择辖区' },
            schemaRule(RegionCode, true),
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                const picked = RoleSchema.safeParse(getFieldValue('role'));
                if (!picked.success || typeof value !== 'string' || !value) return;
                if (!jurisdictionFits(picked.data, value)) {
                  throw new Error('所选辖区的级别与角色不符，请重新选择');
                }
              },
            }),
          ]}
          extra={
            role
              ? `${ROLE_LABELS[role]}的辖区为${ROLE_JURISDICTION_LEVELS[role]
                  .map((l) => REGION_LEVEL_LABELS[l])
                  .join('、')}级区划`
              : undefined
          }
        >
          <RegionPicker
            allowedLevels={role ? ROLE_JURISDICTION_LEVELS[role] : undefined}
            disabled={!role}
            placeholder={role ? '请选择辖区' : '请先选择角色'}
          />
        </Form.Item>
        {role === 'provider' && (
          <Form.Item
            label="所属服务机构"
            name="providerId"
            required
            rules={[{ required: true, message: '请选择该账号所属的服务机构' }]}
            extra="服务机构账号只能看到转介给本机构的服务需求"
          >
            <ProviderSelect
              onChange={(id, provider) => {
                form.setFieldValue('providerId', id);
                // The account's jurisdiction follows the provider's region when the role allows it.
                if (provider && jurisdictionFits('provider', provider.region.code))
                  form.setFieldValue('jurisdiction', provider.region.code);
              }}
            />
          </Form.Item>
        )}
        <Form.Item label="联系电话" name="phone" rules={[schemaRule(PhoneNumber, true)]}>
          <Input maxLength={20} autoComplete="off" placeholder="手机号或固定电话（选填）" />
        </Form.Item>
        {!editing && (
          <Form.Item
            label="初始密码"
            name="password"
            required
            rules={[schemaRule(NewPassword)]}
            extra={`${PASSWORD_RULE}。请将初始密码当面或电话告知本人。`}
          >
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
        )}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
