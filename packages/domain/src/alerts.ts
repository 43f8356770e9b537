/**
 * The alert queue (提醒) and the outbound channels (通知渠道) of issue 6: what a user's queue holds,
 * the configuration of a webhook or an SMS gateway, and the states of an outbox delivery.
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import {
  ALERT_KIND_LABELS,
  CHANNEL_KIND_LABELS,
  type AlertKind,
  type ChannelKind,
} from './follow-up.js';
import { AnyRegionCode, labelled, oneOf, requiredText, text } from './schema-helpers.js';
import { PhoneNumber } from './users.js';

// ---------------------------------------------------------------------------------------------
// The queue

/** What a queue item opens: the screen that deals with it. */
export type AlertTarget =
  | { type: 'finding'; id: string; elderId: string }
  | { type: 'elder'; id: string }
  | { type: 'referral'; id: string; elderId: string }
  | { type: 'campaign'; id: string }
  | { type: 'worklist'; region: string };

/** One item of a user's alert queue. */
export interface AlertQueueItemDto {
  /** Stable across refreshes: `finding:<id>`, `visit:<elder>:<obligation>`, … */
  key: string;
  kind: AlertKind;
  /** Lower is more urgent (`ALERT_URGENCY`). */
  urgency: number;
  title: string;
  /** A line under the title: the state, how late, the provider… */
  detail: string | null;
  /** The village (or the campaign's region). */
  region: RegionRef | null;
  elder: { id: string; name: string } | null;
  /** When it is due (a deadline, the end of a visit window); null when it has none. */
  dueAt: string | null;
  /** Past its due time. */
  overdue: boolean;
  /** The finding's or referral's status code, when it has one. */
  status: string | null;
  /** When it arose. */
  since: string | null;
  target: AlertTarget;
}

/** `GET /api/alerts/queue`: the signed-in user's queue, most urgent first. */
export interface AlertQueueDto {
  asOf: string;
  /** Every item, up to `ALERT_QUEUE_LIMIT`. */
  items: AlertQueueItemDto[];
  /** How many there are of each kind (before the limit). */
  counts: Record<AlertKind, number>;
  total: number;
  /** More items exist than were listed. */
  truncated: boolean;
}

/** The most items a queue lists (the counts are complete). */
export const ALERT_QUEUE_LIMIT = 200;

/**
 * Orders queue items: urgency, then the earliest due, then the oldest (a stable sort keeps the
 * order the sources gave to items that tie, e.g. the worklist's).
 */
export function compareQueueItems(a: AlertQueueItemDto, b: AlertQueueItemDto): number {
  return (
    a.urgency - b.urgency ||
    (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') ||
    (a.since ?? '9999').localeCompare(b.since ?? '9999')
  );
}

/** An empty count of every kind. */
export function emptyAlertCounts(): Record<AlertKind, number> {
  return Object.fromEntries(labelled(ALERT_KIND_LABELS).map((k) => [k, 0])) as Record<
    AlertKind,
    number
  >;
}

/** The event a live stream (`GET /api/alerts/stream`) sends when a queue may have changed. */
export interface AlertStreamEvent {
  /** What changed (`emergency`, `finding`, `referral`, …): the client re-reads the queue. */
  kind: string;
  regionCode: string;
}

// ---------------------------------------------------------------------------------------------
// Outbound channels

/** How a test alert from a channel's 测试 button is labelled (not a queue kind). */
export const TEST_ALERT_KIND = 'test';
/** The label of any outbound alert kind, the test included. */
export function outboundAlertKindLabel(kind: string): string {
  return kind === TEST_ALERT_KIND ? '测试消息' : (ALERT_KIND_LABELS[kind as AlertKind] ?? kind);
}

const httpUrl = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(500, { error: `${label}最多 500 个字符` })
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: `${label}应为 http:// 或 https:// 开头的网址` },
    );

const secretText = (label: string, min: number) =>
  z
    .string({ error: `${label}必须是文字` })
    .min(min, { error: `${label}至少 ${min} 个字符` })
    .max(200, { error: `${label}最多 200 个字符` })
    .regex(/^\S+$/, { error: `${label}不能含空格` });

