import { randomInt } from 'node:crypto';
import {
  MAX_SEED,
  RevealInput,
  SPOT_CHECK_READERS,
  SPOT_CHECK_STAFF,
  SpotCheckAssignInput,
  SpotCheckDrawInput,
  SpotCheckListQuery,
  SpotCheckPassRateQuery,
  SpotCheckResultInput,
  drawSample,
  isUuid,
  isWithinJurisdiction,
  maskPhone,
  parsePeriodKey,
  periodOf,
  proofFlags,
  startOfLocalDate,
  uuidv7,
  type Page,
  type RegionRef,
  type Role,
  type SpotCheckCheckerDto,
  type SpotCheckDetailDto,
  type SpotCheckEventDto,
  type SpotCheckItemDto,
  type SpotCheckPassRateDto,
  type SpotCheckPhoneDto,
  type SpotCheckReproductionDto,
  type SpotCheckResult,
  type SpotCheckSampleDto,
  type VisitLocation,
  childCodeLength,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { isSealed, type Vault } from '../../crypto.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { locatedInPersonVisits } from '../visits/visits.repository.js';
import { referenceLocations } from '../visits/visits.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import {
  checkersOf,
  displayNameOf,
  elderPhonesOf,
  eventsOfItem,
  findItem,
  findItemView,
  findSample,
  findSampleOf,
  findSampleView,
  findTownship,
  insertEvents,
  insertItems,
  insertSample,
  itemsOfSample,
  listSamples,
  lockItem,
  lockItemsOfSample,
  lockVisitOf,
  populationOf,
  setChecker,
  setResult,
  setVisitUnverified,
  spotCheckPassRateByChild,
  spotCheckPassRate,
  toProgress,
  type ItemView,
  type SampleRow,
  type SampleView,
} from './spot-checks.repository.js';

/** The stored visit list of a sample: `[visitId, visitorId | null]` by id. */
type Population = [string, string | null][];

/** A 404 that names the sample. */
const sampleNotFound = () => notFound('抽查样本');
/** A 404 that names the item. */
const itemNotFound = () => notFound('抽查项');

/**
 * Spot checks (抽查): drawing a township's sample of a month (stratified by visitor, from a stored
 * seed), assigning checkers, recording results — a visit not verified stops counting toward the
 * visit rate in the same transaction — and the pass rate.
 */
