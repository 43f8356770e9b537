import type { Role } from '@tanfang/domain';
import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from './useAuth';

/** State passed to `/login` when a page needed a session. */
export interface LoginRedirectState {
  from?: string;
  expired?: boolean;
}

/** A full-page spinner while the session is probed. */
export function FullPageSpin() {
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" description="正在加载…" />
    </div>
  );
}

/** Renders the nested routes only with a session; otherwise sends the user to `/login`. */
export function RequireAuth() {
  const { state, refresh } = useAuth();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return <FullPageSpin />;
    case 'unreachable':
      return (
        <Result
          status="warning"
          title="暂时无法连接服务器"
          subTitle={state.message}
          extra={
            <Button type="primary" onClick={() => void refresh()}>
              重试
            </Button>
          }
        />
      );
    case 'anonymous': {
      const redirect: LoginRedirectState = {
        from: location.pathname + location.search,
        expired: state.expired,
      };
      return <Navigate to="/login" replace state={redirect} />;
    }
    case 'authenticated':
      return <Outlet />;
  }
}

/** Shows its children only to users whose role passes `allow`; others see 403. */
export function RequireRole({
  allow,
  children,
}: {
  allow: (role: Role) => boolean;
  children: ReactNode;
}) {
  const { state } = useAuth();
  if (state.status === 'authenticated' && allow(state.user.role)) return <>{children}</>;
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的角色无权使用此功能。如需开通，请联系系统管理员。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