/** A webhook: POST of the alert as JSON, signed with HMAC-SHA256 of the body. */
export const WebhookChannelConfig = z.strictObject({
  url: httpUrl('接收地址'),
  /** The HMAC key; the receiver checks `X-Tanfang-Signature: sha256=<hex>` with it. */
  secret: secretText('签名密钥', 16),
});
/** A webhook's configuration. */
export type WebhookChannelConfig = z.infer<typeof WebhookChannelConfig>;

/** A generic HTTP SMS gateway: POST {phones, content, signName?, templateCode?} with an API key. */
export const SmsChannelConfig = z.strictObject({
  url: httpUrl('短信网关地址'),
  apiKey: secretText('API 密钥', 8),
  /** The header that carries the key. */
  apiKeyHeader: z
    .string({ error: '密钥请求头必须是文字' })
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, { error: '密钥请求头应为字母、数字和“-”' })
    .default('X-Api-Key'),
  /** 短信签名, e.g. 探访关爱. */
  signName: text('短信签名', 20).optional(),
  /** The gateway's template code, when it needs one. */
  templateCode: text('模板编号', 50).optional(),
  /** Numbers that receive every message besides the on-duty staff (a duty hotline). */
  extraPhones: z
    .array(PhoneNumber, { error: '固定接收号码应为号码列表' })
    .max(20, { error: '固定接收号码最多 20 个' })
    .default([]),
});
/** An SMS gateway's configuration. */
export type SmsChannelConfig = z.infer<typeof SmsChannelConfig>;

/** The configuration schema of each kind of channel. */
export const CHANNEL_CONFIG_SCHEMAS = {
  webhook: WebhookChannelConfig,
  sms: SmsChannelConfig,
} as const satisfies Record<ChannelKind, z.ZodType>;

/** The configuration fields that are secrets: never sent back in full. */
export const CHANNEL_SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ['secret'],
  sms: ['apiKey'],
};

/** A secret as responses show it: its last four characters. */
export function maskSecret(secret: string): string {
  return `••••••${secret.slice(-4)}`;
}

/** Whether a value is a mask as `maskSecret` makes them (sent back unchanged by a form). */
export function isMaskedSecret(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('••••••');
}

const AlertKinds = z
  .array(oneOf(ALERT_KIND_LABELS, '提醒类型'), { error: '提醒类型应为列表' })
  .max(labelled(ALERT_KIND_LABELS).length)
  .refine((v) => new Set(v).size === v.length, { error: '提醒类型不能重复' });

const channelFields = {
  regionCode: AnyRegionCode,
  name: requiredText('渠道名称', 40),
  /** The alert kinds it carries; empty for all. */
  alertKinds: AlertKinds.default([]),
  active: z.boolean({ error: '是否启用应为是或否' }).default(true),
};

/** Body of `POST /api/notification-channels`. */
export const ChannelCreateInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('webhook'),
      ...channelFields,
      config: WebhookChannelConfig,
    }),
    z.strictObject({ kind: z.literal('sms'), ...channelFields, config: SmsChannelConfig }),
  ],
  { error: `渠道类型应为：${Object.values(CHANNEL_KIND_LABELS).join('、')}` },
);
/** Body of `POST /api/notification-channels`. */
export type ChannelCreateInput = z.infer<typeof ChannelCreateInput>;
/** Body of `POST /api/notification-channels` as a client sends it (defaults may be left out). */
export type ChannelCreateBody = z.input<typeof ChannelCreateInput>;

/**
 * Body of `PATCH /api/notification-channels/:id`: the fields to change. `config` is the whole
 * configuration of the channel's kind, except that a secret left out (or sent back masked) keeps
 * the stored one. The kind and region never change.
 */
export const ChannelPatchInput = z.strictObject({
  name: channelFields.name.optional(),
  alertKinds: AlertKinds.optional(),
  active: channelFields.active.unwrap().optional(),
  config: z.record(z.string(), z.unknown(), { error: '渠道配置应为对象' }).optional(),
});
/** Body of `PATCH /api/notification-channels/:id`. */
export type ChannelPatchInput = z.infer<typeof ChannelPatchInput>;

/**
 * The state of one delivery as a user reads it. `failed` is stored after
 * `DELIVERY_FAILED_AFTER` attempts, yet the outbox keeps retrying it at the longest backoff: an
 * alert is never dropped.
 */
