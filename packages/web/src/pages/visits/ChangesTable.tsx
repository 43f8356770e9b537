import type { VersionChange } from '@tanfang/domain';
import { Table, Typography } from 'antd';

/** What a correction changed, side by side: 项目, 更正前 → 更正后, in the form's own words. */
export function ChangesTable({ changes }: { changes: readonly VersionChange[] }) {
  return (
    <Table<VersionChange>
      size="small"
      pagination={false}
      rowKey="field"
      dataSource={changes as VersionChange[]}
      style={{ marginTop: 6 }}
      data-testid="visit-changes"
      columns={[
        { title: '项目', dataIndex: 'label', width: '24%' },
        {
          title: '更正前',
          dataIndex: 'before',
          render: (text: string) => (
            <Typography.Text type="secondary" delete style={{ whiteSpace: 'pre-wrap' }}>
              {text}
            </Typography.Text>
          ),
        },
        {
          title: '',
          key: 'arrow',
          width: 32,
          align: 'center',
          render: () => <span aria-label="改为">→</span>,
        },
        {
          title: '更正后',
          dataIndex: 'after',
          render: (text: string) => (
            <Typography.Text strong style={{ whiteSpace: 'pre-wrap' }}>
              {text}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
