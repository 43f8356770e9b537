import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { LEDGER_SHEET } from './ledger-sheet.js';
import { LedgerSheetReader } from './sheet-reader.js';
import { headerCells, rowXml, sheetXml, workbookOf, zipOf } from './xlsx-fixtures.js';
import { DEFAULT_XLSX_LIMITS, planSheet, readZipDirectory, utf8Boundary } from './xlsx-guard.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, code: e.code, message: e.message };
    throw e;
  }
  throw new Error('not refused');
};

async function readAll(file: Buffer, limits = { maxRows: 200_000, maxEmptyRun: 1_000 }) {
  const plan = planSheet(file, readZipDirectory(file), LEDGER_SHEET);
  const rows: { rowNumber: number; values: unknown[] }[] = [];
  for await (const r of new LedgerSheetReader(plan, limits).rows()) rows.push(r);
  return rows;
}

async function refusalOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

const header = rowXml(1, headerCells());

describe('opening an uploaded workbook', () => {
  it('refuses what is not a plain .xlsx before parsing any of it', () => {
    expect(refusal(() => readZipDirectory(Buffer.alloc(0)))).toMatchObject({ code: 'empty_file' });
    expect(refusal(() => readZipDirectory(Buffer.from('姓名,身份证号\n')))).toMatchObject({
      code: 'not_xlsx',
      message: '文件不是 .xlsx 格式的 Excel 工作簿，请下载模板填写后上传',
    });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(600)]);
    expect(refusal(() => readZipDirectory(xls)).message).toContain('旧版 Excel（.xls）');
    const ok = workbookOf(sheetXml(header));
    expect(refusal(() => readZipDirectory(ok.subarray(0, ok.length - 30))).code).toBe(
      'file_corrupt',
    );
    const big = Buffer.alloc(DEFAULT_XLSX_LIMITS.maxFileBytes + 1);
    expect(refusal(() => readZipDirectory(big))).toMatchObject({ status: 413 });
  });

  it('refuses a zip bomb on its declared sizes: the total, and an absurd ratio', () => {
    const total = zipOf([
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: 'x', declaredSize: 400 * 1024 * 1024 },
    ]);
    expect(refusal(() => readZipDirectory(total))).toMatchObject({
      code: 'zip_bomb',
      message: expect.stringContaining('文件解压后超过 300 MB'),
    });
    const ratio = zipOf([{ name: 'a.xml', data: ' '.repeat(4 * 1024 * 1024) }]);
    expect(refusal(() => readZipDirectory(ratio)).message).toContain('压缩比异常');
    const many = zipOf(Array.from({ length: 20 }, (_, i) => ({ name: `e${i}`, data: 'x' })));
    expect(
      refusal(() => readZipDirectory(many, { ...DEFAULT_XLSX_LIMITS, maxEntries: 10 })).code,
    ).toBe('zip_bomb');
  });

  it('names the sheets a workbook has when 摸底登记 is not among them', () => {
    const file = workbookOf(sheetXml(header), { sheetName: '老人名单' });
    expect(refusal(() => planSheet(file, readZipDirectory(file), LEDGER_SHEET))).toMatchObject({
      code: 'sheet_missing',
      message: expect.stringContaining('文件中的工作表：老人名单'),
    });
  });
});

describe('reading the census sheet', () => {
  it('keeps Chinese text intact where the stream is cut into chunks', async () => {
    const names = Array.from({ length: 4000 }, (_, i) => `王秀英${'张桂兰'.repeat(i % 7)}${i}`);
    const rows = await readAll(
      workbookOf(sheetXml(header + names.map((n, i) => rowXml(i + 2, [n])).join(''))),
    );
    expect(rows.map((r) => r.values[1])).toEqual(names);
  });

  it('stops at an entry that inflates to more than it declares, and at a damaged one', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => rowXml(i + 2, ['某人'])).join('');
    const liar = workbookOf(sheetXml(header + rows), { declaredSize: 20_000 });
    expect(await refusalOf(readAll(liar))).toMatchObject({
      code: 'zip_bomb',
      message: expect.stringContaining('解压后的实际大小超过了它声明的'),
    });
    const short = workbookOf(sheetXml(header + rows), { declaredSize: 2_000_000 });
    expect((await refusalOf(readAll(short))).code).toBe('file_corrupt');
  });

  it('stops reading after 1,000 empty rows, so a row at 1,000,000 costs nothing', async () => {
    const sparse = workbookOf(
      sheetXml(header + rowXml(2, ['甲']) + rowXml(3, ['乙']) + rowXml(1_000_000, ['丙'])),
    );
    expect((await readAll(sparse)).map((r) => r.rowNumber)).toEqual([2, 3]);
    const gaps = workbookOf(sheetXml(header + rowXml(2, ['甲']) + rowXml(900, ['乙'])));
    expect((await readAll(gaps)).map((r) => r.rowNumber)).toEqual([2, 900]);
  });

  it('refuses more data rows than the cap, and a sheet without its header', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => rowXml(i + 2, [`人${i}`])).join('');
    expect(
      await refusalOf(
        readAll(workbookOf(sheetXml(header + rows)), { maxRows: 5, maxEmptyRun: 1000 }),
      ),
    ).toEqual({
      code: 'too_many_rows',
      message: '文件超过 5 行的上限（不含表头），请拆分后分批导入；未写入任何数据',
    });
    expect((await refusalOf(readAll(workbookOf(sheetXml(''))))).message).toContain('是空的');
  });

  it('finds where the last whole UTF-8 character of a chunk ends', () => {
    const text = Buffer.from('a王');
    expect(utf8Boundary(text)).toBe(4);
    expect(utf8Boundary(text.subarray(0, 3))).toBe(1);
    expect(utf8Boundary(text.subarray(0, 2))).toBe(1);
    expect(utf8Boundary(Buffer.from('abc'))).toBe(3);
  });
});
