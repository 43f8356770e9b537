import {
  CLEARABLE_ELDER_FIELDS,
  ElderFields,
  ElderListQuery,
  ElderPatch,
  ElderStatusChange,
  RevealInput,
  ageOn,
  evaluateElder,
  isUuid,
  isWithinJurisdiction,
  maskIdNumber,
  maskPhone,
  regionLevelOf,
  todayIso,
  uuidv7,
  type Category,
  type ElderData,
  type ElderDto,
  type ElderMovedDto,
  type ElderEvaluation,
  type ElderRevealDto,
  type ElderSummaryDto,
  type Page,
  type Role,
} from '@tanfang/domain';
import { pinyin } from 'pinyin-pro';
import { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import type { Vault } from '../../crypto.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import { endAssignmentsOfElder } from '../assignments/assignments.repository.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ROLLUP_EPOCH, type RollupsService } from '../rollups/rollups.service.js';
import {
  findElderByIdHash,
  findElderInJurisdiction,
  findLikelyDuplicates,
  insertElder,
  insertStatus,
  listElderChanges,
  listElders,
  listStatusHistory,
  updateElderIfVersion,
  type ElderRow,
} from './elders.repository.js';
import { maskData, masksOf, openData, restoreMasked, sealData } from './elders.sealing.js';

/** Roles that read the ledger (masked). */
const READERS: readonly Role[] = ['village', 'township', 'county', 'city', 'admin', 'auditor'];
/** Roles that create and change records. */
const WRITERS: readonly Role[] = ['village', 'township', 'county', 'admin'];
/** Roles that may see full ID and phone numbers, on request (logged). */
const REVEALERS: readonly Role[] = ['village', 'township', 'county', 'admin'];

const PatchWithVersion = ElderPatch.extend({
  version: z.number({ error: '请提供记录版本号 version（读取记录时得到）' }).int().min(1),
});

/** Whether a region code exists: the region table, or (in bulk import) a cache of it. */
export type RegionLookup = (code: string) => Promise<boolean> | boolean;

/** A record that passed the schema, the ledger rules and the region checks: ready to store. */
export interface PreparedElder {
  data: ElderData;
  /** The record date in force (摸底日期; today when not given). */
  recordDate: string;
  evaluation: ElderEvaluation;
}

/** The columns of an elder row that follow from its data (not id, status or authorship). */
export type ElderColumns = ReturnType<EldersService['columnsOf']>;

/** What the rules add to a stored record. */
interface StoredEvaluation {
  findings: ElderEvaluation['findings'];
  contradictions: ElderEvaluation['contradictions'];
  tier: ElderEvaluation['tier'];
}

