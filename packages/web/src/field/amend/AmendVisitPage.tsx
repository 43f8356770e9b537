import {
  ClockCircleOutlined,
  HistoryOutlined,
  LeftOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  versionChanges,
  type AmendableVisitDto,
  type AnswerIssue,
  type Answers,
  type FormTemplate,
  type VisitAmendmentInput,
  type VisitMethod,
  type VisitVersion,
} from '@tanfang/domain';
import { Alert, App, Button, Card, Input, Skeleton } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api';
import { VisitFormRenderer } from '../../components/visitForm/VisitFormRenderer';
import { formLevelIssues, setSignature } from '../../components/visitForm/formModel';
import { chinaInstant } from '../../lib/format';
import { attachmentUrl, visitsApi } from '../../pages/visits/visitsApi';
import { FIELD_FONT } from '../fieldUi';
import { useTemplate } from '../visit/useTemplate';
import { EmergencySwitch, MethodPicker } from '../visit/VisitRecordPage';
import {
  AmendedTag,
  FieldChanges,
  RECENT_VISITS_PATH,
  visitHistoryPath,
  visitTimeWords,
} from './amendParts';
import {
  OFFLINE_MESSAGE,
  amendIssues,
  placeAmendFailure,
  wallClockInput,
  type AmendField,
  type AmendProblems,
} from './amendRules';
import { OfflineNotice } from './RecentVisitsPage';
import { useRecentVisits } from './recentVisitsStore';
import { useOnline } from './useOnline';

const BIG = { minHeight: 48, fontSize: FIELD_FONT.body } as const;
const ERROR_RED = '#cf1322';

/** A block of the page around the form (探访时间, 更正原因, 本次更正), red when it has a problem. */
function Block({
  title,
  required,
  issue,
  testId,
  children,
}: {
  title: string;
  required?: boolean;
  issue?: string | undefined;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section
      data-testid={testId}
      data-issue={issue ? 'true' : undefined}
      style={{
        background: issue ? '#fff1f0' : '#fff',
        border: `${issue ? 2 : 1}px solid ${issue ? '#ff7875' : '#e8e8e8'}`,
        borderRadius: 10,
        padding: 14,
        display: 'flex',
        flexDirection: 'column',
        gap: 10,
        scrollMarginTop: 72,
      }}
    >
      <span style={{ fontSize: 20, fontWeight: 700 }}>
        {required && (
          <span aria-hidden style={{ color: ERROR_RED, marginInlineEnd: 4 }}>
            *
          </span>
        )}
        {title}
      </span>
      {children}
      {issue && (
        <div role="alert" style={{ color: ERROR_RED, fontSize: FIELD_FONT.body - 1 }}>
          {issue}
        </div>
      )}
    </section>
  );
}

/** The problem that stops a correction, above 提交更正 (with a way out when there is one). */
function FormProblem({
  problem,
  onReload,
}: {
  problem: { message: string; kind: AmendProblems['kind'] };
  onReload: () => void;
}) {
  const title =
    problem.kind === 'offline'
      ? '更正未提交：手机没有网络'
      : problem.kind === 'stale'
        ? '这条记录已被他人更正'
        : problem.kind === 'closed'
          ? '已超过更正期限'
          : '更正未提交';
  return (
    <Alert
      type={problem.kind === 'offline' ? 'warning' : 'error'}
      showIcon
      data-testid="amend-error"
      title={<span style={{ fontSize: FIELD_FONT.body, fontWeight: 700 }}>{title}</span>}
      description={
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
          <span style={{ fontSize: FIELD_FONT.body }}>{problem.message}</span>
          {problem.kind === 'stale' && (
            <Button
              icon={<ReloadOutlined />}
              onClick={onReload}
              style={{ ...BIG, alignSelf: 'flex-start' }}
              data-testid="amend-reload"
            >
              载入最新版本
            </Button>
          )}
        </div>
      }
    />
  );
}

/**
 * The correction of one visit: its own form prefilled with the current version, the time, method
 * and 紧急情况, a required reason, and 本次更正 (old → new) before 提交更正. Sent at once, never
 * queued: without signal it says so and keeps what was typed.
 */
