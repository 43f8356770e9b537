import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useAlerts } from './AlertsContext';

/**
 * The bell in the header: how many alerts the user's queue holds, live; red when an emergency is
 * among them. Opens the queue (`to`: the console's 提醒 or the phone's).
 */
export function AlertBell({ to, light }: { to: string; light?: boolean }) {
  const alerts = useAlerts();
  const navigate = useNavigate();
  if (!alerts) return null;
  const { queue, live } = alerts;
  const total = queue?.total ?? 0;
  const urgent = (queue?.counts.emergency ?? 0) + (queue?.counts.emergency_escalated ?? 0);
  const label = queue ? `提醒 ${total} 条${urgent ? `，其中紧急情况 ${urgent} 条` : ''}` : '提醒';
  const bell = (
    <Badge
      count={total}
      overflowCount={99}
      color={urgent > 0 ? '#f5222d' : '#fa8c16'}
      offset={[-6, 6]}
      data-testid="alert-count"
      data-count={total}
    >
      <Button
        type="text"
        aria-label={label}
        data-testid="alert-bell"
        icon={<BellOutlined style={{ fontSize: 20, color: light ? '#fff' : undefined }} />}
        onClick={() => navigate(to)}
        style={{ width: 44, height: 44 }}
      />
    </Badge>
  );
  // On a phone a tooltip would stay over the page after the tap; the label is read out anyway.
  return light ? (
    bell
  ) : (
    <Tooltip title={`${label}${live ? '' : '（实时连接中断，每分钟刷新）'}`}>{bell}</Tooltip>
  );
}
