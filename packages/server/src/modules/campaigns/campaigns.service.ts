import {
  AnyRegionCode,
  CampaignInput,
  DEFAULT_CHECKLISTS,
  isUuid,
  isWithinJurisdiction,
  text,
  uuidv7,
  type CampaignDto,
  type ChecklistItem,
  type Role,
} from '@tanfang/domain';
import { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import { canSeeRegion, type RegionsService } from '../regions/regions.service.js';
import {
  cancelCampaign,
  findCampaign,
  insertCampaign,
  listCampaigns,
  type CampaignRow,
  type CampaignState,
} from './campaigns.repository.js';

/** Roles that read campaigns (a visitor needs them: they add items to the visit form). */
const READERS: readonly Role[] = [
  'visitor',
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];
/** Roles that start and cancel campaigns. */
const WRITERS: readonly Role[] = ['township', 'county', 'city', 'admin'];

/** How far back a campaign may start: enough to record one begun over a weekend, no more. */
const MAX_BACKDATE_MS = 7 * 86_400_000;

/** States a campaign can be in, for the list filter. */
const STATES = ['scheduled', 'in_force', 'ended', 'cancelled'] as const satisfies CampaignState[];

/** Query of `GET /api/campaigns`. */
export const CampaignListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  state: z
    .enum(STATES, {
      error:
        '状态应为 scheduled（未开始）、in_force（进行中）、ended（已结束）或 cancelled（已取消）',
    })
    .optional(),
});

/** Body of `POST /api/campaigns/:id/cancel` (the body may be omitted). */
export const CampaignCancelInput = z.strictObject({ note: text('取消说明', 200).optional() });

/** Where a campaign stands at `now`. */
export function campaignState(row: CampaignRow, now: Date): CampaignState {
  if (row.status === 'cancelled') return 'cancelled';
  if (row.starts_at > now) return 'scheduled';
  return row.ends_at > now ? 'in_force' : 'ended';
}

/**
 * Campaigns (专项探访): time-boxed extra visits for extreme weather, public-health events,
 * festivals, 汛期 and 供暖季, set by a township or above for the regions within it.
 */
