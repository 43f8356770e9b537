import type {
  ApiErrorBody,
  AuditEntryDto,
  AuditListQuery,
  ElderDto,
  ElderInput,
  ElderListQuery,
  ElderRevealDto,
  ElderStatusChange,
  ElderSummaryDto,
  LoginInput,
  Page,
  Region,
  RegionWithPath,
  SessionDto,
  UserCreateInput,
  UserDto,
  UserListQuery,
  UserUpdateInput,
} from '@tanfang/domain';

/** One field-level problem reported by the server. */
export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** A failed API call: the HTTP status plus the server's error body (Chinese `message`). */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Machine-readable code, e.g. `invalid_credentials`, `username_taken`. */
  readonly code: string;
  /** The input field the error is about, if any. */
  readonly field: string | undefined;
  /** Per-field problems of a validation error. */
  readonly details: ApiErrorDetail[];

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/** `GET /api/health`. */
export interface HealthDto {
  status: 'ok';
  database: 'pglite' | 'postgres';
  version: string;
}

// The CSRF token lives only in memory: it comes with the session (login or /me).
let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Sets the token sent as `x-csrf-token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what happens when any call answers 401 (the session ended): return to login. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

type QueryValue = string | number | undefined | null;

interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** A 401 is an expected answer (login, session probe), not a lost session. */
  expectUnauthorized?: boolean;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', '无法连接服务器，请检查网络后重试');
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!response.ok) {
    if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
    if (isErrorBody(data)) {
      const { code, message, field, details } = data.error;
      throw new ApiError(response.status, code, message, field, details ?? []);
    }
    throw new ApiError(response.status, 'http_error', `服务器错误（HTTP ${response.status}）`);
  }
  if (data === undefined) {
    throw new ApiError(response.status, 'bad_response', '服务器返回的数据无法解析');
  }
  return data as T;
}

/** Query of `GET /api/users` as the client sends it (page and size optional). */
export type UserListParams = Partial<UserListQuery>;
/** Query of `GET /api/audit` as the client sends it (page and size optional). */
export type AuditListParams = Partial<AuditListQuery>;

/** Query of `GET /api/elders` as the client sends it (page and size optional). */
export type ElderListParams = Partial<ElderListQuery>;
/** Body of `PATCH /api/elders/:id`: changed fields (never the ID number) plus the loaded version. */
export type ElderPatchInput = Partial<Omit<ElderInput, 'idNumber'>> & { version: number };
/** Body of `POST /api/elders/:id/status`. */
export type ElderStatusChangeInput = ReturnType<typeof ElderStatusChange.parse>;

/** The typed endpoints of the tanfang API. */
export const api = {
  login: (input: LoginInput) =>
    request<SessionDto>('POST', '/api/auth/login', { body: input, expectUnauthorized: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { expectUnauthorized: true }),
  me: () => request<SessionDto>('GET', '/api/auth/me', { expectUnauthorized: true }),

  region: (code: string) =>
    request<RegionWithPath>('GET', `/api/regions/${encodeURIComponent(code)}`),
  regionChildren: async (code: string) =>
    (await request<{ items: Region[] }>('GET', `/api/regions/${encodeURIComponent(code)}/children`))
      .items,
  searchRegions: async (q: string, limit = 20) =>
    (await request<{ items: RegionWithPath[] }>('GET', '/api/regions', { query: { q, limit } }))
      .items,

  listUsers: (query: UserListParams) =>
    request<Page<UserDto>>('GET', '/api/users', { query: { ...query } }),
  createUser: (input: UserCreateInput) => request<UserDto>('POST', '/api/users', { body: input }),
  updateUser: (id: string, input: UserUpdateInput) =>
    request<UserDto>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body: input }),
  resetPassword: (id: string, password: string) =>
    request<void>('POST', `/api/users/${encodeURIComponent(id)}/reset-password`, {
      body: { password },
    }),
  unlockUser: (id: string) =>
    request<UserDto>('POST', `/api/users/${encodeURIComponent(id)}/unlock`),

  listAudit: (query: AuditListParams) =>
    request<Page<AuditEntryDto>>('GET', '/api/audit', { query: { ...query } }),

  listElders: (query: ElderListParams) =>
    request<Page<ElderSummaryDto>>('GET', '/api/elders', { query: { ...query } }),
  elder: (id: string) => request<ElderDto>('GET', `/api/elders/${encodeURIComponent(id)}`),
  createElder: (input: ElderInput) => request<ElderDto>('POST', '/api/elders', { body: input }),
  updateElder: (id: string, patch: ElderPatchInput) =>
    request<ElderDto>('PATCH', `/api/elders/${encodeURIComponent(id)}`, { body: patch }),
  changeElderStatus: (id: string, input: ElderStatusChangeInput) =>
    request<ElderDto>('POST', `/api/elders/${encodeURIComponent(id)}/status`, { body: input }),
  revealElder: (id: string, reason: string) =>
    request<ElderRevealDto>('POST', `/api/elders/${encodeURIComponent(id)}/reveal`, {
      body: { reason },
    }),

  health: () => request<HealthDto>('GET', '/api/health'),
};

/** The user-facing text of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return '操作失败，请稍后重试';
}
