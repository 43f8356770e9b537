import {
  AlertOutlined,
  ApiOutlined,
  BellOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CarryOutOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FireOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  NotificationOutlined,
  ProfileOutlined,
  SendOutlined,
  ShopOutlined,
  SolutionOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS, canManageUsers, canReadAudit, type Role } from '@tanfang/domain';
import { Button, Grid, Layout, Menu, Tag, Typography, theme, type MenuProps } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useCurrentUser } from '../auth/useAuth';
import { canReadElders } from '../pages/elders/permissions';
import { canReadDashboard } from '../pages/dashboard/permissions';
import { canReadScorecards } from '../pages/scorecards/permissions';
import { canReadVisitRules } from '../pages/policies/permissions';
import { canReadVisitors } from '../pages/visitors/permissions';
import { canReadFindings } from '../pages/visits/permissions';
import { canReadTemplates } from '../pages/templates/permissions';
import { canReadWorklist } from '../pages/worklist/permissions';
import { canReadReports } from '../pages/reports/permissions';
import { canReadProviders } from '../pages/providers/permissions';
import { canOpenReferrals, canReadCareServices } from '../pages/referrals/permissions';
import { canReadSpotChecks } from '../pages/spot-checks/permissions';
import { canReadEmergencies, canSetDeadlines } from '../pages/emergencies/permissions';
import { DutySwitch } from '../components/DutySwitch';
import { AlertBell } from '../pages/alerts/AlertBell';
import { AlertsProvider } from '../pages/alerts/AlertsContext';
import { canReadChannels, hasAlertQueue } from '../pages/alerts/permissions';
import { EmergencyBanner } from '../pages/emergencies/EmergencyBanner';

type MenuItem = NonNullable<MenuProps['items']>[number];

/** The console's menu for a role: 首页 for all, the rest by permission. */
function menuItemsFor(role: Role): MenuItem[] {
  // A provider account's home is 转介给本机构.
  const items: MenuItem[] =
    role === 'provider' ? [] : [{ key: '/', icon: <HomeOutlined />, label: '首页' }];
  // 探访任务 right after 首页: the first thing village and township staff need.
  if (canReadWorklist(role))
    items.push({ key: '/worklist', icon: <CarryOutOutlined />, label: '探访任务' });
  // 提醒: the one queue of what needs doing now (also the bell in the header).
  if (hasAlertQueue(role)) items.push({ key: '/alerts', icon: <BellOutlined />, label: '提醒' });
  if (canReadDashboard(role))
    items.push({ key: '/dashboard', icon: <DashboardOutlined />, label: '数据看板' });
  if (canReadEmergencies(role))
    items.push({ key: '/emergencies', icon: <FireOutlined />, label: '紧急情况' });
  if (canReadFindings(role))
    items.push({ key: '/findings', icon: <AlertOutlined />, label: '发现问题' });
  if (canOpenReferrals(role))
    items.push({
      key: '/referrals',
      icon: <SendOutlined />,
      label: role === 'provider' ? '转介给本机构' : '需求转介',
    });
  if (canReadCareServices(role))
    items.push({ key: '/care-services', icon: <HeartOutlined />, label: '关爱服务' });
  if (canReadSpotChecks(role))
    items.push({ key: '/spot-checks', icon: <FileSearchOutlined />, label: '抽查' });
  if (canReadElders(role))
    items.push({ key: '/elders', icon: <SolutionOutlined />, label: '老年人台账' });
  if (canReadReports(role))
    items.push({ key: '/reports', icon: <BarChartOutlined />, label: '统计报表' });
  if (canReadVisitors(role)) {
    items.push({ key: '/visitors', icon: <IdcardOutlined />, label: '探访人员' });
    items.push({ key: '/assignments', icon: <ApartmentOutlined />, label: '探访分配' });
  }
  if (canReadVisitRules(role)) {
    items.push({ key: '/policies', icon: <CalendarOutlined />, label: '探访规则' });
    items.push({ key: '/campaigns', icon: <NotificationOutlined />, label: '专项探访' });
  }
  if (canSetDeadlines(role))
    items.push({ key: '/deadlines', icon: <ClockCircleOutlined />, label: '期限设置' });
  if (canReadScorecards(role))
    items.push({ key: '/scorecards', icon: <TrophyOutlined />, label: '绩效考评' });
  if (canReadProviders(role))
    items.push({ key: '/providers', icon: <ShopOutlined />, label: '服务机构' });
  if (canReadTemplates(role)) {
    items.push({ key: '/templates', icon: <ProfileOutlined />, label: '探访表' });
  }
  if (canReadChannels(role))
    items.push({ key: '/notification-channels', icon: <ApiOutlined />, label: '通知渠道' });
  if (canManageUsers(role))
    items.push({ key: '/users', icon: <TeamOutlined />, label: '用户管理' });
  if (canReadAudit(role)) items.push({ key: '/audit', icon: <AuditOutlined />, label: '审计日志' });
  return items;
}

