import type { AlertQueueDto } from '@tanfang/domain';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { alertsApi } from './alertsApi';
import { hasAlertQueue } from './permissions';

/** The signed-in user's alert queue, kept current by the live stream. */
export interface AlertsState {
  /** The last queue received (kept while a refresh runs or after it fails). */
  queue: AlertQueueDto | null;
  /** The server's message when the last load failed. */
  error: string | null;
  /** The live stream is connected (changes arrive within a second). */
  live: boolean;
  /** Counts the changes the stream announced: a key for other views that should reload too. */
  changes: number;
  /** Loads the queue again now. */
  refresh: () => void;
}

const AlertsContext = createContext<AlertsState | null>(null);

/** Changes announced in quick succession become one reload. */
const DEBOUNCE_MS = 300;
/** Deadlines pass without any change to announce: look again this often. */
const POLL_MS = 60_000;
/** Reconnection after the server refused the stream (the browser retries by itself otherwise). */
const RECONNECT_MS = [2_000, 5_000, 10_000, 30_000, 60_000];

/**
 * Loads `GET /api/alerts/queue` for the console or the field app and keeps it current: an
 * EventSource on `GET /api/alerts/stream` (the session cookie authenticates it) announces every
 * change in the user's jurisdiction, and the queue is read again — also after each reconnection,
 * so nothing missed while offline stays missed.
 */
export function AlertsProvider({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const enabled = hasAlertQueue(user.role);
  const [queue, setQueue] = useState<AlertQueueDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [changes, setChanges] = useState(0);
  const [reloads, setReloads] = useState(0);

  const refresh = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const changed = () => setChanges((n) => n + 1);
    const connect = () => {
      source = new EventSource('/api/alerts/stream', { withCredentials: true });
      source.addEventListener('ready', () => {
        failures = 0;
        setLive(true);
        changed();
      });
      source.addEventListener('queue', changed);
      source.onerror = () => {
        setLive(false);
        // CONNECTING: the browser reconnects on its own. CLOSED: it gave up (a refusal, e.g. the
        // server restarting): try again later.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
          failures += 1;
          retry = setTimeout(connect, delay);
        }
      };
    };
    connect();
    const poll = setInterval(refresh, POLL_MS);
    const online = () => refresh();
    window.addEventListener('online', online);
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retry);
      clearInterval(poll);
      window.removeEventListener('online', online);
    };
  }, [enabled, user.id, refresh]);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const timer = setTimeout(
      () => {
        alertsApi.queue().then(
          (q) => {
            if (cancelled) return;
            setQueue(q);
            setError(null);
          },
          (e: unknown) => {
            if (!cancelled) setError(errorMessage(e));
          },
        );
      },
      changes === 0 && reloads === 0 ? 0 : DEBOUNCE_MS,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [enabled, changes, reloads]);

  return (
    <AlertsContext.Provider value={{ queue, error, live, changes, refresh }}>
      {children}
    </AlertsContext.Provider>
  );
}

/** The alert queue, or null outside an `AlertsProvider` (or for a role without one). */
export function useAlerts(): AlertsState | null {
  return useContext(AlertsContext);
}
