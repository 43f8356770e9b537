/**
 * The demo's follow-up of findings and emergencies (issue 6), so 发现问题 and 紧急情况 have something
 * in every state on the first start: in 东岔村 a gas hazard found on a visit and closed with its
 * disposal record, low mood being handled, a service need past its deadline; in 灌水镇 an emergency
 * still waiting for a response (it climbs the ladder while the demo runs) and one acknowledged
 * within minutes with its checklist filled in.
 */
import {
  DANDONG_2023,
  localDateOf,
  prefilledAnswers,
  startOfLocalDate,
  uuidv7,
  type Answers,
} from '@tanfang/domain';
import { sql } from 'kysely';
import type { RequestContext } from './context.js';
import { findUserByUsername } from './modules/users/users.repository.js';
import type { Services } from './services.js';

const DONGCHA = '210624101201';
const TOWNSHIP = '210624101';
const MINUTE = 60_000;
const DAY = 86_400_000;

/** What the demo made. */
export interface DemoEmergencies {
  findings: number;
  emergencies: number;
}

/** Loads the demo's findings workflow and emergencies; expects the demo visiting loaded. */
export async function loadDemoEmergencies(
  services: Services,
  now = Date.now(),
): Promise<DemoEmergencies> {
  const db = services.database.db;
  const ctxOf = async (username: string): Promise<RequestContext> => {
    const u = await findUserByUsername(db, username);
    if (!u) throw new Error(`演示账户 ${username} 不存在`);
    return {
      actor: {
        userId: u.id,
        username: u.username,
        role: u.role as RequestContext['actor']['role'],
        jurisdiction: u.jurisdiction,
      },
      requestId: 'demo',
      ip: 'localhost',
    };
  };
  const [visitor, village, township] = await Promise.all(
    ['demo-visitor', 'demo-village', 'demo-township'].map(ctxOf),
  );

  // 王桂兰's (demo-visitor's) elders in 东岔村, and an elder of another village of 灌水镇.
  const mine = await db
    .selectFrom('assignments as a')
    .innerJoin('visitors as v', 'v.id', 'a.visitor_id')
    .innerJoin('elders as e', 'e.id', 'a.elder_id')
    .select(['e.id', 'e.tier'])
    .where('v.user_id', '=', visitor!.actor.userId)
    .where('a.role', '=', 'primary')
    .where('a.end_date', 'is', null)
    .where('e.status', '=', 'active')
    .orderBy('e.id')
    .limit(4)
    .execute();
  const elsewhere = await db
    .selectFrom('elders')
    .select('id')
    .where('village_code', 'like', `${TOWNSHIP}%`)
    .where('village_code', '<>', DONGCHA)
    .where('status', '=', 'active')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (mine.length < 4 || !elsewhere) return { findings: 0, emergencies: 0 };

  // Visits made today (within the heating-season campaign: its checks are answered).
  const startOfToday = startOfLocalDate(localDateOf(now));
  const visitedAt = Math.min(Math.max(startOfToday + MINUTE, now - 2 * 3_600_000), now - MINUTE);
  const visit = async (elder: (typeof mine)[number], changes: Answers): Promise<string> => {
    const checks: Answers =
      visitedAt >= startOfToday && (elder.tier === 'high_risk' || elder.tier === 'key')
        ? { check_indoor_temperature: { value: 'ok' }, check_heating_safety: { value: 'ok' } }
        : {};
    const { visit: v } = await services.visits.create(
      visitor!,
      {
        id: uuidv7(now),
        elderId: elder.id,
        visitedAt: new Date(visitedAt).toISOString(),
        deviceTime: new Date(now).toISOString(),
        method: 'in_person',
        template: { key: DANDONG_2023.key, version: DANDONG_2023.version },
        answers: { ...prefilledAnswers(DANDONG_2023), ...checks, ...changes },
      },
      now,
    );
    return v.findings[0]!.id;
  };
  const today = localDateOf(now);

  // 燃气不安全: accepted by the village, the hose replaced, resolved and closed.
  const gas = await visit(mine[0]!, { gas_safety: { value: 'unsafe' } });
  await services.findings.transition(
    village!,
    gas,
    { to: 'in_progress', note: '已电话通知老人暂停使用燃气灶' },
    now,
  );
  await services.findings.addDisposal(
    village!,
    gas,
    {
      kind: 'hazard_removed',
      description:
        '村委会联系燃气公司上门，更换老化燃气软管，加装燃气泄漏报警器，并向老人讲解使用方法',
      handledOn: today,
    },
    now,
  );
  await services.findings.transition(village!, gas, { to: 'resolved' }, now);
  await services.findings.transition(
    township!,
    gas,
    { to: 'closed', note: '乡镇复核：隐患已排除' },
    now,
  );

  // 情绪状态变差: taken up by the township, being handled.
  const mood = await visit(mine[1]!, { mood: { value: 'worse' } });
  await services.findings.transition(township!, mood, { to: 'in_progress' }, now);
  await services.findings.addNote(
    township!,
    mood,
    { note: '已联系其女儿，约定每周两次视频通话；社工下周上门走访' },
    now,
  );

  // 提出服务需求, raised on a visit 18 days ago and not yet referred: past its 14-day deadline.
  const need = await visit(mine[2]!, {
    service_needs: { text: '需要代购降压药，希望有人定期上门' },
  });
  const back = sql`${18 * DAY} * interval '1 millisecond'`;
  await db
    .updateTable('findings')
    .set({
      created_at: sql`created_at - ${back}`,
      deadline_at: sql`deadline_at - ${back}`,
      updated_at: sql`updated_at - ${back}`,
    })
    .where('id', '=', need)
    .execute();
  await db
    .updateTable('finding_events')
    .set({ at: sql`at - ${back}` })
    .where('finding_id', '=', need)
    .execute();
  // …and the visit that raised it, made and entered then too.
  await db
    .updateTable('visits')
    .set({
      visited_at: sql`visited_at - ${back}`,
      entered_at: sql`entered_at - ${back}`,
      device_time: sql`device_time - ${back}`,
    })
    .where('id', '=', (eb) => eb.selectFrom('findings').select('visit_id').where('id', '=', need))
    .execute();

  // 紧急情况 in another village of 灌水镇, reported by a neighbour's call: waiting for a response.
  await services.emergencies.create(
    township!,
    {
      id: uuidv7(now),
      elderId: elsewhere.id,
      title: '老人在家中摔倒',
      description: '邻居来电：老人在院中摔倒，起身困难，家中无人，已请邻居在旁照看',
      checklist: { emergencyNumber: '120' },
    },
    now,
  );

  // 紧急情况 in 东岔村 50 minutes ago, acknowledged within 8 minutes, checklist filled in.
  const chest = uuidv7(now - 50 * MINUTE);
  await services.emergencies.create(
    village!,
    {
      id: chest,
      elderId: mine[3]!.id,
      title: '老人突发胸闷气短',
      description: '老人子女来电：老人早饭后胸闷气短，说话吃力',
    },
    now - 50 * MINUTE,
  );
  await services.emergencies.acknowledge(village!, chest, now - 42 * MINUTE);
  await services.emergencies.updateChecklist(
    village!,
    chest,
    {
      emergencyNumber: '120',
      familyReached: true,
      familyContact: '儿子 李建国',
      situation: 'hospital',
      situationNote: '已由 120 送往宽甸县中心医院，儿子陪同',
    },
    now - 30 * MINUTE,
  );
  return { findings: 3, emergencies: 2 };
}
