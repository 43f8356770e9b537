import { ASSIGNMENT_ROLE_LABELS, VISITOR_TYPE_LABELS, type AssignmentDto } from '@tanfang/domain';
import { Alert, Drawer, Empty, Flex, Grid, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api';
import { formatTime } from '../../lib/format';
import { visitorsApi } from '../visitors/api';

/** The elder whose history is shown. */
export interface HistoryTarget {
  id: string;
  name: string;
}

/** Props of `HistoryDrawer`. */
export interface HistoryDrawerProps {
  elder: HistoryTarget | null;
  onClose: () => void;
}

/** 分配历史: every assignment the elder has had, newest first, ended ones with their reason. */
export function HistoryDrawer({ elder, onClose }: HistoryDrawerProps) {
  const wide = Grid.useBreakpoint().md ?? true;
  const [items, setItems] = useState<AssignmentDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!elder) return;
    let cancelled = false;
    setItems(null);
    setError(null);
    visitorsApi.elderAssignments(elder.id).then(
      (history) => {
        if (!cancelled) setItems(history.items);
      },
      (e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [elder]);

  return (
    <Drawer
      open={elder !== null}
      onClose={onClose}
      title={elder ? `分配历史：${elder.name}` : '分配历史'}
      size={wide ? 480 : '100%'}
      extra={elder && <Link to={`/elders/${elder.id}`}>查看台账</Link>}
      data-testid="history-drawer"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!error && !items && <Skeleton active />}
      {items && items.length === 0 && (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="该老年人还没有分配过探访人。可在列表中勾选后点击“分配探访人”。"
        />
      )}
      {items && items.length > 0 && (
        <Timeline
          style={{ marginTop: 8 }}
          items={items.map((a) => ({
            key: a.id,
            color: a.endDate === null ? 'green' : 'gray',
            content: (
              <Flex vertical gap={2} data-testid="history-item">
                <Space size={8} wrap>
                  <Typography.Text strong>{a.visitor.name}</Typography.Text>
                  <Typography.Text type="secondary">
                    {VISITOR_TYPE_LABELS[a.visitor.type]}
                  </Typography.Text>
                  <Tag
                    color={a.role === 'primary' ? 'blue' : undefined}
                    style={{ marginInlineEnd: 0 }}
                  >
                    {ASSIGNMENT_ROLE_LABELS[a.role]}
                  </Tag>
                  {a.endDate === null ? (
                    <Tag color="green" style={{ marginInlineEnd: 0 }}>
                      当前
                    </Tag>
                  ) : (
                    <Tag style={{ marginInlineEnd: 0 }}>已结束</Tag>
                  )}
                </Space>
                <Typography.Text>
                  {a.endDate === null
                    ? `${a.startDate} 起至今`
                    : `${a.startDate} 起，${a.endDate} 结束`}
                </Typography.Text>
                {a.endReason && (
                  <Typography.Text type="secondary">结束原因：{a.endReason}</Typography.Text>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.visitor.phoneMasked ? `电话 ${a.visitor.phoneMasked} · ` : ''}记录于{' '}
                  {formatTime(a.createdAt)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
