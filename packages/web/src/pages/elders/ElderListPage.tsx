import {
  DownloadOutlined,
  PlusOutlined,
  ReloadOutlined,
  UploadOutlined,
  WarningFilled,
} from '@ant-design/icons';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  ELDER_STATUS_LABELS,
  GENDER_LABELS,
  TIERS,
  TIER_LABELS,
  type Category,
  type ElderStatus,
  type ElderSummaryDto,
  type Page,
  type Tier,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { CategoryTags, ElderStatusTag, TierTag } from './ElderTags';
import { rememberListSearch } from './listSearch';
import { ExportModal } from './ExportModal';
import { canEditElders, canExportElders, canImportElders } from './permissions';
import { usePlaceName } from './usePlaceName';

const STATUSES = Object.keys(ELDER_STATUS_LABELS) as ElderStatus[];
/** The status filter's value for "every status" (no parameter means 在册). */
const ALL_STATUSES = 'all';

const isCategory = (value: string | undefined): value is Category =>
  value !== undefined && (CATEGORIES as readonly string[]).includes(value);
const isTier = (value: string | undefined): value is Tier =>
  value !== undefined && (TIERS as readonly string[]).includes(value);
const isStatus = (value: string | undefined): value is ElderStatus =>
  value !== undefined && (STATUSES as readonly string[]).includes(value);

/** `/elders`: the ledger (台账) within the user's jurisdiction, filtered and paged on the server. */
export default function ElderListPage() {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const placeName = usePlaceName();
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  /** Filter widths: fixed on a desktop, full width on a phone. */
  const fit = (px: number) => (wide ? px : '100%');

  const q = get('q') ?? '';
  const region = get('region');
  const categoryParam = get('category');
  const category = isCategory(categoryParam) ? categoryParam : undefined;
  const tierParam = get('tier');
  const tier = isTier(tierParam) ? tierParam : undefined;
  const statusParam = get('status');
  // 在册 unless the URL says otherwise; `all` lists every status.
  const status: ElderStatus | undefined =
    statusParam === ALL_STATUSES ? undefined : isStatus(statusParam) ? statusParam : 'active';
  const page = getInt('page', 1);
  const pageSize = getInt('pageSize', 20);

  const { search: listSearch } = useLocation();
  useEffect(() => rememberListSearch(listSearch), [listSearch]);

  const [search, setSearch] = useState(q);
  // The URL is the source of truth: back/forward or a menu click resets the input.
  useEffect(() => setSearch(q), [q]);
  const [data, setData] = useState<Page<ElderSummaryDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [exportOpen, setExportOpen] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.listElders({ q: q || undefined, region, category, tier, status, page, pageSize }).then(
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
  }, [q, region, category, tier, status, page, pageSize, reloadKey]);

  const columns: TableColumnsType<ElderSummaryDto> = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 100,
      fixed: wide ? 'left' : undefined,
      render: (name: string, elder) => <Link to={`/elders/${elder.id}`}>{name}</Link>,
    },
    {
      title: '性别',
      dataIndex: 'gender',
      width: 60,
      render: (_: unknown, elder) => GENDER_LABELS[elder.gender],
    },
    { title: '年龄', dataIndex: 'age', width: 60 },
    {
      title: '身份证号',
      dataIndex: 'idNumberMasked',
      width: 190,
      render: (id: string) => (
        <Typography.Text style={{ fontFamily: token.fontFamilyCode, whiteSpace: 'nowrap' }}>
          {id}
        </Typography.Text>
      ),
    },
    {
      title: '居住地',
      key: 'village',
      width: 240,
      render: (_: unknown, elder) => (
        <Typography.Text title={elder.village.fullName}>
          {placeName(elder.village.fullName)}
        </Typography.Text>
      ),
    },
    {
      title: '类别',
      dataIndex: 'categories',
      width: 200,
      render: (_: unknown, elder) => <CategoryTags categories={elder.categories} />,
    },
    {
      title: '分级',
      dataIndex: 'tier',
      width: 80,
      render: (_: unknown, elder) => <TierTag tier={elder.tier} />,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (_: unknown, elder) => (
        <Tooltip title={`自 ${elder.statusSince} 起`}>
          <span>
            <ElderStatusTag status={elder.status} />
          </span>
        </Tooltip>
      ),
    },
    {
      title: '矛盾',
      dataIndex: 'contradictionCount',
      width: 70,
      render: (count: number) =>
        count > 0 ? (
          <Tooltip title={`${count} 处矛盾提示，请打开记录核对`}>
            <Typography.Text type="warning" data-testid="elder-contradiction-count">
              <WarningFilled /> {count}
            </Typography.Text>
          </Tooltip>
        ) : null,
    },
  ];

  const actions = (
    <Space wrap>
      {canExportElders(me.role) && (
        <Button
          icon={<DownloadOutlined />}
          onClick={() => setExportOpen(true)}
          data-testid="export-button"
        >
          导出
        </Button>
      )}
      {canImportElders(me.role) && (
        <Button
          icon={<UploadOutlined />}
          onClick={() => navigate('/elders/import')}
          data-testid="import-button"
        >
          批量导入
        </Button>
      )}
      {canEditElders(me.role) && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/elders/new')}
          data-testid="elder-create"
        >
          新增老年人
        </Button>
      )}
    </Space>
  );

  return (
    <Card
      title="老年人台账"
      // On a phone the actions go under the title, which would otherwise be squeezed out.
      extra={wide ? actions : undefined}
    >
      {!wide && <div style={{ marginBottom: 16 }}>{actions}</div>}
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="搜索姓名"
          placeholder="姓名或拼音首字母，如 zs"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(value) => update({ q: value.trim(), page: undefined })}
          style={{ width: fit(240) }}
          data-testid="elder-search"
        />
        <RegionPicker
          value={region}
          onChange={(code) => update({ region: code, page: undefined })}
          placeholder="区域"
          style={{ width: fit(280) }}
        />
        <Select<Category>
          aria-label="类别"
          placeholder="类别"
          allowClear
          value={category}
          onChange={(value) => update({ category: value, page: undefined })}
          options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          style={{ width: fit(170) }}
        />
        <Select<Tier>
          aria-label="分级"
          placeholder="分级"
          allowClear
          value={tier}
          onChange={(value) => update({ tier: value, page: undefined })}
          options={TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }))}
          style={{ width: fit(110) }}
        />
        <Select<string>
          aria-label="状态"
          value={status ?? ALL_STATUSES}
          onChange={(value) =>
            update({ status: value === 'active' ? undefined : value, page: undefined })
          }
          options={[
            ...STATUSES.map((s) => ({ value: s, label: ELDER_STATUS_LABELS[s] })),
            { value: ALL_STATUSES, label: '全部状态' },
          ]}
          style={{ width: fit(120) }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => setReloadKey((k) => k + 1)}
          aria-label="刷新"
        >
          刷新
        </Button>
      </Flex>

      {loadError && <Alert type="error" showIcon title={loadError} style={{ marginBottom: 16 }} />}

      <Table<ElderSummaryDto>
        data-testid="elder-list-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1090 }}
        locale={{ emptyText: loading ? ' ' : '没有符合条件的老年人' }}
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
      {exportOpen && (
        <ExportModal open region={region} status={status} onClose={() => setExportOpen(false)} />
      )}
    </Card>
  );
}
