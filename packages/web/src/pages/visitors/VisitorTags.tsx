import { VISITOR_STATUS_LABELS, type VisitorDto } from '@tanfang/domain';
import { Tag, Tooltip } from 'antd';

/** 在岗 (green) or 已离岗 with the date it took effect. */
export function VisitorStatusTag({ visitor }: { visitor: Pick<VisitorDto, 'status' | 'leftOn'> }) {
  if (visitor.status === 'active') {
    return (
      <Tag color="green" style={{ marginInlineEnd: 0 }}>
        {VISITOR_STATUS_LABELS.active}
      </Tag>
    );
  }
  return (
    <Tooltip title={visitor.leftOn ? `自 ${visitor.leftOn} 起离岗` : undefined}>
      <Tag style={{ marginInlineEnd: 0 }}>{VISITOR_STATUS_LABELS.left}</Tag>
    </Tooltip>
  );
}
