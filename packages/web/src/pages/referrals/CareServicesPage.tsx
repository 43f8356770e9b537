import {
  SATISFACTION_LABELS,
  regionLevelOf,
  type CareServiceDto,
  type Page,
  type Satisfaction,
} from '@tanfang/domain';
import {
  Alert,
  Card,
  Empty,
  Flex,
  Grid,
  Segmented,
  Skeleton,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { SatisfactionTag } from './referralText';
import { referralsApi } from './referralsApi';

const PAGE_SIZE = 20;
const SATISFACTIONS = Object.keys(SATISFACTION_LABELS) as Satisfaction[];
const isSatisfaction = (v: string | undefined): v is Satisfaction =>
  v !== undefined && (SATISFACTIONS as string[]).includes(v);

const columns: TableColumnsType<CareServiceDto> = [
  { title: '服务时间', dataIndex: 'servedOn', width: 110 },
  {
    title: '老年人',
    dataIndex: 'elder',
    width: 100,
    render: (_: unknown, s) => (
      <Link to={`/elders/${s.elder.id}?tab=followup`}>{s.elder.name}</Link>
    ),
  },
  {
    title: '所在村（社区）',
    dataIndex: 'village',
    width: 130,
    render: (_: unknown, s) => s.elder.village.name,
  },
  { title: '服务内容', dataIndex: 'content' },
  { title: '服务提供者', dataIndex: 'providerName', width: 190 },
  {
    title: '满意度',
    dataIndex: 'satisfaction',
    width: 96,
    render: (_: unknown, s) => <SatisfactionTag value={s.satisfaction} />,
  },
];

/** `/care-services` (关爱服务): the care services of a region, latest first, by satisfaction. */
export default function CareServicesPage() {
  const me = useCurrentUser();
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, getInt, update } = useQueryState();
  const region = get('region');
  const sat = get('satisfaction');
  const satisfaction = isSatisfaction(sat) ? sat : undefined;
  const page = getInt('page', 1);
  const loaded = useLoad<Page<CareServiceDto>>(`${region}|${satisfaction}|${page}`, () =>
    referralsApi.careServices({ region, satisfaction, page, pageSize: PAGE_SIZE }),
  )!;

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="关爱服务加载失败" description={loaded.message} />;
  else if (loaded.data.items.length === 0)
    body = <Empty description="暂无关爱服务记录。可在老年人页面“转介与关爱服务”中记录。" />;
  else
    body = wide ? (
      <div data-testid="care-services-table">
        <Table<CareServiceDto>
          rowKey="id"
          columns={columns}
          dataSource={loaded.data.items}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: loaded.data.total,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p) => update({ page: p }),
          }}
        />
      </div>
    ) : (
      <Flex vertical gap={10} data-testid="care-services-table">
        {loaded.data.items.map((s) => (
          <Card key={s.id} size="small">
            <Flex justify="space-between" gap={8}>
              <Link to={`/elders/${s.elder.id}?tab=followup`}>{s.elder.name}</Link>
              <SatisfactionTag value={s.satisfaction} />
            </Flex>
            <div>{s.content}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.servedOn} · {s.providerName} · {s.elder.village.name}
            </Typography.Text>
          </Card>
        ))}
      </Flex>
    );

  return (
    <Card title="关爱服务">
      <Space wrap style={{ marginBottom: 12 }}>
        {regionLevelOf(me.jurisdiction.code) !== 'village' && (
          <div style={{ width: wide ? 260 : '100%' }}>
            <RegionPicker
              style={{ width: '100%' }}
              value={region}
              onChange={(code) => update({ region: code, page: undefined })}
              placeholder="全部区域"
            />
          </div>
        )}
        <Segmented
          value={satisfaction ?? 'all'}
          onChange={(v) =>
            update({ satisfaction: v === 'all' ? undefined : String(v), page: undefined })
          }
          options={[
            { value: 'all', label: '全部' },
            ...SATISFACTIONS.map((s) => ({ value: s, label: SATISFACTION_LABELS[s] })),
          ]}
        />
      </Space>
      {body}
    </Card>
  );
}
