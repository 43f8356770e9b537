import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** One measured row. */
export interface Row {
  what: string;
  database: string;
  n: number;
  p50: number;
  p95: number;
  /** Reported when the target is a p99. */
  p99?: number;
  unit: string;
  target?: string;
}

/** Percentile of a sample, by nearest rank. */
export function percentile(sample: number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** Times `fn` `n` times after `warm` warm-up runs; milliseconds per run. */
export async function timeIt(
  n: number,
  fn: (i: number) => Promise<unknown>,
  warm = 3,
): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** The machine, for the record. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Prints the table and appends it, with machine and date, to docs/perf.md. */
export function report(title: string, rows: Row[], notes: string[] = []): void {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const p99 = rows.some((r) => r.p99 !== undefined);
  const lines = [
    `| what | database | n | p50 | p95 |${p99 ? ' p99 |' : ''} unit | target |`,
    `|---|---|---:|---:|---:|${p99 ? '---:|' : ''}---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.database} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} |${p99 ? ` ${r.p99 === undefined ? '—' : f(r.p99)} |` : ''} ${r.unit} | ${r.target ?? '—'} |`,
    ),
  ];
  console.log(`\n${title}\n`);
  console.log(lines.join('\n'));
  const doc = fileURLToPath(new URL('../../docs/perf.md', import.meta.url));
  const section = [
    '',
    `## ${title} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine()}.`,
    '',
    ...lines,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  fs.appendFileSync(doc, section.join('\n'));
  console.log(`\n已追加到 docs/perf.md`);
}
