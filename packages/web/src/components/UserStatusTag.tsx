import type { UserDto, UserStatus } from '@tanfang/domain';
import { Tag, Tooltip } from 'antd';
import { formatTime } from '../lib/format';

/** The Chinese name of each account status. */
export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  active: '正常',
  disabled: '已停用',
  locked: '已锁定',
};

const STATUS_COLORS: Record<UserStatus, string> = {
  active: 'success',
  disabled: 'default',
  locked: 'error',
};

/** A tag with the account's status; a locked account tells until when. */
export function UserStatusTag({ user }: { user: Pick<UserDto, 'status' | 'lockedUntil'> }) {
  const tag = <Tag color={STATUS_COLORS[user.status]}>{USER_STATUS_LABELS[user.status]}</Tag>;
  if (user.status === 'locked' && user.lockedUntil) {
    return <Tooltip title={`锁定至 ${formatTime(user.lockedUntil)}`}>{tag}</Tooltip>;
  }
  return tag;
}
