import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  ROLES,
  ROLE_LABELS,
  type Page,
  type Role,
  type UserDto,
  type UserStatus,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Grid,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { USER_STATUS_LABELS, UserStatusTag } from '../../components/UserStatusTag';
import { formatTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserFormModal } from './UserFormModal';

const STATUSES: UserStatus[] = ['active', 'disabled', 'locked'];

const isRole = (value: string | undefined): value is Role =>
  value !== undefined && (ROLES as readonly string[]).includes(value);
const isStatus = (value: string | undefined): value is UserStatus =>
  value !== undefined && (STATUSES as readonly string[]).includes(value);

/**
 * The user form's state. `user` stays while the modal closes, so its title does not flip; `seq`
 * grows on every opening and keys the modal, so each opening starts from a fresh form.
 */
type Editing = { open: boolean; user?: UserDto; seq: number };

/** `/users` (admin): the accounts within the admin's jurisdiction, with their management. */
export default function UsersPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  /** Filter widths: fixed on a desktop, full width on a phone. */
  const fit = (px: number) => (wide ? px : '100%');

  const q = get('q') ?? '';
  const roleParam = get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const statusParam = get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const region = get('region');
  const page = getInt('page', 1);
  const pageSize = getInt('pageSize', 20);

  const [search, setSearch] = useState(q);
  // The URL is the source of truth: back/forward or a menu click resets the input.
  useEffect(() => setSearch(q), [q]);
  const [data, setData] = useState<Page<UserDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Editing>({ open: false, seq: 0 });
  const [resetting, setResetting] = useState<{ user: UserDto | null; seq: number }>({
    user: null,
    seq: 0,
  });
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.listUsers({ q: q || undefined, role, status, region, page, pageSize }).then(
      (result) => {
        if (cancelled) return;
        setData(result);
        setLoadError(null);
        setLoading(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError(errorMessage(error));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [q, role, status, region, page, pageSize, reloadKey]);

  const reload = () => setReloadKey((k) => k + 1);

  /** Runs one account action, then shows its outcome and reloads the list. */
  const act = async (user: UserDto, action: () => Promise<unknown>, done: string) => {
    setBusyId(user.id);
    try {
      await action();
      message.success(done);
      reload();
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusyId(null);
    }
  };

  const columns: TableColumnsType<UserDto> = [
    { title: '用户名', dataIndex: 'username', width: 130, fixed: wide ? 'left' : undefined },
    { title: '姓名', dataIndex: 'displayName', width: 110 },
    {
      title: '角色',
      dataIndex: 'role',
      width: 145,
      render: (_: unknown, user) => (
        <>
          {user.roleLabel || ROLE_LABELS[user.role]}
          {user.provider && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {user.provider.name}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: '辖区',
      key: 'jurisdiction',
      width: 200,
      render: (_: unknown, user) => (
        <Typography.Text title={user.jurisdiction.code}>
          {user.jurisdiction.fullName}
        </Typography.Text>
      ),
    },
    {
      title: '电话',
      dataIndex: 'phone',
      width: 120,
      render: (phone: string | null) => phone ?? '—',
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (_: unknown, user) => <UserStatusTag user={user} />,
    },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      width: 160,
      render: (at: string | null) => formatTime(at),
    },
    {
      title: '操作',
      key: 'actions',
      width: 210,
      // On a phone pinned columns would cover the others.
      fixed: wide ? 'right' : undefined,
      render: (_: unknown, user) => {
        const self = user.id === me.id;
        const busy = busyId === user.id;
        return (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              onClick={() => setEditing((prev) => ({ open: true, user, seq: prev.seq + 1 }))}
            >
              编辑
            </Button>
            {user.status === 'disabled' ? (
              <Popconfirm
                title={`启用“${user.displayName}”的账号？`}
                okText="启用"
                onConfirm={() =>
                  act(
                    user,
                    () => api.updateUser(user.id, { status: 'active' }),
                    `已启用“${user.displayName}”`,
                  )
                }
              >
                <Button type="link" size="small" loading={busy}>
                  启用
                </Button>
              </Popconfirm>
            ) : (
              !self && (
                <Popconfirm
                  title={`停用“${user.displayName}”的账号？`}
                  description="停用后该账号无法登录，数据保留。"
                  okText="停用"
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    act(
                      user,
                      () => api.updateUser(user.id, { status: 'disabled' }),
                      `已停用“${user.displayName}”`,
                    )
                  }
                >
                  <Button type="link" size="small" danger loading={busy}>
                    停用
                  </Button>
                </Popconfirm>
              )
            )}
            <Button
              type="link"
              size="small"
              onClick={() => setResetting((prev) => ({ user, seq: prev.seq + 1 }))}
            >
              重置密码
            </Button>
            {user.status === 'locked' && (
              <Button
                type="link"
                size="small"
                loading={busy}
                onClick={() =>
                  void act(user, () => api.unlockUser(user.id), `已解锁“${user.displayName}”`)
                }
              >
                解锁
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <Card
      title="用户管理"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing((prev) => ({ open: true, seq: prev.seq + 1 }))}
        >
          新建用户
        </Button>
      }
    >
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="搜索用户名或姓名"
          placeholder="搜索用户名或姓名"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => update({ q: value.trim(), page: undefined })}
          style={{ width: fit(240) }}
        />
        <Select<Role>
          aria-label="角色"
          placeholder="角色"
          allowClear
          value={role}
          onChange={(value) => update({ role: value, page: undefined })}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          style={{ width: fit(170) }}
        />
        <Select<UserStatus>
          aria-label="状态"
          placeholder="状态"
          allowClear
          value={status}
          onChange={(value) => update({ status: value, page: undefined })}
          options={STATUSES.map((s) => ({ value: s, label: USER_STATUS_LABELS[s] }))}
          style={{ width: fit(120) }}
        />
        <RegionPicker
          value={region}
          onChange={(code) => update({ region: code, page: undefined })}
          placeholder="区域"
          style={{ width: fit(280) }}
        />
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
          刷新
        </Button>
      </Flex>

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      <Table<UserDto>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1160 }}
        pagination={{
          current: data?.page ?? page,
          pageSize: data?.pageSize ?? pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 个用户`,
        }}
        onChange={(pagination) =>
          update({
            page: pagination.current === 1 ? undefined : pagination.current,
            pageSize: pagination.pageSize === 20 ? undefined : pagination.pageSize,
          })
        }
      />

      <UserFormModal
        key={editing.seq}
        open={editing.open}
        user={editing.user}
        onClose={() => setEditing((prev) => ({ ...prev, open: false }))}
        onSaved={() => {
          setEditing((prev) => ({ ...prev, open: false }));
          reload();
        }}
      />
      <ResetPasswordModal
        key={resetting.seq}
        user={resetting.user}
        onClose={() => setResetting((prev) => ({ ...prev, user: null }))}
      />
    </Card>
  );
}
