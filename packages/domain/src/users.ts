import { z } from 'zod';
import { PASSWORD_RULE, checkPassword } from './password.js';
import { RegionCode } from './regions.js';
import { RoleSchema, type Role } from './roles.js';

/** A login name: 3–32 letters, digits, '-', '_' or '.'. */
export const Username = z
  .string({ error: '用户名必须是字符串' })
  .min(3, { error: '用户名至少 3 个字符' })
  .max(32, { error: '用户名最多 32 个字符' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    error: '用户名只能包含字母、数字、“-”、“_”和“.”，且以字母或数字开头',
  });

/** A person's name as shown in the UI. */
export const DisplayName = z
  .string({ error: '姓名必须是字符串' })
  .trim()
  .min(1, { error: '姓名不能为空' })
  .max(50, { error: '姓名最多 50 个字符' });

/** A mainland mobile or fixed-line number. */
export const PhoneNumber = z
  .string({ error: '电话必须是字符串' })
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, { error: '电话号码格式不正确' });

/** A new password, checked against the rule. */
export const NewPassword = z
  .string({ error: '密码必须是字符串' })
  .max(128, { error: `密码过长：${PASSWORD_RULE}` })
  .superRefine((value, ctx) => {
    const result = checkPassword(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  });

/** Body of `POST /api/auth/login`. */
export const LoginInput = z.strictObject({
  username: z
    .string({ error: '请输入用户名' })
    .min(1, { error: '请输入用户名' })
    .max(64, { error: '用户名过长' }),
  password: z
    .string({ error: '请输入密码' })
    .min(1, { error: '请输入密码' })
    .max(256, { error: '密码过长' }),
});
/** Body of `POST /api/auth/login`. */
export type LoginInput = z.infer<typeof LoginInput>;

/** The service provider an account belongs to (a UUID). */
const ProviderRef = z
  .uuid({ error: '所属服务机构应为记录编号（UUID）' })
  .transform((v) => v.toLowerCase());

/** Body of `POST /api/users`. */
export const UserCreateInput = z.strictObject({
  username: Username,
  displayName: DisplayName,
  role: RoleSchema,
  jurisdiction: RegionCode,
  phone: PhoneNumber.optional(),
  password: NewPassword,
  /** The service provider (服务机构) a `provider` account belongs to; required for that role. */
  providerId: ProviderRef.optional(),
});
/** Body of `POST /api/users`. */
export type UserCreateInput = z.infer<typeof UserCreateInput>;

/** Body of `PATCH /api/users/:id`. */
export const UserUpdateInput = z.strictObject({
  displayName: DisplayName.optional(),
  role: RoleSchema.optional(),
  jurisdiction: RegionCode.optional(),
  phone: PhoneNumber.nullable().optional(),
  status: z.enum(['active', 'disabled'], { error: '状态必须是 active 或 disabled' }).optional(),
  /** The provider of a `provider` account. */
  providerId: ProviderRef.optional(),
});
/** Body of `PATCH /api/users/:id`. */
export type UserUpdateInput = z.infer<typeof UserUpdateInput>;

/** Body of `POST /api/users/:id/reset-password`. */
export const PasswordResetInput = z.strictObject({ password: NewPassword });

/** Query of `GET /api/users`. */
export const UserListQuery = z.strictObject({
  q: z.string().max(50, { error: '搜索词最多 50 个字符' }).optional(),
  role: RoleSchema.optional(),
  region: RegionCode.optional(),
  status: z.enum(['active', 'disabled', 'locked']).optional(),
  page: z.coerce.number({ error: '页码必须是数字' }).int().min(1).max(100000).default(1),
  pageSize: z.coerce.number({ error: '每页条数必须是数字' }).int().min(1).max(200).default(20),
});
/** Query of `GET /api/users`. */
export type UserListQuery = z.infer<typeof UserListQuery>;

/** Account status as the API presents it. */
export type UserStatus = 'active' | 'disabled' | 'locked';

/** A user as the API presents it. */
export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  jurisdiction: { code: string; name: string; fullName: string };
  phone: string | null;
  status: UserStatus;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  /** The service provider of a `provider` account (null for other roles). */
  provider: { id: string; name: string } | null;
  /** On duty (值班): village, township and county staff on duty receive emergencies at once. */
  onDuty: boolean;
}

/** Body of `PATCH /api/users/me/duty`: the signed-in member of staff goes on or off duty. */
export const DutyInput = z.strictObject({
  onDuty: z.boolean({ error: '值班状态应为是或否' }),
});
/** Body of a duty change. */
export type DutyInput = z.infer<typeof DutyInput>;

/** Roles whose on-duty members receive emergencies (值班): village, township and county staff. */
export const DUTY_ROLES: readonly Role[] = ['village', 'township', 'county'];

/** Body of a successful login or `GET /api/auth/me`. */
export interface SessionDto {
  user: UserDto;
  csrfToken: string;
}

/** Query of `GET /api/audit`. */
export const AuditListQuery = z.strictObject({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  entity: z.string().max(64).optional(),
  region: RegionCode.optional(),
  from: z.iso.datetime({ offset: true, error: '开始时间格式不正确（ISO 8601）' }).optional(),
  to: z.iso.datetime({ offset: true, error: '结束时间格式不正确（ISO 8601）' }).optional(),
  page: z.coerce.number({ error: '页码必须是数字' }).int().min(1).max(100000).default(1),
  pageSize: z.coerce.number({ error: '每页条数必须是数字' }).int().min(1).max(200).default(50),
});
/** Query of `GET /api/audit`. */
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** One audit-log entry as the API presents it. */
export interface AuditEntryDto {
  id: string;
  at: string;
  actor: { id: string | null; username: string | null };
  action: string;
  entity: string;
  entityId: string | null;
  regionCode: string | null;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

/** A page of results. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The error body of every failed API call. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    details?: { field: string; message: string }[];
  };
}
