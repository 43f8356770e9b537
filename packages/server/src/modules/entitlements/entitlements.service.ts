import {
  EntitlementDismissalInput,
  EntitlementHintsQuery,
  REFERRAL_CREATORS,
  REFERRAL_READERS,
  ageOn,
  entitlementHints,
  isUuid,
  isWithinJurisdiction,
  todayIso,
  type Category,
  type EntitlementHintsDto,
  type EntitlementSubject,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { conflict, forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import {
  dismissalsOf,
  findElderForHints,
  upsertDismissal,
  type ElderForHints,
} from './entitlements.repository.js';

/**
 * 权益提示: the domain's entitlement rules over an elder's ledger record, less the hints staff
 * dismissed (with the reason), which are listed on request.
 */
export class EntitlementsService {
  constructor(private readonly db: Executor) {}

  /** `GET /api/elders/:id/entitlement-hints?dismissed=true` (the read is logged). */
  async hints(
    ctx: RequestContext,
    elderId: string,
    rawQuery: unknown,
  ): Promise<EntitlementHintsDto> {
    if (!REFERRAL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看权益提示');
    const query = parseInput(EntitlementHintsQuery, rawQuery, 'query');
    const elder = await this.elder(ctx, elderId);
    const result = await this.compute(elder, query.dismissed === 'true');
    await audit(this.db, ctx, {
      action: 'entitlement.read',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { hints: result.items.map((h) => h.rule), dismissed: result.dismissedCount },
    });
    return result;
  }

  /** `POST /api/elders/:id/entitlement-hints/dismissals`: dismisses a hint that applies now. */
  async dismiss(ctx: RequestContext, elderId: string, raw: unknown): Promise<EntitlementHintsDto> {
    if (!REFERRAL_CREATORS.includes(ctx.actor.role))
      throw forbidden('只有村（社区）、乡镇（街道）、县（区）工作人员可以处理权益提示');
    const input = parseInput(EntitlementDismissalInput, raw);
    const elder = await this.elder(ctx, elderId);
    if (!entitlementHints(subjectOf(elder)).some((h) => h.rule === input.rule))
      throw conflict('hint_not_applicable', '该权益提示目前不适用于这位老年人', 'rule');
    await this.db.transaction().execute(async (trx) => {
      await upsertDismissal(trx, {
        elderId: elder.id,
        countyCode: elder.county_code,
        rule: input.rule,
        reason: input.reason,
        by: ctx.actor.userId,
      });
      await audit(trx, ctx, {
        action: 'entitlement.dismiss',
        entity: 'elder',
        entityId: elder.id,
        regionCode: elder.village_code,
        detail: { rule: input.rule, reason: input.reason },
      });
    });
    return this.compute(elder, true);
  }

  private async compute(
    elder: ElderForHints,
    withDismissed: boolean,
  ): Promise<EntitlementHintsDto> {
    const hints = entitlementHints(subjectOf(elder));
    const dismissals = new Map((await dismissalsOf(this.db, elder.id)).map((d) => [d.rule, d]));
    const items = [];
    const dismissed = [];
    for (const h of hints) {
      const d = dismissals.get(h.rule);
      if (!d) items.push({ ...h, dismissed: null });
      else
        dismissed.push({
          ...h,
          dismissed: {
            reason: d.reason,
            at: d.dismissed_at.toISOString(),
            by: d.dismissed_by_name,
          },
        });
    }
    return { items, dismissed: withDismissed ? dismissed : [], dismissedCount: dismissed.length };
  }

  private async elder(ctx: RequestContext, elderId: string): Promise<ElderForHints> {
    if (!isUuid(elderId)) throw notFound('老年人记录');
    const elder = await findElderForHints(this.db, elderId);
    if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    return elder;
  }
}

/** What the rules read: the age today, the stored categories and the record's fields. */
function subjectOf(elder: ElderForHints): EntitlementSubject {
  return {
    age: ageOn(elder.birth_date, todayIso()),
    categories: elder.categories as Category[],
    data: elder.data as EntitlementSubject['data'],
  };
}
