import {
  DEADLINE_EDITORS,
  DEADLINE_KEYS,
  DEFAULT_DEADLINES,
  DeadlineConfigInput,
  DeadlineConfigQuery,
  deadlineKeyLabel,
  isWithinJurisdiction,
  type DeadlineConfigDto,
  type DeadlineRuleDto,
  type RegionRef,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { deadlineRowsOnPath, replaceRegionDeadlines } from './deadlines.repository.js';
import { FINDING_READERS } from './findings.service.js';

/**
 * Deadlines per region (期限设置): the defaults of the domain, overridden by a region for itself
 * and the regions within it; the most specific region wins. County and city staff set them.
 */
export class DeadlinesService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /** `GET /api/follow-up/deadlines?region=`: the deadlines in force for a region. */
  async get(ctx: RequestContext, rawQuery: unknown): Promise<DeadlineConfigDto> {
    if (!FINDING_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看处理期限');
    const region = await this.regionOf(ctx, rawQuery);
    return this.present(ctx, region);
  }

  /**
   * `PUT /api/follow-up/deadlines?region=`: replaces the region's own deadlines (a key left out
   * follows the enclosing regions again). Findings already raised keep their deadline.
   */
  async put(ctx: RequestContext, rawQuery: unknown, raw: unknown): Promise<DeadlineConfigDto> {
    if (!DEADLINE_EDITORS.includes(ctx.actor.role))
      throw forbidden('只有县（区）、市民政局工作人员可以设置处理期限');
    const region = await this.regionOf(ctx, rawQuery);
    const input = parseInput(DeadlineConfigInput, raw);
    await this.db.transaction().execute(async (trx) => {
      await replaceRegionDeadlines(trx, region, input.rules, ctx.actor.userId);
      await audit(trx, ctx, {
        action: 'followup.deadlines',
        entity: 'region',
        entityId: region,
        regionCode: region,
        detail: { rules: input.rules },
      });
    });
    return this.present(ctx, region);
  }

  /** The region asked for (the user's own by default): within the jurisdiction and known. */
  private async regionOf(ctx: RequestContext, rawQuery: unknown): Promise<string> {
    const { region = ctx.actor.jurisdiction } = parseInput(DeadlineConfigQuery, rawQuery, 'query');
    if (
      !isWithinJurisdiction(region, ctx.actor.jurisdiction) ||
      !(await findRegion(this.db, region))
    )
      throw notFound('区域');
    return region;
  }

  private async present(ctx: RequestContext, region: string): Promise<DeadlineConfigDto> {
    const rows = await deadlineRowsOnPath(this.db, region);
    const names = await this.regions.fullNames([region, ...rows.map((r) => r.region_code)]);
    const ref = (code: string): RegionRef => ({ code, ...names.get(code)! });
    const rules = DEADLINE_KEYS.map((key): DeadlineRuleDto => {
      const set = rows
        .filter((r) => r.key === key)
        .sort((a, b) => b.region_code.length - a.region_code.length);
      const own = set.find((r) => r.region_code === region);
      const above = set.find((r) => r.region_code !== region);
      const inherited = above
        ? { action: above.action, minutes: above.minutes, source: ref(above.region_code) }
        : { ...DEFAULT_DEADLINES[key], source: null };
      return {
        key,
        label: deadlineKeyLabel(key),
        action: own?.action ?? inherited.action,
        minutes: own?.minutes ?? inherited.minutes,
        source: own ? ref(region) : inherited.source,
        own: Boolean(own),
        inherited,
      };
    });
    return {
      region: ref(region),
      rules,
      canEdit: DEADLINE_EDITORS.includes(ctx.actor.role),
    };
  }
}
