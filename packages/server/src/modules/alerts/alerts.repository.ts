import { sql } from 'kysely';
import type { AlertKind } from '@tanfang/domain';
import { ALERT_URGENCY, uuidv7 } from '@tanfang/domain';
import type { Executor } from '../../context.js';

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
 * Records an alert and queues its delivery on every active channel of the region or a region
 * enclosing it that carries its kind — in the caller's transaction, so an alert exists exactly
 * when the event that raised it was committed (the outbox). The same event for the same region
 * twice is one alert. Each delivery carries the alert and the phone numbers of the on-duty staff
 * of the alerted region (for an SMS gateway). Returns the alert's id, or null when it existed.
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
      select a.id, c.id, jsonb_build_object(
        'id', a.id, 'kind', a.kind, 'regionCode', a.region_code, 'elderId', a.elder_id,
        'subjectType', a.subject_type, 'subjectId', a.subject_id, 'title', a.title,
        'body', a.body, 'urgency', a.urgency, 'createdAt', a.created_at,
        'phones', (select coalesce(jsonb_agg(u.phone order by u.username), '[]'::jsonb)
                   from users u
                   where u.jurisdiction = a.region_code and u.on_duty and u.status = 'active'
                     and u.phone is not null and u.role in ('village', 'township', 'county')))
      from a join notification_channels c
        on c.active and a.region_code like c.region_code || '%'
       and (cardinality(c.alert_kinds) = 0 or a.kind = any(c.alert_kinds))
    )
    select id from a`.execute(db);
  return rows[0]?.id ?? null;
}
