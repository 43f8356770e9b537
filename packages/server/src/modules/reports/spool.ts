/**
 * A temporary file of JSON lines: what one pass over the data has to say later, kept on disk
 * instead of in memory (the incomplete records of a county, while its summary is counted).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

/** A write-once, read-once temporary file of JSON values, one a line. */
export class Spool<T> {
  private out: WriteStream | undefined;
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  /** A new, empty spool in the system's temporary directory. */
  static async create<T>(prefix: string): Promise<Spool<T>> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `tanfang-${prefix}-`));
    const spool = new Spool<T>(dir, path.join(dir, 'lines.jsonl'));
    spool.out = createWriteStream(spool.file, { mode: 0o600 });
    return spool;
  }

  /** How many values were written. */
  get size(): number {
    return this.count;
  }

  /** Appends a value, waiting when the disk is behind. */
  async write(value: T): Promise<void> {
    this.count += 1;
    if (!this.out!.write(`${JSON.stringify(value)}\n`)) await once(this.out!, 'drain');
  }

  /** Finishes writing; the values can then be read. */
  async close(): Promise<void> {
    const out = this.out!;
    out.end();
    if (!out.closed) await once(out, 'close');
  }

  /** The values in the order written. */
  async *read(): AsyncGenerator<T> {
    const lines = readline.createInterface({
      input: createReadStream(this.file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) if (line) yield JSON.parse(line) as T;
  }

  /** Removes the file (always: call in `finally`). */
  async dispose(): Promise<void> {
    this.out?.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
