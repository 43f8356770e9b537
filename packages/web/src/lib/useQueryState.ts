import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** A patch of URL query parameters; `undefined` or '' removes one. */
export type QueryPatch = Record<string, string | number | undefined>;

/**
 * Filters and paging kept in the URL's query string, so a reload, a shared link or the back
 * button show the same list.
 */
export function useQueryState() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: QueryPatch) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const get = (key: string): string | undefined => params.get(key) ?? undefined;
  const getInt = (key: string, fallback: number): number => {
    const n = Number(params.get(key));
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return { params, get, getInt, update };
}
