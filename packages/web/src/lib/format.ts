import { localDateTimeOf } from '@tanfang/domain';
import dayjs from 'dayjs';

/** Formats an ISO timestamp as `YYYY-MM-DD HH:mm`, or a dash when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : iso;
}

/** An instant as China time `YYYY-MM-DD HH:mm`, whatever the browser's time zone; a dash when absent. */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : localDateTimeOf(ms);
}

/**
 * A China wall-clock time (`YYYY-MM-DD HH:mm` or `YYYY-MM-DDTHH:mm`) as the ISO instant the API
 * takes, with its offset (`…T09:30:00+08:00`).
 */
export function chinaInstant(wallClock: string): string {
  return `${wallClock.slice(0, 10)}T${wallClock.slice(11, 16)}:00+08:00`;
}
