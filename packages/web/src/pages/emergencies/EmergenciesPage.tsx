import { AlertOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  EMERGENCY_FILTER_LABELS,
  canActOnFindings,
  durationText,
  regionLevelOf,
  type EmergencyFilter,
  type EmergencyListItemDto,
  type EmergencyListPage,
} from '@tanfang/domain';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Pagination,
  Result,
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
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { FindingDrawer } from '../findings/FindingDetail';
import { EmergencyStateTag, checklistSummary, deadlineLeft } from '../findings/findingText';
import '../findings/findings.css';
import '../visits/visits.css';
import { useLoad } from '../worklist/useLoad';
import { emergenciesApi } from './emergenciesApi';
import { RaiseEmergencyModal } from './RaiseEmergencyModal';
import { ResponseStatsCard } from './ResponseStatsCard';

const FILTERS: (EmergencyFilter | 'all')[] = ['active', 'open', 'acknowledged', 'closed', 'all'];
const isFilter = (v: string | undefined): v is EmergencyFilter =>
  v !== undefined && v in EMERGENCY_FILTER_LABELS;

/** The response: 用时 N 分钟 once acknowledged, else the time left (or past) to respond. */
function ResponseText({ e }: { e: EmergencyListItemDto }) {
  if (e.responseSeconds !== null)
    return (
      <Typography.Text>
        用时 <Typography.Text strong>{durationText(e.responseSeconds)}</Typography.Text>
        <Typography.Text type="secondary">（{e.acknowledgedBy?.name}）</Typography.Text>
      </Typography.Text>
    );
  if (!e.deadlineAt) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Typography.Text type={e.overdue ? 'danger' : 'warning'} strong>
      {e.overdue
        ? `未响应，${deadlineLeft(e.deadlineAt)}`
        : `待响应，${deadlineLeft(e.deadlineAt)}`}
    </Typography.Text>
  );
}

/** 响应 on a row, for staff who act. */
function AcknowledgeButton({
  e,
  onDone,
  block,
}: {
  e: EmergencyListItemDto;
  onDone: () => void;
  block?: boolean;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="primary"
      danger
      block={block}
      loading={busy}
      onClick={(ev) => {
        ev.stopPropagation();
        setBusy(true);
        emergenciesApi.acknowledge(e.id).then(
          () => {
            message.success(`已响应：${e.elder.name}（${e.title}）`);
            onDone();
          },
          (err: unknown) => {
            message.error(errorMessage(err));
            setBusy(false);
          },
        );
      }}
      data-testid="emergency-row-acknowledge"
    >
      响应
    </Button>
  );
}

/**
 * `/emergencies` (紧急情况): the emergencies of a village, township or county — waiting for a
 * response first, with their state (待响应 / 已升级至乡镇/县 / 已响应 / 已办结), response time and
 * checklist — 上报紧急情况, 响应 on each, the detail with its timeline, and response-time statistics.
 */
