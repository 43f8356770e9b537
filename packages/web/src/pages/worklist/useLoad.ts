import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api';

/** The outcome of one load: pending, data, or the server's error. */
export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'error'; status: number; message: string };

/**
 * Runs `load` once per `key` (null: nothing to load) and tracks its outcome; a new key shows
 * `loading` until its answer arrives, so an old answer never stands for a new question.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loaded<T> | null {
  const [result, setResult] = useState<{ key: string; value: Loaded<T> } | null>(null);
  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    load().then(
      (data) => {
        if (!cancelled) setResult({ key, value: { state: 'ok', data } });
      },
      (error: unknown) => {
        if (!cancelled)
          setResult({
            key,
            value: {
              state: 'error',
              status: error instanceof ApiError ? error.status : 0,
              message: errorMessage(error),
            },
          });
      },
    );
    return () => {
      cancelled = true;
    };
    // `load` is keyed by `key`: a new closure on each render must not reload.
  }, [key]);
  if (key === null) return null;
  return result?.key === key ? result.value : { state: 'loading' };
}
