import { PolicyRetireInput, type PolicyDto } from '@tanfang/domain';
import { Alert, App, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { placeIssues, samePath, serverIssues } from './formIssues';
import { policiesApi } from './policiesApi';
import { nextChangeDate } from './policyText';

interface RetireValues {
  effectiveFrom?: string;
  note?: string;
}

/** Props of `RetirePolicyModal`. */
export interface RetirePolicyModalProps {
  policy: PolicyDto;
  onClose: () => void;
  onRetired: (policy: PolicyDto) => void;
}

/** 停用: the policy no longer applies from a date (a last version); past periods keep it. */
export function RetirePolicyModal({ policy, onClose, onRetired }: RetirePolicyModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<RetireValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const name = policy.versions[0]?.name ?? '';

  const onFinish = async (values: RetireValues) => {
    setFormError(null);
    const parsed = PolicyRetireInput.safeParse({
      effectiveFrom: values.effectiveFrom,
      note: values.note?.trim() ? values.note : undefined,
    });
    if (!parsed.success) {
      const rest = placeIssues(form, parsed.error.issues, samePath);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const updated = await policiesApi.retirePolicy(policy.id, parsed.data);
      message.success(`“${name}”将自 ${parsed.data.effectiveFrom} 起停用`);
      onRetired(updated);
    } catch (error) {
      const rest =
        error instanceof ApiError
          ? placeIssues(form, serverIssues(error), samePath)
          : [errorMessage(error)];
      if (rest.length > 0) setFormError(rest.join('；'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`停用规则：${name}`}
      okText="确认停用"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert
        type="warning"
        showIcon
        style={{ margin: '16px 0' }}
        title="自停用日期起，本规则不再适用，相关老年人改按上级或其他适用规则探访；此前的周期仍按本规则计算。"
      />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<RetireValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ effectiveFrom: nextChangeDate(policy) }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="停用日期"
          name="effectiveFrom"
          required
          rules={[{ required: true, message: '请选择停用日期' }]}
          getValueProps={(value: string | undefined) => ({
            value: value ? dayjs(value) : undefined,
          })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
          extra="须晚于最新版本的生效日期，且不早于今天"
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="说明" name="note">
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：改按全市统一规则" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
