import {
  FINDING_TRANSITIONS,
  PROVIDER_KIND_LABELS,
  REFERRAL_CREATORS,
  REFERRAL_READERS,
  REFERRAL_STATUS_LABELS,
  REFERRAL_TRANSITIONS,
  ReferralInput,
  ReferralListQuery,
  ReferralTransitionInput,
  isUuid,
  isWithinJurisdiction,
  providerKindsText,
  providerServes,
  referralActionsFor,
  uuidv7,
  type FindingStatus,
  type ProviderKind,
  type ReferralDetailDto,
  type ReferralDto,
  type ReferralListPage,
  type ReferralStatus,
} from '@tanfang/domain';
import type { Updateable } from 'kysely';
import type { Executor, RequestContext } from '../../context.js';
import type { ReferralsTable } from '../../db/schema.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { raiseAlert } from '../alerts/alerts.repository.js';
import { audit } from '../audit/audit.service.js';
import { presentCareServices } from '../care-services/care-services.service.js';
import {
  insertCareServiceIfNew,
  listCareServices,
} from '../care-services/care-services.repository.js';
import {
  insertFindingEvents,
  lockFindingRow,
  updateFinding,
} from '../findings/findings.repository.js';
import {
  findProviderById,
  providerOfUser,
  type ProviderRow,
} from '../providers/providers.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import {
  countOpenReferralsOfFinding,
  findElderBrief,
  findReferralRow,
  findReferralView,
  insertReferralEvent,
  insertReferralIfNew,
  listReferrals,
  lockReferral,
  referralEvents,
  updateReferral,
  type ElderBrief,
  type ReferralScope,
  type ReferralView,
} from './referrals.repository.js';

/** Who is looking: staff of a jurisdiction, or the provider an account belongs to. */
type Viewer = { kind: 'staff' } | { kind: 'provider'; provider: ProviderRow };

const label = (s: ReferralStatus) => REFERRAL_STATUS_LABELS[s];

/**
 * 需求转介: staff refer a need (of a finding, or of the elder) to a service provider, which accepts
 * or declines it, reports progress and completes it with the outcome. Every step is a
 * `referral_events` row with who acted and when. A provider account sees only the referrals sent
 * to its provider, and of the elder only the name, village, masked phone and the need.
 */
