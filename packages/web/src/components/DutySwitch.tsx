import { DUTY_ROLES, type UserDto } from '@tanfang/domain';
import { App, Flex, Switch, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, request } from '../api';
import { useAuth, useCurrentUser } from '../auth/useAuth';

/**
 * 值班: village, township and county staff on duty receive emergencies at once. A switch in the
 * header (and on the phone's home), saved for the signed-in user.
 */
export function DutySwitch({ large }: { large?: boolean }) {
  const me = useCurrentUser();
  const { updateUser } = useAuth();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!DUTY_ROLES.includes(me.role)) return null;
  const toggle = async (onDuty: boolean) => {
    setBusy(true);
    try {
      updateUser(await request<UserDto>('PATCH', '/api/users/me/duty', { body: { onDuty } }));
      message.success(onDuty ? '已开始值班：紧急情况将即时通知您' : '已结束值班');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex align="center" gap={large ? 12 : 6} data-testid="duty-switch">
      <Switch
        checked={me.onDuty}
        loading={busy}
        onChange={(v) => void toggle(v)}
        checkedChildren="值班"
        unCheckedChildren="未值班"
        aria-label="值班状态"
      />
      {large && (
        <Typography.Text type="secondary" style={{ fontSize: 16 }}>
          {me.onDuty ? '值班中：紧急情况即时通知您' : '未值班：不接收紧急情况通知'}
        </Typography.Text>
      )}
    </Flex>
  );
}
