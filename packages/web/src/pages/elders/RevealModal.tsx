import { RevealInput } from '@tanfang/domain';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorMessage, type ElderReveal } from '../../api';
import { applyServerError, schemaRule } from '../../lib/zodForm';

/** Props of `RevealModal`. */
export interface RevealModalProps {
  open: boolean;
  elderId: string;
  elderName: string;
  /** A reason to start from, e.g. 修改台账信息. */
  defaultReason?: string;
  /** What the full numbers are for, in the title (default 查看完整号码). */
  purpose?: string;
  /** The confirm button (default 查看). */
  okText?: string;
  onClose: () => void;
  onRevealed: (revealed: ElderReveal) => void;
}

/** 查看完整号码 (or 打印完整号码): asks why (the reason is logged), then fetches the full ID and phone numbers. */
export function RevealModal({
  open,
  elderId,
  elderName,
  defaultReason,
  purpose = '查看完整号码',
  okText = '查看',
  onClose,
  onRevealed,
}: RevealModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [loading, setLoading] = useState(false);

  const onFinish = async ({ reason }: { reason: string }) => {
    setLoading(true);
    try {
      onRevealed(await api.revealElder(elderId, reason.trim()));
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, ['reason'], error))) {
        message.error(errorMessage(error));
      }
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`${purpose}：${elderName}`}
      okText={okText}
      confirmLoading={loading}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ margin: '16px 0' }}
        title="身份证号和电话属于敏感个人信息，查看原因和查看人将记入审计日志。"
      />
      <Form<{ reason: string }>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ reason: defaultReason ?? '' }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="查看原因"
          name="reason"
          required
          rules={[schemaRule(RevealInput.shape.reason)]}
        >
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder="如：核对户籍信息、联系子女"
            data-testid="reveal-reason"
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
