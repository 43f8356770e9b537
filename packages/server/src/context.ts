import type { Role } from '@tanfang/domain';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';

/** The signed-in user a service acts for. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** Region-code prefix the user may see and change. */
  jurisdiction: string;
}

/** Who is asking and from where: every service method receives it. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  ip: string;
}

/** A Kysely handle or a transaction: what repositories run on. */
export type Executor = Kysely<DB>;
