import {
  DISPOSAL_KIND_LABELS,
  localDateOf,
  type DisposalKind,
  type FindingDetailDto,
} from '@tanfang/domain';
import { Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { findingsApi } from '../visits/findingsApi';

interface Values {
  kind?: DisposalKind;
  description: string;
  handledOn: Dayjs;
}

const FIELDS = ['kind', 'description', 'handledOn'] as const;

const kinds = (Object.keys(DISPOSAL_KIND_LABELS) as DisposalKind[]).map((value) => ({
  value,
  label: DISPOSAL_KIND_LABELS[value],
}));

/**
 * 处置情况记录: how a finding was dealt with (丹东 2023: “事后做好处置情况记录归档”) — the way, what
 * was done, and the day. Mount it to open it.
 */
export function DisposalModal({
  finding,
  onClose,
  onSaved,
}: {
  finding: FindingDetailDto;
  onClose: () => void;
  onSaved: (f: FindingDetailDto) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = localDateOf(Date.now());
  const raised = localDateOf(Date.parse(finding.createdAt));

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      onSaved(
        await findingsApi.addDisposal(finding.id, {
          kind: v.kind!,
          description: v.description.trim(),
          handledOn: v.handledOn.format('YYYY-MM-DD'),
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
      title={`处置情况记录：${finding.title}`}
      okText="保存处置记录"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="disposal-modal"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ handledOn: dayjs(today), description: '' }}
      >
        <Form.Item
          label="处置方式"
          name="kind"
          rules={[{ required: true, message: '请选择处置方式' }]}
        >
          <Select options={kinds} placeholder="请选择" data-testid="disposal-kind" />
        </Form.Item>
        <Form.Item
          label="处置情况"
          name="description"
          rules={[{ required: true, whitespace: true, message: '请填写处置情况' }]}
        >
          <Input.TextArea
            maxLength={2000}
            showCount
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder="做了什么、谁去做的、结果如何"
            data-testid="disposal-description"
          />
        </Form.Item>
        <Form.Item
          label="处置日期"
          name="handledOn"
          rules={[{ required: true, message: '请选择处置日期' }]}
        >
          <DatePicker
            allowClear={false}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today || d.format('YYYY-MM-DD') < raised}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
