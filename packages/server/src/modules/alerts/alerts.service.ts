import {
  ALERT_QUEUE_LIMIT,
  ALERT_URGENCY,
  CHANNEL_CONFIG_SCHEMAS,
  CHANNEL_SECRET_FIELDS,
  ChannelCreateInput,
  ChannelPatchInput,
  DEADLINE_ACTION_LABELS,
  ESCALATION_LEVEL_LABELS,
  FINDING_STATUS_LABELS,
  FINDING_TYPE_LABELS,
  OBLIGATION_KIND_LABELS,
  OutboundAlertQuery,
  PROVIDER_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  compareQueueItems,
  deliveryStateOf,
  emptyAlertCounts,
  isMaskedSecret,
  isUuid,
  isWithinJurisdiction,
  localDateOf,
  maskSecret,
  outboundAlertKindLabel,
  uuidv7,
  type AlertKind,
  type AlertQueueDto,
  type AlertQueueItemDto,
  type AlertTarget,
  type ChannelDto,
  type ChannelKind,
  type FindingStatus,
  type FindingType,
  type OutboundAlertDto,
  type ProviderKind,
  type ReferralStatus,
  type RegionRef,
  type Role,
  type WorklistItemDto,
} from '@tanfang/domain';
import { z } from 'zod';
import type { Actor, Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { listCampaigns, type CampaignRow } from '../campaigns/campaigns.repository.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ScheduleService } from '../schedule/schedule.service.js';
import type { AlertBus } from './alert-bus.js';
import {
  channelStats,
  deliveriesOf,
  findChannel,
  findingsDueBefore,
  insertChannel,
  listChannels,
  listOutboundAlerts,
  openEmergencies,
  raiseTestAlert,
  referralsAnsweredSince,
  referralsAwaitingProvider,
  updateChannel,
  type ChannelRow,
  type ChannelStatsRow,
  type QueueFindingRow,
  type QueueReferralRow,
} from './alerts.repository.js';

/** Staff roles whose queue covers their jurisdiction. */
const STAFF: readonly Role[] = ['village', 'township', 'county', 'city', 'admin', 'auditor'];
/** Roles that read the outbound channels and what was sent. */
const CHANNEL_READERS: readonly Role[] = ['county', 'city', 'admin', 'auditor'];
/** Roles that set up outbound channels. */
const CHANNEL_WRITERS: readonly Role[] = ['county', 'city', 'admin'];

const HOUR = 3_600_000;
/** Findings whose deadline falls within this time are "nearing" it. */
const DUE_SOON_MS = 24 * HOUR;
/** Referrals declined or completed this recently are shown to staff. */
const ANSWERED_WITHIN_MS = 7 * 24 * HOUR;

/** The alert queue (提醒), its live stream's access rule, and the outbound channels (通知渠道). */
export class AlertsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly schedule: ScheduleService,
    private readonly bus: AlertBus,
  ) {}

  /**
   * `GET /api/alerts/queue`: the user's queue, computed from the database in one concurrent round
   * — open emergencies, findings nearing or past their deadline, overdue visits and campaign tasks
   * (the schedule module's worklist), and referrals — most urgent first. A visitor sees only the
   * elders assigned to them; a provider only what was referred to it.
   */
  async queue(ctx: RequestContext, now = Date.now()): Promise<AlertQueueDto> {
    const { actor } = ctx;
    const staff = STAFF.includes(actor.role);
    const visitor = actor.role === 'visitor';
    const provider = actor.role === 'provider';
    if (!staff && !visitor && !provider) throw forbidden('您的角色没有提醒');
    const scope = {
      jurisdiction: actor.jurisdiction,
      visitorUserId: visitor ? actor.userId : undefined,
      today: localDateOf(now),
    };
    const perElderTasks = visitor || actor.role === 'village' || actor.role === 'township';
    const [tasks, emergencies, due, referrals, campaigns] = await Promise.all([
      perElderTasks ? this.schedule.queueTasks(actor, now) : [],
      provider ? [] : openEmergencies(this.db, scope),
      staff ? findingsDueBefore(this.db, scope, new Date(now + DUE_SOON_MS)) : [],
      provider
        ? referralsAwaitingProvider(this.db, actor.userId, actor.jurisdiction)
        : staff
          ? referralsAnsweredSince(this.db, actor.jurisdiction, new Date(now - ANSWERED_WITHIN_MS))
          : [],
      staff && !perElderTasks
        ? listCampaigns(this.db, {
            region: actor.jurisdiction,
            jurisdiction: actor.jurisdiction,
            state: 'in_force',
            now: new Date(now),
          })
        : [],
    ]);
    const names = await this.regions.fullNames([
      ...new Set([
        ...emergencies.map((f) => f.village_code),
        ...due.map((f) => f.village_code),
        ...referrals.map((r) => r.village_code),
        ...campaigns.map((c) => c.region_code),
      ]),
    ]);
    const region = (code: string): RegionRef => ({
      code,
      ...(names.get(code) ?? { name: code, fullName: code }),
    });
    const items: AlertQueueItemDto[] = [
      ...emergencies.map((f) => emergencyItem(f, region(f.village_code), now)),
      ...due.map((f) => findingItem(f, region(f.village_code), now)),
      ...(visitor ? tasks.map((t) => visitTaskItem(t)) : staffTaskItems(tasks)),
      ...campaigns.map((c) => campaignItem(c, region(c.region_code))),
      ...referrals.map((r) => referralItem(r, region(r.village_code), provider)),
    ].sort(compareQueueItems);
    const counts = emptyAlertCounts();
    for (const i of items) counts[i.kind]++;
    await audit(this.db, ctx, {
      action: 'alerts.queue',
      entity: 'alert',
      regionCode: actor.jurisdiction,
      detail: { items: items.length },
    });
    return {
      asOf: new Date(now).toISOString(),
      items: items.slice(0, ALERT_QUEUE_LIMIT),
      counts,
      total: items.length,
      truncated: items.length > ALERT_QUEUE_LIMIT,
    };
  }

  /** `GET /api/alerts/stream`: any signed-in user with a queue may keep a live stream open. */
  assertCanStream(ctx: RequestContext): Actor {
    const role = ctx.actor.role;
    if (!STAFF.includes(role) && role !== 'visitor' && role !== 'provider')
      throw forbidden('您的角色没有提醒');
    return ctx.actor;
  }

  /** `GET /api/notification-channels`: the channels of the jurisdiction with delivery counts. */
  async listChannels(ctx: RequestContext): Promise<ChannelDto[]> {
    if (!CHANNEL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看通知渠道');
    const rows = await listChannels(this.db, ctx.actor.jurisdiction);
    return this.presentChannels(rows);
  }

  /** `POST /api/notification-channels`: a webhook or SMS gateway for a region within the jurisdiction. */
  async createChannel(ctx: RequestContext, raw: unknown): Promise<ChannelDto> {
    if (!CHANNEL_WRITERS.includes(ctx.actor.role)) throw forbidden('您的角色不能设置通知渠道');
    const input = parseInput(ChannelCreateInput, raw);
    if (!isWithinJurisdiction(input.regionCode, ctx.actor.jurisdiction)) throw notFound('区域');
    if (!(await findRegion(this.db, input.regionCode))) throw notFound('区域');
    const row = await this.db.transaction().execute(async (trx) => {
      const created = await insertChannel(trx, {
        id: uuidv7(),
        region_code: input.regionCode,
        kind: input.kind,
        name: input.name,
        config: input.config,
        alert_kinds: input.alertKinds,
        active: input.active,
        created_by: ctx.actor.userId,
      });
      await audit(trx, ctx, {
        action: 'channel.create',
        entity: 'notification_channel',
        entityId: created.id,
        regionCode: created.region_code,
        detail: { kind: created.kind, name: created.name, alertKinds: created.alert_kinds },
      });
      return created;
    });
    return (await this.presentChannels([row]))[0]!;
  }

  /**
   * `PATCH /api/notification-channels/:id`: name, kinds, active, or the whole configuration (a
   * secret left out or sent back masked keeps the stored one).
   */
  async updateChannel(ctx: RequestContext, id: string, raw: unknown): Promise<ChannelDto> {
    if (!CHANNEL_WRITERS.includes(ctx.actor.role)) throw forbidden('您的角色不能设置通知渠道');
    const patch = parseInput(ChannelPatchInput, raw);
    const channel = await this.ownChannel(ctx, id);
    let config: object | undefined;
    if (patch.config) {
      const merged: Record<string, unknown> = { ...patch.config };
      const stored = channel.config as Record<string, unknown>;
      for (const field of CHANNEL_SECRET_FIELDS[channel.kind])
        if (merged[field] === undefined || isMaskedSecret(merged[field]))
          merged[field] = stored[field];
      config = parseInput(z.strictObject({ config: CHANNEL_CONFIG_SCHEMAS[channel.kind] }), {
        config: merged,
      }).config;
    }
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await updateChannel(trx, channel.id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.alertKinds !== undefined ? { alert_kinds: patch.alertKinds } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(config ? { config } : {}),
      });
      await audit(trx, ctx, {
        action: 'channel.update',
        entity: 'notification_channel',
        entityId: channel.id,
        regionCode: channel.region_code,
        detail: { changed: Object.keys(patch) },
      });
      return updated;
    });
    // A channel switched back on may have deliveries waiting.
    if (patch.active) this.bus.wakeOutbox();
    return (await this.presentChannels([row]))[0]!;
  }

  /** `POST /api/notification-channels/:id/test`: queues a test alert on this channel alone. */
  async testChannel(ctx: RequestContext, id: string): Promise<{ alertId: string }> {
    if (!CHANNEL_WRITERS.includes(ctx.actor.role)) throw forbidden('您的角色不能设置通知渠道');
    const channel = await this.ownChannel(ctx, id);
    const alertId = await this.db.transaction().execute(async (trx) => {
      const alert = await raiseTestAlert(trx, channel, {
        title: '测试消息',
        body: `这是“${channel.name}”的测试消息，由 ${ctx.actor.username} 发送，收到即说明渠道可用`,
      });
      await audit(trx, ctx, {
        action: 'channel.test',
        entity: 'notification_channel',
        entityId: channel.id,
        regionCode: channel.region_code,
        detail: { alertId: alert },
      });
      return alert;
    });
    this.bus.wakeOutbox();
    return { alertId };
  }

  /**
   * `GET /api/alerts?channel=&limit=`: the latest alerts sent out of the jurisdiction, each with
   * its deliveries (待发送, 重试中, 已送达 …) on the channels of the jurisdiction.
   */
  async outbound(ctx: RequestContext, rawQuery: unknown): Promise<OutboundAlertDto[]> {
    if (!CHANNEL_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看通知渠道');
    const query = parseInput(OutboundAlertQuery, rawQuery, 'query');
    if (query.channel) await this.ownChannel(ctx, query.channel);
    const alerts = await listOutboundAlerts(
      this.db,
      ctx.actor.jurisdiction,
      query.limit,
      query.channel,
    );
    const [deliveries, names] = await Promise.all([
      deliveriesOf(
        this.db,
        alerts.map((a) => a.id),
        ctx.actor.jurisdiction,
      ),
      this.regions.fullNames([...new Set(alerts.map((a) => a.region_code))]),
    ]);
    return alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      kindLabel: outboundAlertKindLabel(a.kind),
      title: a.title,
      body: a.body,
      region: {
        code: a.region_code,
        ...(names.get(a.region_code) ?? { name: a.region_code, fullName: a.region_code }),
      },
      elder: a.elder_id ? { id: a.elder_id, name: a.elder_name ?? '' } : null,
      createdAt: a.created_at.toISOString(),
      deliveries: deliveries
        .filter((d) => d.alert_id === a.id)
        .map((d) => ({
          channel: {
            id: d.channel_id,
            name: d.channel_name,
            kind: d.channel_kind,
            active: d.channel_active,
          },
          state: deliveryStateOf(d),
          attempts: d.attempts,
          lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
          nextAttemptAt: d.status === 'delivered' ? null : d.next_attempt_at.toISOString(),
          lastError: d.last_error,
          deliveredAt: d.delivered_at?.toISOString() ?? null,
        })),
    }));
  }

  /** A channel of a region within the jurisdiction, or 404. */
  private async ownChannel(ctx: RequestContext, id: string): Promise<ChannelRow> {
    const channel = isUuid(id) ? await findChannel(this.db, id) : undefined;
    if (!channel || !isWithinJurisdiction(channel.region_code, ctx.actor.jurisdiction))
      throw notFound('通知渠道');
    return channel;
  }

  private async presentChannels(rows: ChannelRow[]): Promise<ChannelDto[]> {
    const [stats, names] = await Promise.all([
      channelStats(
        this.db,
        rows.map((r) => r.id),
      ),
      this.regions.fullNames([...new Set(rows.map((r) => r.region_code))]),
    ]);
    return rows.map((r) => presentChannel(r, stats.get(r.id), names));
  }
}

