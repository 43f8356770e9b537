import { ElderFields } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import {
  COLUMNS,
  canonicalJson,
  changedFields,
  columnOfPath,
  headerName,
  matchHeaders,
  mergeImported,
  readRow,
  rowOf,
  type HeaderMap,
} from './ledger-sheet.js';

const header: HeaderMap = new Map(COLUMNS.map((c, i) => [c.key, i + 1]));
const at = (headerText: string) => COLUMNS.findIndex((c) => c.header === headerText) + 1;

/** A row of cells (1-based, as exceljs gives them) from header → value. */
function row(cells: Record<string, unknown>): unknown[] {
  const values: unknown[] = [];
  for (const [h, v] of Object.entries(cells)) {
    const i = at(h);
    if (i === 0) throw new Error(`no column ${h}`);
    values[i] = v;
  }
  return values;
}

const base = {
  姓名: '王秀英',
  身份证号: '210624194803150020',
  '居住村(居)代码': '210624101201',
};

describe('the census sheet', () => {
  it('matches headers by name, ignoring the bracketed hint, spaces and bracket widths', () => {
    expect(headerName('是否残疾（是/否）')).toBe('是否残疾');
    expect(headerName(' 居住村（居）代码 ')).toBe('居住村(居)代码');
    const cells = [undefined, ...COLUMNS.map((c) => c.header.replace('（', '('))];
    expect(matchHeaders(cells).problems).toEqual([]);
  });

  it('names every missing column and a column given twice, and ignores unknown ones', () => {
    const cells = [undefined, ...COLUMNS.map((c) => c.header), '分级（仅导出）', '姓名'];
    cells[2] = '证件号';
    cells[5] = '村代码';
    expect(matchHeaders(cells).problems).toEqual([
      '缺少列：“身份证号”、“居住村(居)代码”',
      '“姓名”列出现了两次',
    ]);
  });

  it('reads Chinese labels into codes, and yes/no, grades, money, dates the way people type them', () => {
    const { input, errors } = readRow(
      row({
        ...base,
        '是否残疾（是/否）': '是',
        '残疾等级（1-4）': '一级',
        '健康状况（健康/部分失能/失能）': '部分失能',
        '经济来源（多项用、分隔）': '养老金，子女赡养、养老金',
        '低保/特困（无/低保/特困）': '特困',
        '家庭每月收入（元）': '1,200元',
        '饮水是否安全（是/否）': true,
        '类别（多项用、分隔）': '独居 高龄',
        子女2姓名: '李明',
        '子女2外出时间（YYYY-MM）': '2020年3月',
        '摸底日期（YYYY-MM-DD）': 46327, // an Excel day number: 2026-11-01
      }),
      header,
    );
    expect(errors).toEqual([]);
    expect(input).toMatchObject({
      disability: { disabled: true, grade: 1 },
      health: 'partially_disabled',
      incomeSources: ['pension', 'children'],
      assistance: 'extreme_poverty',
      monthlyHouseholdIncome: 1200,
      livingConditions: { safeWater: true },
      categories: ['living_alone', 'very_old'],
      supporters: [{ kind: 'child', name: '李明', awaySince: '2020-03' }],
      recordDate: '2026-11-01',
    });
  });

  it('refuses formulas, numbers that lost digits, masked numbers and unknown labels, naming the column', () => {
    const { errors } = readRow(
      row({
        姓名: { formula: 'A1', result: '王' },
        身份证号: 210624194803150000,
        联系电话: '139****0001',
        '生活状况（良好/一般/贫困）': '尚可',
        '是否残疾（是/否）': '有',
        '残疾等级（1-4）': 5,
        '摸底日期（YYYY-MM-DD）': '11/01/2026',
      }),
      header,
    );
    expect(errors.map((e) => [e.column, e.message])).toEqual([
      ['name', '不允许使用公式，请把公式替换为它的值（复制后“选择性粘贴—数值”）'],
      ['idNumber', '身份证号按数字保存时已丢失末尾几位，请把本列设为“文本”格式后重新填写'],
      ['phone', '电话已遮盖（导出时未选择完整号码），请填写完整号码或导出完整号码后再编辑导入'],
      ['disabled', '应填“是”或“否”，不能是“有”'],
      ['disabilityGrade', '残疾等级应为 1、2、3、4（或“一级”至“四级”）'],
      ['livingSituation', '“尚可”不是可选值；可选：良好、一般、贫困'],
      ['recordDate', '日期格式应为 YYYY-MM-DD，如 2026-11-01'],
    ]);
  });

  it('points a schema error inside a child to that child’s own column', () => {
    const { input, childSlots } = readRow(
      row({ ...base, 子女1姓名: '甲', '子女3外出时间（YYYY-MM）': '2020-01' }),
      header,
    );
    const parsed = ElderFields.safeParse(input);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['supporters', 1, 'name']);
    expect(columnOfPath(issue.path, childSlots)).toBe('child3Name');
  });

  it('writes a record as a row that reads back to the same record', () => {
    const data = ElderFields.parse({
      name: '王秀英',
      idNumber: '210624194803150020',
      villageCode: '210624101201',
      ethnicity: '满族',
      phone: '13904150001',
      emergencyContact: { name: '李明', phone: '13904150002' },
      disability: { disabled: true, grade: 2, certificateNumber: 'C1' },
      health: 'disabled',
      incomeSources: ['pension'],
      assistance: 'subsistence',
      monthlyHouseholdIncome: 900,
      livingConditions: { safeWater: false, safeHousing: true },
      categories: ['empty_nest'],
      supporters: [{ kind: 'child', name: '李明', awaySince: '2019-07', workPlace: '大连' }],
      caregiver: { name: '赵玉兰', relation: '邻居' },
      recordDate: '2026-11-01',
    });
    const values = [undefined, ...rowOf(data)];
    const back = readRow(values, header);
    expect(back.errors).toEqual([]);
    expect(canonicalJson(ElderFields.parse(back.input))).toBe(canonicalJson(data));
  });

  it('keeps what the sheet does not cover when it updates a record, and says what changed', () => {
    const existing = ElderFields.parse({
      ...{ name: '王秀英', idNumber: '210624194803150020', villageCode: '210624101201' },
      emergencyContact: { name: '李明', phone: '13904150002', relation: '儿子' },
      householdMembers: [{ name: '李强', relation: '孙子', livesWithElder: true }],
      supporters: [
        { kind: 'other_supporter', name: '王五', phone: '13904150009' },
        { kind: 'child', name: '李明', gender: 'male', awaySince: '2019-07' },
        { kind: 'child', name: '李红', awaySince: '2019-07' },
        { kind: 'child', name: '李军', awaySince: '2018-01' },
        { kind: 'child', name: '李四', awaySince: '2017-01' },
      ],
      recordDate: '2026-10-01',
    });
    const sheet = (children: { name: string; awaySince: string }[]) =>
      ElderFields.parse({
        name: '王秀英',
        idNumber: '210624194803150020',
        villageCode: '210624101201',
        health: 'disabled',
        emergencyContact: { name: '李明', phone: '13904150002' },
        supporters: children.map((c) => ({ kind: 'child', ...c })),
      });
    const three = sheet([
      { name: '李明', awaySince: '2020-03' },
      { name: '李红', awaySince: '2019-07' },
      { name: '李军', awaySince: '2018-01' },
    ]);
    const merged = mergeImported(existing, three);
    expect(merged.householdMembers).toEqual(existing.householdMembers);
    expect(merged.emergencyContact?.relation).toBe('儿子');
    expect(merged.recordDate).toBe('2026-10-01');
    // A fourth child cannot be in the sheet: it stays while the sheet's three slots are filled.
    expect(merged.supporters.map((s) => [s.name, s.awaySince, s.gender])).toEqual([
      ['王五', undefined, undefined],
      ['李明', '2020-03', 'male'],
      ['李红', '2019-07', undefined],
      ['李军', '2018-01', undefined],
      ['李四', '2017-01', undefined],
    ]);
    expect(changedFields(existing, merged)).toEqual(['health', 'supporters']);
    expect(changedFields(merged, mergeImported(merged, three))).toEqual([]);
    // Two children in the sheet: the elder has two.
    const two = sheet([
      { name: '李明', awaySince: '2020-03' },
      { name: '李红', awaySince: '2019-07' },
    ]);
    const fewer = mergeImported(existing, two);
    expect(fewer.supporters.map((s) => s.name)).toEqual(['王五', '李明', '李红']);
    expect(changedFields(fewer, mergeImported(fewer, two))).toEqual([]);
  });
});
