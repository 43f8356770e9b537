import type { ScorecardConfigDto, ScorecardConfigInput, ScorecardsDto } from '@tanfang/domain';
import { download, request } from '../../api';

/** A region and a year, as the client sends them. */
export interface ScorecardParams {
  region?: string;
  year?: number;
}

/** The typed endpoints of 绩效考评. */
export const scorecardsApi = {
  /** A region's own card and its townships' or counties' for a year. */
  scorecards: (q: ScorecardParams) =>
    request<ScorecardsDto>('GET', '/api/scorecards', { query: { ...q } }),
  /** The same as .xlsx. */
  export: (q: ScorecardParams) => download('/api/scorecards/export', { query: { ...q } }),
  /** The indicators and weights in force for a region and year, and where they are set. */
  config: (q: ScorecardParams) =>
    request<ScorecardConfigDto>('GET', '/api/scorecards/config', { query: { ...q } }),
  /** Sets a county's or city's indicators and weights for a year. */
  setConfig: (q: ScorecardParams, body: ScorecardConfigInput) =>
    request<ScorecardConfigDto>('PUT', '/api/scorecards/config', { query: { ...q }, body }),
};
