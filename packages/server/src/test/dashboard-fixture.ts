/**
 * A small known data set for the dashboard and scorecard tests: the 丹东 monthly rule for 宽甸县
 * since the month before last, six elders (four in 东岔村, two in 东岔村's neighbour), visits of
 * the last two months, findings, emergencies and referrals with known outcomes. Every date is
 * relative to today, so the tests hold on any day.
 */
import {
  DANDONG_2023,
  POLICY_PRESETS,
  addDays,
  lastMonths,
  parsePeriodKey,
  prefilledAnswers,
  startOfLocalDate,
  todayIso,
  uuidv7,
} from '@tanfang/domain';
import { insertPolicy, insertVersion } from '../modules/policies/policies.repository.js';
import { DONGCHA, buildElder, buildVisitor, idNumber } from './factories.js';
import type { Client, TestEnv } from './harness.js';

/** 东岔村's neighbour in 灌水镇. */
export const NEIGHBOUR = '210624101202';
export const TOWNSHIP = DONGCHA.slice(0, 9);
export const COUNTY = DONGCHA.slice(0, 6);
/** A village of 东港市, another county. */
export const OTHER_VILLAGE = '210681101201';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the fixture made. */
export interface DashboardFixture {
  county: Client;
  township: Client;
  /** The month before last, last month and this month (YYYY-MM). */
  months: [string, string, string];
  /** 东岔村's four elders, then the neighbour's two. */
  elders: string[];
  visitIds: string[];
  /** The moment the findings were raised: the 5th of last month, 10:00. */
  raisedAt: number;
}

/**
 * Loads the data set:
 * - visits: the month before last 东岔村 3 of 4 (one entered late) and the neighbour 1 of 2; last
 *   month 东岔村 4 of 4 and the neighbour 0 of 2; none this month;
 * - three of 东岔村's elders have every ledger field (a caregiver); the others lack the caregiver
 *   a 留守 elder's record asks for;
 * - findings raised on the 5th of last month in 东岔村: three emergencies (answered in 10 minutes;
 *   answered after an escalation in 50; never answered), three needs (康复 referred the next day,
 *   血压 untouched, 扶手 resolved in two days), one safety hazard left open; an emergency in another
 *   county;
 * - two referrals: 康复护理 completed, 医疗 sent.
 */
