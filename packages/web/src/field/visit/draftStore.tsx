import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useCurrentUser } from '../../auth/useAuth';
import { draftKey, type VisitDraft } from './draftRules';
import { deleteDraft, getDraft, listDrafts, putDraft } from './outboxDb';

/** A draft as the form hands it over (the store adds the account and the time). */
export type DraftContent = Omit<VisitDraft, 'key' | 'userId' | 'savedAt'>;

/** The drafts of the signed-in account, as the field app sees them. */
export interface DraftsState {
  /** The elders with a draft, each with when it was last saved (ISO). */
  savedAt: ReadonlyMap<string, string>;
  /** The key the outbox deletes a submitted draft under. */
  keyOf: (elderId: string) => string;
  /** The elder's draft, if any (after every save already asked for). */
  load: (elderId: string) => Promise<VisitDraft | undefined>;
  /** Saves a draft (saves of one elder are written in order); resolves to its saved time. */
  save: (content: DraftContent) => Promise<string>;
  /** Deletes the elder's draft (放弃草稿). */
  discard: (elderId: string) => Promise<void>;
  /** Waits until every save asked for the elder is written. */
  settled: (elderId: string) => Promise<void>;
  /** The draft left with its visit for the outbox (deleted in the outbox's write). */
  submitted: (elderId: string) => void;
}

const DraftsContext = createContext<DraftsState | null>(null);

/**
 * Holds the account's drafts of visits (IndexedDB, beside the outbox): which elders have one for
 * the worklist's 草稿 tags, and the writes of the visit form, chained per elder so a late save can
 * never bring back a draft that was just discarded or submitted.
 */
export function DraftsProvider({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const [savedAt, setSavedAt] = useState<ReadonlyMap<string, string>>(new Map());
  const chains = useRef(new Map<string, Promise<unknown>>());

  useEffect(() => {
    let cancelled = false;
    listDrafts(user.id).then(
      (list) => !cancelled && setSavedAt(new Map(list.map((d) => [d.elderId, d.savedAt]))),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [user.id]);

  const mark = useCallback((elderId: string, at: string | null) => {
    setSavedAt((m) => {
      const next = new Map(m);
      if (at) next.set(elderId, at);
      else next.delete(elderId);
      return next;
    });
  }, []);

  /** Runs `step` after every earlier write of the elder's draft. */
  const chained = useCallback(<T,>(elderId: string, step: () => Promise<T>): Promise<T> => {
    const next = (chains.current.get(elderId) ?? Promise.resolve()).then(step);
    chains.current.set(
      elderId,
      next.catch(() => undefined),
    );
    return next;
  }, []);

  const keyOf = useCallback((elderId: string) => draftKey(user.id, elderId), [user.id]);

  const actions = useMemo<Omit<DraftsState, 'savedAt'>>(
    () => ({
      keyOf,
      load: (elderId) => chained(elderId, () => getDraft(keyOf(elderId))),
      save: (content) =>
        chained(content.elderId, async () => {
          const at = new Date().toISOString();
          await putDraft({ ...content, key: keyOf(content.elderId), userId: user.id, savedAt: at });
          mark(content.elderId, at);
          return at;
        }),
      discard: (elderId) =>
        chained(elderId, async () => {
          await deleteDraft(keyOf(elderId));
          mark(elderId, null);
        }),
      settled: (elderId) => chained(elderId, () => Promise.resolve()),
      submitted: (elderId) => mark(elderId, null),
    }),
    [keyOf, chained, mark, user.id],
  );
  const value = useMemo<DraftsState>(() => ({ savedAt, ...actions }), [savedAt, actions]);

  return <DraftsContext.Provider value={value}>{children}</DraftsContext.Provider>;
}

/** The account's drafts (inside `DraftsProvider`). */
export function useDrafts(): DraftsState {
  const state = useContext(DraftsContext);
  if (!state) throw new Error('useDrafts needs a DraftsProvider');
  return state;
}
