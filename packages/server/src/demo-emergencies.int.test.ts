import { expect, it } from 'vitest';
import { loadDemoIfNew } from './demo.js';
import { loadDemoElders } from './demo-elders.js';
import { loadDemoEmergencies } from './demo-emergencies.js';
import { loadDemoFollowUp } from './demo-follow-up.js';
import { loadDemoVisiting } from './demo-visiting.js';
import { describeEachDatabase } from './test/harness.js';

const PASSWORD = 'demo-password-2026';

describeEachDatabase('the demo’s findings and emergencies', (env) => {
  it('shows 灌水镇 findings in different states and an open and an acknowledged emergency', async () => {
    const services = env().services;
    expect(await loadDemoIfNew(services.database.db, PASSWORD)).toBe(true);
    await loadDemoElders(services);
    await loadDemoVisiting(services);
    await loadDemoFollowUp(services);
    expect(await loadDemoEmergencies(services)).toEqual({ findings: 3, emergencies: 2 });

    const township = await env().login('demo-township', PASSWORD);
    const emergencies = (await township.get('/api/emergencies?state=active')).json();
    expect(emergencies.counts).toMatchObject({ active: 2, open: 1, acknowledged: 1 });
    expect(emergencies.items.map((e: { state: string }) => e.state)).toEqual([
      'pending',
      'acknowledged',
    ]);
    expect(emergencies.items[1]).toMatchObject({
      responseSeconds: 480,
      checklist: { situation: 'hospital' },
    });

    const village = await env().login('demo-village', PASSWORD);
    const findings = (await village.get('/api/findings?pageSize=50')).json();
    const status = (title: string) =>
      findings.items.find((f: { title: string }) => f.title === title)?.status;
    expect(status('燃气不安全')).toBe('closed');
    expect(status('情绪状态变差')).toBe('in_progress');
    expect(status('提出服务需求')).toBe('open');
    const overdue = (await village.get('/api/findings?overdue=true')).json();
    expect(overdue.items.map((f: { title: string }) => f.title)).toContain('提出服务需求');
  });
});