/** Pinyin initials of a name, for search (张三 → zs). */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The elder ledger (台账): records, status over time, privacy. */
export class EldersService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly vault: Vault,
    /** Keeps the visit-rate rollup current as elders come, change and go. */
    readonly rollups?: RollupsService,
  ) {}

  /** Registers an elder. */
  async create(ctx: RequestContext, raw: unknown): Promise<ElderDto> {
    this.require(ctx, WRITERS, '您的角色不能登记老年人');
    const data = parseInput(ElderFields, raw);
    const prepared = await this.prepare(ctx, data);
    const { evaluation, recordDate } = prepared;
    const idHash = this.vault.hashIdNumber(data.idNumber);
    await this.refuseDuplicate(ctx, idHash);
    const id = uuidv7();
    const row = await this.db
      .transaction()
      .execute(async (trx) => {
        const created = await insertElder(trx, {
          id,
          ...this.columnsOf(prepared),
          ...this.identityOf(data.idNumber, idHash),
          status: 'active',
          status_since: recordDate,
          created_by: ctx.actor.userId,
          updated_by: ctx.actor.userId,
        });
        await insertStatus(trx, {
          id: uuidv7(),
          elder_id: id,
          county_code: created.county_code,
          status: 'active',
          effective_date: recordDate,
          village_code: data.villageCode,
          note: '登记入册',
          recorded_by: ctx.actor.userId,
        });
        await this.rollups?.replanElders([id], recordDate, trx);
        await audit(trx, ctx, {
          action: 'elder.create',
          entity: 'elder',
          entityId: id,
          regionCode: data.villageCode,
          detail: { categories: evaluation.categories, tier: evaluation.tier.effective },
        });
        return created;
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') throw this.duplicateError();
        throw error;
      });
    return this.present(row);
  }

  /** The ledger within the jurisdiction, masked (the read is logged). */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<ElderSummaryDto>> {
    this.require(ctx, READERS, '您的角色不能查看台账');
    const query = parseInput(ElderListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total } = await listElders(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      category: query.category,
      tier: query.tier,
      status: query.status,
      q: query.q,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'elder.list',
      entity: 'elder',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return { items: await this.summaries(rows), total, page: query.page, pageSize: query.pageSize };
  }

  /** One record with its history, masked (the read is logged). */
  async get(ctx: RequestContext, id: string): Promise<ElderDto> {
    this.require(ctx, READERS, '您的角色不能查看台账');
    const row = await this.findOwn(ctx, id);
    await audit(this.db, ctx, {
      action: 'elder.read',
      entity: 'elder',
      entityId: id,
      regionCode: row.village_code,
    });
    return this.present(row);
  }

  /** Changes fields (not the ID number, not the village: a move is a status change). */
  async update(ctx: RequestContext, id: string, raw: unknown): Promise<ElderDto> {
    this.require(ctx, WRITERS, '您的角色不能修改台账');
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) parseInput(PatchWithVersion, raw);
    const current = await this.findOwn(ctx, id);
    const opened = openData(current.data, this.vault);
    const ownPhone = current.phone_enc ? this.vault.decrypt(current.phone_enc) : null;
    const ownId = this.vault.decrypt(current.id_enc);
    // null clears an optional field; masks sent back unchanged keep the stored numbers.
    const body = raw as Record<string, unknown>;
    const clearable = new Set<string>(CLEARABLE_ELDER_FIELDS);
    const cleared = Object.keys(body).filter((k) => body[k] === null && clearable.has(k));
    const withoutNulls = Object.fromEntries(
      Object.entries(body).filter(([k]) => !cleared.includes(k)),
    );
    const restored = restoreMasked(
      withoutNulls,
      masksOf(opened, { idNumber: ownId, phone: ownPhone }),
    );
    const { version, ...parsed } = parseInput(PatchWithVersion, restored);
    // Only the fields sent change: zod's defaults for absent fields must not reset them.
    const sent = new Set(Object.keys(restored).filter((k) => k !== 'version'));
    const patch = Object.fromEntries(
      Object.entries(parsed).filter(([k]) => sent.has(k)),
    ) as Partial<ElderData>;
    if (patch.villageCode && patch.villageCode !== current.village_code) {
      throw badRequest('居住地变更请使用“状态变更—迁出”，以保留迁移历史', 'villageCode');
    }
    const merged: Record<string, unknown> = {
      ...opened,
      idNumber: ownId,
      ...(ownPhone ? { phone: ownPhone } : {}),
      villageCode: current.village_code,
      ...patch,
    };
    for (const k of cleared) delete merged[k];
    const data = parseInput(ElderFields, merged);
    const prepared = await this.prepare(ctx, data);
    const { evaluation } = prepared;
    const changed = [...Object.keys(patch), ...cleared];
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateElderIfVersion(trx, id, version, {
        ...this.columnsOf(prepared),
        updated_by: ctx.actor.userId,
      });
      if (!updated) {
        throw conflict('version_conflict', '该记录已被他人修改，请刷新后重新编辑', 'version');
      }
      // Tiers are not historised: the schedule reads every period with the current tier and
      // categories, so a change plans the elder's windows again from the first planned month.
      if (
        updated.tier !== current.tier ||
        updated.categories.join(',') !== current.categories.join(',')
      )
        await this.rollups?.replanElders([id], ROLLUP_EPOCH, trx);
      await audit(trx, ctx, {
        action: 'elder.update',
        entity: 'elder',
        entityId: id,
        regionCode: updated.village_code,
        detail: {
          fields: changed,
          categories: evaluation.categories,
          tier: evaluation.tier.effective,
        },
      });
      return updated;
    });
    return this.present(row);
  }

  /** Records a status change; a move to another village keeps the history and moves the record. */
  async changeStatus(
    ctx: RequestContext,
    id: string,
    raw: unknown,
  ): Promise<ElderDto | ElderMovedDto> {
    this.require(ctx, WRITERS, '您的角色不能变更台账状态');
    const input = parseInput(ElderStatusChange, raw);
    const current = await this.findOwn(ctx, id);
    const today = todayIso();
    if (input.effectiveDate > today) throw badRequest('生效日期不能晚于今天', 'effectiveDate');
    if (input.effectiveDate < current.status_since) {
      throw badRequest(
        `生效日期不能早于当前状态的生效日期 ${current.status_since}`,
        'effectiveDate',
      );
    }
    if (current.status === 'deceased') throw badRequest('已故人员的状态不能再变更', 'status');
    if (input.villageCode && input.status !== 'moved') {
      throw badRequest('只有“迁出”可以指定迁入村(居)', 'villageCode');
    }
    if (input.villageCode) {
      if (input.villageCode === current.village_code)
        throw badRequest('迁入村(居)与当前居住地相同', 'villageCode');
      const target = await findRegion(this.db, input.villageCode);
      if (!target || target.level !== 'village')
        throw badRequest(`村(居)代码 ${input.villageCode} 不存在`, 'villageCode');
    }
    if (!input.villageCode && input.status === current.status)
      throw badRequest('状态未改变', 'status');
    const row = await this.db.transaction().execute(async (trx) => {
      const common = {
        elder_id: id,
        note: input.note ?? null,
        recorded_by: ctx.actor.userId,
        effective_date: input.effectiveDate,
      };
      await insertStatus(trx, {
        ...common,
        id: uuidv7(),
        county_code: current.county_code,
        status: input.status,
        village_code: current.village_code,
      });
      let patch: Partial<ElderRow> = { status: input.status, status_since: input.effectiveDate };
      if (input.villageCode) {
        // A move within the system: out of the old village, active in the new one from that date.
        const county = input.villageCode.slice(0, 6);
        await insertStatus(trx, {
          ...common,
          id: uuidv7(),
          county_code: county,
          status: 'active',
          village_code: input.villageCode,
        });
        const data = { ...current.data, villageCode: input.villageCode };
        patch = {
          status: 'active',
          status_since: input.effectiveDate,
          village_code: input.villageCode,
          county_code: county,
          data: data as never,
        };
      }
      const updated = await updateElderIfVersion(trx, id, current.version, {
        ...patch,
        ...(patch.data ? { data: JSON.stringify(patch.data) } : {}),
        updated_by: ctx.actor.userId,
      } as never);
      if (!updated)
        throw conflict('version_conflict', '该记录已被他人修改，请刷新后重试', 'version');
      // Where and whether the elder is due changes from that date.
      await this.rollups?.replanElders([id], input.effectiveDate, trx);
      // Who visits follows where the elder is: death and leaving end the assignments (kept in
      // the history); a move ends those of visitors who do not cover the new village. A stay in
      // hospital or an institution keeps them.
      const ended =
        input.status === 'deceased' || input.status === 'moved'
          ? await endAssignmentsOfElder(trx, id, {
              endDate: input.effectiveDate,
              reason: input.villageCode
                ? '老年人迁至其他村(居)'
                : input.status === 'deceased'
                  ? '老年人已故'
                  : '老年人迁出',
              by: ctx.actor.userId,
              ...(input.villageCode ? { movedTo: input.villageCode } : {}),
            })
          : [];
      await audit(trx, ctx, {
        action: 'elder.status',
        entity: 'elder',
        entityId: id,
        regionCode: current.village_code,
        detail: {
          from: current.status,
          to: input.status,
          effectiveDate: input.effectiveDate,
          ...(input.villageCode
            ? { movedFrom: current.village_code, movedTo: input.villageCode }
            : {}),
          ...(ended.length ? { endedAssignments: ended.map((a) => a.id) } : {}),
        },
      });
      return updated;
    });
    if (!isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction)) {
      // Moved out of the actor's view: say where it went, show nothing else.
      return {
        id,
        movedOutOfJurisdiction: true,
        village: await this.regions.ref(row.village_code),
      };
    }
    return this.present(row);
  }

  /** Full ID and phone numbers, for roles entitled, on an explicit request with a reason (logged). */
  async reveal(ctx: RequestContext, id: string, raw: unknown): Promise<ElderRevealDto> {
    this.require(ctx, REVEALERS, '您的角色无权查看完整的身份证号和电话');
    const { reason } = parseInput(RevealInput, raw);
    const row = await this.findOwn(ctx, id);
    const data = openData(row.data, this.vault) as Partial<ElderData>;
    await audit(this.db, ctx, {
      action: 'elder.reveal',
      entity: 'elder',
      entityId: id,
      regionCode: row.village_code,
      detail: { reason },
    });
    return {
      idNumber: this.vault.decrypt(row.id_enc),
      birthDate: row.birth_date,
      phone: row.phone_enc ? this.vault.decrypt(row.phone_enc) : null,
      emergencyContactPhone: data.emergencyContact?.phone ?? null,
      householdMembers: (data.householdMembers ?? []).map((m) => ({
        name: m.name,
        idNumber: m.idNumber ?? null,
      })),
      supporters: (data.supporters ?? []).map((s) => ({
        name: s.name,
        idNumber: s.idNumber ?? null,
        phone: s.phone ?? null,
      })),
      caregiver: data.caregiver
        ? {
            name: data.caregiver.name,
            idNumber: data.caregiver.idNumber ?? null,
            phone: data.caregiver.phone ?? null,
          }
        : null,
    };
  }

  private require(ctx: RequestContext, roles: readonly Role[], message: string): void {
    if (!roles.includes(ctx.actor.role)) throw forbidden(message);
  }

  private async findOwn(ctx: RequestContext, id: string): Promise<ElderRow> {
    if (!isUuid(id)) throw notFound('老年人记录');
    const row = await findElderInJurisdiction(this.db, id, ctx.actor.jurisdiction);
    if (!row) throw notFound('老年人记录');
    return row;
  }

  /**
   * Checks parsed fields as the ledger does before storing them: the record date (not after
   * today), the village (in the actor's jurisdiction, and existing), the ledger rules (ID number,
   * age ≥ 60) and the ID number's province. Every failed check is collected: the 400 names the
   * first one's field and lists all in `details`. Used by the single-record path and by bulk import,
   * which passes a cached `regionExists` (it must not query inside a batch transaction).
   */
  async prepare(
    ctx: RequestContext,
    data: ElderData,
    regionExists: RegionLookup = async (code) => (await findRegion(this.db, code)) !== undefined,
  ): Promise<PreparedElder> {
    const errors: AppError[] = [];
    const today = todayIso();
    const recordDate = data.recordDate ?? today;
    if (recordDate > today) errors.push(badRequest('摸底日期不能晚于今天', 'recordDate'));
    const village = data.villageCode;
    if (!isWithinJurisdiction(village, ctx.actor.jurisdiction)) {
      errors.push(badRequest('居住地不在您的辖区内', 'villageCode'));
    } else if (regionLevelOf(village) !== 'village' || !(await regionExists(village))) {
      errors.push(badRequest(`村(居)代码 ${village} 不存在`, 'villageCode'));
    }
    const evaluated = await this.evaluate(
      data,
      recordDate > today ? today : recordDate,
      regionExists,
    );
    if (evaluated instanceof AppError) errors.push(evaluated);
    else if (errors.length === 0) return { data, recordDate, evaluation: evaluated };
    const top = errors[0]!;
    const details = errors.flatMap(
      (e) => e.details ?? [{ field: e.field ?? 'body', message: e.message }],
    );
    throw new AppError(top.status, top.code, top.message, top.field, details);
  }

  /** The ID-number columns of a new row: keyed hash, ciphertext and masked form. */
  identityOf(idNumber: string, idHash = this.vault.hashIdNumber(idNumber)) {
    return {
      id_hash: idHash,
      id_enc: this.vault.encrypt(idNumber),
      id_masked: maskIdNumber(idNumber),
    };
  }

  /** Applies the ledger rules; a refusal comes back as a 400 naming the field. */
  private async evaluate(
    data: ElderData,
    recordDate: string,
    regionExists: RegionLookup,
  ): Promise<ElderEvaluation | AppError> {
    const result = evaluateElder(data, recordDate);
    if (!result.ok) {
      const first = result.errors[0]!;
      return new AppError(
        400,
        'invalid_input',
        `输入有误：${first.message}`,
        first.field,
        result.errors,
      );
    }
    const province = data.idNumber.slice(0, 2);
    if (!(await regionExists(province))) {
      return badRequest(`身份证号前两位 ${province} 不是有效的省级区划代码`, 'idNumber');
    }
    const county = data.idNumber.slice(0, 6);
    if (!(await regionExists(county))) {
      // Codes of counties since merged or renamed are still valid on old ID cards: a notice only.
      result.evaluation.contradictions.push({
        code: 'id_region_unknown',
        field: 'idNumber',
        message: `身份证号地址码 ${county} 不在 2023 年区划代码中（可能是已撤销或更名的旧代码），请核对`,
      });
    }
    return result.evaluation;
  }

  /** The stored columns of a prepared record (encrypts the phone and the numbers inside `data`). */
  columnsOf({ data, evaluation: e }: PreparedElder) {
    const stored: StoredEvaluation = {
      findings: e.findings,
      contradictions: e.contradictions,
      tier: e.tier,
    };
    return {
      county_code: data.villageCode.slice(0, 6),
      village_code: data.villageCode,
      name: data.name,
      name_initials: nameInitials(data.name),
      gender: e.gender,
      birth_date: e.birthDate,
      phone_enc: data.phone ? this.vault.encrypt(data.phone) : null,
      phone_masked: data.phone ? maskPhone(data.phone) : null,
      categories: e.categories as string[],
      tier: e.tier.effective,
      contradiction_count: e.contradictions.length,
      data: JSON.stringify(sealData(data, this.vault)),
      evaluation: JSON.stringify(stored),
    };
  }

  private duplicateError(where?: string): AppError {
    return conflict('duplicate_id_number', where ?? '该身份证号已登记', 'idNumber');
  }

  /** Refuses a second record of one person, saying where the first is (as far as the user may see). */
  private async refuseDuplicate(ctx: RequestContext, idHash: string): Promise<void> {
    const existing = await findElderByIdHash(this.db, idHash);
    if (!existing) return;
    if (isWithinJurisdiction(existing.village_code, ctx.actor.jurisdiction)) {
      const place = await this.regions.ref(existing.village_code);
      throw this.duplicateError(
        `该身份证号已登记：${place.fullName} 的 ${existing.name}（记录编号 ${existing.id}）`,
      );
    }
    throw this.duplicateError('该身份证号已在您辖区以外登记，请联系上级民政部门核实');
  }

  private async summaries(rows: ElderRow[]): Promise<ElderSummaryDto[]> {
    const names = await this.regions.fullNames(rows.map((r) => r.village_code));
    const today = todayIso();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      gender: r.gender,
      age: ageOn(r.birth_date, today),
      idNumberMasked: r.id_masked,
      phoneMasked: r.phone_masked,
      village: { code: r.village_code, ...names.get(r.village_code)! },
      categories: r.categories as Category[],
      tier: r.tier,
      status: r.status,
      statusSince: r.status_since,
      contradictionCount: r.contradiction_count,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  private async present(row: ElderRow): Promise<ElderDto> {
    const [summary] = await this.summaries([row]);
    const evaluation = row.evaluation as unknown as StoredEvaluation;
    const [history, changes, dups] = await Promise.all([
      listStatusHistory(this.db, row.id),
      listElderChanges(this.db, row.id),
      findLikelyDuplicates(this.db, {
        id: row.id,
        name: row.name,
        birthDate: row.birth_date,
        villageCode: row.village_code,
      }),
    ]);
    const dupNames = await this.regions.fullNames(dups.map((d) => d.village_code));
    const data = {
      ...maskData(row.data, this.vault),
      idNumber: row.id_masked,
      ...(row.phone_masked ? { phone: row.phone_masked } : {}),
    } as ElderData;
    return {
      ...summary!,
      version: row.version,
      data,
      findings: evaluation.findings,
      contradictions: evaluation.contradictions,
      tierInfo: evaluation.tier,
      statusHistory: history.map((h) => ({
        status: h.status,
        effectiveDate: h.effective_date,
        villageCode: h.village_code,
        note: h.note,
        recordedAt: h.recorded_at.toISOString(),
        recordedBy: h.recorded_by,
      })),
      changes: changes.map((c) => ({
        at: c.at.toISOString(),
        by: c.actor_username,
        action: c.action,
        fields: Array.isArray((c.detail as { fields?: unknown } | null)?.fields)
          ? (c.detail as { fields: string[] }).fields
          : [],
      })),
      possibleDuplicates: dups.map((d) => ({
        id: d.id,
        name: d.name,
        village: { code: d.village_code, ...dupNames.get(d.village_code)! },
      })),
      createdAt: row.created_at.toISOString(),
    };
  }
}