export class ReferralsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly bus: AlertBus,
  ) {}

  /**
   * `POST /api/referrals`: in one transaction the referral, its first step, the finding moved to
   * 已转介 (when the workflow allows it) with a finding event, the alert to the provider's region
   * and the audit entry. Idempotent by the client's id: a retry returns the stored referral
   * (`created: false`); the same id for another elder is 409.
   */
  async create(
    ctx: RequestContext,
    raw: unknown,
  ): Promise<{ created: boolean; referral: ReferralDetailDto }> {
    if (!REFERRAL_CREATORS.includes(ctx.actor.role))
      throw forbidden('只有村（社区）、乡镇（街道）、县（区）工作人员可以转介');
    const input = parseInput(ReferralInput, raw);
    const stored = await findReferralRow(this.db, input.id);
    if (stored) return { created: false, referral: await this.retried(ctx, stored, input.elderId) };

    const elder = await this.elderInJurisdiction(ctx, input.elderId);
    if (elder.status === 'deceased')
      throw conflict('elder_deceased', `${elder.name}已故，不能转介`, 'elderId');
    const provider = await findProviderById(this.db, input.providerId);
    if (!provider || !providerServes(provider.region_code, elder.village_code))
      throw badRequest('服务机构不存在，或不服务该老年人所在地区', 'providerId');
    if (provider.status !== 'active')
      throw badRequest(`服务机构“${provider.name}”已停用，不能接收转介`, 'providerId');
    if (!provider.kinds.includes(input.kind))
      throw badRequest(
        `服务机构“${provider.name}”不提供“${PROVIDER_KIND_LABELS[input.kind]}”服务（提供：${providerKindsText(provider.kinds as ProviderKind[])}）`,
        'kind',
      );

    const result = await this.db.transaction().execute(async (trx) => {
      // The finding first: its lock orders concurrent referrals of it (and their retries).
      const finding = input.findingId ? await lockFindingRow(trx, input.findingId) : undefined;
      if (input.findingId && (!finding || finding.elder_id !== elder.id))
        throw badRequest('发现问题不存在，或不是该老年人的问题', 'findingId');
      if (finding?.status === 'closed')
        throw conflict('finding_closed', `问题“${finding.title}”已关闭，不能再转介`, 'findingId');
      const row = await insertReferralIfNew(trx, {
        id: input.id,
        finding_id: input.findingId ?? null,
        elder_id: elder.id,
        county_code: elder.county_code,
        village_code: elder.village_code,
        provider_id: provider.id,
        kind: input.kind,
        need: input.need,
        status: 'sent',
        created_by: ctx.actor.userId,
      });
      if (!row) return { inserted: false, findingMoved: false };
      const actorName = await this.actorName(trx, ctx);
      await insertReferralEvent(trx, {
        id: uuidv7(),
        referral_id: row.id,
        elder_id: elder.id,
        county_code: elder.county_code,
        actor_id: ctx.actor.userId,
        actor_name: actorName,
        from_status: null,
        to_status: 'sent',
        note: `转介至${provider.name}（${PROVIDER_KIND_LABELS[input.kind]}）：${input.need}`,
      });
      let findingMoved = false;
      if (finding) {
        const from = finding.status as FindingStatus;
        findingMoved = FINDING_TRANSITIONS[from].includes('referred');
        if (findingMoved) await updateFinding(trx, finding.id, { status: 'referred' });
        await insertFindingEvents(trx, [
          {
            id: uuidv7(),
            finding_id: finding.id,
            elder_id: elder.id,
            county_code: elder.county_code,
            actor_id: ctx.actor.userId,
            actor_name: actorName,
            kind: 'referral',
            from_status: findingMoved ? from : null,
            to_status: findingMoved ? 'referred' : null,
            detail: { referralId: row.id, providerId: provider.id, providerName: provider.name },
          },
        ]);
      }
      await raiseAlert(trx, {
        kind: 'referral',
        regionCode: provider.region_code,
        elderId: elder.id,
        countyCode: elder.county_code,
        subjectType: 'referral',
        subjectId: row.id,
        title: `新的转介：${elder.name}（${PROVIDER_KIND_LABELS[input.kind]}）`,
        body: `${provider.name}：${input.need}`,
      });
      await audit(trx, ctx, {
        action: 'referral.create',
        entity: 'referral',
        entityId: row.id,
        regionCode: elder.village_code,
        detail: {
          elderId: elder.id,
          findingId: input.findingId ?? null,
          findingMoved,
          providerId: provider.id,
          kind: input.kind,
        },
      });
      return { inserted: true, findingMoved };
    });
    if (!result.inserted) {
      const winner = (await findReferralRow(this.db, input.id))!;
      return { created: false, referral: await this.retried(ctx, winner, input.elderId) };
    }
    this.bus.publish({ regionCode: provider.region_code, kind: 'referral' });
    if (result.findingMoved) this.bus.publish({ regionCode: elder.village_code, kind: 'finding' });
    return { created: true, referral: await this.detail(input.id, { kind: 'staff' }, ctx) };
  }

  /**
   * `POST /api/referrals/:id/transitions`: the provider accepts, reports progress, completes (with
   * the outcome, and optionally the care service given) or declines; staff cancel. A change the
   * workflow does not allow is 409 with the statuses that are. A declined or cancelled referral
   * hands its finding back to 处理中 when no other referral of it is still open.
   */
  async transition(ctx: RequestContext, id: string, raw: unknown): Promise<ReferralDetailDto> {
    const input = parseInput(ReferralTransitionInput, raw);
    const viewer = await this.viewer(ctx);
    if (input.to === 'cancelled' && !REFERRAL_CREATORS.includes(ctx.actor.role))
      throw forbidden('只有转介的村（社区）、乡镇（街道）、县（区）工作人员可以撤回转介');
    if (input.to !== 'cancelled' && viewer.kind !== 'provider')
      throw forbidden('只有接收转介的服务机构可以接收、拒绝、报告进展或完成转介');
    const current = await this.findVisible(ctx, viewer, id);

    const published = await this.db.transaction().execute(async (trx) => {
      const row = (await lockReferral(trx, current.id))!;
      const from = row.status as ReferralStatus;
      const progressNote = from === 'in_progress' && input.to === 'in_progress';
      const allowed = [
        ...(from === 'in_progress' ? (['in_progress'] as const) : []),
        ...REFERRAL_TRANSITIONS[from],
      ];
      if (!progressNote && !REFERRAL_TRANSITIONS[from].includes(input.to)) {
        throw new AppError(
          409,
          'transition_not_allowed',
          allowed.length === 0
            ? `转介${label(from)}，不能再变更`
            : `转介当前为“${label(from)}”，不能改为“${label(input.to)}”；可改为：${allowed.map(label).join('、')}`,
          'to',
          undefined,
          { status: from, allowed },
        );
      }
      const set: Updateable<ReferralsTable> = { status: input.to };
      if (input.to === 'accepted') set.accepted_at = new Date();
      if (input.to === 'completed') {
        set.completed_at = new Date();
        set.outcome = input.outcome!;
      }
      if (!progressNote) await updateReferral(trx, row.id, set);
      else await updateReferral(trx, row.id, {});
      const actorName = await this.actorName(trx, ctx);
      await insertReferralEvent(trx, {
        id: uuidv7(),
        referral_id: row.id,
        elder_id: row.elder_id,
        county_code: row.county_code,
        actor_id: ctx.actor.userId,
        actor_name: actorName,
        from_status: from,
        to_status: input.to,
        note: input.to === 'completed' ? input.outcome! : (input.note ?? null),
      });
      if (input.to === 'completed' && input.careService) {
        await insertCareServiceIfNew(trx, {
          id: uuidv7(),
          elder_id: row.elder_id,
          county_code: row.county_code,
          village_code: row.village_code,
          served_on: input.careService.servedOn,
          content: input.careService.content,
          provider_id: row.provider_id,
          provider_name: current.provider_name,
          satisfaction: input.careService.satisfaction,
          referral_id: row.id,
          note: input.careService.note ?? null,
          created_by: ctx.actor.userId,
        });
      }
      let findingReopened = false;
      const ended = input.to === 'completed' || input.to === 'declined' || input.to === 'cancelled';
      if (row.finding_id && ended) {
        const finding = (await lockFindingRow(trx, row.finding_id))!;
        findingReopened =
          input.to !== 'completed' &&
          finding.status === 'referred' &&
          (await countOpenReferralsOfFinding(trx, finding.id, row.id)) === 0;
        if (findingReopened) await updateFinding(trx, finding.id, { status: 'in_progress' });
        await insertFindingEvents(trx, [
          {
            id: uuidv7(),
            finding_id: finding.id,
            elder_id: row.elder_id,
            county_code: row.county_code,
            actor_id: ctx.actor.userId,
            actor_name: actorName,
            kind: 'referral',
            from_status: findingReopened ? 'referred' : null,
            to_status: findingReopened ? 'in_progress' : null,
            detail: {
              referralId: row.id,
              referralStatus: input.to,
              providerName: current.provider_name,
              note: input.to === 'completed' ? input.outcome : input.note,
            },
          },
        ]);
      }
      await audit(trx, ctx, {
        action: progressNote ? 'referral.progress' : 'referral.transition',
        entity: 'referral',
        entityId: row.id,
        regionCode: row.village_code,
        detail: {
          from,
          to: input.to,
          careService: input.careService ? { satisfaction: input.careService.satisfaction } : null,
        },
      });
      return { village: row.village_code, findingReopened };
    });
    this.bus.publish({ regionCode: current.provider_region, kind: 'referral' });
    this.bus.publish({ regionCode: published.village, kind: 'referral' });
    return this.detail(current.id, viewer, ctx);
  }

  /** `GET /api/referrals`: staff, their jurisdiction's (by status, provider, region); a provider, its own. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<ReferralListPage> {
    const viewer = await this.viewer(ctx);
    const query = parseInput(ReferralListQuery, rawQuery, 'query');
    let scope: ReferralScope;
    if (viewer.kind === 'provider') {
      scope = { providerId: viewer.provider.id };
    } else {
      if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
        throw notFound('区域');
      scope = { jurisdiction: ctx.actor.jurisdiction };
    }
    const { rows, total, counts } = await listReferrals(this.db, {
      scope,
      region: viewer.kind === 'staff' ? query.region : undefined,
      status: query.status,
      providerId: viewer.kind === 'staff' ? query.providerId : undefined,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'referral.list',
      entity: 'referral',
      regionCode: viewer.kind === 'staff' ? (query.region ?? ctx.actor.jurisdiction) : null,
      detail: { query, returned: rows.length },
    });
    const byStatus = Object.fromEntries(
      (Object.keys(REFERRAL_STATUS_LABELS) as ReferralStatus[]).map((s) => [s, counts.get(s) ?? 0]),
    ) as Record<ReferralStatus, number>;
    return {
      items: await this.present(rows, viewer, ctx),
      total,
      counts: byStatus,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/referrals/:id`: one referral with its history and care services. */
  async get(ctx: RequestContext, id: string): Promise<ReferralDetailDto> {
    const viewer = await this.viewer(ctx);
    const row = await this.findVisible(ctx, viewer, id);
    await audit(this.db, ctx, {
      action: 'referral.read',
      entity: 'referral',
      entityId: row.id,
      regionCode: row.village_code,
    });
    return this.detail(row.id, viewer, ctx);
  }

  /** `GET /api/elders/:id/referrals`: an elder's referrals, newest first (staff only). */
  async ofElder(ctx: RequestContext, elderId: string): Promise<{ items: ReferralDto[] }> {
    if (!REFERRAL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看转介');
    const elder = await this.elderInJurisdiction(ctx, elderId);
    const { rows } = await listReferrals(this.db, {
      scope: { jurisdiction: ctx.actor.jurisdiction },
      elderId: elder.id,
      limit: 500,
      offset: 0,
    });
    await audit(this.db, ctx, {
      action: 'referral.list',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { returned: rows.length },
    });
    return { items: await this.present(rows, { kind: 'staff' }, ctx) };
  }

  // -------------------------------------------------------------------------------------------

  /** Staff who read referrals, or a provider account linked to its provider; 403 otherwise. */
  private async viewer(ctx: RequestContext): Promise<Viewer> {
    if (ctx.actor.role === 'provider') {
      const provider = await providerOfUser(this.db, ctx.actor.userId);
      if (!provider) throw forbidden('您的账号尚未关联服务机构，请联系系统管理员');
      return { kind: 'provider', provider };
    }
    if (!REFERRAL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看转介');
    return { kind: 'staff' };
  }

  /** A referral the viewer may see: 404 for any other. */
  private async findVisible(
    ctx: RequestContext,
    viewer: Viewer,
    id: string,
  ): Promise<ReferralView> {
    if (!isUuid(id)) throw notFound('转介');
    const row = await findReferralView(this.db, id);
    const visible =
      row &&
      (viewer.kind === 'provider'
        ? row.provider_id === viewer.provider.id
        : isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction));
    if (!visible) throw notFound('转介');
    return row;
  }

  /** A retried create: the stored referral when it is the same request's, else 409. */
  private async retried(
    ctx: RequestContext,
    stored: { id: string; elder_id: string; village_code: string },
    elderId: string,
  ): Promise<ReferralDetailDto> {
    if (
      stored.elder_id !== elderId ||
      !isWithinJurisdiction(stored.village_code, ctx.actor.jurisdiction)
    )
      throw conflict('id_conflict', '该转介编号已被另一条转介使用', 'id');
    return this.detail(stored.id, { kind: 'staff' }, ctx);
  }

  private async elderInJurisdiction(ctx: RequestContext, elderId: string): Promise<ElderBrief> {
    if (!isUuid(elderId)) throw notFound('老年人记录');
    const elder = await findElderBrief(this.db, elderId);
    if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    return elder;
  }

  private async actorName(db: Executor, ctx: RequestContext): Promise<string> {
    const user = await db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', ctx.actor.userId)
      .executeTakeFirst();
    return user?.display_name ?? ctx.actor.username;
  }

  private async detail(
    id: string,
    viewer: Viewer,
    ctx: RequestContext,
  ): Promise<ReferralDetailDto> {
    const row = (await findReferralView(this.db, id))!;
    const [[dto], events, services] = await Promise.all([
      this.present([row], viewer, ctx),
      referralEvents(this.db, id),
      listCareServices(this.db, {
        scope: { jurisdiction: '' },
        referralId: id,
        limit: 200,
        offset: 0,
      }),
    ]);
    return {
      ...dto!,
      events: events.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor_name,
        fromStatus: e.from_status as ReferralStatus | null,
        toStatus: e.to_status as ReferralStatus | null,
        note: e.note,
      })),
      careServices: await presentCareServices(this.regions, services.rows),
    };
  }

  private async present(
    rows: ReferralView[],
    viewer: Viewer,
    ctx: RequestContext,
  ): Promise<ReferralDto[]> {
    const places = await this.regions.fullNames(rows.map((r) => r.village_code));
    return rows.map((r) => ({
      id: r.id,
      status: r.status as ReferralStatus,
      kind: r.kind as ProviderKind,
      need: r.need,
      outcome: r.outcome,
      elder: {
        id: r.elder_id,
        name: r.elder_name,
        village: { code: r.village_code, ...places.get(r.village_code)! },
        phoneMasked: r.elder_phone_masked,
      },
      finding:
        viewer.kind === 'staff' && r.finding_id
          ? { id: r.finding_id, title: r.finding_title!, status: r.finding_status as FindingStatus }
          : null,
      provider: { id: r.provider_id, name: r.provider_name, phone: r.provider_phone },
      referredBy: r.referred_by_name
        ? { name: r.referred_by_name, phone: r.referred_by_phone }
        : null,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      acceptedAt: r.accepted_at?.toISOString() ?? null,
      completedAt: r.completed_at?.toISOString() ?? null,
      actions: referralActionsFor(ctx.actor.role, r.status as ReferralStatus),
    }));
  }
}
