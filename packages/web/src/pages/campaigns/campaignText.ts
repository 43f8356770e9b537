import { HOUR_MS, type CampaignDto } from '@tanfang/domain';

/** China Standard Time: UTC+8, no daylight saving. */
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Chinese names of the units of a campaign's time limit. */
export const WITHIN_UNIT_LABELS: Record<CampaignDto['within']['unit'], string> = {
  hours: '小时',
  days: '天',
};

/** Chinese names of the campaign states (the tabs of the list). */
export const CAMPAIGN_STATE_LABELS: Record<CampaignDto['status'], string> = {
  in_force: '进行中',
  scheduled: '未开始',
  ended: '已结束',
  cancelled: '已取消',
};

/** An instant as China time `YYYY-MM-DD HH:mm`, whatever the browser's time zone. */
export function formatChinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A China wall-clock time `YYYY-MM-DDTHH:mm` as the ISO instant the API takes (+08:00). */
export function chinaWallClockToIso(wall: string): string {
  return `${wall}:00+08:00`;
}

/** The current China wall-clock time `YYYY-MM-DDTHH:mm`. */
export function chinaNowWallClock(now = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** 时限 in words: an extra visit within this long of the start, again in each later window. */
export function withinText(within: CampaignDto['within']): string {
  const span = `${within.value} ${WITHIN_UNIT_LABELS[within.unit]}`;
  return `开始后 ${span}内探访一次，此后每 ${span}一轮，直至专项结束`;
}
