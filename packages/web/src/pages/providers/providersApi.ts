import type {
  Page,
  ProviderDto,
  ProviderInput,
  ProviderListQuery,
  ProviderPatchInput,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of the provider registry (服务机构). */
export const providersApi = {
  list: (query: Partial<ProviderListQuery>) =>
    request<Page<ProviderDto>>('GET', '/api/providers', { query: { ...query } }),
  get: (providerId: string) => request<ProviderDto>('GET', `/api/providers/${id(providerId)}`),
  create: (input: ProviderInput) => request<ProviderDto>('POST', '/api/providers', { body: input }),
  update: (providerId: string, patch: ProviderPatchInput) =>
    request<ProviderDto>('PATCH', `/api/providers/${id(providerId)}`, { body: patch }),
};
