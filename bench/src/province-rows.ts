/**
 * The rows of the province data set (province.ts loads them), as lines of PostgreSQL's COPY text
 * format. Pure and deterministic: every value is a function of the seed, the table, the entity's
 * index and the month — a counter-based hash (murmur3's finaliser) seeds a small PRNG (mulberry32)
 * for each elder-month, visit and finding; timestamps are fixed instead of now(). The same spec,
 * seed and village list give byte-identical rows, in any database and in any order of loading.
 *
 * No value contains a tab, a newline or a backslash (checked below), so a line needs no escaping
 * and a field is `\N` when null.
 */
import {
  DANDONG_2023,
  checkAnswers,
  checkKey,
  deadlineOf,
  deadlineRuleOf,
  findingsOf,
  prefilledAnswers,
  type Answers,
  type ChecklistItem,
  type DeadlineRule,
  type FindingStatus,
  type RaisedFinding,
} from '@tanfang/domain';

/** The seed when the spec names none (issue 7 asked for this data set). */
export const DEFAULT_SEED = 7;

/** What the rows depend on besides the village list. */
export interface RowSpec {
  elders: number;
  /** A county that gets `focusShare` of the elders (the rest spread over every village). */
  focusCounty?: string;
  focusShare?: number;
  /** Months of visits, ending with `lastMonth`. */
  months: number;
  /** First day of the last month visited, e.g. 2026-11-01. */
  lastMonth: string;
  seed?: number;
}

// ---------------------------------------------------------------------------------------------
// Hashing and the PRNG

/** murmur3's 32-bit finaliser: a bijection on 32-bit words. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes (a, b, c) to 32 bits; for fixed a and b it is a bijection in c (so ids never collide). */
function hash3(a: number, b: number, c: number): number {
  return fmix32(fmix32(fmix32(a) ^ b) ^ c);
}

/** mulberry32, reseeded for each entity. */
class Rng {
  private s = 0;
  reseed(seed: number): this {
    this.s = seed | 0;
    return this;
  }
  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** One stream per kind of value, so that no two draw the same numbers. */
const STREAM = {
  elder: 1,
  idHash: 2,
  registered: 3,
  died: 4,
  visitor: 5,
  assignment: 6,
  elderMonth: 7,
  visit: 8,
  finding: 9,
  findingId: 10,
  disposal: 11,
  event: 12,
} as const;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number) =>
  HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
const hex4 = (n: number) => HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/** A random-looking UUID (version 4 layout), unique per (seed, stream, ordinal). */
function uuid4(seed: number, stream: number, ordinal: number): string {
  const w0 = hash3(seed, stream, ordinal);
  const w1 = fmix32(w0 ^ 0x9e3779b9);
  const w2 = fmix32(w1 ^ 0x7f4a7c15);
  const w3 = fmix32(w2 ^ 0x94d049bb);
  return `${hex8(w0)}-${hex4(w1 >>> 16)}-4${hex4(w1).slice(1)}-${(8 | (w2 >>> 30)).toString(16)}${hex4(w2).slice(1)}-${hex4(w2 >>> 16)}${hex8(w3)}`;
}

/**
 * A UUIDv7 as the field app makes it (RFC 9562: Unix milliseconds, then random bits), the random
 * bits unique per (seed, stream, ordinal).
 */
function uuid7(ms: number, seed: number, stream: number, ordinal: number): string {
  const hi = Math.floor(ms / 65536);
  const w0 = hash3(seed, stream, ordinal);
  const w1 = fmix32(w0 ^ 0x9e3779b9);
  return `${hex8(hi)}-${hex4(ms % 65536)}-7${hex4(w1).slice(1)}-${(8 | (w1 >>> 30)).toString(16)}${hex4(w1 >>> 16).slice(1)}-${hex4(w0 >>> 16)}${hex8(fmix32(w1))}`;
}

// ---------------------------------------------------------------------------------------------
// Times

const DAY = 86_400_000;
const MINUTE = 60_000;
/** China is UTC+8 all year. */
const CHINA = 8 * 3_600_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefix = new Map<number, string>();

/** The UTC date of a day number (days since 1970-01-01). */
function isoDay(day: number): string {
  let s = dayPrefix.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    dayPrefix.set(day, s);
  }
  return s;
}

