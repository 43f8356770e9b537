import { localDateTimeOf, type CampaignDto } from '@tanfang/domain';

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

/** The current China wall-clock time `YYYY-MM-DDTHH:mm`. */
export function chinaNowWallClock(now = Date.now()): string {
  return localDateTimeOf(now).replace(' ', 'T');
}

/** 时限 in words: an extra visit within this long of the start, again in each later window. */
export function withinText(within: CampaignDto['within']): string {
  const span = `${within.value} ${WITHIN_UNIT_LABELS[within.unit]}`;
  return `开始后 ${span}内探访一次，此后每 ${span}一轮，直至专项结束`;
}
