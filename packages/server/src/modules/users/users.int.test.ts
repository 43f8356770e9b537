import { expect, it } from 'vitest';
import { TEST_PASSWORD, describeEachDatabase } from '../../test/harness.js';

const KUANDIAN = '210624';
const DONGCHA = '210624101201';

describeEachDatabase('managing users', (env) => {
  const newUser = (over: Record<string, unknown> = {}) => ({
    username: `cadre${Math.floor(Math.random() * 1e9)}`,
    displayName: '李秀英',
    role: 'village',
    jurisdiction: DONGCHA,
    phone: '13800138000',
    password: 'Visit-2026-ok',
    ...over,
  });

  it('lets an admin create a user in their jurisdiction, who can then sign in', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const input = newUser();
    const res = await admin.post('/api/users', input);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: input.username,
      role: 'village',
      status: 'active',
      phone: '13800138000',
    });
    const login = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: input.username, password: input.password },
    });
    expect(login.statusCode).toBe(200);
    const audit = await env()
      .database.db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.create')
      .where('entity_id', '=', res.json().id)
      .executeTakeFirst();
    expect(audit).toMatchObject({ actor_id: admin.user.id, region_code: DONGCHA, ip: '127.0.0.1' });
    expect(audit?.request_id).toBe(res.headers['x-request-id']);
  });

  it('states the password rule when the password is weak', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const res = await admin.post('/api/users', newUser({ password: 'abc' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('password');
    expect(res.json().error.message).toContain('密码须为 10–128 个字符，且同时包含字母和数字');
  });

  it('refuses a jurisdiction outside the admin’s, of the wrong level, or unknown — writing nothing', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const before = await env().database.db.selectFrom('users').select('id').execute();
    const cases: [Record<string, unknown>, string][] = [
      [{ jurisdiction: '210681101201' }, '辖区不在您的管辖范围内'],
      [{ jurisdiction: '210624101' }, '角色“村(居)委会”的辖区应为村(居)级区划'],
      [{ jurisdiction: '210624101999' }, '区划代码 210624101999 不存在'],
      [{ jurisdiction: "2106'--" }, '区划代码格式不正确'],
    ];
    for (const [over, message] of cases) {
      const res = await admin.post('/api/users', newUser(over));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('jurisdiction');
      expect(res.json().error.message).toContain(message);
    }
    expect((await env().database.db.selectFrom('users').select('id').execute()).length).toBe(
      before.length,
    );
  });

  it('refuses a second account with the same username, whatever its case', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const input = newUser();
    expect((await admin.post('/api/users', input)).statusCode).toBe(201);
    const again = await admin.post(
      '/api/users',
      newUser({ username: input.username.toUpperCase() }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'username_taken', field: 'username' });
  });

  it('stores text with SQL and HTML metacharacters as it was typed', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const name = `<b>王</b>'); drop table users; --`;
    const res = await admin.post('/api/users', newUser({ displayName: name }));
    expect(res.statusCode).toBe(201);
    expect(res.json().displayName).toBe(name);
    const over = await admin.post('/api/users', newUser({ displayName: '张'.repeat(51) }));
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({
      field: 'displayName',
      message: '输入有误：displayName：姓名最多 50 个字符',
    });
  });

  it('lists, filters and pages users within the jurisdiction only, and logs the read', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    await env().createUser('village', DONGCHA, { display_name: '东岔村干部' });
    await env().createUser('village', '210681101201', { display_name: '东港市外人' });
    const res = await admin.get(`/api/users?region=${DONGCHA}&pageSize=50`);
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((u: { displayName: string }) => u.displayName);
    expect(names).toContain('东岔村干部');
    expect(names).not.toContain('东港市外人');
    const all = await admin.get('/api/users?pageSize=200');
    for (const u of all.json().items) expect(u.jurisdiction.code.startsWith(KUANDIAN)).toBe(true);
    const search = await admin.get(`/api/users?q=${encodeURIComponent('东岔村')}`);
    expect(search.json().items.map((u: { displayName: string }) => u.displayName)).toEqual([
      '东岔村干部',
    ]);
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .select('action')
      .where('actor_id', '=', admin.user.id)
      .where('action', '=', 'user.list')
      .execute();
    expect(logged.length).toBe(3);
  });

  it('disables a user, ending their sessions, and enables them again', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const cadre = await env().signIn('village', DONGCHA);
    const res = await admin.patch(`/api/users/${cadre.user.id}`, { status: 'disabled' });
    expect(res.json().status).toBe('disabled');
    expect((await cadre.get('/api/auth/me')).statusCode).toBe(401);
    expect(
      (await admin.patch(`/api/users/${cadre.user.id}`, { status: 'active' })).json().status,
    ).toBe('active');
  });

  it('resets a password and unlocks a locked account', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const target = await env().createUser('village', DONGCHA);
    for (let i = 0; i < 5; i++) {
      await env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: target.username, password: 'bad-password-9' },
        remoteAddress: '10.1.1.2',
      });
    }
    const listed = await admin.get(`/api/users?status=locked&pageSize=200`);
    expect(listed.json().items.map((u: { id: string }) => u.id)).toContain(target.id);
    expect((await admin.post(`/api/users/${target.id}/unlock`)).json().status).toBe('active');
    const reset = await admin.post(`/api/users/${target.id}/reset-password`, {
      password: 'Brand-new-2026',
    });
    expect(reset.statusCode).toBe(204);
    const oldLogin = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: target.username, password: TEST_PASSWORD },
    });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: target.username, password: 'Brand-new-2026' },
    });
    expect(newLogin.statusCode).toBe(200);
  });

  it('keeps an admin from disabling themselves', async () => {
    const admin = await env().signIn('admin', KUANDIAN);
    const res = await admin.patch(`/api/users/${admin.user.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('status');
  });

  it('lets no other role manage users', async () => {
    for (const [role, code] of [
      ['city', '2106'],
      ['county', KUANDIAN],
      ['village', DONGCHA],
      ['auditor', '2106'],
    ] as const) {
      const client = await env().signIn(role, code);
      const res = await client.get('/api/users');
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toBe('只有系统管理员可以管理用户');
    }
  });
});
