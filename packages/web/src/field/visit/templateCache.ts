/**
 * Form templates on the phone. Built-ins ship with the app; a version a city uploaded is fetched
 * while there is signal — every version the visitor's elders need, when the worklist loads — and
 * kept in IndexedDB per account, so the form opens offline with the version the server expects.
 */
import { BUILTIN_TEMPLATES, type FormTemplate, type TemplateSummaryDto } from '@tanfang/domain';
import { ApiError } from '../../api';
import { listStoredTemplates, putStoredTemplate } from './outboxDb';
import { visitApi } from './visitApi';

/** The newest version of each key the server listed at the last worklist load, per account. */
const newest = new Map<string, number>();
const newestKey = (userId: string, key: string) => `${userId}|${key}`;

/** A built-in template version. */
export function builtinVersion(key: string, version: number): FormTemplate | undefined {
  return BUILTIN_TEMPLATES.find((t) => t.key === key && t.version === version);
}

/** The newest version of a key among those listed (undefined when none). */
export function newestListed(
  items: readonly TemplateSummaryDto[],
  key: string,
): number | undefined {
  const versions = items.filter((i) => i.key === key).map((i) => i.version);
  return versions.length > 0 ? Math.max(...versions) : undefined;
}

/** The newest version the server named for a key at the last worklist load (this session). */
export function knownNewest(userId: string, key: string): number | undefined {
  return newest.get(newestKey(userId, key));
}

/**
 * Fetches and keeps the newest version of each key (online, when the worklist loads). A version
 * already kept is not fetched again: a stored version never changes.
 */
export async function keepTemplates(userId: string, keys: Iterable<string>): Promise<void> {
  const { items } = await visitApi.templates();
  const stored = await listStoredTemplates(userId);
  for (const key of new Set(keys)) {
    const version = newestListed(items, key);
    if (version === undefined) continue;
    const kept =
      builtinVersion(key, version) ??
      stored.find((s) => s.key === key && s.version === version)?.template;
    if (!kept) await putStoredTemplate(userId, await visitApi.template(key, version));
    newest.set(newestKey(userId, key), version);
  }
}

/** How long to wait for the server's list before using what the phone has (weak signal). */
const LIST_WAIT_MS = 6_000;

function withinWait<T>(p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ApiError(0, 'timeout', '网络太慢，已改用手机上的探访记录表')),
      LIST_WAIT_MS,
    );
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** A failure that means "no usable signal" rather than "the server said no". */
function unreachable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status >= 500);
}

async function storedVersions(userId: string, key: string): Promise<FormTemplate[]> {
  try {
    return (await listStoredTemplates(userId)).filter((s) => s.key === key).map((s) => s.template);
  } catch {
    return [];
  }
}

/** One version: built in, kept on the phone, or fetched (and then kept). */
async function exactVersion(userId: string, key: string, version: number): Promise<FormTemplate> {
  const b = builtinVersion(key, version);
  if (b) return b;
  const kept = (await storedVersions(userId, key)).find((t) => t.version === version);
  if (kept) return kept;
  const fetched = await visitApi.template(key, version);
  await putStoredTemplate(userId, fetched).catch(() => undefined);
  return fetched;
}

/**
 * The template of a key and version (a draft's or a queued visit's), or of a key's newest
 * version: the one the worklist load found (no network needed), else the server's list, else —
 * without signal — the newest version on the phone.
 */
export async function findTemplate(
  userId: string,
  key: string,
  version?: number,
): Promise<FormTemplate> {
  if (version !== undefined) {
    try {
      return await exactVersion(userId, key, version);
    } catch (e) {
      if (unreachable(e))
        throw new Error(`手机上没有探访记录表 ${key} 第 ${version} 版，请在有网络时重试`);
      throw e;
    }
  }
  const known = knownNewest(userId, key);
  if (known !== undefined) {
    try {
      return await exactVersion(userId, key, known);
    } catch {
      // Kept copy gone (storage cleared): ask the server below.
    }
  }
  if (navigator.onLine !== false) {
    try {
      const { items } = await withinWait(visitApi.templates());
      const listed = newestListed(items, key);
      if (listed !== undefined) return await withinWait(exactVersion(userId, key, listed));
    } catch (e) {
      if (!unreachable(e)) throw e;
    }
  }
  const local = [
    ...BUILTIN_TEMPLATES.filter((t) => t.key === key),
    ...(await storedVersions(userId, key)),
  ].sort((a, b) => b.version - a.version)[0];
  if (local) return local;
  throw new Error(
    navigator.onLine === false
      ? `手机上没有探访记录表 ${key}，请在有网络时打开任务列表后再试`
      : `找不到探访记录表 ${key}，请联系乡镇工作人员`,
  );
}
