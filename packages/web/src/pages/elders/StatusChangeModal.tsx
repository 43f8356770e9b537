import {
  ELDER_STATUS_LABELS,
  ElderStatusChange,
  todayIso,
  type ElderDto,
  type ElderStatus,
} from '@tanfang/domain';
import { Alert, App, Checkbox, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { showIssues, serverIssues } from './elderForm';

interface StatusValues {
  status?: ElderStatus;
  effectiveDate?: string;
  withinSystem?: boolean;
  villageCode?: string;
  note?: string;
}

const STATUSES = Object.keys(ELDER_STATUS_LABELS) as ElderStatus[];

/** Props of `StatusChangeModal`. */
export interface StatusChangeModalProps {
  open: boolean;
  elder: ElderDto;
  onClose: () => void;
  onChanged: (elder: ElderDto) => void;
}

/**
 * 状态变更: 迁出 (optionally to a village within the system, which moves the record), 入住机构,
 * 住院, 已故, or back to 在册; each with its effective date. The record is never deleted.
 */
export function StatusChangeModal({ open, elder, onClose, onChanged }: StatusChangeModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<StatusValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const status = Form.useWatch('status', form);
  const withinSystem = Form.useWatch('withinSystem', form);
  const moving = status === 'moved' && withinSystem === true;

  const onFinish = async (values: StatusValues) => {
    setFormError(null);
    const parsed = ElderStatusChange.safeParse({
      status: values.status,
      effectiveDate: values.effectiveDate,
      villageCode: moving ? values.villageCode : undefined,
      note: values.note?.trim() ? values.note : undefined,
    });
    if (!parsed.success) {
      const rest = showIssues(form, parsed.error.issues);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const updated = await api.changeElderStatus(elder.id, parsed.data);
      message.success(`已将“${elder.name}”的状态变更为${ELDER_STATUS_LABELS[updated.status]}`);
      onChanged(updated);
    } catch (error) {
      const rest =
        error instanceof ApiError ? showIssues(form, serverIssues(error)) : [errorMessage(error)];
      if (rest.length > 0) setFormError(rest.join('；'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`状态变更：${elder.name}`}
      okText="确认变更"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert
        type="info"
        showIcon
        style={{ margin: '16px 0' }}
        title={`当前状态：${ELDER_STATUS_LABELS[elder.status]}（自 ${elder.statusSince} 起）。台账记录不会删除，状态变化记入历史。`}
      />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<StatusValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ effectiveDate: todayIso(), withinSystem: false }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="状态"
          name="status"
          required
          rules={[{ required: true, message: '请选择新的状态' }]}
        >
          <Select<ElderStatus>
            placeholder="请选择"
            options={STATUSES.map((s) => ({
              value: s,
              label: ELDER_STATUS_LABELS[s],
              disabled: s === elder.status && s !== 'moved',
            }))}
            data-testid="status-select"
          />
        </Form.Item>
        <Form.Item
          label="生效日期"
          name="effectiveDate"
          required
          rules={[{ required: true, message: '请选择生效日期' }]}
          getValueProps={(value: string | undefined) => ({
            value: value ? dayjs(value) : undefined,
          })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) =>
              d.isAfter(dayjs(), 'day') || d.isBefore(dayjs(elder.statusSince), 'day')
            }
          />
        </Form.Item>
        {status === 'moved' && (
          <Form.Item name="withinSystem" valuePropName="checked">
            <Checkbox>迁入本系统内的其他村(居)（记录随之迁移，迁入地继续探访）</Checkbox>
          </Form.Item>
        )}
        {moving && (
          <Form.Item
            label="迁入村(居)"
            name="villageCode"
            required
            rules={[{ required: true, message: '请选择迁入的村(居)' }]}
          >
            <RegionPicker allowedLevels={['village']} placeholder="请选择迁入的村(居)" />
          </Form.Item>
        )}
        <Form.Item label="说明" name="note">
          <Input.TextArea
            rows={2}
            maxLength={200}
            showCount
            placeholder="如：随子女迁居、入住某养老院"
          />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
