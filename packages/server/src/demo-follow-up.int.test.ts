import { expect, it } from 'vitest';
import { loadDemoIfNew } from './demo.js';
import { loadDemoElders } from './demo-elders.js';
import { loadDemoFollowUp } from './demo-follow-up.js';
import { loadDemoVisiting } from './demo-visiting.js';
import { describeEachDatabase } from './test/harness.js';

const PASSWORD = 'demo-password-2026';

describeEachDatabase('the demo’s follow-up', (env) => {
  it('gives demo-provider its provider’s referrals in different states, and 东岔村 care services with satisfaction', async () => {
    const services = env().services;
    expect(await loadDemoIfNew(services.database.db, PASSWORD)).toBe(true);
    await loadDemoElders(services);
    await loadDemoVisiting(services);
    expect(await loadDemoFollowUp(services)).toEqual({
      providers: 4,
      referrals: 4,
      careServices: 4,
    });

    const provider = await env().login('demo-provider', PASSWORD);
    const me = (await provider.get('/api/auth/me')).json();
    expect(me.user.provider.name).toBe('宽甸县居家养老服务中心');
    const mine = (await provider.get('/api/referrals')).json();
    expect(mine.counts).toMatchObject({ sent: 1, in_progress: 1, completed: 1 });
    expect(mine.items.map((r: { provider: { name: string } }) => r.provider.name)).toEqual(
      Array(3).fill('宽甸县居家养老服务中心'),
    );

    const village = await env().login('demo-village', PASSWORD);
    const services6 = (await village.get('/api/care-services?pageSize=50')).json();
    expect(services6.total).toBe(4);
    expect(new Set(services6.items.map((s: { satisfaction: string }) => s.satisfaction))).toEqual(
      new Set(['satisfied', 'basically_satisfied', 'unsatisfied']),
    );
    const county = await env().login('demo-county', PASSWORD);
    expect((await county.get('/api/providers')).json().total).toBe(4);
  });
});
