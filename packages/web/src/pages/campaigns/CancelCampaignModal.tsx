import type { CampaignDto } from '@tanfang/domain';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { campaignsApi } from './campaignsApi';

/** Props of `CancelCampaignModal`. */
export interface CancelCampaignModalProps {
  campaign: CampaignDto;
  onClose: () => void;
  onCancelled: (campaign: CampaignDto) => void;
}

/** 取消专项探访: asks for confirmation and an optional note. */
export function CancelCampaignModal({ campaign, onClose, onCancelled }: CancelCampaignModalProps) {
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setError(null);
    setSaving(true);
    try {
      const cancelled = await campaignsApi.cancelCampaign(campaign.id, note.trim() || undefined);
      message.success(`已取消专项探访“${campaign.name}”`);
      onCancelled(cancelled);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`取消专项探访：${campaign.name}`}
      okText="确认取消"
      cancelText="返回"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onOk={() => void confirm()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert
        type="warning"
        showIcon
        style={{ margin: '16px 0' }}
        title="取消后，该专项不再要求探访，尚未完成的专项探访任务随之撤销，不计为逾期；已录入的探访记录保留。取消后不能恢复。"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical">
        <Form.Item label="取消说明（选填）">
          <Input.TextArea
            rows={2}
            maxLength={200}
            showCount
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="如：预警解除"
            data-testid="campaign-cancel-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