/** A channel as responses show it: every secret masked. */
export function presentChannel(
  r: ChannelRow,
  s: ChannelStatsRow | undefined,
  names: Map<string, { name: string; fullName: string }>,
): ChannelDto {
  const config = { ...(r.config as Record<string, unknown>) };
  for (const field of CHANNEL_SECRET_FIELDS[r.kind as ChannelKind]) {
    const value = config[field];
    if (typeof value === 'string') config[field] = maskSecret(value);
  }
  return {
    id: r.id,
    region: {
      code: r.region_code,
      ...(names.get(r.region_code) ?? { name: r.region_code, fullName: r.region_code }),
    },
    kind: r.kind,
    name: r.name,
    config,
    alertKinds: r.alert_kinds as AlertKind[],
    active: r.active,
    createdAt: r.created_at.toISOString(),
    deliveries: {
      pending: s?.pending ?? 0,
      retrying: s?.retrying ?? 0,
      failed: s?.failed ?? 0,
      delivered: s?.delivered ?? 0,
      lastError: s?.last_error ?? null,
      lastErrorAt: s?.last_error_at?.toISOString() ?? null,
      lastDeliveredAt: s?.last_delivered_at?.toISOString() ?? null,
    },
  };
}

function item(
  kind: AlertKind,
  fields: Omit<AlertQueueItemDto, 'kind' | 'urgency'>,
): AlertQueueItemDto {
  return { kind, urgency: ALERT_URGENCY[kind], ...fields };
}

