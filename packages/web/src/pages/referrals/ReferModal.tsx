import {
  PROVIDER_KIND_LABELS,
  ReferralInput,
  uuidv7,
  type ProviderKind,
  type ReferralDetailDto,
} from '@tanfang/domain';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { ProviderSelect } from '../providers/ProviderSelect';
import { referralsApi } from './referralsApi';

/** The elder a referral is for (any object with these fields: an ElderDto, a list row…). */
export interface ReferElder {
  id: string;
  name: string;
  /** The elder's village (12 digits): only providers serving it are offered. */
  villageCode: string;
}

/** The finding a referral comes from; it moves to 已转介 when referred. */
export interface ReferFinding {
  id: string;
  title: string;
}

/** Props of `ReferModal`. */
export interface ReferModalProps {
  elder: ReferElder;
  finding?: ReferFinding;
  onClose: () => void;
  onReferred: (referral: ReferralDetailDto) => void;
}

interface ReferValues {
  kind?: ProviderKind;
  providerId?: string;
  need: string;
}

const FIELDS = ['kind', 'providerId', 'need'] as const;

const kindOptions = (Object.keys(PROVIDER_KIND_LABELS) as ProviderKind[]).map((k) => ({
  value: k,
  label: PROVIDER_KIND_LABELS[k],
}));

/**
 * 转介: refers an elder's need — of a finding (发现的问题), or on its own — to a service provider
 * that offers the kind of service and serves the elder's village. Mount it to open it; the
 * referral's id is made once, so sending again after a lost answer never refers twice.
 */
export function ReferModal({ elder, finding, onClose, onReferred }: ReferModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ReferValues>();
  const [id] = useState(() => uuidv7());
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form);

  const submit = async (values: ReferValues) => {
    const parsed = ReferralInput.safeParse({
      id,
      elderId: elder.id,
      ...(finding ? { findingId: finding.id } : {}),
      providerId: values.providerId,
      kind: values.kind,
      need: values.need,
    });
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FIELDS);
      form.setFields(fields);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const referral = await referralsApi.create(parsed.data);
      message.success(`已转介至${referral.provider.name}`);
      onReferred(referral);
    } catch (error) {
      if (!(error instanceof ApiError && applyServerError(form, FIELDS, error)))
        message.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`需求转介：${elder.name}`}
      okText="转介"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <div data-testid="refer-modal">
        {finding && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={`转介发现的问题：${finding.title}`}
            description="转介后该问题标记为“已转介”，服务机构处理的每一步都记入问题的处理经过。"
          />
        )}
        <Form<ReferValues>
          form={form}
          layout="vertical"
          initialValues={{ need: finding ? `${finding.title}：` : '' }}
          onFinish={(values) => void submit(values)}
          onValuesChange={(changed: Partial<ReferValues>) => {
            if ('kind' in changed) form.setFieldValue('providerId', undefined);
          }}
        >
          <Form.Item
            label="服务类别"
            name="kind"
            required
            rules={[{ required: true, message: '请选择服务类别' }]}
          >
            <Select options={kindOptions} placeholder="需要哪一类服务" data-testid="refer-kind" />
          </Form.Item>
          <Form.Item
            label="服务机构"
            name="providerId"
            required
            rules={[{ required: true, message: '请选择服务机构' }]}
            extra="只列出服务该老年人所在地区、提供所选服务类别的在用服务机构"
          >
            <ProviderSelect servingVillage={elder.villageCode} kind={kind} disabled={!kind} />
          </Form.Item>
          <Form.Item
            label="服务需求"
            name="need"
            required
            rules={[{ required: true, whitespace: true, message: '请填写服务需求' }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={1000}
              showCount
              placeholder="写明老年人需要什么服务、何时需要、注意事项"
              data-testid="refer-need"
            />
          </Form.Item>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            服务机构只能看到老年人的姓名、所在村（社区）、遮盖后的电话和服务需求。
          </Typography.Text>
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>
    </Modal>
  );
}
