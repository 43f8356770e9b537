import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElderFields } from '@tanfang/domain';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DONGCHA, buildElder, idNumber } from '../../test/factories.js';
import { LEDGER_SHEET, rowOf, templateWorkbook } from './ledger-sheet.js';

const CLI = fileURLToPath(new URL('../../../bin/tanfang.js', import.meta.url));

async function censusFile(file: string, elders: ReturnType<typeof buildElder>[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await templateWorkbook());
  const sheet = workbook.getWorksheet(LEDGER_SHEET)!;
  for (const e of elders) sheet.addRow(rowOf(ElderFields.parse(e)));
  fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
}

async function reportLines(file: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: unknown[][] = [];
  workbook.getWorksheet('错误')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

// The CLI runs the compiled server (bin/tanfang.js → dist): build before running this suite.
describe('npx tanfang import elders [pglite]', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const first = buildElder({ name: '命令行甲', idNumber: idNumber('19360606') });
  const second = buildElder({ name: '命令行乙', idNumber: idNumber('19370707'), supporters: [] });
  const young = buildElder({ name: '命令行丙', idNumber: idNumber('19670601') });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-cli-import-'));
    env = {
      ...process.env,
      TANFANG_DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: '',
      TANFANG_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', input: '' });
    return { status: r.status, out: r.stdout, err: r.stderr };
  };

  it('imports valid rows with a progress bar, writes the report beside the file and exits 1 for the refused row', async () => {
    const file = path.join(dir, '东岔村摸底.xlsx');
    await censusFile(file, [first, second, young]);
    const r = run('import', 'elders', file, '--region', DONGCHA, '--mode', 'valid_only');
    expect(r.status, r.err).toBe(1);
    expect(r.err).toMatch(/已读 3 行 · 有效 \d · 无效 \d · [\d,]+ 行\/秒/);
    expect(r.out).toContain(
      '导入完成：读取 3 行，有效 2，无效 1；新增 2，更新 0，未变化 0，跳过 1',
    );
    expect(r.out).toContain('第 4 行“身份证号”：该人员在 2026-11-01 为 59 周岁，未满 60 周岁');
    const report = path.join(dir, '东岔村摸底.report.xlsx');
    expect(r.out).toContain(`导入报告：${report}`);
    expect(await reportLines(report)).toContainEqual([
      4,
      '身份证号',
      expect.stringContaining('未满 60 周岁'),
    ]);
  });

  it('updates on a second run, saying what changed, and exits 0 when every row is taken', async () => {
    const file = path.join(dir, '复查.xlsx');
    await censusFile(file, [{ ...first, health: 'partially_disabled' }, second]);
    const r = run('import', 'elders', file, '--region', DONGCHA);
    expect(r.status, r.err + r.out).toBe(0);
    expect(r.out).toContain('新增 0，更新 1，未变化 1，跳过 0');
    expect(r.out).toContain('更新的内容：健康状况 1 人');
    expect(fs.existsSync(path.join(dir, '复查.report.xlsx'))).toBe(false);
  });

  it('writes nothing in all-or-nothing mode when a row is refused', async () => {
    const file = path.join(dir, '全有全无.xlsx');
    const third = buildElder({ name: '命令行丁', idNumber: idNumber('19380808') });
    await censusFile(file, [third, young]);
    const r = run('import', 'elders', file, '--region', DONGCHA);
    expect(r.status).toBe(1);
    expect(r.out).toContain('新增 0，更新 0，未变化 0，跳过 2');
    expect(r.out).toContain('未写入任何数据');
    const again = run('import', 'elders', file, '--region', DONGCHA, '--mode', 'valid_only');
    expect(again.out).toContain('新增 1');
  });

  it('refuses an unknown region, a missing file and a file that is not a workbook, naming them', () => {
    const file = path.join(dir, '东岔村摸底.xlsx');
    const region = run('import', 'elders', file, '--region', '210624109999');
    expect(region.status).toBe(1);
    expect(region.err).toContain('区划代码 210624109999 不存在');
    const missing = run('import', 'elders', path.join(dir, 'nope.xlsx'), '--region', DONGCHA);
    expect(missing.err).toContain('nope.xlsx 不存在');
    const text = path.join(dir, 'notes.xlsx');
    fs.writeFileSync(text, '这不是工作簿');
    const notXlsx = run('import', 'elders', text, '--region', DONGCHA);
    expect(notXlsx.status).toBe(1);
    expect(notXlsx.err).toContain('文件不是 .xlsx 格式的 Excel 工作簿');
    expect(notXlsx.err).not.toMatch(/\n\s+at /);
  });
});
