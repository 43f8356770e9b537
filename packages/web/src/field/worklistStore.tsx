import type { VisitorWorklistDto } from '@tanfang/domain';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { errorMessage } from '../api';
import { useCurrentUser } from '../auth/useAuth';
import { worklistApi } from '../pages/worklist/worklistApi';
import { keepTemplates } from './visit/templateCache';
import { templateKeysNeeded } from './visit/visitPlan';

/** The visitor's worklist as the field app holds it: the last answer and the state of a load. */
export interface WorklistState {
  /** The last worklist received (kept while a refresh runs or after it fails). */
  data: VisitorWorklistDto | null;
  loading: boolean;
  /** The server's message when the last load failed. */
  error: string | null;
  /** Loads the worklist again. */
  refresh: () => void;
}

const WorklistContext = createContext<WorklistState | null>(null);

/**
 * Loads `GET /api/worklist` once for the field app, so the home and an elder's page share it and
 * going back to the list shows it at once. Each load also keeps on the phone the form templates
 * its elders need, so their forms open without signal.
 */
export function WorklistProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const user = useCurrentUser();
  const [data, setData] = useState<VisitorWorklistDto | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    setLoading(true);
    worklistApi.visitorWorklist().then(
      (result) => {
        if (cancelled) return;
        setData(result);
        setError(null);
        setLoading(false);
        // Best effort: a failure here leaves the forms to be fetched when opened.
        keepTemplates(user.id, templateKeysNeeded(result.items)).catch(() => undefined);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [enabled, reloadKey, user.id]);

  const refresh = useCallback(() => setReloadKey((k) => k + 1), []);
  return (
    <WorklistContext.Provider value={{ data, loading, error, refresh }}>
      {children}
    </WorklistContext.Provider>
  );
}

/** The field app's worklist (inside `WorklistProvider`). */
export function useVisitorWorklist(): WorklistState {
  const state = useContext(WorklistContext);
  if (!state) throw new Error('useVisitorWorklist needs a WorklistProvider');
  return state;
}
