import {
  CARE_SERVICE_RECORDERS,
  CareServiceInput,
  CareServiceListQuery,
  REFERRAL_READERS,
  isUuid,
  isWithinJurisdiction,
  providerServes,
  type CareServiceDto,
  type Page,
  type ReferralStatus,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { AppError, badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { audit } from '../audit/audit.service.js';
import {
  findProviderById,
  providerOfUser,
  type ProviderRow,
} from '../providers/providers.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import {
  findElderBrief,
  findReferralRow,
  type ElderBrief,
} from '../referrals/referrals.repository.js';
import {
  findCareService,
  insertCareServiceIfNew,
  listCareServices,
  type CareServiceView,
} from './care-services.repository.js';

/** Referral statuses in which its provider may record the service given. */
const SERVING_STATUSES: readonly ReferralStatus[] = ['accepted', 'in_progress', 'completed'];

/** Shapes care services for the API, naming their villages in one query. */
export async function presentCareServices(
  regions: RegionsService,
  rows: CareServiceView[],
): Promise<CareServiceDto[]> {
  const places = await regions.fullNames(rows.map((r) => r.village_code));
  return rows.map((r) => ({
    id: r.id,
    elder: {
      id: r.elder_id,
      name: r.elder_name,
      village: { code: r.village_code, ...places.get(r.village_code)! },
    },
    servedOn: r.served_on,
    content: r.content,
    provider: r.provider_id ? { id: r.provider_id, name: r.provider_name } : null,
    providerName: r.provider_name,
    satisfaction: r.satisfaction,
    referralId: r.referral_id,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by_name,
  }));
}

/**
 * Care services (关爱服务, 丹东 2023 记录表 六): what was done for an elder, on which day, by whom,
 * and the elder's satisfaction. Staff record them for the elders of their jurisdiction; a provider
 * records them only for the referrals sent to it.
 */
export class CareServicesService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly bus: AlertBus,
  ) {}

  /**
   * `POST /api/care-services`: idempotent by the client's id (a retry returns the stored record
   * with `created: false`; the same id for another elder is 409).
   */
  async create(
    ctx: RequestContext,
    raw: unknown,
  ): Promise<{ created: boolean; service: CareServiceDto }> {
    if (!CARE_SERVICE_RECORDERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能记录关爱服务');
    const input = parseInput(CareServiceInput, raw);
    const existing = await findCareService(this.db, input.id);
    if (existing) return { created: false, service: await this.presentExisting(ctx, existing) };

    let elder: ElderBrief;
    let provider: ProviderRow | undefined;
    if (ctx.actor.role === 'provider') {
      const own = await this.ownProvider(ctx);
      if (!input.referralId)
        throw badRequest('服务机构记录关爱服务，须选择转介给本机构的转介', 'referralId');
      const referral = await findReferralRow(this.db, input.referralId);
      if (!referral || referral.provider_id !== own.id) throw notFound('转介');
      if (referral.elder_id !== input.elderId)
        throw badRequest('关爱服务的老年人与转介的老年人不一致', 'elderId');
      if (!SERVING_STATUSES.includes(referral.status as ReferralStatus))
        throw new AppError(
          409,
          'referral_not_serving',
          '转介尚未接收，或已拒绝、已撤回，不能记录关爱服务',
          'referralId',
        );
      if (input.providerId && input.providerId !== own.id)
        throw badRequest('服务机构只能以本机构的名义记录关爱服务', 'providerId');
      provider = own;
      elder = (await findElderBrief(this.db, referral.elder_id))!;
    } else {
      elder = await this.elderInJurisdiction(ctx, input.elderId);
      if (input.providerId) {
        provider = await findProviderById(this.db, input.providerId);
        if (!provider || !providerServes(provider.region_code, elder.village_code))
          throw badRequest('服务机构不存在，或不服务该老年人所在地区', 'providerId');
      }
      if (input.referralId) {
        const referral = await findReferralRow(this.db, input.referralId);
        if (!referral || referral.elder_id !== elder.id)
          throw badRequest('关联的转介不存在，或不是该老年人的转介', 'referralId');
      }
    }

    const inserted = await this.db.transaction().execute(async (trx) => {
      const ok = await insertCareServiceIfNew(trx, {
        id: input.id,
        elder_id: elder.id,
        county_code: elder.county_code,
        village_code: elder.village_code,
        served_on: input.servedOn,
        content: input.content,
        provider_id: provider?.id ?? null,
        provider_name: provider?.name ?? input.providerName!,
        satisfaction: input.satisfaction,
        referral_id: input.referralId ?? null,
        note: input.note ?? null,
        created_by: ctx.actor.userId,
      });
      if (ok)
        await audit(trx, ctx, {
          action: 'care_service.create',
          entity: 'elder',
          entityId: elder.id,
          regionCode: elder.village_code,
          detail: {
            careServiceId: input.id,
            servedOn: input.servedOn,
            satisfaction: input.satisfaction,
            providerId: provider?.id ?? null,
            referralId: input.referralId ?? null,
          },
        });
      return ok;
    });
    if (inserted) this.bus.publish({ regionCode: elder.village_code, kind: 'care_service' });
    const row = (await findCareService(this.db, input.id))!;
    if (!inserted) return { created: false, service: await this.presentExisting(ctx, row) };
    return { created: true, service: (await presentCareServices(this.regions, [row]))[0]! };
  }

  /** `GET /api/care-services`: staff, their jurisdiction's; a provider, its own. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<CareServiceDto>> {
    const query = parseInput(CareServiceListQuery, rawQuery, 'query');
    let scope: { jurisdiction: string } | { providerId: string };
    if (ctx.actor.role === 'provider') {
      scope = { providerId: (await this.ownProvider(ctx)).id };
    } else {
      if (!REFERRAL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看关爱服务');
      if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
        throw notFound('区域');
      scope = { jurisdiction: ctx.actor.jurisdiction };
    }
    const { rows, total } = await listCareServices(this.db, {
      scope,
      region: query.region,
      satisfaction: query.satisfaction,
      from: query.from,
      to: query.to,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'care_service.list',
      entity: 'care_service',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: await presentCareServices(this.regions, rows),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/elders/:id/care-services`: an elder's care services, latest first. */
  async ofElder(ctx: RequestContext, elderId: string): Promise<{ items: CareServiceDto[] }> {
    if (!REFERRAL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看关爱服务');
    const elder = await this.elderInJurisdiction(ctx, elderId);
    const { rows } = await listCareServices(this.db, {
      scope: { jurisdiction: ctx.actor.jurisdiction },
      elderId: elder.id,
      limit: 1000,
      offset: 0,
    });
    await audit(this.db, ctx, {
      action: 'care_service.list',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { returned: rows.length },
    });
    return { items: await presentCareServices(this.regions, rows) };
  }

  /** A stored record the actor may see (the retry of their own request), or 409/404. */
  private async presentExisting(ctx: RequestContext, row: CareServiceView) {
    const visible =
      ctx.actor.role === 'provider'
        ? row.provider_id === (await this.ownProvider(ctx)).id
        : isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction);
    if (!visible) throw new AppError(409, 'id_conflict', '该关爱服务编号已被使用', 'id');
    return (await presentCareServices(this.regions, [row]))[0]!;
  }

  private async elderInJurisdiction(ctx: RequestContext, elderId: string): Promise<ElderBrief> {
    if (!isUuid(elderId)) throw notFound('老年人记录');
    const elder = await findElderBrief(this.db, elderId);
    if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    return elder;
  }

  private async ownProvider(ctx: RequestContext): Promise<ProviderRow> {
    const own = await providerOfUser(this.db, ctx.actor.userId);
    if (!own) throw forbidden('您的账号尚未关联服务机构，请联系系统管理员');
    return own;
  }
}
