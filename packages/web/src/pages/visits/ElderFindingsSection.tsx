import { FINDING_TYPE_LABELS, type FindingListItemDto } from '@tanfang/domain';
import { Alert, Card, Empty, Flex, Grid, Skeleton, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQueryState } from '../../lib/useQueryState';
import { FindingDrawer } from '../findings/FindingDetail';
import { DeadlineTag } from '../findings/findingText';
import { useLoad } from '../worklist/useLoad';
import { FindingStatusTag, SeverityTag } from './FindingTags';
import { chinaDate, elderVisitPath } from './visitText';
import { visitsApi } from './visitsApi';
import './visits.css';

const columnsFor = (open: (id: string) => void): TableColumnsType<FindingListItemDto> => [
  {
    title: '严重程度',
    dataIndex: 'severity',
    width: 92,
    render: (_: unknown, f) => <SeverityTag severity={f.severity} />,
  },
  {
    title: '类型',
    dataIndex: 'type',
    width: 150,
    render: (_: unknown, f) => FINDING_TYPE_LABELS[f.type],
  },
  {
    title: '问题',
    dataIndex: 'title',
    width: 170,
    render: (_: unknown, f) => (
      <Typography.Link onClick={() => open(f.id)} data-testid="finding-open">
        {f.title}
      </Typography.Link>
    ),
  },
  { title: '来源', dataIndex: 'source' },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (_: unknown, f) => <FindingStatusTag status={f.status} />,
  },
  {
    title: '期限',
    dataIndex: 'deadline',
    width: 180,
    render: (_: unknown, f) =>
      f.deadline && f.deadline.state !== 'met' ? (
        <DeadlineTag deadline={f.deadline} compact />
      ) : (
        '—'
      ),
  },
  {
    title: '探访日期',
    dataIndex: 'visitedAt',
    width: 120,
    render: (_: unknown, f) => (
      <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt ?? f.createdAt)}>
        {chinaDate(f.visitedAt ?? f.createdAt)}
      </Link>
    ),
  },
];

/** 发现问题 on the elder's page: every finding of the elder's visits, newest first. */
export function ElderFindingsSection({ elderId }: { elderId: string }) {
  const wide = Grid.useBreakpoint().md ?? true;
  const { get, update } = useQueryState();
  const [reloadKey, setReloadKey] = useState(0);
  const open = (id: string) => update({ finding: id });
  const columns = columnsFor(open);
  const loaded = useLoad(`${elderId}|${reloadKey}`, () => visitsApi.elderFindings(elderId))!;
  let body;
  if (loaded.state === 'loading') body = <Skeleton active paragraph={{ rows: 4 }} />;
  else if (loaded.state === 'error')
    body = <Alert type="error" showIcon title="发现问题加载失败" description={loaded.message} />;
  else if (loaded.data.items.length === 0)
    body = (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description="探访中没有发现问题。探访记录中出现较差、不安全、严重疾病或紧急情况时会列在这里。"
      />
    );
  else if (wide)
    body = (
      <Table<FindingListItemDto>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={loaded.data.items}
        pagination={loaded.data.items.length > 20 ? { pageSize: 20 } : false}
        rowClassName={(f) => (f.severity === 'emergency' ? 'finding-row-emergency' : '')}
        data-testid="elder-finding-list"
      />
    );
  else
    body = (
      <Flex vertical gap={8} data-testid="elder-finding-list">
        {loaded.data.items.map((f) => (
          <Card
            key={f.id}
            size="small"
            className={f.severity === 'emergency' ? 'finding-card-emergency' : undefined}
          >
            <Space size={6} wrap>
              <SeverityTag severity={f.severity} />
              <Typography.Link strong onClick={() => open(f.id)} data-testid="finding-open">
                {f.title}
              </Typography.Link>
              <FindingStatusTag status={f.status} />
            </Space>
            <div style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">
                {FINDING_TYPE_LABELS[f.type]} · {f.source}
              </Typography.Text>
            </div>
            <Link to={elderVisitPath(f.elder.id, f.visitId, f.visitedAt ?? f.createdAt)}>
              {chinaDate(f.visitedAt ?? f.createdAt)} 的探访
            </Link>
          </Card>
        ))}
      </Flex>
    );
  return (
    <Card size="small" title="发现问题" data-testid="elder-visit-findings">
      {body}
      <FindingDrawer
        id={get('finding')}
        onClose={() => update({ finding: undefined })}
        onChanged={() => setReloadKey((k) => k + 1)}
      />
    </Card>
  );
}