/** The menu key of a location: its first path segment. */
function selectedKey(pathname: string): string {
  const first = pathname.split('/')[1];
  return first ? `/${first}` : '/';
}

/** Layout of the console (every role but visitor): sider menu, header with the account. */
export default function ConsoleLayout() {
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [narrow, setNarrow] = useState(false);
  const wide = screens.md ?? true;

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <AlertsProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider
          breakpoint="lg"
          collapsedWidth={0}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          onBreakpoint={(broken) => {
            setNarrow(broken);
            setCollapsed(broken);
          }}
          trigger={null}
          width={208}
          style={
            narrow
              ? { position: 'fixed', insetBlock: 0, left: 0, zIndex: 1001, height: '100vh' }
              : undefined
          }
          aria-label="主菜单"
        >
          <div
            style={{
              height: 64,
              display: 'flex',
              alignItems: 'center',
              gap: 10,
              padding: '0 20px',
              color: '#fff',
              fontSize: 17,
              fontWeight: 600,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
            }}
          >
            <img src="/favicon.svg" alt="" width={26} height={26} />
            探访关爱
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selectedKey(location.pathname)]}
            items={menuItemsFor(user.role)}
            onClick={({ key }) => {
              navigate(key);
              if (narrow) setCollapsed(true);
            }}
          />
        </Layout.Sider>
        {narrow && !collapsed && (
          // A tap beside the open menu closes it on a phone.
          <div
            onClick={() => setCollapsed(true)}
            style={{ position: 'fixed', inset: 0, zIndex: 1000, background: 'rgba(0,0,0,0.35)' }}
          />
        )}
        <Layout>
          <Layout.Header
            style={{
              display: 'flex',
              alignItems: 'center',
              gap: wide ? 12 : 8,
              padding: '0 12px 0 8px',
              background: token.colorBgContainer,
              borderBottom: `1px solid ${token.colorBorderSecondary}`,
              lineHeight: 'normal',
              position: 'sticky',
              top: 0,
              zIndex: 10,
            }}
          >
            <Button
              type="text"
              aria-label={collapsed ? '展开菜单' : '收起菜单'}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              style={{ fontSize: 18, width: 44, height: 44 }}
            />
            <div
              data-testid="current-user"
              style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 2 }}
            >
              <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
                <Typography.Text strong ellipsis>
                  {user.displayName}
                </Typography.Text>
                {/* Shrinks with an ellipsis instead of running over the 值班 switch on a phone. */}
                <Tag
                  color="blue"
                  title={ROLE_LABELS[user.role]}
                  style={{
                    marginInlineEnd: 0,
                    minWidth: 0,
                    flexShrink: 1,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                  }}
                >
                  {ROLE_LABELS[user.role]}
                </Tag>
              </div>
              <Typography.Text
                type="secondary"
                ellipsis={{ tooltip: user.jurisdiction.fullName }}
                style={{ fontSize: 12 }}
              >
                {user.jurisdiction.fullName}
              </Typography.Text>
            </div>
            <DutySwitch />
            <AlertBell to="/alerts" />
            {/* On a phone the icon alone: the account, 值班 and the bell need the width. */}
            <Button
              icon={<LogoutOutlined />}
              onClick={() => void onLogout()}
              aria-label="退出登录"
              title="退出登录"
            >
              {wide ? '退出登录' : null}
            </Button>
          </Layout.Header>
          <Layout.Content style={{ padding: wide ? 24 : 12 }}>
            <EmergencyBanner />
            <Outlet />
          </Layout.Content>
        </Layout>
      </Layout>
    </AlertsProvider>
  );
}
