import { ReloadOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITY_LABELS,
  FINDING_STATUS_LABELS,
  FINDING_TYPE_LABELS,
  regionLevelOf,
  type FindingListItemDto,
  type FindingSeverity,
  type FindingStatus,
  type FindingType,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Result,
  Select,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { FindingStatusTag, SeverityTag } from './FindingTags';
import { SEVERITY_RANK, chinaDate, elderVisitPath } from './visitText';
import { visitsApi } from './visitsApi';
import './visits.css';

/** The server's largest page; a region's list is read in pages up to `MAX_PAGES`. */
const PAGE_SIZE = 200;
const MAX_PAGES = 5;

/** Every finding of a region (up to PAGE_SIZE × MAX_PAGES, newest first) and the total. */
async function loadAll(region: string | undefined, status: FindingStatus | undefined) {
  const first = await visitsApi.findings({ region, status, page: 1, pageSize: PAGE_SIZE });
  const items = [...first.items];
  const pages = Math.min(MAX_PAGES, Math.ceil(first.total / PAGE_SIZE));
  for (let page = 2; page <= pages; page++) {
    const next = await visitsApi.findings({ region, status, page, pageSize: PAGE_SIZE });
    items.push(...next.items);
  }
  return { items, total: first.total };
}

/** 紧急 first, then newest (the server's order is kept within a severity band). */
function emergencyFirst(items: FindingListItemDto[]): FindingListItemDto[] {
  return items
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        Number(b.f.severity === 'emergency') - Number(a.f.severity === 'emergency') || a.i - b.i,
    )
    .map(({ f }) => f);
}

const options = <T extends string>(labels: Record<T, string>) =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

const isKey = <T extends string>(labels: Record<T, string>, v: string | undefined): v is T =>
  v !== undefined && v in labels;

const columns: TableColumnsType<FindingListItemDto> = [
  {
    title: '严重程度',
    dataIndex: 'severity',
    width: 92,
    render: (_: unknown, f) => <SeverityTag severity={f.severity} />,
  },
  {
    title: '问题',
    dataIndex: 'title',
    width: 200,
    render: (_: unknown, f) => (
      <Flex vertical>
        <Typography.Text strong type={f.severity === 'emergency' ? 'danger' : undefined}>
          {f.title}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {FINDING_TYPE_LABELS[f.type]}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: '老年人',
    dataIndex: 'elder',
    width: 100,
    render: (_: unknown, f) => (
      <Link to={`/elders/${f.elder.id}?tab=findings`}>{f.elder.name}</Link>
    ),
  },
  { title: '村(居)', dataIndex: 'village', width: 150, render: (_: unknown, f) => f.village.name },
  { title: '来源', dataIndex: 'source' },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (_: unknown, f) => <FindingStatusTag status={f.status} />,
  },
  {
    title: '探访日期',
    dataIndex: 'visitedAt',
    width: 116,
    render: (_: unknown, f) => (
      <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt)}>{chinaDate(f.visitedAt)}</Link>
    ),
  },
];

/** One finding as a card (phones). */
function FindingCard({ finding: f }: { finding: FindingListItemDto }) {
  return (
    <Card
      size="small"
      className={f.severity === 'emergency' ? 'finding-card-emergency' : undefined}
      data-testid="finding-item"
    >
      <Flex vertical gap={4}>
        <Space size={6} wrap>
          <SeverityTag severity={f.severity} />
          <Typography.Text strong type={f.severity === 'emergency' ? 'danger' : undefined}>
            {f.title}
          </Typography.Text>
          <FindingStatusTag status={f.status} />
        </Space>
        <Typography.Text>
          <Link to={`/elders/${f.elder.id}?tab=findings`}>{f.elder.name}</Link>
          <Typography.Text type="secondary"> · {f.village.name}</Typography.Text>
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {FINDING_TYPE_LABELS[f.type]} · {f.source}
        </Typography.Text>
        <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt)}>
          {chinaDate(f.visitedAt)} 的探访 ›
        </Link>
      </Flex>
    </Card>
  );
}

/**
 * `/findings` (发现问题): what visits found in a region — the user's own jurisdiction, or a region
 * picked below it — 紧急情况 first and in red, filterable by status, severity and type.
 */
