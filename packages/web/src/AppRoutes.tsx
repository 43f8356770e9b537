import { canManageUsers, canReadAudit } from '@tanfang/domain';
import { Button, Result, Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useParams } from 'react-router-dom';
import { RequireAuth, RequireRole } from './auth/RequireAuth';
import { useCurrentUser } from './auth/useAuth';
import { FIELD_APP_PATH } from './lib/routes';
import { LoginPage } from './pages/LoginPage';
import { canEditElders, canImportElders, canReadElders } from './pages/elders/permissions';
import { canReadVisitRules } from './pages/policies/permissions';
import { canReadVisitors } from './pages/visitors/permissions';
import { canReadFindings } from './pages/visits/permissions';
import { canReadEmergencies, canSetDeadlines } from './pages/emergencies/permissions';
import { canReadTemplates } from './pages/templates/permissions';
import { canReadReports } from './pages/reports/permissions';
import { canReadChannels, hasAlertQueue } from './pages/alerts/permissions';
import { canReadWorklist } from './pages/worklist/permissions';
import { canReadDashboard } from './pages/dashboard/permissions';
import { canReadScorecards } from './pages/scorecards/permissions';
import { canReadProviders } from './pages/providers/permissions';
import { canOpenReferrals, canReadCareServices } from './pages/referrals/permissions';
import { canReadSpotChecks } from './pages/spot-checks/permissions';

