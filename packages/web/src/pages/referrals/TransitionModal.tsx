import {
  REFERRAL_STATUS_LABELS,
  ReferralTransitionInput,
  type ReferralDetailDto,
  type ReferralDto,
  type ReferralStatus,
} from '@tanfang/domain';
import { Alert, App, Form, Input, Modal, Switch, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import {
  CareServiceFields,
  careServiceBody,
  todayValue,
  type CareServiceValues,
} from './CareServiceFields';
import { ACTION_LABELS } from './referralText';
import { referralsApi } from './referralsApi';

/** What each move asks for, in the words of the form. */
const NOTE_LABELS: Record<Exclude<ReferralStatus, 'sent' | 'completed'>, string> = {
  accepted: '接收说明',
  in_progress: '服务进展',
  declined: '拒绝原因',
  cancelled: '撤回原因',
};
const NOTE_REQUIRED: readonly ReferralStatus[] = ['in_progress', 'declined', 'cancelled'];

interface TransitionValues {
  note?: string;
  outcome?: string;
  withService?: boolean;
  careService?: CareServiceValues;
}

/** Props of `TransitionModal`. */
export interface TransitionModalProps {
  referral: ReferralDto;
  to: Exclude<ReferralStatus, 'sent'>;
  onClose: () => void;
  onDone: (referral: ReferralDetailDto) => void;
}

/**
 * One step of a referral: the provider accepts (接收), reports progress (报告进展), completes with
 * the outcome — and may record the care service given at once (记录表 六) — or declines with a
 * reason; staff cancel with a reason. A step the workflow no longer allows (someone acted first)
 * shows the server's message with what is allowed now.
 */
export function TransitionModal({ referral, to, onClose, onDone }: TransitionModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<TransitionValues>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const withService = Form.useWatch('withService', form);
  const completing = to === 'completed';

  const submit = async (values: TransitionValues) => {
    const body = {
      to,
      ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      ...(completing ? { outcome: values.outcome } : {}),
      ...(completing && values.withService && values.careService
        ? { careService: careServiceBody(values.careService) }
        : {}),
    };
    const parsed = ReferralTransitionInput.safeParse(body);
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, ['note', 'outcome'] as const);
      form.setFields(fields);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const updated = await referralsApi.transition(referral.id, parsed.data);
      message.success(
        to === 'in_progress' && referral.status === 'in_progress'
          ? '已记录服务进展'
          : `转介${REFERRAL_STATUS_LABELS[to]}`,
      );
      onDone(updated);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(error.message);
      else if (!(error instanceof ApiError && applyServerError(form, ['note', 'outcome'], error)))
        message.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`${ACTION_LABELS[to]}：${referral.elder.name}`}
      okText={ACTION_LABELS[to]}
      okButtonProps={{ danger: to === 'declined' || to === 'cancelled' }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <div data-testid="transition-modal">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          服务需求：{referral.need}
        </Typography.Paragraph>
        {conflict && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={conflict} />
        )}
        <Form<TransitionValues>
          form={form}
          layout="vertical"
          initialValues={{
            withService: true,
            careService: { servedOn: todayValue() },
          }}
          onFinish={(values) => void submit(values)}
        >
          {completing ? (
            <>
              <Form.Item
                label="服务结果"
                name="outcome"
                required
                rules={[{ required: true, whitespace: true, message: '请填写服务结果' }]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  showCount
                  placeholder="需求是否解决、提供了哪些服务、后续建议"
                  data-testid="transition-outcome"
                />
              </Form.Item>
              <Form.Item
                label="同时记录关爱服务（记录表 六）"
                name="withService"
                valuePropName="checked"
              >
                <Switch data-testid="transition-with-service" />
              </Form.Item>
              {withService && <CareServiceFields prefix={['careService']} />}
            </>
          ) : (
            <Form.Item
              label={NOTE_LABELS[to]}
              name="note"
              required={NOTE_REQUIRED.includes(to)}
              rules={
                NOTE_REQUIRED.includes(to)
                  ? [{ required: true, whitespace: true, message: `请填写${NOTE_LABELS[to]}` }]
                  : []
              }
            >
              <Input.TextArea
                rows={3}
                maxLength={1000}
                showCount
                placeholder={to === 'accepted' ? '选填，如安排的服务人员和时间' : undefined}
                data-testid="transition-note"
              />
            </Form.Item>
          )}
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>
    </Modal>
  );
}
