import { CATEGORY_LABELS, type Category, type Tier } from '@tanfang/domain';
import { Space, Tag } from 'antd';
import { TierTag } from '../elders/ElderTags';

/** Who a rule or campaign selects: 分级 and 类别 tags, or 全部对象 when it names neither. */
export function TargetTags({
  tiers,
  categories,
}: {
  tiers: readonly Tier[];
  categories: readonly Category[];
}) {
  if (tiers.length === 0 && categories.length === 0) {
    return (
      <Tag color="green" style={{ marginInlineEnd: 0 }}>
        全部对象
      </Tag>
    );
  }
  return (
    <Space size={[4, 4]} wrap>
      {tiers.map((t) => (
        <TierTag key={t} tier={t} />
      ))}
      {categories.map((c) => (
        <Tag key={c} color="geekblue" style={{ marginInlineEnd: 0 }}>
          {CATEGORY_LABELS[c]}
        </Tag>
      ))}
    </Space>
  );
}
