#!/usr/bin/env node
// Builds what `npm start` and the tests need: the TypeScript packages (incremental) and the
// console bundle (skipped when it is newer than every source file of the web and domain packages).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

console.log('构建服务端 (tsc)…');
run(process.execPath, [
  path.join(root, 'node_modules/typescript/bin/tsc'),
  '-b',
  'packages/domain',
  'packages/server',
]);

const webIndex = path.join(root, 'packages/web/dist/index.html');
const webSources = Math.max(
  newest(path.join(root, 'packages/web')),
  newest(path.join(root, 'packages/domain/src')),
);
if (
  !fs.existsSync(webIndex) ||
  fs.statSync(webIndex).mtimeMs < webSources ||
  process.argv.includes('--force')
) {
  console.log('构建控制台 (vite)…');
  run(process.execPath, [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    'packages/web',
    '--logLevel',
    'warn',
  ]);
} else {
  console.log('控制台已是最新，跳过构建');
}
