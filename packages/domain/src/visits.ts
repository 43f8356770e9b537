/**
 * Visit records (探访记录): what the field app and the console send, what they get back, and the
 * proof-of-visit flags a supervisor sees beside each visit. The answers themselves are checked by
 * `checkAnswers` (templates.ts) against the template version the visit was made with.
 */
import { z } from 'zod';
import { VISIT_METHOD_LABELS, type ChecklistItem, type VisitMethod } from './policies.js';
import { startOfLocalDate } from './periods.js';
import { oneOf, paging, text, AnyRegionCode } from './schema-helpers.js';
import {
  Answers,
  FINDING_SEVERITY_LABELS,
  FINDING_TYPE_LABELS,
  type FindingSeverity,
  type FindingType,
} from './templates.js';
import type { VisitorType } from './visitors.js';
import type { RegionRef } from './elder.js';
import type { Page } from './users.js';
import type { FindingDeadlineDto } from './findings.js';

const uuid = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: `${label}应为 UUID`,
    })
    .transform((v) => v.toLowerCase());

const instant = (label: string) =>
  z.iso.datetime({
    offset: true,
    error: `${label}应为带时区的日期时间，如 2026-11-20T09:30:00+08:00`,
  });

/** Where the phone was when the visit started (GPS), and how sure it was. */
export const VisitLocation = z.strictObject({
  lat: z
    .number({ error: '纬度必须是数字' })
    .min(-90, { error: '纬度应在 -90 到 90 之间' })
    .max(90, { error: '纬度应在 -90 到 90 之间' }),
  lng: z
    .number({ error: '经度必须是数字' })
    .min(-180, { error: '经度应在 -180 到 180 之间' })
    .max(180, { error: '经度应在 -180 到 180 之间' }),
  /** Metres (the radius the phone reports). */
  accuracy: z
    .number({ error: '定位精度必须是数字' })
    .min(0, { error: '定位精度不能为负数' })
    .max(100_000, { error: '定位精度应不超过 100 公里' }),
  capturedAt: instant('定位时间'),
});
/** Where the phone was when the visit started. */
export type VisitLocation = z.infer<typeof VisitLocation>;

/** Body of `POST /api/visits`. */
export const VisitInput = z.strictObject({
  /** A UUIDv7 made by the client: sending it again is the same record. */
  id: uuid('探访记录编号'),
  elderId: uuid('老年人编号'),
  /** The visitor; a visitor account may omit it (it is their own). */
  visitorId: uuid('探访人员编号').optional(),
  visitedAt: instant('探访时间'),
  /** The device's clock when it sent the visit (proof of visit). */
  deviceTime: instant('设备时间').optional(),
  method: oneOf(VISIT_METHOD_LABELS, '探访方式'),
  template: z.strictObject(
    {
      key: z.string({ error: '表单代码必须是文字' }).min(1, { error: '请填写表单代码' }).max(40),
      version: z
        .number({ error: '表单版本必须是数字' })
        .int({ error: '表单版本必须是整数' })
        .min(1, { error: '表单版本至少为 1' }),
    },
    { error: '请给出表单 {key, version}' },
  ),
  answers: Answers,
  /** The 紧急情况 switch: raises an emergency finding at once. */
  emergency: z.boolean({ error: '紧急情况应为 true 或 false' }).default(false),
  emergencyNote: text('紧急情况说明', 500).optional(),
  location: VisitLocation.optional(),
  /** Photos and signatures uploaded before (PUT /api/attachments/:id). */
  attachmentIds: z
    .array(uuid('附件编号'), { error: '附件编号必须是列表' })
    .max(20, { error: '附件最多 20 个' })
    .default([]),
});
/** Body of `POST /api/visits`. */
export type VisitInput = z.infer<typeof VisitInput>;

/** Query of `GET /api/elders/:id/visits`. */
export const ElderVisitsQuery = z.strictObject({
  year: z.coerce
    .number({ error: '年份必须是数字' })
    .int()
    .min(2000, { error: '年份不正确' })
    .max(2100, { error: '年份不正确' })
    .optional(),
});

/** Kinds of file a visit carries. */
export const ATTACHMENT_KIND_LABELS = { photo: '照片', signature: '签字' } as const;
/** Kind of attachment. */
export type AttachmentKind = keyof typeof ATTACHMENT_KIND_LABELS;
/** The image types accepted. */
export const ATTACHMENT_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The largest attachment accepted (phones compress photos before sending). */
export const ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024;

