import type {
  ElderScheduleDto,
  RegionWorklistDto,
  ScheduleSummaryDto,
  VisitorWorklistDto,
} from '@tanfang/domain';
import { request } from '../../api';

/** `GET /api/elders/:id/schedule` (declared in the domain). */
export type { ElderScheduleDto };

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of worklists (探访任务) and visit counts (探访统计). */
export const worklistApi = {
  /** A visitor's own worklist (role visitor only). */
  visitorWorklist: () => request<VisitorWorklistDto>('GET', '/api/worklist'),
  /** A village's or township's overdue visits by visitor and its 未落实探访人. */
  regionWorklist: (region: string) =>
    request<RegionWorklistDto>('GET', '/api/worklist', { query: { region } }),
  /** Due, done and overdue regular visits of a period (YYYY-MM), per child region. */
  scheduleSummary: (region: string | undefined, period: string | undefined) =>
    request<ScheduleSummaryDto>('GET', '/api/schedule/summary', { query: { region, period } }),
  /** An elder's policy in force and obligations of the last `months` months. */
  elderSchedule: (elderId: string, months?: number) =>
    request<ElderScheduleDto>('GET', `/api/elders/${id(elderId)}/schedule`, {
      query: { months },
    }),
};