/** A timestamptz in COPY text, to the second, UTC. */
function ts(ms: number): string {
  const day = Math.floor(ms / DAY);
  let r = Math.floor((ms - day * DAY) / 1000);
  const h = Math.floor(r / 3600);
  r -= h * 3600;
  const m = Math.floor(r / 60);
  return `${isoDay(day)} ${TWO[h]}:${TWO[m]}:${TWO[r - m * 60]}+00`;
}

/** The China calendar date of an instant, as a day number. */
const chinaDay = (ms: number) => Math.floor((ms + CHINA) / DAY);
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);

/** Everyone in the data set registered on this day (丹东's 摸底 for the 2025 ledger). */
const REGISTERED = '2025-01-05';
/** …at 09:00 China time. */
const REGISTERED_AT = ts(Date.parse(`${REGISTERED}T09:00:00+08:00`));

// ---------------------------------------------------------------------------------------------
// Elders

const NAMES: [string, string][] = [
  ['王秀英', 'wxy'],
  ['李桂兰', 'lgl'],
  ['张玉兰', 'zyl'],
  ['刘淑珍', 'lsz'],
  ['陈凤英', 'cfy'],
  ['杨秀兰', 'yxl'],
  ['赵玉珍', 'zyz'],
  ['黄桂英', 'hgy'],
  ['周淑兰', 'zsl'],
  ['吴玉英', 'wyy'],
  ['徐振华', 'xzh'],
  ['孙德明', 'sdm'],
  ['马国庆', 'mgq'],
  ['朱建国', 'zjg'],
  ['胡长海', 'hch'],
  ['郭永福', 'gyf'],
  ['何桂芝', 'hgz'],
  ['高凤兰', 'gfl'],
  ['林宝山', 'lbs'],
  ['罗淑芬', 'lsf'],
];

/** The ledger record (台账) every elder carries; the benchmarks never read into it. */
const ELDER_DATA = JSON.stringify({
  name: '',
  ethnicity: '满族',
  registeredAddress: '辽宁省',
  addressDetail: '一组',
  livesAtRegisteredPlace: true,
  categories: [],
  health: 'healthy',
  livingSituation: 'fair',
  incomeSources: ['pension'],
  assistance: 'none',
  monthlyHouseholdIncome: 1200,
  benefits: [{ kind: 'pension', monthlyAmount: 180 }],
  livingConditions: { safeWater: true, safeElectricity: true, safeHousing: true },
  householdMembers: [],
  supporters: [
    {
      kind: 'child',
      name: '李明',
      workPlace: '大连市',
      awaySince: '2020-03',
      returnFrequency: '每年春节',
    },
  ],
  help: [],
  recordDate: REGISTERED,
});
const ELDER_EVALUATION = JSON.stringify({
  findings: [],
  contradictions: [],
  tier: { computed: 'general', effective: 'general', reasons: [] },
});
const CATEGORIES = ['{living_alone}', '{left_behind,very_old}', '{empty_nest}', '{}', '{}'];
const TIERS = ['high_risk', 'key', 'key', 'general', 'general', 'general', 'general'];
const BIRTH_BASE = dayOf('1930-01-01');
const DEATH_BASE = dayOf('2026-01-05');

/** Whether elder `i` died during the year (2%), and on which day. */
const diedOn = (i: number): number | null => (i % 50 === 0 ? DEATH_BASE + (i % 300) : null);

/** Where every elder lives and who visits them: computed once per spec and village list. */
export interface Layout {
  spec: RowSpec;
  seed: number;
  /** Village codes: those of the scope in code order, then any of the focus county outside it. */
  villages: string[];
  /** Village index of elder i (1-based; slot 0 unused). */
  villageOf: Int32Array;
  /** Elder i's id. */
  elderIds: string[];
  /** Elder i's primary visitor's id. */
  visitorOf: string[];
  /** Every visitor: id and village index. */
  visitors: { id: string; village: number }[];
}

/**
 * Spreads the elders: the first `focusShare` of them over the focus county's villages, the rest
 * over every village of the scope (elder i goes to village i mod the number of villages); one
 * visitor per 50 elders of a village, in the order of the elders' numbers.
 */