export async function loadDashboardFixture(env: TestEnv): Promise<DashboardFixture> {
  const db = env.database.db;
  const county = await env.signIn('county', COUNTY);
  const township = await env.signIn('township', TOWNSHIP);
  const village = await env.signIn('village', DONGCHA);
  const neighbour = await env.signIn('village', NEIGHBOUR);
  const months = lastMonths(todayIso(), 3) as [string, string, string];
  const [m2, m1] = months.map((m) => parsePeriodKey(m)!);
  const since = m2!.start;

  const preset = POLICY_PRESETS.find((p) => p.key === 'dandong-2023')!.policies[0]!;
  const policyId = uuidv7(startOfLocalDate(since));
  await insertPolicy(db, {
    id: policyId,
    region_code: COUNTY,
    preset: 'dandong-2023',
    created_by: county.user.id,
  });
  await insertVersion(db, {
    policy_id: policyId,
    version: 1,
    effective_from: since,
    name: preset.name,
    tiers: preset.tiers,
    categories: preset.categories,
    cadence: JSON.stringify(preset.cadence),
    counted_methods: preset.countedMethods,
    in_person_every: preset.inPersonEvery,
    template_key: preset.templateKey,
    created_by: county.user.id,
  });

  const elders: string[] = [];
  const caregiver = { name: '张芳', relation: '邻居', phone: '13904159999' };
  for (let i = 0; i < 6; i++) {
    const staff = i < 4 ? village : neighbour;
    const r = await staff.post(
      '/api/elders',
      buildElder({
        name: `看板老人${'甲乙丙丁戊己'[i]}`,
        idNumber: idNumber(),
        villageCode: i < 4 ? DONGCHA : NEIGHBOUR,
        recordDate: since,
        ...(i < 3 ? { caregiver } : {}),
      }),
    );
    if (r.statusCode !== 201) throw new Error(`elder: ${r.statusCode} ${r.body}`);
    elders.push(r.json().id);
  }
  const v = await village.post('/api/visitors', buildVisitor());
  if (v.statusCode !== 201) throw new Error(`visitor: ${v.statusCode} ${v.body}`);
  const visitorId = v.json().id as string;

  const at = (date: string, hour = 10) => startOfLocalDate(date) + hour * HOUR;
  const visits: { elder: number; visitedAt: number; enteredAt: number }[] = [
    { elder: 0, visitedAt: at(addDays(since, 3)), enteredAt: at(addDays(since, 3), 11) },
    { elder: 1, visitedAt: at(addDays(since, 4)), enteredAt: at(addDays(since, 4), 11) },
    // Entered five days after the month ended: late (补录).
    { elder: 2, visitedAt: at(addDays(since, 6)), enteredAt: at(addDays(m1!.start, 5)) },
    { elder: 4, visitedAt: at(addDays(since, 7)), enteredAt: at(addDays(since, 7), 11) },
    ...[0, 1, 2, 3].map((elder) => ({
      elder,
      visitedAt: at(addDays(m1!.start, 2 + elder)),
      enteredAt: at(addDays(m1!.start, 2 + elder), 12),
    })),
  ];
  const visitIds = visits.map((x) => uuidv7(x.enteredAt));
  await db
    .insertInto('visits')
    .values(
      visits.map((x, i) => ({
        id: visitIds[i]!,
        elder_id: elders[x.elder]!,
        county_code: COUNTY,
        village_code: x.elder < 4 ? DONGCHA : NEIGHBOUR,
        visitor_id: visitorId,
        visited_at: new Date(x.visitedAt),
        entered_at: new Date(x.enteredAt),
        method: 'in_person' as const,
        template_key: DANDONG_2023.key,
        template_version: DANDONG_2023.version,
        answers: JSON.stringify(prefilledAnswers(DANDONG_2023)),
        entered_by: village.user.id,
      })),
    )
    .execute();
  // Months already planned (the current one at start-up) take the visits in.
  await env.services.rollups.refreshElders(
    elders,
    new Date(startOfLocalDate(since)),
    new Date(Date.now() + DAY),
  );

  const raisedAt = at(addDays(m1!.start, 4));
  const minutes = (n: number) => new Date(raisedAt + n * 60_000);
  const finding = (
    over: Partial<{
      id: string;
      type: string;
      severity: string;
      title: string;
      source: string;
      status: string;
      deadline_at: Date;
      deadline_action: 'acknowledge' | 'handle' | 'refer';
      acknowledged_at: Date | null;
      escalated_at: Date | null;
      resolved_at: Date | null;
      village_code: string;
      county_code: string;
      elder_id: string;
    }>,
  ) => ({
    id: uuidv7(raisedAt),
    visit_id: null,
    elder_id: elders[0]!,
    county_code: COUNTY,
    village_code: DONGCHA,
    type: 'emergency',
    severity: 'emergency',
    title: '紧急情况',
    source: '村(居)委会直接上报',
    status: 'open',
    deadline_at: minutes(30),
    deadline_action: 'acknowledge' as const,
    created_at: new Date(raisedAt),
    updated_at: new Date(raisedAt),
    ...over,
  });
  const needReferred = uuidv7(raisedAt);
  await db
    .insertInto('findings')
    .values([
      finding({ status: 'in_progress', acknowledged_at: minutes(10) }),
      finding({
        status: 'in_progress',
        acknowledged_at: minutes(50),
        escalated_at: minutes(31),
        deadline_at: minutes(60),
      }),
      finding({ escalated_at: minutes(31), deadline_at: minutes(60) }),
      finding({
        id: needReferred,
        type: 'need',
        severity: 'low',
        title: '提出服务需求',
        source: '老年人服务需求：脑梗后需上门康复训练',
        status: 'referred',
        deadline_at: minutes(14 * 24 * 60),
        deadline_action: 'refer',
      }),
      finding({
        type: 'need',
        severity: 'low',
        title: '提出服务需求',
        source: '老年人服务需求：高血压，需定期测量血压',
        deadline_at: minutes(14 * 24 * 60),
        deadline_action: 'refer',
      }),
      finding({
        type: 'need',
        severity: 'low',
        title: '提出服务需求',
        source: '老年人服务需求：卫生间需加装扶手',
        status: 'resolved',
        resolved_at: minutes(2 * 24 * 60),
        deadline_at: minutes(14 * 24 * 60),
        deadline_action: 'refer',
      }),
      finding({
        type: 'safety_hazard',
        severity: 'high',
        title: '用电不安全',
        source: '用电安全：不安全',
        deadline_at: minutes(7 * 24 * 60),
        deadline_action: 'handle',
      }),
      finding({
        village_code: OTHER_VILLAGE,
        county_code: OTHER_VILLAGE.slice(0, 6),
      }),
    ])
    .execute();
  await db
    .insertInto('finding_events')
    .values({
      id: uuidv7(raisedAt + DAY),
      finding_id: needReferred,
      elder_id: elders[0]!,
      county_code: COUNTY,
      at: new Date(raisedAt + DAY),
      actor_id: township.user.id,
      actor_name: '测试',
      kind: 'referral',
      from_status: 'open',
      to_status: 'referred',
    })
    .execute();
  const providerId = uuidv7();
  await db
    .insertInto('service_providers')
    .values({
      id: providerId,
      name: '宽甸县居家养老服务中心',
      kinds: ['rehab_nursing', 'medical'],
      region_code: COUNTY,
    })
    .execute();
  await db
    .insertInto('referrals')
    .values([
      {
        id: uuidv7(raisedAt + DAY),
        finding_id: needReferred,
        elder_id: elders[0]!,
        county_code: COUNTY,
        village_code: DONGCHA,
        provider_id: providerId,
        kind: 'rehab_nursing',
        need: '上门康复训练',
        status: 'completed',
        created_at: new Date(raisedAt + DAY),
      },
      {
        id: uuidv7(raisedAt + 2 * DAY),
        elder_id: elders[1]!,
        county_code: COUNTY,
        village_code: DONGCHA,
        provider_id: providerId,
        kind: 'medical',
        need: '测量血压',
        status: 'sent',
        created_at: new Date(raisedAt + 2 * DAY),
      },
    ])
    .execute();
  return { county, township, months, elders, visitIds, raisedAt };
}
