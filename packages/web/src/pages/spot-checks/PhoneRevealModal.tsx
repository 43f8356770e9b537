import { RevealInput, type SpotCheckItemDto, type SpotCheckPhoneDto } from '@tanfang/domain';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, schemaRule } from '../../lib/zodForm';
import { spotChecksApi } from './spotChecksApi';

/** Props of `PhoneRevealModal`. */
export interface PhoneRevealModalProps {
  item: SpotCheckItemDto;
  onClose: () => void;
  onRevealed: (phones: SpotCheckPhoneDto) => void;
}

/** 查看完整电话 for 电话核实: asks why (logged with the reader), then shows the full numbers. */
export function PhoneRevealModal({ item, onClose, onRevealed }: PhoneRevealModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [loading, setLoading] = useState(false);

  const submit = async ({ reason }: { reason: string }) => {
    setLoading(true);
    try {
      onRevealed(await spotChecksApi.revealPhone(item.id, reason.trim()));
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, ['reason'], error)))
        message.error(errorMessage(error));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      open
      title={`查看完整电话：${item.elder.name}`}
      okText="查看"
      confirmLoading={loading}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ margin: '16px 0' }}
        title="电话号码属于个人信息，查看原因和查看人将记入审计日志。"
      />
      <Form<{ reason: string }>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ reason: '抽查电话核实' }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          label="查看原因"
          name="reason"
          required
          rules={[schemaRule(RevealInput.shape.reason)]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="phone-reason" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
