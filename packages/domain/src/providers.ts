/**
 * Service providers (服务机构): where a need found on a visit is referred (需求转介). 丹东 2023 asks
 * staff to connect elders with 生活照料、康复护理、精神慰藉、居家适老化改造 and medical services
 * (养老服务和医疗健康等服务资源) and to bring in social workers (引入社会工作者等专业力量). A provider
 * serves the elders of its region and below; it is never deleted, only made inactive (停用).
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import { PROVIDER_KIND_LABELS, type ProviderKind } from './follow-up.js';
import { AnyRegionCode, oneOf, paging, requiredText, text } from './schema-helpers.js';
import { PhoneNumber } from './users.js';

/** Whether a provider takes referrals now. */
export const PROVIDER_STATUS_LABELS = { active: '启用', inactive: '停用' } as const;
/** A provider status. */
export type ProviderStatus = keyof typeof PROVIDER_STATUS_LABELS;

/** A record id (UUID), lower case; the message names the field. */
export const RecordId = (label: string) =>
  z.uuid({ error: `${label}应为记录编号（UUID）` }).transform((v) => v.toLowerCase());

/** The region a provider serves (any level: 省 2, 市 4, 县 6, 乡镇 9, 村 12 digits). */
const ServiceRegion = z
  .string({ error: '请选择服务区域' })
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { error: '服务区域应为区划代码' });

/** The kinds of service a provider offers: at least one, each once. */
const ProviderKinds = z
  .array(oneOf(PROVIDER_KIND_LABELS, '服务类别'), { error: '请选择服务类别' })
  .min(1, { error: '请至少选择一项服务类别' })
  .max(8, { error: '服务类别最多 8 项' })
  .refine((kinds) => new Set(kinds).size === kinds.length, { error: '服务类别不能重复' });

/** Body of `POST /api/providers`: a provider as registered. */
export const ProviderFields = z.strictObject({
  name: requiredText('机构名称', 100),
  kinds: ProviderKinds,
  /** The region it serves: elders of this region and below may be referred to it. */
  regionCode: ServiceRegion,
  contactName: text('联系人', 50).optional(),
  phone: z.string({ error: '联系电话必须是文字' }).trim().pipe(PhoneNumber).optional(),
  address: text('地址', 200).optional(),
});
/** Input of `POST /api/providers`. */
export type ProviderInput = z.input<typeof ProviderFields>;

/** Body of `PATCH /api/providers/:id`: the fields sent change; `null` clears an optional one. */
export const ProviderPatch = z.strictObject({
  name: requiredText('机构名称', 100).optional(),
  kinds: ProviderKinds.optional(),
  regionCode: ServiceRegion.optional(),
  contactName: text('联系人', 50).nullable().optional(),
  phone: z.string({ error: '联系电话必须是文字' }).trim().pipe(PhoneNumber).nullable().optional(),
  address: text('地址', 200).nullable().optional(),
  status: oneOf(PROVIDER_STATUS_LABELS, '状态').optional(),
});
/** Input of `PATCH /api/providers/:id`. */
export type ProviderPatchInput = z.input<typeof ProviderPatch>;

/** Query of `GET /api/providers`. */
export const ProviderListQuery = z.strictObject({
  /** Providers serving this region (their region encloses it or lies within it). */
  region: AnyRegionCode.optional(),
  kind: oneOf(PROVIDER_KIND_LABELS, '服务类别').optional(),
  status: oneOf(PROVIDER_STATUS_LABELS, '状态').optional(),
  /** Providers that can take a referral of this elder's village (their region encloses it). */
  serving: z
    .string()
    .regex(/^\d{12}$/, { error: '服务对象所在村(居)应为 12 位区划代码' })
    .optional(),
  q: z.string().trim().max(50, { error: '搜索词最多 50 个字符' }).optional(),
  ...paging,
});
/** Query of `GET /api/providers`, as a client sends it. */
export type ProviderListQueryInput = z.input<typeof ProviderListQuery>;
/** Query of the list, parsed. */
export type ProviderListQuery = z.infer<typeof ProviderListQuery>;

/** A provider as the API presents it. */
export interface ProviderDto {
  id: string;
  name: string;
  kinds: ProviderKind[];
  region: RegionRef;
  contactName: string | null;
  phone: string | null;
  address: string | null;
  status: ProviderStatus;
  /** Accounts (role 服务机构) that belong to it. */
  accountCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Whether a provider registered for `providerRegion` may serve an elder living in `villageCode`. */
export function providerServes(providerRegion: string, villageCode: string): boolean {
  return villageCode.startsWith(providerRegion);
}

/** The Chinese names of a provider's kinds, joined. */
export function providerKindsText(kinds: readonly ProviderKind[]): string {
  return kinds.map((k) => PROVIDER_KIND_LABELS[k]).join('、');
}
