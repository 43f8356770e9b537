import { ReloadOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  GENDER_LABELS,
  TIERS,
  TIER_LABELS,
  VISITOR_TYPE_LABELS,
  regionLevelOf,
  type ElderAssignmentRow,
  type Page,
  type Tier,
} from '@tanfang/domain';
import {
  Alert,
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { CategoryTags, TierTag } from '../elders/ElderTags';
import { visitorsApi } from '../visitors/api';
import { canManageVisitors } from '../visitors/permissions';
import { VisitorSelect } from '../visitors/VisitorSelect';
import { AssignModal } from './AssignModal';
import { EndAssignmentModal } from './EndAssignmentModal';
import { HistoryDrawer, type HistoryTarget } from './HistoryDrawer';
import { ReassignDrawer, type ReassignStart } from './ReassignDrawer';

const isTier = (value: string | undefined): value is Tier =>
  value !== undefined && (TIERS as readonly string[]).includes(value);

/** The reassignment drawer's state; `seq` keys it, so each opening starts afresh. */
type Reassigning = { open: boolean; start: ReassignStart; seq: number };

/**
 * `/assignments` (逐户确定探访人): the active elders of the jurisdiction with their primary and
 * backup visitors, 未落实探访人 with its count, assigning chosen elders to a visitor, ending an
 * assignment, each elder's 分配历史, and 调整分配 with a preview. `?transfer=<visitorId>` opens
 * 批量转交 of that visitor (from 离岗).
 */
export default function AssignmentsPage() {
  const me = useCurrentUser();
  const canManage = canManageVisitors(me.role);
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  /** Filter widths: fixed on a desktop, full width on a phone. */
  const fit = (px: number) => (wide ? px : '100%');

  const q = get('q') ?? '';
  const region = get('region');
  const tierParam = get('tier');
  const tier = isTier(tierParam) ? tierParam : undefined;
  const visitorId = get('visitorId');
  const unassigned = get('unassigned') === 'true';
  const page = getInt('page', 1);
  const pageSize = getInt('pageSize', 20);
  const transfer = get('transfer');
  const transferDate = get('date');

  const [search, setSearch] = useState(q);
  // The URL is the source of truth: back/forward or a menu click resets the input.
  useEffect(() => setSearch(q), [q]);
  const [data, setData] = useState<Page<ElderAssignmentRow> | null>(null);
  const [counts, setCounts] = useState<{ all: number; unassigned: number } | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<Map<string, ElderAssignmentRow>>(new Map());
  const [assignOpen, setAssignOpen] = useState(false);
  const [ending, setEnding] = useState<{ row: ElderAssignmentRow | null; seq: number }>({
    row: null,
    seq: 0,
  });
  const [history, setHistory] = useState<HistoryTarget | null>(null);
  const [reassigning, setReassigning] = useState<Reassigning>({
    open: false,
    start: { scopeKind: 'elder' },
    seq: 0,
  });

  const openReassign = (start: ReassignStart) =>
    setReassigning((prev) => ({ open: true, start, seq: prev.seq + 1 }));

  // 离岗 refused → 批量转交 of that visitor, opened once; the link's parameters then leave the URL.
  useEffect(() => {
    if (!transfer || !canManage) return;
    setReassigning((prev) => ({
      open: true,
      start: {
        scopeKind: 'visitor',
        fromVisitorId: transfer,
        visitorLeaves: true,
        effectiveDate: transferDate,
      },
      seq: prev.seq + 1,
    }));
    update({ transfer: undefined, date: undefined });
  }, [transfer, transferDate, canManage, update]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const filters = { q: q || undefined, region, tier, visitorId };
    Promise.all([
      visitorsApi.listAssignments({
        ...filters,
        unassigned: unassigned || undefined,
        page,
        pageSize,
      }),
      // The two tabs' counts, under the same filters.
      visitorsApi.listAssignments({
        ...filters,
        unassigned: !unassigned || undefined,
        pageSize: 1,
      }),
    ]).then(
      ([result, other]) => {
        if (cancelled) return;
        setData(result);
        setCounts(
          unassigned
            ? { all: other.total, unassigned: result.total }
            : { all: result.total, unassigned: other.total },
        );
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
  }, [q, region, tier, visitorId, unassigned, page, pageSize, reloadKey]);

  const reload = () => setReloadKey((k) => k + 1);
  const clearSelection = () => setSelected(new Map());
  const filtered = Boolean(q || region || tier || visitorId);

  const primaryCell = (r: ElderAssignmentRow) =>
    r.primary ? (
      <Tooltip
        title={`${VISITOR_TYPE_LABELS[r.primary.visitor.type]}${
          r.primary.visitor.phoneMasked ? ` · ${r.primary.visitor.phoneMasked}` : ''
        }`}
      >
        <Flex vertical gap={0}>
          <span data-testid="primary-visitor">{r.primary.visitor.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            自 {r.primary.startDate} 起
          </Typography.Text>
        </Flex>
      </Tooltip>
    ) : (
      <Tag color="red" style={{ marginInlineEnd: 0 }}>
        未落实
      </Tag>
    );

  const actionsCell = (r: ElderAssignmentRow) => (
    <Flex wrap={wide} vertical={!wide} align="flex-start">
      {canManage && (
        <Button
          type="link"
          size="small"
          onClick={() => openReassign({ scopeKind: 'elder', elder: r })}
        >
          调整
        </Button>
      )}
      {canManage && (r.primary || r.backups.length > 0) && (
        <Button
          type="link"
          size="small"
          danger
          onClick={() => setEnding((prev) => ({ row: r, seq: prev.seq + 1 }))}
        >
          结束分配
        </Button>
      )}
      <Button
        type="link"
        size="small"
        onClick={() => setHistory({ id: r.elder.id, name: r.elder.name })}
      >
        分配历史
      </Button>
    </Flex>
  );

  const nameCell = (r: ElderAssignmentRow) => (
    <Link to={`/elders/${r.elder.id}`}>{r.elder.name}</Link>
  );

  // A desktop shows every column; a phone folds them into three, so nothing needs scrolling.
  const columns: TableColumnsType<ElderAssignmentRow> = wide
    ? [
        {
          title: '姓名',
          key: 'name',
          width: 90,
          fixed: 'left',
          render: (_: unknown, r) => nameCell(r),
        },
        {
          title: '性别/年龄',
          key: 'genderAge',
          width: 90,
          render: (_: unknown, r) => `${GENDER_LABELS[r.elder.gender]} · ${r.elder.age} 岁`,
        },
        {
          title: '村(居)',
          key: 'village',
          width: 120,
          render: (_: unknown, r) => (
            <Typography.Text title={r.elder.village.fullName}>
              {r.elder.village.name}
            </Typography.Text>
          ),
        },
        {
          title: '分级',
          key: 'tier',
          width: 70,
          render: (_: unknown, r) => <TierTag tier={r.elder.tier} />,
        },
        {
          title: '类别',
          key: 'categories',
          width: 170,
          render: (_: unknown, r) => <CategoryTags categories={r.elder.categories} />,
        },
        {
          title: '主要探访人',
          key: 'primary',
          width: 130,
          render: (_: unknown, r) => primaryCell(r),
        },
        {
          title: '备用探访人',
          key: 'backups',
          width: 110,
          render: (_: unknown, r) =>
            r.backups.length > 0 ? (
              r.backups.map((b) => b.visitor.name).join('、')
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            ),
        },
        {
          title: '操作',
          key: 'actions',
          width: canManage ? 220 : 90,
          fixed: 'right',
          render: (_: unknown, r) => actionsCell(r),
        },
      ]
    : [
        {
          title: '老年人',
          key: 'elder',
          render: (_: unknown, r) => (
            <Flex vertical gap={2} align="flex-start">
              <Space size={6}>
                {nameCell(r)}
                <TierTag tier={r.elder.tier} />
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {GENDER_LABELS[r.elder.gender]} · {r.elder.age} 岁 · {r.elder.village.name}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: '探访人',
          key: 'visitors',
          render: (_: unknown, r) => (
            <Flex vertical gap={4} align="flex-start">
              {primaryCell(r)}
              {r.backups.length > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  备用：{r.backups.map((b) => b.visitor.name).join('、')}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        { title: '操作', key: 'actions', width: 84, render: (_: unknown, r) => actionsCell(r) },
      ];

  const selectedRows = [...selected.values()];
  const actions = canManage && (
    <Space wrap>
      <Button
        icon={<SwapOutlined />}
        onClick={() =>
          // A village chosen in the filter is the likely scope.
          openReassign(
            region && regionLevelOf(region) === 'village'
              ? { scopeKind: 'village', villageCode: region }
              : { scopeKind: 'elder' },
          )
        }
        data-testid="reassign-open"
      >
        调整分配
      </Button>
      <Button
        type="primary"
        icon={<UserAddOutlined />}
        disabled={selected.size === 0}
        onClick={() => setAssignOpen(true)}
        data-testid="assign-open"
      >
        分配探访人{selected.size > 0 ? `（${selected.size}）` : ''}
      </Button>
    </Space>
  );

  const tabLabel = (text: string, count: number | undefined, danger: boolean) => (
    <Space size={6}>
      {text}
      {count !== undefined && (
        <Badge
          count={count}
          showZero
          overflowCount={99999}
          color={danger && count > 0 ? 'red' : '#8c8c8c'}
        />
      )}
    </Space>
  );

  return (
    <Card
      title="探访分配"
      // On a phone the actions go under the title, which would otherwise be squeezed out.
      extra={wide ? actions : undefined}
    >
      {!wide && actions && <div style={{ marginBottom: 12 }}>{actions}</div>}
      <Tabs
        activeKey={unassigned ? 'unassigned' : 'all'}
        onChange={(key) => {
          clearSelection();
          update({ unassigned: key === 'unassigned' ? 'true' : undefined, page: undefined });
        }}
        items={[
          { key: 'all', label: tabLabel('全部在册老年人', counts?.all, false) },
          {
            key: 'unassigned',
            label: (
              <span data-testid="unassigned-tab">
                {tabLabel('未落实探访人', counts?.unassigned, true)}
              </span>
            ),
          },
        ]}
      />
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="搜索姓名"
          placeholder="姓名或拼音首字母"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => {
            clearSelection();
            update({ q: value.trim(), page: undefined });
          }}
          style={{ width: fit(200) }}
          data-testid="assignment-search"
        />
        <RegionPicker
          value={region}
          onChange={(code) => {
            clearSelection();
            update({ region: code, page: undefined });
          }}
          placeholder="区域"
          style={{ width: fit(260) }}
        />
        <Select<Tier>
          aria-label="分级"
          placeholder="分级"
          allowClear
          value={tier}
          onChange={(value) => {
            clearSelection();
            update({ tier: value, page: undefined });
          }}
          options={TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }))}
          style={{ width: fit(110) }}
        />
        <VisitorSelect
          value={visitorId}
          status={null}
          onChange={(id) => {
            clearSelection();
            update({ visitorId: id, page: undefined });
          }}
          placeholder="探访人员"
          style={{ width: fit(200) }}
          data-testid="assignment-visitor-filter"
        />
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
          刷新
        </Button>
      </Flex>

      {canManage && selected.size > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`已选 ${selected.size} 位老年人：${selectedRows
            .slice(0, 8)
            .map((r) => r.elder.name)
            .join('、')}${selected.size > 8 ? ' 等' : ''}`}
          action={
            <Button size="small" type="link" onClick={clearSelection}>
              清除选择
            </Button>
          }
        />
      )}
      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      <Table<ElderAssignmentRow>
        data-testid="assignment-table"
        rowKey={(r) => r.elder.id}
        size={wide ? 'middle' : 'small'}
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={wide ? { x: canManage ? 1040 : 880 } : undefined}
        rowSelection={
          canManage
            ? {
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                onChange: (_keys, rows) => {
                  // Rows of other pages stay chosen: antd passes them as undefined.
                  setSelected((prev) => {
                    const next = new Map<string, ElderAssignmentRow>();
                    for (const key of _keys) {
                      const id = String(key);
                      const row = rows.find((r) => r?.elder.id === id) ?? prev.get(id);
                      if (row) next.set(id, row);
                    }
                    return next;
                  });
                },
              }
            : undefined
        }
        locale={{
          emptyText: loading ? (
            ' '
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                unassigned
                  ? filtered
                    ? '符合条件的在册老年人都已落实主要探访人。'
                    : '辖区内在册老年人都已落实主要探访人。'
                  : filtered
                    ? '没有符合条件的在册老年人，请调整筛选条件。'
                    : '辖区内还没有在册的老年人，请先在“老年人台账”中登记。'
              }
            />
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

      {assignOpen && (
        <AssignModal
          open
          elders={selectedRows}
          onClose={() => setAssignOpen(false)}
          onAssigned={() => {
            setAssignOpen(false);
            clearSelection();
            reload();
          }}
        />
      )}
      <EndAssignmentModal
        key={`end-${ending.seq}`}
        row={ending.row}
        onClose={() => setEnding((prev) => ({ ...prev, row: null }))}
        onEnded={() => {
          setEnding((prev) => ({ ...prev, row: null }));
          reload();
        }}
      />
      <HistoryDrawer elder={history} onClose={() => setHistory(null)} />
      <ReassignDrawer
        key={`reassign-${reassigning.seq}`}
        open={reassigning.open}
        start={reassigning.start}
        onClose={() => setReassigning((prev) => ({ ...prev, open: false }))}
        onDone={() => {
          clearSelection();
          reload();
        }}
      />
    </Card>
  );
}
