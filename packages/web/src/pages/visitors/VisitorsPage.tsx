import { PlusOutlined, ReloadOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  VISITOR_STATUS_LABELS,
  VISITOR_TYPE_LABELS,
  type Page,
  type VisitorDto,
  type VisitorStatus,
  type VisitorType,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { usePlaceName } from '../elders/usePlaceName';
import { visitorsApi } from './api';
import { LeaveModal } from './LeaveModal';
import { canManageVisitors } from './permissions';
import { VisitorDrawer } from './VisitorDrawer';
import { VisitorFormModal } from './VisitorFormModal';
import { VisitorStatusTag } from './VisitorTags';

const TYPES = Object.keys(VISITOR_TYPE_LABELS) as VisitorType[];
const STATUSES = Object.keys(VISITOR_STATUS_LABELS) as VisitorStatus[];

const isType = (value: string | undefined): value is VisitorType =>
  value !== undefined && (TYPES as readonly string[]).includes(value);
const isStatus = (value: string | undefined): value is VisitorStatus =>
  value !== undefined && (STATUSES as readonly string[]).includes(value);

/**
 * The visitor form's state. `visitor` stays while the modal closes, so its title does not flip;
 * `seq` grows on every opening and keys the modal, so each opening starts from a fresh form.
 */
type Editing = { open: boolean; visitor?: VisitorDto; seq: number };

/**
 * `/visitors` (and `/visitors/:id` with the drawer open): the visitors (探访人员) within the
 * jurisdiction, their area, account and current load; registration, edits and 离岗.
 */
export default function VisitorsPage() {
  const me = useCurrentUser();
  const canManage = canManageVisitors(me.role);
  const navigate = useNavigate();
  const { search: listSearch } = useLocation();
  const { id: openId } = useParams();
  const placeName = usePlaceName();
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  /** Filter widths: fixed on a desktop, full width on a phone. */
  const fit = (px: number) => (wide ? px : '100%');

  const q = get('q') ?? '';
  const region = get('region');
  const typeParam = get('type');
  const type = isType(typeParam) ? typeParam : undefined;
  const statusParam = get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const page = getInt('page', 1);
  const pageSize = getInt('pageSize', 20);
  const filtered = Boolean(q || region || type || status);

  const [search, setSearch] = useState(q);
  // The URL is the source of truth: back/forward or a menu click resets the input.
  useEffect(() => setSearch(q), [q]);
  const [data, setData] = useState<Page<VisitorDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Editing>({ open: false, seq: 0 });
  const [leaving, setLeaving] = useState<{ visitor: VisitorDto | null; seq: number }>({
    visitor: null,
    seq: 0,
  });

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    visitorsApi.listVisitors({ q: q || undefined, region, type, status, page, pageSize }).then(
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
  }, [q, region, type, status, page, pageSize, reloadKey]);

  const reload = () => setReloadKey((k) => k + 1);
  const openVisitor = (id: string) => navigate(`/visitors/${id}${listSearch}`);
  const edit = (visitor?: VisitorDto) =>
    setEditing((prev) => ({ open: true, visitor, seq: prev.seq + 1 }));

  const nameCell = (v: VisitorDto) => (
    <Typography.Link onClick={() => openVisitor(v.id)}>{v.name}</Typography.Link>
  );

  const loadCell = (v: VisitorDto) => {
    const { primary, backup } = v.activeAssignments;
    // On a phone the two counts go on two lines rather than break mid-phrase.
    const text = wide ? (
      `主要 ${primary} · 备用 ${backup}`
    ) : (
      <>
        主要 {primary}
        <br />
        备用 {backup}
      </>
    );
    return primary + backup > 0 ? (
      <Link to={`/assignments?visitorId=${encodeURIComponent(v.id)}`} title="查看其负责的老年人">
        {text}
      </Link>
    ) : (
      <Typography.Text type="secondary">{text}</Typography.Text>
    );
  };

  const actionsColumn: TableColumnsType<VisitorDto> = canManage
    ? [
        {
          title: '操作',
          key: 'actions',
          width: wide ? 120 : 64,
          fixed: wide ? 'right' : undefined,
          render: (_: unknown, v) => (
            <Flex wrap={wide} vertical={!wide} align="flex-start">
              <Button type="link" size="small" onClick={() => edit(v)}>
                编辑
              </Button>
              {v.status === 'active' && (
                <Button
                  type="link"
                  size="small"
                  danger
                  onClick={() => setLeaving((prev) => ({ visitor: v, seq: prev.seq + 1 }))}
                >
                  离岗
                </Button>
              )}
            </Flex>
          ),
        },
      ]
    : [];

  // A desktop shows every column; a phone folds them into two (the drawer has the rest).
  const columns: TableColumnsType<VisitorDto> = wide
    ? [
        {
          title: '姓名',
          dataIndex: 'name',
          width: 100,
          fixed: 'left',
          render: (_: unknown, v) => nameCell(v),
        },
        {
          title: '类型',
          dataIndex: 'type',
          width: 110,
          render: (t: VisitorType) => VISITOR_TYPE_LABELS[t],
        },
        {
          title: '电话',
          dataIndex: 'phoneMasked',
          width: 120,
          render: (phone: string | null) => phone ?? '—',
        },
        {
          title: '服务区域',
          key: 'region',
          width: 260,
          render: (_: unknown, v) => (
            <Typography.Text title={v.region.fullName}>
              {placeName(v.region.fullName)}
            </Typography.Text>
          ),
        },
        {
          title: '关联账号',
          key: 'user',
          width: 150,
          render: (_: unknown, v) =>
            v.user ? (
              <Typography.Text title={v.user.displayName}>{v.user.username}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">未关联</Typography.Text>
            ),
        },
        { title: '在管对象', key: 'load', width: 130, render: (_: unknown, v) => loadCell(v) },
        {
          title: '状态',
          dataIndex: 'status',
          width: 80,
          render: (_: unknown, v) => <VisitorStatusTag visitor={v} />,
        },
        ...actionsColumn,
      ]
    : [
        {
          title: '探访人员',
          key: 'visitor',
          render: (_: unknown, v) => (
            <Flex vertical gap={2} align="flex-start">
              <Space size={6}>
                {nameCell(v)}
                <VisitorStatusTag visitor={v} />
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {VISITOR_TYPE_LABELS[v.type]} · {v.phoneMasked ?? '无电话'}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.region.name}
              </Typography.Text>
            </Flex>
          ),
        },
        { title: '在管对象', key: 'load', width: 100, render: (_: unknown, v) => loadCell(v) },
        ...actionsColumn,
      ];

  const createButton = canManage && (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => edit()}
      data-testid="visitor-create"
    >
      登记探访人员
    </Button>
  );

  return (
    <Card
      title="探访人员"
      // On a phone the action goes under the title, which would otherwise be squeezed out.
      extra={wide ? createButton : undefined}
    >
      {!wide && createButton && <div style={{ marginBottom: 16 }}>{createButton}</div>}
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="搜索姓名"
          placeholder="搜索姓名"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => update({ q: value.trim(), page: undefined })}
          style={{ width: fit(200) }}
          data-testid="visitor-search"
        />
        <RegionPicker
          value={region}
          onChange={(code) => update({ region: code, page: undefined })}
          placeholder="区域"
          style={{ width: fit(280) }}
        />
        <Select<VisitorType>
          aria-label="类型"
          placeholder="类型"
          allowClear
          value={type}
          onChange={(value) => update({ type: value, page: undefined })}
          options={TYPES.map((t) => ({ value: t, label: VISITOR_TYPE_LABELS[t] }))}
          style={{ width: fit(140) }}
        />
        <Select<VisitorStatus>
          aria-label="状态"
          placeholder="状态"
          allowClear
          value={status}
          onChange={(value) => update({ status: value, page: undefined })}
          options={STATUSES.map((s) => ({ value: s, label: VISITOR_STATUS_LABELS[s] }))}
          style={{ width: fit(110) }}
        />
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
          刷新
        </Button>
      </Flex>

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      <Table<VisitorDto>
        data-testid="visitor-table"
        rowKey="id"
        size={wide ? 'middle' : 'small'}
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={wide ? { x: canManage ? 1070 : 950 } : undefined}
        locale={{
          emptyText: loading ? (
            ' '
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                filtered
                  ? '没有符合条件的探访人员，请调整筛选条件'
                  : canManage
                    ? '辖区内还没有登记探访人员。点击“登记探访人员”，再到“探访分配”为老年人确定探访人。'
                    : '辖区内还没有登记探访人员'
              }
            >
              {!filtered && canManage && (
                <Button icon={<UserAddOutlined />} onClick={() => edit()}>
                  登记探访人员
                </Button>
              )}
            </Empty>
          ),
        }}
        pagination={{
          current: data?.page ?? page,
          pageSize: data?.pageSize ?? pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 人`,
        }}
        onChange={(pagination) =>
          update({
            page: pagination.current === 1 ? undefined : pagination.current,
            pageSize: pagination.pageSize === 20 ? undefined : pagination.pageSize,
          })
        }
      />

      <VisitorDrawer
        visitorId={openId ?? null}
        reloadKey={reloadKey}
        canManage={canManage}
        onEdit={edit}
        onClose={() => navigate(`/visitors${listSearch}`)}
      />
      <VisitorFormModal
        key={editing.seq}
        open={editing.open}
        visitor={editing.visitor}
        onClose={() => setEditing((prev) => ({ ...prev, open: false }))}
        onSaved={() => {
          setEditing((prev) => ({ ...prev, open: false }));
          reload();
        }}
      />
      <LeaveModal
        key={`leave-${leaving.seq}`}
        visitor={leaving.visitor}
        onClose={() => setLeaving((prev) => ({ ...prev, visitor: null }))}
        onLeft={() => {
          setLeaving((prev) => ({ ...prev, visitor: null }));
          reload();
        }}
      />
    </Card>
  );
}