function findingTarget(f: QueueFindingRow): AlertTarget {
  return { type: 'finding', id: f.id, elderId: f.elder_id };
}

/** An open emergency: escalated ones say to which level; unacknowledged ones carry their deadline. */
function emergencyItem(f: QueueFindingRow, region: RegionRef, now: number): AlertQueueItemDto {
  const escalated = f.escalation_level !== 'village';
  const waiting = f.acknowledged_at === null;
  const parts = [
    FINDING_STATUS_LABELS[f.status as FindingStatus] ?? f.status,
    waiting ? '未响应' : '已响应',
    ...(escalated ? [`已升级至${ESCALATION_LEVEL_LABELS[f.escalation_level]}`] : []),
  ];
  return item(escalated ? 'emergency_escalated' : 'emergency', {
    key: `finding:${f.id}`,
    title: `${f.elder_name}：${f.title}`,
    detail: parts.join(' · '),
    region,
    elder: { id: f.elder_id, name: f.elder_name },
    dueAt: waiting ? (f.deadline_at?.toISOString() ?? null) : null,
    overdue: waiting && f.deadline_at !== null && f.deadline_at.getTime() < now,
    status: f.status,
    since: f.created_at.toISOString(),
    target: findingTarget(f),
  });
}

/** A finding nearing (within 24 h) or past its deadline. */
function findingItem(f: QueueFindingRow, region: RegionRef, now: number): AlertQueueItemDto {
  const overdue = f.deadline_at !== null && f.deadline_at.getTime() < now;
  const action = f.deadline_action ? DEADLINE_ACTION_LABELS[f.deadline_action] : '处置';
  return item(overdue ? 'finding_overdue' : 'finding_due', {
    key: `finding:${f.id}`,
    title: `${f.elder_name}：${f.title}`,
    detail: [
      FINDING_TYPE_LABELS[f.type as FindingType] ?? f.type,
      FINDING_STATUS_LABELS[f.status as FindingStatus] ?? f.status,
      overdue ? `${action}已逾期` : `${action}即将到期`,
    ].join(' · '),
    region,
    elder: { id: f.elder_id, name: f.elder_name },
    dueAt: f.deadline_at?.toISOString() ?? null,
    overdue,
    status: f.status,
    since: f.created_at.toISOString(),
    target: findingTarget(f),
  });
}

