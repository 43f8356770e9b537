import { LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { AlertQueueItemDto } from '@tanfang/domain';
import { Alert, Button, Card, Empty, Flex, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { FIELD_APP_PATH } from '../../lib/routes';
import { useAlerts } from '../../pages/alerts/AlertsContext';
import { alertKindLabel, dueText, fieldLink } from '../../pages/alerts/alertText';
import { BigTag, FIELD_FONT, type Tone } from '../fieldUi';

/** Tones by urgency: emergencies red, lateness orange, due soon blue, the rest grey. */
const URGENCY_TONES: Tone[] = [
  { text: '#fff', background: '#cf1322', border: '#cf1322' },
  { text: '#a8071a', background: '#fff1f0', border: '#ff7875' },
  { text: '#873800', background: '#fff7e6', border: '#ffa940' },
  { text: '#003eb3', background: '#e6f4ff', border: '#4096ff' },
  { text: '#262626', background: '#f5f5f5', border: '#bfbfbf' },
];

function ItemCard({ item }: { item: AlertQueueItemDto }) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const due = dueText(item);
  return (
    <Card
      hoverable
      data-testid="field-alert-item"
      data-kind={item.kind}
      onClick={() => navigate(fieldLink(item.target, item, me.role))}
      styles={{ body: { padding: 14 } }}
      style={{ borderLeft: `6px solid ${URGENCY_TONES[Math.min(item.urgency, 4)]!.border}` }}
    >
      <Flex vertical gap={6}>
        <Flex gap={8} align="center" wrap>
          <BigTag tone={URGENCY_TONES[Math.min(item.urgency, 4)]!}>
            {alertKindLabel(item.kind)}
          </BigTag>
          {due && (
            <Typography.Text
              strong
              type={item.overdue ? 'danger' : undefined}
              style={{ fontSize: FIELD_FONT.body }}
            >
              {due}
            </Typography.Text>
          )}
        </Flex>
        <Typography.Text strong style={{ fontSize: FIELD_FONT.large }}>
          {item.title}
        </Typography.Text>
        {item.detail && (
          <Typography.Text style={{ fontSize: FIELD_FONT.body }}>{item.detail}</Typography.Text>
        )}
        {item.region && (
          <Typography.Text type="secondary" style={{ fontSize: 15 }}>
            {item.region.fullName}
          </Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

/**
 * 提醒 on the phone: a visitor's overdue visits and campaign tasks (and emergencies of their
 * elders); a township head's every open emergency in the township with its state — live.
 */
export function FieldAlertsPage() {
  const alerts = useAlerts();
  const navigate = useNavigate();
  if (!alerts) return null;
  const { queue, error, live, refresh } = alerts;
  return (
    <Flex vertical gap={12} data-testid="field-alerts">
      <Flex justify="space-between" align="center">
        <Button
          type="text"
          icon={<LeftOutlined />}
          style={{ fontSize: FIELD_FONT.body, minHeight: 48 }}
          onClick={() => navigate(FIELD_APP_PATH)}
        >
          返回
        </Button>
        <Button icon={<ReloadOutlined />} style={{ minHeight: 48 }} onClick={refresh}>
          刷新
        </Button>
      </Flex>
      <Typography.Title level={3} style={{ margin: 0, fontSize: FIELD_FONT.title }}>
        提醒{queue ? ` ${queue.total} 条` : ''}
      </Typography.Title>
      <Typography.Text type="secondary" style={{ fontSize: 15 }}>
        {live ? '实时更新中' : '实时连接中断，每分钟刷新一次'}
      </Typography.Text>
      {error && <Alert type="error" showIcon title={error} />}
      {!queue ? (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin size="large" />
        </Flex>
      ) : queue.items.length === 0 ? (
        <Card>
          <Empty description={<span style={{ fontSize: FIELD_FONT.body }}>暂无提醒</span>} />
        </Card>
      ) : (
        queue.items.map((item) => <ItemCard key={item.key} item={item} />)
      )}
    </Flex>
  );
}
