import type {
  PolicyCreateInput,
  PolicyDto,
  PolicyPreset,
  PolicyRetireInput,
  PolicyVersionInput,
  PresetApplyInput,
} from '@tanfang/domain';
import { request } from '../../api';

/** Body of `POST /api/policies/:id/versions`. */
export type PolicyVersionBody = ReturnType<typeof PolicyVersionInput.parse>;
/** Body of `POST /api/policies/:id/retire`. */
export type PolicyRetireBody = ReturnType<typeof PolicyRetireInput.parse>;
/** Body of `POST /api/policies/presets/:key/apply`. */
export type PresetApplyBody = ReturnType<typeof PresetApplyInput.parse>;

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of visit policies (探访规则). */
export const policiesApi = {
  /** Policies of a region (default: the jurisdiction) and those above it, outermost first. */
  listPolicies: (region?: string) =>
    request<PolicyDto[]>('GET', '/api/policies', { query: { region } }),
  policy: (policyId: string) => request<PolicyDto>('GET', `/api/policies/${id(policyId)}`),
  presets: () => request<PolicyPreset[]>('GET', '/api/policies/presets'),
  createPolicy: (input: PolicyCreateInput) =>
    request<PolicyDto>('POST', '/api/policies', { body: input }),
  addPolicyVersion: (policyId: string, input: PolicyVersionBody) =>
    request<PolicyDto>('POST', `/api/policies/${id(policyId)}/versions`, { body: input }),
  retirePolicy: (policyId: string, input: PolicyRetireBody) =>
    request<PolicyDto>('POST', `/api/policies/${id(policyId)}/retire`, { body: input }),
  applyPreset: (key: string, input: PresetApplyBody) =>
    request<PolicyDto[]>('POST', `/api/policies/presets/${id(key)}/apply`, { body: input }),
};
