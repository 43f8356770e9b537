import {
  startOfLocalDate,
  todayIso,
  type RegionRef,
  type ScheduleSummaryDto,
  type ScheduleTallyDto,
} from '@tanfang/domain';
import { Alert, Card, DatePicker, Empty, Flex, Progress, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { isWorklistRegion } from './permissions';
import { rateText } from './worklistText';
import { useLoad } from './useLoad';
import { worklistApi } from './worklistApi';

interface Row {
  key: string;
  region: RegionRef | null;
  tally: ScheduleTallyDto;
}

/** The counts of a tally, in the order and words of the 月探访率 report. */
const COUNTS: Array<{ key: keyof ScheduleTallyDto; label: string; hint: string }> = [
  { key: 'elders', label: '在册', hint: '本期有应访任务的在册老年人' },
  { key: 'due', label: '应访', hint: '截止日在本期内的应访次数' },
  { key: 'done', label: '按时已访', hint: '按时探访并及时录入' },
  { key: 'late', label: '补录已访', hint: '已探访，但超过录入期限补录' },
  { key: 'overdue', label: '逾期未访', hint: '截止日已过仍未探访' },
  { key: 'open', label: '进行中', hint: '尚未到截止日，仍可探访' },
];

/** 探访率 with a bar; red when below 100% once the period has ended. */
function RateCell({ rate, ended }: { rate: number | null; ended: boolean }) {
  if (rate === null) return <Typography.Text type="secondary">—（无应访）</Typography.Text>;
  const short = ended && rate < 1;
  return (
    <Flex align="center" gap={8} style={{ minWidth: 150 }}>
      <Progress
        percent={rate * 100}
        showInfo={false}
        size="small"
        strokeColor={short ? '#cf1322' : rate >= 1 ? '#389e0d' : '#1677ff'}
        style={{ flex: 1, margin: 0 }}
        aria-label={`探访率 ${rateText(rate)}`}
      />
      <Typography.Text
        strong
        type={short ? 'danger' : undefined}
        style={{ minWidth: 52, textAlign: 'right' }}
        data-testid="rate"
      >
        {rateText(rate)}
      </Typography.Text>
    </Flex>
  );
}

/** A row's region name; a township or village opens its lists when `onPick` is given. */
function RegionCell({ row, onPick }: { row: Row; onPick: ((code: string) => void) | undefined }) {
  if (!row.region) return <Typography.Text strong>合计</Typography.Text>;
  const { code, name } = row.region;
  if (!onPick || !isWorklistRegion(code)) return <>{name}</>;
  return (
    <Typography.Link onClick={() => onPick(code)} title={`查看${name}的探访任务`}>
      {name}
    </Typography.Link>
  );
}

/** One region's tally as a block, for a phone. */
function SummaryBlock({
  row,
  ended,
  bold,
  onPick,
}: {
  row: Row;
  ended: boolean;
  bold?: boolean;
  onPick: ((code: string) => void) | undefined;
}) {
  const t = row.tally;
  return (
    <div
      data-testid="summary-row"
      style={{
        padding: '10px 0',
        borderTop: '1px solid #f0f0f0',
        background: bold ? '#fafafa' : undefined,
      }}
    >
      <Flex align="baseline" gap={8}>
        <div style={{ fontSize: 16, fontWeight: 600, flex: 1, minWidth: 0 }}>
          <RegionCell row={row} onPick={onPick} />
        </div>
        <Typography.Text type="secondary">探访率</Typography.Text>
      </Flex>
      <RateCell rate={t.rate} ended={ended} />
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(3, 1fr)',
          gap: '2px 8px',
          fontSize: 14,
          marginTop: 4,
        }}
      >
        {COUNTS.map((c) => (
          <span key={c.key}>
            <Typography.Text type="secondary">{c.label} </Typography.Text>
            <Typography.Text
              strong
              type={c.key === 'overdue' && t.overdue > 0 ? 'danger' : undefined}
            >
              {t[c.key]}
            </Typography.Text>
          </span>
        ))}
      </div>
    </div>
  );
}