export class SpotChecksService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly rollups: RollupsService,
    private readonly vault: Vault,
  ) {}

  /**
   * `POST /api/spot-checks`: draws the month's sample of a township's visits (every method), from
   * the visits no sample holds yet. One sample per township and month: a second draw is 409 naming
   * the first.
   */
  async draw(ctx: RequestContext, raw: unknown): Promise<SpotCheckDetailDto> {
    this.require(ctx, SPOT_CHECK_STAFF, '只有县、乡镇（街道）民政工作人员可以抽查');
    const input = parseInput(SpotCheckDrawInput, raw);
    if (!isWithinJurisdiction(input.townshipCode, ctx.actor.jurisdiction))
      throw notFound('乡镇（街道）');
    const township = await findTownship(this.db, input.townshipCode);
    if (!township) throw notFound('乡镇（街道）');
    const existing = await findSampleOf(this.db, input.townshipCode, input.month);
    if (existing) throw this.alreadyDrawn(existing);
    const period = periodOf('month', `${input.month}-01`);
    const population = await populationOf(
      this.db,
      input.townshipCode,
      new Date(startOfLocalDate(period.start)),
      new Date(startOfLocalDate(period.end)),
    );
    if (population.length === 0)
      throw badRequest(
        `${township.name}${monthLabel(input.month)}没有可抽查的探访记录（已抽查的不再抽取）`,
        'month',
      );
    const seed = input.seed ?? randomInt(0, MAX_SEED + 1);
    const options = {
      ratePercent: input.ratePercent ?? null,
      perVisitor: input.perVisitor ?? null,
      minPerVisitor: input.minPerVisitor,
    };
    const candidates = population.map((p) => ({ ...p, visitorId: p.visitor_id }));
    const chosen = drawSample(candidates, options, seed);
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const stored = await insertSample(trx, {
        id,
        township_code: input.townshipCode,
        county_code: input.townshipCode.slice(0, 6),
        month: input.month,
        seed,
        rate_percent: options.ratePercent,
        per_visitor: options.perVisitor,
        min_per_visitor: options.minPerVisitor,
        population: JSON.stringify(candidates.map((c): Population[number] => [c.id, c.visitorId])),
        population_size: candidates.length,
        strata: new Set(candidates.map((c) => c.visitorId ?? '')).size,
        drawn_by: ctx.actor.userId,
      });
      // Drawn meanwhile by someone else: theirs stands.
      if (!stored)
        throw this.alreadyDrawn(await findSampleOf(trx, input.townshipCode, input.month));
      await insertItems(
        trx,
        chosen.map((c) => ({
          id: uuidv7(),
          sample_id: id,
          visit_id: c.id,
          elder_id: c.elder_id,
          county_code: c.county_code,
          village_code: c.village_code,
          visitor_id: c.visitor_id,
        })),
      );
      await audit(trx, ctx, {
        action: 'spot_check.draw',
        entity: 'spot_check',
        entityId: id,
        regionCode: input.townshipCode,
        detail: {
          month: input.month,
          seed,
          ...options,
          populationSize: candidates.length,
          sampleSize: chosen.length,
        },
      });
    });
    return this.detail(ctx, id, false);
  }

  private alreadyDrawn(existing: SampleRow | undefined): AppError {
    return new AppError(
      409,
      'spot_check_exists',
      existing
        ? `该乡镇（街道）${monthLabel(existing.month)}已抽样（种子 ${existing.seed}），每月只抽一次`
        : '该乡镇（街道）本月已抽样，每月只抽一次',
      'month',
      undefined,
      existing ? { sampleId: existing.id } : undefined,
    );
  }

  /** `GET /api/spot-checks`: the samples of a region (default: the jurisdiction), newest first. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<SpotCheckSampleDto>> {
    this.require(ctx, SPOT_CHECK_READERS, '您的角色不能查看抽查');
    const query = parseInput(SpotCheckListQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const { rows, total } = await listSamples(this.db, {
      region,
      period: query.period,
      userId: ctx.actor.userId,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const names = await this.regions.fullNames(rows.map((r) => r.township_code));
    return {
      items: rows.map((r) => this.presentSample(r, names)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/spot-checks/:id`: a sample with its items (the read is logged). */
  async get(ctx: RequestContext, id: string): Promise<SpotCheckDetailDto> {
    this.require(ctx, SPOT_CHECK_READERS, '您的角色不能查看抽查');
    await this.readableSample(ctx, id);
    return this.detail(ctx, id, true);
  }

  private async detail(
    ctx: RequestContext,
    id: string,
    logRead: boolean,
  ): Promise<SpotCheckDetailDto> {
    const view = await findSampleView(this.db, id, ctx.actor.userId);
    if (!view) throw sampleNotFound();
    const items = await itemsOfSample(this.db, id);
    const names = await this.regions.fullNames([
      view.township_code,
      ...new Set(items.map((i) => i.village_code)),
    ]);
    if (logRead)
      await audit(this.db, ctx, {
        action: 'spot_check.read',
        entity: 'spot_check',
        entityId: id,
        regionCode: view.township_code,
        detail: { items: items.length },
      });
    return { ...this.presentSample(view, names), items: await this.presentItems(items, names) };
  }

  /**
   * `GET /api/spot-checks/:id/reproduce`: the sample drawn again from the stored seed, options
   * and visit list, and whether it is the stored one.
   */
  async reproduce(ctx: RequestContext, id: string): Promise<SpotCheckReproductionDto> {
    this.require(ctx, SPOT_CHECK_READERS, '您的角色不能查看抽查');
    const sample = await this.readableSample(ctx, id);
    const population = sample.population as Population;
    const expected = drawSample(
      population.map(([visitId, visitorId]) => ({ id: visitId, visitorId })),
      {
        ratePercent: sample.rate_percent,
        perVisitor: sample.per_visitor,
        minPerVisitor: sample.min_per_visitor,
      },
      sample.seed,
    )
      .map((v) => v.id)
      .sort();
    const stored = (await itemsOfSample(this.db, id)).map((i) => i.visit_id).sort();
    return {
      seed: sample.seed,
      populationSize: population.length,
      matches: expected.length === stored.length && expected.every((v, i) => v === stored[i]),
      expected,
      stored,
    };
  }

  /** `GET /api/spot-checks/:id/checkers`: who the actor may assign the sample's items to. */
  async checkers(ctx: RequestContext, id: string): Promise<{ items: SpotCheckCheckerDto[] }> {
    this.require(ctx, SPOT_CHECK_STAFF, '只有县、乡镇（街道）民政工作人员可以分配抽查');
    const sample = await this.readableSample(ctx, id);
    const rows = await checkersOf(this.db, sample.township_code, ctx.actor.jurisdiction);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.display_name,
        role: r.role as Role,
        jurisdiction: r.jurisdiction,
      })),
    };
  }

  /**
   * `POST /api/spot-checks/:id/assignments`: gives items still to check to a checker (county or
   * township staff covering the township, within the actor's jurisdiction; anyone else is 404).
   */
  async assign(
    ctx: RequestContext,
    id: string,
    raw: unknown,
  ): Promise<{ assigned: number; sample: SpotCheckDetailDto }> {
    this.require(ctx, SPOT_CHECK_STAFF, '只有县、乡镇（街道）民政工作人员可以分配抽查');
    const sample = await this.readableSample(ctx, id);
    const input = parseInput(SpotCheckAssignInput, raw);
    const checker = (await checkersOf(this.db, sample.township_code, ctx.actor.jurisdiction)).find(
      (c) => c.id === input.checkerId.toLowerCase(),
    );
    if (!checker) throw notFound('核实人员');
    const itemIds = [...new Set(input.itemIds.map((i) => i.toLowerCase()))];
    let changed = 0;
    await this.db.transaction().execute(async (trx) => {
      const items = await lockItemsOfSample(trx, id, itemIds);
      if (items.length !== itemIds.length) throw notFound('抽查项');
      const checked = items.filter((i) => i.result !== 'pending');
      if (checked.length > 0)
        throw conflict(
          'spot_check_item_checked',
          `有 ${checked.length} 条已核实，不能再改派`,
          'itemIds',
        );
      const moving = items.filter((i) => i.checker_id !== checker.id);
      changed = moving.length;
      if (moving.length === 0) return;
      await setChecker(
        trx,
        moving.map((i) => i.id),
        checker.id,
      );
      const actorName = await displayNameOf(trx, ctx.actor.userId);
      await insertEvents(
        trx,
        moving.map((i) => ({
          id: uuidv7(),
          item_id: i.id,
          elder_id: i.elder_id,
          county_code: i.county_code,
          actor_id: ctx.actor.userId,
          actor_name: actorName,
          kind: 'assigned' as const,
          checker_id: checker.id,
        })),
      );
      await audit(trx, ctx, {
        action: 'spot_check.assign',
        entity: 'spot_check',
        entityId: id,
        regionCode: sample.township_code,
        detail: { checkerId: checker.id, items: moving.map((i) => i.id) },
      });
    });
    return { assigned: changed, sample: await this.detail(ctx, id, false) };
  }

  /**
   * `POST /api/spot-check-items/:id/result`: the assigned checker (or county staff) records how the
   * visit was verified. In one transaction: the item, the visit's `unverified` flag, the visit-rate
   * windows of the visit's time recomputed when the flag changed, the history and the audit entry.
   * A result may be changed later, with a note; every result stays in the history.
   */
  async recordResult(ctx: RequestContext, itemId: string, raw: unknown): Promise<SpotCheckItemDto> {
    this.require(ctx, SPOT_CHECK_STAFF, '只有县、乡镇（街道）民政工作人员可以记录核实结果');
    if (!isUuid(itemId)) throw itemNotFound();
    const input = parseInput(SpotCheckResultInput, raw);
    const note = input.note ? input.note : null;
    await this.db.transaction().execute(async (trx) => {
      const item = await lockItem(trx, itemId);
      if (!item || !isWithinJurisdiction(item.township_code, ctx.actor.jurisdiction))
        throw itemNotFound();
      if (ctx.actor.role !== 'county' && item.checker_id !== ctx.actor.userId)
        throw forbidden(
          item.checker_id
            ? '该抽查项已分配给其他核实人员'
            : '该抽查项尚未分配给您，请先分配核实人员',
        );
      if (item.result === input.result && item.note === note) return; // a retry: nothing changes
      if (item.result !== 'pending' && !note)
        throw badRequest('修改核实结果时请填写备注（修改原因）', 'note');
      const now = new Date();
      await setResult(trx, item.id, {
        result: input.result,
        note,
        checked_at: now,
        checked_by: ctx.actor.userId,
      });
      const visit = await lockVisitOf(trx, item.visit_id, item.elder_id);
      const unverified = input.result === 'not_verified';
      if (visit.unverified !== unverified) {
        await setVisitUnverified(trx, visit.id, item.elder_id, unverified);
        // The windows of the visit's time, recomputed from the visits that count (this transaction).
        await this.rollups.refreshElders(
          [item.elder_id],
          visit.visited_at,
          new Date(visit.visited_at.getTime() + 1),
          trx,
        );
      }
      await insertEvents(trx, [
        {
          id: uuidv7(),
          item_id: item.id,
          elder_id: item.elder_id,
          county_code: item.county_code,
          at: now,
          actor_id: ctx.actor.userId,
          actor_name: await displayNameOf(trx, ctx.actor.userId),
          kind: 'result',
          from_result: item.result,
          to_result: input.result,
          note,
        },
      ]);
      await audit(trx, ctx, {
        action: 'spot_check.result',
        entity: 'visit',
        entityId: item.visit_id,
        regionCode: item.village_code,
        detail: {
          itemId: item.id,
          sampleId: item.sample_id,
          elderId: item.elder_id,
          from: item.result,
          to: input.result,
          note,
          unverified,
        },
      });
    });
    const view = await findItemView(this.db, itemId);
    const names = await this.regions.fullNames([view!.village_code]);
    return (await this.presentItems([view!], names))[0]!;
  }

  /** `GET /api/spot-check-items/:id/events`: the item's assignments and results, oldest first. */
  async events(ctx: RequestContext, itemId: string): Promise<{ items: SpotCheckEventDto[] }> {
    this.require(ctx, SPOT_CHECK_READERS, '您的角色不能查看抽查');
    await this.readableItem(ctx, itemId);
    const rows = await eventsOfItem(this.db, itemId);
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { id: r.actor_id, name: r.actor_name },
        kind: r.kind,
        fromResult: r.from_result as SpotCheckResult | null,
        toResult: r.to_result as SpotCheckResult | null,
        checker: r.checker_id ? { id: r.checker_id, name: r.checker_name ?? '' } : null,
        note: r.note,
      })),
    };
  }

  /**
   * `POST /api/spot-check-items/:id/phone`: the elder's and the emergency contact's full numbers,
   * for county and township staff who phone the elder, with a reason; logged as `elder.reveal`.
   */
  async revealPhone(ctx: RequestContext, itemId: string, raw: unknown): Promise<SpotCheckPhoneDto> {
    this.require(ctx, SPOT_CHECK_STAFF, '您的角色无权查看完整电话');
    const { reason } = parseInput(RevealInput, raw);
    const item = await this.readableItem(ctx, itemId);
    const elder = await elderPhonesOf(this.db, item.elder_id);
    const contact = (elder.data as { emergencyContact?: { name: string; phone?: string } })
      .emergencyContact;
    const open = (v: string | null | undefined) =>
      v ? (isSealed(v) ? this.vault.decrypt(v) : v) : null;
    await audit(this.db, ctx, {
      action: 'elder.reveal',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { reason, fields: ['phone', 'emergencyContact.phone'], spotCheckItemId: item.id },
    });
    return {
      phone: open(elder.phone_enc),
      emergencyContact: contact ? { name: contact.name, phone: open(contact.phone) } : null,
    };
  }

  /**
   * `GET /api/spot-checks/pass-rate`: a region's pass rate (verified ÷ checked) over a month,
   * quarter or year, and each child region's.
   */
  async passRate(ctx: RequestContext, rawQuery: unknown): Promise<SpotCheckPassRateDto> {
    this.require(ctx, SPOT_CHECK_READERS, '您的角色不能查看抽查');
    const query = parseInput(SpotCheckPassRateQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const period = parsePeriodKey(query.period)!;
    const from = period.start.slice(0, 7);
    const to = period.end.slice(0, 7);
    const childLength = childCodeLength(region);
    const [total, children] = await Promise.all([
      spotCheckPassRate(this.db, region, from, to),
      spotCheckPassRateByChild(this.db, region, childLength, from, to),
    ]);
    const names = await this.regions.fullNames([region, ...children.map((c) => c.child)]);
    return {
      region: this.ref(region, names),
      period: period.key,
      total,
      rows: children.map((c) => ({ region: this.ref(c.child, names), progress: c.progress })),
    };
  }

  private require(ctx: RequestContext, roles: readonly Role[], message: string): void {
    if (!roles.includes(ctx.actor.role)) throw forbidden(message);
  }

  /** A sample of a township within the actor's jurisdiction; 404 otherwise. */
  private async readableSample(ctx: RequestContext, id: string): Promise<SampleRow> {
    if (!isUuid(id)) throw sampleNotFound();
    const sample = await findSample(this.db, id);
    if (!sample || !isWithinJurisdiction(sample.township_code, ctx.actor.jurisdiction))
      throw sampleNotFound();
    return sample;
  }

  /** An item of a sample within the actor's jurisdiction; 404 otherwise. */
  private async readableItem(ctx: RequestContext, id: string) {
    if (!isUuid(id)) throw itemNotFound();
    const item = await findItem(this.db, id);
    if (!item || !isWithinJurisdiction(item.township_code, ctx.actor.jurisdiction))
      throw itemNotFound();
    return item;
  }

  private ref(code: string, names: Map<string, { name: string; fullName: string }>): RegionRef {
    return { code, ...(names.get(code) ?? { name: code, fullName: code }) };
  }

  private presentSample(
    r: SampleView,
    names: Map<string, { name: string; fullName: string }>,
  ): SpotCheckSampleDto {
    return {
      id: r.id,
      township: this.ref(r.township_code, names),
      month: r.month,
      seed: Number(r.seed),
      ratePercent: r.rate_percent,
      perVisitor: r.per_visitor,
      minPerVisitor: r.min_per_visitor,
      populationSize: r.population_size,
      strata: r.strata,
      drawnBy: { id: r.drawn_by, name: r.drawn_by_name },
      drawnAt: r.drawn_at.toISOString(),
      progress: toProgress(r),
      mineToCheck: r.mine_to_check,
    };
  }

  /** Items for the API: masked phones only, and the visit's proof flags as the visit shows them. */
  private async presentItems(
    rows: ItemView[],
    names: Map<string, { name: string; fullName: string }>,
  ): Promise<SpotCheckItemDto[]> {
    const located = await locatedInPersonVisits(this.db, [
      ...new Set(rows.filter((r) => r.method === 'in_person').map((r) => r.elder_id)),
    ]);
    return rows.map((r) => {
      const location = (r.location ?? null) as VisitLocation | null;
      const earlier = referenceLocations(located, { ...r, id: r.visit_id });
      const proof = proofFlags({
        visitedAt: r.visited_at.toISOString(),
        enteredAt: r.entered_at.toISOString(),
        deviceTime: r.device_time?.toISOString() ?? null,
        location,
        earlierLocations: earlier,
      });
      const contact = (r.elder_data as { emergencyContact?: { name: string; phone?: string } })
        .emergencyContact;
      const contactPhone = contact?.phone
        ? isSealed(contact.phone)
          ? this.vault.decrypt(contact.phone)
          : contact.phone
        : null;
      return {
        id: r.id,
        sampleId: r.sample_id,
        elder: {
          id: r.elder_id,
          name: r.elder_name,
          phoneMasked: r.elder_phone_masked,
          emergencyContact: contact
            ? { name: contact.name, phoneMasked: contactPhone ? maskPhone(contactPhone) : null }
            : null,
        },
        village: this.ref(r.village_code, names),
        visitor: r.visitor_id ? { id: r.visitor_id, name: r.visitor_name ?? '' } : null,
        visit: {
          id: r.visit_id,
          visitedAt: r.visited_at.toISOString(),
          enteredAt: r.entered_at.toISOString(),
          method: r.method,
          unverified: r.unverified,
          proof: {
            receivedAt: r.entered_at.toISOString(),
            deviceTime: r.device_time?.toISOString() ?? null,
            clockSkewMinutes: proof.clockSkewMinutes,
            location,
            flags: proof.flags,
          },
        },
        checker: r.checker_id ? { id: r.checker_id, name: r.checker_name ?? '' } : null,
        result: r.result,
        note: r.note,
        checkedAt: r.checked_at?.toISOString() ?? null,
        checkedBy: r.checked_by ? { id: r.checked_by, name: r.checked_by_name ?? '' } : null,
        changes: r.changes,
      };
    });
  }
}

/** 2026年11月. */
function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}
