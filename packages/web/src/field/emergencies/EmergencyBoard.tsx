import { ReloadOutlined, RightOutlined } from '@ant-design/icons';
import {
  EMERGENCY_STATE_LABELS,
  durationText,
  type EmergencyListItemDto,
  type EmergencyState,
} from '@tanfang/domain';
import { Alert, Button, Card, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../auth/useAuth';
import { FIELD_APP_PATH } from '../../lib/routes';
import { emergenciesApi } from '../../pages/emergencies/emergenciesApi';
import { checklistSummary, deadlineLeft } from '../../pages/findings/findingText';
import { chinaTime } from '../../lib/format';
import { useLoad } from '../../pages/worklist/useLoad';
import { BigTag, FIELD_FONT, type Tone } from '../fieldUi';

/** Tones of the states, strong on pale (≥ 4.5:1): waiting red, escalated darker, 已响应 blue. */
export const STATE_TONES: Record<EmergencyState, Tone> = {
  pending: { text: '#fff', background: '#cf1322', border: '#cf1322' },
  escalated_township: { text: '#fff', background: '#a8071a', border: '#a8071a' },
  escalated_county: { text: '#fff', background: '#780650', border: '#780650' },
  acknowledged: { text: '#003eb3', background: '#e6f4ff', border: '#4096ff' },
  closed: { text: '#135200', background: '#f6ffed', border: '#95de64' },
};

/** An emergency's state in large type. */
export function FieldStateTag({ state }: { state: EmergencyState }) {
  return (
    <span data-testid="field-emergency-state">
      <BigTag tone={STATE_TONES[state]}>{EMERGENCY_STATE_LABELS[state]}</BigTag>
    </span>
  );
}

/** Refreshes the board this often while it is open (the alert stream tells sooner when it runs). */
const REFRESH_MS = 30_000;

function EmergencyRow({ e }: { e: EmergencyListItemDto }) {
  const navigate = useNavigate();
  const waiting = !e.acknowledgedAt;
  return (
    <button
      type="button"
      onClick={() => navigate(`${FIELD_APP_PATH}/emergencies/${e.id}`)}
      data-testid="field-emergency"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 10,
        width: '100%',
        textAlign: 'start',
        padding: 12,
        minHeight: 64,
        border: `2px solid ${waiting ? '#ff7875' : '#d9d9d9'}`,
        borderRadius: 10,
        background: waiting ? '#fff1f0' : '#fff',
        cursor: 'pointer',
        fontFamily: 'inherit',
      }}
    >
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 4 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }}>
          <FieldStateTag state={e.state} />
          <span style={{ fontSize: FIELD_FONT.large, fontWeight: 700, color: '#a8071a' }}>
            {e.title}
          </span>
        </div>
        <div style={{ fontSize: FIELD_FONT.body, color: '#1f1f1f' }}>
          {e.elder.name} · {e.village.name}
        </div>
        <div style={{ fontSize: 15, color: '#434343' }}>
          {chinaTime(e.createdAt).slice(5)} 上报
          {e.responseSeconds !== null
            ? ` · ${e.acknowledgedBy?.name ?? ''} 已响应（用时 ${durationText(e.responseSeconds)}）`
            : e.deadlineAt
              ? ` · ${e.overdue ? '已超过响应期限' : '待响应'}（${deadlineLeft(e.deadlineAt)}）`
              : ''}
        </div>
        {checklistSummary(e.checklist) && (
          <div style={{ fontSize: 15, color: '#434343' }}>{checklistSummary(e.checklist)}</div>
        )}
      </div>
      <RightOutlined style={{ color: '#8c8c8c' }} />
    </button>
  );
}

/**
 * 辖区紧急情况 on the phone of village, township and county staff: every emergency of their
 * jurisdiction not yet done, waiting for a response first, each with its state; a tap opens it.
 */
export function EmergencyBoard() {
  const me = useCurrentUser();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const loaded = useLoad(String(tick), () =>
    emergenciesApi.list({ state: 'active', pageSize: 100 }),
  );
  const [last, setLast] = useState<EmergencyListItemDto[] | null>(null);
  useEffect(() => {
    if (loaded?.state === 'ok') setLast(loaded.data.items);
  }, [loaded]);
  const items = loaded?.state === 'ok' ? loaded.data.items : last;
  const waiting = items?.filter((e) => !e.acknowledgedAt).length ?? 0;

  return (
    <Card
      data-testid="field-emergencies"
      styles={{ body: { padding: 14, display: 'flex', flexDirection: 'column', gap: 10 } }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <span style={{ flex: 1, fontSize: FIELD_FONT.title, fontWeight: 700 }}>
          {me.jurisdiction.name}紧急情况
        </span>
        <Button
          size="large"
          icon={<ReloadOutlined />}
          aria-label="刷新"
          onClick={() => setTick((t) => t + 1)}
          loading={loaded?.state === 'loading' && items !== null}
        />
      </div>
      {loaded?.state === 'error' && !items && (
        <Alert type="error" showIcon title="紧急情况加载失败" description={loaded.message} />
      )}
      {!items && loaded?.state !== 'error' && <Skeleton active paragraph={{ rows: 3 }} />}
      {items && (
        <div style={{ fontSize: FIELD_FONT.body, color: waiting ? '#a8071a' : '#389e0d' }}>
          {items.length === 0
            ? '辖区内没有未办结的紧急情况'
            : `未办结 ${items.length} 条${waiting ? `，其中 ${waiting} 条待响应` : ''}`}
        </div>
      )}
      {items?.map((e) => (
        <EmergencyRow key={e.id} e={e} />
      ))}
    </Card>
  );
}
