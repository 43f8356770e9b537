/**
 * The census sheet (摸底登记): its columns after the 海南 2018 农村留守老年人信息采集表 and the
 * 丹东 2023 探访关爱服务记录表 sections 一 to 四, how a row's cells become the fields of an elder
 * record (import), and how a record becomes a row (export and template). The one owner of the
 * column mapping, so an export can be edited and imported again.
 *
 * Household members, help received and benefits are lists that do not fit a row: they are entered
 * in the console, and an import keeps what the record already has of them.
 */
import type { Writable } from 'node:stream';
import {
  ASSISTANCE_LABELS,
  CATEGORY_LABELS,
  ELDER_STATUS_LABELS,
  ETHNICITIES,
  GENDER_LABELS,
  HEALTH_LABELS,
  INCOME_SOURCE_LABELS,
  LIVING_SITUATION_LABELS,
  TIER_LABELS,
  type ElderData,
  type ElderInput,
  type ElderStatus,
  type Gender,
  type Tier,
} from '@tanfang/domain';
import ExcelJS from 'exceljs';

/** The sheet an import reads and an export writes. */
export const LEDGER_SHEET = '摸底登记';
/** The sheet that documents every column. */
export const GUIDE_SHEET = '填写说明';
/** Children (子女) that have columns of their own; more are entered in the console. */
export const CHILD_SLOTS = 3;

/** The content type of .xlsx files. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Labels = Record<string, string>;

/** How a column's cells are read and written. */
type Kind =
  | { type: 'text'; max: number }
  | { type: 'id' }
  | { type: 'village' }
  | { type: 'phone' }
  | { type: 'yesno' }
  | { type: 'label'; labels: Labels }
  | { type: 'labels'; labels: Labels }
  | { type: 'grade' }
  | { type: 'money' }
  | { type: 'date' }
  | { type: 'month' };

const childKeys = (i: number) =>
  [
    `child${i}Name`,
    `child${i}Phone`,
    `child${i}WorkPlace`,
    `child${i}AwaySince`,
    `child${i}ReturnFrequency`,
  ] as const;

/** Every column key, in sheet order. */
export const COLUMN_KEYS = [
  'name',
  'idNumber',
  'ethnicity',
  'registeredAddress',
  'villageCode',
  'addressDetail',
  'livesAtRegisteredPlace',
  'phone',
  'emergencyName',
  'emergencyPhone',
  'disabled',
  'certificateNumber',
  'disabilityGrade',
  'health',
  'diseases',
  'livingSituation',
  'incomeSources',
  'assistance',
  'monthlyHouseholdIncome',
  'safeWater',
  'safeElectricity',
  'safeHousing',
  'categories',
  ...childKeys(1),
  ...childKeys(2),
  ...childKeys(3),
  'caregiverName',
  'caregiverRelation',
  'caregiverPhone',
  'caregiverAddress',
  'recordDate',
] as const;
/** A column of the sheet. */
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** One column: its Chinese name, the hint shown in the header, how to fill it in. */
export interface Column {
  key: ColumnKey;
  /** The name the header is matched by. */
  name: string;
  /** The header as written: the name plus the allowed values in brackets. */
  header: string;
  kind: Kind;
  required: boolean;
  /** 填写说明 for this column. */
  help: string;
  width: number;
}

const YES_NO = '填“是”或“否”；不清楚可留空。';
const list = (labels: Labels) => Object.values(labels).join('、');
const ETHNICITY_LABELS: Labels = Object.fromEntries(ETHNICITIES.map((e) => [e, e]));

function column(
  key: ColumnKey,
  name: string,
  kind: Kind,
  help: string,
  options: { hint?: string; required?: boolean; width?: number } = {},
): Column {
  return {
    key,
    name,
    header: options.hint ? `${name}（${options.hint}）` : name,
    kind,
    required: options.required ?? false,
    help,
    width: options.width ?? Math.max(10, name.length * 2 + 2),
  };
}

const CHILD_COLUMNS = [1, 2, 3].flatMap((i) => {
  const [name, phone, place, since, frequency] = childKeys(i);
  return [
    column(name, `子女${i}姓名`, { type: 'text', max: 50 }, `第 ${i} 个子女的姓名。`),
    column(phone, `子女${i}电话`, { type: 'phone' }, '手机 11 位，或固定电话（区号-号码）。'),
    column(
      place,
      `子女${i}外出地点`,
      { type: 'text', max: 100 },
      '外出务工、经商等所在地，如“大连市”；在家可留空。',
    ),
    column(
      since,
      `子女${i}外出时间`,
      { type: 'month' },
      '开始外出的年月，如 2020-03。全部子女外出满半年的，系统自动认定为留守（丹东 2023 附件2）。',
      { hint: 'YYYY-MM', width: 16 },
    ),
    column(frequency, `子女${i}回家频率`, { type: 'text', max: 50 }, '如“每年春节”“每月一次”。'),
  ];
});

