import { NewPassword, PASSWORD_RULE, type UserDto } from '@tanfang/domain';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../api';
import { applyServerError, schemaRule } from '../../lib/zodForm';

interface ResetPasswordValues {
  password: string;
  confirm: string;
}

/** Props of `ResetPasswordModal`. */
export interface ResetPasswordModalProps {
  user: UserDto | null;
  onClose: () => void;
}

/** 重置密码: sets a new password for an account, checked against the password rule. */
export function ResetPasswordModal({ user, onClose }: ResetPasswordModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ResetPasswordValues>();
  const [saving, setSaving] = useState(false);

  const onFinish = async (values: ResetPasswordValues) => {
    if (!user) return;
    setSaving(true);
    try {
      await api.resetPassword(user.id, values.password);
      message.success(`已重置“${user.displayName}”的密码，请将新密码告知本人`);
      onClose();
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, ['password'], error))) {
        message.error(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={user ? `重置密码：${user.displayName}（${user.username}）` : '重置密码'}
      okText="重置密码"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={PASSWORD_RULE} style={{ margin: '16px 0' }} />
      <Form<ResetPasswordValues>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item label="新密码" name="password" required rules={[schemaRule(NewPassword)]}>
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          required
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value && value !== getFieldValue('password')) {
                  throw new Error('两次输入的密码不一致');
                }
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
