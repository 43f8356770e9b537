import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.js';

describeEachDatabase('the audit log', (env) => {
  it('records logins and logouts with who, when, the request id and the client address', async () => {
    const client = await env().signIn('county', '210624');
    await client.post('/api/auth/logout');
    const rows = await env()
      .database.db.selectFrom('audit_log')
      .selectAll()
      .where('actor_id', '=', client.user.id)
      .orderBy('at')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['auth.login', 'auth.logout']);
    for (const r of rows) {
      expect(r.ip).toBe('127.0.0.1');
      expect(r.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.region_code).toBe('210624');
      expect(r.at).toBeInstanceOf(Date);
    }
  });

  it('is readable by county, city, auditor and admin, and no one else', async () => {
    for (const [role, code, status] of [
      ['county', '210624', 200],
      ['city', '2106', 200],
      ['auditor', '2106', 200],
      ['admin', '2106', 200],
      ['township', '210624101', 403],
      ['village', '210624101201', 403],
      ['visitor', '210624101201', 403],
      ['provider', '210624', 403],
    ] as const) {
      const client = await env().signIn(role, code);
      expect((await client.get('/api/audit')).statusCode, role).toBe(status);
    }
  });

  it('filters by action and time, newest first, in pages', async () => {
    const city = await env().signIn('city', '2106');
    const from = new Date(Date.now() - 60_000).toISOString();
    const res = await city.get(
      `/api/audit?action=auth.login&from=${encodeURIComponent(from)}&pageSize=2`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(body.total).toBeGreaterThan(2);
    expect(body.items.every((i: { action: string }) => i.action === 'auth.login')).toBe(true);
    expect(body.items[0].at >= body.items[1].at).toBe(true);
    const bad = await city.get('/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('from');
  });
});
