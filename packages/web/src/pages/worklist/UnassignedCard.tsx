import { GENDER_LABELS, type WorklistElder } from '@tanfang/domain';
import { Alert, Card, Empty, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { CategoryTags, TierTag } from '../elders/ElderTags';
import { categoryWords } from './worklistText';

const columns: TableColumnsType<WorklistElder> = [
  {
    title: '姓名',
    dataIndex: 'name',
    width: 100,
    render: (name: string, e) => <Link to={`/elders/${e.id}`}>{name}</Link>,
  },
  {
    title: '性别/年龄',
    key: 'age',
    width: 90,
    render: (_: unknown, e) => `${GENDER_LABELS[e.gender]} · ${e.age}岁`,
  },
  { title: '村(居)', key: 'village', width: 150, render: (_: unknown, e) => e.village.name },
  { title: '住址', dataIndex: 'address', width: 140, render: (a: string | null) => a ?? '—' },
  { title: '分级', key: 'tier', width: 80, render: (_: unknown, e) => <TierTag tier={e.tier} /> },
  {
    title: '类别',
    key: 'categories',
    render: (_: unknown, e) => <CategoryTags categories={e.categories} />,
  },
];

/** 未落实探访人: active elders with no primary visitor (the server lists up to 200). */
export function UnassignedCard({
  elders,
  total,
  wide,
  assignPath,
}: {
  elders: WorklistElder[];
  total: number;
  wide: boolean;
  /** Where visitors are assigned, when the console has that page. */
  assignPath?: string;
}) {
  return (
    <Card
      data-testid="unassigned"
      title={
        <span>
          未落实探访人
          <Typography.Text
            type={total > 0 ? 'warning' : 'secondary'}
            style={{ marginInlineStart: 8 }}
          >
            {total} 人
          </Typography.Text>
        </span>
      }
      extra={assignPath && total > 0 ? <Link to={assignPath}>去分配探访人</Link> : undefined}
      styles={wide ? undefined : { body: { padding: 12 } }}
    >
      {total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="在册老年人都已落实主要探访人。" />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">
            以下老年人还没有主要探访人，不会出现在任何探访人员的任务中，请逐户确定探访关爱服务人员。
          </Typography.Text>
          {total > elders.length && (
            <Alert
              type="info"
              showIcon
              title={`共 ${total} 人，这里列出前 ${elders.length} 人。`}
            />
          )}
          {wide ? (
            <Table<WorklistElder>
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={elders}
              pagination={elders.length > 20 ? { pageSize: 20 } : false}
              scroll={{ x: 760 }}
            />
          ) : (
            <div>
              {elders.map((e) => (
                <div
                  key={e.id}
                  data-testid="unassigned-row"
                  style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0', fontSize: 15 }}
                >
                  <Flex gap={8} align="center" wrap>
                    <Link to={`/elders/${e.id}`} style={{ fontSize: 16, fontWeight: 600 }}>
                      {e.name}
                    </Link>
                    <span>
                      {GENDER_LABELS[e.gender]} · {e.age}岁
                    </span>
                    <TierTag tier={e.tier} />
                    <span style={{ flex: 1 }} />
                    <Typography.Text type="secondary">{e.village.name}</Typography.Text>
                  </Flex>
                  {e.categories.length > 0 && (
                    <Typography.Text type="secondary">
                      {categoryWords(e.categories)}
                    </Typography.Text>
                  )}
                </div>
              ))}
            </div>
          )}
        </Flex>
      )}
    </Card>
  );
}
