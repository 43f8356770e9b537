/**
 * Each test file gets its own server on a copy of the demo built by the global setup: what one
 * file records or reassigns never changes what another file sees, whatever the order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { setBaseUrl } from '../lib/browser.js';
import { startServer, type RunningServer } from './server.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
let server: RunningServer | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-e2e-'));
  fs.cpSync(inject('templateDir'), dataDir, { recursive: true });
  const name = path.basename(expect.getState().testPath ?? 'suite', '.e2e.ts');
  server = await startServer(dataDir, path.join(ARTIFACTS, `server-${name}.log`));
  setBaseUrl(server.url);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