/** The columns of the sheet, in order. */
export const COLUMNS: readonly Column[] = [
  column('name', '姓名', { type: 'text', max: 50 }, '老年人姓名。', { required: true }),
  column(
    'idNumber',
    '身份证号',
    { type: 'id' },
    '18 位公民身份号码。请把本列设为“文本”格式（按数字输入会丢失末尾几位）。系统按身份证号识别老人：再次导入同一人时更新原记录，不会重复登记。',
    { required: true, width: 22 },
  ),
  column(
    'ethnicity',
    '民族',
    { type: 'label', labels: ETHNICITY_LABELS },
    '民族全称，如“汉族”“满族”。',
  ),
  column('registeredAddress', '户籍所在地', { type: 'text', max: 200 }, '户口登记地址。', {
    width: 28,
  }),
  column(
    'villageCode',
    '居住村(居)代码',
    { type: 'village' },
    '现居住村(居)委会的 12 位统计用区划代码（可在控制台的区划选择中查到），须在您的辖区内。',
    { required: true, width: 18 },
  ),
  column('addressDetail', '详细地址', { type: 'text', max: 200 }, '组、门牌号等。', { width: 20 }),
  column('livesAtRegisteredPlace', '是否居住在户籍所在地', { type: 'yesno' }, YES_NO, {
    hint: '是/否',
  }),
  column(
    'phone',
    '联系电话',
    { type: 'phone' },
    '老人本人的电话：手机 11 位，或固定电话（区号-号码）。',
    {
      width: 15,
    },
  ),
  column(
    'emergencyName',
    '紧急联系人',
    { type: 'text', max: 50 },
    '紧急联系人姓名；填了姓名须同时填电话。',
  ),
  column('emergencyPhone', '紧急联系人电话', { type: 'phone' }, '紧急联系人的电话。', {
    width: 15,
  }),
  column('disabled', '是否残疾', { type: 'yesno' }, YES_NO, { hint: '是/否' }),
  column('certificateNumber', '残疾人证号', { type: 'text', max: 30 }, '第二代《残疾人证》号码。', {
    width: 22,
  }),
  column(
    'disabilityGrade',
    '残疾等级',
    { type: 'grade' },
    '1、2、3、4（或“一级”…“四级”）。一级、二级自动认定为重残（丹东 2023 附件2）。',
    { hint: '1-4' },
  ),
  column(
    'health',
    '健康状况',
    { type: 'label', labels: HEALTH_LABELS },
    `可选：${list(HEALTH_LABELS)}。“失能”自动认定为失能老人。`,
    {
      hint: list(HEALTH_LABELS).replace(/、/g, '/'),
    },
  ),
  column('diseases', '患病类型', { type: 'text', max: 200 }, '如“高血压、糖尿病”。', { width: 16 }),
  column(
    'livingSituation',
    '生活状况',
    { type: 'label', labels: LIVING_SITUATION_LABELS },
    `可选：${list(LIVING_SITUATION_LABELS)}。`,
    { hint: list(LIVING_SITUATION_LABELS).replace(/、/g, '/') },
  ),
  column(
    'incomeSources',
    '经济来源',
    { type: 'labels', labels: INCOME_SOURCE_LABELS },
    `可多选，用“、”分隔。可选：${list(INCOME_SOURCE_LABELS)}。`,
    { hint: '多项用、分隔', width: 20 },
  ),
  column(
    'assistance',
    '低保/特困',
    { type: 'label', labels: ASSISTANCE_LABELS },
    `可选：${list(ASSISTANCE_LABELS)}；留空视为“无”。低保、特困自动认定相应类别。`,
    { hint: list(ASSISTANCE_LABELS).replace(/、/g, '/') },
  ),
  column(
    'monthlyHouseholdIncome',
    '家庭每月收入',
    { type: 'money' },
    '家庭每月收入，单位元，填数字。',
    { hint: '元' },
  ),
  column('safeWater', '饮水是否安全', { type: 'yesno' }, YES_NO, { hint: '是/否' }),
  column('safeElectricity', '生活用电是否安全', { type: 'yesno' }, YES_NO, { hint: '是/否' }),
  column('safeHousing', '住房是否安全', { type: 'yesno' }, YES_NO, { hint: '是/否' }),
  column(
    'categories',
    '类别',
    { type: 'labels', labels: CATEGORY_LABELS },
    `工作人员认定的类别，可多选，用“、”分隔。可选：${list(CATEGORY_LABELS)}。重残、留守、失能、特困、低保、高龄由系统按其他各列自动认定，不必填写。`,
    { hint: '多项用、分隔', width: 20 },
  ),
  ...CHILD_COLUMNS,
  column(
    'caregiverName',
    '临时照料人姓名',
    { type: 'text', max: 50 },
    '临时照料人姓名；填了姓名须同时填与老人关系。',
  ),
  column(
    'caregiverRelation',
    '临时照料人与老人关系',
    { type: 'text', max: 20 },
    '如“邻居”“侄子”。',
  ),
  column('caregiverPhone', '临时照料人电话', { type: 'phone' }, '临时照料人的电话。', {
    width: 15,
  }),
  column('caregiverAddress', '临时照料人地址', { type: 'text', max: 200 }, '临时照料人住址。', {
    width: 20,
  }),
  column(
    'recordDate',
    '摸底日期',
    { type: 'date' },
    '信息采集日期，如 2026-11-01，不能晚于今天。留空时：新登记的为导入当天，已登记的保持原摸底日期。',
    { hint: 'YYYY-MM-DD', width: 14 },
  ),
];

const BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));
/** The column of a key. */
export const columnOf = (key: ColumnKey): Column => BY_KEY.get(key)!;

/** Columns an export adds after the template's (facts the system derives); an import ignores them. */
export const EXPORT_ONLY_HEADERS = [
  '性别（仅导出）',
  '出生日期（仅导出）',
  '分级（仅导出）',
  '状态（仅导出）',
  '认定类别（仅导出）',
] as const;

/** Chinese names of the record's fields, for "what changed". */
export const FIELD_LABELS: Record<keyof ElderData, string> = {
  name: '姓名',
  idNumber: '身份证号',
  ethnicity: '民族',
  registeredAddress: '户籍所在地',
  villageCode: '居住村(居)',
  addressDetail: '详细地址',
  livesAtRegisteredPlace: '是否居住在户籍所在地',
  phone: '联系电话',
  emergencyContact: '紧急联系人',
  disability: '残疾情况',
  categories: '类别',
  health: '健康状况',
  diseases: '患病类型',
  livingSituation: '生活状况',
  incomeSources: '经济来源',
  assistance: '低保/特困',
  monthlyHouseholdIncome: '家庭每月收入',
  benefits: '补贴领取情况',
  livingConditions: '饮水、用电、住房安全',
  householdMembers: '家庭成员',
  supporters: '子女',
  caregiver: '临时照料人',
  help: '已享受帮扶情况',
  tierOverride: '分级调整',
  recordDate: '摸底日期',
};

// ---------------------------------------------------------------------------------------------
// Headers

/** The name a header is matched by: brackets at the end, spaces and bracket widths ignored. */
export function headerName(header: string): string {
  return header
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\([^()]*\)$/, '');
}

const NAME_INDEX = new Map(COLUMNS.map((c) => [headerName(c.header), c.key]));

/** Where each column is in a sheet (1-based cell index), from its header row. */
export type HeaderMap = Map<ColumnKey, number>;

/** Matches a header row to the columns; the problems, if any, in Chinese. */
export function matchHeaders(cells: readonly unknown[]): { map: HeaderMap; problems: string[] } {
  const map: HeaderMap = new Map();
  const problems: string[] = [];
  cells.forEach((cell, index) => {
    const text = cellText(cell);
    if (!text) return;
    const key = NAME_INDEX.get(headerName(text));
    if (!key) return; // unknown columns (e.g. an export's 仅导出 ones) are ignored
    if (map.has(key)) problems.push(`“${columnOf(key).header}”列出现了两次`);
    else map.set(key, index);
  });
  const missing = COLUMNS.filter((c) => !map.has(c.key)).map((c) => `“${c.header}”`);
  if (missing.length > 0) problems.unshift(`缺少列：${missing.join('、')}`);
  return { map, problems };
}

// ---------------------------------------------------------------------------------------------
// Cells

/** A cell problem: the column and a Chinese message. */
export interface CellError {
  column: ColumnKey;
  message: string;
}

/** The plain text of a cell for headers and emptiness (formulas and errors are not text). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: string }[]; text?: unknown };
    if (Array.isArray(v.richText))
      return v.richText
        .map((r) => r.text ?? '')
        .join('')
        .trim();
    if (typeof v.text === 'string') return v.text.trim();
  }
  return '';
}

/** What a cell holds, told apart for reading. */
type Cell =
  | { t: 'empty' }
  | { t: 'text'; text: string }
  | { t: 'number'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'date'; value: Date }
  | { t: 'bad'; message: string };

