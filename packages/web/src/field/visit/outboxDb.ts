/**
 * A small IndexedDB wrapper for the field app's outbox: records survive a reload, a closed tab
 * and a dead battery. When IndexedDB cannot be opened (some private modes), records are kept in
 * memory for the session and the caller is told so.
 */
import type { OutboxVisit } from './outboxTypes';

const DB_NAME = 'tanfang-field';
const STORE = 'outbox';

let opening: Promise<IDBDatabase | null> | null = null;
const memory = new Map<string, OutboxVisit>();

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') {
      resolve(null);
      return;
    }
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('userId', 'userId');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

/** Whether records are stored durably (IndexedDB) rather than in memory only. */
export async function outboxIsDurable(): Promise<boolean> {
  return (await open()) !== null;
}

/** Stores (or replaces) a record. Resolves once the write is committed. */
export async function putOutboxVisit(record: OutboxVisit): Promise<void> {
  const db = await open();
  if (!db) {
    memory.set(record.id, record);
    return;
  }
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put(record);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

/** Removes a record (after the server has it, or when the user discards it). */
export async function deleteOutboxVisit(id: string): Promise<void> {
  const db = await open();
  if (!db) {
    memory.delete(id);
    return;
  }
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).delete(id);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB delete failed'));
  });
}

/** The records of one user, oldest first (ids are UUIDv7, so they sort by creation). */
export async function listOutboxVisits(userId: string): Promise<OutboxVisit[]> {
  const db = await open();
  const all = db
    ? await promised<OutboxVisit[]>(
        db.transaction(STORE, 'readonly').objectStore(STORE).index('userId').getAll(userId),
      )
    : [...memory.values()].filter((r) => r.userId === userId);
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
