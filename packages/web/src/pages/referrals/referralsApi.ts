import type {
  CareServiceDto,
  CareServiceInput,
  CareServiceListQuery,
  EntitlementDismissalInput,
  EntitlementHintsDto,
  Page,
  ReferralDetailDto,
  ReferralDto,
  ReferralInput,
  ReferralListPage,
  ReferralListQuery,
  ReferralTransitionInput,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of 需求转介, 关爱服务 and 权益提示. */
export const referralsApi = {
  list: (query: Partial<ReferralListQuery>) =>
    request<ReferralListPage>('GET', '/api/referrals', { query: { ...query } }),
  get: (referralId: string) =>
    request<ReferralDetailDto>('GET', `/api/referrals/${id(referralId)}`),
  /** Idempotent by `input.id`: a retry returns the same referral. */
  create: (input: ReferralInput) =>
    request<ReferralDetailDto>('POST', '/api/referrals', { body: input }),
  /** 409 `transition_not_allowed` lists the allowed statuses. */
  transition: (referralId: string, input: ReferralTransitionInput) =>
    request<ReferralDetailDto>('POST', `/api/referrals/${id(referralId)}/transitions`, {
      body: input,
    }),
  ofElder: (elderId: string) =>
    request<{ items: ReferralDto[] }>('GET', `/api/elders/${id(elderId)}/referrals`),

  careServices: (query: Partial<CareServiceListQuery>) =>
    request<Page<CareServiceDto>>('GET', '/api/care-services', { query: { ...query } }),
  /** Idempotent by `input.id`. */
  recordCareService: (input: CareServiceInput) =>
    request<CareServiceDto>('POST', '/api/care-services', { body: input }),
  elderCareServices: (elderId: string) =>
    request<{ items: CareServiceDto[] }>('GET', `/api/elders/${id(elderId)}/care-services`),

  entitlementHints: (elderId: string, withDismissed = false) =>
    request<EntitlementHintsDto>('GET', `/api/elders/${id(elderId)}/entitlement-hints`, {
      query: { dismissed: withDismissed ? 'true' : undefined },
    }),
  dismissHint: (elderId: string, input: EntitlementDismissalInput) =>
    request<EntitlementHintsDto>(
      'POST',
      `/api/elders/${id(elderId)}/entitlement-hints/dismissals`,
      { body: input },
    ),
};
