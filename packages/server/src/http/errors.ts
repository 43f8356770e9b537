import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';

/** An error a user may read: an HTTP status, a stable code and a Chinese message. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: { field: string; message: string }[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** 400 naming the field. */
export const badRequest = (message: string, field?: string) =>
  new AppError(400, 'invalid_input', message, field);
/** 401. */
export const unauthenticated = () => new AppError(401, 'unauthenticated', '请先登录');
/** 403: the role may not do this at all. */
export const forbidden = (message = '您的角色无权执行此操作') =>
  new AppError(403, 'forbidden', message);
/** 404: absent, or outside the user's jurisdiction (never told apart). */
export const notFound = (what = '记录') =>
  new AppError(404, 'not_found', `${what}不存在或不在您的辖区内`);
/** 409. */
export const conflict = (code: string, message: string, field?: string) =>
  new AppError(409, code, message, field);

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Chinese text for a zod issue whose schema gave no message of its own. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `不允许的字段：${issue.keys.join('、')}`;
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `类型不正确，应为 ${issue.expected}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `过长，最多 ${String(issue.maximum)} 个字符`
        : `过大，最大 ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `过短，至少 ${String(issue.minimum)} 个字符`
        : `过小，最小 ${String(issue.minimum)}`;
    case 'invalid_value':
      return `取值不正确，可选：${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      return '格式不正确';
    default:
      return issue.message;
  }
}

/** Whether zod's default (English) text was used, so we should write our own. */
function isDefaultMessage(issue: z.core.$ZodIssue): boolean {
  return !/[\u4e00-\u9fa5]/.test(issue.message);
}

/** A 400 from a zod failure: the first issue's field and message, and every issue in `details`. */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'params'): AppError {
  const details = error.issues.flatMap((issue) => {
    const message = isDefaultMessage(issue) ? describeIssue(issue) : issue.message;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldOf([...issue.path, key]),
        message: `不允许的字段：${key}`,
      }));
    }
    return [{ field: fieldOf(issue.path) || where, message }];
  });
  const first = details[0] ?? { field: where, message: '输入不正确' };
  const label = first.field === where ? '' : `${first.field}：`;
  return new AppError(
    400,
    'invalid_input',
    `输入有误：${label}${first.message}`,
    first.field,
    details,
  );
}

/** Parses `input` with `schema`, or throws a 400 naming the field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.infer<S> {
  if (where === 'body' && (input === undefined || input === null)) {
    throw new AppError(400, 'empty_body', '请求体不能为空', 'body');
  }
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

/** Installs the one error handler: Chinese messages, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send({
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          ...(error.details ? { details: error.details } : {}),
          ...(error.extra ?? {}),
        },
      });
    }
    const fe = error as FastifyError;
    const known: Record<string, [number, string, string]> = {
      FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', '请求体不是合法的 JSON'],
      FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'empty_body', '请求体不能为空'],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', '请求体过大（最大 1 MB）'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [
        415,
        'unsupported_media_type',
        '不支持的内容类型，请使用 application/json',
      ],
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', '请求长度不正确'],
    };
    const hit = fe.code ? known[fe.code] : undefined;
    if (hit) {
      return reply.status(hit[0]).send({ error: { code: hit[1], message: hit[2], field: 'body' } });
    }
    if (error instanceof SyntaxError || fe.statusCode === 400) {
      return reply
        .status(400)
        .send({ error: { code: 'bad_request', message: '请求格式不正确', field: 'body' } });
    }
    if (fe.statusCode === 429) {
      return reply
        .status(429)
        .send({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'internal', message: `服务器内部错误，请稍后再试（请求编号 ${request.id}）` },
    });
  });
}
