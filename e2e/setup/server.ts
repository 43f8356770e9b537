/**
 * Starts the real server (built by `npm test`'s build step): once to load the demo into a
 * template data directory, then once per test file on a copy of it. Makes sure Chromium is there.
 * With CI=true nothing is ever skipped.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory with the regions and the demo loaded (copied for each test file). */
    templateDir: string;
    demoPassword: string;
  }
}

/** Where Debian puts Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_PASSWORD = 'tanfang-demo-2026';

function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    console.log('Chromium 未安装，正在安装：apt-get install -y chromium fonts-noto-cjk …');
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', 'chromium', 'fonts-noto-cjk'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `浏览器测试需要 ${CHROMIUM}：请运行 apt-get install -y chromium fonts-noto-cjk`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`服务器启动失败：\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`服务器 120 秒内未就绪：\n${output()}`);
}

/** A running server on a data directory. */
export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

/** Starts the built server on `dataDir`; resolves once it answers /api/health. */
export async function startServer(dataDir: string, logFile?: string): Promise<RunningServer> {
  const port = await freePort();
  let log = '';
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'packages/server/bin/tanfang.js'), 'serve'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        TANFANG_DATA_DIR: dataDir,
        TANFANG_DEMO_PASSWORD: DEMO_PASSWORD,
        TANFANG_LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => log);
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (logFile) fs.writeFileSync(logFile, log);
    },
  };
}

/**
 * Builds the demo once: a server starts on a fresh data directory (regions and demo load), then
 * stops. Each test file copies that directory and runs its own server on the copy
 * (`setup/per-file.ts`), so no file sees what another file changed.
 */
export default async function setup(project: TestProject) {
  ensureChromium();
  fs.mkdirSync(path.join(ROOT, 'e2e/artifacts'), { recursive: true });
  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-e2e-template-'));
  const server = await startServer(templateDir, path.join(ROOT, 'e2e/artifacts/server.log'));
  await server.stop();
  project.provide('templateDir', templateDir);
  project.provide('demoPassword', DEMO_PASSWORD);
  return async () => {
    fs.rmSync(templateDir, { recursive: true, force: true });
  };
}
