/**
 * The demo's visiting: the 丹东 monthly rule (in force since the month before last, as if the
 * system had been in use), 宽甸's weekly rule for high-risk elders, visitors of 东岔村 and a
 * township social worker, household assignments (a few elders left without a visitor), a heating-
 * season campaign, and two months of visits with some missed — so every worklist has something
 * to show on the first start.
 */
import {
  DANDONG_2023,
  POLICY_PRESETS,
  prefilledAnswers,
  addDays,
  periodOf,
  startOfLocalDate,
  todayIso,
  uuidv7,
  type VisitMethod,
} from '@tanfang/domain';
import type { RequestContext } from './context.js';
import { insertPolicy, insertVersion } from './modules/policies/policies.repository.js';
import { findUserByUsername } from './modules/users/users.repository.js';
import type { Services } from './services.js';

const DONGCHA = '210624101201';
const TOWNSHIP = '210624101';

/** What the demo made. */
export interface DemoVisiting {
  visitors: number;
  assignments: number;
  visits: number;
}

/** Loads the demo's visiting data; expects the demo accounts and elders. */
export async function loadDemoVisiting(
  services: Services,
  now = Date.now(),
): Promise<DemoVisiting> {
  const db = services.database.db;
  const user = async (username: string) => {
    const u = await findUserByUsername(db, username);
    if (!u) throw new Error(`演示账户 ${username} 不存在`);
    return u;
  };
  const [city, county, township, village, visitorUser] = await Promise.all(
    ['demo-city', 'demo-county', 'demo-township', 'demo-village', 'demo-visitor'].map(user),
  );
  const ctx = (u: Awaited<ReturnType<typeof user>>): RequestContext => ({
    actor: {
      userId: u.id,
      username: u.username,
      role: u.role as RequestContext['actor']['role'],
      jurisdiction: u.jurisdiction,
    },
    requestId: 'demo',
    ip: 'localhost',
  });
  const today = todayIso();
  const thisMonth = periodOf('month', today);
  const lastMonth = periodOf('month', addDays(thisMonth.start, -1));
  const since = periodOf('month', addDays(lastMonth.start, -1)).start;

  // 丹东 2023 for the whole city, in force since the month before last (written as the system
  // would have kept it then: a rule cannot be backdated through the API).
  const dandong = POLICY_PRESETS.find((p) => p.key === 'dandong-2023')!.policies[0]!;
  const policyId = uuidv7(startOfLocalDate(since));
  await db.transaction().execute(async (trx) => {
    await insertPolicy(trx, {
      id: policyId,
      region_code: city!.jurisdiction,
      preset: 'dandong-2023',
      created_by: city!.id,
    });
    await insertVersion(trx, {
      policy_id: policyId,
      version: 1,
      effective_from: since,
      name: dandong.name,
      tiers: dandong.tiers,
      categories: dandong.categories,
      cadence: JSON.stringify(dandong.cadence),
      counted_methods: dandong.countedMethods,
      in_person_every: dandong.inPersonEvery,
      template_key: dandong.templateKey,
      created_by: city!.id,
    });
  });
  // 宽甸 adds, from today, a weekly visit for high-risk elders (the 2022 national tiering).
  await services.policies.create(ctx(county!), {
    regionCode: county!.jurisdiction,
    name: '高风险对象每周探访',
    tiers: ['high_risk'],
    cadence: { kind: 'weekly' },
    countedMethods: ['in_person', 'phone', 'video'],
    inPersonEvery: 'month',
    templateKey: 'dandong-2023',
    effectiveFrom: today,
  });
  // 供暖季: an extra visit within 14 days, with the heating checks on the form.
  await services.campaigns.create(ctx(township!), {
    regionCode: TOWNSHIP,
    name: '供暖季入户走访',
    kind: 'heating_season',
    startsAt: new Date(startOfLocalDate(today)).toISOString(),
    endsAt: new Date(startOfLocalDate(addDays(today, 120))).toISOString(),
    within: { value: 14, unit: 'days' },
    tiers: ['high_risk', 'key'],
  });

  // Visitors: three in 东岔村 (the first is demo-visitor's own record), one for the township.
  const staff = ctx(village!);
  const liu = await services.visitors.create(staff, {
    name: '王桂兰',
    type: 'grid_worker',
    phone: '13904151101',
    regionCode: DONGCHA,
    userId: visitorUser!.id,
    note: '东岔村网格员',
  });
  const wang = await services.visitors.create(staff, {
    name: '刘志强',
    type: 'cadre',
    phone: '13904151102',
    regionCode: DONGCHA,
  });
  const zhao = await services.visitors.create(staff, {
    name: '赵丽',
    type: 'volunteer',
    phone: '13904151103',
    regionCode: DONGCHA,
  });
  const chen = await services.visitors.create(ctx(township!), {
    name: '陈晓燕',
    type: 'social_worker',
    phone: '13904151104',
    regionCode: TOWNSHIP,
    note: '乡镇社工站',
  });

  const elders = await db
    .selectFrom('elders')
    .select(['id', 'village_code', 'tier'])
    .where('village_code', 'like', `${TOWNSHIP}%`)
    .orderBy('village_code')
    .orderBy('id')
    .execute();
  const dongcha = elders.filter((e) => e.village_code === DONGCHA);
  const others = elders.filter((e) => e.village_code !== DONGCHA);
  // From the census (摸底日期 of the demo elders) or the rule's start, whichever is later.
  const startDate = since > '2026-10-15' ? since : '2026-10-15';
  const assign = async (ids: string[], visitorId: string, role: 'primary' | 'backup') => {
    if (ids.length === 0) return 0;
    const r = await services.assignments.assign(ctx(township!), {
      elderIds: ids,
      visitorId,
      role,
      startDate,
    });
    return r.created.length;
  };
  let assignments = 0;
  // 东岔村: most to 王桂兰 (demo-visitor), three to 刘志强, the last one still without a visitor.
  assignments += await assign(
    dongcha.slice(0, -4).map((e) => e.id),
    liu.id,
    'primary',
  );
  assignments += await assign(
    dongcha.slice(-4, -1).map((e) => e.id),
    wang.id,
    'primary',
  );
  assignments += await assign(
    dongcha.slice(0, 3).map((e) => e.id),
    zhao.id,
    'backup',
  );
  // Other villages: the township social worker takes two in three; the rest wait for a visitor.
  assignments += await assign(
    others.filter((_, i) => i % 3 !== 2).map((e) => e.id),
    chen.id,
    'primary',
  );

  // Visits: last month nearly everyone, this month about half; a few on paper, entered late.
  const methods: VisitMethod[] = ['in_person', 'in_person', 'phone', 'in_person', 'video'];
  const visitorOf = new Map<string, string>();
  for (const e of dongcha.slice(0, -4)) visitorOf.set(e.id, liu.id);
  for (const e of dongcha.slice(-4, -1)) visitorOf.set(e.id, wang.id);
  for (const [i, e] of others.entries()) if (i % 3 !== 2) visitorOf.set(e.id, chen.id);
  const rows = [];
  for (const [i, e] of elders.entries()) {
    const visitorId = visitorOf.get(e.id);
    if (!visitorId) continue;
    const plan: Array<[string, number]> = [];
    if (i % 7 !== 3) plan.push([lastMonth.start, 3 + ((i * 5) % 24)]);
    if (i % 2 === 0) plan.push([thisMonth.start, 1 + ((i * 3) % 20)]);
    for (const [monthStart, day] of plan) {
      let date = addDays(monthStart, day);
      // Not before the census registered the elder.
      if (date <= startDate) date = addDays(startDate, 1 + (day % 10));
      const visitedAt = startOfLocalDate(date) + (9 + (i % 8)) * 3_600_000;
      if (visitedAt > now - 3_600_000) continue;
      const late = i % 9 === 4;
      const enteredAt = late ? visitedAt + 12 * 86_400_000 : visitedAt + 20 * 60_000;
      rows.push({
        id: uuidv7(Math.min(enteredAt, now)),
        elder_id: e.id,
        county_code: e.village_code.slice(0, 6),
        village_code: e.village_code,
        visitor_id: visitorId,
        visited_at: new Date(visitedAt),
        entered_at: new Date(Math.min(enteredAt, now)),
        method: methods[i % methods.length]!,
        template_key: 'dandong-2023',
        template_version: 1,
        // As recorded for an elder whose situation has not changed (the 丹东 form's prefill).
        answers: JSON.stringify(prefilledAnswers(DANDONG_2023)),
        device_time: new Date(Math.min(enteredAt, now)),
        entered_by: visitorId === liu.id ? visitorUser!.id : village!.id,
      });
    }
  }
  if (rows.length) await db.insertInto('visits').values(rows).execute();
  return { visitors: 4, assignments, visits: rows.length };
}