export class CampaignsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /** Campaigns of a region (default: the jurisdiction) and those above it that apply to it. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<CampaignDto[]> {
    this.require(ctx, READERS, '您的角色不能查看专项探访');
    const query = parseInput(CampaignListQuery, rawQuery ?? {}, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!canSeeRegion(ctx.actor.jurisdiction, region)) throw notFound('区域');
    const now = new Date();
    const rows = await listCampaigns(this.db, {
      region,
      jurisdiction: ctx.actor.jurisdiction,
      state: query.state,
      now,
    });
    return this.present(ctx, rows, now);
  }

  /** One campaign. */
  async get(ctx: RequestContext, id: string): Promise<CampaignDto> {
    this.require(ctx, READERS, '您的角色不能查看专项探访');
    const row = await this.findVisible(ctx, id);
    return this.presentOne(ctx, row);
  }

  /** Starts a campaign for a region within the jurisdiction. */
  async create(ctx: RequestContext, raw: unknown): Promise<CampaignDto> {
    this.require(ctx, WRITERS, '只有乡镇(街道)及以上民政部门和管理员可以部署专项探访');
    const input = parseInput(CampaignInput, raw);
    if (!isWithinJurisdiction(input.regionCode, ctx.actor.jurisdiction)) {
      throw new AppError(
        403,
        'forbidden',
        `适用区域 ${input.regionCode} 不在您的辖区内`,
        'regionCode',
      );
    }
    if (!(await findRegion(this.db, input.regionCode))) {
      throw badRequest(`区划代码 ${input.regionCode} 不存在`, 'regionCode');
    }
    // A campaign backdated further would make visits of the past overdue after the fact.
    if (Date.parse(input.startsAt) < Date.now() - MAX_BACKDATE_MS) {
      throw badRequest(
        '开始时间最多只能早于现在 7 天（专项探访不能倒签，以免既往探访被判为逾期）',
        'startsAt',
      );
    }
    const checklist: ChecklistItem[] = input.checklist ?? DEFAULT_CHECKLISTS[input.kind];
    const id = uuidv7();
    const row = await this.db.transaction().execute(async (trx) => {
      const created = await insertCampaign(trx, {
        id,
        region_code: input.regionCode,
        name: input.name,
        kind: input.kind,
        starts_at: new Date(input.startsAt),
        ends_at: new Date(input.endsAt),
        within_value: input.within.value,
        within_unit: input.within.unit,
        tiers: input.tiers,
        categories: input.categories,
        counted_methods: input.countedMethods,
        checklist: JSON.stringify(checklist),
        note: input.note ?? null,
        created_by: ctx.actor.userId,
      });
      await audit(trx, ctx, {
        action: 'campaign.create',
        entity: 'campaign',
        entityId: id,
        regionCode: input.regionCode,
        detail: {
          name: input.name,
          kind: input.kind,
          startsAt: created.starts_at.toISOString(),
          endsAt: created.ends_at.toISOString(),
        },
      });
      return created;
    });
    return this.presentOne(ctx, row);
  }

  /** Cancels a campaign that has not ended. */
  async cancel(ctx: RequestContext, id: string, raw: unknown): Promise<CampaignDto> {
    this.require(ctx, WRITERS, '只有乡镇(街道)及以上民政部门和管理员可以取消专项探访');
    const input = parseInput(CampaignCancelInput, raw ?? {});
    const current = await this.findVisible(ctx, id);
    if (!isWithinJurisdiction(current.region_code, ctx.actor.jurisdiction)) {
      throw forbidden('上级部署的专项探访不能取消');
    }
    const now = new Date();
    const row = await this.db.transaction().execute(async (trx) => {
      const cancelled = await cancelCampaign(trx, id, ctx.actor.userId, now);
      if (!cancelled) {
        const state = campaignState((await findCampaign(trx, id))!, now);
        throw state === 'cancelled'
          ? conflict('campaign_cancelled', '该专项探访已取消')
          : conflict('campaign_ended', '该专项探访已结束，不能取消');
      }
      await audit(trx, ctx, {
        action: 'campaign.cancel',
        entity: 'campaign',
        entityId: id,
        regionCode: cancelled.region_code,
        detail: { name: cancelled.name, note: input.note ?? null },
      });
      return cancelled;
    });
    return this.presentOne(ctx, row);
  }

  private require(ctx: RequestContext, roles: readonly Role[], message: string): void {
    if (!roles.includes(ctx.actor.role)) throw forbidden(message);
  }

  /** A campaign within the jurisdiction or above it (one that applies to the user); else 404. */
  private async findVisible(ctx: RequestContext, id: string): Promise<CampaignRow> {
    if (!isUuid(id)) throw notFound('专项探访');
    const row = await findCampaign(this.db, id);
    if (!row || !canSeeRegion(ctx.actor.jurisdiction, row.region_code)) {
      throw notFound('专项探访');
    }
    return row;
  }

  private async presentOne(ctx: RequestContext, row: CampaignRow): Promise<CampaignDto> {
    return (await this.present(ctx, [row], new Date()))[0]!;
  }

  private async present(
    ctx: RequestContext,
    rows: CampaignRow[],
    now: Date,
  ): Promise<CampaignDto[]> {
    const names = await this.regions.fullNames(rows.map((r) => r.region_code));
    const writer = WRITERS.includes(ctx.actor.role);
    return rows.map((r) => {
      const status = campaignState(r, now);
      return {
        id: r.id,
        region: { code: r.region_code, ...names.get(r.region_code)! },
        name: r.name,
        kind: r.kind as CampaignDto['kind'],
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        within: { value: r.within_value, unit: r.within_unit },
        tiers: r.tiers as CampaignDto['tiers'],
        categories: r.categories as CampaignDto['categories'],
        countedMethods: r.counted_methods as CampaignDto['countedMethods'],
        checklist: r.checklist as ChecklistItem[],
        note: r.note,
        status,
        // Only a campaign not yet over can still be cancelled.
        editable:
          writer &&
          (status === 'scheduled' || status === 'in_force') &&
          isWithinJurisdiction(r.region_code, ctx.actor.jurisdiction),
        createdAt: r.created_at.toISOString(),
      };
    });
  }
}
