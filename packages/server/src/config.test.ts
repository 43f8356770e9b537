import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the embedded database in ./data and port 3000 by default', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.demoPassword).toBe('tanfang-demo-2026');
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT="abc"/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TANFANG_DEMO_PASSWORD: 'short' })).toThrow(/TANFANG_DEMO_PASSWORD/);
    expect(() => loadConfig({ TANFANG_LOG_LEVEL: 'loud' })).toThrow(/TANFANG_LOG_LEVEL/);
  });

  it('allows amending a visit for 7 days after entry unless TANFANG_VISIT_AMEND_DAYS says otherwise', () => {
    expect(loadConfig({}).visitAmendDays).toBe(7);
    expect(loadConfig({ TANFANG_VISIT_AMEND_DAYS: '30' }).visitAmendDays).toBe(30);
    expect(() => loadConfig({ TANFANG_VISIT_AMEND_DAYS: '0' })).toThrow(
      /TANFANG_VISIT_AMEND_DAYS="0": must be at least 1 day/,
    );
    expect(() => loadConfig({ TANFANG_VISIT_AMEND_DAYS: '2.5' })).toThrow(
      /TANFANG_VISIT_AMEND_DAYS/,
    );
  });

  it('runs the alert outbox every second with a 30 s lease unless configured, and refuses a send timeout as long as the lease', () => {
    expect(loadConfig({}).outbox).toEqual({
      intervalMs: 1_000,
      leaseMs: 30_000,
      backoffMs: 5_000,
      backoffMaxMs: 600_000,
      sendTimeoutMs: 5_000,
    });
    expect(loadConfig({ TANFANG_OUTBOX_INTERVAL_MS: '200' }).outbox.intervalMs).toBe(200);
    expect(() => loadConfig({ TANFANG_OUTBOX_INTERVAL_MS: 'soon' })).toThrow(
      /TANFANG_OUTBOX_INTERVAL_MS/,
    );
    expect(() =>
      loadConfig({ TANFANG_OUTBOX_LEASE_MS: '5000', TANFANG_ALERT_SEND_TIMEOUT_MS: '5000' }),
    ).toThrow(/TANFANG_ALERT_SEND_TIMEOUT_MS=5000: must be shorter than TANFANG_OUTBOX_LEASE_MS/);
  });

  it('accepts a PostgreSQL URL with an encryption key, and asks for the key without one', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({
      DATABASE_URL: 'postgres://localhost/tanfang',
      TANFANG_ENCRYPTION_KEY: key,
    });
    expect(config.databaseUrl).toBe('postgres://localhost/tanfang');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/tanfang' })).toThrow(
      /TANFANG_ENCRYPTION_KEY/,
    );
    expect(() => loadConfig({ TANFANG_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /TANFANG_ENCRYPTION_KEY/,
    );
  });
});
