import { PhoneOutlined, WarningFilled } from '@ant-design/icons';
import {
  VISITOR_TYPE_LABELS,
  type RegionWorklistDto,
  type VisitorType,
  type WorklistItemDto,
} from '@tanfang/domain';
import { Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { TierTag } from '../elders/ElderTags';
import { lastVisitText } from './worklistText';

type Group = RegionWorklistDto['overdueByVisitor'][number];

function visitorTypeLabel(type: string): string {
  return type in VISITOR_TYPE_LABELS ? VISITOR_TYPE_LABELS[type as VisitorType] : type;
}

/** The missed period: 2026年10月, 2026年11月（上门探访）, 供暖季入户走访 第 1 轮. */
function missedPeriod(item: WorklistItemDto): string {
  const o = item.obligation;
  return o.kind === 'in_person' ? `${o.periodLabel}（上门探访）` : o.periodLabel;
}

function daysText(item: WorklistItemDto): string {
  const days = item.daysOverdue ?? 0;
  return days >= 1 ? `${days} 天` : '不足 1 天';
}

function columns(today: string): TableColumnsType<WorklistItemDto> {
  return [
    {
      title: '老年人',
      key: 'name',
      width: 110,
      render: (_: unknown, item) => (
        <Link to={`/elders/${item.elder.id}`}>
          {item.elder.name}
          <Typography.Text type="secondary"> {item.elder.age}岁</Typography.Text>
        </Link>
      ),
    },
    {
      title: '村(居)',
      key: 'village',
      width: 150,
      render: (_: unknown, i) => i.elder.village.name,
    },
    {
      title: '分级',
      key: 'tier',
      width: 80,
      render: (_: unknown, i) => <TierTag tier={i.elder.tier} />,
    },
    { title: '未访周期', key: 'period', width: 190, render: (_: unknown, i) => missedPeriod(i) },
    {
      title: '逾期天数',
      key: 'days',
      width: 90,
      render: (_: unknown, i) => <Typography.Text type="danger">{daysText(i)}</Typography.Text>,
    },
    {
      title: '上次探访',
      key: 'last',
      width: 200,
      render: (_: unknown, i) => lastVisitText(i.lastVisit, today),
    },
  ];
}

/** One overdue elder as a compact block, for a phone. */
function OverdueRow({ item, today }: { item: WorklistItemDto; today: string }) {
  return (
    <div
      data-testid="overdue-row"
      style={{ padding: '10px 0', borderTop: '1px solid #f0f0f0', fontSize: 15, lineHeight: 1.6 }}
    >
      <Flex gap={8} align="center" wrap>
        <Link to={`/elders/${item.elder.id}`} style={{ fontSize: 16, fontWeight: 600 }}>
          {item.elder.name}
        </Link>
        <span>{item.elder.age}岁</span>
        <TierTag tier={item.elder.tier} />
        <span style={{ flex: 1 }} />
        <Typography.Text type="secondary">{item.elder.village.name}</Typography.Text>
      </Flex>
      <div>
        <Typography.Text type="danger" strong>
          {missedPeriod(item)} 未访，
          {(item.daysOverdue ?? 0) >= 1 ? `已逾期 ${item.daysOverdue} 天` : '刚逾期（不足 1 天）'}
        </Typography.Text>
      </div>
      <Typography.Text type="secondary">
        上次探访：{lastVisitText(item.lastVisit, today)}
      </Typography.Text>
    </div>
  );
}

function GroupHeader({ group }: { group: Group }) {
  const v = group.visitor;
  if (!v) {
    return (
      <Flex gap={8} align="center" wrap>
        <WarningFilled style={{ color: '#d46b08' }} />
        <Typography.Text strong style={{ fontSize: 16 }}>
          未落实探访人
        </Typography.Text>
        <Typography.Text type="secondary">没有主要探访人，请尽快分配</Typography.Text>
      </Flex>
    );
  }
  return (
    <Flex gap={8} align="center" wrap>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {v.name}
      </Typography.Text>
      <Tag style={{ marginInlineEnd: 0 }}>{visitorTypeLabel(v.type)}</Tag>
      {v.phoneMasked && (
        <Typography.Text type="secondary">
          <PhoneOutlined /> {v.phoneMasked}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** 已逾期, one card per primary visitor (and one for elders without a visitor). */
export function OverdueByVisitor({
  groups,
  today,
  wide,
}: {
  groups: RegionWorklistDto['overdueByVisitor'];
  today: string;
  wide: boolean;
}) {
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  return (
    <Card
      title={
        <span>
          已逾期（按探访人员）
          <Typography.Text type="danger" style={{ marginInlineStart: 8 }}>
            {total} 项
          </Typography.Text>
        </span>
      }
      data-testid="overdue-by-visitor"
      styles={wide ? undefined : { body: { padding: 12 } }}
    >
      {groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有逾期未访的老人，继续保持。" />
      ) : (
        <Flex vertical gap={16}>
          {groups.map((group) => (
            <Card
              key={group.visitor?.id ?? 'none'}
              size="small"
              type="inner"
              title={<GroupHeader group={group} />}
              extra={
                <Typography.Text type="danger" strong style={{ whiteSpace: 'nowrap' }}>
                  {group.items.length} 项
                </Typography.Text>
              }
              data-testid="overdue-group"
              styles={{ body: wide ? { padding: 0 } : { padding: '0 12px 4px' } }}
            >
              {wide ? (
                <Table<WorklistItemDto>
                  size="small"
                  rowKey={(i) => `${i.elder.id}-${i.obligation.key}`}
                  columns={columns(today)}
                  dataSource={group.items}
                  pagination={group.items.length > 20 ? { pageSize: 20 } : false}
                  scroll={{ x: 820 }}
                />
              ) : (
                group.items.map((item) => (
                  <OverdueRow
                    key={`${item.elder.id}-${item.obligation.key}`}
                    item={item}
                    today={today}
                  />
                ))
              )}
            </Card>
          ))}
        </Flex>
      )}
    </Card>
  );
}
