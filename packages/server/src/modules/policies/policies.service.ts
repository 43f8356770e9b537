import {
  AnyRegionCode,
  BUILTIN_TEMPLATE_LABELS,
  POLICY_PRESETS,
  PolicyCreateInput,
  PolicyRetireInput,
  PolicyVersionInput,
  PresetApplyInput,
  isUuid,
  isWithinJurisdiction,
  todayIso,
  uuidv7,
  type PolicyContent,
  type PolicyDto,
  type PolicyPreset,
  type PolicyVersionDto,
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
import type { RollupsService } from '../rollups/rollups.service.js';
import {
  findLatestVersion,
  findPolicy,
  findPresetPoliciesInForce,
  insertPolicy,
  insertVersion,
  listPolicies,
  listVersions,
  lockPresetApplication,
  type NewPolicyVersion,
  type PolicyRow,
  type PolicyVersionRow,
} from './policies.repository.js';

/** Roles that read visit policies. */
const READERS: readonly Role[] = ['village', 'township', 'county', 'city', 'admin', 'auditor'];
/** Roles that set visit policies (the county sets the local rules; the city and admins too). */
const WRITERS: readonly Role[] = ['county', 'city', 'admin'];

/** Query of `GET /api/policies`. */
export const PolicyListQuery = z.strictObject({ region: AnyRegionCode.optional() });

/** The message of a change dated before today. */
const BACKDATED = '生效日期不能早于今天（规则变更不改写既往周期）';

/** The content of a version row, as a new version repeats it. */
function contentOf(v: PolicyVersionRow): Omit<PolicyContent, 'effectiveFrom' | 'note'> {
  return {
    name: v.name,
    tiers: v.tiers as PolicyContent['tiers'],
    categories: v.categories as PolicyContent['categories'],
    cadence: v.cadence as PolicyContent['cadence'],
    countedMethods: v.counted_methods as PolicyContent['countedMethods'],
    inPersonEvery: v.in_person_every as PolicyContent['inPersonEvery'],
    templateKey: v.template_key,
    entryGraceDays: v.entry_grace_days,
  };
}

/** The row of a version saying `content` from `effectiveFrom`. */
function versionRow(
  ctx: RequestContext,
  policyId: string,
  version: number,
  content: Omit<PolicyContent, 'effectiveFrom' | 'note'>,
  effectiveFrom: string,
  extra: { retired: boolean; note: string | null },
): NewPolicyVersion {
  return {
    policy_id: policyId,
    version,
    effective_from: effectiveFrom,
    retired: extra.retired,
    name: content.name,
    tiers: content.tiers,
    categories: content.categories,
    cadence: JSON.stringify(content.cadence),
    counted_methods: content.countedMethods,
    in_person_every: content.inPersonEvery,
    template_key: content.templateKey,
    entry_grace_days: content.entryGraceDays,
    note: extra.note,
    created_by: ctx.actor.userId,
  };
}

function presentVersion(v: PolicyVersionRow): PolicyVersionDto {
  return {
    version: v.version,
    effectiveFrom: v.effective_from,
    retired: v.retired,
    ...contentOf(v),
    note: v.note,
    createdAt: v.created_at.toISOString(),
    createdBy: v.created_by,
  };
}

/** Whether an error is a unique-key violation (another version on that date or number). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/**
 * Visit policies (探访规则): who is visited how often, by which methods, with which form. A policy
 * is never changed in place: each change is a new version from a date not before today, so
 * compliance of past periods is never rewritten.
 */
export class PoliciesService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    /** Recomputes the visit-rate rollup of the region a rule change affects. */
    private readonly rollups?: RollupsService,
  ) {}

  /** The policies of a region (default: the jurisdiction) and those above it that apply to it. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<PolicyDto[]> {
    this.require(ctx, READERS, '您的角色不能查看探访规则');
    const query = parseInput(PolicyListQuery, rawQuery ?? {}, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!canSeeRegion(ctx.actor.jurisdiction, region)) throw notFound('区域');
    const rows = await listPolicies(this.db, { region, jurisdiction: ctx.actor.jurisdiction });
    const dtos = await this.present(ctx, rows);
    const nameOf = (p: PolicyDto) => (p.current ?? p.versions[0])?.name ?? '';
    return dtos.sort(
      (a, b) =>
        a.region.code.length - b.region.code.length ||
        nameOf(a).localeCompare(nameOf(b), 'zh-Hans-CN') ||
        a.region.code.localeCompare(b.region.code),
    );
  }

  /** One policy with its versions. */
  async get(ctx: RequestContext, id: string): Promise<PolicyDto> {
    this.require(ctx, READERS, '您的角色不能查看探访规则');
    const policy = await this.findVisible(ctx, id);
    return this.presentOne(ctx, policy);
  }

  /** The built-in presets a region can adopt in one step. */
  presets(ctx: RequestContext): PolicyPreset[] {
    this.require(ctx, READERS, '您的角色不能查看探访规则');
    return POLICY_PRESETS.map(({ key, name, source, policies }) => ({
      key,
      name,
      source,
      policies,
    }));
  }

  /** Sets a new policy for a region within the jurisdiction (version 1). */
  async create(ctx: RequestContext, raw: unknown): Promise<PolicyDto> {
    this.require(ctx, WRITERS, '只有县(区)、市民政部门和管理员可以制定探访规则');
    const input = parseInput(PolicyCreateInput, raw);
    await this.checkRegion(ctx, input.regionCode);
    this.checkTemplate(input.templateKey);
    if (input.effectiveFrom < todayIso()) throw badRequest(BACKDATED, 'effectiveFrom');
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      await insertPolicy(trx, {
        id,
        region_code: input.regionCode,
        preset: null,
        created_by: ctx.actor.userId,
      });
      await insertVersion(
        trx,
        versionRow(ctx, id, 1, input, input.effectiveFrom, {
          retired: false,
          note: input.note ?? null,
        }),
      );
      await this.rollups?.replanRegion(input.regionCode, input.effectiveFrom, trx);
      await audit(trx, ctx, {
        action: 'policy.create',
        entity: 'policy',
        entityId: id,
        regionCode: input.regionCode,
        detail: { name: input.name, effectiveFrom: input.effectiveFrom },
      });
    });
    return this.presentOne(ctx, (await findPolicy(this.db, id))!);
  }

  /** Adds a version: the policy's full content from a later date on. */
  async addVersion(ctx: RequestContext, id: string, raw: unknown): Promise<PolicyDto> {
    this.require(ctx, WRITERS, '只有县(区)、市民政部门和管理员可以修改探访规则');
    const input = parseInput(PolicyVersionInput, raw);
    const policy = await this.findEditable(ctx, id);
    this.checkTemplate(input.templateKey);
    // After a retirement, a new version puts the policy back in force from its date.
    await this.appendVersion(ctx, policy, input.effectiveFrom, () => ({
      content: input,
      retired: false,
      note: input.note ?? null,
      action: 'policy.version',
    }));
    return this.presentOne(ctx, policy);
  }

  /** Retires a policy from a date: a last version that says it no longer applies. */
  async retire(ctx: RequestContext, id: string, raw: unknown): Promise<PolicyDto> {
    this.require(ctx, WRITERS, '只有县(区)、市民政部门和管理员可以停用探访规则');
    const input = parseInput(PolicyRetireInput, raw);
    const policy = await this.findEditable(ctx, id);
    await this.appendVersion(ctx, policy, input.effectiveFrom, (latest) => {
      if (latest.retired) {
        throw conflict('policy_retired', `该规则已于 ${latest.effective_from} 停用`);
      }
      return {
        content: contentOf(latest),
        retired: true,
        note: input.note ?? null,
        action: 'policy.retire',
      };
    });
    return this.presentOne(ctx, policy);
  }

  /** Adopts a preset for a region: one policy per preset policy, all or nothing. */
  async applyPreset(ctx: RequestContext, key: string, raw: unknown): Promise<PolicyDto[]> {
    this.require(ctx, WRITERS, '只有县(区)、市民政部门和管理员可以采用预置规则');
    const preset = POLICY_PRESETS.find((p) => p.key === key);
    if (!preset) throw new AppError(404, 'not_found', `预置规则 ${key} 不存在`);
    const input = parseInput(PresetApplyInput, raw);
    const region = await this.checkRegion(ctx, input.regionCode);
    if (input.effectiveFrom < todayIso()) throw badRequest(BACKDATED, 'effectiveFrom');
    const ids = await this.db.transaction().execute(async (trx) => {
      await lockPresetApplication(trx, input.regionCode, preset.key);
      const inForce = await findPresetPoliciesInForce(
        trx,
        input.regionCode,
        preset.key,
        input.effectiveFrom,
      );
      if (inForce.length > 0) {
        throw conflict(
          'preset_already_applied',
          `${region.name}已采用“${preset.name}”且仍在生效，不能重复采用（如需重新采用，请先停用原规则）`,
          'regionCode',
        );
      }
      const created: string[] = [];
      for (const p of preset.policies) {
        const id = uuidv7();
        await insertPolicy(trx, {
          id,
          region_code: input.regionCode,
          preset: preset.key,
          created_by: ctx.actor.userId,
        });
        await insertVersion(
          trx,
          versionRow(ctx, id, 1, { ...p, entryGraceDays: 3 }, input.effectiveFrom, {
            retired: false,
            note: null,
          }),
        );
        await audit(trx, ctx, {
          action: 'policy.preset',
          entity: 'policy',
          entityId: id,
          regionCode: input.regionCode,
          detail: { preset: preset.key, name: p.name, effectiveFrom: input.effectiveFrom },
        });
        created.push(id);
      }
      await this.rollups?.replanRegion(input.regionCode, input.effectiveFrom, trx);
      return created;
    });
    const rows = await Promise.all(ids.map(async (id) => (await findPolicy(this.db, id))!));
    return this.present(ctx, rows);
  }

  /**
   * Appends version n+1 dated `effectiveFrom` (not before today, after the latest version's date;
   * the same date as the latest is a conflict), with the content `decide` returns, and its audit
   * entry, in one transaction.
   */
  private async appendVersion(
    ctx: RequestContext,
    policy: PolicyRow,
    effectiveFrom: string,
    decide: (latest: PolicyVersionRow) => {
      content: Omit<PolicyContent, 'effectiveFrom' | 'note'>;
      retired: boolean;
      note: string | null;
      action: 'policy.version' | 'policy.retire';
    },
  ): Promise<void> {
    if (effectiveFrom < todayIso()) throw badRequest(BACKDATED, 'effectiveFrom');
    await this.db
      .transaction()
      .execute(async (trx) => {
        const latest = (await findLatestVersion(trx, policy.id))!;
        if (effectiveFrom === latest.effective_from) throw this.dateTaken(latest);
        if (effectiveFrom < latest.effective_from) {
          throw badRequest(
            `生效日期必须晚于最新版本（第 ${latest.version} 版）的生效日期 ${latest.effective_from}`,
            'effectiveFrom',
          );
        }
        const next = decide(latest);
        const version = latest.version + 1;
        await insertVersion(
          trx,
          versionRow(ctx, policy.id, version, next.content, effectiveFrom, {
            retired: next.retired,
            note: next.note,
          }),
        );
        await this.rollups?.replanRegion(policy.region_code, effectiveFrom, trx);
        await audit(trx, ctx, {
          action: next.action,
          entity: 'policy',
          entityId: policy.id,
          regionCode: policy.region_code,
          detail: { version, effectiveFrom, name: next.content.name },
        });
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw conflict(
            'version_conflict',
            '该规则刚被他人修改（同一日期或版本号已存在），请刷新后重试',
            'effectiveFrom',
          );
        }
        throw error;
      });
  }

  private dateTaken(latest: PolicyVersionRow): AppError {
    return conflict(
      'version_date_taken',
      `第 ${latest.version} 版已定于 ${latest.effective_from} 生效；同一日期只能有一个版本，请选择更晚的日期`,
      'effectiveFrom',
    );
  }

  private require(ctx: RequestContext, roles: readonly Role[], message: string): void {
    if (!roles.includes(ctx.actor.role)) throw forbidden(message);
  }

  /** The region of a new policy: within the jurisdiction, existing, above village level. */
  private async checkRegion(ctx: RequestContext, code: string) {
    if (!isWithinJurisdiction(code, ctx.actor.jurisdiction)) {
      throw new AppError(403, 'forbidden', `适用区域 ${code} 不在您的辖区内`, 'regionCode');
    }
    const region = await findRegion(this.db, code);
    if (!region) throw badRequest(`区划代码 ${code} 不存在`, 'regionCode');
    if (region.level === 'village') {
      throw badRequest('探访规则适用于乡镇(街道)及以上区域，不能只为一个村(居)制定', 'regionCode');
    }
    return region;
  }

  private checkTemplate(key: string): void {
    if (!Object.hasOwn(BUILTIN_TEMPLATE_LABELS, key)) {
      const known = Object.entries(BUILTIN_TEMPLATE_LABELS)
        .map(([k, label]) => `${k}（${label}）`)
        .join('、');
      throw badRequest(`探访表 ${key} 不存在，可选：${known}`, 'templateKey');
    }
  }

  /** A policy within the jurisdiction or above it (one that applies to the user); else 404. */
  private async findVisible(ctx: RequestContext, id: string): Promise<PolicyRow> {
    if (!isUuid(id)) throw notFound('探访规则');
    const row = await findPolicy(this.db, id);
    if (!row || !canSeeRegion(ctx.actor.jurisdiction, row.region_code)) {
      throw notFound('探访规则');
    }
    return row;
  }

  /** A policy the user may change: within the jurisdiction (one above it is 403). */
  private async findEditable(ctx: RequestContext, id: string): Promise<PolicyRow> {
    const row = await this.findVisible(ctx, id);
    if (!isWithinJurisdiction(row.region_code, ctx.actor.jurisdiction)) {
      throw forbidden('上级制定的规则不能修改');
    }
    return row;
  }

  private async presentOne(ctx: RequestContext, row: PolicyRow): Promise<PolicyDto> {
    return (await this.present(ctx, [row]))[0]!;
  }

  private async present(ctx: RequestContext, rows: PolicyRow[]): Promise<PolicyDto[]> {
    const [versions, names] = await Promise.all([
      listVersions(
        this.db,
        rows.map((r) => r.id),
      ),
      this.regions.fullNames(rows.map((r) => r.region_code)),
    ]);
    const byPolicy = new Map<string, PolicyVersionRow[]>();
    for (const v of versions) byPolicy.set(v.policy_id, [...(byPolicy.get(v.policy_id) ?? []), v]);
    const today = todayIso();
    const writer = WRITERS.includes(ctx.actor.role);
    return rows.map((r) => {
      const own = byPolicy.get(r.id) ?? [];
      const inForce = own
        .filter((v) => v.effective_from <= today)
        .reduce<PolicyVersionRow | undefined>(
          (best, v) => (!best || v.effective_from > best.effective_from ? v : best),
          undefined,
        );
      return {
        id: r.id,
        region: { code: r.region_code, ...names.get(r.region_code)! },
        preset: r.preset,
        current: inForce && !inForce.retired ? presentVersion(inForce) : null,
        versions: own.map(presentVersion),
        editable: writer && isWithinJurisdiction(r.region_code, ctx.actor.jurisdiction),
      };
    });
  }
}
