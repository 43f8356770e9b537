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

type QueryValue = string | number | boolean | undefined | null;

interface RequestOptions {
  /** A JSON body. */
  body?: unknown;
  /** A file sent as it is (an upload), with its content type. */
  file?: { data: Blob; type: string };
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

/** Sends a call; a server that cannot be reached becomes an ApiError with status 0. */
async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.file) {
    headers['content-type'] = options.file.type;
    body = options.file.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body,
    });
  } catch {
    throw new ApiError(0, 'network_error', '无法连接服务器，请检查网络后重试');
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ApiError of a failed answer: the server's Chinese message when it sent one. */
function failure(response: Response, data: unknown, options: RequestOptions): ApiError {
  if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
  if (isErrorBody(data)) {
    const { code, message, field, details } = data.error;
    return new ApiError(response.status, code, message, field, details ?? []);
  }
  if (response.status === 413) {
    return new ApiError(413, 'payload_too_large', '文件过大，超出服务器允许的上限');
  }
  return new ApiError(response.status, 'http_error', `服务器错误（HTTP ${response.status}）`);
}

/** One JSON call (for typed endpoint modules kept beside their pages); failures are ApiError. */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;

  const data = parseJson(await response.text());
  if (!response.ok) throw failure(response, data, options);
  if (data === undefined) {
    throw new ApiError(response.status, 'bad_response', '服务器返回的数据无法解析');
  }
  return data as T;
}

/** A file the server sent: its content and the name it suggests. */
export interface DownloadedFile {
  blob: Blob;
  /** From `Content-Disposition` (the UTF-8 `filename*` first); absent when not given. */
  fileName: string | undefined;
  /** The answer's headers, e.g. `x-record-count` of an export. */
  headers: Headers;
}

/** The file name of a `Content-Disposition` header (RFC 6266: `filename*` before `filename`). */
export function dispositionFileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || undefined;
}

/** `GET` of a file (.xlsx): the body as a Blob; a JSON error answer becomes an ApiError. */
export async function download(
  path: string,
  options: RequestOptions = {},
): Promise<DownloadedFile> {
  const response = await send('GET', path, options);
  if (!response.ok) throw failure(response, parseJson(await response.text()), options);
  return {
    blob: await response.blob(),
    fileName: dispositionFileName(response.headers.get('content-disposition')),
    headers: response.headers,
  };
}

/** Query of `GET /api/users` as the client sends it (page and size optional). */
export type UserListParams = Partial<UserListQuery>;
/** Query of `GET /api/audit` as the client sends it (page and size optional). */
export type AuditListParams = Partial<AuditListQuery>;

/** Query of `GET /api/elders` as the client sends it (page and size optional). */
export type ElderListParams = Partial<ElderListQuery>;
/**
 * Optional fields a PATCH clears by sending `null`. (The domain's ElderPatch has no null: the
 * server accepts it for these fields only.)
 */
export const ELDER_CLEARABLE_FIELDS = [
  'tierOverride',
  'caregiver',
  'emergencyContact',
  'phone',
  'disability',
  'ethnicity',
  'registeredAddress',
  'addressDetail',
  'diseases',
  'livingSituation',
  'health',
  'monthlyHouseholdIncome',
  'livesAtRegisteredPlace',
] as const satisfies readonly (keyof ElderInput)[];
/** A field a PATCH may clear with `null`. */
export type ElderClearableField = (typeof ELDER_CLEARABLE_FIELDS)[number];

type ElderPatchFields = Omit<ElderInput, 'idNumber'>;
/**
 * Body of `PATCH /api/elders/:id`: changed fields (never the ID number), `null` to clear an
 * optional one, plus the loaded version. A masked number sent back unchanged keeps the stored one.
 */
export type ElderPatchInput = {
  [K in keyof ElderPatchFields]?: K extends ElderClearableField
    ? ElderPatchFields[K] | null
    : ElderPatchFields[K];
} & { version: number };

/**
 * Full personal numbers from `POST /api/elders/:id/reveal`, with the birth date (no longer in the
 * list or the record: the masked ID number's hidden digits are exactly the birth date). Optional
 * until every server sends it.
 */
export type ElderReveal = ElderRevealDto & { birthDate?: string };

/** How an import treats invalid rows. */
export type ImportMode = 'all_or_nothing' | 'valid_only';

/** `GET /api/imports/:id`: an import's state, progress, summary and first 200 row errors. */
export interface ImportDto {
  id: string;
  status: 'running' | 'done' | 'failed';
  mode: ImportMode;
  /** `checking` the rows, then `writing` them (when the server reports it). */
  phase?: 'checking' | 'writing' | 'finished';
  fileName?: string;
  progress: { rowsRead: number; valid: number; invalid: number };
  summary: {
    created: number;
    updated: number;
    unchanged: number;
    skipped: number;
    /** Which fields the updates changed, and in how many records (when reported). */
    changedFields?: { field: string; label: string; count: number }[];
  };
  /** The first 200 problems; `row` and `column` are absent for the file as a whole. */
  errors: { row: number | null; column: string | null; message: string }[];
  /** How many problems in all (when reported). */
  errorCount?: number;
  reportAvailable: boolean;
  /** Why the import failed. */
  message?: string;
  failure?: { code: string; message: string };
}

/** The media type of .xlsx files. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Query of `GET /api/exports/elders`. */
export interface ElderExportParams {
  region?: string;
  status?: string;
  reason: string;
  /** Full ID and phone numbers (roles allowed only); masked otherwise. */
  full: boolean;
}
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
    request<ElderReveal>('POST', `/api/elders/${encodeURIComponent(id)}/reveal`, {
      body: { reason },
    }),

  /** The census template (摸底登记模板.xlsx). */
  elderImportTemplate: () => download('/api/imports/elders/template'),
  /** Uploads a filled-in template as it is (not JSON); the import runs in the background. */
  startElderImport: (file: Blob, mode: ImportMode, fileName?: string) =>
    request<{ id: string; status: ImportDto['status'] }>('POST', '/api/imports/elders', {
      file: { data: file, type: XLSX_TYPE },
      query: { mode, fileName },
    }),
  elderImport: (id: string) => request<ImportDto>('GET', `/api/imports/${encodeURIComponent(id)}`),
  /** The per-row report of an import (.xlsx). */
  elderImportReport: (id: string) => download(`/api/imports/${encodeURIComponent(id)}/report`),
  /** The ledger as .xlsx (audit-logged with the reason). */
  exportElders: (params: ElderExportParams) =>
    download('/api/exports/elders', {
      query: {
        region: params.region,
        status: params.status,
        reason: params.reason,
        full: params.full ? 'true' : 'false',
      },
    }),

  health: () => request<HealthDto>('GET', '/api/health'),
};

/** The user-facing text of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return '操作失败，请稍后重试';
}
