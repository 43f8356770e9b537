import {
  CATEGORY_LABELS,
  ELDER_STATUS_LABELS,
  TIER_LABELS,
  type Category,
  type ElderStatus,
  type Tier,
} from '@tanfang/domain';
import { Space, Tag } from 'antd';
import { TIER_COLORS } from './labels';

/** 分级 as a coloured tag: 高风险 red, 重点 orange, 一般 plain. */
export function TierTag({ tier }: { tier: Tier }) {
  return (
    <Tag color={TIER_COLORS[tier]} style={{ marginInlineEnd: 0 }}>
      {TIER_LABELS[tier]}
    </Tag>
  );
}

/** 类别 as tags; a dash when there are none. */
export function CategoryTags({ categories }: { categories: readonly Category[] }) {
  if (categories.length === 0) return <>—</>;
  return (
    <Space size={[4, 4]} wrap>
      {categories.map((c) => (
        <Tag key={c} color="geekblue" style={{ marginInlineEnd: 0 }}>
          {CATEGORY_LABELS[c]}
        </Tag>
      ))}
    </Space>
  );
}

const STATUS_COLORS: Record<ElderStatus, string | undefined> = {
  active: 'green',
  moved: undefined,
  institution: 'purple',
  hospital: 'gold',
  deceased: undefined,
};

/** 状态 (在册, 迁出…) as a tag. */
export function ElderStatusTag({ status }: { status: ElderStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {ELDER_STATUS_LABELS[status]}
    </Tag>
  );
}
