import { DANDONG_2023, prefilledAnswers, type Answers } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import {
  DONGCHA,
  GUJIATUN,
  buildElder,
  buildVisit,
  buildVisitor,
  idNumber,
} from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const HOUR = 3_600_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const answers = (changes: Answers): Answers => ({ ...prefilledAnswers(DANDONG_2023), ...changes });

interface Listed {
  title: string;
  severity: string;
  type: string;
  status: string;
}
interface ListPage {
  items: Listed[];
  total: number;
  emergencies: number;
  page: number;
  pageSize: number;
}

describeEachDatabase('listing findings by severity and type', (env) => {
  let village: Client;
  let township: Client;

  const list = async (client: Client, query: string): Promise<ListPage> => {
    const res = await client.get(`/api/findings?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ListPage;
  };
  const titles = (page: ListPage) => page.items.map((f) => f.title);

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    township = await env().signIn('township', TOWNSHIP);
    const elders: string[] = [];
    for (const name of ['周玉兰', '吴德福']) {
      const r = await village.post('/api/elders', buildElder({ name, idNumber: idNumber() }));
      expect(r.statusCode, r.body).toBe(201);
      elders.push(r.json().id);
    }
    const [first, second] = elders as [string, string];
    const user = await env().createUser('visitor', DONGCHA);
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    const assigned = await village.post('/api/assignments', {
      elderIds: elders,
      visitorId: v.json().id,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const visitor = await env().login(user.username);

    // Oldest to newest: a gas hazard; low mood and a serious illness; an emergency in a family
    // that lost a member.
    const visits = [
      buildVisit(first, {
        visitedAt: iso(3 * HOUR),
        answers: answers({ gas_safety: { value: 'unsafe' } }),
      }),
      buildVisit(second, {
        visitedAt: iso(2 * HOUR),
        answers: answers({
          mood: { value: 'worse' },
          illness: { value: 'serious', text: '脑梗' },
        }),
      }),
      buildVisit(first, {
        visitedAt: iso(1 * HOUR),
        answers: answers({ household_size: { value: 'decreased', number: 1 } }),
        emergency: true,
        emergencyNote: '老人摔倒在家',
      }),
    ];
    for (const body of visits) {
      const r = await visitor.post('/api/visits', body);
      expect(r.statusCode, r.body).toBe(201);
    }
  });

  it('lists the emergency first, then the newest, and counts every emergency on each page', async () => {
    const all = await list(village, 'pageSize=2');
    expect(all).toMatchObject({ total: 5, emergencies: 1, page: 1, pageSize: 2 });
    expect(titles(all)).toEqual(['紧急情况', '家庭人口减少']);
    const second = await list(village, 'pageSize=2&page=2');
    expect(titles(second).sort()).toEqual(['患严重疾病', '情绪状态变差'].sort());
    expect(second.emergencies).toBe(1);
    const third = await list(village, 'pageSize=2&page=3');
    expect(titles(third)).toEqual(['燃气不安全']);
  });

  it('lists only the findings of the severity asked for, with their total', async () => {
    const high = await list(village, 'severity=high');
    expect(high.total).toBe(2);
    expect(high.emergencies).toBe(0);
    expect(titles(high)).toEqual(['患严重疾病', '燃气不安全']);
    expect(new Set(high.items.map((f) => f.severity))).toEqual(new Set(['high']));
    const emergency = await list(village, 'severity=emergency');
    expect(titles(emergency)).toEqual(['紧急情况']);
    expect(emergency.emergencies).toBe(1);
  });

  it('lists only the findings of the type asked for, combined with severity and status', async () => {
    expect(titles(await list(village, 'type=mental'))).toEqual(['情绪状态变差']);
    expect(titles(await list(village, 'type=safety_hazard&severity=high'))).toEqual(['燃气不安全']);
    expect(
      titles(await list(township, `region=${DONGCHA}&type=health_decline&status=open`)),
    ).toEqual(['患严重疾病']);
    const none = await list(village, 'type=mental&severity=high');
    expect(none).toMatchObject({ items: [], total: 0, emergencies: 0 });
  });

  it('pages through a filtered list without repeating or losing a finding', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await list(village, `severity=medium&pageSize=1&page=${page}`);
      expect(p.total).toBe(2);
      seen.push(...titles(p));
    }
    expect(seen.sort()).toEqual(['家庭人口减少', '情绪状态变差'].sort());
  });

  it('refuses an unknown severity or type with a 400 that names the field', async () => {
    const severity = await village.get('/api/findings?severity=urgent');
    expect(severity.statusCode).toBe(400);
    expect(severity.json().error).toMatchObject({ code: 'invalid_input', field: 'severity' });
    expect(severity.json().error.message).toContain('严重程度应为');
    expect(severity.json().error.message).toContain('紧急');

    const type = await village.get('/api/findings?type=fire');
    expect(type.statusCode).toBe(400);
    expect(type.json().error).toMatchObject({ code: 'invalid_input', field: 'type' });
    expect(type.json().error.message).toContain('问题类型应为');

    const page = await village.get('/api/findings?severity=high&pageSize=500');
    expect(page.statusCode).toBe(400);
    expect(page.json().error.field).toBe('pageSize');
  });

  it('shows staff of another village none of these findings, whatever the filter', async () => {
    const other = await env().signIn('village', GUJIATUN);
    const filtered = await list(other, 'severity=emergency');
    expect(filtered).toMatchObject({ items: [], total: 0, emergencies: 0 });
    const aimed = await other.get(`/api/findings?region=${DONGCHA}&severity=high`);
    expect(aimed.statusCode).toBe(404);
    expect(aimed.body).not.toContain('燃气不安全');
    const visitor = await env().signIn('visitor', DONGCHA);
    expect((await visitor.get('/api/findings?severity=high')).statusCode).toBe(403);
  });
});