export function layoutOf(spec: RowSpec, scope: string[], focus: string[]): Layout {
  if (scope.length === 0) throw new Error('范围内没有村（先加载区划）');
  if (spec.focusCounty && focus.length === 0)
    throw new Error(`重点县 ${spec.focusCounty} 没有村（先加载区划）`);
  const seed = spec.seed ?? DEFAULT_SEED;
  const n = spec.elders;
  const focusN = spec.focusCounty ? Math.round(n * (spec.focusShare ?? 0)) : 0;
  const index = new Map<string, number>();
  const villages: string[] = [];
  for (const code of [...scope, ...focus])
    if (!index.has(code)) {
      index.set(code, villages.length);
      villages.push(code);
    }
  const scopeIdx = scope.map((c) => index.get(c)!);
  const focusIdx = focus.map((c) => index.get(c)!);
  const villageOf = new Int32Array(n + 1);
  const seen = new Int32Array(villages.length);
  const elderIds: string[] = new Array<string>(n + 1);
  const visitorOf: string[] = new Array<string>(n + 1);
  const visitorIds = new Map<number, string>();
  const visitors: { id: string; village: number }[] = [];
  elderIds[0] = visitorOf[0] = '';
  for (let i = 1; i <= n; i++) {
    const v = i <= focusN ? focusIdx[i % focusIdx.length]! : scopeIdx[i % scopeIdx.length]!;
    villageOf[i] = v;
    elderIds[i] = uuid4(seed, STREAM.elder, i);
    // Visitor k of village v: ordinal v * 4096 + k (at most 204,800 elders a village).
    const ordinal = v * 4096 + Math.floor(seen[v]! / 50);
    seen[v]!++;
    let id = visitorIds.get(ordinal);
    if (id === undefined) {
      id = uuid4(seed, STREAM.visitor, ordinal);
      visitorIds.set(ordinal, id);
      visitors.push({ id, village: v });
    }
    visitorOf[i] = id;
  }
  return { spec, seed, villages, villageOf, elderIds, visitorOf, visitors };
}

/** Columns of the elders lines. */
export const ELDER_COLUMNS = [
  'id',
  'county_code',
  'village_code',
  'name',
  'name_initials',
  'gender',
  'birth_date',
  'id_hash',
  'id_enc',
  'id_masked',
  'phone_enc',
  'phone_masked',
  'categories',
  'tier',
  'status',
  'status_since',
  'contradiction_count',
  'data',
  'evaluation',
  'version',
  'created_at',
  'updated_at',
] as const;

const pad4 = (n: number) => String(n).padStart(4, '0');

/** The elders (the issue 3 ledger: tiers, categories, 2% who die during the year). */
export function* elderLines(l: Layout): Generator<string> {
  for (let i = 1; i < l.elderIds.length; i++) {
    const village = l.villages[l.villageOf[i]!]!;
    const county = village.slice(0, 6);
    const [name, initials] = NAMES[i % 20]!;
    const died = diedOn(i);
    const idHash = uuid4(l.seed, STREAM.idHash, i).replaceAll('-', '');
    yield `${l.elderIds[i]}\t${county}\t${village}\t${name}\t${initials}\t${i % 2 === 0 ? 'female' : 'male'}\t${isoDay(BIRTH_BASE + (i % 10950))}\t${idHash}\tv1:bench\t${county}********${pad4(i % 10000)}\t\\N\t139****${pad4(i % 10000)}\t${CATEGORIES[i % 5]}\t${TIERS[i % 7]}\t${died === null ? 'active' : 'deceased'}\t${died === null ? REGISTERED : isoDay(died)}\t${i % 3}\t${ELDER_DATA}\t${ELDER_EVALUATION}\t1\t${REGISTERED_AT}\t${REGISTERED_AT}`;
  }
}

/** Columns of the status history lines. */
export const STATUS_HISTORY_COLUMNS = [
  'id',
  'elder_id',
  'county_code',
  'status',
  'effective_date',
  'village_code',
  'note',
  'recorded_at',
] as const;

