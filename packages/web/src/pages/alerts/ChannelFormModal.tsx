import {
  ALERT_KIND_LABELS,
  CHANNEL_KIND_LABELS,
  type AlertKind,
  type ChannelCreateBody,
  type ChannelDto,
  type ChannelKind,
} from '@tanfang/domain';
import { App, Form, Input, Modal, Radio, Select, Switch, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { alertsApi } from './alertsApi';
import { ALERT_KINDS_IN_ORDER } from './alertText';

interface FormValues {
  kind: ChannelKind;
  regionCode: string;
  name: string;
  alertKinds: AlertKind[];
  active: boolean;
  config: {
    url: string;
    secret?: string;
    apiKey?: string;
    apiKeyHeader?: string;
    signName?: string;
    templateCode?: string;
    extraPhones?: string[];
  };
}

/** The configuration the API takes: empty optional text left out; a blank secret keeps the stored one. */
function configOf(kind: ChannelKind, c: FormValues['config']): Record<string, unknown> {
  const out: Record<string, unknown> = { url: c.url?.trim() ?? '' };
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  };
  if (kind === 'webhook') put('secret', c.secret);
  else {
    put('apiKey', c.apiKey);
    put('apiKeyHeader', c.apiKeyHeader);
    put('signName', c.signName);
    put('templateCode', c.templateCode);
    out['extraPhones'] = c.extraPhones ?? [];
  }
  return out;
}

/** Puts the server's field errors (`config.url`, `name` …) on the form; false if none fit. */
function showFieldErrors(form: FormInstance, error: ApiError): boolean {
  const reported = error.details.length
    ? error.details
    : error.field
      ? [{ field: error.field, message: error.message }]
      : [];
  const known = new Set(['kind', 'regionCode', 'name', 'alertKinds', 'active', 'config']);
  const fields = reported
    .filter((d) => known.has(d.field.split('.')[0]!))
    .map((d) => {
      const path = d.field.split('.');
      // A phone of the list is shown on the list.
      const name = path[0] === 'config' ? path.slice(0, 2) : path.slice(0, 1);
      return { name, errors: [d.message] };
    });
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}

/** 新增 or 编辑 a notification channel (webhook or SMS gateway). Secrets are never shown. */
export function ChannelFormModal({
  open,
  channel,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The channel to edit; a new one when absent. */
  channel?: ChannelDto | undefined;
  onClose: () => void;
  onSaved: (saved: ChannelDto) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'webhook';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (channel) {
      const c = channel.config;
      form.setFieldsValue({
        kind: channel.kind,
        regionCode: channel.region.code,
        name: channel.name,
        alertKinds: channel.alertKinds,
        active: channel.active,
        config: {
          url: String(c['url'] ?? ''),
          apiKeyHeader: c['apiKeyHeader'] as string | undefined,
          signName: c['signName'] as string | undefined,
          templateCode: c['templateCode'] as string | undefined,
          extraPhones: (c['extraPhones'] as string[] | undefined) ?? [],
        },
      });
    } else {
      form.setFieldsValue({ kind: 'webhook', alertKinds: [], active: true, config: { url: '' } });
    }
  }, [open, channel, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const config = configOf(v.kind, v.config);
      const saved = channel
        ? await alertsApi.updateChannel(channel.id, {
            name: v.name,
            alertKinds: v.alertKinds,
            active: v.active,
            config,
          })
        : await alertsApi.createChannel({
            kind: v.kind,
            regionCode: v.regionCode,
            name: v.name,
            alertKinds: v.alertKinds,
            active: v.active,
            config,
          } as ChannelCreateBody);
      message.success(channel ? '已保存' : '已新增通知渠道');
      onSaved(saved);
    } catch (e) {
      if (!(e instanceof ApiError && showFieldErrors(form, e))) message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const masked = (field: string) => {
    const value = channel?.config[field];
    return typeof value === 'string' ? `已设置（${value}），不修改请留空` : undefined;
  };

  return (
    <Modal
      open={open}
      title={channel ? `编辑通知渠道：${channel.name}` : '新增通知渠道'}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      width={620}
    >
      <Form form={form} layout="vertical" data-testid="channel-form">
        <Form.Item name="kind" label="渠道类型" rules={[{ required: true }]}>
          <Radio.Group
            disabled={Boolean(channel)}
            optionType="button"
            options={(Object.keys(CHANNEL_KIND_LABELS) as ChannelKind[]).map((k) => ({
              value: k,
              label: CHANNEL_KIND_LABELS[k],
            }))}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label="区域"
          extra="本区域及下级区域的提醒经此渠道发出"
          rules={[{ required: true, message: '请选择区域' }]}
        >
          <RegionPicker
            disabled={Boolean(channel)}
            allowedLevels={['city', 'county', 'township', 'village']}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, message: '请填写渠道名称' }, { max: 40 }]}
        >
          <Input placeholder="如：灌水镇应急值班平台" maxLength={40} />
        </Form.Item>
        <Form.Item name="alertKinds" label="提醒类型" extra="不选则发送全部类型">
          <Select
            mode="multiple"
            allowClear
            placeholder="全部类型"
            options={ALERT_KINDS_IN_ORDER.map((k) => ({ value: k, label: ALERT_KIND_LABELS[k] }))}
          />
        </Form.Item>
        <Form.Item
          name={['config', 'url']}
          label={kind === 'webhook' ? '接收地址' : '短信网关地址'}
          rules={[{ required: true, message: '请填写地址' }]}
        >
          <Input placeholder="https://" />
        </Form.Item>
        {kind === 'webhook' ? (
          <Form.Item
            name={['config', 'secret']}
            label="签名密钥"
            extra="接收方用它校验 X-Tanfang-Signature（HMAC-SHA256），并按 Idempotency-Key（提醒编号）去重"
            rules={channel ? [] : [{ required: true, message: '请填写签名密钥（至少 16 个字符）' }]}
          >
            <Input.Password
              placeholder={masked('secret') ?? '至少 16 个字符'}
              autoComplete="new-password"
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name={['config', 'apiKey']}
              label="API 密钥"
              rules={channel ? [] : [{ required: true, message: '请填写 API 密钥' }]}
            >
              <Input.Password
                placeholder={masked('apiKey') ?? '网关提供的密钥'}
                autoComplete="new-password"
              />
            </Form.Item>
            <Form.Item name={['config', 'apiKeyHeader']} label="密钥请求头">
              <Input placeholder="X-Api-Key" />
            </Form.Item>
            <Form.Item name={['config', 'signName']} label="短信签名">
              <Input placeholder="探访关爱" maxLength={20} />
            </Form.Item>
            <Form.Item name={['config', 'templateCode']} label="模板编号">
              <Input placeholder="网关要求时填写" maxLength={50} />
            </Form.Item>
            <Form.Item
              name={['config', 'extraPhones']}
              label="固定接收号码"
              extra="除被提醒区域的值班人员外，每条短信都发给这些号码（如值班电话）"
            >
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="输入号码后回车" />
            </Form.Item>
          </>
        )}
        <Form.Item name="active" label="启用" valuePropName="checked">
          <Switch checkedChildren="启用" unCheckedChildren="停用" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
