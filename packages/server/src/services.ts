import { VISIT_AMEND_DAYS_DEFAULT } from '@tanfang/domain';
import type { Config } from './config.js';
import { RollupsService } from './modules/rollups/rollups.service.js';
import type { Vault } from './crypto.js';
import type { Database } from './db/database.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { EldersService } from './modules/elders/elders.service.js';
import { ExportsService } from './modules/exports/exports.service.js';
import { AssignmentsService } from './modules/assignments/assignments.service.js';
import { VisitorsService } from './modules/visitors/visitors.service.js';
import { CampaignsService } from './modules/campaigns/campaigns.service.js';
import { PoliciesService } from './modules/policies/policies.service.js';
import { ScheduleService } from './modules/schedule/schedule.service.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { UsersService } from './modules/users/users.service.js';
import { TemplatesService } from './modules/templates/templates.service.js';
import { VisitsService } from './modules/visits/visits.service.js';
import { VisitAmendmentsService } from './modules/visits/amendments.service.js';
import { AttachmentsService } from './modules/attachments/attachments.service.js';
import { FindingsService } from './modules/findings/findings.service.js';
import { DeadlinesService } from './modules/findings/deadlines.service.js';
import { EmergenciesService } from './modules/emergencies/emergencies.service.js';
import { AlertBus } from './modules/alerts/alert-bus.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { ProvidersService } from './modules/providers/providers.service.js';
import { ReferralsService } from './modules/referrals/referrals.service.js';
import { CareServicesService } from './modules/care-services/care-services.service.js';
import { EntitlementsService } from './modules/entitlements/entitlements.service.js';
import { DashboardService } from './modules/dashboard/dashboard.service.js';
import { ScorecardsService } from './modules/scorecards/scorecards.service.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { SpotChecksService } from './modules/spot-checks/spot-checks.service.js';

/** Every service, built once per process over one database. */
export interface Services {
  database: Database;
  regions: RegionsService;
  users: UsersService;
  auth: AuthService;
  audit: AuditService;
  elders: EldersService;
  imports: ImportsService;
  exports: ExportsService;
  visitors: VisitorsService;
  assignments: AssignmentsService;
  policies: PoliciesService;
  campaigns: CampaignsService;
  schedule: ScheduleService;
  templates: TemplatesService;
  visits: VisitsService;
  visitAmendments: VisitAmendmentsService;
  attachments: AttachmentsService;
  findings: FindingsService;
  /** Deadlines of findings per region (期限设置). */
  deadlines: DeadlinesService;
  /** Emergencies (紧急情况): raising, response, checklist, response times. */
  emergencies: EmergenciesService;
  /** Tells live connections (SSE) that a region's alert queue changed; one per process. */
  alertBus: AlertBus;
  /** The alert queue (提醒) and the outbound channels (通知渠道). */
  alerts: AlertsService;
  providers: ProvidersService;
  referrals: ReferralsService;
  careServices: CareServicesService;
  entitlements: EntitlementsService;
  rollups: RollupsService;
  /** 数据看板: the figures of the dashboard. */
  dashboard: DashboardService;
  /** 绩效考评: scorecards of townships and counties, their indicators and weights. */
  scorecards: ScorecardsService;
  /** 统计报表: the monthly statistics table and the ledger completeness report. */
  reports: ReportsService;
  /** Spot checks (抽查) of recorded visits. */
  spotChecks: SpotChecksService;
}

/** Wires the services together. */
export function createServices(
  database: Database,
  config: Pick<Config, 'sessionHours'> & Partial<Pick<Config, 'visitAmendDays'>>,
  vault: Vault,
): Services {
  const db = database.db;
  const regions = new RegionsService(db);
  const users = new UsersService(db, regions);
  const rollups = new RollupsService(db, regions);
  const elders = new EldersService(db, regions, vault, rollups);
  const templates = new TemplatesService(db);
  const amendDays = config.visitAmendDays ?? VISIT_AMEND_DAYS_DEFAULT;
  const alertBus = new AlertBus();
  const visits = new VisitsService(db, templates, amendDays, alertBus);
  const findings = new FindingsService(db, regions, alertBus);
  const schedule = new ScheduleService(db, regions, rollups);
  return {
    rollups,
    database,
    regions,
    users,
    auth: new AuthService(db, users, config.sessionHours),
    audit: new AuditService(db),
    elders,
    imports: new ImportsService(db, database.kind, elders, vault),
    exports: new ExportsService(db, vault),
    visitors: new VisitorsService(db, regions, vault),
    assignments: new AssignmentsService(db, regions),
    policies: new PoliciesService(db, regions, rollups),
    campaigns: new CampaignsService(db, regions),
    schedule,
    templates,
    visits,
    visitAmendments: new VisitAmendmentsService(
      db,
      templates,
      visits,
      amendDays,
      alertBus,
      rollups,
    ),
    attachments: new AttachmentsService(db),
    findings,
    deadlines: new DeadlinesService(db, regions),
    emergencies: new EmergenciesService(db, regions, findings, alertBus),
    alertBus,
    alerts: new AlertsService(db, regions, schedule, alertBus),
    providers: new ProvidersService(db, regions),
    referrals: new ReferralsService(db, regions, alertBus),
    careServices: new CareServicesService(db, regions, alertBus),
    entitlements: new EntitlementsService(db),
    dashboard: new DashboardService(db, regions, rollups),
    scorecards: new ScorecardsService(db, regions, rollups),
    reports: new ReportsService(db, regions, rollups),
    spotChecks: new SpotChecksService(db, regions, rollups, vault),
  };
}
