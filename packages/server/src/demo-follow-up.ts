/**
 * The demo's follow-up: four service providers of 宽甸县 of different kinds, the demo-provider
 * account linked to 宽甸县居家养老服务中心, referrals in different states (one waiting for the
 * provider at each of two providers, one in service, one completed), and care services with the elder's
 * satisfaction — so 服务机构, 转介, 关爱服务 and the provider's own view have something to show.
 */
import {
  addDays,
  todayIso,
  uuidv7,
  type ProviderInput,
  type ReferralInput,
  type Role,
} from '@tanfang/domain';
import type { RequestContext } from './context.js';
import { findUserByUsername, updateUser } from './modules/users/users.repository.js';
import type { Services } from './services.js';

const DONGCHA = '210624101201';

/** What the demo made. */
export interface DemoFollowUp {
  providers: number;
  referrals: number;
  careServices: number;
}

/** The demo's providers; the first is demo-provider's. */
const PROVIDERS: ProviderInput[] = [
  {
    name: '宽甸县居家养老服务中心',
    kinds: ['daily_care', 'rehab_nursing', 'home_adaptation'],
    regionCode: '210624',
    contactName: '孙晓梅',
    phone: '0415-5122871',
    address: '宽甸镇永甸街 18 号',
  },
  {
    name: '灌水镇卫生院',
    kinds: ['medical', 'rehab_nursing'],
    regionCode: '210624101',
    contactName: '于建国',
    phone: '0415-5301120',
    address: '灌水镇灌水街 6 号',
  },
  {
    name: '宽甸县阳光社会工作服务中心',
    kinds: ['social_work', 'legal_aid'],
    regionCode: '210624',
    contactName: '林静',
    phone: '13504152266',
    address: '宽甸镇新华路 32 号',
  },
  {
    name: '宽甸县社会救助服务站',
    kinds: ['social_assistance', 'other'],
    regionCode: '210624',
    contactName: '曲长海',
    phone: '0415-5128090',
  },
];

/** Loads the demo's providers, referrals and care services; expects the demo accounts and elders. */
export async function loadDemoFollowUp(services: Services): Promise<DemoFollowUp> {
  const db = services.database.db;
  const ctxOf = async (username: string): Promise<RequestContext> => {
    const u = await findUserByUsername(db, username);
    if (!u) throw new Error(`演示账户 ${username} 不存在`);
    return {
      actor: {
        userId: u.id,
        username: u.username,
        role: u.role as Role,
        jurisdiction: u.jurisdiction,
      },
      requestId: 'demo',
      ip: 'localhost',
    };
  };
  const county = await ctxOf('demo-county');
  const village = await ctxOf('demo-village');
  const providerCtx = await ctxOf('demo-provider');

  const providers = [];
  for (const p of PROVIDERS) providers.push(await services.providers.create(county, p));
  const [homeCare, hospital] = providers as [
    (typeof providers)[number],
    (typeof providers)[number],
  ];
  await updateUser(db, providerCtx.actor.userId, { provider_id: homeCare.id });

  const elders = (
    await services.elders.list(village, { region: DONGCHA, status: 'active', pageSize: '20' })
  ).items;
  if (elders.length < 5) throw new Error('演示数据需要东岔村至少 5 位老年人');
  const today = todayIso();
  const day = (n: number) => addDays(today, -n);

  const refer = async (input: Omit<ReferralInput, 'id'>) =>
    (await services.referrals.create(village, { id: uuidv7(), ...input })).referral.id;
  const move = (ctx: RequestContext, id: string, body: Record<string, unknown>) =>
    services.referrals.transition(ctx, id, body);

  // 1. Waiting for 居家养老服务中心 to accept it.
  await refer({
    elderId: elders[0]!.id,
    providerId: homeCare.id,
    kind: 'daily_care',
    need: '独居，右腿骨折后行动不便，需每周上门助餐、打扫卫生两次',
  });
  // 2. Accepted and in service, with a progress report.
  const inService = await refer({
    elderId: elders[1]!.id,
    providerId: homeCare.id,
    kind: 'home_adaptation',
    need: '卫生间地面湿滑、无扶手，需适老化改造（防滑地面、扶手）',
  });
  await move(providerCtx, inService, { to: 'accepted', note: '已派工作人员上门测量' });
  await move(providerCtx, inService, {
    to: 'in_progress',
    note: '已完成测量，材料已订购，预计下周安装扶手',
  });
  // 3. Completed with the outcome and the care service given (满意).
  const rehab = await refer({
    elderId: elders[2]!.id,
    providerId: homeCare.id,
    kind: 'rehab_nursing',
    need: '脑梗后左侧肢体无力，需上门康复训练',
  });
  await move(providerCtx, rehab, { to: 'accepted' });
  await move(providerCtx, rehab, { to: 'in_progress', note: '每周二、五上门康复训练' });
  await move(providerCtx, rehab, {
    to: 'completed',
    outcome: '完成 8 次上门康复训练，老人可扶拐独立行走',
    careService: {
      servedOn: day(2),
      content: '上门康复训练 8 次（肢体功能训练、步态训练），指导家属辅助训练方法',
      satisfaction: 'satisfied',
    },
  });
  // 4. Waiting at the township clinic (which has no account in the demo).
  await refer({
    elderId: elders[3]!.id,
    providerId: hospital.id,
    kind: 'medical',
    need: '高血压，近期头晕，需上门测量血压并调整用药',
  });

  // Care services recorded by 东岔村 staff: a volunteer's visit, and one the elder was not happy with.
  await services.careServices.create(village, {
    id: uuidv7(),
    elderId: elders[0]!.id,
    servedOn: day(12),
    content: '村志愿服务队上门理发、陪同聊天，帮助整理常用药品',
    providerName: '东岔村志愿服务队',
    satisfaction: 'satisfied',
  });
  await services.careServices.create(village, {
    id: uuidv7(),
    elderId: elders[4]!.id,
    servedOn: day(20),
    content: '春节前送米面油，检查取暖炉烟道',
    providerName: '灌水镇民政办',
    satisfaction: 'basically_satisfied',
  });
  await services.careServices.create(village, {
    id: uuidv7(),
    elderId: elders[1]!.id,
    servedOn: day(3),
    content: '上门助浴一次（预约时间推迟两小时）',
    providerId: homeCare.id,
    satisfaction: 'unsatisfied',
    note: '老人反映等待时间过长，已转告服务中心',
  });
  return { providers: providers.length, referrals: 4, careServices: 4 };
}
