import path from 'node:path';
import { z } from 'zod';

/** A whole number of milliseconds within bounds. */
const ms = (min: number, max: number) =>
  z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`)
    .max(max, `must be at most ${max} ms`);

/** Boot-time configuration. This is the only module that reads `process.env`. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Connections to PostgreSQL (each server process). */
  TANFANG_DB_POOL: z.coerce.number().int().min(1).max(200).default(20),
  TANFANG_DATA_DIR: z.string().min(1).default('./data'),
  TANFANG_DEMO_PASSWORD: z
    .string()
    .min(10, 'must be at least 10 characters with letters and digits')
    .regex(/[A-Za-z]/, 'must contain a letter')
    .regex(/\d/, 'must contain a digit')
    .default('tanfang-demo-2026'),
  TANFANG_DEMO: z.enum(['auto', 'off']).default('auto'),
  TANFANG_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  TANFANG_SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  TANFANG_SECURE_COOKIES: z.enum(['true', 'false', 'auto']).default('auto'),
  /** Days after a visit was entered during which its author or a supervisor may amend it. */
  TANFANG_VISIT_AMEND_DAYS: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(366, 'must be at most 366 days')
    .default(7),
  /** Outbox of alert deliveries: time between looks for due deliveries when idle. */
  TANFANG_OUTBOX_INTERVAL_MS: ms(50, 60_000).default(1_000),
  /** How long a claimed delivery is held before another sender may take it over. */
  TANFANG_OUTBOX_LEASE_MS: ms(1_000, 600_000).default(30_000),
  /** The first retry's delay (doubling after each failure). */
  TANFANG_OUTBOX_BACKOFF_MS: ms(10, 600_000).default(5_000),
  /** The longest delay between retries. */
  TANFANG_OUTBOX_BACKOFF_MAX_MS: ms(10, 86_400_000).default(600_000),
  /** A webhook or SMS gateway that has not answered in this time failed. */
  TANFANG_ALERT_SEND_TIMEOUT_MS: ms(100, 120_000).default(5_000),
  /** Time between looks for emergencies nobody acknowledged in time (the escalation ladder). */
  TANFANG_ESCALATION_INTERVAL_MS: ms(1_000, 3_600_000).default(30_000),
  TANFANG_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  TANFANG_WEB_DIR: z.string().min(1).optional(),
  TANFANG_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    )
    .optional(),
  NODE_ENV: z.string().optional(),
});

/** Validated configuration. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL pool size. */
  dbPool: number;
  dataDir: string;
  demoPassword: string;
  demo: 'auto' | 'off';
  trustProxy: boolean;
  sessionHours: number;
  secureCookies: 'true' | 'false' | 'auto';
  /** Days after entry during which a visit may be amended (更正). */
  visitAmendDays: number;
  /** The alert outbox dispatcher (`modules/alerts/dispatcher.ts`). */
  /** Time between rounds of the emergency escalation ticker. */
  escalationIntervalMs: number;
  outbox: {
    intervalMs: number;
    leaseMs: number;
    backoffMs: number;
    backoffMaxMs: number;
    sendTimeoutMs: number;
  };
  logLevel: z.infer<typeof EnvSchema>['TANFANG_LOG_LEVEL'];
  webDir: string | undefined;
  /** Base64 master key for personal numbers; required with DATABASE_URL. */
  encryptionKey: string | undefined;
}

/** Raised when an environment variable is invalid; its message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset (`DATABASE_URL= npm start` means "no server").
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `  ${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])] ?? '')}: ${issue.message}`,
    );
    throw new ConfigError(`配置错误 (invalid configuration):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.TANFANG_ENCRYPTION_KEY) {
    throw new ConfigError(
      '配置错误 (invalid configuration):\n  TANFANG_ENCRYPTION_KEY: required with DATABASE_URL — 32 bytes in base64 (openssl rand -base64 32); keep it safe, the ID numbers cannot be read without it',
    );
  }
  if (e.TANFANG_ALERT_SEND_TIMEOUT_MS >= e.TANFANG_OUTBOX_LEASE_MS) {
    throw new ConfigError(
      `配置错误 (invalid configuration):\n  TANFANG_ALERT_SEND_TIMEOUT_MS=${e.TANFANG_ALERT_SEND_TIMEOUT_MS}: must be shorter than TANFANG_OUTBOX_LEASE_MS (${e.TANFANG_OUTBOX_LEASE_MS}), or a slow send would be taken over and sent twice`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dbPool: e.TANFANG_DB_POOL,
    dataDir: path.resolve(e.TANFANG_DATA_DIR),
    demoPassword: e.TANFANG_DEMO_PASSWORD,
    demo: e.TANFANG_DEMO,
    trustProxy: e.TANFANG_TRUST_PROXY === 'true',
    sessionHours: e.TANFANG_SESSION_HOURS,
    secureCookies: e.TANFANG_SECURE_COOKIES,
    visitAmendDays: e.TANFANG_VISIT_AMEND_DAYS,
    escalationIntervalMs: e.TANFANG_ESCALATION_INTERVAL_MS,
    outbox: {
      intervalMs: e.TANFANG_OUTBOX_INTERVAL_MS,
      leaseMs: e.TANFANG_OUTBOX_LEASE_MS,
      backoffMs: e.TANFANG_OUTBOX_BACKOFF_MS,
      backoffMaxMs: e.TANFANG_OUTBOX_BACKOFF_MAX_MS,
      sendTimeoutMs: e.TANFANG_ALERT_SEND_TIMEOUT_MS,
    },
    logLevel: e.TANFANG_LOG_LEVEL,
    webDir: e.TANFANG_WEB_DIR ? path.resolve(e.TANFANG_WEB_DIR) : undefined,
    encryptionKey: e.TANFANG_ENCRYPTION_KEY,
  };
}

/** The version of this build, from the root package.json. */
export const VERSION = '0.1.0';
