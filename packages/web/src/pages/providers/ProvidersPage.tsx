import { PlusOutlined } from '@ant-design/icons';
import {
  PROVIDER_KIND_LABELS,
  PROVIDER_STATUS_LABELS,
  isWithinJurisdiction,
  regionLevelOf,
  type Page,
  type ProviderDto,
  type ProviderKind,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { RegionPicker } from '../../components/RegionPicker';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { canManageProviders } from './permissions';
import { ProviderFormModal } from './ProviderFormModal';
import { providersApi } from './providersApi';

const PAGE_SIZE = 20;
const KINDS = Object.keys(PROVIDER_KIND_LABELS) as ProviderKind[];
const isKind = (v: string | undefined): v is ProviderKind =>
  v !== undefined && (KINDS as string[]).includes(v);

/** The provider's kinds as tags. */
function KindTags({ kinds }: { kinds: ProviderKind[] }) {
  return (
    <Space size={[4, 4]} wrap>
      {kinds.map((k) => (
        <Tag key={k} color="geekblue" style={{ marginInlineEnd: 0 }}>
          {PROVIDER_KIND_LABELS[k]}
        </Tag>
      ))}
    </Space>
  );
}

/**
 * `/providers` (服务机构): the providers serving the jurisdiction (its own and those registered
 * above it) by kind and region; township, county and city staff register them and change — or
 * 停用 — those of their jurisdiction.
 */
export default function ProvidersPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, getInt, update } = useQueryState();
  const kindParam = get('kind');
  const kind = isKind(kindParam) ? kindParam : undefined;
  const region = get('region');
  const page = getInt('page', 1);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<{ provider?: ProviderDto } | null>(null);
  const manager = canManageProviders(me.role);
  const loaded = useLoad<Page<ProviderDto>>(`${kind}|${region}|${page}|${version}`, () =>
    providersApi.list({ kind, region, page, pageSize: PAGE_SIZE }),
  )!;
  const reload = () => setVersion((v) => v + 1);
  const own = (p: ProviderDto) =>
    manager && isWithinJurisdiction(p.region.code, me.jurisdiction.code);

  const toggle = async (p: ProviderDto) => {
    try {
      const next = p.status === 'active' ? 'inactive' : 'active';
      await providersApi.update(p.id, { status: next });
      message.success(`“${p.name}”已${PROVIDER_STATUS_LABELS[next]}`);
      reload();
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  const columns: TableColumnsType<ProviderDto> = [
    {
      title: '机构名称',
      dataIndex: 'name',
      width: 220,
      render: (_: unknown, p) => (
        <Space size={6} wrap>
          <Typography.Text strong>{p.name}</Typography.Text>
          {p.status === 'inactive' && <Tag>停用</Tag>}
        </Space>
      ),
    },
    {
      title: '服务类别',
      dataIndex: 'kinds',
      render: (_: unknown, p) => <KindTags kinds={p.kinds} />,
    },
    {
      title: '服务区域',
      dataIndex: 'region',
      width: 150,
      render: (_: unknown, p) => p.region.name,
    },
    {
      title: '联系人 / 电话',
      dataIndex: 'contact',
      width: 190,
      render: (_: unknown, p) => [p.contactName, p.phone].filter(Boolean).join(' ') || '—',
    },
    { title: '账号', dataIndex: 'accountCount', width: 64 },
    {
      title: '操作',
      key: 'actions',
      width: 130,
      render: (_: unknown, p) =>
        own(p) ? (
          <Space size={4}>
            <Button size="small" type="link" onClick={() => setEditing({ provider: p })}>
              编辑
            </Button>
            <Button
              size="small"
              type="link"
              danger={p.status === 'active'}
              onClick={() => void toggle(p)}
            >
              {p.status === 'active' ? '停用' : '启用'}
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">上级登记</Typography.Text>
        ),
    },
  ];

  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="服务机构加载失败" description={loaded.message} />;
  else if (loaded.data.items.length === 0)
    body = <Empty description="暂无服务机构。登记后，工作人员可将老年人的服务需求转介给它。" />;
  else if (wide)
    body = (
      <div data-testid="providers-table">
        <Table<ProviderDto>
          rowKey="id"
          columns={columns}
          dataSource={loaded.data.items}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: loaded.data.total,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 家`,
            onChange: (p) => update({ page: p }),
          }}
        />
      </div>
    );
  else
    body = (
      <Flex vertical gap={10} data-testid="providers-table">
        {loaded.data.items.map((p) => (
          <Card
            key={p.id}
            size="small"
            title={p.name}
            extra={p.status === 'inactive' ? <Tag>停用</Tag> : null}
          >
            <KindTags kinds={p.kinds} />
            <div style={{ marginTop: 6 }}>
              {p.region.name} · {[p.contactName, p.phone].filter(Boolean).join(' ') || '—'}
            </div>
          </Card>
        ))}
      </Flex>
    );

  return (
    <Card
      title="服务机构"
      extra={
        manager && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({})}
            data-testid="provider-create"
          >
            登记服务机构
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 180 }}
          allowClear
          placeholder="全部服务类别"
          value={kind}
          onChange={(v?: string) => update({ kind: v, page: undefined })}
          options={KINDS.map((k) => ({ value: k, label: PROVIDER_KIND_LABELS[k] }))}
        />
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
      </Space>
      {body}
      {editing && (
        <ProviderFormModal
          provider={editing.provider}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </Card>
  );
}