/** An overdue visit or a campaign task of one elder (the visitor's own queue). */
function visitTaskItem(t: WorklistItemDto): AlertQueueItemDto {
  const o = t.obligation;
  const overdue = t.bucket === 'overdue';
  const what = o.campaign ? o.campaign.name : OBLIGATION_KIND_LABELS[o.kind];
  return item(overdue ? 'visit_overdue' : 'campaign_task', {
    key: `visit:${t.elder.id}:${o.key}`,
    title: `${t.elder.name}：${what}`,
    detail: overdue
      ? `${o.periodLabel} 逾期未访${t.daysOverdue ? ` ${t.daysOverdue} 天` : ''}`
      : `${o.periodLabel} 待探访`,
    region: t.elder.village,
    elder: { id: t.elder.id, name: t.elder.name },
    dueAt: o.dueBy,
    overdue,
    status: null,
    since: o.windowStart,
    target: { type: 'elder', id: t.elder.id },
  });
}

/**
 * Staff of a village or township: each overdue elder, and one item per campaign with how many
 * elders still need its visit.
 */
function staffTaskItems(tasks: WorklistItemDto[]): AlertQueueItemDto[] {
  const out: AlertQueueItemDto[] = [];
  const byCampaign = new Map<string, WorklistItemDto[]>();
  for (const t of tasks) {
    const c = t.obligation.campaign;
    if (t.bucket === 'campaign' && c) {
      const list = byCampaign.get(c.id) ?? [];
      list.push(t);
      byCampaign.set(c.id, list);
    } else out.push(visitTaskItem(t));
  }
  for (const [id, list] of byCampaign) {
    const first = list.reduce((a, b) => (a.obligation.dueBy <= b.obligation.dueBy ? a : b));
    const villages = new Set(list.map((t) => t.elder.village.code));
    out.push(
      item('campaign_task', {
        key: `campaign:${id}`,
        title: `${first.obligation.campaign!.name}：${list.length} 位老年人待专项探访`,
        detail: villages.size === 1 ? first.elder.village.name : `${villages.size} 个村（社区）`,
        region: villages.size === 1 ? first.elder.village : null,
        elder: null,
        dueAt: first.obligation.dueBy,
        overdue: false,
        status: null,
        since: first.obligation.windowStart,
        target: { type: 'campaign', id },
      }),
    );
  }
  return out;
}

