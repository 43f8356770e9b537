#!/usr/bin/env node
// Entry of the `tanfang` command. Runs the compiled server (built by `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('tanfang 尚未构建：请先在项目根目录运行 npm run build（npm start 会自动构建）。');
  process.exit(2);
}
const { main, reportFatal } = await import(entry.href);
try {
  await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportFatal(error);
}
