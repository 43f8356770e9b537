import { sql, type Selectable } from 'kysely';
import type { AlertKind } from '@tanfang/domain';
import { ALERT_URGENCY, OPEN_FINDING_STATUSES, TEST_ALERT_KIND, uuidv7 } from '@tanfang/domain';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { NotificationChannelsTable } from '../../db/schema.js';

/** An alert to send out of the system (an emergency, its escalation, an overdue finding…). */
export interface NewAlert {
  kind: AlertKind;
  /** The region whose staff are alerted (a village, township or county code). */
  regionCode: string;
  elderId: string | null;
  countyCode: string | null;
  /** What it is about: `finding`, `referral`, … and its id. */
  subjectType: string;
  subjectId: string;
  title: string;
  body: string;
}

/**
 * The JSON every delivery carries (`AlertPayload` in the domain): the alert, the elder's name, the
 * place (county, township and village names of the elder's village, else of the alerted region)
 * and the phone numbers of the on-duty staff of the alerted region.
 */
const PAYLOAD = sql`jsonb_build_object(
  'id', a.id, 'kind', a.kind, 'regionCode', a.region_code, 'elderId', a.elder_id,
  'elderName', e.name,
  'place', (select string_agg(r.name, '' order by length(r.code)) from regions r
            where length(coalesce(e.village_code, a.region_code)) >= 6
              and r.code in (left(coalesce(e.village_code, a.region_code), 6),
                             left(coalesce(e.village_code, a.region_code), 9),
                             coalesce(e.village_code, a.region_code))),
  'subjectType', a.subject_type, 'subjectId', a.subject_id, 'title', a.title,
  'body', a.body, 'urgency', a.urgency, 'createdAt', a.created_at,
  'phones', (select coalesce(jsonb_agg(u.phone order by u.username), '[]'::jsonb)
             from users u
             where u.jurisdiction = a.region_code and u.on_duty and u.status = 'active'
               and u.phone is not null and u.role in ('village', 'township', 'county')))`;

/**
 * Records an alert and queues its delivery on every active channel of the region or a region
 * enclosing it that carries its kind — in the caller's transaction, so an alert exists exactly
 * when the event that raised it was committed (the outbox). The same event for the same region
 * twice is one alert. Each delivery carries the alert and the phone numbers of the on-duty staff
 * of the alerted region (for an SMS gateway). Returns the alert's id, or null when it existed.
 * Publish the change on the AlertBus after the caller's transaction commits.
 */