/** Query of `PUT /api/attachments/:id`. */
export const AttachmentUploadQuery = z.strictObject({
  elderId: uuid('老年人编号'),
  kind: oneOf(ATTACHMENT_KIND_LABELS, '附件类型'),
});

/** An attachment in responses (the image itself is at GET /api/attachments/:id). */
export interface AttachmentDto {
  id: string;
  kind: AttachmentKind;
  mime: string;
  size: number;
  /** SHA-256 of the bytes, hex (proof the photo was not swapped). */
  sha256: string;
}

/** Status of a finding (its workflow: `FINDING_TRANSITIONS` in follow-up.ts). */
export const FINDING_STATUS_LABELS = {
  open: '待处理',
  in_progress: '处理中',
  referred: '已转介',
  resolved: '已解决',
  closed: '已关闭',
} as const;
/** Status of a finding. */
export type FindingStatus = keyof typeof FINDING_STATUS_LABELS;

/** A finding in responses. */
export interface FindingDto {
  id: string;
  type: FindingType;
  severity: FindingSeverity;
  title: string;
  source: string;
  status: FindingStatus;
}

/** A finding in a region's list, with its elder and village. */
export interface FindingListItemDto extends FindingDto {
  /** Null for an emergency raised by staff without a visit. */
  visitId: string | null;
  /** When the visit that raised it happened (null without a visit). */
  visitedAt: string | null;
  createdAt: string;
  elder: { id: string; name: string };
  village: RegionRef;
  /** The deadline and its state now (null for a finding without one). */
  deadline: FindingDeadlineDto | null;
  /** The member of staff responsible. */
  owner: { id: string; name: string } | null;
}

/** Query of `GET /api/findings`: a region and the status, severity and type to show. */
export const FindingListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  status: oneOf(FINDING_STATUS_LABELS, '处理状态').optional(),
  severity: oneOf(FINDING_SEVERITY_LABELS, '严重程度').optional(),
  type: oneOf(FINDING_TYPE_LABELS, '问题类型').optional(),
  /** Only findings past their deadline with what it asks for not done (已逾期). */
  overdue: z
    .enum(['true', 'false'], { error: '是否逾期应为 true 或 false' })
    .transform((v) => v === 'true')
    .optional(),
  ...paging,
});
/** Query of `GET /api/findings`, as a client sends it. */
export type FindingListQueryInput = z.input<typeof FindingListQuery>;

/** A page of `GET /api/findings`: 紧急 first, then newest; `emergencies` counts all pages. */
export interface FindingListPage extends Page<FindingListItemDto> {
  /** How many of the `total` findings are 紧急. */
  emergencies: number;
}

/** A proof-of-visit flag: where the record's own evidence disagrees. */
export interface ProofFlag {
  code: 'device_clock' | 'late_entry' | 'far_location' | 'weak_location';
  message: string;
}

/** Proof of visit: what the server saw, beside what the device said. */
export interface VisitProofDto {
  receivedAt: string;
  deviceTime: string | null;
  /** Device time minus received time, in whole minutes (null without a device time). */
  clockSkewMinutes: number | null;
  location: VisitLocation | null;
  flags: ProofFlag[];
}

/** A visit record in responses. */
export interface VisitDto {
  id: string;
  elderId: string;
  visitor: { id: string; name: string; type: VisitorType } | null;
  visitedAt: string;
  enteredAt: string;
  deviceTime: string | null;
  method: VisitMethod;
  template: { key: string; version: number; name: string };
  answers: Answers;
  emergency: boolean;
  emergencyNote: string | null;
  checklist: ChecklistItem[];
  location: VisitLocation | null;
  attachments: AttachmentDto[];
  findings: FindingDto[];
  proof: VisitProofDto;
  /** The version the record is at: 1 until first amended (更正); earlier ones in its 修改记录. */
  revision: number;
  /** When it was last amended (null if never). */
  amendedAt: string | null;
  /** Until when its author or a supervisor may amend it (entered + the configured window). */
  amendableUntil: string;
  /** A spot check (抽查) could not verify it (未核实): it no longer counts toward the visit rate. */
  unverified: boolean;
}

