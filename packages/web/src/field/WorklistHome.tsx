import { CheckCircleFilled, ReloadOutlined } from '@ant-design/icons';
import {
  VISITOR_TYPE_LABELS,
  WORKLIST_BUCKETS,
  WORKLIST_BUCKET_LABELS,
  type VisitorType,
  type VisitorWorklistDto,
  type WorklistBucket,
  type WorklistItemDto,
} from '@tanfang/domain';
import { Alert, Button, Card, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useCurrentUser } from '../auth/useAuth';
import { clockTime, dateWithWeekday } from '../pages/worklist/worklistText';
import { BUCKET_TONES, FIELD_FONT } from './fieldUi';
import { WorklistCard } from './WorklistCard';
import { useVisitorWorklist } from './worklistStore';

/** What each group asks of the visitor, in plain words. */
const BUCKET_HINTS: Record<WorklistBucket, string> = {
  overdue: '上一期没有探访到，请尽快补上',
  campaign: '专项走访，请在截止日前入户',
  today: '今天是最后一天',
  week: '7 天内到期',
  later: '本期内完成即可',
};

/** The element id of a group's section, for the count tiles to scroll to. */
const sectionId = (bucket: WorklistBucket) => `worklist-${bucket}`;

function greeting(hour: number): string {
  if (hour < 6) return '凌晨好';
  if (hour < 11) return '上午好';
  if (hour < 13) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

function visitorTypeLabel(type: string): string {
  return type in VISITOR_TYPE_LABELS ? VISITOR_TYPE_LABELS[type as VisitorType] : type;
}

/** Greeting with the visitor's name and today's date (China time). */
function Greeting({ data }: { data: VisitorWorklistDto | null }) {
  const user = useCurrentUser();
  const hour = data ? +clockTime(data.asOf).slice(0, 2) : new Date().getHours();
  const name = data?.visitor?.name ?? user.displayName;
  return (
    <Card data-testid="field-greeting" styles={{ body: { padding: 16 } }}>
      <div style={{ fontSize: FIELD_FONT.hero, fontWeight: 700, lineHeight: 1.3 }}>
        {name}，{greeting(hour)}
      </div>
      {data && (
        <div style={{ fontSize: FIELD_FONT.large, marginTop: 4, color: '#262626' }}>
          今天是 {dateWithWeekday(data.today)}
        </div>
      )}
      <div style={{ fontSize: FIELD_FONT.body, marginTop: 4, color: '#434343' }}>
        {data?.visitor ? `${visitorTypeLabel(data.visitor.type)} · ` : ''}
        {user.jurisdiction.name}
      </div>
    </Card>
  );
}

/** A count tile: taps scroll to its group; an empty group's tile is plain and inert. */
function CountTile({ bucket, count }: { bucket: WorklistBucket; count: number }) {
  const tone = BUCKET_TONES[bucket];
  const active = count > 0;
  return (
    <button
      type="button"
      data-testid={`tile-${bucket}`}
      disabled={!active}
      onClick={() =>
        document.getElementById(sectionId(bucket))?.scrollIntoView({ behavior: 'smooth' })
      }
      style={{
        minHeight: 80,
        padding: '8px 4px',
        borderRadius: 10,
        border: `2px solid ${active ? tone.border : '#d9d9d9'}`,
        background: active ? tone.background : '#fff',
        color: active ? tone.text : '#595959',
        cursor: active ? 'pointer' : 'default',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 2,
        font: 'inherit',
      }}
    >
      <span style={{ fontSize: 30, fontWeight: 700, lineHeight: 1.1 }}>{count}</span>
      <span style={{ fontSize: FIELD_FONT.body, fontWeight: 600, whiteSpace: 'nowrap' }}>
        {WORKLIST_BUCKET_LABELS[bucket]}
      </span>
    </button>
  );
}

/** 已逾期 and 专项任务 side by side, then the three deadlines. */
function CountTiles({ counts }: { counts: VisitorWorklistDto['counts'] }) {
  const [first, second, ...rest] = WORKLIST_BUCKETS;
  return (
    <div data-testid="worklist-tiles" style={{ display: 'grid', gap: 8 }}>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
        <CountTile bucket={first!} count={counts[first!]} />
        <CountTile bucket={second!} count={counts[second!]} />
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 8 }}>
        {rest.map((b) => (
          <CountTile key={b} bucket={b} count={counts[b]} />
        ))}
      </div>
    </div>
  );
}

/** A group of the worklist: heading with its count and what it asks, then its cards. */
function BucketSection({
  bucket,
  items,
  today,
}: {
  bucket: WorklistBucket;
  items: WorklistItemDto[];
  today: string;
}) {
  const tone = BUCKET_TONES[bucket];
  return (
    <section
      id={sectionId(bucket)}
      data-testid={`section-${bucket}`}
      style={{ scrollMarginTop: 68, display: 'flex', flexDirection: 'column', gap: 10 }}
    >
      <div
        style={{
          borderInlineStart: `6px solid ${tone.border}`,
          paddingInlineStart: 10,
          marginTop: 8,
        }}
      >
        <h2
          style={{
            margin: 0,
            fontSize: FIELD_FONT.title,
            lineHeight: 1.3,
            color: tone.text,
          }}
        >
          {WORKLIST_BUCKET_LABELS[bucket]}（{items.length}）
        </h2>
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343' }}>{BUCKET_HINTS[bucket]}</div>
      </div>
      {items.map((item) => (
        <WorklistCard key={`${item.elder.id}-${item.obligation.key}`} item={item} today={today} />
      ))}
    </section>
  );
}

