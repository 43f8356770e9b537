/**
 * Opens an uploaded .xlsx defensively, before any XML parser sees it.
 *
 * An .xlsx is a zip. Its central directory is read first and the file is refused when it is not
 * a zip, is encrypted, holds too many entries, or declares more than `maxUncompressedBytes`
 * uncompressed (or an absurd compression ratio): a zip bomb is refused on what it declares. The
 * workbook's sheet list is read to find the one sheet wanted. exceljs's streaming reader then gets
 * a rebuilt zip holding only that sheet and the shared strings, each inflated here with a
 * byte count: an entry that inflates to more than it declared is cut off at the declared size and
 * the import is refused, so what the parser sees is bounded by what passed the first check.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../../http/errors.js';

/** Limits on an uploaded workbook. */
export interface XlsxLimits {
  /** Largest file, bytes (the HTTP route's body limit is the same). */
  maxFileBytes: number;
  /** Largest total uncompressed size the zip may declare, bytes. */
  maxUncompressedBytes: number;
  /** Largest uncompressed size of the shared strings, which are kept in memory, bytes. */
  maxSharedStringsBytes: number;
  /** Largest compression ratio of an entry over 1 MB uncompressed. */
  maxRatio: number;
  /** Most entries. */
  maxEntries: number;
}

const MB = 1024 * 1024;

/** The limits in force unless a caller (a test) passes others. */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxFileBytes: 50 * MB,
  maxUncompressedBytes: 300 * MB,
  maxSharedStringsBytes: 120 * MB,
  maxRatio: 500,
  maxEntries: 10_000,
};

/** A refusal of the file as a whole (nothing is written). */
export function fileRefused(code: string, message: string, status = 400): AppError {
  return new AppError(status, code, message, 'file');
}

const corrupt = (why: string) =>
  fileRefused(
    'file_corrupt',
    `文件已损坏，无法读取（${why}）。请用 Excel 或 WPS 重新保存为 .xlsx 后再导入`,
  );
const bomb = (message: string) => fileRefused('zip_bomb', message);
const mb = (bytes: number) => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);

/** One entry of the zip's central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Reads the central directory and refuses what is not a plain, reasonably sized .xlsx. */
export function readZipDirectory(
  buf: Buffer,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): ZipEntry[] {
  if (buf.length === 0) throw fileRefused('empty_file', '上传的文件是空的');
  if (buf.length > limits.maxFileBytes) {
    throw fileRefused(
      'file_too_large',
      `文件过大（${mb(buf.length)} MB），上限为 ${mb(limits.maxFileBytes)} MB，请拆分后分批导入`,
      413,
    );
  }
  if (buf.length >= 4 && buf.subarray(0, 4).equals(OLE)) {
    throw fileRefused(
      'not_xlsx',
      '这是旧版 Excel（.xls）文件或设置了密码的工作簿，请在 Excel 中“另存为” .xlsx（不设密码）后再导入',
    );
  }
  if (buf.length < 22 || buf.readUInt32LE(0) !== SIG_LOCAL) {
    throw fileRefused('not_xlsx', '文件不是 .xlsx 格式的 Excel 工作簿，请下载模板填写后上传');
  }
  let end = -1;
  for (let i = buf.length - 22, stop = Math.max(0, buf.length - 22 - 0xffff); i >= stop; i--) {
    if (buf.readUInt32LE(i) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw corrupt('找不到 zip 目录，文件可能不完整');
  let count = buf.readUInt16LE(end + 10);
  let cdSize = buf.readUInt32LE(end + 12);
  let cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== SIG_END64_LOCATOR)
      throw corrupt('zip64 目录缺失');
    const record = Number(buf.readBigUInt64LE(locator + 8));
    if (record < 0 || record + 56 > buf.length || buf.readUInt32LE(record) !== SIG_END64)
      throw corrupt('zip64 目录损坏');
    count = Number(buf.readBigUInt64LE(record + 32));
    cdSize = Number(buf.readBigUInt64LE(record + 40));
    cdOffset = Number(buf.readBigUInt64LE(record + 48));
  }
  if (count > limits.maxEntries) {
    throw bomb(
      `文件包含 ${count} 个压缩条目，超过上限 ${limits.maxEntries}，可能是恶意文件，已拒绝`,
    );
  }
  if (cdOffset + cdSize > buf.length) throw corrupt('zip 目录越界');

  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL)
      throw corrupt('zip 目录条目损坏');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength > buf.length) throw corrupt('zip 目录条目越界');
    const name = buf.toString('utf8', p + 46, nameEnd);
    // zip64: the sizes that do not fit 32 bits are in the extra field 0x0001, in this order.
    if (
      uncompressedSize === 0xffffffff ||
      compressedSize === 0xffffffff ||
      localOffset === 0xffffffff
    ) {
      let q = nameEnd;
      const extraEnd = nameEnd + extraLength;
      while (q + 4 <= extraEnd) {
        const id = buf.readUInt16LE(q);
        const size = buf.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const next = () => {
            if (r + 8 > q + 4 + size) throw corrupt('zip64 扩展字段损坏');
            const v = Number(buf.readBigUInt64LE(r));
            r += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
          break;
        }
        q += 4 + size;
      }
    }
    if (flags & 0x1) {
      throw fileRefused('not_xlsx', '工作簿设置了密码（已加密），请取消密码后另存为 .xlsx 再导入');
    }
    if (method !== 0 && method !== 8) throw corrupt(`不支持的压缩方式 ${method}`);
    if (method === 0 && compressedSize !== uncompressedSize) throw corrupt(`${name} 的大小不一致`);
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw bomb(
        `文件解压后超过 ${mb(limits.maxUncompressedBytes)} MB（仅 ${name} 就声明了 ${mb(uncompressedSize)} MB），可能是恶意的“压缩炸弹”，已拒绝`,
      );
    }
    if (uncompressedSize > MB && uncompressedSize / Math.max(1, compressedSize) > limits.maxRatio) {
      throw bomb(
        `文件中 ${name} 的压缩比异常（${Math.round(uncompressedSize / Math.max(1, compressedSize))} 倍），可能是恶意的“压缩炸弹”，已拒绝`,
      );
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localOffset });
    p = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Where an entry's compressed bytes lie. */