function classify(value: unknown): Cell {
  if (value === null || value === undefined) return { t: 'empty' };
  if (typeof value === 'string') {
    const text = value.trim();
    return text ? { t: 'text', text } : { t: 'empty' };
  }
  if (typeof value === 'number')
    return Number.isFinite(value) ? { t: 'number', value } : { t: 'bad', message: '数值无效' };
  if (typeof value === 'boolean') return { t: 'bool', value };
  if (value instanceof Date) return { t: 'date', value };
  const v = value as Record<string, unknown>;
  if ('formula' in v || 'sharedFormula' in v)
    return { t: 'bad', message: '不允许使用公式，请把公式替换为它的值（复制后“选择性粘贴—数值”）' };
  if ('error' in v) return { t: 'bad', message: `单元格是错误值 ${String(v['error'])}` };
  if ('sharedString' in v)
    return { t: 'bad', message: '单元格引用的共享文本不存在，文件可能已损坏' };
  const text = cellText(value);
  return text ? { t: 'text', text } : { t: 'empty' };
}

/** Whether a row has nothing in any cell (before the header is known). */
export function isBlankRow(values: readonly unknown[]): boolean {
  for (const v of values) if (v !== undefined && classify(v).t !== 'empty') return false;
  return true;
}

/** Whether a row has nothing in any column of the sheet. */
export function isEmptyRow(values: readonly unknown[], header: HeaderMap): boolean {
  for (const index of header.values()) {
    if (classify(values[index]).t !== 'empty') return false;
  }
  return true;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day number (1900 system, or 1904) as a UTC date. */
function excelSerialDate(serial: number, date1904: boolean): Date | undefined {
  if (serial < 1 || serial > 2958465) return undefined;
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(base + Math.round(serial * 86400) * 1000);
}

const isoDay = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A cell read into a field value, or a message. */
type Read<T> = { ok: true; value: T | undefined } | { ok: false; message: string };
const ok = <T>(value: T | undefined): Read<T> => ({ ok: true, value });
const fail = (message: string): Read<never> => ({ ok: false, message });

const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };
const YES = new Set(['是', 'Y', 'y', 'yes', 'Yes', 'YES', '√']);
const NO = new Set(['否', 'N', 'n', 'no', 'No', 'NO', '×']);

function readText(cell: Cell): Read<string> {
  switch (cell.t) {
    case 'empty':
      return ok(undefined);
    case 'text':
      return ok(cell.text);
    case 'number':
      return ok(String(cell.value));
    case 'bool':
      return ok(cell.value ? '是' : '否');
    case 'date':
      return ok(isoDay(cell.value));
    case 'bad':
      return fail(cell.message);
  }
}

function readDigits(cell: Cell, what: string): Read<string> {
  if (cell.t === 'number') {
    return Number.isSafeInteger(cell.value)
      ? ok(String(cell.value))
      : fail(`${what}按数字保存时已丢失末尾几位，请把本列设为“文本”格式后重新填写`);
  }
  const text = readText(cell);
  return text.ok && text.value !== undefined ? ok(text.value.replace(/\s+/g, '')) : text;
}