export async function raiseAlert(db: Executor, alert: NewAlert): Promise<string | null> {
  const id = uuidv7();
  const { rows } = await sql<{ id: string }>`
    with a as (
      insert into alerts (id, kind, region_code, elder_id, county_code, subject_type, subject_id,
        title, body, urgency)
      values (${id}, ${alert.kind}, ${alert.regionCode}, ${alert.elderId}, ${alert.countyCode},
        ${alert.subjectType}, ${alert.subjectId}, ${alert.title}, ${alert.body},
        ${ALERT_URGENCY[alert.kind]})
      on conflict (subject_type, subject_id, kind, region_code) do nothing
      returning id, kind, region_code, elder_id, subject_type, subject_id, title, body, urgency,
        created_at
    ), d as (
      insert into alert_deliveries (alert_id, channel_id, payload)
      select a.id, c.id, ${PAYLOAD}
      from a join notification_channels c
        on c.active and a.region_code like c.region_code || '%'
       and (cardinality(c.alert_kinds) = 0 or a.kind = any(c.alert_kinds))
      left join elders e on e.id = a.elder_id
    )
    select id from a`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * A test alert (通知渠道 → 测试) queued on one channel only, whatever its kinds; not in any queue.
 */
export async function raiseTestAlert(
  db: Executor,
  channel: { id: string; region_code: string },
  text: { title: string; body: string },
): Promise<string> {
  const id = uuidv7();
  await sql`
    with a as (
      insert into alerts (id, kind, region_code, elder_id, county_code, subject_type, subject_id,
        title, body, urgency)
      values (${id}, ${TEST_ALERT_KIND}, ${channel.region_code}, null, null,
        'notification_channel', ${id}, ${text.title}, ${text.body}, 9)
      returning id, kind, region_code, elder_id, subject_type, subject_id, title, body, urgency,
        created_at
    )
    insert into alert_deliveries (alert_id, channel_id, payload)
    select a.id, ${channel.id}, ${PAYLOAD}
    from a left join elders e on e.id = a.elder_id`.execute(db);
  return id;
}

// ---------------------------------------------------------------------------------------------
// The queue

/** Whose items a queue query reads: a jurisdiction, narrowed to a visitor's elders. */
export interface QueueScope {
  jurisdiction: string;
  /** The visitor account whose currently assigned elders bound the query. */
  visitorUserId?: string | undefined;
  /** Today in China ('YYYY-MM-DD'), for current assignments. */
  today: string;
}

/** An open finding as the queue shows it. */
export interface QueueFindingRow {
  id: string;
  elder_id: string;
  elder_name: string;
  village_code: string;
  type: string;
  severity: string;
  title: string;
  status: string;
  deadline_at: Date | null;
  deadline_action: 'acknowledge' | 'handle' | 'refer' | null;
  acknowledged_at: Date | null;
  escalation_level: 'village' | 'township' | 'county';
  created_at: Date;
}

const QUEUE_ROWS = 200;

function openFindingsIn(db: Executor, scope: QueueScope) {
  let q = db
    .selectFrom('findings as f')
    .innerJoin('elders as e', 'e.id', 'f.elder_id')
    .select([
      'f.id',
      'f.elder_id',
      'e.name as elder_name',
      'f.village_code',
      'f.type',
      'f.severity',
      'f.title',
      'f.status',
      'f.deadline_at',
      'f.deadline_action',
      'f.acknowledged_at',
      'f.escalation_level',
      'f.created_at',
    ])
    .where('f.status', 'in', OPEN_FINDING_STATUSES)
    .where('f.village_code', 'like', `${escapeLike(scope.jurisdiction)}%`);
  if (scope.visitorUserId) {
    const userId = scope.visitorUserId;
    q = q.where('f.elder_id', 'in', (eb) =>
      eb
        .selectFrom('assignments as a')
        .innerJoin('visitors as v', 'v.id', 'a.visitor_id')
        .select('a.elder_id')
        .where('v.user_id', '=', userId)
        .where('a.start_date', '<=', scope.today)
        .where((w) => w.or([w('a.end_date', 'is', null), w('a.end_date', '>', scope.today)])),
    );
  }
  return q;
}

/** Open emergencies (status open, in progress or referred) in the scope, oldest first. */
export function openEmergencies(db: Executor, scope: QueueScope): Promise<QueueFindingRow[]> {
  return openFindingsIn(db, scope)
    .where((w) => w.or([w('f.type', '=', 'emergency'), w('f.severity', '=', 'emergency')]))
    .orderBy('f.created_at')
    .limit(QUEUE_ROWS)
    .execute();
}

/** Other open findings whose deadline is before `until`, earliest deadline first. */
export function findingsDueBefore(
  db: Executor,
  scope: QueueScope,
  until: Date,
): Promise<QueueFindingRow[]> {
  return openFindingsIn(db, scope)
    .where('f.type', '<>', 'emergency')
    .where('f.severity', '<>', 'emergency')
    .where('f.deadline_at', '<', until)
    .orderBy('f.deadline_at')
    .limit(QUEUE_ROWS)
    .execute();
}

/** A referral as the queue shows it. */
export interface QueueReferralRow {
  id: string;
  elder_id: string;
  elder_name: string;
  village_code: string;
  kind: string;
  need: string;
  status: string;
  provider_name: string;
  created_at: Date;
  updated_at: Date;
}

function referralsWith(db: Executor) {
  return db
    .selectFrom('referrals as r')
    .innerJoin('elders as e', 'e.id', 'r.elder_id')
    .innerJoin('service_providers as p', 'p.id', 'r.provider_id')
    .select([
      'r.id',
      'r.elder_id',
      'e.name as elder_name',
      'r.village_code',
      'r.kind',
      'r.need',
      'r.status',
      'p.name as provider_name',
      'r.created_at',
      'r.updated_at',
    ]);
}

/**
 * Referrals sent to the provider of a provider account and not yet accepted or declined, oldest
 * first (none when the account belongs to no provider).
 */
export function referralsAwaitingProvider(
  db: Executor,
  userId: string,
  jurisdiction: string,
): Promise<QueueReferralRow[]> {
  return referralsWith(db)
    .where('r.provider_id', '=', (eb) =>
      eb.selectFrom('users as u').select('u.provider_id').where('u.id', '=', userId),
    )
    .where('r.status', '=', 'sent')
    .where('r.village_code', 'like', `${escapeLike(jurisdiction)}%`)
    .orderBy('r.created_at')
    .limit(QUEUE_ROWS)
    .execute();
}

/** Referrals of the jurisdiction a provider declined or completed since `since`, newest first. */
export function referralsAnsweredSince(
  db: Executor,
  jurisdiction: string,
  since: Date,
): Promise<QueueReferralRow[]> {
  return referralsWith(db)
    .where('r.village_code', 'like', `${escapeLike(jurisdiction)}%`)
    .where('r.status', 'in', ['declined', 'completed'])
    .where('r.updated_at', '>=', since)
    .orderBy('r.updated_at', 'desc')
    .limit(QUEUE_ROWS)
    .execute();
}

/** Which of these session hashes still name a live session of an active user. */
export async function liveSessionHashes(db: Executor, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select('s.id_hash')
    .where('s.id_hash', 'in', hashes)
    .where('s.expires_at', '>', new Date())
    .where('u.status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.id_hash));
}

// ---------------------------------------------------------------------------------------------
// Channels

/** A channel row. */
export type ChannelRow = Selectable<NotificationChannelsTable>;

/** Inserts a channel. */
export function insertChannel(
  db: Executor,
  row: Omit<ChannelRow, 'created_at' | 'config'> & { config: object },
): Promise<ChannelRow> {
  return db
    .insertInto('notification_channels')
    .values({ ...row, config: JSON.stringify(row.config) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One channel by id (anywhere; the caller checks the jurisdiction). */
export function findChannel(db: Executor, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a channel. */
export function updateChannel(
  db: Executor,
  id: string,
  set: { name?: string; alert_kinds?: string[]; active?: boolean; config?: object },
): Promise<ChannelRow> {
  const { config, ...rest } = set;
  return db
    .updateTable('notification_channels')
    .set({ ...rest, ...(config ? { config: JSON.stringify(config) } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The channels of regions within the jurisdiction, by region then name. */
export function listChannels(db: Executor, jurisdiction: string): Promise<ChannelRow[]> {
  return db
    .selectFrom('notification_channels')
    .selectAll()
    .where('region_code', 'like', `${escapeLike(jurisdiction)}%`)
    .orderBy('region_code')
    .orderBy('name')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** Delivery counts of channels. */
export interface ChannelStatsRow {
  channel_id: string;
  pending: number;
  retrying: number;
  failed: number;
  delivered: number;
  last_delivered_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
}

/** Delivery counts and the last error of each channel. */
export async function channelStats(
  db: Executor,
  channelIds: string[],
): Promise<Map<string, ChannelStatsRow>> {
  if (channelIds.length === 0) return new Map();
  const [counts, errors] = await Promise.all([
    db
      .selectFrom('alert_deliveries')
      .select((eb) => [
        'channel_id',
        eb.fn
          .countAll<number>()
          .filterWhere((w) => w.and([w('status', '=', 'pending'), w('attempts', '=', 0)]))
          .as('pending'),
        eb.fn
          .countAll<number>()
          .filterWhere((w) =>
            w.or([
              w('status', '=', 'sending'),
              w.and([w('status', '=', 'pending'), w('attempts', '>', 0)]),
            ]),
          )
          .as('retrying'),
        eb.fn.countAll<number>().filterWhere('status', '=', 'failed').as('failed'),
        eb.fn.countAll<number>().filterWhere('status', '=', 'delivered').as('delivered'),
        eb.fn.max('delivered_at').as('last_delivered_at'),
      ])
      .where('channel_id', 'in', channelIds)
      .groupBy('channel_id')
      .execute(),
    db
      .selectFrom('alert_deliveries')
      .distinctOn('channel_id')
      .select(['channel_id', 'last_error', 'last_attempt_at'])
      .where('channel_id', 'in', channelIds)
      .where('last_error', 'is not', null)
      .orderBy('channel_id')
      .orderBy('last_attempt_at', 'desc')
      .execute(),
  ]);
  const lastErrors = new Map(errors.map((e) => [e.channel_id, e]));
  const out = new Map<string, ChannelStatsRow>();
  for (const c of counts) {
    const e = lastErrors.get(c.channel_id);
    out.set(c.channel_id, {
      channel_id: c.channel_id,
      pending: Number(c.pending),
      retrying: Number(c.retrying),
      failed: Number(c.failed),
      delivered: Number(c.delivered),
      last_delivered_at: (c.last_delivered_at as Date | null) ?? null,
      last_error: e?.last_error ?? null,
      last_error_at: e?.last_attempt_at ?? null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outbound alerts and their deliveries

/** An outbound alert with its elder's name. */
export interface OutboundAlertRow {
  id: string;
  kind: string;
  region_code: string;
  elder_id: string | null;
  elder_name: string | null;
  title: string;
  body: string;
  created_at: Date;
}

/** The latest alerts of regions within the jurisdiction (those with a delivery on `channelId`). */
export function listOutboundAlerts(
  db: Executor,
  jurisdiction: string,
  limit: number,
  channelId?: string,
): Promise<OutboundAlertRow[]> {
  let q = db
    .selectFrom('alerts as a')
    .leftJoin('elders as e', 'e.id', 'a.elder_id')
    .select([
      'a.id',
      'a.kind',
      'a.region_code',
      'a.elder_id',
      'e.name as elder_name',
      'a.title',
      'a.body',
      'a.created_at',
    ])
    .where('a.region_code', 'like', `${escapeLike(jurisdiction)}%`);
  if (channelId) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('alert_deliveries as d')
          .select('d.alert_id')
          .whereRef('d.alert_id', '=', 'a.id')
          .where('d.channel_id', '=', channelId),
      ),
    );
  }
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
}

/** A delivery with its channel. */
export interface DeliveryRow {
  alert_id: string;
  channel_id: string;
  channel_name: string;
  channel_kind: 'webhook' | 'sms';
  channel_active: boolean;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
}

/** The deliveries of alerts on channels of regions within the jurisdiction. */
export function deliveriesOf(
  db: Executor,
  alertIds: string[],
  jurisdiction: string,
): Promise<DeliveryRow[]> {
  if (alertIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('alert_deliveries as d')
    .innerJoin('notification_channels as c', 'c.id', 'd.channel_id')
    .select([
      'd.alert_id',
      'd.channel_id',
      'c.name as channel_name',
      'c.kind as channel_kind',
      'c.active as channel_active',
      'd.status',
      'd.attempts',
      'd.last_attempt_at',
      'd.next_attempt_at',
      'd.last_error',
      'd.delivered_at',
    ])
    .where('d.alert_id', 'in', alertIds)
    .where('c.region_code', 'like', `${escapeLike(jurisdiction)}%`)
    .orderBy('c.name')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The dispatcher's statements

/** A delivery claimed for sending. */
export interface ClaimedDelivery {
  alert_id: string;
  channel_id: string;
  channel_kind: 'webhook' | 'sms';
  channel_config: unknown;
  payload: unknown;
  /** The attempt this claim is (the fencing token of the result). */
  attempts: number;
  /** The on-duty phones of the alerted region now (the payload's may be empty). */
  current_phones: string[];
}

/**
 * Claims up to `limit` due deliveries of active channels — pending, flagged failed, or sending
 * with an expired lease (the sender died) — skipping rows another sender holds: each becomes
 * `sending`, counts an attempt, and is leased for `leaseMs` (it becomes due again then).
 */
export async function claimDueDeliveries(
  db: Executor,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    with due as (
      select d.alert_id, d.channel_id
      from alert_deliveries d
      join notification_channels c on c.id = d.channel_id
      where d.status in ('pending', 'sending', 'failed') and d.next_attempt_at <= now()
        and c.active
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    )
    update alert_deliveries d
    set status = 'sending', attempts = d.attempts + 1, last_attempt_at = now(),
        lease_until = now() + ${leaseMs} * interval '1 millisecond',
        next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
    from due, notification_channels c, alerts a
    where d.alert_id = due.alert_id and d.channel_id = due.channel_id
      and c.id = d.channel_id and a.id = d.alert_id
    returning d.alert_id, d.channel_id, c.kind as channel_kind, c.config as channel_config,
      d.payload, d.attempts,
      (select coalesce(array_agg(u.phone order by u.username), '{}')
       from users u
       where u.jurisdiction = a.region_code and u.on_duty and u.status = 'active'
         and u.phone is not null and u.role in ('village', 'township', 'county'))
        as current_phones`.execute(db);
  return rows;
}

/**
 * Marks a delivery delivered — whichever attempt succeeded, so a late success of a sender whose
 * lease expired still counts. Delivered is final: the dispatcher never claims it again.
 */
export async function markDelivered(
  db: Executor,
  alertId: string,
  channelId: string,
): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({ status: 'delivered', delivered_at: sql`now()`, lease_until: null })
    .where('alert_id', '=', alertId)
    .where('channel_id', '=', channelId)
    .where('status', '<>', 'delivered')
    .execute();
}

/**
 * Schedules the next attempt of a failed send, `delayMs` from now, flagged `failed` from
 * `failedAfter` attempts on — only if this attempt still holds the delivery (no one re-claimed it).
 */
export async function markAttemptFailed(
  db: Executor,
  d: { alert_id: string; channel_id: string; attempts: number },
  error: string,
  delayMs: number,
  failedAfter: number,
): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({
      status: d.attempts >= failedAfter ? 'failed' : 'pending',
      next_attempt_at: sql`now() + ${delayMs} * interval '1 millisecond'`,
      lease_until: null,
      last_error: error.slice(0, 500),
    })
    .where('alert_id', '=', d.alert_id)
    .where('channel_id', '=', d.channel_id)
    .where('status', '=', 'sending')
    .where('attempts', '=', d.attempts)
    .execute();
}
