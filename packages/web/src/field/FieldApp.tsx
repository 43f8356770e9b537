import {
  CalendarOutlined,
  DesktopOutlined,
  EnvironmentOutlined,
  LogoutOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS, regionLevelOf } from '@tanfang/domain';
import { Avatar, Button, Card, Empty, Flex, Layout, Typography } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { useAuth, useCurrentUser } from '../auth/useAuth';
import { FIELD_APP_PATH } from '../lib/routes';

/** Touch targets in the field app are at least 48px high (WCAG 2.5.5 / Android guidance). */
const TOUCH: CSSProperties = { minHeight: 48, fontSize: 16 };

function greeting(hour: number): string {
  if (hour < 6) return '凌晨好';
  if (hour < 11) return '上午好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

/** The field app's home: who and where the visitor is, and today's visits. */
function FieldHome() {
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const now = dayjs();

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Flex vertical gap={12}>
      <Card data-testid="field-greeting">
        <Flex gap={14} align="center">
          <Avatar
            size={52}
            icon={<UserOutlined />}
            style={{ background: '#1677ff', flex: 'none' }}
          />
          <div style={{ minWidth: 0 }}>
            <Typography.Text type="secondary">{greeting(now.hour())}，</Typography.Text>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {user.displayName}
            </Typography.Title>
            <Typography.Text type="secondary">{ROLE_LABELS[user.role]}</Typography.Text>
          </div>
        </Flex>
        <Flex gap={8} align="flex-start" style={{ marginTop: 16, fontSize: 15 }}>
          <EnvironmentOutlined style={{ marginTop: 4, color: '#1677ff' }} />
          <div>
            <Typography.Text type="secondary">
              {regionLevelOf(user.jurisdiction.code) === 'village' ? '所在村：' : '辖区：'}
            </Typography.Text>
            <Typography.Text>{user.jurisdiction.fullName}</Typography.Text>
          </div>
        </Flex>
      </Card>

      <Card
        title={
          <span>
            <CalendarOutlined /> 今日待访
          </span>
        }
        extra={<Typography.Text type="secondary">{now.format('M月D日 dddd')}</Typography.Text>}
        data-testid="field-worklist"
      >
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <>
              <div style={{ fontSize: 16 }}>暂无待访对象</div>
              <Typography.Text type="secondary">
                乡镇(街道)为您分配探访对象后，待访名单将显示在这里。
              </Typography.Text>
            </>
          }
        />
      </Card>

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
        <span style={{ fontSize: 18, fontWeight: 600 }}>探访关爱</span>
        <Typography.Text
          ellipsis
          style={{ color: '#fff', fontSize: 15, maxWidth: '60%' }}
          data-testid="field-user"
        >
          <UserOutlined /> {user.displayName}
        </Typography.Text>
      </Layout.Header>
      <Layout.Content style={{ padding: 12, width: '100%', maxWidth: 560, margin: '0 auto' }}>
        <Routes>
          <Route index element={<FieldHome />} />
          <Route path="*" element={<Navigate to={FIELD_APP_PATH} replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}
