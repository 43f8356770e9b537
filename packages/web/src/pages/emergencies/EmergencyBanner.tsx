import { FIELD_APP_PATH } from '../../lib/routes';
import { Alert, Button, Grid } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { useAlerts } from '../alerts/AlertsContext';
import { useLoad } from '../worklist/useLoad';
import { emergenciesApi } from './emergenciesApi';
import { canRaiseEmergencies } from './permissions';

/**
 * How often the banner looks again regardless: the alert stream announces every emergency raised,
 * acknowledged or escalated in the jurisdiction (the banner reloads at once), but a deadline
 * passing announces nothing, and the stream may be down.
 */
const REFRESH_MS = 30_000;

function Banner() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const wide = Grid.useBreakpoint().md ?? true;
  const [tick, setTick] = useState(0);
  const changes = useAlerts()?.changes ?? 0;
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const loaded = useLoad(`${tick}|${changes}|${pathname === '/emergencies'}`, () =>
    emergenciesApi.list({ state: 'open', pageSize: 1 }),
  );
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    if (loaded?.state === 'ok') setWaiting(loaded.data.counts.open);
  }, [loaded]);
  if (waiting === 0 || pathname === '/emergencies') return null;
  return (
    <Alert
      type="error"
      showIcon
      banner
      title={`辖区有 ${waiting} 条紧急情况待响应`}
      action={
        <Button
          size="small"
          danger
          type="primary"
          onClick={() => navigate(wide ? '/emergencies?state=open' : FIELD_APP_PATH)}
        >
          立即查看
        </Button>
      }
      style={{ marginBottom: 12 }}
      data-testid="emergency-banner"
    />
  );
}

/** 辖区有 N 条紧急情况待响应 above every console page of staff who respond to emergencies. */
export function EmergencyBanner() {
  const me = useCurrentUser();
  return canRaiseEmergencies(me.role) ? <Banner /> : null;
}