/** 登记入册 for every elder, and 去世 for those who died. */
export function* statusHistoryLines(l: Layout): Generator<string> {
  for (let i = 1; i < l.elderIds.length; i++) {
    const village = l.villages[l.villageOf[i]!]!;
    const county = village.slice(0, 6);
    yield `${uuid4(l.seed, STREAM.registered, i)}\t${l.elderIds[i]}\t${county}\tactive\t${REGISTERED}\t${village}\t登记入册\t${REGISTERED_AT}`;
    const died = diedOn(i);
    if (died !== null)
      yield `${uuid4(l.seed, STREAM.died, i)}\t${l.elderIds[i]}\t${county}\tdeceased\t${isoDay(died)}\t${village}\t去世\t${ts(died * DAY + 2 * DAY - CHINA + 10 * 3_600_000)}`;
  }
}

/** Columns of the visitors lines. */
export const VISITOR_COLUMNS = [
  'id',
  'region_code',
  'name',
  'type',
  'phone_masked',
  'status',
  'created_at',
  'updated_at',
] as const;

/** One 探访员 (a village cadre) per 50 elders of a village. */
export function* visitorLines(l: Layout): Generator<string> {
  for (const v of l.visitors)
    yield `${v.id}\t${l.villages[v.village]}\t探访员\tcadre\t139****0000\tactive\t${REGISTERED_AT}\t${REGISTERED_AT}`;
}

/** Columns of the assignments lines. */
export const ASSIGNMENT_COLUMNS = [
  'id',
  'elder_id',
  'county_code',
  'visitor_id',
  'role',
  'start_date',
  'created_at',
] as const;

/** Each elder's primary visitor since registration. */
export function* assignmentLines(l: Layout): Generator<string> {
  for (let i = 1; i < l.elderIds.length; i++)
    yield `${uuid4(l.seed, STREAM.assignment, i)}\t${l.elderIds[i]}\t${l.villages[l.villageOf[i]!]!.slice(0, 6)}\t${l.visitorOf[i]}\tprimary\t${REGISTERED}\t${REGISTERED_AT}`;
}

// ---------------------------------------------------------------------------------------------
// What a visit finds: a handful of answer variants, and the findings the 丹东 form raises for each

/** The 供暖季 campaign of the data set (province.ts inserts it): 丹东, high-risk and key elders. */
export const HEATING_CAMPAIGN = {
  region: '2106',
  startsAt: '2026-11-01T00:00:00+08:00',
  endsAt: '2027-03-31T00:00:00+08:00',
  tiers: ['high_risk', 'key'],
  checklist: [{ key: 'indoor_temperature', label: '室内温度是否适宜' }] as ChecklistItem[],
};
const CAMPAIGN_FROM = Date.parse(HEATING_CAMPAIGN.startsAt);
const CAMPAIGN_TO = Date.parse(HEATING_CAMPAIGN.endsAt);

interface Variant {
  /** Out of 10,000 visits. */
  per10k: number;
  answers: Answers;
  emergencyNote?: string;
}

const normal = prefilledAnswers(DANDONG_2023);
/**
 * About 3% of visits find a problem and 0.2% are emergencies; the rest find nothing changed (the
 * field app's prefilled answers).
 */
const VARIANTS: Variant[] = [
  { per10k: 6, answers: normal, emergencyNote: '老人在家中摔倒，已拨打120' },
  { per10k: 7, answers: normal, emergencyNote: '老人突发胸闷气短，已送医' },
  { per10k: 7, answers: normal, emergencyNote: '屋内有燃气味，老人头晕' },
  { per10k: 100, answers: { ...normal, gas_safety: { value: 'unsafe' } } },
  { per10k: 30, answers: { ...normal, electric_safety: { value: 'unsafe' } } },
  ...['脑梗', '心力衰竭', '肺癌', '股骨骨折'].map((illness) => ({
    per10k: 20,
    answers: { ...normal, illness: { value: 'serious', text: illness } },
  })),
  ...['需要助餐服务', '需要上门理发', '希望有人帮忙买药'].map((need) => ({
    per10k: 17,
    answers: { ...normal, service_needs: { text: need } },
  })),
  { per10k: 20, answers: { ...normal, mood: { value: 'worse' } } },
  {
    per10k: 20,
    answers: { ...normal, personal_hygiene: { value: 'worse' }, home_hygiene: { value: 'worse' } },
  },
];
const NOTHING = 10_000 - VARIANTS.reduce((s, v) => s + v.per10k, 0);
VARIANTS.unshift({ per10k: NOTHING, answers: normal });
/** Variant of a draw in [0, 10,000). */
const VARIANT_OF = new Uint8Array(10_000);
{
  let at = 0;
  VARIANTS.forEach((v, k) => VARIANT_OF.fill(k, at, (at += v.per10k)));
}

