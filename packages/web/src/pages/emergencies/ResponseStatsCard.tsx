import { addDays, durationText, localDateOf, type ResponseTimeStats } from '@tanfang/domain';
import {
  Alert,
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Row,
  Segmented,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useLoad } from '../worklist/useLoad';
import { emergenciesApi } from './emergenciesApi';

/** The periods offered: the last 30 and 90 days, this year. */
const PERIODS = { d30: '近 30 天', d90: '近 90 天', year: '本年' } as const;
type Period = keyof typeof PERIODS;

function range(period: Period): { from: string; to: string } {
  const to = localDateOf(Date.now());
  if (period === 'year') return { from: `${to.slice(0, 4)}-01-01`, to };
  return { from: addDays(to, period === 'd30' ? -29 : -89), to };
}

const time = (s: number | null) => (s === null ? '—' : durationText(s));

/**
 * The response time as a bar against the 30-minute default response deadline: green within it,
 * red past it.
 */
function ResponseBar({ seconds }: { seconds: number | null }) {
  if (seconds === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const percent = Math.min(100, Math.round((seconds / 1800) * 100));
  return (
    <Flex align="center" gap={8}>
      <Progress
        percent={percent}
        showInfo={false}
        size="small"
        status={seconds > 1800 ? 'exception' : 'success'}
        style={{ width: 120, margin: 0 }}
      />
      <span>{durationText(seconds)}</span>
    </Flex>
  );
}

/**
 * 响应时间统计: how fast emergencies were acknowledged in a region over a period — count, median,
 * 90th percentile, still waiting, escalated — and per region within it.
 */
export function ResponseStatsCard({
  region,
  version = 0,
}: {
  region: string | undefined;
  /** Changes when the list changed (a new emergency, a response): read again. */
  version?: number;
}) {
  const [period, setPeriod] = useState<Period>('d90');
  const { from, to } = range(period);
  const loaded = useLoad(`${region ?? ''}|${from}|${to}|${version}`, () =>
    emergenciesApi.summary({ region, from, to }),
  )!;

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 3 }} />;
  else if (loaded.state === 'error')
    body = (
      <Alert type="error" showIcon title="响应时间统计加载失败" description={loaded.message} />
    );
  else {
    const s = loaded.data;
    const stat = (title: string, value: string | number, danger?: boolean) => (
      <Col xs={12} sm={8} md={4}>
        <Statistic
          title={title}
          value={value}
          styles={danger ? { content: { color: '#cf1322' } } : undefined}
        />
      </Col>
    );
    body =
      s.total.count === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="这段时间辖区内没有紧急情况" />
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={[16, 16]} data-testid="response-stats">
            {stat('紧急情况', s.total.count)}
            {stat('已响应', s.total.acknowledged)}
            {stat('响应时间中位数', time(s.total.medianSeconds))}
            {stat('90% 在此时间内响应', time(s.total.p90Seconds))}
            {stat('尚未响应', s.total.unacknowledged, s.total.unacknowledged > 0)}
            {stat('曾逐级升级', s.total.escalated, s.total.escalated > 0)}
          </Row>
          {s.byRegion.length > 0 && (
            <Table<ResponseTimeStats & { region: { code: string; name: string } }>
              size="small"
              rowKey={(r) => r.region.code}
              pagination={false}
              dataSource={s.byRegion}
              scroll={{ x: 640 }}
              columns={[
                { title: '区域', render: (_, r) => r.region.name },
                { title: '紧急情况', dataIndex: 'count', width: 90 },
                {
                  title: '响应时间中位数',
                  render: (_, r) => <ResponseBar seconds={r.medianSeconds} />,
                },
                { title: '90 分位', render: (_, r) => <ResponseBar seconds={r.p90Seconds} /> },
                {
                  title: '尚未响应',
                  dataIndex: 'unacknowledged',
                  width: 90,
                  render: (n: number) =>
                    n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n,
                },
                { title: '曾升级', dataIndex: 'escalated', width: 80 },
              ]}
            />
          )}
        </Flex>
      );
  }
  return (
    <Card
      title="响应时间统计"
      extra={
        <Segmented<Period>
          value={period}
          onChange={setPeriod}
          options={(Object.keys(PERIODS) as Period[]).map((value) => ({
            value,
            label: PERIODS[value],
          }))}
        />
      }
      data-testid="response-stats-card"
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        响应时间 = 首次响应时间 − 上报时间。条形以 30 分钟（默认响应期限）为满格，超出标红。
      </Typography.Paragraph>
      {body}
    </Card>
  );
}
