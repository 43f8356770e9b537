import { RightOutlined } from '@ant-design/icons';
import { CATEGORY_LABELS, type WorklistItemDto } from '@tanfang/domain';
import { Link } from 'react-router-dom';
import { FIELD_APP_PATH } from '../lib/routes';
import { checklistLine, lastVisitText, taskParts } from '../pages/worklist/worklistText';
import { BackupTag, BUCKET_TONES, DraftTag, FIELD_FONT, FieldTierTag, InfoLine } from './fieldUi';
import { useDrafts } from './visit/draftStore';

/** The task of a worklist item in its group's colours, with a campaign's checks. */
export function TaskBox({ item, today }: { item: WorklistItemDto; today: string }) {
  const tone = BUCKET_TONES[item.bucket];
  const checks = checklistLine(item.obligation);
  const { what, when } = taskParts(item, today);
  return (
    <div
      data-testid="worklist-task"
      style={{
        background: tone.background,
        borderInlineStart: `5px solid ${tone.border}`,
        borderRadius: 6,
        padding: '8px 12px',
        color: tone.text,
      }}
    >
      <div style={{ fontSize: FIELD_FONT.large, fontWeight: 700, lineHeight: 1.4 }}>
        {what}
        {what.endsWith('，') ? '' : ' '}
        <span style={{ whiteSpace: 'nowrap' }}>{when}</span>
      </div>
      {checks && (
        <div style={{ fontSize: FIELD_FONT.body, lineHeight: 1.5, marginTop: 4, color: '#262626' }}>
          {checks}
        </div>
      )}
    </div>
  );
}

/** Where an elder's page in the field app is. */
export function fieldElderPath(elderId: string): string {
  return `${FIELD_APP_PATH}/elders/${encodeURIComponent(elderId)}`;
}

/**
 * One elder on the visitor's worklist: a large card to tap — name, age, village, tier, categories,
 * the task, the last visit and the masked phone; 草稿 when a visit to the elder was started here
 * and not yet submitted.
 */
export function WorklistCard({ item, today }: { item: WorklistItemDto; today: string }) {
  const { elder } = item;
  const hasDraft = useDrafts().savedAt.has(elder.id);
  return (
    <Link
      to={fieldElderPath(elder.id)}
      data-testid="worklist-card"
      style={{
        display: 'block',
        background: '#fff',
        borderRadius: 10,
        border: '1px solid #d9d9d9',
        boxShadow: '0 1px 2px rgba(0,0,0,0.06)',
        padding: '14px 14px 10px',
        color: '#1f1f1f',
        textDecoration: 'none',
      }}
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <span style={{ fontSize: FIELD_FONT.title, fontWeight: 700, lineHeight: 1.3 }}>
          {elder.name}
        </span>
        <span style={{ fontSize: FIELD_FONT.large, color: '#434343' }}>{elder.age}岁</span>
        <span style={{ flex: 1 }} />
        {hasDraft && <DraftTag />}
        <FieldTierTag tier={elder.tier} />
        {item.role === 'backup' && <BackupTag />}
      </div>
      <div style={{ fontSize: FIELD_FONT.body, color: '#434343', margin: '4px 0 8px' }}>
        <div>
          {elder.village.name}
          {elder.address ? ` · ${elder.address}` : ''}
        </div>
        {elder.categories.length > 0 && (
          <div>
            {elder.categories.map((c, i) => (
              // Each category stays whole when the line wraps.
              <span key={c} style={{ whiteSpace: 'nowrap' }}>
                {i > 0 ? '、' : ''}
                {CATEGORY_LABELS[c]}
              </span>
            ))}
          </div>
        )}
      </div>
      <TaskBox item={item} today={today} />
      <div style={{ marginTop: 8, display: 'flex', flexDirection: 'column', gap: 2 }}>
        <InfoLine label="上次探访">{lastVisitText(item.lastVisit, today)}</InfoLine>
        <InfoLine label="联系电话">{elder.phoneMasked ?? '未登记'}</InfoLine>
      </div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'flex-end',
          alignItems: 'center',
          gap: 4,
          minHeight: 40,
          fontSize: FIELD_FONT.body,
          color: '#0958d9',
          fontWeight: 600,
        }}
      >
        查看详情 <RightOutlined style={{ fontSize: 14 }} />
      </div>
    </Link>
  );
}
