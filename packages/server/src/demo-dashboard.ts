/**
 * The demo's history for 数据看板 and 绩效考评: three more townships of 宽甸县 that have run a
 * monthly visiting trial for a year (their elders registered twelve months ago, a county rule in
 * force until the city's 丹东 2023 rule took over), their visits month by month with the visit
 * rate climbing, the findings those visits raised and how they were followed up, emergencies and
 * their response times, referrals to the demo's providers, a cold-wave campaign in force in one
 * township, and the city's weights for this year's scorecards — so the county's and the city's
 * dashboards show a year, not two months. 灌水镇, where the other demo data lives, is left alone.
 */
import {
  DANDONG_2023,
  DEFAULT_DEADLINES,
  addDays,
  idCheckCharacter,
  lastMonths,
  parsePeriodKey,
  prefilledAnswers,
  startOfLocalDate,
  todayIso,
  uuidv7,
  type Category,
  type ElderInput,
  type ProviderKind,
  type VisitMethod,
} from '@tanfang/domain';
import type { RequestContext } from './context.js';
import { insertPolicy, insertVersion } from './modules/policies/policies.repository.js';
import { findChildren } from './modules/regions/regions.repository.js';
import { findUserByUsername } from './modules/users/users.repository.js';
import type { Services } from './services.js';

const COUNTY = '210624';
/** 灌水镇: the other demo files' township, not touched here. */
const GUANSHUI = '210624101';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the demo made. */
export interface DemoDashboard {
  townships: number;
  elders: number;
  visits: number;
  findings: number;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '孙',
  '于',
  '关',
  '吴',
  '郭',
  '曲',
  '姜',
];
const GIVEN_F = ['淑芬', '秀兰', '玉芝', '凤琴', '桂香', '素华', '翠英', '丽华'];
const GIVEN_M = ['福林', '德胜', '振山', '永和', '庆丰', '长青', '树森', '宝昌'];
const PROFILES: {
  categories: Category[];
  health: 'healthy' | 'partially_disabled' | 'disabled';
}[] = [
  { categories: ['living_alone'], health: 'healthy' },
  { categories: ['empty_nest'], health: 'healthy' },
  { categories: [], health: 'partially_disabled' },
  { categories: ['living_alone'], health: 'disabled' },
  { categories: ['subsistence'], health: 'healthy' },
  { categories: ['empty_nest'], health: 'partially_disabled' },
  { categories: ['bereaved_family'], health: 'healthy' },
  { categories: [], health: 'healthy' },
];
const NEEDS: [string, ProviderKind][] = [
  ['腿脚不便，需每周上门助餐、打扫卫生', 'daily_care'],
  ['高血压控制不好，需上门测量血压、指导用药', 'medical'],
  ['中风后行动不便，需上门康复训练', 'rehab_nursing'],
  ['卫生间地面湿滑，需加装扶手和防滑垫（适老化改造）', 'home_adaptation'],
  ['老伴去世后情绪低落，需心理疏导和陪伴', 'social_work'],
  ['子女长期不回家、不给赡养费，需法律援助', 'legal_aid'],
  ['冬季取暖费困难，需了解临时救助', 'social_assistance'],
  ['需要帮忙代购日用品、理发', 'daily_care'],
];
const HAZARDS = [
  ['用电不安全', '用电安全：不安全（私拉电线）'],
  ['燃气不安全', '燃气安全：不安全（软管老化）'],
  ['水暖不安全', '水暖安全：不安全（暖气漏水）'],
];