/** A variant as written: its answers, checklist, emergency, and the findings the form raises. */
interface Written {
  answers: string;
  checklist: string;
  emergency: string;
  emergencyNote: string;
  findings: (RaisedFinding & { rule: DeadlineRule })[];
}

/** Index: variant * 2 + (in the heating campaign ? 1 : 0). */
const WRITTEN: Written[] = VARIANTS.flatMap((v) =>
  [false, true].map((campaign) => {
    const checklist = campaign ? HEATING_CAMPAIGN.checklist : [];
    const answers: Answers = { ...v.answers };
    for (const c of checklist) answers[checkKey(c)] = { value: 'ok' };
    const issues = checkAnswers(DANDONG_2023, answers, checklist);
    if (issues.length > 0) throw new Error(`生成的答案不合表单：${issues[0]!.message}`);
    const raised = findingsOf(DANDONG_2023, answers, {
      emergency: v.emergencyNote !== undefined,
      ...(v.emergencyNote !== undefined ? { emergencyNote: v.emergencyNote } : {}),
      checklist,
    });
    return {
      answers: JSON.stringify(answers),
      checklist: JSON.stringify(checklist),
      emergency: v.emergencyNote !== undefined ? 't' : 'f',
      emergencyNote: v.emergencyNote ?? '\\N',
      findings: raised.map((f) => ({ ...f, rule: deadlineRuleOf(f) })),
    };
  }),
);
for (const w of WRITTEN)
  for (const s of [
    w.answers,
    w.checklist,
    w.emergencyNote === '\\N' ? '' : w.emergencyNote,
    ...w.findings.flatMap((f) => [f.title, f.source]),
  ])
    if (/[\t\n\r\\]/.test(s)) throw new Error(`COPY 文本不能含制表符、换行或反斜杠：${s}`);
if (/[\t\n\r\\]/.test(ELDER_DATA)) throw new Error('COPY 文本不能含制表符、换行或反斜杠');

// ---------------------------------------------------------------------------------------------
// Visits

const METHODS = ['in_person', 'in_person', 'phone', 'video'] as const;

/** One visit, as drawn (reused between yields). */
interface VisitDraw {
  elder: number;
  /** Unique among the data set's visits. */
  ordinal: number;
  visitedMs: number;
  enteredMs: number;
  late: boolean;
  method: string;
  written: Written;
}

/** First instant (UTC midnight) of month `m` of the data set, 0 = the earliest. */
function monthStart(spec: RowSpec, m: number): { ms: number; days: number } {
  const [y, mo] = spec.lastMonth.split('-').map(Number) as [number, number];
  const ms = Date.UTC(y, mo - 1 - (spec.months - 1 - m), 1);
  const next = Date.UTC(y, mo - (spec.months - 1 - m), 1);
  return { ms, days: Math.round((next - ms) / DAY) };
}

/**
 * The visits of month `m`: 95% of the living elders, 8% of them twice (11 days apart), on one of
 * the month's first 27 days between 08:00 and 16:00 China time; 3% entered 12 days late by the
 * village (from paper), the rest within the hour by the visitor; half in person, a quarter each by
 * phone and video. An elder who died is not visited from that day on. A late entry that would fall
 * after the moment the data set describes (the last month's late paper forms) is not entered yet.
 */
