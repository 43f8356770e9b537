import { LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  GENDER_LABELS,
  OBLIGATION_KIND_LABELS,
  WORKLIST_BUCKET_LABELS,
  type WorklistItemDto,
} from '@tanfang/domain';
import { Button, Card, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { FIELD_APP_PATH } from '../lib/routes';
import { ElderRecentVisits } from './amend/amendParts';
import {
  categoryWords,
  dateWithWeekday,
  deadlineOf,
  lastVisitText,
  methodWords,
} from '../pages/worklist/worklistText';
import {
  BackupTag,
  BigTag,
  BUCKET_TONES,
  DraftTag,
  FIELD_FONT,
  FieldTierTag,
  InfoLine,
} from './fieldUi';
import { useDrafts } from './visit/draftStore';
import { VisitStartButton } from './visit/VisitStartButton';
import { TaskBox } from './WorklistCard';
import { useVisitorWorklist } from './worklistStore';

/** One task of the elder in full: group, what is asked, deadline, rule and the methods that count. */
function TaskDetail({ item, today }: { item: WorklistItemDto; today: string }) {
  const o = item.obligation;
  const { date, time } = deadlineOf(o.dueBy);
  return (
    <Card data-testid="elder-task" styles={{ body: { padding: 14 } }}>
      <div style={{ marginBottom: 8 }}>
        <BigTag tone={BUCKET_TONES[item.bucket]}>{WORKLIST_BUCKET_LABELS[item.bucket]}</BigTag>
      </div>
      <TaskBox item={item} today={today} />
      <div style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 10 }}>
        <InfoLine label="截止时间">
          {dateWithWeekday(date, today)}
          {time ? ` ${time}` : ''}
        </InfoLine>
        <InfoLine label="任务类型">
          {o.campaign ? `专项探访（${o.campaign.name}）` : OBLIGATION_KIND_LABELS[o.kind]}
        </InfoLine>
        {o.policy && <InfoLine label="探访规则">{o.policy.name}</InfoLine>}
        <InfoLine label="可计入方式">{methodWords(o.countedMethods)}</InfoLine>
      </div>
    </Card>
  );
}

/**
 * `/m/elders/:id`: an elder of the visitor's worklist — who and where they are, and each of their
 * open tasks. Built from the worklist itself: the elder's schedule endpoint does not serve
 * visitors.
 */
export function WorklistElderPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { data, loading, error, refresh } = useVisitorWorklist();
  const hasDraft = useDrafts().savedAt.has(id);

  // A block body: newer browsers' scrollTo returns a promise, which React would call on unmount.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [id]);

  // Back to the list where the visitor came from (keeps its scroll), or to it on a direct link.
  const back = () =>
    location.key !== 'default' ? navigate(-1) : navigate(FIELD_APP_PATH, { replace: true });
  const backButton = (
    <Button
      icon={<LeftOutlined />}
      onClick={back}
      style={{ minHeight: 48, fontSize: FIELD_FONT.body, alignSelf: 'flex-start' }}
      data-testid="elder-back"
    >
      返回任务列表
    </Button>
  );

  if (!data) {
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {backButton}
        <Card>
          {loading ? (
            <Skeleton active paragraph={{ rows: 6 }} />
          ) : (
            <div style={{ fontSize: FIELD_FONT.body, textAlign: 'center' }}>
              <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700 }}>加载失败</div>
              <p>{error}</p>
              <Button
                type="primary"
                icon={<ReloadOutlined />}
                onClick={refresh}
                style={{ minHeight: 48, fontSize: FIELD_FONT.body }}
              >
                重新加载
              </Button>
            </div>
          )}
        </Card>
      </div>
    );
  }

  const items = data.items.filter((i) => i.elder.id === id);
  const first = items[0];
  if (!first) {
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {backButton}
        <Card data-testid="elder-not-found" styles={{ body: { textAlign: 'center' } }}>
          <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, marginBottom: 8 }}>
            任务列表中没有这位老人
          </div>
          <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>
            这位老人本期的探访已经完成，或不在您的探访名单中。
          </div>
        </Card>
        <ElderRecentVisits elderId={id} />
      </div>
    );
  }

  const { elder } = first;
  const backup = items.some((i) => i.role === 'backup');
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      {backButton}
      <Card data-testid="field-elder" styles={{ body: { padding: 16 } }}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          <h1 style={{ margin: 0, fontSize: FIELD_FONT.hero, lineHeight: 1.3 }}>{elder.name}</h1>
          <span style={{ fontSize: FIELD_FONT.large, color: '#434343' }}>
            {GENDER_LABELS[elder.gender]} · {elder.age}岁
          </span>
          <span style={{ flex: 1 }} />
          {hasDraft && <DraftTag />}
          <FieldTierTag tier={elder.tier} />
          {backup && <BackupTag />}
        </div>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 6, marginTop: 12 }}>
          <InfoLine label="村(居)">{elder.village.name}</InfoLine>
          {elder.address && <InfoLine label="住址">{elder.address}</InfoLine>}
          <InfoLine label="类别">{categoryWords(elder.categories)}</InfoLine>
          <InfoLine label="联系电话">{elder.phoneMasked ?? '未登记'}</InfoLine>
          <InfoLine label="上次探访">{lastVisitText(first.lastVisit, data.today)}</InfoLine>
          {backup && (
            <InfoLine label="您的角色">备用探访人（主要探访人逾期未访，请您替补探访）</InfoLine>
          )}
        </div>
      </Card>
      <VisitStartButton elderId={elder.id} />
      <h2 style={{ margin: '4px 0 0', fontSize: FIELD_FONT.title }}>探访任务（{items.length}）</h2>
      {items.map((item) => (
        <TaskDetail key={item.obligation.key} item={item} today={data.today} />
      ))}
      <ElderRecentVisits elderId={elder.id} />
    </div>
  );
}