/** A small deterministic pseudo-random sequence, so the demo is the same on every machine. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Loads the dashboard's year of history; expects the other demo data (accounts, providers). */
export async function loadDemoDashboard(
  services: Services,
  now = Date.now(),
): Promise<DemoDashboard> {
  const db = services.database.db;
  const rnd = sequence(20261207);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const user = async (username: string) => {
    const u = await findUserByUsername(db, username);
    if (!u) throw new Error(`演示账户 ${username} 不存在`);
    return u;
  };
  const [cityUser, countyUser] = await Promise.all([user('demo-city'), user('demo-county')]);
  const ctxOf = (u: typeof countyUser): RequestContext => ({
    actor: {
      userId: u.id,
      username: u.username,
      role: u.role as RequestContext['actor']['role'],
      jurisdiction: u.jurisdiction,
    },
    requestId: 'demo',
    ip: 'localhost',
  });
  const county = ctxOf(countyUser);
  const today = todayIso();
  // The twelve months of the trend, this one last; the trial began with the first.
  const months = lastMonths(today, 12);
  const start = `${months[0]!}-01`;
  // When the city's 丹东 2023 rule began (demo-visiting.ts): the month before last.
  const cityRuleFrom = `${months[10]!}-01`;

  // 宽甸县's trial rule: monthly for everyone, until the city's rule took over.
  const policyId = uuidv7(startOfLocalDate(start));
  const trial = {
    policy_id: policyId,
    name: '宽甸县探访关爱试点（每月探访）',
    tiers: [] as string[],
    categories: [] as string[],
    cadence: JSON.stringify({ kind: 'monthly' }),
    counted_methods: ['in_person', 'phone', 'video', 'other'],
    in_person_every: null,
    template_key: DANDONG_2023.key,
    created_by: countyUser.id,
  };
  await db.transaction().execute(async (trx) => {
    await insertPolicy(trx, {
      id: policyId,
      region_code: COUNTY,
      preset: null,
      created_by: countyUser.id,
    });
    await insertVersion(trx, { ...trial, version: 1, effective_from: start });
    await insertVersion(trx, {
      ...trial,
      version: 2,
      effective_from: cityRuleFrom,
      retired: true,
      note: '市级《丹东 2023》规则施行，本县试点规则停用',
    });
  });

  const providers = await db
    .selectFrom('service_providers')
    .select(['id', 'kinds'])
    .where('region_code', 'like', `${COUNTY}%`)
    .execute();
  const townships = (await findChildren(db, COUNTY))
    .filter((t) => t.code !== GUANSHUI && t.has_children)
    .slice(0, 3);

  let elderCount = 0;
  const visitRows: Parameters<typeof insertVisits>[1] = [];
  const elders: { id: string; village: string; township: number; tier: string }[] = [];
  for (const [t, township] of townships.entries()) {
    const villages = (await findChildren(db, township.code)).slice(0, 3).map((v) => v.code);
    const visitor = await services.visitors.create(county, {
      name: ['周丽娜', '孙海燕', '高春梅'][t]!,
      type: 'social_worker',
      phone: `1390415120${t}`,
      regionCode: township.code,
      note: `${township.name}社工站`,
    });
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const input = demoElder(rnd, pick, t * 16 + i, villages[i % villages.length]!, start);
      const e = await services.elders.create(county, input);
      ids.push(e.id);
      elders.push({ id: e.id, village: input.villageCode, township: t, tier: e.tier });
      elderCount++;
    }
    await services.assignments.assign(county, {
      elderIds: ids,
      visitorId: visitor.id,
      role: 'primary',
      startDate: start,
    });
    // Visits: the rate climbs over the year; the first township does best.
    const base = [0.8, 0.7, 0.62][t]!;
    for (const [m, month] of months.entries()) {
      const p = parsePeriodKey(month)!;
      const chance = Math.min(0.99, base + (0.32 * m) / 11);
      for (const e of elders.filter((x) => x.township === t)) {
        if (rnd() > chance) continue;
        const visitedAt =
          startOfLocalDate(addDays(p.start, Math.floor(rnd() * 25))) +
          (8 + Math.floor(rnd() * 9)) * HOUR;
        if (visitedAt > now - 2 * HOUR) continue;
        const late = rnd() < 0.06;
        visitRows.push({
          elder: e.id,
          village: e.village,
          visitor: visitor.id,
          visitedAt,
          enteredAt: Math.min(now - HOUR, visitedAt + (late ? 12 * DAY : 30 * 60_000)),
          method: pick<VisitMethod>(['in_person', 'in_person', 'phone', 'in_person', 'video']),
        });
      }
    }
  }

  // 寒潮预警: a campaign in force in the first township since four days ago, a visit within two
  // days for high-risk and key elders; most of the first window visited, some of the current.
  const first = townships[0];
  if (first) {
    const startsAt = startOfLocalDate(addDays(today, -4));
    await services.campaigns.create(county, {
      regionCode: first.code,
      name: '寒潮预警入户走访',
      kind: 'extreme_weather',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startOfLocalDate(addDays(today, 10))).toISOString(),
      within: { value: 2, unit: 'days' },
      tiers: ['high_risk', 'key'],
    });
    const visitor = visitRows.find((v) => elders.find((e) => e.id === v.elder)?.township === 0);
    for (const e of elders.filter((x) => x.township === 0 && x.tier !== 'general')) {
      for (const [w, chance] of [
        [0, 0.85],
        [1, 0.7],
        [2, 0.4],
      ] as const) {
        const visitedAt = startsAt + w * 2 * DAY + (9 + Math.floor(rnd() * 30)) * HOUR;
        if (rnd() > chance || visitedAt > now - HOUR || !visitor) continue;
        visitRows.push({
          elder: e.id,
          village: e.village,
          visitor: visitor.visitor,
          visitedAt,
          enteredAt: visitedAt + 20 * 60_000,
          method: 'phone',
        });
      }
    }
  }
  const visitIds = await insertVisits(services, visitRows);

  // Findings of the visits, followed up as staff would; a few emergencies a month.
  let findings = 0;
  const events: Parameters<typeof insertEvents>[1] = [];
  const referralRows: Parameters<typeof insertReferrals>[1] = [];
  const findingRows = [];
  const disposals: { finding: string; elder: string; at: number; kind: string; text: string }[] =
    [];
  for (const [i, v] of visitRows.entries()) {
    const r = rnd();
    if (r > 0.16) continue;
    const raisedAt = v.enteredAt;
    const age = now - raisedAt;
    const id = uuidv7(raisedAt);
    const base = {
      id,
      visit_id: visitIds[i]!,
      elder_id: v.elder,
      county_code: COUNTY,
      village_code: v.village,
      created_at: new Date(raisedAt),
      updated_at: new Date(raisedAt),
      created_by: null,
    };
    events.push({ finding: id, elder: v.elder, at: raisedAt, kind: 'raised', to: 'open' });
    if (r < 0.025) {
      // An emergency: answered in 4–50 minutes; after 30 the ladder escalated it.
      const minutes = 4 + Math.floor(rnd() * 46);
      const ack = raisedAt + minutes * 60_000;
      const escalated = minutes > 30;
      const done = age > 3 * DAY;
      findingRows.push({
        ...base,
        type: 'emergency',
        severity: 'emergency',
        title: '紧急情况',
        source: pick(['老人摔倒后无法起身', '突发胸闷气短', '家中燃气泄漏报警']),
        status: done ? 'closed' : 'in_progress',
        deadline_at: new Date(raisedAt + (escalated ? 60 : 30) * 60_000),
        deadline_action: 'acknowledge' as const,
        acknowledged_at: new Date(ack),
        escalation_level: escalated ? ('township' as const) : ('village' as const),
        escalated_at: escalated ? new Date(raisedAt + 30 * 60_000) : null,
        resolved_at: done ? new Date(raisedAt + 5 * HOUR) : null,
        closed_at: done ? new Date(raisedAt + DAY) : null,
      });
      events.push({ finding: id, elder: v.elder, at: ack, kind: 'acknowledged' });
      if (done) {
        disposals.push({
          finding: id,
          elder: v.elder,
          at: raisedAt + 5 * HOUR,
          kind: 'rescued',
          text: '拨打 120 送医，已联系子女到场',
        });
        events.push({
          finding: id,
          elder: v.elder,
          at: raisedAt + DAY,
          kind: 'status',
          from: 'in_progress',
          to: 'closed',
        });
      }
    } else if (r < 0.08) {
      const [need, kind] = pick(NEEDS);
      const rule = DEFAULT_DEADLINES['type:need'];
      const referredAt = raisedAt + (1 + Math.floor(rnd() * (rnd() < 0.85 ? 10 : 25))) * DAY;
      const provider = providers.find((p) => p.kinds.includes(kind));
      const referred = rnd() < 0.75 && referredAt < now && provider !== undefined;
      const completed = referred && age > 30 * DAY && rnd() < 0.7;
      findingRows.push({
        ...base,
        type: 'need',
        severity: 'low',
        title: '提出服务需求',
        source: `老年人服务需求：${need}`,
        status: completed ? 'resolved' : referred ? 'referred' : 'open',
        deadline_at: new Date(raisedAt + rule.minutes * 60_000),
        deadline_action: rule.action,
        acknowledged_at: null,
        escalation_level: 'village' as const,
        escalated_at: null,
        resolved_at: completed ? new Date(referredAt + 10 * DAY) : null,
        closed_at: null,
      });
      if (referred) {
        events.push({
          finding: id,
          elder: v.elder,
          at: referredAt,
          kind: 'referral',
          from: 'open',
          to: 'referred',
        });
        referralRows.push({
          finding: id,
          elder: v.elder,
          village: v.village,
          provider: provider!.id,
          kind,
          need,
          at: referredAt,
          status: completed ? 'completed' : 'accepted',
        });
      }
    } else {
      const hazard = r < 0.12;
      const [title, source] = hazard
        ? pick(HAZARDS)
        : pick([
            ['健康状况变差', '疾病状况：严重疾病（脑梗）'],
            ['卫生状况较差', '家庭卫生：较差'],
            ['情绪状态较差', '情绪状态：较差'],
          ]);
      const severity = hazard ? 'high' : 'medium';
      const rule = hazard
        ? DEFAULT_DEADLINES['type:safety_hazard']
        : DEFAULT_DEADLINES['severity:medium'];
      const deadline = raisedAt + rule.minutes * 60_000;
      // Most are dealt with in time; some late; the newest still open.
      const handledAt = raisedAt + (rnd() < 0.82 ? 0.3 : 1.4) * rule.minutes * 60_000;
      const resolved = handledAt < now;
      const closed = resolved && handledAt + 3 * DAY < now;
      findingRows.push({
        ...base,
        type: hazard
          ? 'safety_hazard'
          : title === '健康状况变差'
            ? 'health_decline'
            : title === '卫生状况较差'
              ? 'hygiene'
              : 'mental',
        severity,
        title: title!,
        source: source!,
        status: closed ? 'closed' : resolved ? 'resolved' : 'in_progress',
        deadline_at: new Date(deadline),
        deadline_action: rule.action,
        acknowledged_at: null,
        escalation_level: 'village' as const,
        escalated_at: null,
        resolved_at: resolved ? new Date(handledAt) : null,
        closed_at: closed ? new Date(handledAt + 3 * DAY) : null,
      });
      if (resolved) {
        disposals.push({
          finding: id,
          elder: v.elder,
          at: handledAt,
          kind: hazard ? 'hazard_removed' : 'reminded',
          text: hazard ? '已上门排除隐患' : '已提醒并跟进',
        });
        events.push({
          finding: id,
          elder: v.elder,
          at: handledAt,
          kind: 'status',
          from: 'in_progress',
          to: 'resolved',
        });
      }
    }
    findings++;
  }
  for (let i = 0; i < findingRows.length; i += 200)
    await db
      .insertInto('findings')
      .values(findingRows.slice(i, i + 200))
      .execute();
  await insertEvents(services, events);
  for (let i = 0; i < disposals.length; i += 200)
    await db
      .insertInto('finding_disposals')
      .values(
        disposals.slice(i, i + 200).map((d) => ({
          id: uuidv7(d.at),
          finding_id: d.finding,
          elder_id: d.elder,
          county_code: COUNTY,
          kind: d.kind,
          description: d.text,
          handled_on: new Date(d.at + 8 * HOUR).toISOString().slice(0, 10),
          created_at: new Date(d.at),
        })),
      )
      .execute();
  await insertReferrals(services, referralRows);

  // 丹东市 sets this year's weights: follow-ups count a little more, spot checks a little less.
  await services.scorecards.setConfig(
    ctxOf(cityUser),
    { region: cityUser.jurisdiction, year: today.slice(0, 4) },
    {
      indicators: [
        { key: 'visit_rate', weight: 40 },
        { key: 'ledger_completeness', weight: 20 },
        { key: 'follow_up_on_time', weight: 25 },
        { key: 'spot_check_pass', weight: 15, target: 0.95 },
      ],
    },
    now,
  );
  return { townships: townships.length, elders: elderCount, visits: visitRows.length, findings };
}