function columns(
  ended: boolean,
  onPick: ((code: string) => void) | undefined,
): TableColumnsType<Row> {
  return [
    {
      title: '区域',
      key: 'region',
      width: 170,
      fixed: 'left',
      render: (_: unknown, row) => <RegionCell row={row} onPick={onPick} />,
    },
    ...COUNTS.map((c) => ({
      title: <span title={c.hint}>{c.label}</span>,
      key: c.key,
      width: 84,
      align: 'right' as const,
      render: (_: unknown, row: Row) => {
        const n = row.tally[c.key] as number;
        return c.key === 'overdue' && n > 0 ? (
          <Typography.Text type="danger">{n}</Typography.Text>
        ) : (
          n
        );
      },
    })),
    {
      title: '探访率',
      key: 'rate',
      width: 220,
      render: (_: unknown, row) => <RateCell rate={row.tally.rate} ended={ended} />,
    },
  ];
}

/**
 * 本月探访情况: for a region and a month, the regular visits due per child region — on time,
 * entered late, overdue, still open — and the visit rate.
 */
export function SummaryCard({
  region,
  period,
  onPeriodChange,
  onPick,
  wide,
  reloadKey,
}: {
  region: string | undefined;
  /** YYYY-MM; the current month when absent. */
  period: string | undefined;
  onPeriodChange: (period: string | undefined) => void;
  /** Opens a child region's lists (roles that read them). */
  onPick?: (code: string) => void;
  wide: boolean;
  reloadKey: number;
}) {
  const loaded = useLoad(`${region ?? ''}|${period ?? ''}|${reloadKey}`, () =>
    worklistApi.scheduleSummary(region, period),
  )!;
  const thisMonth = todayIso().slice(0, 7);

  const picker = (
    <DatePicker
      picker="month"
      allowClear={false}
      value={dayjs(`${period ?? thisMonth}-01`)}
      disabledDate={(d) => d.format('YYYY-MM') > thisMonth}
      onChange={(d) => {
        if (!d) return;
        const key = d.format('YYYY-MM');
        onPeriodChange(key === thisMonth ? undefined : key);
      }}
      aria-label="统计月份"
      style={{ width: 130 }}
      data-testid="summary-month"
    />
  );

  let body;
  let title = '探访情况';
  if (loaded.state === 'loading') {
    body = <Skeleton active paragraph={{ rows: 5 }} />;
  } else if (loaded.state === 'error') {
    body = <Alert type="error" showIcon title={loaded.message} data-testid="summary-error" />;
  } else {
    const data: ScheduleSummaryDto = loaded.data;
    title = `${data.period.label}探访情况`;
    const ended = Date.parse(data.asOf) >= startOfLocalDate(data.period.end);
    const rows: Row[] = data.children.map((c) => ({
      key: c.region.code,
      region: c.region,
      tally: c.tally,
    }));
    const total: Row = { key: 'total', region: null, tally: data.total };
    body =
      rows.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={`${data.region.name}${data.period.label}没有应访的老年人（未设置探访规则或没有在册老年人）。`}
        />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">
            {data.region.fullName}：应访 {data.total.due} 次，按时已访 {data.total.done}{' '}
            次，补录已访 {data.total.late} 次，逾期未访 {data.total.overdue} 次
            {ended ? '。' : '；本月尚未结束，进行中的仍可探访。'}
          </Typography.Text>
          {wide ? (
            <Table<Row>
              size="small"
              rowKey="key"
              columns={columns(ended, onPick)}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 900 }}
              data-testid="summary-table"
              summary={() =>
                rows.length > 1 ? (
                  <Table.Summary fixed>
                    <Table.Summary.Row style={{ background: '#fafafa' }}>
                      <Table.Summary.Cell index={0}>
                        <Typography.Text strong>合计</Typography.Text>
                      </Table.Summary.Cell>
                      {COUNTS.map((c, i) => (
                        <Table.Summary.Cell key={c.key} index={i + 1} align="right">
                          <Typography.Text strong>{total.tally[c.key]}</Typography.Text>
                        </Table.Summary.Cell>
                      ))}
                      <Table.Summary.Cell index={COUNTS.length + 1}>
                        <RateCell rate={total.tally.rate} ended={ended} />
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  </Table.Summary>
                ) : undefined
              }
            />
          ) : (
            <div data-testid="summary-table">
              {rows.map((row) => (
                <SummaryBlock key={row.key} row={row} ended={ended} onPick={onPick} />
              ))}
              {rows.length > 1 && (
                <SummaryBlock row={total} ended={ended} bold onPick={undefined} />
              )}
            </div>
          )}
        </Flex>
      );
  }

  return (
    <Card
      title={title}
      extra={picker}
      data-testid="summary"
      styles={wide ? undefined : { body: { padding: 12 } }}
    >
      {body}
    </Card>
  );
}
