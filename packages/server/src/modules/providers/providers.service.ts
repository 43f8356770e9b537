import {
  ProviderFields,
  ProviderListQuery,
  ProviderPatch,
  isUuid,
  isWithinJurisdiction,
  uuidv7,
  type Page,
  type ProviderDto,
  type ProviderKind,
  type Role,
} from '@tanfang/domain';
import type { Updateable } from 'kysely';
import type { Executor, RequestContext } from '../../context.js';
import type { ServiceProvidersTable } from '../../db/schema.js';
import { badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import {
  countProviderAccounts,
  findVisibleProvider,
  insertProvider,
  listProviders,
  updateProvider,
  type ProviderRow,
} from './providers.repository.js';

/** Staff who register and change providers: 乡镇、县、市 (within their jurisdiction). */
export const PROVIDER_MANAGERS: readonly Role[] = ['township', 'county', 'city'];
/** Who reads the registry: staff who refer, those who oversee, and admins who make accounts. */
export const PROVIDER_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

/**
 * The registry of service providers (服务机构). Staff see the providers of their jurisdiction and of
 * the regions enclosing it (a county's provider serves every village of the county); they change
 * only those registered within their jurisdiction.
 */
export class ProvidersService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /** `GET /api/providers?region=&kind=&status=&serving=&q=`. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<ProviderDto>> {
    this.require(ctx, PROVIDER_READERS, '您的角色不能查看服务机构');
    const query = parseInput(ProviderListQuery, rawQuery, 'query');
    for (const code of [query.region, query.serving]) {
      if (
        code &&
        !isWithinJurisdiction(code, ctx.actor.jurisdiction) &&
        !ctx.actor.jurisdiction.startsWith(code)
      )
        throw notFound('区域');
    }
    const { rows, total } = await listProviders(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      kind: query.kind,
      status: query.status,
      serving: query.serving,
      q: query.q,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: await this.present(rows),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/providers/:id`. */
  async get(ctx: RequestContext, id: string): Promise<ProviderDto> {
    this.require(ctx, PROVIDER_READERS, '您的角色不能查看服务机构');
    return (await this.present([await this.findVisible(ctx, id)]))[0]!;
  }

  /** `POST /api/providers`: registers a provider serving a region within the jurisdiction. */
  async create(ctx: RequestContext, raw: unknown): Promise<ProviderDto> {
    this.require(ctx, PROVIDER_MANAGERS, '只有乡镇（街道）、县（区）、市民政部门可以登记服务机构');
    const data = parseInput(ProviderFields, raw);
    await this.checkRegion(ctx, data.regionCode);
    const id = uuidv7();
    const row = await this.db.transaction().execute(async (trx) => {
      const created = await insertProvider(trx, {
        id,
        name: data.name,
        kinds: data.kinds,
        region_code: data.regionCode,
        contact_name: data.contactName ?? null,
        phone: data.phone ?? null,
        address: data.address ?? null,
        created_by: ctx.actor.userId,
      });
      await audit(trx, ctx, {
        action: 'provider.create',
        entity: 'provider',
        entityId: id,
        regionCode: data.regionCode,
        detail: { name: data.name, kinds: data.kinds },
      });
      return created;
    });
    return (await this.present([row]))[0]!;
  }

  /** `PATCH /api/providers/:id`: the fields sent; `status: inactive` stops new referrals. */
  async update(ctx: RequestContext, id: string, raw: unknown): Promise<ProviderDto> {
    this.require(ctx, PROVIDER_MANAGERS, '只有乡镇（街道）、县（区）、市民政部门可以修改服务机构');
    const patch = parseInput(ProviderPatch, raw);
    const current = await this.findVisible(ctx, id);
    if (!isWithinJurisdiction(current.region_code, ctx.actor.jurisdiction))
      throw forbidden('该服务机构由上级民政部门登记，您不能修改');
    if (patch.regionCode !== undefined && patch.regionCode !== current.region_code)
      await this.checkRegion(ctx, patch.regionCode);
    const set: Updateable<ServiceProvidersTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.kinds !== undefined) set.kinds = patch.kinds;
    if (patch.regionCode !== undefined) set.region_code = patch.regionCode;
    if (patch.contactName !== undefined) set.contact_name = patch.contactName;
    if (patch.phone !== undefined) set.phone = patch.phone;
    if (patch.address !== undefined) set.address = patch.address;
    if (patch.status !== undefined) set.status = patch.status;
    if (Object.keys(set).length === 0) return (await this.present([current]))[0]!;
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateProvider(trx, id, set);
      await audit(trx, ctx, {
        action: 'provider.update',
        entity: 'provider',
        entityId: id,
        regionCode: updated.region_code,
        detail: { fields: Object.keys(patch), status: patch.status ?? null },
      });
      return updated;
    });
    return (await this.present([row]))[0]!;
  }

  private require(ctx: RequestContext, roles: readonly Role[], message: string): void {
    if (!roles.includes(ctx.actor.role)) throw forbidden(message);
  }

  private async findVisible(ctx: RequestContext, id: string): Promise<ProviderRow> {
    if (!isUuid(id)) throw notFound('服务机构');
    const row = await findVisibleProvider(this.db, id, ctx.actor.jurisdiction);
    if (!row) throw notFound('服务机构');
    return row;
  }

  /** The region exists and lies within the actor's jurisdiction. */
  private async checkRegion(ctx: RequestContext, code: string): Promise<void> {
    if (!isWithinJurisdiction(code, ctx.actor.jurisdiction))
      throw badRequest('服务区域不在您的辖区内', 'regionCode');
    if (!(await findRegion(this.db, code)))
      throw badRequest(`区划代码 ${code} 不存在`, 'regionCode');
  }

  private async present(rows: ProviderRow[]): Promise<ProviderDto[]> {
    const [places, accounts] = await Promise.all([
      this.regions.fullNames(rows.map((r) => r.region_code)),
      countProviderAccounts(
        this.db,
        rows.map((r) => r.id),
      ),
    ]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kinds: r.kinds as ProviderKind[],
      region: { code: r.region_code, ...places.get(r.region_code)! },
      contactName: r.contact_name,
      phone: r.phone,
      address: r.address,
      status: r.status,
      accountCount: accounts.get(r.id) ?? 0,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }));
  }
}
