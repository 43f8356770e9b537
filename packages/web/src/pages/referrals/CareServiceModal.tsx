import { CareServiceInput, uuidv7, type CareServiceDto, type ReferralDto } from '@tanfang/domain';
import { App, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { ProviderSelect } from '../providers/ProviderSelect';
import {
  CareServiceFields,
  careServiceBody,
  todayValue,
  type CareServiceValues,
} from './CareServiceFields';
import { referralsApi } from './referralsApi';

interface Values extends CareServiceValues {
  by: 'registry' | 'name';
  providerId?: string;
  providerName?: string;
}

const FIELDS = [
  'servedOn',
  'content',
  'satisfaction',
  'note',
  'providerId',
  'providerName',
] as const;

/** Props of `CareServiceModal`: staff record for an elder; a provider for a referral sent to it. */
export type CareServiceModalProps = {
  onClose: () => void;
  onSaved: (service: CareServiceDto) => void;
} & (
  | { elder: { id: string; name: string; villageCode: string }; referral?: undefined }
  | { referral: ReferralDto; elder?: undefined }
);

/**
 * 记录关爱服务 (丹东 记录表 六): the date, what was done, by whom — a registered provider or a
 * name (a volunteer team, a neighbour) — and the elder's satisfaction. A provider records it for a
 * referral sent to it, under its own name. Mount it to open it; the record's id is made once.
 */
export function CareServiceModal(props: CareServiceModalProps) {
  const { onClose, onSaved } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [id] = useState(() => uuidv7());
  const [saving, setSaving] = useState(false);
  const by = Form.useWatch('by', form);
  const elder = props.referral
    ? {
        id: props.referral.elder.id,
        name: props.referral.elder.name,
        villageCode: props.referral.elder.village.code,
      }
    : props.elder;

  const submit = async (values: Values) => {
    const parsed = CareServiceInput.safeParse({
      id,
      elderId: elder.id,
      ...careServiceBody(values),
      ...(props.referral
        ? { referralId: props.referral.id, providerId: props.referral.provider.id }
        : values.by === 'registry'
          ? { providerId: values.providerId }
          : { providerName: values.providerName?.trim() || undefined }),
    });
    if (!parsed.success) {
      const { fields, rest } = issuesToFields(parsed.error.issues, FIELDS);
      form.setFields(fields);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const saved = await referralsApi.recordCareService(parsed.data);
      message.success('已记录关爱服务');
      onSaved(saved);
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
      title={`记录关爱服务：${elder.name}`}
      okText="保存"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <div data-testid="care-service-modal">
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ by: 'registry', servedOn: todayValue() }}
          onFinish={(values) => void submit(values)}
        >
          {props.referral ? (
            <Form.Item label="服务提供者">
              <Input value={props.referral.provider.name} disabled />
            </Form.Item>
          ) : (
            <>
              <Form.Item label="服务提供者" name="by">
                <Radio.Group
                  options={[
                    { value: 'registry', label: '登记的服务机构' },
                    { value: 'name', label: '其他（填写名称）' },
                  ]}
                />
              </Form.Item>
              {by === 'name' ? (
                <Form.Item
                  label="服务提供者名称"
                  name="providerName"
                  required
                  rules={[{ required: true, whitespace: true, message: '请填写服务提供者' }]}
                >
                  <Input maxLength={100} placeholder="如：东岔村志愿服务队、邻居张大姐" />
                </Form.Item>
              ) : (
                <Form.Item
                  label="服务机构"
                  name="providerId"
                  required
                  rules={[{ required: true, message: '请选择服务机构' }]}
                >
                  <ProviderSelect servingVillage={elder.villageCode} />
                </Form.Item>
              )}
            </>
          )}
          <CareServiceFields />
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>
    </Modal>
  );
}
