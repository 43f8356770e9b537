import { ReloadOutlined } from '@ant-design/icons';
import { lastMonths, percentText, type RateTrendDto } from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Grid,
  Progress,
  Row,
  Segmented,
  Skeleton,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad, type Loaded } from '../worklist/useLoad';
import { Chart, loadCharts } from './Chart';
import {
  MAX_TREND_SERIES,
  campaignsOption,
  coverageOption,
  coverageRows,
  durationText,
  emergenciesOption,
  findingsOption,
  needsOption,
  trendOption,
} from './dashboardCharts';
import {
  dashboardApi,
  prefetchDashboard,
  thisMonth as currentMonth,
  trendMonths,
} from './dashboardApi';

// Runs when this page's code is first evaluated — early, when the console was opened here.
prefetchDashboard();

/** The charts whose first drawing the page waits for before marking itself rendered. */
const CHARTS = ['trend', 'coverage', 'findings', 'emergencies', 'needs', 'campaigns'] as const;
type ChartKey = (typeof CHARTS)[number];

/** The mark the benchmark reads: every chart drawn (or its empty state shown). */
export const RENDERED_MARK = 'dashboard:charts-rendered';

/** Marks the page rendered once every chart has drawn (or shown it has nothing to draw). */
function useRenderedMark(key: string) {
  const done = useRef(new Set<ChartKey>());
  const [all, setAll] = useState(false);
  useEffect(() => {
    done.current = new Set();
    setAll(false);
  }, [key]);
  const report = useCallback((chart: ChartKey) => {
    if (done.current.has(chart)) return;
    done.current.add(chart);
    if (done.current.size === CHARTS.length) {
      if (!performance.getEntriesByName(RENDERED_MARK).length) performance.mark(RENDERED_MARK);
      setAll(true);
    }
  }, []);
  return { report, all };
}

/** A KPI tile. */
function Tile({
  label,
  value,
  hint,
  testId,
  danger,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  testId: string;
  danger?: boolean;
}) {
  return (
    <div
      data-testid={testId}
      style={{
        background: '#fff',
        border: '1px solid #f0f0f0',
        borderRadius: 8,
        padding: '10px 12px',
        height: '100%',
      }}
    >
      <div style={{ fontSize: 13, color: '#595959', whiteSpace: 'nowrap' }}>{label}</div>
      <div
        data-testid={`${testId}-value`}
        style={{ fontSize: 24, fontWeight: 600, color: danger ? '#cf1322' : '#1f1f1f' }}
      >
        {value}
      </div>
      {hint && <div style={{ fontSize: 12, color: '#8c8c8c' }}>{hint}</div>}
    </div>
  );
}

/** A chart's card: its title, a skeleton while loading, the server's message on failure. */
function ChartCard<T>({
  title,
  extra,
  loaded,
  testId,
  children,
}: {
  title: string;
  extra?: ReactNode;
  loaded: Loaded<T>;
  testId: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <Card
      title={title}
      extra={extra}
      data-testid={testId}
      size="small"
      style={{ height: '100%' }}
      styles={{ body: { padding: 12 } }}
    >
      {loaded.state === 'loading' && <Skeleton active paragraph={{ rows: 5 }} />}
      {loaded.state === 'error' && <Alert type="error" showIcon title={loaded.message} />}
      {loaded.state === 'ok' && children(loaded.data)}
    </Card>
  );
}

