import { SwapOutlined } from '@ant-design/icons';
import { VisitorLeaveInput, todayIso, type VisitorDto } from '@tanfang/domain';
import { Alert, App, Button, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { visitorsApi } from './api';

interface LeaveValues {
  leftOn?: string;
  note?: string;
}

const FORM_FIELDS = ['leftOn', 'note'] as const;

/** Where 批量转交 of a visitor's elders opens (the assignments page's reassignment). */
export function transferPath(visitorId: string, date?: string): string {
  const params = new URLSearchParams({ transfer: visitorId });
  if (date) params.set('date', date);
  return `/assignments?${params.toString()}`;
}

/** Props of `LeaveModal`. */
export interface LeaveModalProps {
  visitor: VisitorDto | null;
  onClose: () => void;
  onLeft: (visitor: VisitorDto) => void;
}

/**
 * 离岗: the visitor stops, their history stays. The server refuses while they still visit someone;
 * the modal then shows its message and leads to 批量转交 with this visitor preselected.
 */
export function LeaveModal({ visitor, onClose, onLeft }: LeaveModalProps) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<LeaveValues>();
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; holds: boolean } | null>(null);

  const onFinish = async (values: LeaveValues) => {
    if (!visitor) return;
    setRefusal(null);
    const parsed = VisitorLeaveInput.safeParse({
      leftOn: values.leftOn,
      note: values.note?.trim() ? values.note : undefined,
    });
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FORM_FIELDS);
      form.setFields(fields);
      if (rest.length > 0) setRefusal({ message: rest.join('；'), holds: false });
      return;
    }
    setSaving(true);
    try {
      const updated = await visitorsApi.leaveVisitor(visitor.id, parsed.data);
      message.success(`已将“${visitor.name}”标记为离岗`);
      onLeft(updated);
    } catch (error) {
      if (error instanceof ApiError && applyServerError(form, FORM_FIELDS, error)) return;
      setRefusal({
        message: errorMessage(error),
        holds: error instanceof ApiError && error.code === 'has_open_assignments',
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={visitor !== null}
      title={visitor ? `离岗：${visitor.name}` : '离岗'}
      okText="确认离岗"
      okButtonProps={{ danger: true }}
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
        title="离岗后不能再为其分配老年人；其探访记录和分配历史全部保留。"
      />
      {refusal && visitor && (
        <Alert
          type="error"
          showIcon
          data-testid="leave-refusal"
          style={{ marginBottom: 16 }}
          title={refusal.message}
          action={
            refusal.holds ? (
              <Button
                size="small"
                type="primary"
                icon={<SwapOutlined />}
                onClick={() =>
                  navigate(transferPath(visitor.id, form.getFieldValue('leftOn') as string))
                }
              >
                去批量转交
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<LeaveValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ leftOn: todayIso() }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="离岗日期"
          name="leftOn"
          required
          rules={[{ required: true, message: '请选择离岗日期' }]}
          getValueProps={(value: string | undefined) => ({
            value: value ? dayjs(value) : undefined,
          })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item label="说明" name="note">
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：外出务工、年龄原因" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
