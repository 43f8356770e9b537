import type { AmendableVisitDto, VisitDto } from '@tanfang/domain';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, errorMessage, request } from '../../api';
import { useOutbox } from '../visit/outboxStore';

/** `GET /api/visits/amendable`: the user's own entries they may still correct, newest first. */
export function fetchAmendableVisits(): Promise<{ items: AmendableVisitDto[] }> {
  return request<{ items: AmendableVisitDto[] }>('GET', '/api/visits/amendable');
}

/** The user's recently submitted visits (最近提交) as the field app holds them. */
export interface RecentVisitsState {
  /** The last list received (kept while a refresh runs or after it fails); null until loaded. */
  items: AmendableVisitDto[] | null;
  loading: boolean;
  /** Why the last load failed; `offline` when the server could not be reached. */
  error: { message: string; offline: boolean } | null;
  /** Loads the list again. */
  refresh: () => void;
  /** Puts a corrected visit, as the server returned it, in place of the one listed. */
  replace: (visit: VisitDto) => void;
}

const RecentVisitsContext = createContext<RecentVisitsState | null>(null);

/**
 * Holds `GET /api/visits/amendable` for the field app: loaded when a page first asks for it
 * (`useRecentVisits`), again when one asks for a refresh, and whenever the outbox has delivered a
 * visit meanwhile (a new entry the visitor may want to correct).
 */
export function RecentVisitsProvider({ children }: { children: ReactNode }) {
  const { sentCount } = useOutbox();
  const [items, setItems] = useState<AmendableVisitDto[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<RecentVisitsState['error']>(null);
  const [wanted, setWanted] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (wanted === 0) return;
    const call = ++latest.current;
    setLoading(true);
    fetchAmendableVisits().then(
      (result) => {
        if (call !== latest.current) return;
        setItems(result.items);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (call !== latest.current) return;
        setError({
          message: errorMessage(e),
          offline: e instanceof ApiError && e.status === 0,
        });
        setLoading(false);
      },
    );
  }, [wanted]);

  // A visit the outbox delivered is a new entry: reload a list that has been asked for.
  const seenSent = useRef(sentCount);
  useEffect(() => {
    if (sentCount === seenSent.current) return;
    seenSent.current = sentCount;
    setWanted((w) => (w === 0 ? 0 : w + 1));
  }, [sentCount]);

  const refresh = useCallback(() => setWanted((w) => w + 1), []);
  const replace = useCallback((visit: VisitDto) => {
    setItems((list) => list?.map((v) => (v.id === visit.id ? { ...v, ...visit } : v)) ?? list);
  }, []);

  return (
    <RecentVisitsContext.Provider value={{ items, loading, error, refresh, replace }}>
      {children}
    </RecentVisitsContext.Provider>
  );
}

/**
 * The user's recent entries (inside `RecentVisitsProvider`). `fresh`: load them again when the
 * page opens (a list page); otherwise loaded once, on first use.
 */
export function useRecentVisits({ fresh = false }: { fresh?: boolean } = {}): RecentVisitsState {
  const state = useContext(RecentVisitsContext);
  if (!state) throw new Error('useRecentVisits needs a RecentVisitsProvider');
  const { items, refresh } = state;
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    if (fresh || items === null) refresh();
  }, [fresh, items, refresh]);
  return state;
}
