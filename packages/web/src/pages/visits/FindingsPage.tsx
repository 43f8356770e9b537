import { ReloadOutlined } from '@ant-design/icons';
import {
  FINDING_SEVERITY_LABELS,
  FINDING_STATUS_LABELS,
  FINDING_TYPE_LABELS,
  regionLevelOf,
  type FindingListItemDto,
  type FindingListPage,
  type FindingSeverity,
  type FindingStatus,
  type FindingType,
} from '@tanfang/domain';
import {
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Pagination,
  Result,
  Select,
  Skeleton,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { FindingDrawer } from '../findings/FindingDetail';
import { DeadlineTag } from '../findings/findingText';
import '../findings/findings.css';
import { FindingStatusTag, SeverityTag } from './FindingTags';
import { SEVERITY_RANK, chinaDate, elderVisitPath } from './visitText';
import { findingsApi } from './findingsApi';
import './visits.css';

/** Findings per page: a screenful of table rows on a desktop, of cards on a phone. */
const PAGE_SIZE = { wide: 50, narrow: 20 } as const;

const options = <T extends string>(labels: Record<T, string>) =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

const isKey = <T extends string>(labels: Record<T, string>, v: string | undefined): v is T =>
  v !== undefined && v in labels;

/** The status tabs: every status (已转介 included) and 已逾期 (past the deadline, not done). */
const TABS = [
  { key: 'all', label: '全部' },
  ...(Object.keys(FINDING_STATUS_LABELS) as FindingStatus[]).map((key) => ({
    key,
    label: FINDING_STATUS_LABELS[key],
  })),
  { key: 'overdue', label: '已逾期' },
];

/** A row's highlight: 紧急 red, past its deadline orange. */
function rowClass(f: FindingListItemDto): string {
  if (f.severity === 'emergency') return 'finding-row-emergency';
  return f.deadline?.state === 'overdue' ? 'finding-row-overdue' : '';
}

const columnsFor = (open: (id: string) => void): TableColumnsType<FindingListItemDto> => [
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
        <Typography.Link
          strong
          type={f.severity === 'emergency' ? 'danger' : undefined}
          onClick={() => open(f.id)}
          data-testid="finding-open"
        >
          {f.title}
        </Typography.Link>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {FINDING_TYPE_LABELS[f.type]}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: '老年人',
    dataIndex: 'elder',
    width: 150,
    render: (_: unknown, f) => (
      <Flex vertical>
        <Link to={`/elders/${f.elder.id}?tab=findings`}>{f.elder.name}</Link>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {f.village.name}
        </Typography.Text>
      </Flex>
    ),
  },
  {
    title: '来源',
    dataIndex: 'source',
    ellipsis: { showTitle: true },
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (_: unknown, f) => <FindingStatusTag status={f.status} />,
  },
  {
    title: '期限',
    dataIndex: 'deadline',
    width: 190,
    render: (_: unknown, f) =>
      f.deadline && f.deadline.state !== 'met' ? (
        <DeadlineTag deadline={f.deadline} compact />
      ) : (
        '—'
      ),
  },
  {
    title: '负责人',
    dataIndex: 'owner',
    width: 110,
    render: (_: unknown, f) =>
      f.owner?.name ?? <Typography.Text type="secondary">未指定</Typography.Text>,
  },
  {
    title: '发现日期',
    dataIndex: 'visitedAt',
    width: 116,
    render: (_: unknown, f) =>
      f.visitId ? (
        <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt ?? f.createdAt)}>
          {chinaDate(f.visitedAt ?? f.createdAt)}
        </Link>
      ) : (
        chinaDate(f.createdAt)
      ),
  },
];

