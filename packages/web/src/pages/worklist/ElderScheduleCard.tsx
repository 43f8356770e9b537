import {
  OBLIGATION_STATUS_LABELS,
  VISIT_METHOD_LABELS,
  cadenceLabel,
  todayIso,
  type ObligationDto,
  type ObligationStatus,
} from '@tanfang/domain';
import { Alert, Card, Flex, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useLoad } from './useLoad';
import { worklistApi } from './worklistApi';
import { clockTime, deadlineOf, localDate, monthDay } from './worklistText';

/** Tag colours of obligation states: 待探访 blue, 已探访 green, 逾期未访 red, others plain. */
export const OBLIGATION_STATUS_COLORS: Record<ObligationStatus, string | undefined> = {
  upcoming: undefined,
  due: 'processing',
  done: 'success',
  overdue: 'error',
  exempt: undefined,
};

function deadline(o: ObligationDto, today: string): string {
  const { date, time } = deadlineOf(o.dueBy);
  return `${monthDay(date, today)}${time ? ` ${time}` : ''}`;
}

// Three columns, so the table fits the record page's side column: the deadline goes under the
// period, the method under the visit's date.
function columns(today: string): TableColumnsType<ObligationDto> {
  return [
    {
      title: '周期 / 截止',
      key: 'period',
      render: (_: unknown, o) => (
        <Flex vertical gap={2}>
          <Space size={4} wrap>
            <span style={o.campaign ? undefined : { whiteSpace: 'nowrap' }}>{o.periodLabel}</span>
            {o.kind === 'in_person' && <Tag style={{ marginInlineEnd: 0 }}>上门</Tag>}
            {o.kind === 'campaign' && (
              <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                专项
              </Tag>
            )}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            截止 {deadline(o, today)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '状态',
      key: 'status',
      width: 86,
      render: (_: unknown, o) => (
        <Tag color={OBLIGATION_STATUS_COLORS[o.status]} style={{ marginInlineEnd: 0 }}>
          {OBLIGATION_STATUS_LABELS[o.status]}
        </Tag>
      ),
    },
    {
      title: '探访时间 / 方式',
      key: 'visit',
      width: 132,
      render: (_: unknown, o) =>
        o.visit ? (
          <Flex vertical gap={2}>
            <Space size={4} wrap>
              <span>
                {monthDay(localDate(o.visit.visitedAt), today)} {clockTime(o.visit.visitedAt)}
              </span>
              {o.visit.late && (
                <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                  补录
                </Tag>
              )}
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {VISIT_METHOD_LABELS[o.visit.method]}
            </Typography.Text>
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];
}

/** 探访计划 of an elder: the policy in force and the obligations of recent months. */
export function ElderScheduleCard({ elderId }: { elderId: string }) {
  const loaded = useLoad(elderId, () => worklistApi.elderSchedule(elderId))!;
  const today = todayIso();
  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 4 }} />;
  else if (loaded.state === 'error') body = <Alert type="error" showIcon title={loaded.message} />;
  else {
    const { policy, obligations } = loaded.data;
    body = (
      <Flex vertical gap={10}>
        {policy ? (
          <Space size={8} wrap data-testid="elder-schedule-policy">
            <Typography.Text type="secondary">适用规则</Typography.Text>
            <Typography.Text strong>{policy.name}</Typography.Text>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {cadenceLabel(policy.cadence)}
            </Tag>
          </Space>
        ) : (
          <Alert
            type="warning"
            showIcon
            title="所在地区尚未设置适用于这位老人的探访规则，不产生定期探访任务。"
          />
        )}
        <Table<ObligationDto>
          size="small"
          rowKey="key"
          columns={columns(today)}
          dataSource={obligations}
          pagination={obligations.length > 8 ? { pageSize: 8, size: 'small' } : false}
          locale={{ emptyText: '近期没有应访记录' }}
        />
      </Flex>
    );
  }
  return (
    <Card size="small" title="探访计划" data-testid="elder-schedule">
      {body}
    </Card>
  );
}