/** Reads one cell by its column's kind. */
function readCell(kind: Kind, cell: Cell, date1904: boolean): Read<unknown> {
  if (cell.t === 'bad') return fail(cell.message);
  switch (kind.type) {
    case 'text':
      return readText(cell);
    case 'id': {
      if (cell.t === 'number')
        return fail('身份证号按数字保存时已丢失末尾几位，请把本列设为“文本”格式后重新填写');
      const text = readDigits(cell, '身份证号');
      if (text.ok && text.value?.includes('*'))
        return fail(
          '身份证号已遮盖（导出时未选择完整号码），无法据此导入；请导出完整号码后再编辑导入',
        );
      return text;
    }
    case 'village':
      return readDigits(cell, '村(居)代码');
    case 'phone': {
      const text = readDigits(cell, '电话');
      if (text.ok && text.value?.includes('*'))
        return fail('电话已遮盖（导出时未选择完整号码），请填写完整号码或导出完整号码后再编辑导入');
      return text;
    }
    case 'yesno': {
      if (cell.t === 'empty') return ok(undefined);
      if (cell.t === 'bool') return ok(cell.value);
      const text = cell.t === 'text' ? cell.text : '';
      if (YES.has(text)) return ok(true);
      if (NO.has(text)) return ok(false);
      const given = cell.t === 'number' ? String(cell.value) : text;
      return fail(`应填“是”或“否”，不能是“${given}”`);
    }
    case 'label': {
      const text = readText(cell);
      if (!text.ok || text.value === undefined) return text;
      const code = codeOf(kind.labels, text.value);
      return code !== undefined
        ? ok(code)
        : fail(`“${text.value}”不是可选值；可选：${list(kind.labels)}`);
    }
    case 'labels': {
      const text = readText(cell);
      if (!text.ok || text.value === undefined) return text;
      const parts = text.value.split(/[、,，;；/\s]+/).filter(Boolean);
      const codes: string[] = [];
      const unknown: string[] = [];
      for (const p of parts) {
        const code = codeOf(kind.labels, p);
        if (code === undefined) unknown.push(`“${p}”`);
        else if (!codes.includes(code)) codes.push(code);
      }
      return unknown.length > 0
        ? fail(`${unknown.join('、')}不是可选值；可选：${list(kind.labels)}（多项用“、”分隔）`)
        : ok(codes);
    }
    case 'grade': {
      if (cell.t === 'empty') return ok(undefined);
      if (cell.t === 'number' && [1, 2, 3, 4].includes(cell.value)) return ok(cell.value);
      const text = readText(cell);
      const m = text.ok ? /^([1-4一二三四])\s*级?(残疾)?$/.exec(text.value ?? '') : null;
      if (m) return ok(NUMERALS[m[1]!] ?? Number(m[1]));
      return fail('残疾等级应为 1、2、3、4（或“一级”至“四级”）');
    }
    case 'money': {
      if (cell.t === 'empty') return ok(undefined);
      if (cell.t === 'number') return ok(cell.value);
      const text = readText(cell);
      const cleaned = text.ok ? (text.value ?? '').replace(/[,，\s]|元$/g, '') : '';
      const n = Number(cleaned);
      return cleaned !== '' && Number.isFinite(n) ? ok(n) : fail('应填数字（单位元），如 1200');
    }
    case 'date': {
      if (cell.t === 'empty') return ok(undefined);
      if (cell.t === 'date') return ok(isoDay(cell.value));
      if (cell.t === 'number') {
        const d = excelSerialDate(cell.value, date1904);
        return d ? ok(isoDay(d)) : fail('日期格式应为 YYYY-MM-DD，如 2026-11-01');
      }
      const text = readText(cell);
      const m = text.ok
        ? /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.value ?? '')
        : null;
      return m
        ? ok(`${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`)
        : fail('日期格式应为 YYYY-MM-DD，如 2026-11-01');
    }
    case 'month': {
      if (cell.t === 'empty') return ok(undefined);
      if (cell.t === 'date') return ok(isoDay(cell.value).slice(0, 7));
      if (cell.t === 'number') {
        const d = cell.value > 10000 ? excelSerialDate(cell.value, date1904) : undefined;
        return d ? ok(isoDay(d).slice(0, 7)) : fail('年月格式应为 YYYY-MM，如 2020-03');
      }
      const text = readText(cell);
      const m = text.ok
        ? /^(\d{4})[-/.年](\d{1,2})月?(?:[-/.](\d{1,2})日?)?$/.exec(text.value ?? '')
        : null;
      return m ? ok(`${m[1]}-${pad(Number(m[2]))}`) : fail('年月格式应为 YYYY-MM，如 2020-03');
    }
  }
}

function codeOf(labels: Labels, text: string): string | undefined {
  for (const [code, label] of Object.entries(labels))
    if (label === text || code === text) return code;
  return undefined;
}

/** A row read into the fields of a record, with the cells that could not be read. */
export interface RowInput {
  /** The record's fields as the sheet gives them (template columns only). */
  input: ElderInput;
  errors: CellError[];
  /** For each entry of `input.supporters`: its child slot (1–3), so errors name the right column. */
  childSlots: number[];
}

