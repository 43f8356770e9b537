import { DesktopOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { ROLE_LABELS, type Role } from '@tanfang/domain';
import { Button, Card, Flex, Layout, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { useAuth, useCurrentUser } from '../auth/useAuth';
import { FIELD_APP_PATH } from '../lib/routes';
import { RecentVisitsEntry } from './amend/amendParts';
import { AmendVisitPage } from './amend/AmendVisitPage';
import { RecentVisitsPage } from './amend/RecentVisitsPage';
import { RecentVisitsProvider } from './amend/recentVisitsStore';
import { VisitHistoryPage } from './amend/VisitHistoryPage';
import { DutySwitch } from '../components/DutySwitch';
import { EmergencyBoard } from './emergencies/EmergencyBoard';
import { FieldEmergencyPage } from './emergencies/FieldEmergencyPage';
import { RescuePrompt } from './emergencies/RescuePrompt';
import { DraftsProvider } from './visit/draftStore';
import { AlertBell } from '../pages/alerts/AlertBell';
import { AlertsProvider } from '../pages/alerts/AlertsContext';
import { FieldAlertsPage } from './alerts/FieldAlertsPage';
import { OutboxBar } from './visit/OutboxBar';
import { OutboxProvider } from './visit/outboxStore';
import { VisitRecordPage } from './visit/VisitRecordPage';
import { WorklistElderPage } from './WorklistElderPage';
import { WorklistHome } from './WorklistHome';
import { WorklistProvider } from './worklistStore';

/** Touch targets in the field app are at least 48px high (WCAG 2.5.5 / Android guidance). */
const TOUCH: CSSProperties = { minHeight: 48, fontSize: 17 };

/** Roles that respond to the emergencies of their jurisdiction (辖区紧急情况 on the phone). */
const EMERGENCY_ROLES: readonly Role[] = ['village', 'township', 'county'];

/** Roles that correct (更正) the visits they entered, so see 最近提交. */
const AMENDING_ROLES: readonly Role[] = ['visitor', 'village', 'township'];

/** The field app's home: a visitor's worklist; other roles are pointed to the console. */
function FieldHome() {
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Flex vertical gap={12}>
      <RescuePrompt />
      <OutboxBar />
      {EMERGENCY_ROLES.includes(user.role) && (
        <>
          <Card styles={{ body: { padding: 14 } }}>
            <DutySwitch large />
          </Card>
          <EmergencyBoard />
        </>
      )}
      {AMENDING_ROLES.includes(user.role) && <RecentVisitsEntry />}
      {user.role === 'visitor' ? (
        <WorklistHome />
      ) : (
        <Card data-testid="field-greeting">
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {user.displayName}（{ROLE_LABELS[user.role]}）
          </Typography.Title>
          <Typography.Paragraph style={{ fontSize: 16, marginBottom: 0 }}>
            个人探访任务供探访人员使用；辖区的探访任务请在管理后台的“探访任务”中查看。
          </Typography.Paragraph>
        </Card>
      )}

      {user.role !== 'visitor' && (
        <Button block icon={<DesktopOutlined />} style={TOUCH} onClick={() => navigate('/')}>
          进入管理后台
        </Button>
      )}
      <Button block danger icon={<LogoutOutlined />} style={TOUCH} onClick={() => void onLogout()}>
        退出登录
      </Button>
    </Flex>
  );
}

/** `/m`: the phone-first field app for visitors, with its own top bar and no sider. */
export default function FieldApp() {
  const user = useCurrentUser();
  return (
    <AlertsProvider>
      <Layout style={{ minHeight: '100vh', background: '#f0f2f5' }}>
        <Layout.Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            height: 56,
            lineHeight: 'normal',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 12,
            background: '#1677ff',
            color: '#fff',
          }}
        >
          <span style={{ fontSize: 18, fontWeight: 600, flex: 1 }}>探访关爱</span>
          <AlertBell to={`${FIELD_APP_PATH}/alerts`} light />
          <Typography.Text
            ellipsis
            style={{ color: '#fff', fontSize: 15, maxWidth: '60%' }}
            data-testid="field-user"
          >
            <UserOutlined /> {user.displayName}
          </Typography.Text>
        </Layout.Header>
        <Layout.Content style={{ padding: 12, width: '100%', maxWidth: 560, margin: '0 auto' }}>
          <WorklistProvider enabled={user.role === 'visitor'}>
            <OutboxProvider>
              <DraftsProvider>
                <RecentVisitsProvider>
                  <Routes>
                    <Route index element={<FieldHome />} />
                    <Route path="elders/:id" element={<WorklistElderPage />} />
                    <Route path="elders/:id/visit" element={<VisitRecordPage />} />
                    <Route path="emergencies/:id" element={<FieldEmergencyPage />} />
                    <Route path="alerts" element={<FieldAlertsPage />} />
                    <Route path="recent" element={<RecentVisitsPage />} />
                    <Route path="visits/:id/amend" element={<AmendVisitPage />} />
                    <Route path="visits/:id/history" element={<VisitHistoryPage />} />
                    <Route path="*" element={<Navigate to={FIELD_APP_PATH} replace />} />
                  </Routes>
                </RecentVisitsProvider>
              </DraftsProvider>
            </OutboxProvider>
          </WorklistProvider>
        </Layout.Content>
      </Layout>
    </AlertsProvider>
  );
}
