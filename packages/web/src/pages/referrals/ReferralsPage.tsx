import { ReloadOutlined } from '@ant-design/icons';
import {
  PROVIDER_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  regionLevelOf,
  type ReferralDto,
  type ReferralListPage,
  type ReferralStatus,
} from '@tanfang/domain';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Pagination,
  Skeleton,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { chinaTime } from '../../lib/format';
import { useQueryState } from '../../lib/useQueryState';
import { ProviderSelect } from '../providers/ProviderSelect';
import { useLoad } from '../worklist/useLoad';
import { ReferralActions, ReferralDrawer } from './ReferralDetail';
import { PROVIDER_STATUS_WORDS, ReferralStatusTag } from './referralText';
import { referralsApi } from './referralsApi';

const STATUSES = Object.keys(REFERRAL_STATUS_LABELS) as ReferralStatus[];
const isStatus = (v: string | undefined): v is ReferralStatus =>
  v !== undefined && (STATUSES as string[]).includes(v);
const PAGE_SIZE = 20;

/** One referral as a card: what a provider works from on a phone (and staff on a narrow screen). */
function ReferralCard({
  referral,
  forProvider,
  onOpen,
  onChanged,
}: {
  referral: ReferralDto;
  forProvider: boolean;
  onOpen: () => void;
  onChanged: () => void;
}) {
  return (
    <Card size="small" data-testid="referral-card" styles={{ body: { padding: 14 } }}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {referral.elder.name}
          </Typography.Text>
          <ReferralStatusTag status={referral.status} forProvider={forProvider} />
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {referral.elder.village.fullName}
          {referral.elder.phoneMasked ? ` · ${referral.elder.phoneMasked}` : ''}
        </Typography.Text>
        <div>
          <Typography.Text strong>{PROVIDER_KIND_LABELS[referral.kind]}：</Typography.Text>
          {referral.need}
        </div>
        {referral.outcome && (
          <Typography.Text type="secondary">服务结果：{referral.outcome}</Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {chinaTime(referral.createdAt)} 由{referral.referredBy?.name ?? '—'}转介
          {referral.referredBy?.phone ? `（${referral.referredBy.phone}）` : ''} ·{' '}
          {referral.provider.name}
        </Typography.Text>
        <Flex wrap gap={8} justify="space-between" align="center" style={{ marginTop: 4 }}>
          <ReferralActions referral={referral} onChanged={onChanged} />
          <Button type="link" onClick={onOpen} style={{ paddingInline: 0 }}>
            详情与经过
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

/**
 * `/referrals` (需求转介): staff see their jurisdiction's referrals by status, provider and region,
 * and open one in a drawer with its history; a provider account sees 转介给本机构 as cards it can
 * work through on a phone — 接收, 拒绝, 报告进展, 完成服务, 记录关爱服务.
 */
export default function ReferralsPage() {
  const me = useCurrentUser();
  const provider = me.role === 'provider';
  // A village's staff have no smaller region to pick.
  const regional = regionLevelOf(me.jurisdiction.code) !== 'village';
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, getInt, update } = useQueryState();
  const statusParam = get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const region = get('region');
  const providerId = get('provider');
  const page = getInt('page', 1);
  const open = get('referral');
  const [version, setVersion] = useState(0);
  const key = [status, region, providerId, page, version].join('|');
  const loaded = useLoad<ReferralListPage>(key, () =>
    referralsApi.list({
      status,
      region: provider ? undefined : region,
      providerId: provider ? undefined : providerId,
      page,
      pageSize: PAGE_SIZE,
    }),
  )!;
  const reload = () => setVersion((v) => v + 1);
  const counts = loaded.state === 'ok' ? loaded.data.counts : undefined;
  const all = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
  const tabLabel = (s: ReferralStatus) =>
    `${provider ? PROVIDER_STATUS_WORDS[s] : REFERRAL_STATUS_LABELS[s]}${counts ? ` ${counts[s]}` : ''}`;

  const columns: TableColumnsType<ReferralDto> = [
    {
      title: '转介时间',
      dataIndex: 'createdAt',
      width: 140,
      render: (_: unknown, r) => chinaTime(r.createdAt),
    },
    {
      title: '老年人',
      dataIndex: 'elder',
      width: 100,
      render: (_: unknown, r) => (
        <Link to={`/elders/${r.elder.id}?tab=followup`}>{r.elder.name}</Link>
      ),
    },
    {
      title: '所在村（社区）',
      dataIndex: 'village',
      width: 120,
      render: (_: unknown, r) => r.elder.village.name,
    },
    {
      title: '服务类别',
      dataIndex: 'kind',
      width: 110,
      render: (_: unknown, r) => PROVIDER_KIND_LABELS[r.kind],
    },
    { title: '服务需求', dataIndex: 'need', ellipsis: true },
    {
      title: '服务机构',
      dataIndex: 'provider',
      width: 190,
      render: (_: unknown, r) => r.provider.name,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (_: unknown, r) => <ReferralStatusTag status={r.status} />,
    },
  ];

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="转介加载失败" description={loaded.message} />;
  else if (loaded.data.items.length === 0)
    body = (
      <Empty
        description={
          provider
            ? '暂无转介给本机构的服务需求'
            : '暂无转介。可在老年人页面或发现问题中将服务需求转介给服务机构。'
        }
      />
    );
  else if (wide && !provider)
    body = (
      <Table<ReferralDto>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={loaded.data.items}
        onRow={(r) => ({
          onClick: () => update({ referral: r.id }),
          style: { cursor: 'pointer' },
          'data-testid': 'referral-row',
        })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: loaded.data.total,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p) => update({ page: p }),
        }}
        scroll={{ x: 900 }}
      />
    );
  else
    body = (
      <Flex vertical gap={12}>
        {loaded.data.items.map((r) => (
          <ReferralCard
            key={r.id}
            referral={r}
            forProvider={provider}
            onOpen={() => update({ referral: r.id })}
            onChanged={reload}
          />
        ))}
        {loaded.data.total > PAGE_SIZE && (
          <Pagination
            current={page}
            pageSize={PAGE_SIZE}
            total={loaded.data.total}
            onChange={(p) => update({ page: p })}
            simple
          />
        )}
      </Flex>
    );

  return (
    <Card
      title={
        provider
          ? `转介给本机构${wide && me.provider ? `（${me.provider.name}）` : ''}`
          : '需求转介'
      }
      extra={
        <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新">
          {wide ? '刷新' : null}
        </Button>
      }
      styles={{ body: { paddingTop: 4 } }}
    >
      <Tabs
        activeKey={status ?? 'all'}
        onChange={(k) => update({ status: k === 'all' ? undefined : k, page: undefined })}
        items={[
          { key: 'all', label: `全部${all !== undefined ? ` ${all}` : ''}` },
          ...STATUSES.map((s) => ({ key: s, label: tabLabel(s) })),
        ]}
        data-testid="referral-tabs"
      />
      {!provider && (
        <Space wrap style={{ marginBottom: 12 }}>
          {regional && (
            <div style={{ width: wide ? 260 : '100%' }}>
              <RegionPicker
                style={{ width: '100%' }}
                value={region}
                onChange={(code) => update({ region: code, page: undefined })}
                placeholder="全部区域"
              />
            </div>
          )}
          <div style={{ width: wide ? 260 : '100%' }}>
            <ProviderSelect
              value={providerId}
              onChange={(id) => update({ provider: id, page: undefined })}
              placeholder="全部服务机构"
            />
          </div>
        </Space>
      )}
      {body}
      <ReferralDrawer
        referralId={open}
        onClose={() => update({ referral: undefined })}
        onChanged={reload}
      />
    </Card>
  );
}