// Each area is its own chunk, so a visitor's phone loads the field app without the console.
const ConsoleLayout = lazy(() => import('./layouts/ConsoleLayout'));
const HomePage = lazy(() => import('./pages/HomePage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const ElderListPage = lazy(() => import('./pages/elders/ElderListPage'));
const ElderPage = lazy(() => import('./pages/elders/ElderPage'));
const ElderFormPage = lazy(() => import('./pages/elders/ElderFormPage'));
const ElderPrintPage = lazy(() => import('./pages/elders/ElderPrintPage'));
const ElderImportPage = lazy(() => import('./pages/elders/ElderImportPage'));
const VisitorsPage = lazy(() => import('./pages/visitors/VisitorsPage'));
const AssignmentsPage = lazy(() => import('./pages/assignments/AssignmentsPage'));
const PoliciesPage = lazy(() => import('./pages/policies/PoliciesPage'));
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const WorklistPage = lazy(() => import('./pages/worklist/WorklistPage'));
const FieldApp = lazy(() => import('./field/FieldApp'));
const FindingsPage = lazy(() => import('./pages/visits/FindingsPage'));
const EmergenciesPage = lazy(() => import('./pages/emergencies/EmergenciesPage'));
const DeadlinesPage = lazy(() => import('./pages/findings/DeadlinesPage'));
const TemplatesPage = lazy(() => import('./pages/templates/TemplatesPage'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage'));
const ChannelsPage = lazy(() => import('./pages/alerts/ChannelsPage'));
const VisitPrintPage = lazy(() => import('./pages/visits/VisitPrintPage'));
const YearVisitsPrintPage = lazy(() => import('./pages/visits/YearVisitsPrintPage'));
const ProvidersPage = lazy(() => import('./pages/providers/ProvidersPage'));
const ReferralsPage = lazy(() => import('./pages/referrals/ReferralsPage'));
const CareServicesPage = lazy(() => import('./pages/referrals/CareServicesPage'));
// ECharts lives only in the dashboard's chunks: the console's first load does not carry it.
const loadDashboard = () => import('./pages/dashboard/DashboardPage');
const DashboardPage = lazy(loadDashboard);
// Opened at /dashboard (a bookmark, a reload): its code is fetched alongside the layout's.
if (window.location.pathname.startsWith('/dashboard')) void loadDashboard();
const ScorecardsPage = lazy(() => import('./pages/scorecards/ScorecardsPage'));
const SpotChecksPage = lazy(() => import('./pages/spot-checks/SpotChecksPage'));
const SpotCheckSamplePage = lazy(() => import('./pages/spot-checks/SpotCheckSamplePage'));
const CareServicesPrintPage = lazy(() => import('./pages/referrals/CareServicesPrintPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div style={{ padding: 80, textAlign: 'center' }}>
          <Spin size="large" />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/** The console is for staff; a visitor opening it goes to the field app. */
function ConsoleGate() {
  const user = useCurrentUser();
  if (user.role === 'visitor') return <Navigate to={FIELD_APP_PATH} replace />;
  return (
    <Lazy>
      <ConsoleLayout />
    </Lazy>
  );
}

/** 首页; a provider account opens on 转介给本机构, the only thing it works on. */
function Home() {
  const user = useCurrentUser();
  if (user.role === 'provider') return <Navigate to="/referrals" replace />;
  return (
    <Lazy>
      <HomePage />
    </Lazy>
  );
}

/** `/findings/:id` → `/findings?finding=:id` (the list with the finding's drawer open). */
function FindingRedirect() {
  const { id = '' } = useParams();
  return <Navigate to={`/findings?finding=${encodeURIComponent(id)}`} replace />;
}

function NotFound() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}

/** Every route of the web app. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route
          path={`${FIELD_APP_PATH}/*`}
          element={
            <Lazy>
              <FieldApp />
            </Lazy>
          }
        />
        {/* The printable 信息采集表: no console chrome, just the form and a small toolbar. */}
        <Route
          path="/elders/:id/print"
          element={
            <RequireRole allow={canReadElders}>
              <Lazy>
                <ElderPrintPage />
              </Lazy>
            </RequireRole>
          }
        />
        {/* Visit records in their templates' official tables (鞍山 巡访情况表, 丹东 记录表). */}
        <Route
          path="/visits/:id/print"
          element={
            <RequireRole allow={canReadElders}>
              <Lazy>
                <VisitPrintPage />
              </Lazy>
            </RequireRole>
          }
        />
        <Route
          path="/elders/:id/visits/print"
          element={
            <RequireRole allow={canReadElders}>
              <Lazy>
                <YearVisitsPrintPage />
              </Lazy>
            </RequireRole>
          }
        />
        {/* 丹东 记录表 六、关爱服务情况 of an elder's year. */}
        <Route
          path="/elders/:id/care-services/print"
          element={
            <RequireRole allow={canReadElders}>
              <Lazy>
                <CareServicesPrintPage />
              </Lazy>
            </RequireRole>
          }
        />
        <Route path="/" element={<ConsoleGate />}>
          <Route index element={<Home />} />
          <Route
            path="worklist"
            element={
              <RequireRole allow={canReadWorklist}>
                <Lazy>
                  <WorklistPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="users"
            element={
              <RequireRole allow={canManageUsers}>
                <Lazy>
                  <UsersPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="audit"
            element={
              <RequireRole allow={canReadAudit}>
                <Lazy>
                  <AuditPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="elders"
            element={
              <RequireRole allow={canReadElders}>
                <Lazy>
                  <ElderListPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="elders/new"
            element={
              <RequireRole allow={canEditElders}>
                <Lazy>
                  <ElderFormPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="elders/import"
            element={
              <RequireRole allow={canImportElders}>
                <Lazy>
                  <ElderImportPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="elders/:id"
            element={
              <RequireRole allow={canReadElders}>
                <Lazy>
                  <ElderPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="elders/:id/edit"
            element={
              <RequireRole allow={canEditElders}>
                <Lazy>
                  <ElderFormPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="visitors"
            element={
              <RequireRole allow={canReadVisitors}>
                <Lazy>
                  <VisitorsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="visitors/:id"
            element={
              <RequireRole allow={canReadVisitors}>
                <Lazy>
                  <VisitorsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="assignments"
            element={
              <RequireRole allow={canReadVisitors}>
                <Lazy>
                  <AssignmentsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="policies"
            element={
              <RequireRole allow={canReadVisitRules}>
                <Lazy>
                  <PoliciesPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="templates"
            element={
              <RequireRole allow={canReadTemplates}>
                <Lazy>
                  <TemplatesPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="campaigns"
            element={
              <RequireRole allow={canReadVisitRules}>
                <Lazy>
                  <CampaignsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="emergencies"
            element={
              <RequireRole allow={canReadEmergencies}>
                <Lazy>
                  <EmergenciesPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="deadlines"
            element={
              <RequireRole allow={canSetDeadlines}>
                <Lazy>
                  <DeadlinesPage />
                </Lazy>
              </RequireRole>
            }
          />
          {/* A finding's own address (alerts link to it): the list with its detail open. */}
          <Route path="findings/:id" element={<FindingRedirect />} />
          <Route
            path="findings"
            element={
              <RequireRole allow={canReadFindings}>
                <Lazy>
                  <FindingsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="providers"
            element={
              <RequireRole allow={canReadProviders}>
                <Lazy>
                  <ProvidersPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="referrals"
            element={
              <RequireRole allow={canOpenReferrals}>
                <Lazy>
                  <ReferralsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="care-services"
            element={
              <RequireRole allow={canReadCareServices}>
                <Lazy>
                  <CareServicesPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="dashboard"
            element={
              <RequireRole allow={canReadDashboard}>
                <Lazy>
                  <DashboardPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="scorecards"
            element={
              <RequireRole allow={canReadScorecards}>
                <Lazy>
                  <ScorecardsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="spot-checks"
            element={
              <RequireRole allow={canReadSpotChecks}>
                <Lazy>
                  <SpotChecksPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="spot-checks/:id"
            element={
              <RequireRole allow={canReadSpotChecks}>
                <Lazy>
                  <SpotCheckSamplePage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="alerts"
            element={
              <RequireRole allow={hasAlertQueue}>
                <Lazy>
                  <AlertsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="notification-channels"
            element={
              <RequireRole allow={canReadChannels}>
                <Lazy>
                  <ChannelsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route
            path="reports"
            element={
              <RequireRole allow={canReadReports}>
                <Lazy>
                  <ReportsPage />
                </Lazy>
              </RequireRole>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}
