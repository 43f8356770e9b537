import { expect, it } from 'vitest';
import { TEST_PASSWORD, describeEachDatabase } from '../../test/harness.js';

const VILLAGE = '210624101201';

describeEachDatabase('signing in', (env) => {
  it('returns the user and a CSRF token, and sets an HttpOnly SameSite session cookie', async () => {
    const user = await env().createUser('village', VILLAGE, { username: 'dongcha-cadre' });
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dongcha-cadre', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({
      id: user.id,
      role: 'village',
      roleLabel: '村(居)委会',
      jurisdiction: { code: VILLAGE, fullName: '辽宁省丹东市宽甸满族自治县灌水镇东岔村委会' },
    });
    expect(body.user.password_hash).toBeUndefined();
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tf_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('knows the signed-in user, and forgets them after logout', async () => {
    const client = await env().signIn('township', '210624101');
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe(client.user.username);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    const after = await client.get('/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toBe('请先登录');
  });

  it('refuses a write without the CSRF header', async () => {
    const client = await env().signIn('village', VILLAGE);
    const res = await client.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'x-csrf-token': 'wrong' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'csrf_failed', field: 'x-csrf-token' });
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('tells a wrong password from a locked account, and locks after five failures', async () => {
    const user = await env().createUser('village', VILLAGE);
    const attempt = (password: string) =>
      env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password },
        remoteAddress: '10.9.0.1',
      });
    for (let i = 0; i < 4; i++) {
      const res = await attempt('wrong-password-1');
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'invalid_credentials',
        message: '用户名或密码错误',
      });
    }
    const fifth = await attempt('wrong-password-1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');
    expect(fifth.json().error.message).toContain('已被锁定');
    // Even the right password is refused while locked, with the lock message.
    const right = await attempt(TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.lockedUntil).toBeTruthy();
    const audit = await env()
      .database.db.selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', user.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('auth.account_locked');
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const user = await env().createUser('village', VILLAGE);
    const unknown = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'no-such-user', password: 'whatever-123' },
    });
    const wrong = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: 'whatever-123' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('refuses a disabled account with its own message', async () => {
    const user = await env().createUser('village', VILLAGE);
    await env()
      .database.db.updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', user.id)
      .execute();
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: 'account_disabled',
      message: '该账户已停用，请联系管理员',
    });
  });

  it('rate-limits logins from one address', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `nobody-${i}`, password: 'whatever-123' },
        remoteAddress: '10.9.9.9',
      });
      last = res.statusCode;
      if (last === 429) {
        expect(res.json().error.message).toMatch(/登录尝试过于频繁，请 \d+ 秒后再试/);
        break;
      }
    }
    expect(last).toBe(429);
  });

  it('answers bad login input with 400 naming the field, and never a stack trace', async () => {
    const cases: [unknown, string, string][] = [
      ['{"username":', 'application/json', 'body'],
      ['', 'application/json', 'body'],
      [JSON.stringify({ username: 'a', password: 'b', extra: true }), 'application/json', 'extra'],
      [JSON.stringify({ username: 123, password: 'b' }), 'application/json', 'username'],
      [JSON.stringify({ username: 'x'.repeat(65), password: 'b' }), 'application/json', 'username'],
      [JSON.stringify({ password: 'b' }), 'application/json', 'username'],
      [JSON.stringify(['username', 'password']), 'application/json', 'body'],
    ];
    for (const [payload, type, field] of cases) {
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: payload as string,
        headers: { 'content-type': type },
      });
      expect(res.statusCode, String(payload)).toBe(400);
      const error = res.json().error;
      expect(error.field, String(payload)).toBe(field);
      expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
    }
  });

  it('treats SQL and HTML metacharacters as plain text', async () => {
    for (const username of [
      "admin' or '1'='1",
      'x"; drop table users; --',
      '<script>alert(1)</script>',
    ]) {
      const res = await env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: "' or 1=1 --" },
      });
      expect(res.statusCode).toBe(401);
    }
    const users = await env().database.db.selectFrom('users').select('id').execute();
    expect(users.length).toBeGreaterThan(0);
  });
});
