import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchPostgres, testDatabaseKinds } from './test/harness.js';

const CLI = fileURLToPath(new URL('../bin/tanfang.js', import.meta.url));

for (const kind of testDatabaseKinds()) {
  describe(`the tanfang CLI [${kind}]`, () => {
    let env: NodeJS.ProcessEnv;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-cli-'));
      env = {
        ...process.env,
        TANFANG_DATA_DIR: dataDir,
        DATABASE_URL: '',
        TANFANG_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      };
      cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const scratch = await scratchPostgres();
        env['DATABASE_URL'] = scratch.url;
        cleanup = async () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          await scratch.drop();
        };
      }
    });
    afterAll(() => cleanup());

    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', input: '' });
      return { status: r.status, out: r.stdout, err: r.stderr };
    };

    it('adds, lists, disables and resets users', () => {
      const add = run(
        'user',
        'add',
        '--username',
        'guanshui-admin',
        '--name',
        '灌水镇管理员',
        '--role',
        'admin',
        '--jurisdiction',
        '210624',
        '--password',
        'Guanshui-2026',
      );
      expect(add.err).toBe('');
      expect(add.out).toContain(
        '已创建用户 guanshui-admin（系统管理员，辽宁省丹东市宽甸满族自治县）',
      );
      const list = run('user', 'list', '--jurisdiction', '2106');
      expect(list.out).toContain('guanshui-admin');
      expect(list.out).toContain('共 1 个用户');
      expect(
        run('user', 'reset-password', 'guanshui-admin', '--password', 'Another-2026x').out,
      ).toContain('已重置用户 guanshui-admin 的密码');
      expect(run('user', 'disable', 'guanshui-admin').out).toContain('已停用用户 guanshui-admin');
      expect(run('user', 'list').out).toContain('已停用');
    });

    it('explains bad input in one line, naming the field, with no stack trace', () => {
      const weak = run(
        'user',
        'add',
        '--username',
        'weak-one',
        '--name',
        '弱',
        '--role',
        'village',
        '--jurisdiction',
        '210624101201',
        '--password',
        'abc',
      );
      expect(weak.status).toBe(1);
      expect(weak.err).toContain('密码须为 10–128 个字符，且同时包含字母和数字');
      expect(weak.err).not.toMatch(/\n\s+at /);
      const role = run(
        'user',
        'add',
        '--username',
        'bad-role',
        '--name',
        '某',
        '--role',
        'mayor',
        '--jurisdiction',
        '2106',
        '--password',
        'Good-pass-2026',
      );
      expect(role.err).toContain('role');
      expect(run('user', 'disable', 'nobody').err).toContain('用户 nobody 不存在');
      expect(run('frobnicate').err).toContain('未知命令：frobnicate');
    });

    it('loads a province’s villages, and loading twice adds nothing', () => {
      const first = run('regions', 'load', '--province', '46');
      expect(first.out).toContain('村级区划 3296 个，新增 0 个');
      expect(run('regions', 'stats', '--prefix', '46').out).toContain('村 3296');
      expect(run('regions', 'load', '--province', '4x').err).toContain('省级代码应为 2 位数字');
    });

    it('stops at boot on a bad variable, naming it', () => {
      const r = spawnSync(process.execPath, [CLI, 'migrate'], {
        env: { ...env, PORT: 'eighty' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('PORT="eighty"');
    });
  });
}
