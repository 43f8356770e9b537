import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  versionChanges,
  type AmendableVisitDto,
  type FormTemplate,
  type VisitRevisionDto,
  type VisitVersion,
} from '@tanfang/domain';
import { Button, Card, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api';
import { visitsApi } from '../../pages/visits/visitsApi';
import { FIELD_FONT } from '../fieldUi';
import { useTemplate } from '../visit/useTemplate';
import { AmendedTag, FieldChanges, amendVisitPath, visitTimeWords } from './amendParts';
import { Problem, RecentVisitFrame } from './AmendVisitPage';

const BIG = { minHeight: 48, fontSize: FIELD_FONT.body } as const;

function versionOf(v: AmendableVisitDto | VisitRevisionDto): VisitVersion {
  return {
    visitedAt: v.visitedAt,
    method: v.method,
    answers: v.answers,
    emergency: v.emergency,
    emergencyNote: v.emergencyNote,
  };
}

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; items: VisitRevisionDto[] };

/** The earlier versions of a visit, loaded when the page opens (修改记录 needs the network). */
function useRevisions(visitId: string, revision: number): [Loaded, () => void] {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [again, setAgain] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    visitsApi.revisions(visitId).then(
      ({ items }) => !cancelled && setLoaded({ state: 'ready', items }),
      (e: unknown) => !cancelled && setLoaded({ state: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [visitId, revision, again]);
  return [loaded, () => setAgain((n) => n + 1)];
}

/** 修改记录 of one visit: each correction, newest first — when, by whom, why, and old → new. */
function History({
  visit,
  template,
}: {
  visit: AmendableVisitDto;
  template: FormTemplate | undefined;
}) {
  const navigate = useNavigate();
  const [loaded, reload] = useRevisions(visit.id, visit.revision);

  let body;
  if (loaded.state === 'loading')
    body = (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  else if (loaded.state === 'error')
    body = (
      <Problem
        testId="history-problem"
        title="修改记录加载失败"
        text={`${loaded.message}。修改记录需要联网查看。`}
        action={
          <Button type="primary" icon={<ReloadOutlined />} onClick={reload} style={BIG}>
            重新加载
          </Button>
        }
      />
    );
  else {
    const earlier = loaded.items;
    const versions = [...earlier.map(versionOf), versionOf(visit)];
    body = (
      <>
        {earlier.length === 0 && (
          <Card>
            <div style={{ fontSize: FIELD_FONT.body }}>这条探访记录没有被更正过。</div>
          </Card>
        )}
        {earlier
          .map((r, i) => (
            <Card key={r.revision} data-testid="visit-revision" styles={{ body: { padding: 14 } }}>
              <div style={{ fontSize: FIELD_FONT.large, fontWeight: 700 }}>
                第 {r.revision} 版 → 第 {r.revision + 1} 版
              </div>
              <div style={{ fontSize: FIELD_FONT.body, color: '#434343', margin: '4px 0' }}>
                {visitTimeWords(r.amendedAt)} · {r.amendedBy?.name ?? '—'} 更正
              </div>
              <div style={{ fontSize: FIELD_FONT.body, lineHeight: 1.5 }}>更正原因：{r.reason}</div>
              <FieldChanges
                changes={versionChanges(template, visit.checklist, versions[i]!, versions[i + 1]!)}
              />
            </Card>
          ))
          .reverse()}
        <div style={{ fontSize: FIELD_FONT.body, color: '#595959', padding: '0 4px' }}>
          第 1 版 · {visitTimeWords(visit.enteredAt)} 录入
          {earlier[0]?.visitor ? `（探访人员：${earlier[0].visitor.name}）` : ''}
        </div>
      </>
    );
  }

  return (
    <div data-testid="visit-history" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Card styles={{ body: { padding: 14 } }}>
        <h1 style={{ margin: 0, fontSize: FIELD_FONT.hero, lineHeight: 1.3 }}>修改记录</h1>
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', margin: '4px 0 8px' }}>
          {visit.elderName} · {visitTimeWords(visit.visitedAt)} 的探访
        </div>
        {visit.revision > 1 && <AmendedTag revision={visit.revision} />}
        {!template && (
          <div style={{ fontSize: 15, color: '#874d00', marginTop: 8 }}>
            探访记录表未能载入，项目以代码显示。
          </div>
        )}
      </Card>
      {body}
      <Button
        type="primary"
        icon={<EditOutlined />}
        onClick={() => navigate(amendVisitPath(visit.id), { replace: true })}
        style={BIG}
        data-testid="history-amend"
      >
        再次更正
      </Button>
    </div>
  );
}

/** The visit's form, for the items' labels (shown by their keys when it cannot be had). */
function WithTemplate({ visit }: { visit: AmendableVisitDto }) {
  const state = useTemplate(visit.template.key, visit.template.version);
  if (state.status === 'loading')
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  return <History visit={visit} template={state.status === 'ready' ? state.template : undefined} />;
}

/** `/m/visits/:id/history` 修改记录: the earlier versions of one of the user's recent visits. */
export function VisitHistoryPage() {
  return <RecentVisitFrame render={(visit) => <WithTemplate key={visit.id} visit={visit} />} />;
}