/** A template in the list of `GET /api/templates`. */
export interface TemplateSummaryDto {
  key: string;
  version: number;
  name: string;
  issuer: string;
  builtin: boolean;
  /** Region of the city that uploaded it (null for a built-in). */
  regionCode: string | null;
  methods: VisitMethod[];
}

/** How far ahead of the server's clock a visit may be dated (phones' clocks drift). */
export const VISIT_FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Why a visit cannot be dated `visitedAt` (ms): in the future, before the elder was registered,
 * or on or after the day they died or moved away (nobody is visited then) — null when it can.
 */
export function visitTimeIssue(
  visitedAt: number,
  now: number,
  elder: { registered: string | null; status: string; statusSince: string },
): string | null {
  if (visitedAt > now + VISIT_FUTURE_TOLERANCE_MS)
    return '探访时间不能晚于现在，请检查手机的日期和时间';
  if (elder.registered && visitedAt < startOfLocalDate(elder.registered))
    return `探访时间早于该老年人登记入册的日期 ${elder.registered}，请核对探访日期`;
  if (
    (elder.status === 'deceased' || elder.status === 'moved') &&
    visitedAt >= startOfLocalDate(elder.statusSince)
  ) {
    const what = elder.status === 'deceased' ? '已故' : '迁出';
    return `该老年人自 ${elder.statusSince} 起${what}，探访时间应早于该日期`;
  }
  return null;
}

/** Thresholds of the proof-of-visit flags. */
export const PROOF_LIMITS = {
  /** |device time − received time| above this many minutes. */
  clockSkewMinutes: 10,
  /** Entered more than this many days after the visit. */
  lateEntryDays: 3,
  /** Farther than this from the median of the elder's earlier in-person visits. */
  farKm: 2,
  /**
   * How many of the elder's last located in-person visits make the reference (their median):
   * enough that a few odd locations do not move it, few enough that it follows an elder who moved
   * house after six visits — and a recording reads at most this many earlier visits.
   */
  referenceVisits: 10,
  /** GPS accuracy worse than this many metres. */
  weakAccuracyM: 500,
} as const;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The proof-of-visit flags of a visit, computed on read. There are no coordinates of villages, so
 * a location is compared with the median location of the elder's earlier in-person visits.
 */
export function proofFlags(visit: {
  visitedAt: string;
  enteredAt: string;
  deviceTime: string | null;
  location: VisitLocation | null;
  /** Locations of the elder's earlier in-person visits. */
  earlierLocations: readonly { lat: number; lng: number }[];
}): { clockSkewMinutes: number | null; flags: ProofFlag[] } {
  const flags: ProofFlag[] = [];
  const received = Date.parse(visit.enteredAt);
  const clockSkewMinutes =
    visit.deviceTime === null
      ? null
      : Math.round((Date.parse(visit.deviceTime) - received) / 60_000);
  if (clockSkewMinutes !== null && Math.abs(clockSkewMinutes) > PROOF_LIMITS.clockSkewMinutes) {
    flags.push({
      code: 'device_clock',
      message: `设备时间与服务器接收时间相差 ${Math.abs(clockSkewMinutes)} 分钟`,
    });
  }
  const lateDays = (received - Date.parse(visit.visitedAt)) / 86_400_000;
  if (lateDays > PROOF_LIMITS.lateEntryDays) {
    flags.push({ code: 'late_entry', message: `探访 ${Math.floor(lateDays)} 天后补录` });
  }
  if (visit.location && visit.earlierLocations.length > 0) {
    const centre = {
      lat: median(visit.earlierLocations.map((l) => l.lat)),
      lng: median(visit.earlierLocations.map((l) => l.lng)),
    };
    const km = distanceKm(visit.location, centre);
    if (km > PROOF_LIMITS.farKm) {
      flags.push({
        code: 'far_location',
        message: `定位距以往上门探访位置约 ${km < 10 ? km.toFixed(1) : Math.round(km)} 公里`,
      });
    }
  }
  if (visit.location && visit.location.accuracy > PROOF_LIMITS.weakAccuracyM) {
    flags.push({
      code: 'weak_location',
      message: `定位精度较差（约 ${Math.round(visit.location.accuracy)} 米）`,
    });
  }
  return { clockSkewMinutes, flags };
}
