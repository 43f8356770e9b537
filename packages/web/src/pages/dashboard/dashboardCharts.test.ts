import type { RateTrendDto, VisitRateCell, VisitRateDto } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { coverageRows, durationText, trendOption } from './dashboardCharts';

const cell = (due: number, visited: number): VisitRateCell => ({
  due,
  onTime: visited,
  late: 0,
  notVisited: due - visited,
  overdue: due - visited,
  open: 0,
  exempt: 0,
  rate: due > 0 ? visited / due : null,
});
const region = (code: string, name: string) => ({ code, name, fullName: name });

describe('the dashboard’s charts', () => {
  it('sums the coverage of each category over the child regions, leaving out those with none due', () => {
    const dto = {
      rows: [
        { region: region('1', '东岔村'), dimension: 'all', cell: cell(10, 5) },
        { region: region('1', '东岔村'), dimension: 'category:living_alone', cell: cell(4, 3) },
        { region: region('2', '土门岭村'), dimension: 'category:living_alone', cell: cell(4, 1) },
        { region: region('2', '土门岭村'), dimension: 'category:very_old', cell: cell(0, 0) },
      ],
    } as unknown as VisitRateDto;
    expect(coverageRows(dto)).toEqual([
      { category: 'living_alone', label: '独居', due: 8, visited: 4, rate: 0.5 },
    ]);
  });

  it('draws the region’s line with the target, and its children’s on a wide screen only', () => {
    const t: RateTrendDto = {
      region: region('210624101', '灌水镇'),
      months: [
        { key: '2026-11', label: '2026年11月' },
        { key: '2026-12', label: '2026年12月' },
      ],
      target: { rate: 1, basis: '丹东' },
      total: [cell(0, 0), cell(8, 6)],
      series: [{ region: region('210624101201', '东岔村委会'), cells: [cell(0, 0), cell(4, 4)] }],
      pending: [],
      asOf: '',
    };
    const wide = trendOption(t, false) as { series: { name: string; data: unknown[] }[] };
    expect(wide.series.map((s) => s.name)).toEqual(['灌水镇（合计）', '东岔村委会']);
    expect(wide.series[0]!.data).toEqual([null, 75]);
    expect(JSON.stringify(wide.series[0])).toContain('目标 100%');
    const narrow = trendOption(t, true) as { series: unknown[] };
    expect(narrow.series).toHaveLength(1);
  });

  it('says response times in minutes, or hours from 90 minutes on', () => {
    expect(durationText(600)).toBe('10 分钟');
    expect(durationText(2 * 3600)).toBe('2 小时');
    expect(durationText(null)).toBe('—');
  });
});
