import {
  ASSIGNMENT_ROLE_LABELS,
  EndAssignmentInput,
  todayIso,
  type AssignmentDto,
  type ElderAssignmentRow,
} from '@tanfang/domain';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields, schemaRule } from '../../lib/zodForm';
import { visitorsApi } from '../visitors/api';

interface EndValues {
  assignmentId?: string;
  endDate?: string;
  reason?: string;
}

const FORM_FIELDS = ['endDate', 'reason'] as const;

/** Props of `EndAssignmentModal`. */
export interface EndAssignmentModalProps {
  /** The elder whose current assignments may end; null closes the modal. */
  row: ElderAssignmentRow | null;
  onClose: () => void;
  onEnded: (assignment: AssignmentDto) => void;
}

/** 结束分配: one of the elder's current assignments ends on a date, with the reason kept. */
export function EndAssignmentModal({ row, onClose, onEnded }: EndAssignmentModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EndValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const current = row ? [...(row.primary ? [row.primary] : []), ...row.backups] : [];
  const chosenId = Form.useWatch('assignmentId', form);
  const chosen = current.find((a) => a.id === chosenId);

  const onFinish = async (values: EndValues) => {
    setFormError(null);
    if (!chosen) {
      form.setFields([{ name: 'assignmentId', errors: ['请选择要结束的分配'] }]);
      return;
    }
    const parsed = EndAssignmentInput.safeParse({ endDate: values.endDate, reason: values.reason });
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FORM_FIELDS);
      form.setFields(fields);
      if (rest.length > 0) setFormError(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const ended = await visitorsApi.endAssignment(chosen.id, parsed.data);
      message.success(
        `已结束 ${chosen.visitor.name} 对 ${row?.elder.name ?? ''} 的${ASSIGNMENT_ROLE_LABELS[chosen.role]}分配`,
      );
      onEnded(ended);
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, FORM_FIELDS, error))) {
        setFormError(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={row !== null}
      title={row ? `结束分配：${row.elder.name}` : '结束分配'}
      okText="结束分配"
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
        title={
          chosen?.role === 'primary'
            ? '结束主要探访人后，该老年人将列入“未落实探访人”。如需换人，请改用“调整”：原分配结束、接替人同日开始。'
            : '分配结束后记入分配历史，不会删除。'
        }
      />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<EndValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          assignmentId: current.length === 1 ? current[0]?.id : undefined,
          endDate: todayIso(),
        }}
        onFinish={(values) => void onFinish(values)}
      >
        <Form.Item
          label="要结束的分配"
          name="assignmentId"
          required
          rules={[{ required: true, message: '请选择要结束的分配' }]}
        >
          <Radio.Group>
            <Space orientation="vertical">
              {current.map((a) => (
                <Radio key={a.id} value={a.id}>
                  {ASSIGNMENT_ROLE_LABELS[a.role]}：{a.visitor.name}（自 {a.startDate} 起）
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          label="结束日期"
          name="endDate"
          required
          rules={[{ required: true, message: '请选择结束日期' }]}
          extra="自该日起不再由其负责"
          getValueProps={(value: string | undefined) => ({
            value: value ? dayjs(value) : undefined,
          })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) =>
              d.isAfter(dayjs(), 'day') ||
              (chosen !== undefined && d.isBefore(dayjs(chosen.startDate), 'day'))
            }
          />
        </Form.Item>
        <Form.Item
          label="结束原因"
          name="reason"
          required
          rules={[schemaRule(EndAssignmentInput.shape.reason)]}
        >
          <Input maxLength={100} showCount placeholder="如：探访人员外出务工、老年人入住养老机构" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
