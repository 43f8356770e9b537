import { uuidv7, type Role } from '@tanfang/domain';
import type { Executor } from './context.js';
import { insertAudit } from './modules/audit/audit.repository.js';
import { hashPassword } from './modules/auth/passwords.js';
import { findRegion } from './modules/regions/regions.repository.js';
import { countUsers, insertUser } from './modules/users/users.repository.js';

/** The demo's region: 辽宁省丹东市 with its real counties, townships and villages. */
export const DEMO_CITY = '2106';

/** One demo account per role, each in a real region of 丹东市. */
export const DEMO_ACCOUNTS: {
  username: string;
  displayName: string;
  role: Role;
  jurisdiction: string;
}[] = [
  { username: 'demo-city', displayName: '丹东市民政局', role: 'city', jurisdiction: '2106' },
  { username: 'demo-county', displayName: '宽甸县民政局', role: 'county', jurisdiction: '210624' },
  {
    username: 'demo-township',
    displayName: '灌水镇民政办',
    role: 'township',
    jurisdiction: '210624101',
  },
  {
    username: 'demo-village',
    displayName: '东岔村委会',
    role: 'village',
    jurisdiction: '210624101201',
  },
  {
    username: 'demo-visitor',
    displayName: '王桂兰（东岔村网格员）',
    role: 'visitor',
    jurisdiction: '210624101201',
  },
  {
    username: 'demo-provider',
    displayName: '宽甸县居家养老服务中心',
    role: 'provider',
    jurisdiction: '210624',
  },
  {
    username: 'demo-auditor',
    displayName: '丹东市民政局审计',
    role: 'auditor',
    jurisdiction: '2106',
  },
  { username: 'demo-admin', displayName: '丹东市系统管理员', role: 'admin', jurisdiction: '2106' },
];

/**
 * Loads the demo when the installation has no users yet; returns whether it did. Runs in one
 * transaction: a failed demo leaves nothing behind.
 */
export async function loadDemoIfNew(db: Executor, password: string): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  for (const a of DEMO_ACCOUNTS) {
    if (!(await findRegion(db, a.jurisdiction)))
      throw new Error(`演示数据所需的区划 ${a.jurisdiction} 未加载`);
  }
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    for (const a of DEMO_ACCOUNTS) {
      const id = uuidv7();
      await insertUser(trx, {
        id,
        username: a.username,
        display_name: a.displayName,
        role: a.role,
        jurisdiction: a.jurisdiction,
        phone: null,
        password_hash: hash,
      });
      await insertAudit(trx, {
        actorId: null,
        actorUsername: 'system',
        action: 'user.create',
        entity: 'user',
        entityId: id,
        regionCode: a.jurisdiction,
        requestId: null,
        ip: null,
        detail: { username: a.username, role: a.role, demo: true },
      });
    }
  });
  return true;
}
