import { ReloadOutlined } from '@ant-design/icons';
import type { AlertKind, AlertQueueItemDto } from '@tanfang/domain';
import { Alert, Badge, Button, Card, Empty, Flex, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { chinaTime } from '../../lib/format';
import { useAlerts } from './AlertsContext';
import {
  ALERT_KIND_COLORS,
  ALERT_KINDS_IN_ORDER,
  alertKindLabel,
  consoleLink,
  dueText,
} from './alertText';

function QueueItem({ item }: { item: AlertQueueItemDto }) {
  const navigate = useNavigate();
  const due = dueText(item);
  return (
    <List.Item
      data-testid="alert-item"
      data-kind={item.kind}
      actions={[
        <Button
          key="open"
          type={item.urgency === 0 ? 'primary' : 'default'}
          danger={item.urgency === 0}
          onClick={() => navigate(consoleLink(item.target))}
        >
          处理
        </Button>,
      ]}
    >
      <List.Item.Meta
        title={
          <Space size={8} wrap>
            <Tag color={ALERT_KIND_COLORS[item.kind]} style={{ marginInlineEnd: 0 }}>
              {alertKindLabel(item.kind)}
            </Tag>
            <Typography.Text strong>{item.title}</Typography.Text>
          </Space>
        }
        description={
          <Flex vertical gap={2}>
            {item.detail && <Typography.Text>{item.detail}</Typography.Text>}
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {[
                item.region?.fullName,
                // A visit's window start is no event; a finding's or referral's time is.
                item.since && (item.target.type === 'finding' || item.target.type === 'referral')
                  ? `发生于 ${chinaTime(item.since)}`
                  : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Typography.Text>
            {due && (
              <Typography.Text type={item.overdue ? 'danger' : 'warning'} style={{ fontSize: 13 }}>
                {due}（期限 {chinaTime(item.dueAt)}）
              </Typography.Text>
            )}
          </Flex>
        }
      />
    </List.Item>
  );
}

/**
 * 提醒: the user's one queue — emergencies, findings nearing or past their deadline, overdue
 * visits, campaign tasks and referrals, most urgent first — kept live by the alert stream.
 */
export default function AlertsPage() {
  const alerts = useAlerts();
  const [kind, setKind] = useState<AlertKind | null>(null);
  if (!alerts) return null;
  const { queue, error, live, refresh } = alerts;
  const items = queue?.items.filter((i) => kind === null || i.kind === kind) ?? [];
  return (
    <Card
      title="提醒"
      data-testid="alert-queue"
      extra={
        <Space>
          {live ? (
            <Badge status="processing" text="实时更新" />
          ) : (
            <Badge status="default" text="未连接实时推送，每分钟刷新" />
          )}
          <Button icon={<ReloadOutlined />} onClick={refresh}>
            刷新
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {!queue ? (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      ) : (
        <>
          <Space size={[8, 8]} wrap style={{ marginBottom: 12 }}>
            <Tag.CheckableTag checked={kind === null} onChange={() => setKind(null)}>
              全部 {queue.total}
            </Tag.CheckableTag>
            {ALERT_KINDS_IN_ORDER.filter((k) => queue.counts[k] > 0).map((k) => (
              <Tag.CheckableTag
                key={k}
                checked={kind === k}
                onChange={(on) => setKind(on ? k : null)}
              >
                {alertKindLabel(k)} {queue.counts[k]}
              </Tag.CheckableTag>
            ))}
          </Space>
          <List
            dataSource={items}
            rowKey={(i) => i.key}
            locale={{ emptyText: <Empty description="暂无提醒" /> }}
            renderItem={(item) => <QueueItem item={item} />}
          />
          {queue.truncated && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              共 {queue.total} 条，仅列出最紧急的 {queue.items.length} 条。
            </Typography.Paragraph>
          )}
        </>
      )}
    </Card>
  );
}