/** The big 刷新 button and when the list was last loaded. */
function RefreshBar({
  asOf,
  loading,
  onRefresh,
}: {
  asOf: string | null;
  loading: boolean;
  onRefresh: () => void;
}) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
      <span
        data-testid="worklist-updated"
        style={{ flex: 1, fontSize: FIELD_FONT.body, color: '#434343' }}
      >
        {asOf ? `更新于 ${clockTime(asOf)}` : ''}
      </span>
      <Button
        icon={<ReloadOutlined />}
        loading={loading}
        onClick={onRefresh}
        style={{ minHeight: 48, minWidth: 112, fontSize: FIELD_FONT.body }}
        data-testid="worklist-refresh"
      >
        刷新
      </Button>
    </div>
  );
}

function LoadingSkeleton() {
  return (
    <div
      data-testid="worklist-loading"
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
    >
      <Card>
        <Skeleton active title={{ width: '60%' }} paragraph={{ rows: 2 }} />
      </Card>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 8 }}>
        {[0, 1, 2].map((k) => (
          <Skeleton.Button key={k} active block style={{ height: 80 }} />
        ))}
      </div>
      {[0, 1].map((k) => (
        <Card key={k}>
          <Skeleton active paragraph={{ rows: 4 }} />
        </Card>
      ))}
    </div>
  );
}

/** A notice in large type with an optional action (empty states and load failures). */
function Notice({
  icon,
  title,
  text,
  action,
  testId,
}: {
  icon?: ReactNode;
  title: string;
  text?: string;
  action?: ReactNode;
  testId: string;
}) {
  return (
    <Card data-testid={testId} styles={{ body: { padding: '24px 16px', textAlign: 'center' } }}>
      {icon}
      <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, margin: '8px 0' }}>{title}</div>
      {text && (
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>{text}</div>
      )}
      {action && <div style={{ marginTop: 16 }}>{action}</div>}
    </Card>
  );
}

/**
 * The field app's home for a visitor: greeting, counts per group, then every task — overdue,
 * campaigns, due today, this week, later in the period — as large cards.
 */
export function WorklistHome() {
  const { data, loading, error, refresh } = useVisitorWorklist();

  if (!data && loading) return <LoadingSkeleton />;
  if (!data) {
    return (
      <Notice
        testId="worklist-error"
        title="任务加载失败"
        text={error ?? '请稍后重试'}
        action={
          <Button
            type="primary"
            icon={<ReloadOutlined />}
            onClick={refresh}
            style={{ minHeight: 48, minWidth: 140, fontSize: FIELD_FONT.body }}
          >
            重新加载
          </Button>
        }
      />
    );
  }

  const refreshBar = <RefreshBar asOf={data.asOf} loading={loading} onRefresh={refresh} />;
  const failure = error && (
    <Alert
      type="error"
      showIcon
      title={<span style={{ fontSize: FIELD_FONT.body }}>刷新失败：{error}</span>}
      description={<span style={{ fontSize: FIELD_FONT.body }}>下面是上次加载的任务。</span>}
    />
  );

  if (!data.visitor) {
    return (
      <div
        data-testid="field-worklist"
        style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
      >
        <Greeting data={data} />
        {failure}
        <Notice
          testId="worklist-no-visitor"
          title="尚未关联探访人员"
          text="您的账号尚未关联探访人员，请联系村(居)委会。"
          action={refreshBar}
        />
      </div>
    );
  }

  const groups = WORKLIST_BUCKETS.map((bucket) => ({
    bucket,
    items: data.items.filter((i) => i.bucket === bucket),
  })).filter((g) => g.items.length > 0);

  return (
    <div data-testid="field-worklist" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Greeting data={data} />
      {failure}
      <CountTiles counts={data.counts} />
      {refreshBar}
      {data.withoutPolicy > 0 && (
        <Alert
          type="warning"
          showIcon
          title={
            <span style={{ fontSize: FIELD_FONT.body }}>
              您负责的老人中有 {data.withoutPolicy} 位所在地尚未设置探访规则，请联系乡镇(街道)。
            </span>
          }
        />
      )}
      {groups.length === 0 ? (
        data.elders === 0 ? (
          <Notice
            testId="worklist-empty"
            title="还没有分配给您的老人"
            text="村(居)委会或乡镇(街道)为您分配探访对象后，名单会显示在这里。"
          />
        ) : (
          <Notice
            testId="worklist-empty"
            icon={<CheckCircleFilled style={{ fontSize: 48, color: '#389e0d' }} />}
            title="本期探访已全部完成"
            text={`您负责的 ${data.elders} 位老人目前都没有待办的探访，辛苦了！`}
          />
        )
      ) : (
        groups.map((g) => (
          <BucketSection key={g.bucket} bucket={g.bucket} items={g.items} today={data.today} />
        ))
      )}
    </div>
  );
}
