import {
  REFERRAL_STATUS_LABELS,
  SATISFACTION_LABELS,
  type ReferralStatus,
  type Satisfaction,
} from '@tanfang/domain';
import { Tag } from 'antd';

/** The colour of each referral status. */
export const REFERRAL_STATUS_COLORS: Record<ReferralStatus, string> = {
  sent: 'gold',
  accepted: 'blue',
  in_progress: 'processing',
  completed: 'success',
  declined: 'error',
  cancelled: 'default',
};

/** A provider's words for the statuses: what is waiting for it is 待接收. */
export const PROVIDER_STATUS_WORDS: Record<ReferralStatus, string> = {
  ...REFERRAL_STATUS_LABELS,
  sent: '待接收',
};

/** A referral's status as a tag (in the provider's words on its own view). */
export function ReferralStatusTag({
  status,
  forProvider = false,
}: {
  status: ReferralStatus;
  forProvider?: boolean;
}) {
  return (
    <Tag color={REFERRAL_STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {(forProvider ? PROVIDER_STATUS_WORDS : REFERRAL_STATUS_LABELS)[status]}
    </Tag>
  );
}

const SATISFACTION_COLORS: Record<Satisfaction, string> = {
  satisfied: 'success',
  basically_satisfied: 'blue',
  unsatisfied: 'error',
};

/** The elder's satisfaction as a tag. */
export function SatisfactionTag({ value }: { value: Satisfaction }) {
  return (
    <Tag color={SATISFACTION_COLORS[value]} style={{ marginInlineEnd: 0 }}>
      {SATISFACTION_LABELS[value]}
    </Tag>
  );
}

/** What the button that moves a referral to a status says (the provider's and staff's actions). */
export const ACTION_LABELS: Record<ReferralStatus, string> = {
  sent: '转介',
  accepted: '接收',
  in_progress: '报告进展',
  completed: '完成服务',
  declined: '拒绝',
  cancelled: '撤回转介',
};
