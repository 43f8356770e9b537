import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import {
  BUILTIN_TEMPLATES,
  VISIT_METHOD_LABELS,
  methodLabel,
  type AmendableVisitDto,
  type VersionChange,
  type VisitDto,
} from '@tanfang/domain';
import { Button, Card } from 'antd';
import { useNavigate } from 'react-router-dom';
import { FIELD_APP_PATH } from '../../lib/routes';
import { clockTime, dateWithWeekday, localDate } from '../../pages/worklist/worklistText';
import { BigTag, FIELD_FONT, InfoLine } from '../fieldUi';
import { useRecentVisits } from './recentVisitsStore';

/** 最近提交: the user's visits they may still correct. */
export const RECENT_VISITS_PATH = `${FIELD_APP_PATH}/recent`;

/** The 更正 page of a visit. */
export function amendVisitPath(visitId: string): string {
  return `${FIELD_APP_PATH}/visits/${encodeURIComponent(visitId)}/amend`;
}

/** The 修改记录 page of a visit. */
export function visitHistoryPath(visitId: string): string {
  return `${FIELD_APP_PATH}/visits/${encodeURIComponent(visitId)}/history`;
}

/** 12月6日 星期日 09:30, China time (with the year when not this year's). */
export function visitTimeWords(iso: string, today = localDate(new Date().toISOString())): string {
  return `${dateWithWeekday(localDate(iso), today)} ${clockTime(iso)}`;
}

/** The method in the visit's form's own words when the form is built in (实地, 上门探访 …). */
export function visitMethodWords(visit: Pick<VisitDto, 'method' | 'template'>): string {
  const builtin = BUILTIN_TEMPLATES.find(
    (t) => t.key === visit.template.key && t.version === visit.template.version,
  );
  return (builtin && methodLabel(builtin, visit.method)) ?? VISIT_METHOD_LABELS[visit.method];
}

const AMENDED_TONE = { text: '#391085', background: '#f9f0ff', border: '#9254de' };
const EMERGENCY_TONE = { text: '#fff', background: '#cf1322', border: '#cf1322' };

/** 已更正（第 N 版）: the visit has been corrected, and is at version N. */
export function AmendedTag({ revision }: { revision: number }) {
  return (
    <span data-testid="visit-amended">
      <BigTag tone={AMENDED_TONE}>已更正（第 {revision} 版）</BigTag>
    </span>
  );
}

/** What a correction changes, one item a row: 燃气安全 — 安全 → 不安全, in large type. */
export function FieldChanges({ changes }: { changes: readonly VersionChange[] }) {
  return (
    <ul
      data-testid="visit-changes"
      style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' }}
    >
      {changes.map((c, i) => (
        <li
          key={c.field}
          data-testid="visit-change"
          style={{
            padding: '8px 0',
            borderTop: i === 0 ? undefined : '1px solid #f0f0f0',
            fontSize: FIELD_FONT.body,
            lineHeight: 1.5,
          }}
        >
          <div style={{ fontWeight: 700, color: '#1f1f1f' }}>{c.label}</div>
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 6 }}>
            <del style={{ color: '#595959', overflowWrap: 'anywhere' }}>{c.before}</del>
            <span aria-label="改为" style={{ color: '#1677ff', fontWeight: 700 }}>
              →
            </span>
            <strong style={{ color: '#003eb3', overflowWrap: 'anywhere' }}>{c.after}</strong>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A visit of 最近提交: who, when, how, whether corrected, until when, and 更正 / 修改记录. */
export function RecentVisitCard({ visit }: { visit: AmendableVisitDto }) {
  const navigate = useNavigate();
  return (
    <Card data-testid="recent-visit" data-visit-id={visit.id} styles={{ body: { padding: 14 } }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <span style={{ fontSize: FIELD_FONT.title, fontWeight: 700, lineHeight: 1.3 }}>
          {visit.elderName}
        </span>
        <span style={{ flex: 1 }} />
        {visit.emergency && <BigTag tone={EMERGENCY_TONE}>紧急情况</BigTag>}
        {visit.revision > 1 && <AmendedTag revision={visit.revision} />}
      </div>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 2, margin: '8px 0 12px' }}>
        <InfoLine label="探访时间">{visitTimeWords(visit.visitedAt)}</InfoLine>
        <InfoLine label="探访方式">{visitMethodWords(visit)}</InfoLine>
        <InfoLine label="村(居)">{visit.villageName}</InfoLine>
        <InfoLine label="可更正至">
          <span data-testid="recent-visit-until">{visitTimeWords(visit.amendableUntil)}</span>
        </InfoLine>
      </div>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button
          type="primary"
          icon={<EditOutlined />}
          onClick={() => navigate(amendVisitPath(visit.id))}
          style={{ minHeight: 48, fontSize: FIELD_FONT.body, flex: 1 }}
          data-testid="recent-visit-amend"
        >
          更正
        </Button>
        {visit.revision > 1 && (
          <Button
            icon={<HistoryOutlined />}
            onClick={() => navigate(visitHistoryPath(visit.id))}
            style={{ minHeight: 48, fontSize: FIELD_FONT.body, flex: 1 }}
            data-testid="recent-visit-history"
          >
            修改记录
          </Button>
        )}
      </div>
    </Card>
  );
}

/** The way from the field home to 最近提交 (a visited elder leaves the worklist). */
export function RecentVisitsEntry() {
  const navigate = useNavigate();
  return (
    <Button
      block
      icon={<HistoryOutlined />}
      onClick={() => navigate(RECENT_VISITS_PATH)}
      style={{
        minHeight: 52,
        height: 'auto',
        fontSize: FIELD_FONT.body,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'flex-start',
        // Small phones: the hint wraps rather than overflows.
        whiteSpace: 'normal',
        textAlign: 'start',
        flexWrap: 'wrap',
      }}
      data-testid="recent-entry"
    >
      <span style={{ fontWeight: 700 }}>最近提交</span>
      <span style={{ color: '#595959', marginInlineStart: 8 }}>查看、更正已提交的探访记录</span>
    </Button>
  );
}

/**
 * On an elder's page: the user's visits of this elder they may still correct (none: nothing
 * shown). The elder may have left the worklist once visited; this is the way back to the visit.
 */
export function ElderRecentVisits({ elderId }: { elderId: string }) {
  const { items } = useRecentVisits();
  const mine = (items ?? []).filter((v) => v.elderId === elderId);
  if (mine.length === 0) return null;
  return (
    <section
      data-testid="elder-recent-visits"
      style={{ display: 'flex', flexDirection: 'column', gap: 10 }}
    >
      <h2 style={{ margin: '4px 0 0', fontSize: FIELD_FONT.title }}>
        可更正的探访记录（{mine.length}）
      </h2>
      {mine.map((v) => (
        <RecentVisitCard key={v.id} visit={v} />
      ))}
    </section>
  );
}
