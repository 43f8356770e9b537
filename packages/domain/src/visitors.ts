/**
 * Visitors (探访人员) and who visits whom (逐户确定探访关爱服务人员): the registry of the people who
 * make the visits, and each elder's primary and backup visitors over time. An assignment holds from
 * its start date (inclusive) to its end date (exclusive); nothing is deleted, so the history shows
 * who was responsible on any day.
 */
import { z } from 'zod';
import {
  IdNumber,
  TIER_LABELS,
  type Category,
  type ElderStatus,
  type RegionRef,
  type Tier,
} from './elder.js';
import { todayIso, type Gender } from './idcard.js';
import { AnyRegionCode, IsoDate, oneOf, paging, requiredText, text } from './schema-helpers.js';
import { PhoneNumber } from './users.js';

/** Who the visitor is (丹东 2023: 村干部、网格员、志愿者、邻里、亲属、社工、养老服务人员…). */
export const VISITOR_TYPE_LABELS = {
  cadre: '村(居)干部',
  grid_worker: '网格员',
  volunteer: '志愿者',
  neighbour: '邻里',
  relative: '亲属',
  social_worker: '社工',
  care_staff: '养老服务人员',
  other: '其他',
} as const;
/** A visitor type code. */
export type VisitorType = keyof typeof VISITOR_TYPE_LABELS;

/** Whether the visitor still works: a visitor who left keeps their history. */
export const VISITOR_STATUS_LABELS = { active: '在岗', left: '已离岗' } as const;
/** A visitor status code. */
export type VisitorStatus = keyof typeof VISITOR_STATUS_LABELS;

/** An elder has one primary visitor (主要探访人) at a time and any number of backups. */
export const ASSIGNMENT_ROLE_LABELS = { primary: '主要探访人', backup: '备用探访人' } as const;
/** An assignment role code. */
export type AssignmentRole = keyof typeof ASSIGNMENT_ROLE_LABELS;

/** A record id (UUID), normalised to lower case; the message names the field. */
const Id = (label: string) =>
  z.uuid({ error: `${label}应为记录编号（UUID）` }).transform((v) => v.toLowerCase());

/** A date that is today or earlier (China time): assignments are recorded, not planned. */
const PastOrToday = (label: string) =>
  IsoDate.refine((d) => d <= todayIso(), { error: `${label}不能晚于今天` });

/** A date defaulting to today, not after today. */
const DateUpToToday = (label: string) =>
  PastOrToday(label)
    .optional()
    .transform((d) => d ?? todayIso());

/** A 12-digit village code. */
const VillageCode = z
  .string({ error: '请选择村(居)' })
  .regex(/^\d{12}$/, { error: '村(居)应为 12 位村(居)级区划代码' });

/** Fields of a visitor, as entered (`POST /api/visitors`). */
export const VisitorFields = z.strictObject({
  name: requiredText('姓名', 50),
  type: oneOf(VISITOR_TYPE_LABELS, '探访人员类型'),
  phone: z.string({ error: '请填写联系电话' }).trim().pipe(PhoneNumber),
  /** 身份证号 (optional): stored encrypted, unique among visitors. */
  idNumber: IdNumber.optional(),
  /** The area the visitor covers: a village, a township or a county. */
  regionCode: z.string({ error: '请选择负责区域' }).regex(/^(\d{6}|\d{9}|\d{12})$/, {
    error: '负责区域应为村(居) 12 位、乡镇(街道) 9 位或县(市、区) 6 位区划代码',
  }),
  /** The user account (role 探访人员) the visitor signs in with, if any. */
  userId: Id('关联账号').optional(),
  note: text('备注', 200).optional(),
});
/** Input of `POST /api/visitors`. */
export type VisitorInput = z.input<typeof VisitorFields>;
/** Parsed visitor fields. */
export type VisitorData = z.output<typeof VisitorFields>;

/**
 * Input of `PATCH /api/visitors/:id`: the fields to change and the `version` read. `null` clears
 * the ID number, the note, or unlinks the account (`userId: null`); a masked number sent back as
 * it was read keeps the stored one.
 */
export const VisitorPatch = VisitorFields.partial()
  .extend({
    idNumber: IdNumber.nullable().optional(),
    userId: Id('关联账号').nullable().optional(),
    note: text('备注', 200).nullable().optional(),
    version: z
      .number({ error: '请提供记录版本号 version（读取记录时得到）' })
      .int({ error: '版本号 version 应为整数' })
      .min(1, { error: '版本号 version 应为正整数' }),
  })
  .strict();
