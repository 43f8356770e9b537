import { RESCUE_STEPS, uuidv7, type FindingDetailDto } from '@tanfang/domain';
import { Alert, AutoComplete, Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { ElderSelect } from '../assignments/ElderSelect';
import { ChecklistFields, checklistOf } from './ChecklistFields';
import { emergenciesApi } from './emergenciesApi';

interface Values {
  elderId?: string;
  title: string;
  description: string;
  checklist: Record<string, unknown>;
}

/** What is most often reported (the title can be anything). */
const COMMON = ['老人在家中摔倒', '突发疾病', '老人走失', '家中失火', '疑似煤气中毒', '无人照料'];

const FIELDS = ['elderId', 'title', 'description'] as const;

/**
 * 上报紧急情况: staff report an emergency they learned of (the family or a neighbour called) — the
 * elder, what happened, and what was done so far. The village and the township on duty are alerted
 * at once. The id is made once, so a retry after a lost answer never reports twice.
 */
export function RaiseEmergencyModal({
  onClose,
  onRaised,
}: {
  onClose: () => void;
  onRaised: (f: FindingDetailDto) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [id] = useState(() => uuidv7());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      onRaised(
        await emergenciesApi.create({
          id,
          elderId: v.elderId!,
          title: v.title.trim(),
          description: v.description.trim(),
          checklist: checklistOf(v.checklist ?? {}),
        }),
      );
    } catch (e) {
      const field = e instanceof ApiError ? FIELDS.find((k) => k === e.field) : undefined;
      if (field) form.setFields([{ name: field, errors: [(e as ApiError).message] }]);
      else setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title="上报紧急情况"
      okText="上报并通知值班人员"
      okButtonProps={{ danger: true, 'data-testid': 'emergency-raise-submit' } as ButtonProps}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      width={620}
      destroyOnHidden
      data-testid="emergency-raise"
    >
      <Alert
        type="error"
        showIcon
        title="情况危急时请先拨打 110 / 119 / 120"
        description={RESCUE_STEPS.slice(1).join('；')}
        style={{ marginBottom: 12 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ title: '', description: '', checklist: {} }}
      >
        <Form.Item
          label="老年人"
          name="elderId"
          rules={[{ required: true, message: '请选择老年人' }]}
        >
          <ElderSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label="紧急情况"
          name="title"
          rules={[{ required: true, whitespace: true, message: '请填写紧急情况' }]}
        >
          <AutoComplete
            options={COMMON.map((value) => ({ value }))}
            placeholder="如：老人在家中摔倒"
            maxLength={40}
            data-testid="emergency-title"
          />
        </Form.Item>
        <Form.Item
          label="情况描述"
          name="description"
          rules={[{ required: true, whitespace: true, message: '请填写情况描述' }]}
        >
          <Input.TextArea
            maxLength={1000}
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder="谁报告的、何时何地、老人现在怎样"
            data-testid="emergency-description"
          />
        </Form.Item>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          处置清单（已做的先填，其余可稍后补填）
        </Typography.Title>
        <ChecklistFields name={['checklist']} />
      </Form>
    </Modal>
  );
}