/** Reads a row (cell values by sheet index) into record fields; a cell that cannot be read is an error, not a field. */
export function readRow(
  values: readonly unknown[],
  header: HeaderMap,
  options: { date1904?: boolean } = {},
): RowInput {
  const errors: CellError[] = [];
  const got = new Map<ColumnKey, unknown>();
  for (const c of COLUMNS) {
    const r = readCell(c.kind, classify(values[header.get(c.key)!]), options.date1904 ?? false);
    if (!r.ok) errors.push({ column: c.key, message: r.message });
    else if (r.value !== undefined) got.set(c.key, r.value);
  }
  const v = <T>(key: ColumnKey) => got.get(key) as T | undefined;
  const has = (...keys: ColumnKey[]) => keys.some((k) => got.has(k));
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;

  const input: Record<string, unknown> = defined({
    name: v('name'),
    idNumber: v('idNumber'),
    ethnicity: v('ethnicity'),
    registeredAddress: v('registeredAddress'),
    villageCode: v('villageCode'),
    addressDetail: v('addressDetail'),
    livesAtRegisteredPlace: v('livesAtRegisteredPlace'),
    phone: v('phone'),
    categories: v('categories'),
    health: v('health'),
    diseases: v('diseases'),
    livingSituation: v('livingSituation'),
    incomeSources: v('incomeSources'),
    assistance: v('assistance'),
    monthlyHouseholdIncome: v('monthlyHouseholdIncome'),
    recordDate: v('recordDate'),
  });
  if (has('emergencyName', 'emergencyPhone')) {
    input['emergencyContact'] = defined({ name: v('emergencyName'), phone: v('emergencyPhone') });
  }
  if (has('disabled', 'certificateNumber', 'disabilityGrade')) {
    input['disability'] = defined({
      disabled: v('disabled'),
      certificateNumber: v('certificateNumber'),
      grade: v('disabilityGrade'),
    });
  }
  input['livingConditions'] = defined({
    safeWater: v('safeWater'),
    safeElectricity: v('safeElectricity'),
    safeHousing: v('safeHousing'),
  });
  const supporters: Record<string, unknown>[] = [];
  const childSlots: number[] = [];
  for (let i = 1; i <= CHILD_SLOTS; i++) {
    const keys = childKeys(i);
    if (!has(...keys)) continue;
    const [name, phone, workPlace, awaySince, returnFrequency] = keys.map((k) => v(k));
    supporters.push(defined({ kind: 'child', name, phone, workPlace, awaySince, returnFrequency }));
    childSlots.push(i);
  }
  input['supporters'] = supporters;
  if (has('caregiverName', 'caregiverRelation', 'caregiverPhone', 'caregiverAddress')) {
    input['caregiver'] = defined({
      name: v('caregiverName'),
      relation: v('caregiverRelation'),
      phone: v('caregiverPhone'),
      address: v('caregiverAddress'),
    });
  }
  return { input: input as ElderInput, errors, childSlots };
}

const CHILD_FIELDS: Record<string, number> = {
  name: 0,
  phone: 1,
  workPlace: 2,
  awaySince: 3,
  returnFrequency: 4,
};

/** The column a field path of ElderFields (e.g. ['supporters', 1, 'awaySince']) was read from. */
export function columnOfPath(path: readonly PropertyKey[], childSlots: number[]): ColumnKey {
  const [top, second, third] = path.map(String);
  switch (top) {
    case 'emergencyContact':
      return second === 'phone' ? 'emergencyPhone' : 'emergencyName';
    case 'disability':
      return second === 'grade'
        ? 'disabilityGrade'
        : second === 'certificateNumber'
          ? 'certificateNumber'
          : 'disabled';
    case 'livingConditions':
      return second === 'safeElectricity'
        ? 'safeElectricity'
        : second === 'safeHousing'
          ? 'safeHousing'
          : 'safeWater';
    case 'supporters': {
      const slot = childSlots[Number(second)] ?? 1;
      return childKeys(slot)[CHILD_FIELDS[third ?? 'name'] ?? 0]!;
    }
    case 'caregiver':
      return third === undefined && second === 'relation'
        ? 'caregiverRelation'
        : second === 'phone'
          ? 'caregiverPhone'
          : second === 'address'
            ? 'caregiverAddress'
            : 'caregiverName';
    default:
      return BY_KEY.has(top as ColumnKey) ? (top as ColumnKey) : 'name';
  }
}

// ---------------------------------------------------------------------------------------------
// Import onto an existing record

type Supporter = ElderData['supporters'][number];

/**
 * The record an import makes of an existing one: the sheet's columns replace what they cover (an
 * empty cell clears the field), everything else stays — household members, help, benefits, the
 * tier override, other supporters, children beyond the sheet's three (while its three child slots
 * are filled), and details of a person the sheet names again
 * (a child's or the caregiver's ID number and gender, the emergency contact's relation). An empty
 * 摸底日期 keeps the record's date.
 */
export function mergeImported(existing: ElderData, imported: ElderData): ElderData {
  const merged: Record<string, unknown> = { ...existing };
  const covered: (keyof ElderData)[] = [
    'name',
    'idNumber',
    'ethnicity',
    'registeredAddress',
    'villageCode',
    'addressDetail',
    'livesAtRegisteredPlace',
    'phone',
    'emergencyContact',
    'disability',
    'categories',
    'health',
    'diseases',
    'livingSituation',
    'incomeSources',
    'assistance',
    'monthlyHouseholdIncome',
    'livingConditions',
    'caregiver',
  ];
  for (const key of covered) {
    if (imported[key] === undefined) delete merged[key];
    else merged[key] = imported[key];
  }
  if (imported.recordDate !== undefined) merged['recordDate'] = imported.recordDate;
  const ec = existing.emergencyContact;
  if (imported.emergencyContact && ec?.relation && ec.name === imported.emergencyContact.name) {
    merged['emergencyContact'] = { ...imported.emergencyContact, relation: ec.relation };
  }
  const cg = existing.caregiver;
  if (imported.caregiver && cg && cg.name === imported.caregiver.name) {
    merged['caregiver'] = { ...personDetails(cg), ...imported.caregiver };
  }
  // Children: the sheet's slots replace the record's first three children in place. Children
  // beyond the third cannot be shown in the sheet: they stay while its three slots are full.
  const keepBeyond = imported.supporters.length >= CHILD_SLOTS;
  const supporters: Supporter[] = [];
  let slot = 0;
  for (const s of existing.supporters) {
    if (s.kind !== 'child') {
      supporters.push(s);
      continue;
    }
    const i = slot++;
    if (i >= CHILD_SLOTS) {
      if (keepBeyond) supporters.push(s);
      continue;
    }
    const child = imported.supporters[i];
    if (child) supporters.push(child.name === s.name ? { ...personDetails(s), ...child } : child);
  }
  supporters.push(...imported.supporters.slice(Math.min(slot, CHILD_SLOTS)));
  merged['supporters'] = supporters;
  return merged as ElderData;
}

