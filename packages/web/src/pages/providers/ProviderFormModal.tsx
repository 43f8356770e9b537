import {
  PROVIDER_KIND_LABELS,
  ProviderFields,
  ProviderPatch,
  type ProviderDto,
  type ProviderKind,
} from '@tanfang/domain';
import { App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { applyServerError, issuesToFields } from '../../lib/zodForm';
import { providersApi } from './providersApi';

interface Values {
  name: string;
  kinds: ProviderKind[];
  regionCode?: string;
  contactName?: string;
  phone?: string;
  address?: string;
}

const FIELDS = ['name', 'kinds', 'regionCode', 'contactName', 'phone', 'address'] as const;
const kindOptions = (Object.keys(PROVIDER_KIND_LABELS) as ProviderKind[]).map((k) => ({
  value: k,
  label: PROVIDER_KIND_LABELS[k],
}));

/** 登记服务机构 / 编辑服务机构 (mount it to open it). */
export function ProviderFormModal({
  provider,
  onClose,
  onSaved,
}: {
  provider?: ProviderDto;
  onClose: () => void;
  onSaved: (provider: ProviderDto) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Values) => {
    const trim = (v: string | undefined) => v?.trim() || undefined;
    const fields = {
      name: values.name,
      kinds: values.kinds,
      regionCode: values.regionCode,
      contactName: trim(values.contactName),
      phone: trim(values.phone),
      address: trim(values.address),
    };
    const parsed = provider
      ? ProviderPatch.safeParse({
          ...fields,
          contactName: fields.contactName ?? null,
          phone: fields.phone ?? null,
          address: fields.address ?? null,
        })
      : ProviderFields.safeParse(fields);
    if (!parsed.success) {
      const { fields: bad, rest } = issuesToFields(parsed.error.issues, FIELDS);
      form.setFields(bad);
      if (rest.length) message.error(rest.join('；'));
      return;
    }
    setSaving(true);
    try {
      const saved = provider
        ? await providersApi.update(provider.id, parsed.data)
        : await providersApi.create(ProviderFields.parse(fields));
      message.success(provider ? `已保存“${saved.name}”` : `已登记“${saved.name}”`);
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
      title={provider ? `编辑服务机构：${provider.name}` : '登记服务机构'}
      okText={provider ? '保存' : '登记'}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <div data-testid="provider-form">
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={
            provider
              ? {
                  name: provider.name,
                  kinds: provider.kinds,
                  regionCode: provider.region.code,
                  contactName: provider.contactName ?? '',
                  phone: provider.phone ?? '',
                  address: provider.address ?? '',
                }
              : { kinds: [] }
          }
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            label="机构名称"
            name="name"
            required
            rules={[{ required: true, whitespace: true, message: '请填写机构名称' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            label="服务类别"
            name="kinds"
            required
            rules={[{ required: true, message: '请至少选择一项服务类别' }]}
          >
            <Select mode="multiple" options={kindOptions} placeholder="可多选" />
          </Form.Item>
          <Form.Item
            label="服务区域"
            name="regionCode"
            required
            rules={[{ required: true, message: '请选择服务区域' }]}
            extra="该区域及其下辖村（社区）的老年人可以转介给本机构"
          >
            <RegionPicker placeholder="请选择服务区域" />
          </Form.Item>
          <Form.Item label="联系人" name="contactName">
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item label="联系电话" name="phone">
            <Input maxLength={20} placeholder="手机号或固定电话" />
          </Form.Item>
          <Form.Item label="地址" name="address">
            <Input maxLength={200} />
          </Form.Item>
          <button type="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </div>
    </Modal>
  );
}