/** Input of `PATCH /api/visitors/:id`. */
export type VisitorPatchInput = z.input<typeof VisitorPatch>;

/** Query of `GET /api/visitors`. */
export const VisitorListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  /** A part of the name. */
  q: text('搜索词', 30).optional(),
  type: oneOf(VISITOR_TYPE_LABELS, '探访人员类型').optional(),
  status: oneOf(VISITOR_STATUS_LABELS, '在岗状态').optional(),
  ...paging,
});
/** Query of `GET /api/visitors`. */
export type VisitorListQuery = z.infer<typeof VisitorListQuery>;

/** Body of `POST /api/visitors/:id/leave`: the visitor stops (离岗); their history stays. */
export const VisitorLeaveInput = z.strictObject({
  leftOn: PastOrToday('离岗日期'),
  note: text('说明', 200).optional(),
});
/** Body of `POST /api/visitors/:id/leave`. */
export type VisitorLeaveInput = z.infer<typeof VisitorLeaveInput>;

/** Body of `POST /api/assignments`: one visitor for many elders at once (逐户确定探访人). */
export const AssignInput = z.strictObject({
  elderIds: z
    .array(Id('老年人'), { error: '请选择老年人（elderIds）' })
    .min(1, { error: '请至少选择 1 位老年人' })
    .max(500, { error: '一次最多为 500 位老年人分配探访人' })
    .refine((ids) => new Set(ids).size === ids.length, { error: '老年人列表中有重复' }),
  visitorId: Id('探访人员'),
  role: oneOf(ASSIGNMENT_ROLE_LABELS, '探访角色'),
  /** From when the visitor is responsible; today when not given. */
  startDate: DateUpToToday('开始日期'),
});
/** Input of `POST /api/assignments`. */
export type AssignInput = z.input<typeof AssignInput>;

/** Body of `POST /api/assignments/:id/end`. */
export const EndAssignmentInput = z.strictObject({
  /** The first day the visitor is no longer responsible. */
  endDate: PastOrToday('结束日期'),
  reason: requiredText('结束原因', 100),
});
/** Body of `POST /api/assignments/:id/end`. */
export type EndAssignmentInput = z.infer<typeof EndAssignmentInput>;

/** Which assignments a reassignment (调整分配) moves. */
export const ReassignScope = z.discriminatedUnion(
  'kind',
  [
    /** One elder's primary visitor. */
    z.strictObject({ kind: z.literal('elder'), elderId: Id('老年人') }),
    /** The primary visitor of every active elder of a village. */
    z.strictObject({ kind: z.literal('village'), villageCode: VillageCode }),
    /** Everything one visitor holds, keeping roles (e.g. when they leave). */
    z.strictObject({ kind: z.literal('visitor'), visitorId: Id('原探访人员') }),
  ],
  {
    error:
      '调整范围 scope.kind 应为 elder（一位老年人）、village（整村）或 visitor（某探访人员的全部分配）',
  },
);
/** Which assignments a reassignment moves. */
export type ReassignScope = z.infer<typeof ReassignScope>;

/**
 * Body of `POST /api/assignments/reassign` and `…/reassign/preview`: the preview lists what
 * would change; the commit sends the same body with the ids the preview showed, and is refused
 * if they no longer match.
 */
export const ReassignInput = z
  .strictObject({
    scope: ReassignScope,
    toVisitorId: Id('接替的探访人员'),
    effectiveDate: DateUpToToday('生效日期'),
    reason: requiredText('调整原因', 100),
    /** Only for scope visitor: the source visitor leaves (已离岗) as of the effective date. */
    visitorLeaves: z.boolean({ error: '是否离岗 visitorLeaves 应为 true 或 false' }).optional(),
    /** Sent on commit: the `expectedAssignmentIds` of the preview. */
    expectedAssignmentIds: z
      .array(Id('分配记录'), { error: 'expectedAssignmentIds 应为分配记录编号的列表' })
      .max(10000, { error: 'expectedAssignmentIds 过长' })
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.visitorLeaves && input.scope.kind !== 'visitor') {
      ctx.addIssue({
        code: 'custom',
        path: ['visitorLeaves'],
        message: '只有调整某探访人员的全部分配时才能同时标记其离岗',
      });
    }
    if (input.scope.kind === 'visitor' && input.scope.visitorId === input.toVisitorId) {
      ctx.addIssue({
        code: 'custom',
        path: ['toVisitorId'],
        message: '接替的探访人员不能是原探访人员本人',
      });
    }
  });