function personDetails<T extends { gender?: Gender | undefined; idNumber?: string | undefined }>(
  p: T,
): Pick<T, 'gender' | 'idNumber'> {
  const out: Partial<T> = {};
  if (p.gender !== undefined) out.gender = p.gender;
  if (p.idNumber !== undefined) out.idNumber = p.idNumber;
  return out as Pick<T, 'gender' | 'idNumber'>;
}

/** JSON with sorted keys and no undefined: equal records give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields (keys of ElderData) whose values differ between two records. */
export function changedFields(before: ElderData, after: ElderData): (keyof ElderData)[] {
  return (Object.keys(FIELD_LABELS) as (keyof ElderData)[]).filter(
    (k) => canonicalJson(before[k]) !== canonicalJson(after[k]),
  );
}

// ---------------------------------------------------------------------------------------------
// Writing: template and export

/** What an export row shows besides the record's fields. */
export interface ExportFacts {
  gender: Gender;
  birthDate: string;
  tier: Tier;
  status: ElderStatus;
  /** Final categories (entered and derived). */
  categories: string[];
}

const yesNo = (b: boolean | undefined) => (b === undefined ? null : b ? '是' : '否');
const labelOf = (labels: Labels, code: string | undefined) =>
  code === undefined ? null : (labels[code] ?? code);
const labelsOf = (labels: Labels, codes: readonly string[] | undefined) =>
  codes && codes.length > 0 ? codes.map((c) => labels[c] ?? c).join('、') : null;

/** The cells of a record in sheet order (numbers as given: full or already masked). */
export function rowOf(data: ElderData, facts?: ExportFacts): (string | number | null)[] {
  const children = data.supporters.filter((s) => s.kind === 'child');
  const cells: Record<ColumnKey, string | number | null> = {
    name: data.name,
    idNumber: data.idNumber,
    ethnicity: data.ethnicity ?? null,
    registeredAddress: data.registeredAddress ?? null,
    villageCode: data.villageCode,
    addressDetail: data.addressDetail ?? null,
    livesAtRegisteredPlace: yesNo(data.livesAtRegisteredPlace),
    phone: data.phone ?? null,
    emergencyName: data.emergencyContact?.name ?? null,
    emergencyPhone: data.emergencyContact?.phone ?? null,
    disabled: yesNo(data.disability?.disabled),
    certificateNumber: data.disability?.certificateNumber ?? null,
    disabilityGrade: data.disability?.grade ?? null,
    health: labelOf(HEALTH_LABELS, data.health),
    diseases: data.diseases ?? null,
    livingSituation: labelOf(LIVING_SITUATION_LABELS, data.livingSituation),
    incomeSources: labelsOf(INCOME_SOURCE_LABELS, data.incomeSources),
    assistance: labelOf(ASSISTANCE_LABELS, data.assistance),
    monthlyHouseholdIncome: data.monthlyHouseholdIncome ?? null,
    safeWater: yesNo(data.livingConditions.safeWater),
    safeElectricity: yesNo(data.livingConditions.safeElectricity),
    safeHousing: yesNo(data.livingConditions.safeHousing),
    categories: labelsOf(CATEGORY_LABELS, data.categories),
    caregiverName: data.caregiver?.name ?? null,
    caregiverRelation: data.caregiver?.relation ?? null,
    caregiverPhone: data.caregiver?.phone ?? null,
    caregiverAddress: data.caregiver?.address ?? null,
    recordDate: data.recordDate ?? null,
    ...childCells(children),
  } as Record<ColumnKey, string | number | null>;
  const row = COLUMNS.map((c) => cells[c.key] ?? null);
  if (facts) {
    row.push(
      GENDER_LABELS[facts.gender],
      facts.birthDate,
      TIER_LABELS[facts.tier],
      ELDER_STATUS_LABELS[facts.status],
      labelsOf(CATEGORY_LABELS, facts.categories),
    );
  }
  return row;
}

