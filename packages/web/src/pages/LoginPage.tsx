import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LoginInput } from '@tanfang/domain';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../api';
import type { LoginRedirectState } from '../auth/RequireAuth';
import { FullPageSpin } from '../auth/RequireAuth';
import { useAuth } from '../auth/useAuth';
import { applyServerError } from '../lib/zodForm';
import { homePathFor } from '../lib/routes';

interface LoginFormValues {
  username: string;
  password: string;
}

function redirectTarget(state: unknown): LoginRedirectState {
  return typeof state === 'object' && state !== null ? (state as LoginRedirectState) : {};
}

/** `/login`: username and password; shows the server's own message on failure. */
export function LoginPage() {
  const { state, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const redirect = redirectTarget(location.state);
  const [form] = Form.useForm<LoginFormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'authenticated' && !submitting) {
    return <Navigate to={homePathFor(state.user.role)} replace />;
  }

  const onFinish = async (values: LoginFormValues) => {
    const parsed = LoginInput.safeParse(values);
    if (!parsed.success) return;
    setSubmitting(true);
    setError(null);
    try {
      const user = await login(parsed.data);
      const from = redirect.from && redirect.from !== '/login' ? redirect.from : undefined;
      navigate(from ?? homePathFor(user.role), { replace: true });
    } catch (e) {
      if (
        e instanceof ApiError &&
        e.status === 400 &&
        applyServerError(form, ['username', 'password'], e)
      ) {
        setError(null);
      } else {
        setError(errorMessage(e));
      }
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #e6f4ff 0%, #f5f7fa 55%, #fff7e6 100%)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: '32px 28px' } }}>
        <div style={{ textAlign: 'center', marginBottom: 28 }}>
          <Typography.Title
            level={3}
            style={{ marginBottom: 8, fontSize: 'clamp(18px, 5.2vw, 24px)' }}
          >
            特殊困难老年人探访关爱系统
          </Typography.Title>
          <Typography.Text type="secondary">
            摸底建档 · 定期探访 · 需求转介 · 关爱服务
          </Typography.Text>
        </div>

        {redirect.expired && !error && (
          <Alert type="info" showIcon title="登录已过期，请重新登录" style={{ marginBottom: 16 }} />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            role="alert"
          />
        )}

        <Form<LoginFormValues>
          form={form}
          layout="vertical"
          size="large"
          requiredMark={false}
          onFinish={(values) => void onFinish(values)}
          onValuesChange={() => setError(null)}
        >
          <Form.Item
            label="用户名"
            name="username"
            rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
          </Form.Item>
          <Form.Item
            label="密码"
            name="password"
            rules={[{ required: true, message: '请输入密码' }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              maxLength={256}
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              登录
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