function* visitsOf(l: Layout, m: number): Generator<VisitDraw> {
  const rng = new Rng();
  const { ms: start } = monthStart(l.spec, m);
  const now = nowOf(l.spec);
  const registered = dayOf(REGISTERED);
  const n = l.elderIds.length - 1;
  // Visit ordinals (×4 for findings, ×16 for their events) stay below 2³², so ids are unique.
  if ((l.spec.months * (n + 1) + n) * 2 * 16 >= 2 ** 32) throw new Error('数据集太大');
  const d: VisitDraw = {
    elder: 0,
    ordinal: 0,
    visitedMs: 0,
    enteredMs: 0,
    late: false,
    method: '',
    written: WRITTEN[0]!,
  };
  for (let i = 1; i <= n; i++) {
    rng.reseed(hash3(l.seed, STREAM.elderMonth, m * (n + 1) + i));
    const u = rng.next();
    if (u >= 0.95) continue;
    const times = u < 0.08 ? 2 : 1;
    const day0 = rng.int(27);
    const died = diedOn(i);
    const village = l.villages[l.villageOf[i]!]!;
    const tier = TIERS[i % 7]!;
    const inCampaign =
      village.startsWith(HEATING_CAMPAIGN.region) && HEATING_CAMPAIGN.tiers.includes(tier);
    for (let k = 0; k < times; k++) {
      const visitedMs = start + ((day0 + 11 * k) % 27) * DAY + rng.int(8 * 60) * MINUTE;
      const seconds = rng.int(60);
      const late = rng.next() < 0.03;
      const method = METHODS[rng.int(4)]!;
      const variant = VARIANT_OF[rng.int(10_000)]!;
      const day = chinaDay(visitedMs);
      if ((died !== null && day >= died) || day < registered) continue;
      d.elder = i;
      d.ordinal = (m * (n + 1) + i) * 2 + k;
      d.visitedMs = visitedMs + seconds * 1000;
      d.late = late;
      d.enteredMs = late ? d.visitedMs + 12 * DAY : d.visitedMs + (5 + (seconds % 50)) * MINUTE;
      if (d.enteredMs >= now) continue;
      d.method = method;
      // The campaign's checks are part of the form while it is in force when the visit is entered.
      const campaign = inCampaign && d.enteredMs >= CAMPAIGN_FROM && d.enteredMs < CAMPAIGN_TO;
      d.written = WRITTEN[variant * 2 + (campaign ? 1 : 0)]!;
      yield d;
    }
  }
}

/** A visit's id: the phone makes it at the visit; the village, entering a paper form, at entry. */
const visitId = (l: Layout, v: VisitDraw) =>
  uuid7(v.late ? v.enteredMs : v.visitedMs, l.seed, STREAM.visit, v.ordinal);

/** Columns of the visits lines. */
export const VISIT_COLUMNS = [
  'id',
  'elder_id',
  'county_code',
  'village_code',
  'visitor_id',
  'visited_at',
  'entered_at',
  'method',
  'template_key',
  'template_version',
  'answers',
  'emergency',
  'emergency_note',
  'checklist',
  'recorded_by_role',
] as const;

