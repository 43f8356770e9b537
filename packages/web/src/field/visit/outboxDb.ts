/**
 * The field app's IndexedDB database (`tanfang-field`): the outbox of visits to send, the drafts
 * of visits being filled in, and the uploaded form templates the visitor's elders need. Records
 * survive a reload, a closed tab and a dead battery. When IndexedDB cannot be opened (some
 * private modes), records are kept in memory for the session and the caller is told so.
 */
import type { FormTemplate } from '@tanfang/domain';
import type { VisitDraft } from './draftRules';
import type { OutboxVisit } from './outboxTypes';

const DB_NAME = 'tanfang-field';
/** 1: the outbox. 2: drafts and templates (an existing outbox is kept as it is). */
const DB_VERSION = 2;
/** How long to wait for another tab of an older version to let go before working in memory. */
const BLOCKED_MS = 5_000;

const OUTBOX = 'outbox';
const DRAFTS = 'drafts';
const TEMPLATES = 'templates';
type StoreName = typeof OUTBOX | typeof DRAFTS | typeof TEMPLATES;

/** An uploaded template version kept for one account, so its form opens offline. */
export interface StoredTemplate {
  /** `userId|key@version`. */
  id: string;
  userId: string;
  key: string;
  version: number;
  template: FormTemplate;
  storedAt: string;
}

/** The key of a stored template. */
export function storedTemplateId(userId: string, key: string, version: number): string {
  return `${userId}|${key}@${version}`;
}

let opening: Promise<IDBDatabase | null> | null = null;
const memory: Record<StoreName, Map<string, unknown>> = {
  [OUTBOX]: new Map(),
  [DRAFTS]: new Map(),
  [TEMPLATES]: new Map(),
};

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

/**
 * Brings a database of any earlier version up to DB_VERSION: adds the stores it lacks and keeps
 * every store it has (version 1's outbox, with its queued visits, stays as it is).
 */
function upgrade(db: IDBDatabase): void {
  const stores: [StoreName, string][] = [
    [OUTBOX, 'id'],
    [DRAFTS, 'key'],
    [TEMPLATES, 'id'],
  ];
  for (const [name, keyPath] of stores)
    if (!db.objectStoreNames.contains(name))
      db.createObjectStore(name, { keyPath }).createIndex('userId', 'userId');
}

function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') {
      resolve(null);
      return;
    }
    try {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      let waiting: ReturnType<typeof setTimeout> | undefined;
      req.onupgradeneeded = () => upgrade(req.result);
      req.onsuccess = () => {
        clearTimeout(waiting);
        const db = req.result;
        // A newer version of the app in another tab: let it upgrade; the next call opens again.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = () => resolve(null);
      // Another tab still has the older version open: it usually closes soon; do not hang.
      req.onblocked = () => {
        waiting = setTimeout(() => resolve(null), BLOCKED_MS);
      };
    } catch {
      resolve(null);
    }
  });
  return opening;
}

async function putRecord(store: StoreName, key: string, value: unknown): Promise<void> {
  const db = await open();
  if (!db) {
    memory[store].set(key, value);
    return;
  }
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value);
  await committed(tx);
}

async function deleteRecord(store: StoreName, key: string): Promise<void> {
  const db = await open();
  if (!db) {
    memory[store].delete(key);
    return;
  }
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  await committed(tx);
}

async function getRecord<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await open();
  if (!db) return memory[store].get(key) as T | undefined;
  return promised<T | undefined>(
    db.transaction(store, 'readonly').objectStore(store).get(key) as IDBRequest<T | undefined>,
  );
}

async function recordsOf<T extends { userId: string }>(
  store: StoreName,
  userId: string,
): Promise<T[]> {
  const db = await open();
  if (!db) return ([...memory[store].values()] as T[]).filter((r) => r.userId === userId);
  return promised<T[]>(
    db.transaction(store, 'readonly').objectStore(store).index('userId').getAll(userId),
  );
}

/** Whether records are stored durably (IndexedDB) rather than in memory only. */
export async function outboxIsDurable(): Promise<boolean> {
  return (await open()) !== null;
}

/**
 * Stores (or replaces) an outbox record. With `draftKey`, the draft it was made from is deleted
 * in the same transaction: the visit is either still a draft or in the outbox, never neither.
 * Resolves once the write is committed.
 */
export async function putOutboxVisit(
  record: OutboxVisit,
  options: { draftKey?: string } = {},
): Promise<void> {
  const db = await open();
  if (!db) {
    memory[OUTBOX].set(record.id, record);
    if (options.draftKey) memory[DRAFTS].delete(options.draftKey);
    return;
  }
  const stores = options.draftKey ? [OUTBOX, DRAFTS] : [OUTBOX];
  const tx = db.transaction(stores, 'readwrite');
  tx.objectStore(OUTBOX).put(record);
  if (options.draftKey) tx.objectStore(DRAFTS).delete(options.draftKey);
  await committed(tx);
}

/** Removes a record (after the server has it, or when the user discards it). */
export function deleteOutboxVisit(id: string): Promise<void> {
  return deleteRecord(OUTBOX, id);
}

/** The records of one user, oldest first (ids are UUIDv7, so they sort by creation). */
export async function listOutboxVisits(userId: string): Promise<OutboxVisit[]> {
  const all = await recordsOf<OutboxVisit>(OUTBOX, userId);
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Stores (or replaces) the draft of a visit. */
export function putDraft(draft: VisitDraft): Promise<void> {
  return putRecord(DRAFTS, draft.key, draft);
}

/** The draft under a key, if any. */
export function getDraft(key: string): Promise<VisitDraft | undefined> {
  return getRecord<VisitDraft>(DRAFTS, key);
}

/** Removes a draft (discarded; a submitted one goes with `putOutboxVisit`). */
export function deleteDraft(key: string): Promise<void> {
  return deleteRecord(DRAFTS, key);
}

/** The drafts of one user. */
export function listDrafts(userId: string): Promise<VisitDraft[]> {
  return recordsOf<VisitDraft>(DRAFTS, userId);
}

/** Keeps a template version for a user. */
export function putStoredTemplate(userId: string, template: FormTemplate): Promise<void> {
  const record: StoredTemplate = {
    id: storedTemplateId(userId, template.key, template.version),
    userId,
    key: template.key,
    version: template.version,
    template,
    storedAt: new Date().toISOString(),
  };
  return putRecord(TEMPLATES, record.id, record);
}

/** The template versions kept for a user. */
export function listStoredTemplates(userId: string): Promise<StoredTemplate[]> {
  return recordsOf<StoredTemplate>(TEMPLATES, userId);
}