function AmendEditor({
  visit,
  template,
  reason,
  onReason,
}: {
  visit: AmendableVisitDto;
  template: FormTemplate;
  /** Kept by the page, so a reload of a newer version keeps the reason typed. */
  reason: string;
  onReason: (reason: string) => void;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const online = useOnline();
  const { refresh, replace } = useRecentVisits();

  const [visitedIso, setVisitedIso] = useState(visit.visitedAt);
  const [method, setMethod] = useState<VisitMethod>(visit.method);
  const [answers, setAnswers] = useState<Answers>(visit.answers);
  const [emergency, setEmergency] = useState(visit.emergency);
  const [emergencyNote, setEmergencyNote] = useState(visit.emergencyNote ?? '');
  const [issues, setIssues] = useState<AnswerIssue[]>([]);
  const [fields, setFields] = useState<Partial<Record<AmendField, string>>>({});
  const [problem, setProblem] = useState<{ message: string; kind: AmendProblems['kind'] } | null>(
    null,
  );
  const [saving, setSaving] = useState(false);

  const signatureImages = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(answers).flatMap(([k, a]) =>
          'signature' in a ? [[k, attachmentUrl(a.signature)]] : [],
        ),
      ),
    [answers],
  );
  const note = emergency ? emergencyNote.trim() : '';
  const before: VisitVersion = useMemo(
    () => ({
      visitedAt: visit.visitedAt,
      method: visit.method,
      answers: visit.answers,
      emergency: visit.emergency,
      emergencyNote: visit.emergencyNote,
    }),
    [visit],
  );
  const changes = versionChanges(template, visit.checklist, before, {
    visitedAt: visitedIso,
    method,
    answers,
    emergency,
    emergencyNote: note || null,
  });

  const clearField = (f: AmendField) =>
    setFields(({ [f]: _gone, ...rest }) => rest as Partial<Record<AmendField, string>>);
  const changeAnswers = (a: Answers) => {
    setAnswers(a);
    // Once the visitor has tried to submit, problems clear as they are fixed.
    if (issues.length > 0)
      setIssues(
        amendIssues({ visitedAt: visitedIso, reason, answers: a }, template, visit.checklist).items,
      );
  };
  /** A signature stays as it was signed: it may be removed, not replaced. */
  const onSignature = (itemKey: string, png: Blob | null) => {
    if (png) message.warning('更正时不能更换签字，原有签字保留');
    else changeAnswers(setSignature(answers, itemKey, null));
  };

  const scrollToProblem = () =>
    requestAnimationFrame(() =>
      document
        .querySelector('[data-testid="amend-error"]')
        ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
    );
  const scrollToIssue = () =>
    requestAnimationFrame(() =>
      document
        .querySelector('[data-issue="true"]')
        ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
    );

  const submit = async () => {
    if (saving) return;
    const found = amendIssues(
      { visitedAt: visitedIso, reason, answers },
      template,
      visit.checklist,
    );
    setFields(found.fields);
    setIssues(found.items);
    setProblem(null);
    const count = Object.keys(found.fields).length + found.items.length;
    if (count > 0) {
      message.error(`还有 ${count} 处需要填写或修改`);
      scrollToIssue();
      return;
    }
    // Corrections are not queued: the server checks them against the version now stored.
    if (!online || navigator.onLine === false) {
      setProblem({ message: OFFLINE_MESSAGE, kind: 'offline' });
      scrollToProblem();
      return;
    }
    const body: VisitAmendmentInput = {
      revision: visit.revision,
      visitedAt: visitedIso,
      method,
      answers,
      emergency,
      ...(note ? { emergencyNote: note } : {}),
      reason: reason.trim(),
    };
    setSaving(true);
    try {
      const saved = await visitsApi.amend(visit.id, body);
      message.destroy();
      message.success(`${visit.elderName}的探访记录已更正（第 ${saved.revision} 版）`);
      if (location.key !== 'default') navigate(-1);
      else navigate(RECENT_VISITS_PATH, { replace: true });
      replace(saved);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setProblem({ message: e instanceof Error ? e.message : '更正失败，请重试', kind: 'other' });
        return;
      }
      const placed = placeAmendFailure(e);
      setFields(placed.fields);
      setIssues(placed.items);
      setProblem(placed.form ? { message: placed.form, kind: placed.kind } : null);
      if (placed.kind === 'closed') refresh();
      if (Object.keys(placed.fields).length + placed.items.length > 0) scrollToIssue();
      else if (placed.form) scrollToProblem();
    } finally {
      setSaving(false);
    }
  };

  const pageIssues = formLevelIssues(issues);
  const timeValue = wallClockInput(visitedIso);

  return (
    <div data-testid="amend-page" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Card styles={{ body: { padding: 14 } }} data-testid="amend-header">
        <h1 style={{ margin: 0, fontSize: FIELD_FONT.hero, lineHeight: 1.3 }}>
          更正 {visit.elderName}的探访
        </h1>
        <div style={{ fontSize: FIELD_FONT.body, color: '#434343', margin: '4px 0 8px' }}>
          {visitTimeWords(visit.visitedAt)} · {template.name}
        </div>
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          {visit.revision > 1 ? (
            <AmendedTag revision={visit.revision} />
          ) : (
            <span style={{ fontSize: FIELD_FONT.body, color: '#434343' }}>尚未更正过</span>
          )}
        </div>
        <div
          style={{ fontSize: FIELD_FONT.body, color: '#874d00', marginTop: 8, lineHeight: 1.5 }}
          data-testid="amend-until"
        >
          <ClockCircleOutlined /> 可更正至 {visitTimeWords(visit.amendableUntil)}
          。更正后原内容保留在“修改记录”中。
        </div>
        {visit.revision > 1 && (
          <Button
            icon={<HistoryOutlined />}
            onClick={() => navigate(visitHistoryPath(visit.id))}
            style={{ ...BIG, marginTop: 10 }}
            data-testid="amend-history"
          >
            修改记录（{visit.revision - 1} 次更正）
          </Button>
        )}
      </Card>

      {!online && <OfflineNotice />}

      <Block
        title="探访时间（北京时间）"
        required
        issue={fields.visitedAt}
        testId="amend-visited-at"
      >
        <input
          type="datetime-local"
          aria-label="探访时间"
          value={timeValue}
          max={wallClockInput(new Date().toISOString())}
          onChange={(e) => {
            const v = e.target.value;
            if (!v) return;
            // The same minute keeps the stored instant (the record has seconds, the input not).
            setVisitedIso(
              v === wallClockInput(visit.visitedAt) ? visit.visitedAt : chinaInstant(v),
            );
            clearField('visitedAt');
          }}
          style={{
            minHeight: 48,
            fontSize: FIELD_FONT.body,
            padding: '6px 10px',
            borderRadius: 8,
            border: '1px solid #bfbfbf',
            fontFamily: 'inherit',
            background: '#fff',
            color: '#1f1f1f',
            width: '100%',
            boxSizing: 'border-box',
          }}
        />
        <div style={{ fontSize: 15, color: '#595959' }} data-testid="amend-visited-at-words">
          {visitTimeWords(visitedIso)}
        </div>
      </Block>

      <MethodPicker
        template={template}
        value={method}
        onChange={(m) => {
          setMethod(m);
          clearField('method');
        }}
        tasks={[]}
        issue={fields.method}
      />

      <VisitFormRenderer
        template={template}
        checklist={visit.checklist}
        value={answers}
        onChange={changeAnswers}
        issues={issues}
        variant="field"
        signatureImages={signatureImages}
        onSignature={onSignature}
      />

      <EmergencySwitch
        on={emergency}
        note={emergencyNote}
        onToggle={() => setEmergency((e) => !e)}
        onNote={setEmergencyNote}
      />

      <Block title="更正原因" required issue={fields.reason} testId="amend-reason">
        <Input.TextArea
          aria-label="更正原因"
          placeholder="如：按纸质记录表核对，燃气安全录入有误"
          value={reason}
          maxLength={200}
          showCount
          autoSize={{ minRows: 2, maxRows: 5 }}
          // The count sits under the box: room for it inside the block.
          style={{ fontSize: FIELD_FONT.body, marginBottom: 20 }}
          onChange={(e) => {
            onReason(e.target.value);
            clearField('reason');
          }}
        />
      </Block>

      <Block title={`本次更正（${changes.length} 项）`} testId="amend-changes">
        {changes.length > 0 ? (
          <FieldChanges changes={changes} />
        ) : (
          <div style={{ fontSize: FIELD_FONT.body, color: '#595959' }}>
            尚未修改任何内容。请改动需要更正的项目。
          </div>
        )}
      </Block>

      {pageIssues.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={
            <span style={{ fontSize: FIELD_FONT.body }}>
              {pageIssues.map((i) => i.message).join('；')}
            </span>
          }
        />
      )}
      {problem && <FormProblem problem={problem} onReload={refresh} />}

      <div
        style={{
          position: 'sticky',
          bottom: 0,
          margin: '0 -12px -12px',
          padding: '10px 12px calc(10px + env(safe-area-inset-bottom))',
          background: '#fff',
          boxShadow: '0 -2px 8px rgba(0,0,0,0.12)',
          display: 'flex',
          flexDirection: 'column',
          gap: 6,
          zIndex: 5,
        }}
      >
        <div data-testid="amend-summary" style={{ fontSize: 15, color: '#434343' }}>
          {changes.length === 0
            ? '尚未修改任何内容'
            : `更正 ${changes.length} 项：${changes.map((c) => c.label).join('、')}`}
        </div>
        {!online && (
          <div
            role="status"
            data-testid="amend-offline-bar"
            style={{ fontSize: FIELD_FONT.body, fontWeight: 700, color: '#ad4e00' }}
          >
            手机没有网络，请在有网络时更正（已填写的内容保留在本页）
          </div>
        )}
        <Button
          type="primary"
          block
          loading={saving}
          disabled={changes.length === 0}
          onClick={() => void submit()}
          style={{ minHeight: 56, fontSize: 20, fontWeight: 700 }}
          data-testid="amend-submit"
        >
          提交更正
        </Button>
      </div>
    </div>
  );
}

