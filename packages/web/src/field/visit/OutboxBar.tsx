import {
  CheckCircleFilled,
  CloudUploadOutlined,
  ExclamationCircleFilled,
  LoadingOutlined,
} from '@ant-design/icons';
import { App, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { clockTime } from '../../pages/worklist/worklistText';
import { FIELD_FONT } from '../fieldUi';
import { outboxBarState } from './outboxRules';
import { useOutbox } from './outboxStore';
import type { OutboxVisit } from './outboxTypes';
import { fieldVisitPath } from './VisitRecordPage';

/** A visit the server refused: its message, 修改 (reopen the form) and 删除. */
function RejectedVisit({ record }: { record: OutboxVisit }) {
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const { discard } = useOutbox();
  return (
    <div
      data-testid="outbox-rejected"
      style={{
        background: '#fff',
        border: '1px solid #ffa39e',
        borderRadius: 8,
        padding: 10,
        display: 'flex',
        flexDirection: 'column',
        gap: 6,
      }}
    >
      <div style={{ fontSize: FIELD_FONT.body, fontWeight: 700, color: '#a8071a' }}>
        需修改：{record.elderName}（{clockTime(record.body.visitedAt)} 的探访）
      </div>
      <div style={{ fontSize: FIELD_FONT.body, color: '#262626' }}>{record.rejection?.message}</div>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button
          type="primary"
          style={{ minHeight: 48, fontSize: FIELD_FONT.body, flex: 1 }}
          onClick={() => navigate(fieldVisitPath(record.body.elderId, record.id))}
        >
          修改
        </Button>
        <Button
          danger
          style={{ minHeight: 48, fontSize: FIELD_FONT.body }}
          onClick={() =>
            modal.confirm({
              title: '删除这条探访记录？',
              content: `${record.elderName}的这次探访将不会上传，删除后无法恢复。`,
              okText: '删除',
              okButtonProps: { danger: true },
              cancelText: '取消',
              onOk: () => discard(record.id),
            })
          }
        >
          删除
        </Button>
      </div>
    </div>
  );
}

/**
 * The outbox on the field app's home: 待上传 N 条 with 立即重试, 正在上传…, or 全部已上传 once
 * something was sent; refused visits are listed with 修改. Hidden while nothing was ever queued.
 */
export function OutboxBar() {
  const { ready, records, sending, sentCount, durable, retryNow } = useOutbox();
  if (!ready) return null;
  const state = outboxBarState(records, sending);
  if (state.kind === 'empty' && sentCount === 0) return null;

  const tone =
    state.kind === 'empty'
      ? { background: '#f6ffed', border: '#95de64', text: '#135200' }
      : state.kind === 'sending'
        ? { background: '#e6f4ff', border: '#69b1ff', text: '#003eb3' }
        : { background: '#fff7e6', border: '#ffa940', text: '#873800' };
  const pending = records.filter((r) => r.status === 'pending');
  const lastError = pending.find((r) => r.lastError)?.lastError;

  return (
    <section
      data-testid="outbox-bar"
      style={{
        background: tone.background,
        border: `2px solid ${tone.border}`,
        borderRadius: 10,
        padding: 12,
        display: 'flex',
        flexDirection: 'column',
        gap: 8,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
        <span style={{ fontSize: 24, color: tone.text }}>
          {state.kind === 'empty' ? (
            <CheckCircleFilled />
          ) : state.kind === 'sending' ? (
            <LoadingOutlined />
          ) : state.rejected > 0 && state.rejected === state.count ? (
            <ExclamationCircleFilled />
          ) : (
            <CloudUploadOutlined />
          )}
        </span>
        <span
          data-testid="outbox-status"
          style={{ flex: 1, fontSize: FIELD_FONT.large, fontWeight: 700, color: tone.text }}
        >
          {state.kind === 'empty'
            ? '全部已上传'
            : state.kind === 'sending'
              ? `正在上传…（${state.count} 条）`
              : `待上传 ${state.count} 条`}
        </span>
        {state.kind === 'waiting' && pending.length > 0 && (
          <Button
            type="primary"
            onClick={retryNow}
            style={{ minHeight: 48, fontSize: FIELD_FONT.body }}
            data-testid="outbox-retry"
          >
            立即重试
          </Button>
        )}
      </div>
      {state.kind === 'waiting' && pending.length > 0 && (
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.5 }}>
          {navigator.onLine === false ? '手机没有网络。' : lastError ? `${lastError}。` : ''}
          记录已保存在手机上，有网络时会自动上传，不会丢失，也不会重复。
        </div>
      )}
      {state.kind === 'empty' && (
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343' }}>
          本次共上传 {sentCount} 条探访记录。
        </div>
      )}
      {!durable && state.kind !== 'empty' && (
        <div style={{ fontSize: FIELD_FONT.body, color: '#a8071a' }}>
          浏览器不允许在手机上保存记录：上传完成前请不要关闭此页面。
        </div>
      )}
      {records
        .filter((r) => r.status === 'rejected')
        .map((r) => (
          <RejectedVisit key={r.id} record={r} />
        ))}
    </section>
  );
}
