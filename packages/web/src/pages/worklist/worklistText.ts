/**
 * How worklist tasks and dates read in Chinese, shared by the field app and the console. Dates are
 * China time (UTC+8) through the domain's calendar helpers, like the server's periods, whatever the
 * phone's own time zone.
 */
import {
  CATEGORY_LABELS,
  HOUR_MS,
  VISIT_METHOD_LABELS,
  localDateOf,
  startOfLocalDate,
  type Category,
  type ObligationDto,
  type VisitMethod,
  type WorklistItemDto,
} from '@tanfang/domain';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 11月22日 (with the year when it is not `today`'s year). */
export function monthDay(date: string, today?: string): string {
  const md = `${+date.slice(5, 7)}月${+date.slice(8, 10)}日`;
  return today && today.slice(0, 4) !== date.slice(0, 4) ? `${date.slice(0, 4)}年${md}` : md;
}

/** 星期日 of a local date. */
export function weekday(date: string): string {
  return `星期${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!}`;
}

/** 11月22日 星期日. */
export function dateWithWeekday(date: string, today?: string): string {
  return `${monthDay(date, today)} ${weekday(date)}`;
}

/** HH:mm of an instant, China time. */
export function clockTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * HOUR_MS).toISOString().slice(11, 16);
}

/** The local date of an instant. */
export function localDate(iso: string): string {
  return localDateOf(Date.parse(iso));
}

/**
 * The last moment to visit, as people say it: a deadline at midnight is the day before
 * (dueBy is exclusive), any other deadline is its day and time.
 */
export function deadlineOf(dueBy: string): { date: string; time: string | null } {
  const ms = Date.parse(dueBy);
  const date = localDateOf(ms);
  if (startOfLocalDate(date) === ms) return { date: localDateOf(ms - 1), time: null };
  return { date, time: clockTime(dueBy) };
}

/** 截止 text of an obligation: 11月30日, 今天, 明天, or 12月5日 14:00. */
export function deadlineText(dueBy: string, today: string): string {
  const { date, time } = deadlineOf(dueBy);
  const day =
    date === today
      ? '今天'
      : localDateOf(startOfLocalDate(today) + 24 * HOUR_MS) === date
        ? '明天'
        : monthDay(date, today);
  return time ? `${day} ${time}` : day;
}

/** The current period's word by its key: 本月, 本周, 本季度, 本年, or 本期 (N-day windows). */
export function currentPeriodWord(periodKey: string): string {
  if (/^\d{4}-\d{2}$/.test(periodKey)) return '本月';
  if (/^\d{4}-W\d{2}$/.test(periodKey)) return '本周';
  if (/^\d{4}-Q\d$/.test(periodKey)) return '本季度';
  if (/^\d{4}$/.test(periodKey)) return '本年';
  return '本期';
}

/** What the visit must be: any counted method, or in person (the in-person rule). */
function visitWord(o: ObligationDto): string {
  return o.kind === 'in_person' ? '上门探访' : '探访';
}

/** A task line in two parts: what is asked, and when (kept on one line when shown). */
export interface TaskParts {
  what: string;
  when: string;
}

/**
 * The task of a worklist item: 2026年10月 未访 + 已逾期 22 天 · 本月探访 + 截止 11月30日 ·
 * 供暖季入户走访 第 1 轮 + 截止 12月5日.
 */
export function taskParts(item: WorklistItemDto, today: string): TaskParts {
  const o = item.obligation;
  switch (item.bucket) {
    case 'overdue': {
      const missed = o.kind === 'in_person' ? '未上门探访' : '未访';
      const days = item.daysOverdue ?? 0;
      return {
        what: `${o.periodLabel} ${missed}，`,
        when: days >= 1 ? `已逾期 ${days} 天` : `已逾期（${deadlineText(o.dueBy, today)}截止）`,
      };
    }
    case 'campaign':
      return { what: o.periodLabel, when: `截止 ${deadlineText(o.dueBy, today)}` };
    case 'today':
    case 'week':
    case 'later': {
      const what = `${currentPeriodWord(o.periodKey)}${visitWord(o)}`;
      const due = deadlineText(o.dueBy, today);
      if (due === '今天') return { what, when: '今天截止' };
      if (item.bucket === 'week') {
        const { date } = deadlineOf(o.dueBy);
        return { what, when: `截止 ${due}（${weekday(date)}）` };
      }
      return { what, when: `截止 ${due}` };
    }
  }
}

/** The task line of a worklist item as one string. */
export function taskLine(item: WorklistItemDto, today: string): string {
  const { what, when } = taskParts(item, today);
  return what.endsWith('，') ? `${what}${when}` : `${what} ${when}`;
}

/** 检查：室内温度是否适宜、取暖安全… of a campaign task, or null. */
export function checklistLine(o: ObligationDto): string | null {
  const items = o.campaign?.checklist ?? [];
  return items.length > 0 ? `检查：${items.map((c) => c.label).join('、')}` : null;
}

/** 上次探访: 11月14日 上门探访, or 从未探访. */
export function lastVisitText(
  last: { visitedAt: string; method: VisitMethod } | null,
  today: string,
): string {
  if (!last) return '从未探访';
  return `${monthDay(localDate(last.visitedAt), today)} ${VISIT_METHOD_LABELS[last.method]}`;
}

/** 类别 as words: 独居、留守; a dash when none. */
export function categoryWords(categories: readonly Category[]): string {
  return categories.length > 0 ? categories.map((c) => CATEGORY_LABELS[c]).join('、') : '—';
}

/** 探访率 as a percentage with one decimal (87.5%), or — when nothing was due. */
export function rateText(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** The visit methods that count, as words: 上门探访、电话问候. */
export function methodWords(methods: readonly VisitMethod[]): string {
  return methods.map((m) => VISIT_METHOD_LABELS[m]).join('、');
}
