import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { useVisitorWorklist } from '../worklistStore';
import { deleteOutboxVisit, listOutboxVisits, outboxIsDurable, putOutboxVisit } from './outboxDb';
import { failureAction, retryDelayMs } from './outboxRules';
import type { OutboxVisit } from './outboxTypes';
import { visitApi } from './visitApi';

/** The outbox as the field app sees it. */
export interface OutboxState {
  /** Loaded from IndexedDB (until then the counts are unknown). */
  ready: boolean;
  /** Visits not yet accepted by the server, oldest first. */
  records: OutboxVisit[];
  /** A send is under way. */
  sending: boolean;
  /** Visits the server accepted since the app opened. */
  sentCount: number;
  /** False when IndexedDB is unavailable and records live in memory only. */
  durable: boolean;
  /**
   * Stores a visit (durably first, under the current account), then starts sending it. With
   * `draftKey`, the draft it was made from is deleted in the same write.
   */
  enqueue: (record: OutboxVisit, options?: { draftKey?: string }) => Promise<void>;
  /** Sends every pending visit now, without waiting for its backoff. */
  retryNow: () => void;
  /** Removes a visit the visitor chose to give up (a refused one). */
  discard: (id: string) => Promise<void>;
}

const OutboxContext = createContext<OutboxState | null>(null);

type SendResult = 'sent' | 'failed' | 'offline';

/**
 * Holds the visitor's outbox: visits are written to IndexedDB before anything is sent, then sent
 * one by one — attachments (PUT, each under its own id) first, then `POST /api/visits` — and
 * retried with backoff on network errors and 5xx, on reload, and when the phone comes back
 * online. A 4xx stops the visit at 需修改 with the server's message. Ids are made once, so a retry
 * is the same record on the server, never a second one.
 */
export function OutboxProvider({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const { refresh } = useVisitorWorklist();
  const [records, setRecords] = useState<OutboxVisit[]>([]);
  const [ready, setReady] = useState(false);
  const [sending, setSending] = useState(false);
  const [sentCount, setSentCount] = useState(0);
  const [durable, setDurable] = useState(true);

  const recordsRef = useRef<OutboxVisit[]>([]);
  const running = useRef(false);
  const again = useRef<{ force: boolean } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  const commit = useCallback((next: OutboxVisit[]) => {
    recordsRef.current = next;
    if (alive.current) setRecords(next);
  }, []);

  const replace = useCallback(
    async (record: OutboxVisit, options?: { draftKey?: string }) => {
      await putOutboxVisit(record, options);
      const list = recordsRef.current;
      const i = list.findIndex((r) => r.id === record.id);
      commit(i < 0 ? [...list, record] : list.map((r) => (r.id === record.id ? record : r)));
    },
    [commit],
  );

  const sendOne = useCallback(
    async (start: OutboxVisit): Promise<SendResult> => {
      let record = start;
      try {
        for (const a of record.attachments) {
          if (a.uploaded) continue;
          await visitApi.putAttachment(a.id, record.body.elderId, a.kind, a.blob);
          record = {
            ...record,
            attachments: record.attachments.map((x) =>
              x.id === a.id ? { ...x, uploaded: true } : x,
            ),
          };
          await replace(record);
        }
        await visitApi.postVisit({ ...record.body, deviceTime: new Date().toISOString() });
        await deleteOutboxVisit(record.id);
        commit(recordsRef.current.filter((r) => r.id !== record.id));
        if (alive.current) setSentCount((n) => n + 1);
        return 'sent';
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        const code = e instanceof ApiError ? e.code : undefined;
        const message = e instanceof Error ? e.message : '上传失败';
        const action = failureAction(status, code);
        if (action === 'reject' && e instanceof ApiError) {
          await replace({
            ...record,
            status: 'rejected',
            rejection: {
              status,
              message: e.message,
              ...(e.field ? { field: e.field } : {}),
              details: e.details,
            },
          });
          return 'failed';
        }
        const attempts = record.attempts + 1;
        await replace({
          ...record,
          attempts,
          nextAttemptAt: Date.now() + retryDelayMs(attempts),
          lastError: action === 'login' ? '登录已过期，重新登录后将自动上传' : message,
        });
        return status === 0 ? 'offline' : 'failed';
      }
    },
    [commit, replace],
  );

  const drain = useCallback(
    async (force: boolean) => {
      if (running.current) {
        again.current = { force: force || (again.current?.force ?? false) };
        return;
      }
      running.current = true;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      try {
        let pass: { force: boolean } | null = { force };
        while (pass) {
          again.current = null;
          const now = Date.now();
          const due = recordsRef.current.filter(
            (r) => r.status === 'pending' && (pass!.force || r.nextAttemptAt <= now),
          );
          if (due.length > 0 && navigator.onLine !== false) {
            if (alive.current) setSending(true);
            let sent = false;
            for (const r of due) {
              const result = await sendOne(r);
              if (result === 'sent') sent = true;
              // No network: the others would fail the same way; wait for `online` or the timer.
              if (result === 'offline') break;
            }
            if (sent) refreshRef.current();
          }
          pass = again.current;
        }
      } finally {
        running.current = false;
        if (alive.current) setSending(false);
        const next = recordsRef.current
          .filter((r) => r.status === 'pending')
          .reduce((min, r) => Math.min(min, r.nextAttemptAt), Infinity);
        if (Number.isFinite(next) && alive.current) {
          timer.current = setTimeout(() => void drain(false), Math.max(1_000, next - Date.now()));
        }
      }
    },
    [sendOne],
  );

  useEffect(() => {
    alive.current = true;
    let cancelled = false;
    void outboxIsDurable().then((d) => !cancelled && setDurable(d));
    listOutboxVisits(user.id).then(
      (list) => {
        if (cancelled) return;
        commit(list);
        setReady(true);
        void drain(true);
      },
      () => !cancelled && setReady(true),
    );
    const onOnline = () => void drain(true);
    window.addEventListener('online', onOnline);
    return () => {
      cancelled = true;
      alive.current = false;
      window.removeEventListener('online', onOnline);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [user.id, commit, drain]);

  const enqueue = useCallback(
    async (record: OutboxVisit, options?: { draftKey?: string }) => {
      await replace({ ...record, userId: user.id }, options);
      void drain(true);
    },
    [replace, drain, user.id],
  );

  const retryNow = useCallback(() => void drain(true), [drain]);

  const discard = useCallback(
    async (id: string) => {
      await deleteOutboxVisit(id);
      commit(recordsRef.current.filter((r) => r.id !== id));
    },
    [commit],
  );

  return (
    <OutboxContext.Provider
      value={{ ready, records, sending, sentCount, durable, enqueue, retryNow, discard }}
    >
      {children}
    </OutboxContext.Provider>
  );
}

/** The field app's outbox (inside `OutboxProvider`). */
export function useOutbox(): OutboxState {
  const state = useContext(OutboxContext);
  if (!state) throw new Error('useOutbox needs an OutboxProvider');
  return state;
}
