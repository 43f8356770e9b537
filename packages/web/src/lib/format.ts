import dayjs from 'dayjs';

/** Formats an ISO timestamp as `YYYY-MM-DD HH:mm`, or a dash when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : iso;
}