/** A campaign in force (county and above). */
function campaignItem(c: CampaignRow, region: RegionRef): AlertQueueItemDto {
  return item('campaign_task', {
    key: `campaign:${c.id}`,
    title: `${c.name}：专项探访进行中`,
    detail: region.fullName,
    region,
    elder: null,
    dueAt: c.ends_at.toISOString(),
    overdue: false,
    status: null,
    since: c.starts_at.toISOString(),
    target: { type: 'campaign', id: c.id },
  });
}

/** A referral: awaiting the provider's answer (provider), or answered (staff). */
function referralItem(
  r: QueueReferralRow,
  region: RegionRef,
  forProvider: boolean,
): AlertQueueItemDto {
  const kind = PROVIDER_KIND_LABELS[r.kind as ProviderKind] ?? r.kind;
  const status = REFERRAL_STATUS_LABELS[r.status as ReferralStatus] ?? r.status;
  return item('referral', {
    key: `referral:${r.id}`,
    title: `${r.elder_name}：${r.need}`,
    detail: forProvider ? `${kind} · 待接收` : `${kind} · ${r.provider_name}${status}`,
    region,
    elder: { id: r.elder_id, name: r.elder_name },
    dueAt: null,
    overdue: false,
    status: r.status,
    since: (forProvider ? r.created_at : r.updated_at).toISOString(),
    target: { type: 'referral', id: r.id, elderId: r.elder_id },
  });
}