/** An elder of the trial townships; about one record in six lacks a field the forms ask for. */
function demoElder(
  rnd: () => number,
  pick: <T>(list: readonly T[]) => T,
  n: number,
  village: string,
  recordDate: string,
): ElderInput {
  const female = n % 3 !== 0;
  const year = 1932 + Math.floor(rnd() * 32);
  const birth = `${year}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
  // Born in 振兴区 (210603), so no number can meet one of 灌水镇's demo elders'.
  const first17 = `210603${birth}${String(100 + n * 2 + (female ? 0 : 1)).padStart(3, '0')}`;
  const profile = PROFILES[n % PROFILES.length]!;
  const gap = n % 6 === 5;
  const child = {
    kind: 'child' as const,
    name: `${pick(['王', '李', '张'])}${pick(['伟', '强', '丽', '静'])}`,
    phone: `1390415${String(3000 + n).padStart(4, '0')}`,
    workPlace: pick(['大连市', '沈阳市', '丹东市振兴区', '北京市']),
    awaySince: '2019-05',
    returnFrequency: '每年春节',
  };
  return {
    name: pick(SURNAMES) + (female ? pick(GIVEN_F) : pick(GIVEN_M)),
    idNumber: first17 + idCheckCharacter(first17),
    ...(gap && n % 2 === 0 ? {} : { ethnicity: rnd() < 0.6 ? '满族' : '汉族' }),
    registeredAddress: '辽宁省丹东市宽甸满族自治县',
    villageCode: village,
    addressDetail: `${1 + (n % 6)}组 ${10 + n} 号`,
    livesAtRegisteredPlace: true,
    phone: `1390415${String(2000 + n).padStart(4, '0')}`,
    ...(gap && n % 2 === 1
      ? {}
      : { emergencyContact: { name: child.name, phone: child.phone, relation: '子女' } }),
    disability: { disabled: false },
    categories: profile.categories,
    health: profile.health,
    livingSituation: profile.categories.includes('subsistence') ? 'poor' : 'fair',
    incomeSources: ['pension'],
    assistance: profile.categories.includes('subsistence') ? 'subsistence' : 'none',
    monthlyHouseholdIncome: 800 + Math.floor(rnd() * 12) * 100,
    benefits: [{ kind: 'pension', monthlyAmount: 150 + Math.floor(rnd() * 10) * 10 }],
    livingConditions: { safeWater: true, safeElectricity: rnd() > 0.1, safeHousing: true },
    householdMembers: profile.categories.includes('empty_nest')
      ? [{ name: '老伴', relation: '配偶', livesWithElder: true }]
      : [],
    supporters: [child],
    caregiver: {
      name: pick(['刘桂芝', '于秀梅', '马国良']),
      relation: '邻居',
      phone: '13904158800',
    },
    help: [],
    recordDate,
  };
}

/** Writes visits (as the census-era paper entries the trial kept), in batches; returns their ids. */
async function insertVisits(
  services: Services,
  rows: {
    elder: string;
    village: string;
    visitor: string;
    visitedAt: number;
    enteredAt: number;
    method: VisitMethod;
  }[],
): Promise<string[]> {
  const answers = JSON.stringify(prefilledAnswers(DANDONG_2023));
  const ids = rows.map((r) => uuidv7(r.enteredAt));
  for (let i = 0; i < rows.length; i += 200)
    await services.database.db
      .insertInto('visits')
      .values(
        rows.slice(i, i + 200).map((r, j) => ({
          id: ids[i + j]!,
          elder_id: r.elder,
          county_code: COUNTY,
          village_code: r.village,
          visitor_id: r.visitor,
          visited_at: new Date(r.visitedAt),
          entered_at: new Date(r.enteredAt),
          method: r.method,
          template_key: DANDONG_2023.key,
          template_version: DANDONG_2023.version,
          answers,
          device_time: new Date(r.enteredAt),
          entered_by: null,
          recorded_by_role: 'visitor',
        })),
      )
      .execute();
  return ids;
}

/** The findings' steps (raised, acknowledged, referred, resolved, closed). */
async function insertEvents(
  services: Services,
  events: {
    finding: string;
    elder: string;
    at: number;
    kind: 'raised' | 'acknowledged' | 'status' | 'referral';
    from?: string;
    to?: string;
  }[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 200)
    await services.database.db
      .insertInto('finding_events')
      .values(
        events.slice(i, i + 200).map((e) => ({
          id: uuidv7(e.at),
          finding_id: e.finding,
          elder_id: e.elder,
          county_code: COUNTY,
          at: new Date(e.at),
          actor_id: null,
          actor_name: e.kind === 'raised' ? '探访人员' : '乡镇民政办',
          kind: e.kind,
          from_status: e.from ?? null,
          to_status: e.to ?? null,
        })),
      )
      .execute();
}

/** Referrals of needs to the demo's providers, with their first step. */
async function insertReferrals(
  services: Services,
  rows: {
    finding: string;
    elder: string;
    village: string;
    provider: string;
    kind: ProviderKind;
    need: string;
    at: number;
    status: 'accepted' | 'completed';
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  const db = services.database.db;
  const ids = rows.map((r) => uuidv7(r.at));
  await db
    .insertInto('referrals')
    .values(
      rows.map((r, i) => ({
        id: ids[i]!,
        finding_id: r.finding,
        elder_id: r.elder,
        county_code: COUNTY,
        village_code: r.village,
        provider_id: r.provider,
        kind: r.kind,
        need: r.need,
        status: r.status,
        outcome: r.status === 'completed' ? '已按需提供服务' : null,
        created_at: new Date(r.at),
        updated_at: new Date(r.at),
        accepted_at: new Date(r.at + DAY),
        completed_at: r.status === 'completed' ? new Date(r.at + 10 * DAY) : null,
      })),
    )
    .execute();
  await db
    .insertInto('referral_events')
    .values(
      rows.map((r, i) => ({
        id: uuidv7(r.at + 1),
        referral_id: ids[i]!,
        elder_id: r.elder,
        county_code: COUNTY,
        at: new Date(r.at),
        actor_name: '乡镇民政办',
        from_status: null,
        to_status: 'sent',
        note: r.need,
      })),
    )
    .execute();
}
