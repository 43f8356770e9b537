import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column with a default: read as Date, written as Date or ISO string. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamptz column. */
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A required timestamptz column. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** `regions`: national statistical division codes (统计用区划代码). */
export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township' | 'village';
  parent_code: string | null;
}

/** `users`: staff and visitor accounts, each scoped to a region-code prefix. */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  jurisdiction: string;
  phone: string | null;
  password_hash: string;
  status: Generated<'active' | 'disabled'>;
  failed_attempts: Generated<number>;
  locked_until: NullableTimestamp;
  last_login_at: NullableTimestamp;
  /** On duty (值班): receives emergencies at once. */
  on_duty: Generated<boolean>;
  /** The provider a `provider` account belongs to. */
  provider_id: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `sessions`: server-side sessions; the cookie holds a secret whose SHA-256 is the key. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

/** `audit_log`: every change and every read of personal data. */
export interface AuditLogTable {
  id: string;
  at: DefaultTimestamp;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  region_code: string | null;
  request_id: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

/** `elders`: the ledger (台账). ID number and phone encrypted; `data` holds the rest of the form. */
export interface EldersTable {
  id: string;
  county_code: string;
  village_code: string;
  name: string;
  name_initials: string;
  gender: 'male' | 'female';
  birth_date: string;
  id_hash: string;
  id_enc: string;
  id_masked: string;
  phone_enc: string | null;
  phone_masked: string | null;
  categories: string[];
  tier: 'high_risk' | 'key' | 'general';
  status: 'active' | 'moved' | 'institution' | 'hospital' | 'deceased';
  status_since: string;
  contradiction_count: number;
  data: ColumnType<Record<string, unknown>, string, string>;
  evaluation: ColumnType<Record<string, unknown>, string, string>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

/** `elder_status_history`: every status change, with its effective date and village. */
export interface ElderStatusHistoryTable {
  id: string;
  elder_id: string;
  county_code: string;
  status: EldersTable['status'];
  effective_date: string;
  village_code: string;
  note: string | null;
  recorded_at: DefaultTimestamp;
  recorded_by: string | null;
}

/** `imports`: census imports (摸底排查) of elder records, with progress and summary. */
export interface ImportsTable {
  id: string;
  kind: Generated<'elders'>;
  mode: 'all_or_nothing' | 'valid_only';
  status: Generated<'running' | 'done' | 'failed'>;
  phase: Generated<'checking' | 'writing' | 'finished'>;
  file_name: string | null;
  file_bytes: number;
  jurisdiction: string;
  created_by: string | null;
  created_by_username: string | null;
  rows_read: Generated<number>;
  valid_rows: Generated<number>;
  invalid_rows: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  unchanged_count: Generated<number>;
  skipped_count: Generated<number>;
  changed_fields: ColumnType<Record<string, number>, string | undefined, string>;
  failure: ColumnType<{ code: string; message: string } | null, string | null, string | null>;
  report_lines: Generated<number>;
  started_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
}

/** `import_report_lines`: an import's per-row report (errors, and what each update changed). */
export interface ImportReportLinesTable {
  import_id: string;
  seq: number;
  kind: 'error' | 'updated';
  row_number: number | null;
  column_name: string | null;
  message: string;
}

/** `schema_migrations`: applied migrations. */
export interface SchemaMigrationsTable {
  version: string;
  name: string;
  applied_at: DefaultTimestamp;
}

/** A jsonb column read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
/** A date column (read as 'YYYY-MM-DD'). */
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

/** `visitors`: 探访人员 (逐户确定探访关爱服务人员), optionally linked to a visitor account. */
export interface VisitorsTable {
  id: string;
  region_code: string;
  name: string;
  type: string;
  phone_enc: string | null;
  phone_masked: string | null;
  id_hash: string | null;
  id_enc: string | null;
  id_masked: string | null;
  user_id: string | null;
  status: Generated<'active' | 'left'>;
  left_on: NullableDate;
  note: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

/** `assignments`: who visits an elder, from start_date (inclusive) to end_date (exclusive). */
export interface AssignmentsTable {
  id: string;
  elder_id: string;
  county_code: string;
  visitor_id: string;
  role: 'primary' | 'backup';
  start_date: string;
  end_date: NullableDate;
  end_reason: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  ended_at: NullableTimestamp;
  ended_by: string | null;
}

/** `visit_policies`: a visit rule's identity and region; its content is in versions. */
export interface VisitPoliciesTable {
  id: string;
  region_code: string;
  preset: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `visit_policy_versions`: what a policy says from a date on. */
export interface VisitPolicyVersionsTable {
  policy_id: string;
  version: number;
  effective_from: string;
  retired: Generated<boolean>;
  name: string;
  tiers: string[];
  categories: string[];
  cadence: Json<unknown>;
  counted_methods: string[];
  in_person_every: string | null;
  template_key: string;
  entry_grace_days: Generated<number>;
  note: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `campaigns`: time-boxed extra visits (专项探访) for a region. */
export interface CampaignsTable {
  id: string;
  region_code: string;
  name: string;
  kind: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  within_value: number;
  within_unit: 'hours' | 'days';
  tiers: string[];
  categories: string[];
  counted_methods: string[];
  checklist: Json<unknown>;
  note: string | null;
  status: Generated<'active' | 'cancelled'>;
  cancelled_at: NullableTimestamp;
  cancelled_by: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `visits`: visit records; the id comes from the client, so a retry is the same record. */
export interface VisitsTable {
  id: string;
  elder_id: string;
  county_code: string;
  village_code: string;
  visitor_id: string | null;
  visited_at: Timestamp;
  entered_at: DefaultTimestamp;
  method: 'in_person' | 'phone' | 'video' | 'other';
  template_key: string;
  template_version: number;
  answers: ColumnType<unknown, string | undefined, string>;
  entered_by: string | null;
  device_time: NullableTimestamp;
  location: ColumnType<unknown, string | null | undefined, string | null>;
  emergency: Generated<boolean>;
  emergency_note: string | null;
  checklist: ColumnType<unknown, string | undefined, string>;
  recorded_by_role: string | null;
  /** 1 until first amended (更正); the earlier versions are in `visit_revisions`. */
  revision: Generated<number>;
  amended_at: NullableTimestamp;
  amended_by: string | null;
  /** A spot check (抽查) could not verify it: it no longer counts toward the rate. */
  unverified: Generated<boolean>;
}

/** `visit_revisions`: each earlier version of an amended visit, with who replaced it and why. */
export interface VisitRevisionsTable {
  elder_id: string;
  visit_id: string;
  county_code: string;
  revision: number;
  visited_at: Timestamp;
  method: 'in_person' | 'phone' | 'video' | 'other';
  visitor_id: string | null;
  template_key: string;
  template_version: number;
  answers: ColumnType<unknown, string, string>;
  emergency: boolean;
  emergency_note: string | null;
  amended_at: Timestamp;
  amended_by: string;
  reason: string;
}

/** `form_templates`: templates a city uploaded (the built-ins live in the domain). */
export interface FormTemplatesTable {
  key: string;
  version: number;
  definition: Json<unknown>;
  region_code: string;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `attachments`: photos and signatures of a visit, uploaded first (client-made id). */
export interface AttachmentsTable {
  id: string;
  elder_id: string;
  county_code: string;
  kind: 'photo' | 'signature';
  mime: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  visit_id: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `findings`: what a visit found (发现的问题), or an emergency staff raised; followed to its end. */
export interface FindingsTable {
  id: string;
  /** Null for an emergency raised by staff without a visit. */
  visit_id: string | null;
  elder_id: string;
  county_code: string;
  village_code: string;
  type: string;
  severity: string;
  title: string;
  source: string;
  description: string | null;
  status: Generated<string>;
  owner_id: string | null;
  deadline_at: NullableTimestamp;
  deadline_action: 'acknowledge' | 'handle' | 'refer' | null;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
  escalation_level: Generated<'village' | 'township' | 'county'>;
  escalated_at: NullableTimestamp;
  emergency_checklist: Generated<unknown>;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  updated_at: DefaultTimestamp;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `finding_events`: every step of a finding (never updated or deleted). */
export interface FindingEventsTable {
  id: string;
  finding_id: string;
  elder_id: string;
  county_code: string;
  at: DefaultTimestamp;
  actor_id: string | null;
  actor_name: string | null;
  kind:
    | 'raised'
    | 'status'
    | 'assigned'
    | 'acknowledged'
    | 'checklist'
    | 'disposal'
    | 'escalated'
    | 'note'
    | 'referral'
    | 'deadline';
  from_status: string | null;
  to_status: string | null;
  detail: unknown;
}

/** `finding_disposals`: how a finding was dealt with (处置情况记录). */
export interface FindingDisposalsTable {
  id: string;
  finding_id: string;
  elder_id: string;
  county_code: string;
  kind: string;
  description: string;
  /** 'YYYY-MM-DD' */
  handled_on: string;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `follow_up_deadlines`: a region's own finding deadlines (minutes). */
export interface FollowUpDeadlinesTable {
  region_code: string;
  key: string;
  action: 'acknowledge' | 'handle' | 'refer';
  minutes: number;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

/** `service_providers`: where needs are referred (服务机构). */
export interface ServiceProvidersTable {
  id: string;
  name: string;
  kinds: string[];
  region_code: string;
  contact_name: string | null;
  phone: string | null;
  address: string | null;
  status: Generated<'active' | 'inactive'>;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
}

/** `referrals`: a need referred to a provider (需求转介). */
export interface ReferralsTable {
  id: string;
  finding_id: string | null;
  elder_id: string;
  county_code: string;
  village_code: string;
  provider_id: string;
  kind: string;
  need: string;
  status: Generated<string>;
  outcome: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  accepted_at: NullableTimestamp;
  completed_at: NullableTimestamp;
}

/** `referral_events`: every step of a referral. */
export interface ReferralEventsTable {
  id: string;
  referral_id: string;
  elder_id: string;
  county_code: string;
  at: DefaultTimestamp;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

/** `care_services`: care services given (关爱服务, 丹东 记录表 六). */
export interface CareServicesTable {
  id: string;
  elder_id: string;
  county_code: string;
  village_code: string;
  /** 'YYYY-MM-DD' */
  served_on: string;
  content: string;
  provider_id: string | null;
  provider_name: string;
  satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
  referral_id: string | null;
  note: string | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `entitlement_dismissals`: entitlement hints staff dismissed, with the reason. */
export interface EntitlementDismissalsTable {
  elder_id: string;
  county_code: string;
  rule: string;
  reason: string;
  dismissed_at: DefaultTimestamp;
  dismissed_by: string | null;
}

/** `alerts`: alerts sent out of the system, one per event and level. */
export interface AlertsTable {
  id: string;
  kind: string;
  region_code: string;
  elder_id: string | null;
  county_code: string | null;
  subject_type: string;
  subject_id: string;
  title: string;
  body: string;
  urgency: number;
  created_at: DefaultTimestamp;
}

/** `notification_channels`: a region's outbound channels (webhook, SMS gateway). */
export interface NotificationChannelsTable {
  id: string;
  region_code: string;
  kind: 'webhook' | 'sms';
  name: string;
  config: unknown;
  alert_kinds: Generated<string[]>;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
  created_by: string | null;
}

/** `alert_deliveries`: the outbox, one delivery per alert and channel. */
export interface AlertDeliveriesTable {
  alert_id: string;
  channel_id: string;
  payload: unknown;
  status: Generated<'pending' | 'sending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: DefaultTimestamp;
  lease_until: NullableTimestamp;
  last_error: string | null;
  last_attempt_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  created_at: DefaultTimestamp;
}

/** `compliance`: an elder's regular window and the visit that satisfies it (the rate rollup). */
export interface ComplianceTable {
  elder_id: string;
  county_code: string;
  village_code: string;
  window_start: Timestamp;
  window_end: Timestamp;
  period_key: string;
  short: boolean;
  counted_methods: string[];
  entry_grace_hours: number;
  tier: string;
  categories: string[];
  visit_id: string | null;
  visited_at: NullableTimestamp;
  late: Generated<boolean>;
}

/** `village_rollup`: per village, window span and dimension, the counts of the visit rate. */
export interface VillageRollupTable {
  village_code: string;
  window_start: Timestamp;
  window_end: Timestamp;
  dimension: string;
  planned: Generated<number>;
  short: Generated<number>;
  on_time: Generated<number>;
  late: Generated<number>;
  short_visited: Generated<number>;
}

/** `rollup_months`: months planned in the rollup, per region prefix. */
export interface RollupMonthsTable {
  region_code: string;
  month: string;
  planned_at: DefaultTimestamp;
}

/** `spot_check_samples`: a township's sample of a month (抽查), with its seed and visit list. */
export interface SpotCheckSamplesTable {
  id: string;
  township_code: string;
  county_code: string;
  month: string;
  /** The mulberry32 seed (unsigned 32-bit). */
  seed: number;
  rate_percent: number | null;
  per_visitor: number | null;
  min_per_visitor: number;
  /** The visits drawn from: `[visitId, visitorId | null][]`, by id. */
  population: ColumnType<unknown, string, string>;
  population_size: number;
  strata: number;
  drawn_by: string;
  drawn_at: DefaultTimestamp;
}

/** `spot_check_items`: one sampled visit, its checker and the result. */
export interface SpotCheckItemsTable {
  id: string;
  sample_id: string;
  visit_id: string;
  elder_id: string;
  county_code: string;
  village_code: string;
  visitor_id: string | null;
  checker_id: string | null;
  result: Generated<'pending' | 'verified_phone' | 'verified_in_person' | 'not_verified'>;
  note: string | null;
  checked_at: NullableTimestamp;
  checked_by: string | null;
  created_at: DefaultTimestamp;
}

/** `spot_check_events`: every assignment and result of a spot-check item. */
export interface SpotCheckEventsTable {
  id: string;
  item_id: string;
  elder_id: string;
  county_code: string;
  at: DefaultTimestamp;
  actor_id: string | null;
  actor_name: string | null;
  kind: 'assigned' | 'result';
  from_result: string | null;
  to_result: string | null;
  checker_id: string | null;
  note: string | null;
}

/** `scorecard_configs`: the indicators and weights of a region's scorecards (绩效考评) for a year. */
export interface ScorecardConfigsTable {
  region_code: string;
  year: number;
  /** `ScorecardIndicatorConfig[]` (domain). */
  indicators: ColumnType<unknown, string, string>;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

/** The database as Kysely sees it. */
export interface DB {
  regions: RegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  elders: EldersTable;
  elder_status_history: ElderStatusHistoryTable;
  imports: ImportsTable;
  import_report_lines: ImportReportLinesTable;
  visitors: VisitorsTable;
  assignments: AssignmentsTable;
  visit_policies: VisitPoliciesTable;
  visit_policy_versions: VisitPolicyVersionsTable;
  campaigns: CampaignsTable;
  visits: VisitsTable;
  visit_revisions: VisitRevisionsTable;
  form_templates: FormTemplatesTable;
  attachments: AttachmentsTable;
  findings: FindingsTable;
  finding_events: FindingEventsTable;
  finding_disposals: FindingDisposalsTable;
  follow_up_deadlines: FollowUpDeadlinesTable;
  service_providers: ServiceProvidersTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  care_services: CareServicesTable;
  entitlement_dismissals: EntitlementDismissalsTable;
  alerts: AlertsTable;
  notification_channels: NotificationChannelsTable;
  alert_deliveries: AlertDeliveriesTable;
  compliance: ComplianceTable;
  village_rollup: VillageRollupTable;
  rollup_months: RollupMonthsTable;
  spot_check_samples: SpotCheckSamplesTable;
  spot_check_items: SpotCheckItemsTable;
  spot_check_events: SpotCheckEventsTable;
  scorecard_configs: ScorecardConfigsTable;
}
