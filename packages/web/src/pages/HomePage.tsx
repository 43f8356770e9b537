import { ApartmentOutlined, CloudServerOutlined, IdcardOutlined } from '@ant-design/icons';
import {
  REGION_LEVEL_LABELS,
  ROLE_LABELS,
  regionLevelOf,
  type Region,
  type RegionWithPath,
} from '@tanfang/domain';
import {
  Alert,
  Badge,
  Breadcrumb,
  Card,
  Col,
  Descriptions,
  Empty,
  Grid,
  Row,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorMessage, type HealthDto } from '../api';
import { useCurrentUser } from '../auth/useAuth';
import { loadRegion, loadRegionChildren } from '../lib/regions';
import { formatTime } from '../lib/format';

/** The outcome of one load: pending, data, or the error's message. */
type Loaded<T> =
  { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; message: string };

/** Runs `load` once per `key` and tracks its outcome. */
function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<{ key: string; value: Loaded<T> }>({
    key,
    value: { state: 'loading' },
  });
  useEffect(() => {
    let cancelled = false;
    load().then(
      (data) => !cancelled && setResult({ key, value: { state: 'ok', data } }),
      (error: unknown) =>
        !cancelled && setResult({ key, value: { state: 'error', message: errorMessage(error) } }),
    );
    return () => {
      cancelled = true;
    };
    // `load` is keyed by `key`: a new closure on each render must not reload.
  }, [key]);
  return result.key === key ? result.value : { state: 'loading' };
}

const DATABASE_LABELS: Record<HealthDto['database'], string> = {
  pglite: '嵌入式 PGlite',
  postgres: 'PostgreSQL',
};

const regionColumns: TableColumnsType<Region> = [
  {
    title: '代码',
    dataIndex: 'code',
    width: 140,
    render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
  },
  { title: '名称', dataIndex: 'name' },
  {
    title: '级别',
    dataIndex: 'level',
    width: 100,
    render: (level: Region['level']) => REGION_LEVEL_LABELS[level],
  },
];

function JurisdictionBreadcrumb({
  region,
  fallback,
}: {
  region: Loaded<RegionWithPath>;
  fallback: string;
}) {
  if (region.state !== 'ok') return <>{fallback}</>;
  return (
    <Breadcrumb
      data-testid="jurisdiction-path"
      items={region.data.path.map((node) => ({ key: node.code, title: node.name }))}
    />
  );
}

/** `/`: the user's account, the regions under their jurisdiction, and the system status. */
export default function HomePage() {
  const user = useCurrentUser();
  const code = user.jurisdiction.code;
  const region = useLoad(`region:${code}`, () => loadRegion(code));
  const children = useLoad(`children:${code}`, () => loadRegionChildren(code));
  const health = useLoad('health', () => api.health());
  const wide = Grid.useBreakpoint().md ?? true;

  const childLevel =
    children.state === 'ok' && children.data[0]
      ? REGION_LEVEL_LABELS[children.data[0].level]
      : '下级区划';

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          title={
            <span>
              <IdcardOutlined /> 我的账号
            </span>
          }
        >
          <Descriptions
            column={1}
            styles={{ label: { width: 96 } }}
            items={[
              { key: 'name', label: '姓名', children: user.displayName },
              { key: 'username', label: '用户名', children: user.username },
              { key: 'role', label: '角色', children: ROLE_LABELS[user.role] },
              {
                key: 'jurisdiction',
                label: '辖区',
                children: (
                  <JurisdictionBreadcrumb region={region} fallback={user.jurisdiction.fullName} />
                ),
              },
              { key: 'phone', label: '联系电话', children: user.phone ?? '—' },
              { key: 'lastLogin', label: '最近登录', children: formatTime(user.lastLoginAt) },
            ]}
          />
        </Card>
      </Col>

      <Col xs={24} xl={10}>
        <Card
          title={
            <span>
              <CloudServerOutlined /> 系统状态
            </span>
          }
          style={{ height: '100%' }}
        >
          {health.state === 'loading' && <Skeleton active paragraph={{ rows: 2 }} />}
          {health.state === 'error' && <Alert type="error" showIcon title={health.message} />}
          {health.state === 'ok' && (
            <Descriptions
              column={1}
              styles={{ label: { width: 96 } }}
              items={[
                {
                  key: 'status',
                  label: '服务',
                  children: <Badge status="success" text="运行正常" />,
                },
                {
                  key: 'database',
                  label: '数据库',
                  children: DATABASE_LABELS[health.data.database] ?? health.data.database,
                },
                { key: 'version', label: '版本', children: health.data.version },
              ]}
            />
          )}
        </Card>
      </Col>

      <Col span={24}>
        <Card
          title={
            <span>
              <ApartmentOutlined /> 辖区概况
            </span>
          }
        >
          {children.state === 'error' && <Alert type="error" showIcon title={children.message} />}
          {children.state === 'loading' && <Skeleton active />}
          {children.state === 'ok' &&
            (children.data.length === 0 ? (
              <Empty
                description={
                  regionLevelOf(user.jurisdiction.code) === 'village'
                    ? '村(居)为最基层区划，无下级区划'
                    : '暂无下级区划数据'
                }
              />
            ) : (
              <>
                <Statistic
                  title={`${user.jurisdiction.name}下辖${childLevel}`}
                  value={children.data.length}
                  suffix="个"
                  style={{ marginBottom: 16 }}
                />
                <Table<Region>
                  rowKey="code"
                  size={wide ? 'middle' : 'small'}
                  columns={regionColumns}
                  dataSource={children.data}
                  pagination={{
                    pageSize: 10,
                    hideOnSinglePage: true,
                    showSizeChanger: false,
                    showTotal: (total) => `共 ${total} 个`,
                  }}
                />
              </>
            ))}
        </Card>
      </Col>
    </Row>
  );
}