function childCells(children: Supporter[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (let i = 1; i <= CHILD_SLOTS; i++) {
    const c = children[i - 1];
    const [name, phone, place, since, frequency] = childKeys(i);
    out[name] = c?.name ?? null;
    out[phone] = c?.phone ?? null;
    out[place] = c?.workPlace ?? null;
    out[since] = c?.awaySince ?? null;
    out[frequency] = c?.returnFrequency ?? null;
  }
  return out;
}

/** Numeric columns; every other column is text, so that ID numbers and codes keep their digits. */
const NUMERIC = new Set<ColumnKey>(['disabilityGrade', 'monthlyHouseholdIncome']);

/** The 填写说明 rows: general notes, then one row per column. */
export function guideRows(): (string | null)[][] {
  return [
    ['探访关爱 摸底登记表 填写说明'],
    [],
    ['1. 在“摸底登记”工作表中每位老人填一行，第一行是表头，请勿修改表头和工作表名称。'],
    [
      '2. 家庭成员、已享受帮扶情况、补贴领取情况等多条记录的内容，请在控制台老人详情页录入；导入不会改动这些内容。',
    ],
    [
      '3. 系统按身份证号识别老人：再次导入时，已登记的老人按表中内容更新（空单元格表示清除该项），未变化的不改动，不会重复登记。村(居)之间迁移请在台账中办理“迁出”。',
    ],
    [
      '4. 导入时可选择“全部有效才导入”（任何一行有误则不写入任何数据）或“只导入有效行”；每行的错误都会在导入报告中列出行号、列名和原因。',
    ],
    ['5. 不允许使用公式；单个文件最多 200000 行、50 MB；连续 1000 个空行之后的内容不再读取。'],
    [
      '6. 全部子女外出满半年的自动认定为留守，残疾等级一、二级自动认定为重残，80 周岁以上自动认定为高龄，健康状况“失能”自动认定为失能；不满 60 周岁的不能登记。',
    ],
    ['7. 从台账导出的文件（选择完整号码）可直接编辑后再导入；“仅导出”的列在导入时忽略。'],
    [],
    ['列名', '是否必填', '填写说明'],
    ...COLUMNS.map((c) => [c.header, c.required ? '必填' : '选填', c.help]),
  ];
}

/** The header row of the sheet; with the export-only columns when `facts`. */
export function headerRow(withFacts: boolean): string[] {
  return [...COLUMNS.map((c) => c.header), ...(withFacts ? EXPORT_ONLY_HEADERS : [])];
}

/**
 * Writes a workbook (摸底登记 + 填写说明) to `stream` as rows come, with exceljs's streaming
 * writer: memory stays flat however many rows. Resolves when the file is complete.
 */
export async function writeLedgerWorkbook(
  stream: Writable,
  rows: AsyncIterable<(string | number | null)[]> | Iterable<(string | number | null)[]>,
  options: { withFacts?: boolean } = {},
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '探访关爱 tanfang';
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = headerRow(options.withFacts ?? false);
  sheet.columns = headers.map((header, i) => {
    const c = COLUMNS[i];
    return {
      header,
      width: c?.width ?? 14,
      style: c && NUMERIC.has(c.key) ? {} : { numFmt: '@' },
    };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let n = 0;
  for await (const row of rows) {
    sheet.addRow(row).commit();
    n += 1;
  }
  sheet.commit();
  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ width: 26 }, { width: 10 }, { width: 100 }];
  for (const r of guideRows()) guide.addRow(r).commit();
  guide.commit();
  await workbook.commit();
  return n;
}

/** The empty template: 摸底登记 (header, text-formatted columns, drop-downs) and 填写说明. */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '探访关爱 tanfang';
  const sheet = workbook.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: NUMERIC.has(c.key) ? {} : { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  const lastRow = 5001;
  COLUMNS.forEach((c, i) => {
    const letter = sheet.getColumn(i + 1).letter;
    const options =
      c.kind.type === 'yesno'
        ? ['是', '否']
        : c.kind.type === 'label' && c.key !== 'ethnicity'
          ? Object.values(c.kind.labels)
          : undefined;
    if (!options) return;
    // exceljs supports range validations at run time; its typings know only the per-cell one.
    const validations = (
      sheet as unknown as {
        dataValidations: { add(range: string, v: ExcelJS.DataValidation): void };
      }
    ).dataValidations;
    validations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${options.join(',')}"`],
      showErrorMessage: true,
      errorTitle: c.name,
      error: `请选择：${options.join('、')}`,
    });
  });
  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ width: 26 }, { width: 10 }, { width: 100 }];
  for (const r of guideRows()) guide.addRow(r);
  guide.getRow(1).font = { bold: true, size: 14 };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