export const DELIVERY_STATE_LABELS = {
  pending: '待发送',
  sending: '发送中',
  retrying: '重试中',
  failed: '多次失败，重试中',
  delivered: '已送达',
} as const;
/** The state of a delivery. */
export type DeliveryState = keyof typeof DELIVERY_STATE_LABELS;

/** Attempts after which a delivery is flagged `failed` (it is still retried). */
export const DELIVERY_FAILED_AFTER = 6;

/** A delivery's state from its stored status and attempts. */
export function deliveryStateOf(d: {
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
}): DeliveryState {
  switch (d.status) {
    case 'delivered':
      return 'delivered';
    case 'failed':
      return 'failed';
    case 'sending':
      return 'sending';
    case 'pending':
      return d.attempts > 0 ? 'retrying' : 'pending';
  }
}

/** Delivery counts of a channel. */
export interface ChannelDeliveryStats {
  pending: number;
  retrying: number;
  failed: number;
  delivered: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveredAt: string | null;
}

/** A channel as the API shows it: secrets masked. */
export interface ChannelDto {
  id: string;
  region: RegionRef;
  kind: ChannelKind;
  name: string;
  /** The configuration with every secret masked (`maskSecret`). */
  config: Record<string, unknown>;
  alertKinds: AlertKind[];
  active: boolean;
  createdAt: string;
  deliveries: ChannelDeliveryStats;
}

/** One delivery of an outbound alert on one channel. */
export interface DeliveryDto {
  channel: { id: string; name: string; kind: ChannelKind; active: boolean };
  state: DeliveryState;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** An outbound alert with its deliveries (`GET /api/alerts`). */
export interface OutboundAlertDto {
  id: string;
  kind: string;
  kindLabel: string;
  title: string;
  body: string;
  region: RegionRef;
  elder: { id: string; name: string } | null;
  createdAt: string;
  deliveries: DeliveryDto[];
}

/** Query of `GET /api/alerts`: the latest outbound alerts, optionally of one channel. */
export const OutboundAlertQuery = z.strictObject({
  channel: z
    .string({ error: '渠道编号必须是文字' })
    .regex(/^[0-9a-f-]{36}$/i, { error: '渠道编号应为 UUID' })
    .optional(),
  limit: z.coerce.number({ error: '条数必须是数字' }).int().min(1).max(200).default(50),
});

// ---------------------------------------------------------------------------------------------
// What goes out

/** The body an outbound channel receives (webhook JSON; the SMS text is made from it). */
export interface AlertPayload {
  id: string;
  kind: string;
  regionCode: string;
  elderId: string | null;
  elderName?: string | null;
  /** County, township and village names, e.g. 宽甸满族自治县灌水镇东岔村委会. */
  place?: string | null;
  subjectType: string;
  subjectId: string;
  title: string;
  body: string;
  urgency: number;
  createdAt: string;
  /** The on-duty staff of the alerted region with a phone number. */
  phones: string[];
}

/** The longest SMS text we send (gateways split long messages; 300 keeps it to a few parts). */
export const SMS_MAX_LENGTH = 300;

/**
 * The Chinese text of an alert by SMS, at most `SMS_MAX_LENGTH` characters, e.g.
 * 【探访关爱】紧急情况：宽甸满族自治县灌水镇东岔村委会 王秀英 摔倒…请立即处置。
 */
export function smsContent(p: AlertPayload, signName = '探访关爱'): string {
  const label = outboundAlertKindLabel(p.kind);
  const who = [p.place, p.elderName].filter(Boolean).join(' ');
  const action = p.kind.startsWith('emergency') ? '请立即处置。' : '请及时处理。';
  const head = `【${signName}】${label}：${who ? `${who} ` : ''}`;
  const tail = `${action}`;
  // A title that starts with the label again (紧急情况：…) says it once.
  const title = p.title.startsWith(`${label}：`) ? p.title.slice(label.length + 1) : p.title;
  const detail = [title, p.body].filter(Boolean).join('，');
  const room = SMS_MAX_LENGTH - head.length - tail.length - 1;
  const text = detail.length > room ? `${detail.slice(0, Math.max(0, room - 1))}…` : detail;
  return `${head}${text}${text.endsWith('。') ? '' : '。'}${tail}`.slice(0, SMS_MAX_LENGTH);
}