/** This month's rate of each child region, lowest first (a phone's stand-in for their lines). */
function ChildRates({ trend }: { trend: RateTrendDto }) {
  const rows = trend.series
    .map((s) => ({ region: s.region, cell: s.cells.at(-1)! }))
    .filter((r) => r.cell.due > 0)
    .sort((a, b) => (a.cell.rate ?? 0) - (b.cell.rate ?? 0));
  if (rows.length === 0) return null;
  return (
    <Flex vertical gap={4} data-testid="child-rates" style={{ marginTop: 8 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        本月各下级区域探访率（由低到高）
      </Typography.Text>
      {rows.map((r) => (
        <Flex key={r.region.code} align="center" gap={8}>
          <Typography.Text ellipsis style={{ width: 112, flex: 'none' }}>
            {r.region.name}
          </Typography.Text>
          <Progress
            percent={Math.round((r.cell.rate ?? 0) * 1000) / 10}
            size="small"
            style={{ flex: 1, margin: 0 }}
            format={(p) => `${p}%`}
          />
        </Flex>
      ))}
    </Flex>
  );
}

/** An empty chart: says so, and counts as drawn. */
function Nothing({ text, onShown }: { text: string; onShown: () => void }) {
  useEffect(onShown, [onShown]);
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}

/**
 * `/dashboard` (数据看板): the visit rate month by month, coverage of key groups, findings,
 * emergencies' response times, the needs raised and referred, and the campaigns in force — for
 * the user's jurisdiction or a region within it. The grid stacks on a phone; charts follow the
 * width of their card.
 */
export default function DashboardPage() {
  const me = useCurrentUser();
  const { get, update } = useQueryState();
  // Before antd has measured the screen, the media query decides (as the prefetch did).
  const md = Grid.useBreakpoint().md;
  const narrow = md === undefined ? !window.matchMedia('(min-width: 768px)').matches : !md;
  const [reloadKey, setReloadKey] = useState(0);
  // The region of the address; none for the jurisdiction (the server's default).
  const region = get('region');
  const canPick = me.jurisdiction.code.length < 12;
  const [thisMonth, lastMonth] = useMemo(() => {
    const now = currentMonth();
    return [now, lastMonths(`${now}-01`, 2)[0]!];
  }, []);
  const [coverageMonth, setCoverageMonth] = useState<string>(thisMonth);

  const key = `${region ?? ''}|${reloadKey}`;
  const { report, all } = useRenderedMark(key);
  // A phone shows half a year: twelve points crowd a 390-pixel chart.
  const months = trendMonths(narrow);
  const trend = useLoad(`${key}|${months}`, () => dashboardApi.rateTrend(region, months))!;
  const coverage = useLoad(`${key}|${coverageMonth}`, () =>
    dashboardApi.rateByCategory(region, coverageMonth),
  )!;
  const findings = useLoad(key, () => dashboardApi.findings(region))!;
  const emergencies = useLoad(key, () => dashboardApi.emergencies(region))!;
  const needs = useLoad(key, () => dashboardApi.needs(region))!;
  const campaigns = useLoad(key, () => dashboardApi.campaigns(region))!;
  // ECharts is fetched and parsed once the figures are asked for, while the server works.
  useEffect(() => {
    void loadCharts();
  }, []);
  const drawn = useMemo(
    () =>
      Object.fromEntries(CHARTS.map((c) => [c, () => report(c)])) as Record<ChartKey, () => void>,
    [report],
  );
  const h = narrow ? 240 : 300;

  const trendOpt = useMemo(
    () => (trend.state === 'ok' ? trendOption(trend.data, narrow) : null),
    [trend, narrow],
  );
  const coverageData = useMemo(
    () => (coverage.state === 'ok' ? coverageRows(coverage.data) : null),
    [coverage],
  );
  const coverageOpt = useMemo(
    () => (coverageData ? coverageOption(coverageData) : null),
    [coverageData],
  );
  const findingsOpt = useMemo(
    () => (findings.state === 'ok' ? findingsOption(findings.data, narrow) : null),
    [findings, narrow],
  );
  const emergenciesOpt = useMemo(
    () => (emergencies.state === 'ok' ? emergenciesOption(emergencies.data) : null),
    [emergencies],
  );
  const needsOpt = useMemo(() => (needs.state === 'ok' ? needsOption(needs.data) : null), [needs]);
  const campaignsOpt = useMemo(
    () => (campaigns.state === 'ok' ? campaignsOption(campaigns.data.campaigns) : null),
    [campaigns],
  );

  const current = trend.state === 'ok' ? trend.data.total.at(-1)! : null;
  const previous = trend.state === 'ok' ? trend.data.total.at(-2)! : null;
  const period =
    findings.state === 'ok' ? `${findings.data.from} 至 ${findings.data.to}` : '近 12 个月';

  return (
    <Flex vertical gap={12} data-testid="dashboard" data-charts-rendered={all ? 'true' : 'false'}>
      <Card
        size="small"
        title="数据看板"
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setReloadKey((k) => k + 1)}
            data-testid="dashboard-reload"
          >
            刷新
          </Button>
        }
      >
        <Flex wrap gap={8} align="center">
          <Typography.Text data-testid="dashboard-region">
            {trend.state === 'ok' ? trend.data.region.fullName : me.jurisdiction.fullName}
          </Typography.Text>
          {canPick && (
            <RegionPicker
              value={get('region')}
              onChange={(code) => update({ region: code })}
              placeholder="选择下级区域"
              style={{ width: narrow ? '100%' : 320 }}
            />
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            问题、紧急情况、需求统计期间：{period}
          </Typography.Text>
        </Flex>
      </Card>

      <Row gutter={[12, 12]} data-testid="dashboard-kpis">
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-rate"
            label="本月探访率（截至今日）"
            value={current ? percentText(current.rate) : '…'}
            hint={current ? `已访 ${current.onTime + current.late} / 应访 ${current.due}` : null}
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-last-rate"
            label="上月探访率"
            value={previous ? percentText(previous.rate) : '…'}
            danger={previous?.rate !== null && previous !== null && previous.rate < 1}
            hint={previous ? `逾期未访 ${previous.overdue}` : null}
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-findings"
            label="发现问题"
            value={findings.state === 'ok' ? findings.data.total : '…'}
            hint={findings.state === 'ok' ? `逾期未办 ${findings.data.overdue}` : null}
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-emergencies"
            label="紧急情况"
            value={emergencies.state === 'ok' ? emergencies.data.count : '…'}
            hint={
              emergencies.state === 'ok'
                ? `响应中位数 ${durationText(emergencies.data.medianSeconds)}`
                : null
            }
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-within-deadline"
            label="按期响应率"
            value={
              emergencies.state === 'ok' ? percentText(emergencies.data.withinDeadlineShare) : '…'
            }
            hint={
              emergencies.state === 'ok'
                ? `按期 ${emergencies.data.withinDeadline} / ${emergencies.data.decided}`
                : null
            }
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="kpi-referrals"
            label="需求转介"
            value={needs.state === 'ok' ? needs.data.totalReferred : '…'}
            hint={needs.state === 'ok' ? `提出需求 ${needs.data.totalRaised}` : null}
          />
        </Col>
      </Row>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <ChartCard title="月探访率走势" loaded={trend} testId="card-trend">
            {(t) => (
              <>
                <Chart
                  option={trendOpt!}
                  height={h}
                  label={`月探访率走势：${t.months.map((m, i) => `${m.label} ${percentText(t.total[i]!.rate)}`).join('，')}`}
                  testId="chart-trend"
                  onRendered={drawn.trend}
                />
                {t.pending.length > 0 && (
                  <Alert
                    type="info"
                    showIcon
                    data-testid="trend-pending"
                    title={`正在首次统计 ${t.pending.length} 个月份的探访率（范围大时首次统计需数分钟，之后即时），请稍后刷新。`}
                  />
                )}
                {narrow && t.series.length > 0 && <ChildRates trend={t} />}
                {!narrow && t.series.length > MAX_TREND_SERIES && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    下级区域较多，仅显示合计；选择下级区域可查看其走势。
                  </Typography.Text>
                )}
              </>
            )}
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard
            title="重点对象探访覆盖"
            loaded={coverage}
            testId="card-coverage"
            extra={
              <Segmented
                size="small"
                value={coverageMonth}
                onChange={(v) => setCoverageMonth(String(v))}
                options={[
                  { label: '本月', value: thisMonth },
                  { label: '上月', value: lastMonth },
                ]}
              />
            }
          >
            {() =>
              coverageData!.length === 0 ? (
                <Nothing text="本月没有应访的重点对象" onShown={drawn.coverage} />
              ) : (
                <Chart
                  option={coverageOpt!}
                  height={Math.max(h, coverageData!.length * 30 + 24)}
                  label={`重点对象探访率：${coverageData!.map((r) => `${r.label} ${percentText(r.rate)}`).join('，')}`}
                  testId="chart-coverage"
                  onRendered={drawn.coverage}
                />
              )
            }
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="发现问题（按类型和状态）" loaded={findings} testId="card-findings">
            {(b) =>
              b.total === 0 ? (
                <Nothing text="统计期间没有发现问题" onShown={drawn.findings} />
              ) : (
                <Chart
                  option={findingsOpt!}
                  height={h}
                  label={`发现问题：${b.byType.map((t) => `${t.label} ${t.total} 件`).join('，')}`}
                  testId="chart-findings"
                  onRendered={drawn.findings}
                />
              )
            }
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="紧急情况与响应时间" loaded={emergencies} testId="card-emergencies">
            {(e) => (
              <>
                <Flex wrap gap={16} style={{ marginBottom: 4 }} data-testid="emergency-stats">
                  <Typography.Text>
                    中位数 <b data-testid="emergency-median">{durationText(e.medianSeconds)}</b>
                  </Typography.Text>
                  <Typography.Text>
                    90 分位 <b data-testid="emergency-p90">{durationText(e.p90Seconds)}</b>
                  </Typography.Text>
                  <Typography.Text>
                    按期响应{' '}
                    <b data-testid="emergency-share">{percentText(e.withinDeadlineShare)}</b>
                  </Typography.Text>
                </Flex>
                {e.count === 0 ? (
                  <Nothing text="统计期间没有紧急情况" onShown={drawn.emergencies} />
                ) : (
                  <Chart
                    option={emergenciesOpt!}
                    height={h - 24}
                    label={`紧急情况 ${e.count} 起，响应时间中位数 ${durationText(e.medianSeconds)}`}
                    testId="chart-emergencies"
                    onRendered={drawn.emergencies}
                  />
                )}
              </>
            )}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="服务需求分布" loaded={needs} testId="card-needs">
            {(n) =>
              n.totalRaised + n.totalReferred === 0 ? (
                <Nothing text="统计期间没有提出服务需求" onShown={drawn.needs} />
              ) : (
                <Chart
                  option={needsOpt!}
                  height={h}
                  label={`服务需求：${n.kinds.map((k) => `${k.label} 提出 ${k.raised}、转介 ${k.referred}`).join('，')}`}
                  testId="chart-needs"
                  onRendered={drawn.needs}
                />
              )
            }
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title="专项探访进度" loaded={campaigns} testId="card-campaigns">
            {(c) =>
              c.campaigns.length === 0 ? (
                <Nothing text="暂无进行中的专项探访" onShown={drawn.campaigns} />
              ) : (
                <>
                  <Chart
                    option={campaignsOpt!}
                    height={Math.max(160, c.campaigns.length * 48 + 56)}
                    label={`专项探访：${c.campaigns.map((x) => `${x.name} 已访 ${x.done} / 应访 ${x.due}`).join('，')}`}
                    testId="chart-campaigns"
                    onRendered={drawn.campaigns}
                  />
                  {c.campaigns.map((x) => (
                    <Typography.Paragraph
                      key={x.id}
                      type="secondary"
                      style={{ fontSize: 12, marginBottom: 0 }}
                      data-testid="campaign-progress"
                    >
                      {x.name}（{x.region.name}，{x.kindLabel}，{x.withinLabel}）：{x.elders}{' '}
                      位对象，已访 {x.done} / 应访 {x.due}，完成率 {percentText(x.rate)}
                    </Typography.Paragraph>
                  ))}
                </>
              )
            }
          </ChartCard>
        </Col>
      </Row>
    </Flex>
  );
}
