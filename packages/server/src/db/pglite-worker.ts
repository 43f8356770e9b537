/**
 * Runs PGlite on its own thread: PGlite executes on the calling thread, so a long query on the
 * HTTP thread would freeze every request (DESIGN.md, measured). The main thread talks to this
 * worker through `PgliteClient` (pglite-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { OID, identity, parseInt8 } from './types.js';
import type { WorkerRequest, WorkerResponse, SerializedDbError } from './pglite-protocol.js';

const { dataDir, loadDump } = workerData as { dataDir: string | undefined; loadDump?: Uint8Array };

function serializeError(error: unknown): SerializedDbError {
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const pick = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
    return {
      message: pick('message') ?? String(error),
      code: pick('code'),
      detail: pick('detail'),
      constraint: pick('constraint'),
      table: pick('table'),
      column: pick('column'),
      severity: pick('severity'),
    };
  }
  return { message: String(error) };
}

const port = parentPort;
if (!port) throw new Error('pglite-worker must run in a worker thread');

let db: PGlite;
try {
  db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDump ? { loadDataDir: new Blob([loadDump]) } : {}),
    parsers: { [OID.INT8]: parseInt8, [OID.NUMERIC]: identity, [OID.DATE]: identity },
  });
  port.postMessage({ type: 'ready' } satisfies WorkerResponse);
} catch (error) {
  port.postMessage({ type: 'fatal', error: serializeError(error) } satisfies WorkerResponse);
  process.exit(1);
}

port.on('message', (request: WorkerRequest) => {
  void handle(request);
});

async function handle(request: WorkerRequest): Promise<void> {
  try {
    switch (request.type) {
      case 'query': {
        const result = await db.query(request.sql, request.params, { rowMode: 'object' });
        port!.postMessage({
          type: 'result',
          id: request.id,
          rows: result.rows as Record<string, unknown>[],
          affectedRows: result.affectedRows ?? 0,
        } satisfies WorkerResponse);
        return;
      }
      case 'exec': {
        await db.exec(request.sql);
        port!.postMessage({
          type: 'result',
          id: request.id,
          rows: [],
          affectedRows: 0,
        } satisfies WorkerResponse);
        return;
      }
      case 'dump': {
        const blob = await db.dumpDataDir('none');
        const bytes = new Uint8Array(await blob.arrayBuffer());
        port!.postMessage({ type: 'dump', id: request.id, bytes } satisfies WorkerResponse, [
          bytes.buffer,
        ]);
        return;
      }
      case 'close': {
        await db.close();
        port!.postMessage({
          type: 'result',
          id: request.id,
          rows: [],
          affectedRows: 0,
        } satisfies WorkerResponse);
        return;
      }
      default: {
        const never: never = request;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    port!.postMessage({
      type: 'error',
      id: request.id,
      error: serializeError(error),
    } satisfies WorkerResponse);
  }
}