function dataOf(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== SIG_LOCAL)
    throw corrupt(`${entry.name} 的位置不正确`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw corrupt(`${entry.name} 不完整`);
  return buf.subarray(start, end);
}

/** Inflates a small entry whole (the workbook's sheet list), capped. */
function inflateSmall(buf: Buffer, entry: ZipEntry, max = 8 * MB): string {
  const data = dataOf(buf, entry);
  if (entry.method === 0) return data.toString('utf8');
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: max }).toString('utf8');
  } catch {
    throw corrupt(`${entry.name} 无法解压`);
  }
}

const decodeXml = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The attributes of every `<tag …>` element (any namespace prefix). */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<(?:[\\w.-]+:)?${tag}\\b([^>]*)>`, 'g');
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      const key = a[1]!.includes(':') ? a[1]!.slice(a[1]!.indexOf(':') + 1) : a[1]!;
      attrs[a[1]!] = decodeXml(a[3] ?? a[4] ?? '');
      attrs[key] ??= attrs[a[1]!]!;
    }
    out.push(attrs);
  }
  return out;
}

/** The one sheet to read, its shared strings, and the workbook's date system. */
export interface SheetPlan {
  buf: Buffer;
  sheet: ZipEntry;
  sharedStrings: ZipEntry | undefined;
  /** Whether dates count from 1904 (old Mac Excel). */
  date1904: boolean;
  /** The sheets the workbook has, for messages. */
  sheetNames: string[];
}

/** Finds the sheet named `sheetName`; refuses the file, naming the sheets it has, when there is none. */
export function planSheet(
  buf: Buffer,
  entries: ZipEntry[],
  sheetName: string,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): SheetPlan {
  const byName = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
  const workbook = byName.get('xl/workbook.xml');
  if (!workbook) {
    throw fileRefused(
      'not_xlsx',
      '文件不是 Excel 工作簿（缺少 xl/workbook.xml），请下载模板填写后上传',
    );
  }
  const wbXml = inflateSmall(buf, workbook);
  const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
  const rels = relsEntry ? elements(inflateSmall(buf, relsEntry), 'Relationship') : [];
  const sheets = elements(wbXml, 'sheet').filter((s) => s['name'] !== undefined);
  const sheetNames = sheets.map((s) => s['name']!);
  const wanted = sheets.find((s) => s['name']!.trim() === sheetName);
  if (!wanted) {
    throw fileRefused(
      'sheet_missing',
      `找不到名为“${sheetName}”的工作表（文件中的工作表：${sheetNames.join('、') || '无'}）。请使用下载的模板，不要修改工作表名称`,
    );
  }
  const target = (id: string | undefined) => {
    const rel = rels.find((r) => r['Id'] === id);
    if (!rel?.['Target']) return undefined;
    const t = rel['Target'];
    return t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}`;
  };
  const sheetPath = target(wanted['r:id'] ?? wanted['id']);
  const sheet = sheetPath ? byName.get(sheetPath) : undefined;
  if (!sheet) throw corrupt(`工作表“${sheetName}”的内容缺失`);
  const ssRel = rels.find((r) => /\/sharedStrings$/.test(r['Type'] ?? ''));
  const ssPath = ssRel ? target(ssRel['Id']) : 'xl/sharedStrings.xml';
  const sharedStrings = ssPath ? byName.get(ssPath) : undefined;
  if (sharedStrings && sharedStrings.uncompressedSize > limits.maxSharedStringsBytes) {
    throw bomb(
      `文件的共享文本表声明了 ${mb(sharedStrings.uncompressedSize)} MB，超过上限 ${mb(limits.maxSharedStringsBytes)} MB，已拒绝`,
    );
  }
  const pr = elements(wbXml, 'workbookPr')[0];
  const date1904 = pr?.['date1904'] === '1' || pr?.['date1904'] === 'true';
  return { buf, sheet, sharedStrings, date1904, sheetNames };
}