/** The visits of month `m` (see `visitsOf`). */
export function* visitLines(l: Layout, m: number): Generator<string> {
  for (const v of visitsOf(l, m)) {
    const village = l.villages[l.villageOf[v.elder]!]!;
    const w = v.written;
    yield `${visitId(l, v)}\t${l.elderIds[v.elder]}\t${village.slice(0, 6)}\t${village}\t${l.visitorOf[v.elder]}\t${ts(v.visitedMs)}\t${ts(v.enteredMs)}\t${v.method}\tdandong-2023\t1\t${w.answers}\t${w.emergency}\t${w.emergencyNote}\t${w.checklist}\t${v.late ? 'village' : 'visitor'}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Findings and their disposals

/** One finding, as drawn. */
interface FindingDraw {
  id: string;
  ordinal: number;
  /** The visit that raised it (reused between visits). */
  visit: VisitDraw;
  visitId: string;
  finding: RaisedFinding & { rule: DeadlineRule };
  status: FindingStatus;
  createdMs: number;
  /** The deadline when raised, and the one in force now (an escalation sets a new one). */
  firstDeadlineMs: number;
  deadlineMs: number;
  acknowledgedMs: number | null;
  /** When each level of the ladder above the village was alerted. */
  escalations: number[];
  resolvedMs: number | null;
  closedMs: number | null;
  updatedMs: number;
}

/** The moment the data set describes: the first instant after the last month, China time. */
function nowOf(spec: RowSpec): number {
  const { ms, days } = monthStart(spec, spec.months - 1);
  return ms + days * DAY - CHINA;
}

const LADDER = ['village', 'township', 'county'] as const;

/**
 * The findings of every visit, raised when it was entered (the rules of the 丹东 form, deadlines by
 * the domain's default rules), then followed up: most findings older than two months are closed
 * or resolved, most of the last month's are still open or in progress. Handling is on time for
 * 85%. An emergency is acknowledged within its 30 minutes 90% of the time; otherwise each missed
 * deadline alerted the next level of the ladder with a new one (escalation.ts). Nothing happens
 * after `now`: a step that would has not happened yet, and a finding entered later is open.
 */
function* findingsDrawn(l: Layout): Generator<FindingDraw> {
  const rng = new Rng();
  const now = nowOf(l.spec);
  for (let m = 0; m < l.spec.months; m++)
    for (const v of visitsOf(l, m)) {
      const found = v.written.findings;
      if (found.length === 0) continue;
      const id = visitId(l, v);
      for (let j = 0; j < found.length; j++) {
        const f = found[j]!;
        const ordinal = v.ordinal * 4 + j;
        rng.reseed(hash3(l.seed, STREAM.finding, ordinal));
        const created = v.enteredMs;
        const firstDeadline = deadlineOf(new Date(created), f.rule).getTime();
        const ageDays = (now - created) / DAY;
        const u = rng.next();
        // [closed, resolved, in progress] shares; the rest stays open.
        const [closed, resolved, inProgress] =
          ageDays > 60
            ? [0.85, 0.1, 0.04]
            : ageDays > 30
              ? [0.55, 0.2, 0.17]
              : ageDays > 0
                ? [0.1, 0.15, 0.3]
                : [0, 0, 0];
        let status: FindingStatus =
          u < closed
            ? 'closed'
            : u < closed + resolved
              ? 'resolved'
              : u < closed + resolved + inProgress
                ? 'in_progress'
                : 'open';
        const emergency = f.type === 'emergency';
        const onTime = rng.next() < (emergency ? 0.9 : 0.85);
        const x = rng.next();
        let deadline = firstDeadline;
        let acknowledged: number | null = null;
        const escalations: number[] = [];
        if (emergency && created < now) {
          const at = created + (onTime ? 3 + x * 25 : 31 + x * 60) * MINUTE;
          while (escalations.length < LADDER.length - 1 && deadline < Math.min(at, now)) {
            escalations.push(deadline);
            deadline = deadlineOf(new Date(deadline), f.rule).getTime();
          }
          acknowledged = at <= now ? at : null;
          if (status === 'open' && acknowledged !== null) status = 'in_progress';
        }
        const span = emergency
          ? 2 * 60 + x * 46 * 60
          : f.rule.minutes * (onTime ? 0.1 + 0.9 * x : 1 + 2 * x);
        let resolvedMs: number | null =
          status === 'resolved' || status === 'closed' ? created + span * MINUTE : null;
        let closedMs: number | null =
          status === 'closed' ? resolvedMs! + (1 + rng.int(5)) * DAY : null;
        if (closedMs !== null && closedMs > now) {
          closedMs = null;
          status = 'resolved';
        }
        if (resolvedMs !== null && resolvedMs > now) {
          resolvedMs = null;
          status = 'in_progress';
        }
        const started =
          status === 'in_progress'
            ? created + Math.min(3 * DAY, (now - created) / 2) * rng.next()
            : created;
        yield {
          id: uuid7(created, l.seed, STREAM.findingId, ordinal),
          ordinal,
          visit: v,
          visitId: id,
          finding: f,
          status,
          createdMs: created,
          firstDeadlineMs: firstDeadline,
          deadlineMs: deadline,
          acknowledgedMs: acknowledged,
          escalations,
          resolvedMs,
          closedMs,
          updatedMs: Math.max(
            started,
            acknowledged ?? 0,
            escalations.at(-1) ?? 0,
            resolvedMs ?? 0,
            closedMs ?? 0,
          ),
        };
      }
    }
}

/** Columns of the findings lines. */
export const FINDING_COLUMNS = [
  'id',
  'visit_id',
  'elder_id',
  'county_code',
  'village_code',
  'type',
  'severity',
  'title',
  'source',
  'status',
  'created_at',
  'deadline_at',
  'deadline_action',
  'acknowledged_at',
  'escalation_level',
  'escalated_at',
  'resolved_at',
  'closed_at',
  'updated_at',
] as const;

const tsOrNull = (ms: number | null) => (ms === null ? '\\N' : ts(ms));

/** The findings (see `findingsDrawn`). */
export function* findingLines(l: Layout): Generator<string> {
  for (const d of findingsDrawn(l)) {
    const village = l.villages[l.villageOf[d.visit.elder]!]!;
    const f = d.finding;
    yield `${d.id}\t${d.visitId}\t${l.elderIds[d.visit.elder]}\t${village.slice(0, 6)}\t${village}\t${f.type}\t${f.severity}\t${f.title}\t${f.source}\t${d.status}\t${ts(d.createdMs)}\t${ts(d.deadlineMs)}\t${f.rule.action}\t${tsOrNull(d.acknowledgedMs)}\t${LADDER[d.escalations.length]}\t${tsOrNull(d.escalations.at(-1) ?? null)}\t${tsOrNull(d.resolvedMs)}\t${tsOrNull(d.closedMs)}\t${ts(d.updatedMs)}`;
  }
}

/** Columns of the finding event lines. */
export const FINDING_EVENT_COLUMNS = [
  'id',
  'finding_id',
  'elder_id',
  'county_code',
  'at',
  'kind',
  'to_status',
  'detail',
] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The steps the system wrote: 'raised' with the finding (as the recording path writes it) and
 * each escalation of an emergency. The steps staff took (acknowledging, status changes, disposals)
 * are not written: the data set has no staff accounts to take them.
 */
export function* findingEventLines(l: Layout): Generator<string> {
  for (const d of findingsDrawn(l)) {
    const elder = l.elderIds[d.visit.elder];
    const village = l.villages[l.villageOf[d.visit.elder]!]!;
    const county = village.slice(0, 6);
    const raised = JSON.stringify({
      visitId: d.visitId,
      source: d.finding.source,
      deadlineAt: iso(d.firstDeadlineMs),
      deadlineAction: d.finding.rule.action,
    });
    yield `${uuid7(d.createdMs, l.seed, STREAM.event, d.ordinal * 4)}\t${d.id}\t${elder}\t${county}\t${ts(d.createdMs)}\traised\topen\t${raised}`;
    for (let k = 0; k < d.escalations.length; k++) {
      const at = d.escalations[k]!;
      const detail = JSON.stringify({
        from: LADDER[k],
        to: LADDER[k + 1],
        regionCode: k === 0 ? village.slice(0, 9) : county,
        missedDeadline: iso(at),
        deadlineAt: iso(d.escalations[k + 1] ?? d.deadlineMs),
      });
      yield `${uuid7(at, l.seed, STREAM.event, d.ordinal * 4 + 1 + k)}\t${d.id}\t${elder}\t${county}\t${ts(at)}\tescalated\t\\N\t${detail}`;
    }
  }
}

/** Columns of the disposal lines. */
export const DISPOSAL_COLUMNS = [
  'id',
  'finding_id',
  'elder_id',
  'county_code',
  'kind',
  'description',
  'handled_on',
  'created_at',
] as const;

/** How each type of finding was dealt with (处置情况), in the words of a village clerk. */
const DISPOSALS: Record<RaisedFinding['type'], [string, string]> = {
  emergency: ['rescued', '已联系120送医，家属已到场'],
  safety_hazard: ['hazard_removed', '已请燃气公司、电工上门检修，隐患已排除'],
  health_decline: ['family_contacted', '已联系子女，陪同就医并加强照看'],
  mental: ['family_contacted', '已联系子女增加电话问候，村里安排志愿者陪伴'],
  hygiene: ['reminded', '已提醒整改，协助打扫'],
  hardship: ['entitlement_told', '已告知其依法申请救助'],
  family_crisis: ['entitlement_told', '已告知其依法申请救助'],
  need: ['referred', '已转介服务机构上门服务'],
};

/** The disposal record (处置情况记录) of each resolved or closed finding. */
export function* disposalLines(l: Layout): Generator<string> {
  for (const d of findingsDrawn(l)) {
    if (d.resolvedMs === null) continue;
    const [kind, description] = DISPOSALS[d.finding.type];
    yield `${uuid7(d.resolvedMs, l.seed, STREAM.disposal, d.ordinal)}\t${d.id}\t${l.elderIds[d.visit.elder]}\t${l.villages[l.villageOf[d.visit.elder]!]!.slice(0, 6)}\t${kind}\t${description}\t${isoDay(chinaDay(d.resolvedMs))}\t${ts(d.resolvedMs)}`;
  }
}
