import {
  VisitorAccountsQuery,
  VisitorFields,
  VisitorLeaveInput,
  VisitorListQuery,
  VisitorPatch,
  isUuid,
  isWithinJurisdiction,
  maskIdNumber,
  maskPhone,
  todayIso,
  uuidv7,
  type Page,
  type Role,
  type VisitorAccountDto,
  type VisitorDto,
  type VisitorType,
} from '@tanfang/domain';
import type { Updateable } from 'kysely';
import type { Executor, RequestContext } from '../../context.js';
import type { Vault } from '../../crypto.js';
import type { VisitorsTable } from '../../db/schema.js';
import { badRequest, conflict, forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { findUserById } from '../users/users.repository.js';
import {
  countCurrentAssignments,
  countOpenAssignments,
  findLinkedUsers,
  findVisitorByIdHash,
  findVisitorByUserId,
  findVisitorInJurisdiction,
  insertVisitor,
  lastAssignmentEnd,
  linkableAccounts,
  listVisitors,
  lockVisitors,
  openAssignmentVillages,
  updateVisitorIfVersion,
  type VisitorRow,
} from './visitors.repository.js';

/** Roles that register visitors and decide who visits whom. */
export const ASSIGNMENT_MANAGERS: readonly Role[] = ['village', 'township', 'county', 'admin'];
/** Roles that read the visitor registry and the assignments. */
export const ASSIGNMENT_READERS: readonly Role[] = [...ASSIGNMENT_MANAGERS, 'city', 'auditor'];

/** Refuses (403) a role not in `roles`: the first line of every method here. */
export function requireRole(ctx: RequestContext, roles: readonly Role[], message: string): void {
  if (!roles.includes(ctx.actor.role)) throw forbidden(message);
}

/** Whether one of two region codes lies within the other. */
function nested(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** The visitor registry (探访人员): who visits, where, reachable how; numbers encrypted. */
export class VisitorsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly vault: Vault,
  ) {}

  /**
   * The 探访人员 accounts a visitor of an area may be linked to (the linking rule of `create`), for
   * the staff who register visitors: they need not be user administrators to pick one.
   */
  async accounts(ctx: RequestContext, rawQuery: unknown): Promise<{ items: VisitorAccountDto[] }> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能关联探访人员账号');
    const { region } = parseInput(VisitorAccountsQuery, rawQuery, 'query');
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const rows = await linkableAccounts(this.db, ctx.actor.jurisdiction, region);
    return {
      items: rows.map((r) => ({
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        jurisdiction: r.jurisdiction,
        linkedVisitor:
          r.visitor_id && r.visitor_name ? { id: r.visitor_id, name: r.visitor_name } : null,
      })),
    };
  }

  /** Registers a visitor. */
  async create(ctx: RequestContext, raw: unknown): Promise<VisitorDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能登记探访人员');
    const data = parseInput(VisitorFields, raw);
    await this.checkRegion(ctx, data.regionCode);
    const idHash = data.idNumber ? this.vault.hashIdNumber(data.idNumber) : null;
    if (idHash) await this.refuseDuplicate(ctx, idHash, null);
    if (data.userId) await this.checkUser(ctx, data.userId, data.regionCode, null);
    const id = uuidv7();
    const row = await this.db
      .transaction()
      .execute(async (trx) => {
        const created = await insertVisitor(trx, {
          id,
          region_code: data.regionCode,
          name: data.name,
          type: data.type,
          ...this.phoneColumns(data.phone),
          ...this.idColumns(data.idNumber ?? null, idHash),
          user_id: data.userId ?? null,
          note: data.note ?? null,
          created_by: ctx.actor.userId,
          updated_by: ctx.actor.userId,
        });
        await audit(trx, ctx, {
          action: 'visitor.create',
          entity: 'visitor',
          entityId: id,
          regionCode: data.regionCode,
          detail: { type: data.type, linkedUser: data.userId ?? null },
        });
        return created;
      })
      .catch((error: unknown) => {
        throw this.uniqueError(error);
      });
    return this.present(row);
  }

  /** Visitors within the jurisdiction (the read is logged: names and masked phones). */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<VisitorDto>> {
    requireRole(ctx, ASSIGNMENT_READERS, '您的角色不能查看探访人员');
    const query = parseInput(VisitorListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total } = await listVisitors(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      q: query.q,
      type: query.type,
      status: query.status,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'visitor.list',
      entity: 'visitor',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: await this.presentAll(rows),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** One visitor (the read is logged). */
  async get(ctx: RequestContext, id: string): Promise<VisitorDto> {
    requireRole(ctx, ASSIGNMENT_READERS, '您的角色不能查看探访人员');
    const row = await this.findOwn(ctx, id);
    await audit(this.db, ctx, {
      action: 'visitor.read',
      entity: 'visitor',
      entityId: id,
      regionCode: row.region_code,
    });
    return this.present(row);
  }

  /**
   * Changes the fields sent, with the version read. A masked number sent back unchanged keeps
   * the stored one; `null` clears the ID number or the note, or unlinks the account. The area
   * may change only if it still covers every elder the visitor holds.
   */
  async update(ctx: RequestContext, id: string, raw: unknown): Promise<VisitorDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能修改探访人员');
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) parseInput(VisitorPatch, raw);
    const current = await this.findOwn(ctx, id);
    const body = { ...(raw as Record<string, unknown>) };
    if (body['phone'] !== undefined && body['phone'] === current.phone_masked) delete body['phone'];
    if (body['idNumber'] !== undefined && body['idNumber'] === current.id_masked)
      delete body['idNumber'];
    const { version, ...patch } = parseInput(VisitorPatch, body);
    const set: Updateable<VisitorsTable> = { updated_by: ctx.actor.userId };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.type !== undefined) set.type = patch.type;
    if (patch.note !== undefined) set.note = patch.note;
    if (patch.phone !== undefined) Object.assign(set, this.phoneColumns(patch.phone));
    const region = patch.regionCode ?? current.region_code;
    if (patch.regionCode !== undefined && patch.regionCode !== current.region_code) {
      await this.checkRegion(ctx, patch.regionCode);
      set.region_code = patch.regionCode;
    }
    if (patch.idNumber !== undefined) {
      const idHash = patch.idNumber ? this.vault.hashIdNumber(patch.idNumber) : null;
      if (idHash) await this.refuseDuplicate(ctx, idHash, id);
      Object.assign(set, this.idColumns(patch.idNumber, idHash));
    }
    const userId = patch.userId === undefined ? current.user_id : patch.userId;
    if (userId && (userId !== current.user_id || region !== current.region_code)) {
      await this.checkUser(ctx, userId, region, id);
    }
    if (patch.userId !== undefined) set.user_id = patch.userId;
    const changed = Object.keys(patch);
    const row = await this.db
      .transaction()
      .execute(async (trx) => {
        await lockVisitors(trx, [id], ctx.actor.jurisdiction);
        if (set.region_code) {
          const outside = (await openAssignmentVillages(trx, id)).filter(
            (e) => !e.village_code.startsWith(region),
          );
          if (outside.length > 0) {
            throw conflict(
              'assignments_outside_region',
              `该探访人员仍负责新区域以外的 ${outside.length} 位老年人（${names(outside)}），请先调整这些老年人的探访人`,
              'regionCode',
            );
          }
        }
        const updated = await updateVisitorIfVersion(trx, id, version, set);
        if (!updated) {
          throw conflict('version_conflict', '该探访人员已被他人修改，请刷新后重新编辑', 'version');
        }
        await audit(trx, ctx, {
          action: 'visitor.update',
          entity: 'visitor',
          entityId: id,
          regionCode: updated.region_code,
          detail: { fields: changed },
        });
        return updated;
      })
      .catch((error: unknown) => {
        throw this.uniqueError(error);
      });
    return this.present(row);
  }

  /** Marks a visitor as left (已离岗), only once nobody depends on them. */
  async leave(ctx: RequestContext, id: string, raw: unknown): Promise<VisitorDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能变更探访人员');
    const input = parseInput(VisitorLeaveInput, raw);
    await this.findOwn(ctx, id);
    const row = await this.db.transaction().execute(async (trx) => {
      const [current] = await lockVisitors(trx, [id], ctx.actor.jurisdiction);
      if (!current) throw notFound('探访人员');
      if (current.status === 'left') {
        throw conflict('already_left', `该探访人员已于 ${current.left_on ?? '此前'} 离岗`);
      }
      const open = await countOpenAssignments(trx, id);
      if (open > 0) {
        throw conflict(
          'has_open_assignments',
          `该探访人员仍负责 ${open} 项探访分配，请先通过“调整分配”改派他人（可同时标记离岗）`,
        );
      }
      const lastEnd = await lastAssignmentEnd(trx, id);
      if (lastEnd && input.leftOn < lastEnd) {
        throw badRequest(`离岗日期不能早于其最后一项探访分配的结束日期 ${lastEnd}`, 'leftOn');
      }
      const updated = await updateVisitorIfVersion(trx, id, current.version, {
        status: 'left',
        left_on: input.leftOn,
        updated_by: ctx.actor.userId,
      });
      await audit(trx, ctx, {
        action: 'visitor.leave',
        entity: 'visitor',
        entityId: id,
        regionCode: current.region_code,
        detail: { leftOn: input.leftOn, note: input.note ?? null },
      });
      return updated!;
    });
    return this.present(row);
  }

  /** The region exists and lies within the actor's jurisdiction. */
  private async checkRegion(ctx: RequestContext, code: string): Promise<void> {
    if (!isWithinJurisdiction(code, ctx.actor.jurisdiction))
      throw badRequest('负责区域不在您的辖区内', 'regionCode');
    if (!(await findRegion(this.db, code)))
      throw badRequest(`区划代码 ${code} 不存在`, 'regionCode');
  }

  /**
   * The account to link: it exists, is a 探访人员 account, works within (or over) the visitor's
   * area, and is not linked to another visitor.
   */
  private async checkUser(
    ctx: RequestContext,
    userId: string,
    regionCode: string,
    visitorId: string | null,
  ): Promise<void> {
    const user = await findUserById(this.db, userId);
    if (!user || !nested(user.jurisdiction, regionCode)) {
      throw badRequest('关联账号不存在，或不在该探访人员负责的区域内', 'userId');
    }
    if (user.role !== 'visitor') {
      throw badRequest(
        `账号 ${user.username} 的角色不是“探访人员”，不能关联为探访人员的登录账号`,
        'userId',
      );
    }
    const linked = await findVisitorByUserId(this.db, userId);
    if (linked && linked.id !== visitorId) {
      const who = isWithinJurisdiction(linked.region_code, ctx.actor.jurisdiction)
        ? `探访人员 ${linked.name}`
        : '您辖区以外的探访人员';
      throw conflict('user_already_linked', `账号 ${user.username} 已关联${who}`, 'userId');
    }
  }

  /** Refuses a second visitor with the same ID number. */
  private async refuseDuplicate(
    ctx: RequestContext,
    idHash: string,
    self: string | null,
  ): Promise<void> {
    const existing = await findVisitorByIdHash(this.db, idHash);
    if (!existing || existing.id === self) return;
    const where = isWithinJurisdiction(existing.region_code, ctx.actor.jurisdiction)
      ? `该身份证号已登记为探访人员：${existing.name}（编号 ${existing.id}）`
      : '该身份证号已在您辖区以外登记为探访人员，请联系上级民政部门核实';
    throw conflict('duplicate_id_number', where, 'idNumber');
  }

  /** A unique-index violation (someone saved the same number or account meanwhile) as a 409. */
  private uniqueError(error: unknown): unknown {
    const e = error as { code?: string; constraint?: string };
    if (e.code !== '23505') return error;
    if (e.constraint === 'visitors_user_id_key')
      return conflict('user_already_linked', '该账号已关联其他探访人员', 'userId');
    return conflict('duplicate_id_number', '该身份证号已登记为探访人员', 'idNumber');
  }

  private phoneColumns(phone: string) {
    return { phone_enc: this.vault.encrypt(phone), phone_masked: maskPhone(phone) };
  }

  private idColumns(idNumber: string | null, idHash: string | null) {
    return idNumber
      ? { id_enc: this.vault.encrypt(idNumber), id_masked: maskIdNumber(idNumber), id_hash: idHash }
      : { id_enc: null, id_masked: null, id_hash: null };
  }

  private async findOwn(ctx: RequestContext, id: string): Promise<VisitorRow> {
    if (!isUuid(id)) throw notFound('探访人员');
    const row = await findVisitorInJurisdiction(this.db, id, ctx.actor.jurisdiction);
    if (!row) throw notFound('探访人员');
    return row;
  }

  private async present(row: VisitorRow): Promise<VisitorDto> {
    return (await this.presentAll([row]))[0]!;
  }

  /** Shapes rows for the API: masks only, the area's full name, the account and current load. */
  private async presentAll(rows: VisitorRow[]): Promise<VisitorDto[]> {
    const ids = rows.map((r) => r.id);
    const [places, users, counts] = await Promise.all([
      this.regions.fullNames(rows.map((r) => r.region_code)),
      findLinkedUsers(
        this.db,
        rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
      ),
      countCurrentAssignments(this.db, ids, todayIso()),
    ]);
    return rows.map((r) => {
      const user = r.user_id ? users.get(r.user_id) : undefined;
      return {
        id: r.id,
        name: r.name,
        type: r.type as VisitorType,
        phoneMasked: r.phone_masked,
        idNumberMasked: r.id_masked,
        region: { code: r.region_code, ...places.get(r.region_code)! },
        user: user
          ? { id: user.id, username: user.username, displayName: user.display_name }
          : null,
        status: r.status,
        leftOn: r.left_on,
        note: r.note,
        activeAssignments: counts.get(r.id)!,
        version: r.version,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }
}

/** Up to ten names, joined for a message. */
export function names(rows: { name: string }[]): string {
  const shown = rows.slice(0, 10).map((r) => r.name);
  return rows.length > 10 ? `${shown.join('、')} 等` : shown.join('、');
}
