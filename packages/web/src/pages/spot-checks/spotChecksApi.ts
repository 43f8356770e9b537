import type {
  Page,
  SpotCheckAssignInput,
  SpotCheckCheckerDto,
  SpotCheckDetailDto,
  SpotCheckDrawInput,
  SpotCheckEventDto,
  SpotCheckItemDto,
  SpotCheckPassRateDto,
  SpotCheckPhoneDto,
  SpotCheckReproductionDto,
  SpotCheckResultInput,
  SpotCheckSampleDto,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of spot checks (抽查). */
export const spotChecksApi = {
  /** Samples of a region (default: the jurisdiction) in a year or month, newest first. */
  list: (params: { region?: string; period?: string; page?: number; pageSize?: number }) =>
    request<Page<SpotCheckSampleDto>>('GET', '/api/spot-checks', { query: { ...params } }),
  sample: (sampleId: string) =>
    request<SpotCheckDetailDto>('GET', `/api/spot-checks/${id(sampleId)}`),
  draw: (input: SpotCheckDrawInput) =>
    request<SpotCheckDetailDto>('POST', '/api/spot-checks', { body: input }),
  reproduce: (sampleId: string) =>
    request<SpotCheckReproductionDto>('GET', `/api/spot-checks/${id(sampleId)}/reproduce`),
  checkers: (sampleId: string) =>
    request<{ items: SpotCheckCheckerDto[] }>('GET', `/api/spot-checks/${id(sampleId)}/checkers`),
  assign: (sampleId: string, input: SpotCheckAssignInput) =>
    request<{ assigned: number; sample: SpotCheckDetailDto }>(
      'POST',
      `/api/spot-checks/${id(sampleId)}/assignments`,
      { body: input },
    ),
  recordResult: (itemId: string, input: SpotCheckResultInput) =>
    request<SpotCheckItemDto>('POST', `/api/spot-check-items/${id(itemId)}/result`, {
      body: input,
    }),
  events: (itemId: string) =>
    request<{ items: SpotCheckEventDto[] }>('GET', `/api/spot-check-items/${id(itemId)}/events`),
  revealPhone: (itemId: string, reason: string) =>
    request<SpotCheckPhoneDto>('POST', `/api/spot-check-items/${id(itemId)}/phone`, {
      body: { reason },
    }),
  passRate: (params: { region?: string; period: string }) =>
    request<SpotCheckPassRateDto>('GET', '/api/spot-checks/pass-rate', { query: { ...params } }),
};
