import { idCheckCharacter, type ElderInput } from '@tanfang/domain';
import type { RequestContext } from './context.js';
import { findUserByUsername } from './modules/users/users.repository.js';
import type { Services } from './services.js';

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
  '徐',
  '马',
  '高',
  '林',
  '韩',
  '曲',
  '姜',
  '邹',
];
const GIVEN_F = ['秀英', '桂兰', '玉珍', '淑珍', '凤英', '桂芝', '玉兰', '淑兰', '秀珍', '凤兰'];
const GIVEN_M = ['德明', '振华', '国庆', '长海', '永福', '宝山', '树林', '志刚', '玉田', '春生'];
const WORKPLACES = ['大连市', '沈阳市', '丹东市振兴区', '北京市', '天津市', '青岛市'];

/** A small deterministic pseudo-random sequence, so the demo is the same on every machine. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** The demo's elders: 40 people in the villages of 灌水镇, most in 东岔村, as a census would record them. */
export function demoElders(villages: string[]): ElderInput[] {
  const rnd = sequence(2106);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const out: ElderInput[] = [];
  for (let i = 0; i < 40; i++) {
    const female = i % 3 !== 0;
    const year = 1931 + Math.floor(rnd() * 33); // 1931–1963: 62 to 95 years old
    const birth = `${year}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const seq = String(100 + i * 2 + (female ? 0 : 1)).padStart(3, '0');
    const first17 = `210624${birth}${seq}`;
    const kind = i % 8;
    const childAway = kind !== 3;
    const grade = kind === 5 ? ((1 + (i % 2)) as 1 | 2) : undefined;
    out.push({
      name: pick(SURNAMES) + (female ? pick(GIVEN_F) : pick(GIVEN_M)),
      idNumber: first17 + idCheckCharacter(first17),
      ethnicity: i % 4 === 0 ? '汉族' : '满族',
      registeredAddress: '辽宁省丹东市宽甸满族自治县灌水镇',
      villageCode: i < 16 ? villages[2]! : villages[i % villages.length]!,
      addressDetail: `${1 + (i % 6)}组 ${10 + i} 号`,
      livesAtRegisteredPlace: true,
      phone: `1390415${String(1000 + i * 7).padStart(4, '0')}`,
      emergencyContact: {
        name: `${pick(SURNAMES)}${pick(GIVEN_M)}`,
        phone: `1380415${String(2000 + i).padStart(4, '0')}`,
        relation: '儿子',
      },
      disability: grade
        ? { disabled: true, certificateNumber: `${first17}${grade}1`, grade }
        : { disabled: false },
      categories:
        kind === 0 || kind === 4
          ? ['living_alone']
          : kind === 2
            ? ['empty_nest']
            : kind === 6
              ? ['bereaved_family']
              : [],
      health: kind === 4 ? 'disabled' : kind === 7 ? 'partially_disabled' : 'healthy',
      diseases: kind === 4 ? '脑梗后遗症' : kind === 7 ? '高血压、糖尿病' : undefined,
      livingSituation: kind === 1 ? 'poor' : 'fair',
      incomeSources: kind === 1 ? ['assistance'] : ['pension', 'children'],
      assistance: kind === 1 ? 'extreme_poverty' : kind === 6 ? 'subsistence' : 'none',
      monthlyHouseholdIncome: 600 + Math.floor(rnd() * 1800),
      benefits: [{ kind: 'pension', monthlyAmount: 180 }],
      livingConditions: { safeWater: true, safeElectricity: kind !== 4, safeHousing: true },
      householdMembers:
        kind === 2
          ? [{ name: `${pick(SURNAMES)}${pick(GIVEN_M)}`, relation: '配偶', livesWithElder: true }]
          : [],
      supporters:
        kind === 6
          ? []
          : [
              {
                kind: 'child',
                name: `${pick(SURNAMES)}${pick(GIVEN_M)}`,
                phone: `1380415${String(2000 + i).padStart(4, '0')}`,
                workPlace: childAway ? pick(WORKPLACES) : undefined,
                awaySince: childAway ? `20${10 + (i % 14)}-03` : undefined,
                returnFrequency: childAway ? '每年春节' : '常住本村',
              },
            ],
      help:
        kind === 1
          ? [
              {
                unitType: 'township_village',
                responsiblePerson: '村党支部书记',
                measures: '每周上门，代购生活用品',
              },
            ]
          : [],
      recordDate: '2026-10-15',
    });
  }
  return out;
}

/** Registers the demo elders when the ledger is empty; returns how many. */
export async function loadDemoElders(services: Services): Promise<number> {
  // Registered as the demo township's staff, so the records say who entered them.
  const township = await findUserByUsername(services.database.db, 'demo-township');
  if (!township) throw new Error('演示账户 demo-township 不存在');
  const actorId = township.id;
  const villages = (await services.regions.children(demoCtx(actorId), '210624101')).items.map(
    (r) => r.code,
  );
  const ctx = demoCtx(actorId);
  let n = 0;
  for (const elder of demoElders(villages)) {
    await services.elders.create(ctx, elder);
    n += 1;
  }
  return n;
}

function demoCtx(actorId: string): RequestContext {
  return {
    actor: {
      userId: actorId,
      username: 'demo-township',
      role: 'township',
      jurisdiction: '210624101',
    },
    requestId: 'demo',
    ip: 'localhost',
  };
}