/** Input of the reassignment endpoints. */
export type ReassignInput = z.input<typeof ReassignInput>;

/** A boolean query parameter: 'true' / 'false' (or a boolean). */
const QueryFlag = (label: string) =>
  z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: `${label}应为 true 或 false`,
  });

/** Query of `GET /api/assignments`: active elders with their visitors. */
export const AssignmentListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  /** Only elders this visitor currently visits (any role). */
  visitorId: Id('探访人员').optional(),
  /** true: only elders without a current primary visitor (未落实探访人). */
  unassigned: QueryFlag('是否只看未落实探访人 unassigned').optional(),
  tier: oneOf(TIER_LABELS, '分级').optional(),
  /** The elder's name (part) or pinyin initials. */
  q: text('搜索词', 30).optional(),
  ...paging,
});
/** Query of `GET /api/assignments`. */
export type AssignmentListQuery = z.infer<typeof AssignmentListQuery>;

/** A visitor as the API presents them: numbers masked. */
export interface VisitorDto {
  id: string;
  name: string;
  type: VisitorType;
  phoneMasked: string | null;
  idNumberMasked: string | null;
  /** The area the visitor covers. */
  region: RegionRef;
  /** The linked account (role 探访人员), if any. */
  user: { id: string; username: string; displayName: string } | null;
  status: VisitorStatus;
  leftOn: string | null;
  note: string | null;
  /** How many elders the visitor currently visits, by role. */
  activeAssignments: { primary: number; backup: number };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A visitor named in an assignment. */
export interface VisitorRef {
  id: string;
  name: string;
  type: VisitorType;
  phoneMasked: string | null;
}

/** One assignment: who visited (or visits) an elder, in which role, from when to when. */
export interface AssignmentDto {
  id: string;
  elderId: string;
  visitor: VisitorRef;
  role: AssignmentRole;
  startDate: string;
  /** Exclusive; null while the assignment holds. */
  endDate: string | null;
  endReason: string | null;
  createdAt: string;
}

/** One row of `GET /api/assignments`: an active elder and their current visitors. */
export interface ElderAssignmentRow {
  elder: {
    id: string;
    name: string;
    gender: Gender;
    age: number;
    village: RegionRef;
    tier: Tier;
    categories: Category[];
    status: ElderStatus;
  };
  primary: AssignmentDto | null;
  backups: AssignmentDto[];
}

/** `GET /api/elders/:id/assignments`: every assignment of the elder, newest first. */
export interface ElderAssignmentHistoryDto {
  items: AssignmentDto[];
}

/** Response of `POST /api/assignments`. */
export interface AssignResultDto {
  created: AssignmentDto[];
}

/** What a reassignment would change, elder by elder (nothing is written). */
export interface ReassignPreviewDto {
  items: {
    elder: { id: string; name: string; village: RegionRef };
    /** The assignment that ends; null when the elder gets a primary visitor for the first time. */
    assignmentId: string | null;
    role: AssignmentRole;
    from: VisitorRef | null;
    to: VisitorRef;
    /** Anything else that happens to this elder's assignments. */
    note?: string;
  }[];
  total: number;
  /** To send back on commit: the assignments that end; a change meanwhile refuses the commit. */
  expectedAssignmentIds: string[];
}

/** Response of `POST /api/assignments/reassign`. */
export interface ReassignResultDto {
  ended: number;
  created: number;
}

/** Query of `GET /api/visitors/accounts`: the area of the visitor to link. */
export const VisitorAccountsQuery = z.strictObject({
  region: z
    .string({ error: '请提供区域 region' })
    .regex(/^(\d{6}|\d{9}|\d{12})$/, { error: '区域应为县、乡镇或村(居)的区划代码' }),
});

/** A 探访人员 login account that a visitor of an area may be linked to. */
export interface VisitorAccountDto {
  id: string;
  username: string;
  displayName: string;
  jurisdiction: string;
  /** The visitor the account is already linked to (one account, one visitor). */
  linkedVisitor: { id: string; name: string } | null;
}