export default function FindingsPage() {
  const me = useCurrentUser();
  const { get, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const [reloadKey, setReloadKey] = useState(0);
  const region = get('region');
  const statusQ = get('status');
  const severityQ = get('severity');
  const typeQ = get('type');
  const status = isKey(FINDING_STATUS_LABELS, statusQ) ? statusQ : undefined;
  const severity = isKey(FINDING_SEVERITY_LABELS, severityQ) ? severityQ : undefined;
  const type = isKey(FINDING_TYPE_LABELS, typeQ) ? typeQ : undefined;
  const canPick = regionLevelOf(me.jurisdiction.code) !== 'village';

  const loaded = useLoad(`${region ?? ''}|${status ?? ''}|${reloadKey}`, () =>
    loadAll(region, status),
  )!;

  const filters = (
    <Flex wrap gap={8} align="center">
      {canPick && (
        <RegionPicker
          value={region}
          onChange={(code) => update({ region: code })}
          placeholder={`全辖区（${me.jurisdiction.name}）`}
          style={{ width: wide ? 300 : '100%' }}
        />
      )}
      <Select<FindingStatus>
        allowClear
        placeholder="全部状态"
        value={status}
        options={options(FINDING_STATUS_LABELS)}
        onChange={(v) => update({ status: v })}
        style={{ width: wide ? 120 : 'calc(33% - 6px)' }}
        aria-label="处理状态"
        data-testid="finding-status-filter"
      />
      <Select<FindingSeverity>
        allowClear
        placeholder="全部程度"
        value={severity}
        options={(Object.keys(SEVERITY_RANK) as FindingSeverity[]).map((value) => ({
          value,
          label: FINDING_SEVERITY_LABELS[value],
        }))}
        onChange={(v) => update({ severity: v })}
        style={{ width: wide ? 120 : 'calc(33% - 6px)' }}
        aria-label="严重程度"
        data-testid="finding-severity-filter"
      />
      <Select<FindingType>
        allowClear
        placeholder="全部类型"
        value={type}
        options={options(FINDING_TYPE_LABELS)}
        onChange={(v) => update({ type: v })}
        style={{ width: wide ? 170 : 'calc(34% - 4px)' }}
        popupMatchSelectWidth={false}
        aria-label="问题类型"
        data-testid="finding-type-filter"
      />
    </Flex>
  );

  let body;
  if (loaded.state === 'loading') {
    body = (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  } else if (loaded.state === 'error') {
    body = (
      <Card>
        <Result
          status={loaded.status === 0 || loaded.status >= 500 ? 'error' : 'warning'}
          title={loaded.status === 404 ? '无法查看该区域' : '发现问题加载失败'}
          subTitle={loaded.message}
          extra={
            region && (
              <Button type="primary" onClick={() => update({ region: undefined })}>
                查看本辖区
              </Button>
            )
          }
        />
      </Card>
    );
  } else {
    const shown = emergencyFirst(
      loaded.data.items.filter(
        (f) => (!severity || f.severity === severity) && (!type || f.type === type),
      ),
    );
    const emergencies = shown.filter((f) => f.severity === 'emergency').length;
    const filtered = Boolean(severity || type || status);
    body = (
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center" data-testid="finding-counts">
          <Typography.Text>
            共 <Typography.Text strong>{shown.length}</Typography.Text> 条
          </Typography.Text>
          {emergencies > 0 && (
            <Typography.Text type="danger" strong>
              其中紧急情况 {emergencies} 条
            </Typography.Text>
          )}
        </Flex>
        {loaded.data.total > loaded.data.items.length && (
          <Alert
            type="info"
            showIcon
            title={`共 ${loaded.data.total} 条，这里列出最新的 ${loaded.data.items.length} 条。请选择更小的区域或按状态筛选。`}
          />
        )}
        {shown.length === 0 ? (
          <Card>
            <Empty
              description={
                filtered
                  ? '没有符合筛选条件的发现问题，可清除筛选后再看。'
                  : '辖区内的探访还没有发现问题。探访记录中出现较差、不安全、严重疾病或紧急情况时会列在这里。'
              }
            />
          </Card>
        ) : wide ? (
          <Card styles={{ body: { padding: 0 } }}>
            <Table<FindingListItemDto>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={shown}
              pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              rowClassName={(f) => (f.severity === 'emergency' ? 'finding-row-emergency' : '')}
              data-testid="finding-list"
            />
          </Card>
        ) : (
          <Flex vertical gap={8} data-testid="finding-list">
            {shown.map((f) => (
              <FindingCard key={f.id} finding={f} />
            ))}
          </Flex>
        )}
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16}>
      <Card
        title="发现问题"
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setReloadKey((k) => k + 1)}
            aria-label="刷新"
          >
            {wide ? '刷新' : null}
          </Button>
        }
        styles={{ body: wide ? undefined : { padding: 12 } }}
      >
        {filters}
      </Card>
      {body}
    </Flex>
  );
}