/** One finding as a card (phones); its title opens the detail. */
function FindingCard({ finding: f, open }: { finding: FindingListItemDto; open: () => void }) {
  return (
    <Card
      size="small"
      className={
        f.severity === 'emergency'
          ? 'finding-card-emergency'
          : f.deadline?.state === 'overdue'
            ? 'finding-card-overdue'
            : undefined
      }
      data-testid="finding-item"
    >
      <Flex vertical gap={4}>
        <Space size={6} wrap>
          <SeverityTag severity={f.severity} />
          <Typography.Link
            strong
            type={f.severity === 'emergency' ? 'danger' : undefined}
            onClick={open}
            data-testid="finding-open"
          >
            {f.title}
          </Typography.Link>
          <FindingStatusTag status={f.status} />
        </Space>
        {f.deadline && f.deadline.state !== 'met' && (
          <div>
            <DeadlineTag deadline={f.deadline} compact />
          </div>
        )}
        <Typography.Text>
          <Link to={`/elders/${f.elder.id}?tab=findings`}>{f.elder.name}</Link>
          <Typography.Text type="secondary"> · {f.village.name}</Typography.Text>
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {FINDING_TYPE_LABELS[f.type]} · {f.source}
        </Typography.Text>
        {f.visitId ? (
          <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt ?? f.createdAt)}>
            {chinaDate(f.visitedAt ?? f.createdAt)} 的探访 ›
          </Link>
        ) : (
          <Typography.Text type="secondary">
            {chinaDate(f.createdAt)} 工作人员直接上报
          </Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

/**
 * `/findings` (发现问题): what visits found in a region — the user's own jurisdiction, or a region
 * picked below it — 紧急情况 first and in red, filtered by status, severity and type and paged on
 * the server, so every finding of a large region can be reached.
 */
export default function FindingsPage() {
  const me = useCurrentUser();
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const [reloadKey, setReloadKey] = useState(0);
  const region = get('region');
  const statusQ = get('status');
  const severityQ = get('severity');
  const typeQ = get('type');
  const status = isKey(FINDING_STATUS_LABELS, statusQ) ? statusQ : undefined;
  const overdue = get('overdue') === 'true';
  const openId = get('finding');
  const openFinding = (id: string) => update({ finding: id });
  const columns = columnsFor(openFinding);
  const severity = isKey(FINDING_SEVERITY_LABELS, severityQ) ? severityQ : undefined;
  const type = isKey(FINDING_TYPE_LABELS, typeQ) ? typeQ : undefined;
  const page = getInt('page', 1);
  const pageSize = wide ? PAGE_SIZE.wide : PAGE_SIZE.narrow;
  const canPick = regionLevelOf(me.jurisdiction.code) !== 'village';
  /** A new filter starts again at its first page. */
  const filter = (patch: Record<string, string | undefined>) =>
    update({ ...patch, page: undefined });

  const query = { region, status, severity, type, overdue: overdue || undefined, page, pageSize };
  const loaded = useLoad(`${JSON.stringify(query)}|${reloadKey}`, () => findingsApi.list(query))!;
  // The last page shown stays (dimmed) while the next one loads.
  const [last, setLast] = useState<FindingListPage | null>(null);
  useEffect(() => {
    if (loaded.state === 'ok') setLast(loaded.data);
  }, [loaded]);
  const data = loaded.state === 'ok' ? loaded.data : loaded.state === 'loading' ? last : null;

  const filters = (
    <Flex wrap gap={8} align="center">
      {canPick && (
        <RegionPicker
          value={region}
          onChange={(code) => filter({ region: code })}
          placeholder={`全辖区（${me.jurisdiction.name}）`}
          style={{ width: wide ? 300 : '100%' }}
        />
      )}
      <Select<FindingSeverity>
        allowClear
        placeholder="全部程度"
        value={severity}
        options={(Object.keys(SEVERITY_RANK) as FindingSeverity[]).map((value) => ({
          value,
          label: FINDING_SEVERITY_LABELS[value],
        }))}
        onChange={(v) => filter({ severity: v })}
        style={{ width: wide ? 120 : 'calc(50% - 4px)' }}
        aria-label="严重程度"
        data-testid="finding-severity-filter"
      />
      <Select<FindingType>
        allowClear
        placeholder="全部类型"
        value={type}
        options={options(FINDING_TYPE_LABELS)}
        onChange={(v) => filter({ type: v })}
        style={{ width: wide ? 170 : 'calc(50% - 4px)' }}
        popupMatchSelectWidth={false}
        aria-label="问题类型"
        data-testid="finding-type-filter"
      />
    </Flex>
  );

  let body;
  if (loaded.state === 'error') {
    body = (
      <Card>
        <Result
          status={loaded.status === 0 || loaded.status >= 500 ? 'error' : 'warning'}
          title={loaded.status === 404 ? '无法查看该区域' : '发现问题加载失败'}
          subTitle={loaded.message}
          extra={
            region && (
              <Button type="primary" onClick={() => filter({ region: undefined })}>
                查看本辖区
              </Button>
            )
          }
        />
      </Card>
    );
  } else if (!data) {
    body = (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  } else {
    const filtered = Boolean(severity || type || status || overdue);
    const turning = loaded.state === 'loading';
    const toPage = (p: number) => update({ page: p === 1 ? undefined : p });
    body = (
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center" data-testid="finding-counts">
          <Typography.Text>
            共 <Typography.Text strong>{data.total}</Typography.Text> 条
          </Typography.Text>
          {data.emergencies > 0 && (
            <Typography.Text type="danger" strong>
              其中紧急情况 {data.emergencies} 条
            </Typography.Text>
          )}
        </Flex>
        {data.total === 0 ? (
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
              loading={turning}
              columns={columns}
              dataSource={data.items}
              pagination={
                data.total > data.pageSize
                  ? {
                      current: data.page,
                      pageSize: data.pageSize,
                      total: data.total,
                      showSizeChanger: false,
                      onChange: toPage,
                    }
                  : false
              }
              rowClassName={rowClass}
              data-testid="finding-list"
            />
          </Card>
        ) : (
          <Spin spinning={turning}>
            <Flex vertical gap={8} data-testid="finding-list">
              {data.items.map((f) => (
                <FindingCard key={f.id} finding={f} open={() => openFinding(f.id)} />
              ))}
              {data.total > data.pageSize && (
                <Pagination
                  simple
                  align="center"
                  current={data.page}
                  pageSize={data.pageSize}
                  total={data.total}
                  onChange={toPage}
                />
              )}
            </Flex>
          </Spin>
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
        <Tabs
          activeKey={overdue ? 'overdue' : (status ?? 'all')}
          items={TABS}
          onChange={(key) =>
            filter({
              status: key === 'all' || key === 'overdue' ? undefined : key,
              overdue: key === 'overdue' ? 'true' : undefined,
            })
          }
          style={{ marginTop: 8, marginBottom: -12 }}
          data-testid="finding-status-tabs"
        />
      </Card>
      {body}
      <FindingDrawer
        id={openId}
        onClose={() => update({ finding: undefined })}
        onChanged={() => setReloadKey((k) => k + 1)}
      />
    </Flex>
  );
}
