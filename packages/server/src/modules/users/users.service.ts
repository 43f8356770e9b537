import {
  DUTY_ROLES,
  DutyInput,
  PasswordResetInput,
  ROLE_JURISDICTION_LEVELS,
  ROLE_LABELS,
  REGION_LEVEL_LABELS,
  UserCreateInput,
  UserListQuery,
  UserUpdateInput,
  canManageUsers,
  isUuid,
  isWithinJurisdiction,
  regionLevelOf,
  uuidv7,
  type Page,
  type Role,
  type UserDto,
} from '@tanfang/domain';
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
import { deleteUserSessions } from '../auth/auth.repository.js';
import { hashPassword } from '../auth/passwords.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { findProviderById, providerNames } from '../providers/providers.repository.js';
import {
  findUserByUsername,
  findUserInJurisdiction,
  insertUser,
  listUsers,
  updateUser,
  type UserRow,
} from './users.repository.js';

/** User accounts, managed by admins within their own jurisdiction. */
export class UsersService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /** Shapes a row for the API; never includes the password hash. */
  async present(row: UserRow): Promise<UserDto> {
    return (await this.presentMany([row]))[0]!;
  }

  /** Shapes several rows, naming their jurisdictions in one query. */
  async presentMany(rows: UserRow[]): Promise<UserDto[]> {
    const [names, providers] = await Promise.all([
      this.regions.fullNames(rows.map((r) => r.jurisdiction)),
      providerNames(
        this.db,
        rows.flatMap((r) => (r.provider_id ? [r.provider_id] : [])),
      ),
    ]);
    const now = new Date();
    return rows.map((r) => {
      const locked = r.locked_until !== null && r.locked_until > now;
      const region = names.get(r.jurisdiction);
      return {
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role as Role,
        roleLabel: ROLE_LABELS[r.role as Role],
        jurisdiction: {
          code: r.jurisdiction,
          name: region?.name ?? r.jurisdiction,
          fullName: region?.fullName ?? r.jurisdiction,
        },
        phone: r.phone,
        status: r.status === 'disabled' ? 'disabled' : locked ? 'locked' : 'active',
        lockedUntil: locked ? r.locked_until!.toISOString() : null,
        lastLoginAt: r.last_login_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        provider: r.provider_id
          ? { id: r.provider_id, name: providers.get(r.provider_id) ?? '' }
          : null,
        onDuty: r.on_duty,
      };
    });
  }

  /** Lists users within the admin's jurisdiction (a read of personal data: logged). */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<UserDto>> {
    this.requireAdmin(ctx);
    const query = parseInput(UserListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total } = await listUsers(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      q: query.q,
      role: query.role,
      region: query.region,
      status: query.status,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'user.list',
      entity: 'user',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: await this.presentMany(rows),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** One user within the jurisdiction (logged). */
  async get(ctx: RequestContext, id: string): Promise<UserDto> {
    this.requireAdmin(ctx);
    const row = await this.findOwn(ctx, id);
    await audit(this.db, ctx, {
      action: 'user.read',
      entity: 'user',
      entityId: id,
      regionCode: row.jurisdiction,
    });
    return this.present(row);
  }

  /** Creates an account within the admin's jurisdiction. */
  async create(ctx: RequestContext, rawInput: unknown): Promise<UserDto> {
    this.requireAdmin(ctx);
    const input = parseInput(UserCreateInput, rawInput);
    await this.checkJurisdiction(ctx, input.role, input.jurisdiction);
    const providerId = await this.checkProvider(
      ctx,
      input.role,
      input.jurisdiction,
      input.providerId,
    );
    if (await findUserByUsername(this.db, input.username)) {
      throw conflict('username_taken', `用户名“${input.username}”已被使用`, 'username');
    }
    const passwordHash = await hashPassword(input.password);
    const row = await this.db
      .transaction()
      .execute(async (trx) => {
        const created = await insertUser(trx, {
          id: uuidv7(),
          username: input.username,
          display_name: input.displayName,
          role: input.role,
          jurisdiction: input.jurisdiction,
          phone: input.phone ?? null,
          password_hash: passwordHash,
          provider_id: providerId,
        });
        await audit(trx, ctx, {
          action: 'user.create',
          entity: 'user',
          entityId: created.id,
          regionCode: created.jurisdiction,
          detail: {
            username: created.username,
            role: created.role,
            jurisdiction: created.jurisdiction,
            providerId: created.provider_id,
          },
        });
        return created;
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') {
          throw conflict('username_taken', `用户名“${input.username}”已被使用`, 'username');
        }
        throw error;
      });
    return this.present(row);
  }

  /** Changes name, role, jurisdiction, phone or status. */
  async update(ctx: RequestContext, id: string, rawInput: unknown): Promise<UserDto> {
    this.requireAdmin(ctx);
    const input = parseInput(UserUpdateInput, rawInput);
    const current = await this.findOwn(ctx, id);
    const role = input.role ?? (current.role as Role);
    const jurisdiction = input.jurisdiction ?? current.jurisdiction;
    if (input.role || input.jurisdiction) await this.checkJurisdiction(ctx, role, jurisdiction);
    // A provider account keeps its provider unless another is picked; any other role has none.
    const providerId =
      input.role || input.jurisdiction || input.providerId
        ? await this.checkProvider(
            ctx,
            role,
            jurisdiction,
            role === 'provider'
              ? (input.providerId ?? current.provider_id ?? undefined)
              : input.providerId,
          )
        : current.provider_id;
    if (
      id === ctx.actor.userId &&
      (input.status === 'disabled' || (input.role && input.role !== 'admin'))
    ) {
      throw badRequest(
        '不能停用自己的账户或取消自己的管理员角色',
        input.status ? 'status' : 'role',
      );
    }
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, id, {
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.jurisdiction !== undefined ? { jurisdiction: input.jurisdiction } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(providerId !== current.provider_id ? { provider_id: providerId } : {}),
      });
      if (
        input.status === 'disabled' ||
        input.role ||
        input.jurisdiction ||
        providerId !== current.provider_id
      )
        await deleteUserSessions(trx, id);
      await audit(trx, ctx, {
        action:
          input.status === 'disabled'
            ? 'user.disable'
            : input.status === 'active'
              ? 'user.enable'
              : 'user.update',
        entity: 'user',
        entityId: id,
        regionCode: updated.jurisdiction,
        detail: {
          changes: input,
          before: {
            role: current.role,
            jurisdiction: current.jurisdiction,
            status: current.status,
            providerId: current.provider_id,
          },
        },
      });
      return updated;
    });
    return this.present(row);
  }

  /** Sets a new password and ends the user's sessions. */
  async resetPassword(ctx: RequestContext, id: string, rawInput: unknown): Promise<void> {
    this.requireAdmin(ctx);
    const input = parseInput(PasswordResetInput, rawInput);
    const current = await this.findOwn(ctx, id);
    const passwordHash = await hashPassword(input.password);
    await this.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, {
        password_hash: passwordHash,
        failed_attempts: 0,
        locked_until: null,
      });
      await deleteUserSessions(trx, id);
      await audit(trx, ctx, {
        action: 'user.reset_password',
        entity: 'user',
        entityId: id,
        regionCode: current.jurisdiction,
      });
    });
  }

  /** Lifts a lock after failed logins. */
  async unlock(ctx: RequestContext, id: string): Promise<UserDto> {
    this.requireAdmin(ctx);
    const current = await this.findOwn(ctx, id);
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, id, { failed_attempts: 0, locked_until: null });
      await audit(trx, ctx, {
        action: 'user.unlock',
        entity: 'user',
        entityId: id,
        regionCode: current.jurisdiction,
      });
      return updated;
    });
    return this.present(row);
  }

  /**
   * `PATCH /api/users/me/duty`: village, township and county staff go on or off duty (值班);
   * those on duty receive emergencies at once (their phones ride on each alert's delivery).
   */
  async setOwnDuty(ctx: RequestContext, rawInput: unknown): Promise<UserDto> {
    if (!DUTY_ROLES.includes(ctx.actor.role))
      throw forbidden('只有村（社区）、乡镇（街道）、县（区）工作人员设置值班状态');
    const input = parseInput(DutyInput, rawInput);
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, ctx.actor.userId, { on_duty: input.onDuty });
      await audit(trx, ctx, {
        action: 'user.duty',
        entity: 'user',
        entityId: ctx.actor.userId,
        regionCode: updated.jurisdiction,
        detail: { onDuty: input.onDuty },
      });
      return updated;
    });
    return this.present(row);
  }

  private requireAdmin(ctx: RequestContext): void {
    if (!canManageUsers(ctx.actor.role)) throw forbidden('只有系统管理员可以管理用户');
  }

  private async findOwn(ctx: RequestContext, id: string): Promise<UserRow> {
    if (!isUuid(id)) throw notFound('用户');
    const row = await findUserInJurisdiction(this.db, id, ctx.actor.jurisdiction);
    if (!row) throw notFound('用户');
    return row;
  }

  /**
   * The provider of a `provider` account: required for that role, registered within the admin's
   * jurisdiction, and serving a region that nests with the account's. Other roles have none.
   */
  private async checkProvider(
    ctx: RequestContext,
    role: Role,
    jurisdiction: string,
    providerId: string | undefined,
  ): Promise<string | null> {
    if (role !== 'provider') {
      if (providerId)
        throw badRequest('只有“服务机构”角色的账号可以选择所属服务机构', 'providerId');
      return null;
    }
    if (!providerId) throw badRequest('请选择该账号所属的服务机构', 'providerId');
    const provider = await findProviderById(this.db, providerId);
    if (!provider || !isWithinJurisdiction(provider.region_code, ctx.actor.jurisdiction))
      throw badRequest('所属服务机构不存在或不在您的管辖范围内', 'providerId');
    if (
      !provider.region_code.startsWith(jurisdiction) &&
      !jurisdiction.startsWith(provider.region_code)
    )
      throw badRequest(
        `账号辖区应包含服务机构“${provider.name}”的服务区域，或在其范围内`,
        'jurisdiction',
      );
    return provider.id;
  }

  /** The jurisdiction must exist, lie within the admin's, and be of a level the role allows. */
  private async checkJurisdiction(ctx: RequestContext, role: Role, code: string): Promise<void> {
    if (!isWithinJurisdiction(code, ctx.actor.jurisdiction)) {
      throw new AppError(400, 'invalid_input', '辖区不在您的管辖范围内', 'jurisdiction');
    }
    const level = regionLevelOf(code)!;
    const allowed = ROLE_JURISDICTION_LEVELS[role];
    if (!allowed.includes(level)) {
      const names = allowed.map((l) => REGION_LEVEL_LABELS[l]).join('或');
      throw new AppError(
        400,
        'invalid_input',
        `角色“${ROLE_LABELS[role]}”的辖区应为${names}级区划`,
        'jurisdiction',
      );
    }
    if (!(await findRegion(this.db, code))) {
      throw new AppError(400, 'invalid_input', `区划代码 ${code} 不存在`, 'jurisdiction');
    }
  }
}