export default function EmergenciesPage() {
  const me = useCurrentUser();
  const { get, getInt, update } = useQueryState();
  const wide = Grid.useBreakpoint().md ?? true;
  const [reloadKey, setReloadKey] = useState(0);
  const [raising, setRaising] = useState(false);
  const region = get('region');
  const stateQ = get('state');
  const state: EmergencyFilter | 'all' =
    stateQ === 'all' ? 'all' : isFilter(stateQ) ? stateQ : 'active';
  const page = getInt('page', 1);
  const pageSize = wide ? 50 : 20;
  const canAct = canActOnFindings(me.role);
  const canPick = regionLevelOf(me.jurisdiction.code) !== 'village';
  const reload = () => setReloadKey((k) => k + 1);

  const query = { region, state: state === 'all' ? undefined : state, page, pageSize };
  const loaded = useLoad(`${JSON.stringify(query)}|${reloadKey}`, () =>
    emergenciesApi.list(query),
  )!;
  const [last, setLast] = useState<EmergencyListPage | null>(null);
  useEffect(() => {
    if (loaded.state === 'ok') setLast(loaded.data);
  }, [loaded]);
  const data = loaded.state === 'ok' ? loaded.data : loaded.state === 'loading' ? last : null;
  const open = (id: string) => update({ finding: id });

  const columns: TableColumnsType<EmergencyListItemDto> = [
    {
      title: '状态',
      dataIndex: 'state',
      width: 120,
      render: (_: unknown, e) => <EmergencyStateTag state={e.state} />,
    },
    {
      title: '紧急情况',
      dataIndex: 'title',
      render: (_: unknown, e) => (
        <Flex vertical>
          <Typography.Link
            strong
            type="danger"
            onClick={() => open(e.id)}
            data-testid="emergency-open"
          >
            {e.title}
          </Typography.Link>
          {e.description && (
            <Typography.Text
              type="secondary"
              ellipsis={{ tooltip: e.description }}
              style={{ fontSize: 12, maxWidth: 320 }}
            >
              {e.description}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: '老年人',
      dataIndex: 'elder',
      width: 140,
      render: (_: unknown, e) => (
        <Flex vertical>
          <Link to={`/elders/${e.elder.id}?tab=findings`}>{e.elder.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.village.name}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '上报',
      dataIndex: 'createdAt',
      width: 170,
      render: (_: unknown, e) => (
        <Flex vertical>
          <span>{chinaTime(e.createdAt)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.visitId ? '探访中发现' : (e.createdBy?.name ?? e.source)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '响应',
      dataIndex: 'responseSeconds',
      width: 190,
      render: (_: unknown, e) => <ResponseText e={e} />,
    },
    {
      title: '处置清单',
      dataIndex: 'checklist',
      width: 220,
      render: (_: unknown, e) =>
        checklistSummary(e.checklist) || <Typography.Text type="secondary">未填写</Typography.Text>,
    },
    {
      title: '操作',
      key: 'actions',
      width: 96,
      render: (_: unknown, e) =>
        canAct && !e.acknowledgedAt && e.state !== 'closed' ? (
          <AcknowledgeButton e={e} onDone={reload} />
        ) : (
          <Button size="small" onClick={() => open(e.id)}>
            查看
          </Button>
        ),
    },
  ];

  let body;
  if (loaded.state === 'error') {
    body = (
      <Card>
        <Result
          status={loaded.status === 0 || loaded.status >= 500 ? 'error' : 'warning'}
          title={loaded.status === 404 ? '无法查看该区域' : '紧急情况加载失败'}
          subTitle={loaded.message}
        />
      </Card>
    );
  } else if (!data) {
    body = (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  } else if (data.items.length === 0) {
    body = (
      <Card>
        <Empty
          description={
            state === 'active' || state === 'open'
              ? '辖区内没有待办的紧急情况'
              : '没有符合条件的紧急情况'
          }
        />
      </Card>
    );
  } else {
    const turning = loaded.state === 'loading';
    const toPage = (p: number) => update({ page: p === 1 ? undefined : p });
    body = wide ? (
      <Card styles={{ body: { padding: 0 } }}>
        <Table<EmergencyListItemDto>
          rowKey="id"
          size="middle"
          loading={turning}
          columns={columns}
          dataSource={data.items}
          rowClassName={(e) => (e.overdue ? 'finding-row-emergency' : '')}
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
          data-testid="emergency-list"
        />
      </Card>
    ) : (
      <Spin spinning={turning}>
        <Flex vertical gap={8} data-testid="emergency-list">
          {data.items.map((e) => (
            <Card
              key={e.id}
              size="small"
              className={e.state === 'closed' ? undefined : 'finding-card-emergency'}
              onClick={() => open(e.id)}
              data-testid="emergency-item"
            >
              <Flex vertical gap={4}>
                <Space size={6} wrap>
                  <EmergencyStateTag state={e.state} />
                  <Typography.Text strong type="danger">
                    {e.title}
                  </Typography.Text>
                </Space>
                <Typography.Text>
                  {e.elder.name}
                  <Typography.Text type="secondary">
                    {' '}
                    · {e.village.name} · {chinaTime(e.createdAt)}
                  </Typography.Text>
                </Typography.Text>
                <ResponseText e={e} />
                {checklistSummary(e.checklist) && (
                  <Typography.Text type="secondary">
                    {checklistSummary(e.checklist)}
                  </Typography.Text>
                )}
                {canAct && !e.acknowledgedAt && e.state !== 'closed' && (
                  <AcknowledgeButton e={e} onDone={reload} block />
                )}
              </Flex>
            </Card>
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
    );
  }

  const counts = data?.counts;
  return (
    <Flex vertical gap={16}>
      <Card
        title={
          <Space>
            <AlertOutlined style={{ color: '#cf1322' }} />
            紧急情况
          </Space>
        }
        extra={
          <Space>
            {canAct && (
              <Button
                type="primary"
                danger
                onClick={() => setRaising(true)}
                data-testid="emergency-raise-open"
              >
                上报紧急情况
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
              {wide ? '刷新' : null}
            </Button>
          </Space>
        }
        styles={{ body: wide ? undefined : { padding: 12 } }}
      >
        {canPick && (
          <RegionPicker
            value={region}
            onChange={(code) => update({ region: code, page: undefined })}
            placeholder={`全辖区（${me.jurisdiction.name}）`}
            style={{ width: wide ? 300 : '100%' }}
          />
        )}
        <Tabs
          activeKey={state}
          onChange={(key) => update({ state: key === 'active' ? undefined : key, page: undefined })}
          items={FILTERS.map((key) => ({
            key,
            label:
              key === 'all'
                ? '全部'
                : `${EMERGENCY_FILTER_LABELS[key]}${counts ? `（${counts[key]}）` : ''}`,
          }))}
          style={{ marginTop: canPick ? 8 : 0, marginBottom: -12 }}
          data-testid="emergency-tabs"
        />
      </Card>
      {body}
      <ResponseStatsCard region={region} version={reloadKey} />
      {raising && (
        <RaiseEmergencyModal
          onClose={() => setRaising(false)}
          onRaised={(f) => {
            setRaising(false);
            reload();
            update({ finding: f.id, state: undefined, page: undefined });
          }}
        />
      )}
      <FindingDrawer
        id={get('finding')}
        onClose={() => update({ finding: undefined })}
        onChanged={reload}
      />
    </Flex>
  );
}