/** The visit's own form (the version it was made with), then the editor. */
function WithTemplate(props: {
  visit: AmendableVisitDto;
  reason: string;
  onReason: (reason: string) => void;
}) {
  const state = useTemplate(props.visit.template.key, props.visit.template.version);
  if (state.status === 'loading')
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  if (state.status === 'error')
    return (
      <Problem
        title="探访记录表加载失败"
        text={`${state.message}。请在有网络时更正。`}
        testId="amend-problem"
      />
    );
  return <AmendEditor {...props} template={state.template} />;
}

/** A notice in large type where the page cannot be shown. */
export function Problem({
  title,
  text,
  action,
  testId,
}: {
  title: string;
  text: string;
  action?: ReactNode;
  testId: string;
}) {
  return (
    <Card styles={{ body: { textAlign: 'center' } }} data-testid={testId}>
      <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, marginBottom: 8 }}>{title}</div>
      <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>{text}</div>
      {action && <div style={{ marginTop: 12 }}>{action}</div>}
    </Card>
  );
}

/**
 * A visit of 最近提交 as its page needs it: from the list held by the app (loaded if it is not),
 * or why it cannot be had — not loaded for want of signal, or no longer one the user may correct.
 */
export function RecentVisitFrame({ render }: { render: (visit: AmendableVisitDto) => ReactNode }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { items, loading, error, refresh } = useRecentVisits();

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [id]);

  const back = () =>
    location.key !== 'default' ? navigate(-1) : navigate(RECENT_VISITS_PATH, { replace: true });
  const visit = items?.find((v) => v.id === id);

  let body: ReactNode;
  if (visit) body = render(visit);
  else if (items === null && loading)
    body = (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  else if (items === null)
    body = (
      <Problem
        testId="amend-problem"
        title={error?.offline ? '手机没有网络' : '加载失败'}
        text={error?.offline ? '更正需要联网，请在有网络时更正。' : (error?.message ?? '')}
        action={
          <Button type="primary" icon={<ReloadOutlined />} onClick={refresh} style={BIG}>
            重新加载
          </Button>
        }
      />
    );
  else
    body = (
      <Problem
        testId="amend-problem"
        title="这条记录已不能更正"
        text="已超过录入后的更正期限，或不是您录入的记录。如需更正，请联系村（居）工作人员。"
        action={
          <Button onClick={() => navigate(RECENT_VISITS_PATH, { replace: true })} style={BIG}>
            查看最近提交
          </Button>
        }
      />
    );

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Button
        icon={<LeftOutlined />}
        onClick={back}
        style={{ ...BIG, alignSelf: 'flex-start' }}
        data-testid="amend-back"
      >
        返回
      </Button>
      {body}
    </div>
  );
}

/** `/m/visits/:id/amend` 更正: corrects one of the user's recent visits. */
export function AmendVisitPage() {
  // The reason outlives a reload of a newer version of the visit (the editor starts afresh).
  const [reason, setReason] = useState('');
  return (
    <RecentVisitFrame
      render={(visit) => (
        <WithTemplate
          key={`${visit.id}@${visit.revision}`}
          visit={visit}
          reason={reason}
          onReason={setReason}
        />
      )}
    />
  );
}
