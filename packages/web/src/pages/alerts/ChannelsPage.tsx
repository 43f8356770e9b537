import { PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import {
  ALERT_KIND_LABELS,
  CHANNEL_KIND_LABELS,
  type ChannelDto,
  type OutboundAlertDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { chinaTime } from '../../lib/format';
import { alertsApi } from './alertsApi';
import { DELIVERY_STATE_COLORS, deliveryStateLabel } from './alertText';
import { ChannelFormModal } from './ChannelFormModal';
import { canManageChannels } from './permissions';

/** How often the page looks again while deliveries are on their way. */
const REFRESH_MS = 5_000;

function DeliveryCounts({ d }: { d: ChannelDto['deliveries'] }) {
  return (
    <Space size={[4, 4]} wrap>
      <Tag>待发送 {d.pending}</Tag>
      <Tag color={d.retrying ? 'warning' : undefined}>重试中 {d.retrying}</Tag>
      <Tag color={d.failed ? 'error' : undefined}>多次失败 {d.failed}</Tag>
      <Tag color="success">已送达 {d.delivered}</Tag>
    </Space>
  );
}

function Deliveries({ alert }: { alert: OutboundAlertDto }) {
  if (alert.deliveries.length === 0)
    return <Typography.Text type="secondary">无适用渠道</Typography.Text>;
  return (
    <Flex vertical gap={4}>
      {alert.deliveries.map((d) => (
        <Tooltip
          key={d.channel.id}
          title={
            <>
              <div>
                尝试 {d.attempts} 次{d.lastAttemptAt ? `，最近 ${chinaTime(d.lastAttemptAt)}` : ''}
              </div>
              {d.deliveredAt && <div>送达于 {chinaTime(d.deliveredAt)}</div>}
              {d.state !== 'delivered' && d.nextAttemptAt && (
                <div>下次尝试 {chinaTime(d.nextAttemptAt)}</div>
              )}
              {d.lastError && <div>错误：{d.lastError}</div>}
            </>
          }
        >
          <span data-testid="delivery-state" data-state={d.state}>
            <Tag color={DELIVERY_STATE_COLORS[d.state]}>{deliveryStateLabel(d.state)}</Tag>
            <Typography.Text>{d.channel.name}</Typography.Text>
            {d.lastError && d.state !== 'delivered' && (
              <Typography.Text type="danger" style={{ fontSize: 12, marginLeft: 6 }}>
                {d.lastError}
              </Typography.Text>
            )}
          </span>
        </Tooltip>
      ))}
    </Flex>
  );
}

/**
 * 通知渠道: the webhooks and SMS gateways alerts go out through, with what each delivered, what
 * is waiting or being retried and the last error; and the latest alerts with each delivery.
 */
export default function ChannelsPage() {
  const me = useCurrentUser();
  const manage = canManageChannels(me.role);
  const { message } = App.useApp();
  const [channels, setChannels] = useState<ChannelDto[] | null>(null);
  const [sent, setSent] = useState<OutboundAlertDto[] | null>(null);
  const [channelFilter, setChannelFilter] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<ChannelDto | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      const [c, s] = await Promise.all([
        alertsApi.channels(),
        alertsApi.outbound({ channel: channelFilter, limit: 50 }),
      ]);
      setChannels(c);
      setSent(s);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [channelFilter]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const test = async (c: ChannelDto) => {
    try {
      await alertsApi.testChannel(c.id);
      message.success(`已向“${c.name}”发送测试消息，请稍候查看送达情况`);
      void load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const toggle = async (c: ChannelDto, active: boolean) => {
    try {
      await alertsApi.updateChannel(c.id, { active });
      void load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Flex vertical gap={16}>
      <Card
        title="通知渠道"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
            {manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                新增渠道
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          紧急情况、升级和逾期等提醒经这些渠道发出：Webhook
          推送到值班或应急平台，短信网关发给被提醒区域的值班人员。发送失败会自动重试，送达前不会丢失；同一提醒对同一接收方只送达一次。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Table<ChannelDto>
          rowKey="id"
          loading={channels === null}
          dataSource={channels ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="channel-table"
          columns={[
            {
              title: '名称',
              render: (_, c) => (
                <Flex vertical>
                  <Typography.Text strong>{c.name}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {CHANNEL_KIND_LABELS[c.kind]} · {String(c.config['url'] ?? '')}
                  </Typography.Text>
                </Flex>
              ),
            },
            { title: '区域', render: (_, c) => c.region.fullName },
            {
              title: '提醒类型',
              render: (_, c) =>
                c.alertKinds.length === 0 ? (
                  <Tag>全部</Tag>
                ) : (
                  c.alertKinds.map((k) => <Tag key={k}>{ALERT_KIND_LABELS[k]}</Tag>)
                ),
            },
            { title: '送达情况', render: (_, c) => <DeliveryCounts d={c.deliveries} /> },
            {
              title: '最近错误',
              render: (_, c) =>
                c.deliveries.lastError ? (
                  <Flex vertical>
                    <Typography.Text type="danger">{c.deliveries.lastError}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {chinaTime(c.deliveries.lastErrorAt)}
                    </Typography.Text>
                  </Flex>
                ) : (
                  <Typography.Text type="secondary">无</Typography.Text>
                ),
            },
            {
              title: '启用',
              render: (_, c) => (
                <Switch
                  checked={c.active}
                  disabled={!manage}
                  onChange={(v) => void toggle(c, v)}
                  aria-label={`启用 ${c.name}`}
                />
              ),
            },
            ...(manage
              ? [
                  {
                    title: '操作',
                    render: (_: unknown, c: ChannelDto) => (
                      <Space>
                        <Button size="small" onClick={() => setEditing(c)}>
                          编辑
                        </Button>
                        <Button
                          size="small"
                          icon={<SendOutlined />}
                          disabled={!c.active}
                          onClick={() => void test(c)}
                        >
                          发送测试
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card
        title="最近发出的提醒"
        extra={
          <Select
            allowClear
            placeholder="全部渠道"
            style={{ width: 220 }}
            value={channelFilter}
            onChange={setChannelFilter}
            options={(channels ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        }
      >
        <Table<OutboundAlertDto>
          rowKey="id"
          loading={sent === null}
          dataSource={sent ?? []}
          pagination={false}
          scroll={{ x: 1000 }}
          tableLayout="fixed"
          data-testid="outbound-table"
          columns={[
            { title: '时间', width: 150, render: (_, a) => chinaTime(a.createdAt) },
            { title: '类型', width: 120, render: (_, a) => <Tag>{a.kindLabel}</Tag> },
            {
              title: '内容',
              render: (_, a) => (
                <Flex vertical>
                  <Typography.Text strong ellipsis={{ tooltip: a.title }}>
                    {a.title}
                  </Typography.Text>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    ellipsis={{ tooltip: a.body }}
                  >
                    {a.region.fullName} · {a.body}
                  </Typography.Text>
                </Flex>
              ),
            },
            { title: '送达', width: 320, render: (_, a) => <Deliveries alert={a} /> },
          ]}
        />
      </Card>
      {manage && (
        <ChannelFormModal
          open={editing !== null}
          channel={editing === 'new' || editing === null ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </Flex>
  );
}
