/**
 * The options of the dashboard's charts, built from the API's figures (pure: no React, no DOM),
 * so what each chart shows can be checked without a browser.
 */
import {
  CATEGORY_LABELS,
  FINDING_STATUS_LABELS,
  type CampaignProgressDto,
  type Category,
  type EmergencyStatsDto,
  type FindingStatus,
  type FindingsBreakdownDto,
  type NeedsDistributionDto,
  type RateTrendDto,
  type VisitRateDto,
} from '@tanfang/domain';
import type { ChartOption } from './echarts';

/** The palette: antd's blue, green, gold, red, purple, cyan, magenta, lime. */
export const PALETTE = [
  '#1677ff',
  '#52c41a',
  '#faad14',
  '#f5222d',
  '#722ed1',
  '#13c2c2',
  '#eb2f96',
  '#a0d911',
  '#fa8c16',
  '#2f54eb',
];

/** More child regions than this and the trend shows the region's own line only. */
export const MAX_TREND_SERIES = 10;

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
const shortMonth = (key: string) => `${Number(key.slice(5))}月`;

/** 月探访率走势: the region's line (bold) and each child region's, with the rule's target. */
export function trendOption(t: RateTrendDto, narrow: boolean): ChartOption {
  // A phone shows the region's own line; its children are listed under the chart instead.
  const children = !narrow && t.series.length <= MAX_TREND_SERIES ? t.series : [];
  const target = t.target ? pct(t.target.rate) : null;
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '无应访'),
    },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 8, right: narrow ? 12 : 24, top: 28, bottom: 36, containLabel: true },
    xAxis: {
      type: 'category',
      data: t.months.map((m) => shortMonth(m.key)),
      boundaryGap: false,
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: `${t.region.name}（合计）`,
        type: 'line',
        data: t.total.map((c) => pct(c.rate)),
        lineStyle: { width: 3 },
        symbolSize: 7,
        z: 3,
        ...(target !== null
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { type: 'dashed', color: '#cf1322' },
                label: { formatter: `目标 ${target}%`, position: 'insideEndTop', color: '#cf1322' },
                data: [{ yAxis: target }],
              },
            }
          : {}),
      },
      ...children.map((s) => ({
        name: s.region.name,
        type: 'line',
        data: s.cells.map((c) => pct(c.rate)),
        symbolSize: 5,
        lineStyle: { width: 1.5 },
      })),
    ],
  };
}

/** Due and visited per category of a month, summed over the child regions of `by=category`. */
export function coverageRows(
  dto: VisitRateDto,
): { category: Category; label: string; due: number; visited: number; rate: number | null }[] {
  const sums = new Map<Category, { due: number; visited: number }>();
  for (const row of dto.rows) {
    if (!row.dimension.startsWith('category:')) continue;
    const c = row.dimension.slice('category:'.length) as Category;
    const s = sums.get(c) ?? { due: 0, visited: 0 };
    s.due += row.cell.due;
    s.visited += row.cell.onTime + row.cell.late;
    sums.set(c, s);
  }
  return (Object.keys(CATEGORY_LABELS) as Category[])
    .filter((c) => (sums.get(c)?.due ?? 0) > 0)
    .map((c) => {
      const s = sums.get(c)!;
      return {
        category: c,
        label: CATEGORY_LABELS[c],
        due: s.due,
        visited: s.visited,
        rate: s.visited / s.due,
      };
    });
}

/** 重点对象覆盖: the rate of each category with elders due, as bars. */
export function coverageOption(rows: ReturnType<typeof coverageRows>): ChartOption {
  const ordered = [...rows].reverse();
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const p = (params as { dataIndex: number }[])[0]!;
        const r = ordered[p.dataIndex]!;
        return `${r.label}<br/>已访 ${r.visited} / 应访 ${r.due}（${pct(r.rate)}%）`;
      },
    },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: ordered.map((r) => r.label) },
    series: [
      {
        type: 'bar',
        data: ordered.map((r) => ({
          value: pct(r.rate),
          itemStyle: { color: (r.rate ?? 0) >= 1 ? '#52c41a' : '#1677ff' },
        })),
        barMaxWidth: 22,
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

const STATUS_COLORS: Record<FindingStatus, string> = {
  open: '#f5222d',
  in_progress: '#faad14',
  referred: '#722ed1',
  resolved: '#52c41a',
  closed: '#8c8c8c',
};

/** 发现问题: each type's findings stacked by status (the legend wraps on a phone). */
export function findingsOption(b: FindingsBreakdownDto, narrow = false): ChartOption {
  const types = [...b.byType].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, itemGap: narrow ? 8 : 10 },
    grid: { left: 8, right: 16, top: 8, bottom: narrow ? 56 : 32, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: types.map((t) => t.label) },
    series: (Object.keys(FINDING_STATUS_LABELS) as FindingStatus[]).map((s) => ({
      name: FINDING_STATUS_LABELS[s],
      type: 'bar',
      stack: 'status',
      barMaxWidth: 24,
      itemStyle: { color: STATUS_COLORS[s] },
      data: types.map((t) => t.byStatus[s] || null),
    })),
  };
}

/** 紧急情况: emergencies per month (bars) and the median response in minutes (line). */
export function emergenciesOption(e: EmergencyStatsDto): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 28, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: e.byMonth.map((m) => shortMonth(m.key)) },
    yAxis: [
      { type: 'value', name: '起', minInterval: 1 },
      { type: 'value', name: '分钟', splitLine: { show: false } },
    ],
    series: [
      {
        name: '紧急情况',
        type: 'bar',
        data: e.byMonth.map((m) => m.count),
        itemStyle: { color: '#f5222d' },
        barMaxWidth: 18,
      },
      {
        name: '响应时间中位数',
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        itemStyle: { color: '#1677ff' },
        data: e.byMonth.map((m) =>
          m.medianSeconds === null ? null : Math.round(m.medianSeconds / 6) / 10,
        ),
      },
    ],
  };
}

/** 服务需求: the needs raised beside the referrals made and completed, per kind of service. */
export function needsOption(n: NeedsDistributionDto): ChartOption {
  const kinds = [...n.kinds].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: kinds.map((k) => k.label) },
    series: [
      { name: '提出需求', key: 'raised', color: '#faad14' },
      { name: '已转介', key: 'referred', color: '#1677ff' },
      { name: '已完成服务', key: 'completed', color: '#52c41a' },
    ].map((s) => ({
      name: s.name,
      type: 'bar',
      barMaxWidth: 10,
      itemStyle: { color: s.color },
      data: kinds.map((k) => k[s.key as 'raised' | 'referred' | 'completed']),
    })),
  };
}

/** 专项探访进度: each campaign's windows so far, stacked: visited, missed, open. */
export function campaignsOption(campaigns: CampaignProgressDto[]): ChartOption {
  const list = [...campaigns].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: list.map((c) => c.name),
      axisLabel: { width: 96, overflow: 'truncate' },
    },
    series: [
      { name: '已访', key: 'done', color: '#52c41a' },
      { name: '逾期未访', key: 'overdue', color: '#f5222d' },
      { name: '待访', key: 'open', color: '#91caff' },
    ].map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'windows',
      barMaxWidth: 24,
      itemStyle: { color: s.color },
      data: list.map((c) => c[s.key as 'done' | 'overdue' | 'open'] || null),
    })),
  };
}

/** Seconds as 分钟 (or 小时 from 90 minutes on). */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} 分钟`;
  return `${Math.round(seconds / 360) / 10} 小时`;
}
