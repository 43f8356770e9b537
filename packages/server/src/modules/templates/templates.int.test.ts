import { ANSHAN_2020, prefilledAnswers } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildElder, buildVisit, buildVisitor } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const CITY = DONGCHA.slice(0, 4); // 丹东市
/** A city's own version of the 鞍山 form: one more item under 安全情况. */
const cityVersion = () => ({
  ...ANSHAN_2020,
  version: 2,
  name: '丹东市定期巡访情况表（2026 修订）',
  issuer: '丹东市民政局',
  sections: ANSHAN_2020.sections.map((s) =>
    s.key === 'safety'
      ? {
          ...s,
          items: [
            ...s.items,
            {
              kind: 'choice',
              key: 'gas_alarm',
              label: '燃气报警器',
              options: [
                { value: 'yes', label: '已安装' },
                { value: 'no', label: '未安装' },
              ],
              prefill: 'yes',
            },
          ],
        }
      : s,
  ),
});

describeEachDatabase('form templates', (env) => {
  let city: Client;

  beforeAll(async () => {
    city = await env().signIn('city', CITY);
  });

  it('lists the built-in 鞍山 and 丹东 forms for everyone', async () => {
    const village = await env().signIn('village', DONGCHA);
    const res = await village.get('/api/templates');
    expect(res.statusCode).toBe(200);
    expect(
      res.json().items.map((t: { key: string; version: number }) => `${t.key}@${t.version}`),
    ).toEqual(['anshan-2020@1', 'dandong-2023@1']);
    const one = await village.get('/api/templates/dandong-2023/1');
    expect(one.json()).toMatchObject({
      key: 'dandong-2023',
      builtin: true,
      print: 'dandong-record',
    });
    expect((await village.get('/api/templates/dandong-2023/7')).statusCode).toBe(404);
  });

  it('lets a city upload a new version of a form, which its villages then record visits with', async () => {
    const res = await city.post('/api/templates', cityVersion());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      key: 'anshan-2020',
      version: 2,
      builtin: false,
      regionCode: CITY,
    });
    const village = await env().signIn('village', DONGCHA);
    const listed = await village.get('/api/templates');
    expect(listed.json().items.map((t: { name: string }) => t.name)).toContain(
      '丹东市定期巡访情况表（2026 修订）',
    );
    expect(
      (await village.get('/api/templates/anshan-2020/2')).json().sections[2].items,
    ).toHaveLength(4);
    // A visit made with version 2 needs its new item; version 1 stays as it was.
    const elder = (await village.post('/api/elders', buildElder())).json().id as string;
    const visitorId = (await village.post('/api/visitors', buildVisitor())).json().id as string;
    const v2 = { key: 'anshan-2020', version: 2 };
    const missing = await village.post(
      '/api/visits',
      buildVisit(elder, { visitorId, template: v2, answers: prefilledAnswers(ANSHAN_2020) }),
    );
    expect(missing.json().error.field).toBe('answers.gas_alarm');
    const ok = await village.post(
      '/api/visits',
      buildVisit(elder, {
        visitorId,
        template: v2,
        answers: { ...prefilledAnswers(ANSHAN_2020), gas_alarm: { value: 'no' } },
      }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().template).toEqual({
      key: 'anshan-2020',
      version: 2,
      name: '丹东市定期巡访情况表（2026 修订）',
    });
    // Another city sees neither the template nor can its villages use it.
    const other = await env().signIn('village', '210381001001');
    expect((await other.get('/api/templates/anshan-2020/2')).statusCode).toBe(404);
    expect((await other.get('/api/templates')).json().items).toHaveLength(2);
  });

  it('refuses a template with a mistake, naming the path of the first one', async () => {
    const bad = cityVersion();
    bad.version = 3;
    (bad.sections[2]!.items[3] as { key: string }).key = 'Gas Alarm';
    const res = await city.post('/api/templates', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('sections.2.items.3.key');
    const dupItem = cityVersion();
    dupItem.version = 3;
    (dupItem.sections[2]!.items[3] as { key: string }).key = 'fire_safety';
    const dup = await city.post('/api/templates', dupItem);
    expect(dup.json().error.field).toBe('sections.2.items.3.key');
    expect(dup.json().error.message).toContain('重复');
    const rows = await env().database.db.selectFrom('form_templates').select('version').execute();
    expect(rows).toEqual([{ version: 2 }]);
  });

  it('refuses an existing key and version, built in or uploaded, and uploads by other roles', async () => {
    const again = await city.post('/api/templates', cityVersion());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已存在');
    const builtin = await city.post('/api/templates', ANSHAN_2020);
    expect(builtin.statusCode).toBe(409);
    const county = await env().signIn('county', DONGCHA.slice(0, 6));
    expect((await county.post('/api/templates', { ...cityVersion(), version: 5 })).statusCode).toBe(
      403,
    );
  });
});
