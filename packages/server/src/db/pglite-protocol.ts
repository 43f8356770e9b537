/** Messages between the main thread and the PGlite worker. */
export type WorkerRequest =
  | { type: 'query'; id: number; sql: string; params: unknown[] }
  | { type: 'exec'; id: number; sql: string }
  | { type: 'dump'; id: number }
  | { type: 'close'; id: number };

/** A database error, flattened for postMessage. */
export interface SerializedDbError {
  message: string;
  code?: string | undefined;
  detail?: string | undefined;
  constraint?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  severity?: string | undefined;
}

/** Replies from the worker. */
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedDbError }
  | { type: 'result'; id: number; rows: Record<string, unknown>[]; affectedRows: number }
  | { type: 'dump'; id: number; bytes: Uint8Array }
  | { type: 'error'; id: number; error: SerializedDbError };