/** Why a sheet stream stopped short: set while streaming, checked by the reader. */
export interface StreamGuard {
  error?: AppError;
}

const EMPTY_RELS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
);
const EMPTY_SST = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

function localHeader(name: string, size: number): Buffer {
  const n = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(SIG_LOCAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(n.length, 26);
  return Buffer.concat([h, n]);
}

function centralDirectory(
  items: { name: string; size: number; offset: number }[],
  at: number,
): Buffer {
  const parts: Buffer[] = [];
  for (const it of items) {
    const n = Buffer.from(it.name, 'utf8');
    const h = Buffer.alloc(46);
    h.writeUInt32LE(SIG_CENTRAL, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(0x0800, 8);
    h.writeUInt32LE(it.size, 20);
    h.writeUInt32LE(it.size, 24);
    h.writeUInt16LE(n.length, 28);
    h.writeUInt32LE(it.offset, 42);
    parts.push(h, n);
  }
  const cd = Buffer.concat(parts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([cd, end]);
}

const CHUNK = 64 * 1024;

/** An entry's bytes, inflated as they are read. */
async function* entryBytes(buf: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  const data = dataOf(buf, entry);
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
    return;
  }
  const inflater = zlib.createInflateRaw({ chunkSize: CHUNK });
  inflater.end(data);
  for await (const chunk of inflater) yield chunk as Buffer;
}

/** Where the last complete UTF-8 character of `b` ends. */
export function utf8Boundary(b: Buffer): number {
  for (let i = b.length - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const byte = b[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return b.length - i >= need ? b.length : i;
  }
  return b.length;
}

/**
 * The chunks re-cut so that none ends inside a UTF-8 character: exceljs's streaming reader decodes
 * every chunk on its own (TextDecoder without `stream: true`), which garbles a Chinese character
 * split across two chunks.
 */
async function* utf8Chunks(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const raw of chunks) {
    const chunk = carry ? Buffer.concat([carry, raw]) : raw;
    const end = utf8Boundary(chunk);
    carry = end < chunk.length ? chunk.subarray(end) : undefined;
    if (end > 0) yield chunk.subarray(0, end);
  }
  if (carry) yield carry;
}

/**
 * A zip stream for exceljs with only the planned sheet (as `xl/worksheets/sheet1.xml`) and the
 * shared strings, every entry stored with its declared size. An entry that inflates to more is
 * cut at that size, one that is damaged or shorter is padded; either way `guard.error` says why,
 * and the stream itself stays well-formed so the parser never waits for bytes that will not come.
 */
export function sheetStream(plan: SheetPlan, guard: StreamGuard): Readable {
  const parts: { name: string; entry?: ZipEntry; data?: Buffer }[] = [
    { name: 'xl/_rels/workbook.xml.rels', data: EMPTY_RELS },
    plan.sharedStrings
      ? { name: 'xl/sharedStrings.xml', entry: plan.sharedStrings }
      : { name: 'xl/sharedStrings.xml', data: EMPTY_SST },
    { name: 'xl/worksheets/sheet1.xml', entry: plan.sheet },
  ];
  async function* generate(): AsyncGenerator<Buffer> {
    const written: { name: string; size: number; offset: number }[] = [];
    let offset = 0;
    for (const part of parts) {
      const size = part.entry ? part.entry.uncompressedSize : part.data!.length;
      const header = localHeader(part.name, size);
      written.push({ name: part.name, size, offset });
      offset += header.length + size;
      yield header;
      if (part.data) {
        yield part.data;
        continue;
      }
      const entry = part.entry!;
      let sent = 0;
      try {
        for await (const chunk of utf8Chunks(entryBytes(plan.buf, entry))) {
          const room = size - sent;
          if (chunk.length > room) {
            guard.error ??= bomb(
              `文件中 ${entry.name} 解压后的实际大小超过了它声明的 ${mb(size)} MB，可能是恶意的“压缩炸弹”，已拒绝`,
            );
            if (room > 0) yield chunk.subarray(0, room);
            sent = size;
            break;
          }
          sent += chunk.length;
          yield chunk;
        }
      } catch (error) {
        guard.error ??= error instanceof AppError ? error : corrupt(`${entry.name} 无法解压`);
      }
      if (sent < size) {
        guard.error ??= corrupt(`${entry.name} 比声明的短`);
        const blank = Buffer.alloc(CHUNK, 0x20);
        for (let left = size - sent; left > 0; left -= CHUNK) {
          yield left >= CHUNK ? blank : blank.subarray(0, left);
        }
      }
    }
    yield centralDirectory(written, offset);
  }
  return Readable.from(generate(), { objectMode: false, highWaterMark: CHUNK });
}
