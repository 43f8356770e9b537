import {
  AlertFilled,
  CameraOutlined,
  CheckOutlined,
  CloseOutlined,
  EnvironmentOutlined,
  LeftOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  prefilledAnswers,
  uuidv7,
  type AnswerIssue,
  type Answers,
  type ChecklistItem,
  type FormTemplate,
  type VisitLocation,
  type VisitMethod,
} from '@tanfang/domain';
import { Alert, App, Button, Card, Input, Skeleton } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { VisitFormRenderer } from '../../components/visitForm/VisitFormRenderer';
import { changedKeys, formLevelIssues, setSignature } from '../../components/visitForm/formModel';
import { FIELD_APP_PATH } from '../../lib/routes';
import { methodWords } from '../../pages/worklist/worklistText';
import { FIELD_FONT } from '../fieldUi';
import { useVisitorWorklist } from '../worklistStore';
import { draftHasContent, draftTimeWords, type VisitDraft } from './draftRules';
import { useDrafts, type DraftContent } from './draftStore';
import { useOutbox } from './outboxStore';
import type { OutboxAttachment, OutboxVisit } from './outboxTypes';
import { compressPhoto, PHOTO_MAX_COUNT, sizeWords } from './photos';
import { useVisitPosition, type PositionState } from './useGeolocation';
import { useTemplate } from './useTemplate';
import { visitApi } from './visitApi';
import {
  planVisit,
  previousAnswers,
  tasksNotCounted,
  visitIssues,
  type PlannedTask,
} from './visitPlan';

/** Where the visit page of an elder is (`queuedId`: reopen a visit of the outbox to correct it). */
export function fieldVisitPath(elderId: string, queuedId?: string): string {
  const base = `${FIELD_APP_PATH}/elders/${encodeURIComponent(elderId)}/visit`;
  return queuedId ? `${base}?queued=${encodeURIComponent(queuedId)}` : base;
}

/** How long the form waits after a change before saving its draft. */
const DRAFT_SAVE_DELAY_MS = 700;

const BIG = { minHeight: 48, fontSize: FIELD_FONT.body } as const;

/** A photo or signature image held by the form (its id is the attachment's). */
interface HeldImage {
  id: string;
  blob: Blob;
  url: string;
}

/** What the form starts from: a new visit, a restored draft, or a queued visit to correct. */
interface EditorSource {
  elderId: string;
  elderName: string;
  template: FormTemplate;
  checklist: ChecklistItem[];
  tasks: PlannedTask[];
  /** A visit of the outbox the server refused, reopened to correct (the outbox keeps it). */
  queued: OutboxVisit | null;
  /** The draft this form continues (a new visit keeps a draft as it is filled in). */
  saved: VisitDraft | null;
  /** The visitor gave up the draft: start afresh. */
  onDraftDiscarded?: () => void;
}

function PositionLine({ position }: { position: PositionState }) {
  const colour =
    position.state === 'located'
      ? '#135200'
      : position.state === 'locating'
        ? '#434343'
        : '#874d00';
  const words =
    position.state === 'locating'
      ? '定位中…'
      : position.state === 'located'
        ? `已定位（±${Math.max(1, Math.round(position.location.accuracy))} 米）`
        : `无法定位，不影响提交（${position.reason}）`;
  return (
    <div data-testid="visit-position" style={{ fontSize: FIELD_FONT.body, color: colour }}>
      <EnvironmentOutlined /> {words}
    </div>
  );
}

function Block({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section
      data-testid={testId}
      style={{
        background: '#fff',
        border: '1px solid #e8e8e8',
        borderRadius: 10,
        padding: 14,
        display: 'flex',
        flexDirection: 'column',
        gap: 10,
      }}
    >
      <span style={{ fontSize: 20, fontWeight: 700 }}>{title}</span>
      {children}
    </section>
  );
}

/** The method buttons, in the template's own words (上门探访, 电话问候 …); also used by 更正. */
export function MethodPicker({
  template,
  value,
  onChange,
  tasks,
  issue,
}: {
  template: FormTemplate;
  value: VisitMethod | null;
  onChange: (m: VisitMethod) => void;
  tasks: PlannedTask[];
  issue: string | undefined;
}) {
  const notCounted = value ? tasksNotCounted(tasks, value) : [];
  return (
    <section
      data-testid="visit-method"
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
      <span style={{ fontSize: 20, fontWeight: 700 }}>探访方式</span>
      <div
        role="radiogroup"
        aria-label="探访方式"
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}
      >
        {template.methods.map((m) => {
          const selected = value === m.value;
          return (
            <button
              key={m.value}
              type="button"
              role="radio"
              aria-checked={selected}
              onClick={() => onChange(m.value)}
              style={{
                minHeight: 56,
                padding: '4px 8px',
                fontSize: m.label.length > 6 ? 16 : 19,
                fontWeight: selected ? 700 : 500,
                borderRadius: 10,
                border: `2px solid ${selected ? '#1677ff' : '#bfbfbf'}`,
                background: selected ? '#1677ff' : '#fff',
                color: selected ? '#fff' : '#1f1f1f',
                cursor: 'pointer',
                fontFamily: 'inherit',
                lineHeight: 1.25,
              }}
            >
              {selected && <CheckOutlined style={{ marginInlineEnd: 4 }} />}
              {m.label}
            </button>
          );
        })}
      </div>
      {notCounted.map((t) => (
        <div key={t.name} style={{ fontSize: FIELD_FONT.body, color: '#874d00' }}>
          这种方式可以记录，但不计入{t.name}（须{methodWords(t.countedMethods)}）。
        </div>
      ))}
      {issue && (
        <div role="alert" style={{ color: '#cf1322', fontSize: FIELD_FONT.body - 1 }}>
          {issue}
        </div>
      )}
    </section>
  );
}

/** The 紧急情况 switch: red, with a note; turning it on says who is alerted. Also used by 更正. */
export function EmergencySwitch({
  on,
  note,
  onToggle,
  onNote,
}: {
  on: boolean;
  note: string;
  onToggle: () => void;
  onNote: (v: string) => void;
}) {
  return (
    <section
      data-testid="visit-emergency"
      style={{
        background: on ? '#fff1f0' : '#fff',
        border: `2px solid ${on ? '#cf1322' : '#ffa39e'}`,
        borderRadius: 10,
        padding: 14,
        display: 'flex',
        flexDirection: 'column',
        gap: 10,
      }}
    >
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label="紧急情况"
        onClick={onToggle}
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          minHeight: 48,
          padding: 0,
          background: 'none',
          border: 'none',
          cursor: 'pointer',
          textAlign: 'start',
          fontFamily: 'inherit',
        }}
      >
        <AlertFilled style={{ fontSize: 24, color: '#cf1322' }} />
        <span style={{ flex: 1, fontSize: 20, fontWeight: 700, color: '#a8071a' }}>紧急情况</span>
        <span
          aria-hidden
          style={{
            width: 64,
            height: 34,
            borderRadius: 17,
            background: on ? '#cf1322' : '#bfbfbf',
            position: 'relative',
            flex: 'none',
            transition: 'background 0.2s',
          }}
        >
          <span
            style={{
              position: 'absolute',
              top: 3,
              left: on ? 33 : 3,
              width: 28,
              height: 28,
              borderRadius: 14,
              background: '#fff',
              transition: 'left 0.2s',
            }}
          />
        </span>
      </button>
      <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.5 }}>
        {on
          ? '提交后立即通知村（居）和乡镇（街道）工作人员。情况危急请先拨打 120 / 110。'
          : '老人有危险（突发疾病、无人照料、房屋险情等）时打开，提交后立即通知村（居）和乡镇（街道）。'}
      </div>
      {on && (
        <Input.TextArea
          aria-label="紧急情况说明"
          placeholder="请简要说明情况，如：老人摔倒在家，无法起身"
          value={note}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 5 }}
          style={{ fontSize: FIELD_FONT.body }}
          onChange={(e) => onNote(e.target.value)}
        />
      )}
    </section>
  );
}

/** Photos: taken or chosen, compressed on the phone, shown with their size. */
function PhotoPicker({
  photos,
  onAdd,
  onRemove,
}: {
  photos: HeldImage[];
  onAdd: (files: File[]) => Promise<void>;
  onRemove: (id: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const total = photos.reduce((n, p) => n + p.blob.size, 0);
  return (
    <Block title="现场照片（选填）" testId="visit-photos">
      {photos.length > 0 && (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }}>
          {photos.map((p) => (
            <figure
              key={p.id}
              data-testid="visit-photo"
              style={{ margin: 0, position: 'relative' }}
            >
              <img
                src={p.url}
                alt="现场照片"
                style={{
                  width: '100%',
                  aspectRatio: '1',
                  objectFit: 'cover',
                  borderRadius: 8,
                  display: 'block',
                }}
              />
              <figcaption style={{ fontSize: 15, color: '#434343', textAlign: 'center' }}>
                {sizeWords(p.blob.size)}
              </figcaption>
              <Button
                shape="circle"
                icon={<CloseOutlined />}
                aria-label="删除这张照片"
                onClick={() => onRemove(p.id)}
                style={{ position: 'absolute', top: 4, right: 4, width: 40, height: 40 }}
              />
            </figure>
          ))}
        </div>
      )}
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        hidden
        data-testid="photo-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length === 0) return;
          setBusy(true);
          void onAdd(files).finally(() => setBusy(false));
        }}
      />
      <Button
        icon={<CameraOutlined />}
        style={BIG}
        loading={busy}
        disabled={photos.length >= PHOTO_MAX_COUNT}
        onClick={() => input.current?.click()}
      >
        {busy ? '正在压缩照片…' : photos.length > 0 ? '再拍一张' : '拍照或选择照片'}
      </Button>
      <div style={{ fontSize: 15, color: '#595959' }}>
        {photos.length > 0
          ? `共 ${photos.length} 张，压缩后 ${sizeWords(total)}；最多 ${PHOTO_MAX_COUNT} 张`
          : `照片在手机上压缩后上传，最多 ${PHOTO_MAX_COUNT} 张`}
      </div>
    </Block>
  );
}

/** Object URLs made by the form, revoked when it closes. */
function useObjectUrls() {
  const urls = useRef<string[]>([]);
  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );
  return (blob: Blob) => {
    const u = URL.createObjectURL(blob);
    urls.current.push(u);
    return u;
  };
}

function initialIssues(queued: OutboxVisit | null): AnswerIssue[] {
  const r = queued?.rejection;
  if (!r) return [];
  if (r.details.length > 0) return r.details;
  return [{ field: r.field ?? 'visit', message: r.message }];
}

/** The images a form starts with: a queued visit's attachments, or a draft's. */
function initialImages(source: EditorSource, heldOf: (id: string, blob: Blob) => HeldImage) {
  const photos: HeldImage[] = [];
  const signatures: Record<string, HeldImage> = {};
  if (source.queued) {
    for (const a of source.queued.attachments) {
      if (a.kind === 'photo') photos.push(heldOf(a.id, a.blob));
      else if (a.itemKey) signatures[a.itemKey] = heldOf(a.id, a.blob);
    }
  } else if (source.saved) {
    for (const p of source.saved.photos) photos.push(heldOf(p.id, p.blob));
    for (const g of source.saved.signatures) signatures[g.itemKey] = heldOf(g.id, g.blob);
  }
  return { photos, signatures };
}

/** The state of the form's draft, for the line above 提交. */
type DraftStatus = { state: 'none' } | { state: 'saving' } | { state: 'saved'; at: string };

/** The visit form of one elder: position, method, the template's items, photos, emergency. */
function VisitEditor({ source: initialSource }: { source: EditorSource }) {
  // What the form started from does not change while it is open.
  const [source] = useState(initialSource);
  const { template, checklist, queued, saved, elderId } = source;
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const outbox = useOutbox();
  const drafts = useDrafts();
  const objectUrl = useObjectUrls();
  const livePosition = useVisitPosition();

  const [visitId] = useState(() => queued?.id ?? saved?.visitId ?? uuidv7());
  const [visitedAt] = useState(
    () => queued?.body.visitedAt ?? saved?.visitedAt ?? new Date().toISOString(),
  );
  const [method, setMethod] = useState<VisitMethod | null>(
    queued?.body.method ?? saved?.method ?? null,
  );
  const [answers, setAnswers] = useState<Answers>(
    () => queued?.body.answers ?? saved?.answers ?? prefilledAnswers(template),
  );
  const [issues, setIssues] = useState<AnswerIssue[]>(() => initialIssues(queued));
  const [emergency, setEmergency] = useState(queued?.body.emergency ?? saved?.emergency ?? false);
  const [emergencyNote, setEmergencyNote] = useState(
    queued?.body.emergencyNote ?? saved?.emergencyNote ?? '',
  );
  const [images] = useState(() =>
    initialImages(source, (id, blob) => ({ id, blob, url: objectUrl(blob) })),
  );
  const [photos, setPhotos] = useState<HeldImage[]>(images.photos);
  const [signatures, setSignatures] = useState<Record<string, HeldImage>>(images.signatures);
  const [previous, setPrevious] = useState<Answers | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  // The position of a visit already begun is the one captured when it began.
  const startLocation = queued?.body.location ?? saved?.location;
  const position: PositionState = startLocation
    ? { state: 'located', location: startLocation }
    : livePosition;
  const location: VisitLocation | undefined =
    position.state === 'located' ? position.location : undefined;

  useEffect(() => {
    let cancelled = false;
    visitApi.elderVisits(elderId).then(
      ({ items }) => {
        const p = previousAnswers(
          items.filter((v) => v.id !== visitId),
          template.key,
        );
        if (!cancelled && p) setPrevious(p);
      },
      // Offline or not allowed: the form works without hints.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [elderId, template.key, visitId]);

  // The draft: saved a moment after each change, and at once when the page is left or hidden.
  // A queued visit being corrected keeps no draft (the outbox holds it).
  const keepsDraft = queued === null;
  const [draftStatus, setDraftStatus] = useState<DraftStatus>(() =>
    saved ? { state: 'saved', at: saved.savedAt } : { state: 'none' },
  );
  const hasDraft = useRef(saved !== null);
  const firstRun = useRef(true);
  const closed = useRef(false);
  const pending = useRef<DraftContent | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { save: saveDraft, settled: draftSettled } = drafts;

  const flushDraft = useCallback(() => {
    clearTimeout(timer.current);
    const content = pending.current;
    pending.current = null;
    if (!content || closed.current) return;
    saveDraft(content).then(
      (at) => {
        if (!pending.current && !closed.current) setDraftStatus({ state: 'saved', at });
      },
      () => {
        if (!closed.current) setDraftStatus({ state: 'none' });
      },
    );
  }, [saveDraft]);

  useEffect(() => {
    if (!keepsDraft || closed.current) return;
    // A restored draft is already saved as it opens.
    const restoring = firstRun.current && saved !== null;
    firstRun.current = false;
    if (restoring) return;
    const content: DraftContent = {
      elderId,
      elderName: source.elderName,
      visitId,
      visitedAt,
      template: { key: template.key, version: template.version },
      checklist,
      tasks: source.tasks,
      method,
      answers,
      emergency,
      emergencyNote,
      ...(location ? { location } : {}),
      photos: photos.map((p) => ({ id: p.id, blob: p.blob })),
      signatures: Object.entries(signatures).map(([itemKey, g]) => ({
        itemKey,
        id: g.id,
        blob: g.blob,
      })),
    };
    // A form only opened and left is no draft; once there is one, it follows every change.
    if (!hasDraft.current && !draftHasContent(template, content)) return;
    hasDraft.current = true;
    pending.current = content;
    setDraftStatus({ state: 'saving' });
    clearTimeout(timer.current);
    timer.current = setTimeout(flushDraft, DRAFT_SAVE_DELAY_MS);
  }, [
    keepsDraft,
    saved,
    elderId,
    source.elderName,
    source.tasks,
    visitId,
    visitedAt,
    template,
    checklist,
    method,
    answers,
    emergency,
    emergencyNote,
    location,
    photos,
    signatures,
    flushDraft,
  ]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') flushDraft();
    };
    window.addEventListener('pagehide', flushDraft);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', flushDraft);
      document.removeEventListener('visibilitychange', onHide);
      // Leaving the form (返回) keeps what was entered.
      flushDraft();
    };
  }, [flushDraft]);

  /**
   * Stops saving the draft and waits for the saves under way. Before a submit the last change is
   * saved first (should the outbox write fail, the draft still holds it); a discard drops it.
   */
  const closeDraft = async (keepLast: boolean) => {
    if (keepLast) flushDraft();
    closed.current = true;
    clearTimeout(timer.current);
    pending.current = null;
    await draftSettled(elderId);
  };

  const discardDraft = () =>
    modal.confirm({
      title: '放弃这份草稿？',
      content: '已填写的内容、照片和签字将被删除，重新开始探访。',
      okText: '放弃草稿',
      okButtonProps: { danger: true },
      cancelText: '继续填写',
      onOk: async () => {
        await closeDraft(false);
        await drafts.discard(elderId);
        source.onDraftDiscarded?.();
      },
    });

  // Once the visitor has tried to submit, problems clear as they are fixed.
  const recheck = (m: VisitMethod | null, a: Answers) => {
    if (issues.length > 0) setIssues(visitIssues(template, m, a, checklist));
  };
  const changeAnswers = (a: Answers) => {
    setAnswers(a);
    recheck(method, a);
  };
  const changeMethod = (m: VisitMethod) => {
    setMethod(m);
    recheck(m, answers);
  };

  const onSignature = (itemKey: string, png: Blob | null) => {
    if (!png) {
      setSignatures(({ [itemKey]: _gone, ...rest }) => rest);
      changeAnswers(setSignature(answers, itemKey, null));
      return;
    }
    const id = uuidv7();
    setSignatures((s) => ({ ...s, [itemKey]: { id, blob: png, url: objectUrl(png) } }));
    changeAnswers(setSignature(answers, itemKey, id));
  };

  const addPhotos = async (files: File[]) => {
    const room = PHOTO_MAX_COUNT - photos.length;
    const added: HeldImage[] = [];
    for (const file of files.slice(0, room)) {
      try {
        const blob = await compressPhoto(file);
        added.push({ id: uuidv7(), blob, url: objectUrl(blob) });
      } catch (e) {
        message.error(e instanceof Error ? e.message : '照片处理失败');
      }
    }
    if (files.length > room) message.warning(`最多 ${PHOTO_MAX_COUNT} 张照片`);
    setPhotos((p) => [...p, ...added]);
  };

  const signatureImages = useMemo(
    () => Object.fromEntries(Object.entries(signatures).map(([k, v]) => [k, v.url])),
    [signatures],
  );
  const changed = changedKeys(template, answers).length;
  const pageIssues = formLevelIssues(issues).filter((i) => i.field !== 'method');
  const methodIssue = issues.find((i) => i.field === 'method')?.message;

  const submit = async () => {
    const found = visitIssues(template, method, answers, checklist);
    setIssues(found);
    if (found.length > 0 || !method) {
      message.error(`还有 ${found.length} 处需要填写或修改`);
      requestAnimationFrame(() =>
        document
          .querySelector('[data-issue="true"]')
          ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
      );
      return;
    }
    const signed = Object.entries(signatures).filter(([key, s]) => {
      const a = answers[key];
      return a && 'signature' in a && a.signature === s.id;
    });
    const uploaded = new Set(queued?.attachments.filter((a) => a.uploaded).map((a) => a.id));
    const attachments: OutboxAttachment[] = [
      ...photos.map((p) => ({
        id: p.id,
        kind: 'photo' as const,
        blob: p.blob,
        uploaded: uploaded.has(p.id),
      })),
      ...signed.map(([itemKey, s]) => ({
        id: s.id,
        kind: 'signature' as const,
        itemKey,
        blob: s.blob,
        uploaded: uploaded.has(s.id),
      })),
    ];
    const note = emergencyNote.trim();
    const record: OutboxVisit = {
      id: visitId,
      userId: '',
      elderName: source.elderName,
      savedAt: new Date().toISOString(),
      body: {
        id: visitId,
        elderId,
        visitedAt,
        method,
        template: { key: template.key, version: template.version },
        answers,
        emergency,
        ...(emergency && note ? { emergencyNote: note } : {}),
        ...(location ? { location } : {}),
        attachmentIds: attachments.map((a) => a.id),
      },
      checklist,
      attachments,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    };
    setSaving(true);
    try {
      if (keepsDraft) {
        // The draft goes with the visit into the outbox, in one write.
        await closeDraft(true);
        await outbox.enqueue(record, { draftKey: drafts.keyOf(elderId) });
        drafts.submitted(elderId);
      } else {
        await outbox.enqueue(record);
      }
    } catch {
      closed.current = false;
      setSaving(false);
      message.error('手机存储空间不足或浏览器禁止保存，探访记录未能保存，请重试');
      return;
    }
    message.destroy();
    message.success(
      navigator.onLine === false
        ? '探访记录已保存在手机上，有网络时自动上传'
        : '探访记录已保存，正在上传',
    );
    // With 紧急情况 on, home opens with what to do at once (RescuePrompt).
    navigate(FIELD_APP_PATH, {
      replace: true,
      ...(emergency ? { state: { rescue: { elderName: source.elderName } } } : {}),
    });
    // Home opens at its top, where the outbox bar tells how the upload goes.
    window.scrollTo(0, 0);
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Card styles={{ body: { padding: 14 } }} data-testid="visit-header">
        <h1 style={{ margin: 0, fontSize: FIELD_FONT.hero, lineHeight: 1.3 }}>
          探访 {source.elderName}
        </h1>
        <div style={{ fontSize: 15, color: '#595959', margin: '2px 0 6px' }}>{template.name}</div>
        <PositionLine position={position} />
        {queued?.rejection && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 8, fontSize: FIELD_FONT.body }}
            title="上次提交被退回，请按提示修改后重新提交"
            description={queued.rejection.message}
          />
        )}
        {saved && (
          <div
            data-testid="draft-restored"
            role="status"
            style={{
              marginTop: 10,
              padding: '10px 12px',
              borderRadius: 8,
              background: '#e6f4ff',
              border: '1px solid #69b1ff',
              display: 'flex',
              flexDirection: 'column',
              gap: 8,
            }}
          >
            <div style={{ fontSize: FIELD_FONT.body, fontWeight: 700, color: '#003eb3' }}>
              已恢复未提交的草稿（保存于 {draftTimeWords(saved.savedAt)}）
            </div>
            <div style={{ fontSize: 15, color: '#434343', lineHeight: 1.5 }}>
              探访开始于 {draftTimeWords(saved.visitedAt)}，已填写的内容和照片都在，可以接着填写。
            </div>
            <Button
              danger
              onClick={discardDraft}
              style={{ ...BIG, alignSelf: 'flex-start' }}
              data-testid="draft-discard"
            >
              放弃草稿
            </Button>
          </div>
        )}
      </Card>

      <MethodPicker
        template={template}
        value={method}
        onChange={changeMethod}
        tasks={source.tasks}
        issue={methodIssue}
      />

      <div style={{ fontSize: FIELD_FONT.body, color: '#434343', padding: '0 4px' }}>
        以下已按“无变化”填好，只需改动有变化的项目。
      </div>

      <VisitFormRenderer
        template={template}
        checklist={checklist}
        value={answers}
        onChange={changeAnswers}
        issues={issues}
        variant="field"
        previous={previous}
        signatureImages={signatureImages}
        onSignature={onSignature}
      />

      <PhotoPicker
        photos={photos}
        onAdd={addPhotos}
        onRemove={(id) => setPhotos((p) => p.filter((x) => x.id !== id))}
      />

      <EmergencySwitch
        on={emergency}
        note={emergencyNote}
        onToggle={() => setEmergency((e) => !e)}
        onNote={setEmergencyNote}
      />

      {pageIssues.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={pageIssues.map((i) => i.message).join('；')}
          style={{ fontSize: FIELD_FONT.body }}
        />
      )}

      <div
        style={{
          position: 'sticky',
          bottom: 0,
          margin: '0 -12px -12px',
          padding: '10px 12px calc(10px + env(safe-area-inset-bottom))',
          background: 'rgba(255,255,255,0.97)',
          boxShadow: '0 -2px 8px rgba(0,0,0,0.12)',
          display: 'flex',
          flexDirection: 'column',
          gap: 6,
          zIndex: 5,
        }}
      >
        <div data-testid="visit-summary" style={{ fontSize: 15, color: '#434343' }}>
          {method ? '' : '请先选择探访方式。'}
          {changed === 0 ? '各项均为无变化' : `有 ${changed} 项与“无变化”不同`}
          {emergency ? '，报告紧急情况' : ''}
          {photos.length > 0 ? `，${photos.length} 张照片` : ''}
        </div>
        {draftStatus.state !== 'none' && (
          <div data-testid="draft-status" style={{ fontSize: 15, color: '#595959' }}>
            {draftStatus.state === 'saving'
              ? '正在保存草稿…'
              : `已自动保存草稿（${draftTimeWords(draftStatus.at)}）`}
          </div>
        )}
        <Button
          type="primary"
          danger={emergency}
          block
          loading={saving}
          onClick={() => void submit()}
          style={{ minHeight: 56, fontSize: 20, fontWeight: 700 }}
          data-testid="visit-submit"
        >
          {emergency ? '提交并报告紧急情况' : '提交探访记录'}
        </Button>
      </div>
    </div>
  );
}

function Frame({ back, children }: { back: () => void; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Button
        icon={<LeftOutlined />}
        onClick={back}
        style={{ ...BIG, alignSelf: 'flex-start' }}
        data-testid="visit-back"
      >
        返回
      </Button>
      {children}
    </div>
  );
}

function Problem({
  title,
  text,
  onRetry,
  action,
}: {
  title: string;
  text: string;
  onRetry?: () => void;
  action?: ReactNode;
}) {
  return (
    <Card styles={{ body: { textAlign: 'center' } }} data-testid="visit-problem">
      <div style={{ fontSize: FIELD_FONT.title, fontWeight: 700, marginBottom: 8 }}>{title}</div>
      <div style={{ fontSize: FIELD_FONT.body, color: '#434343', lineHeight: 1.6 }}>{text}</div>
      {onRetry && (
        <Button
          type="primary"
          icon={<ReloadOutlined />}
          onClick={onRetry}
          style={{ ...BIG, marginTop: 12 }}
        >
          重新加载
        </Button>
      )}
      {action && <div style={{ marginTop: 12 }}>{action}</div>}
    </Card>
  );
}

function Loading({ rows = 8 }: { rows?: number }) {
  return (
    <Card>
      <Skeleton active paragraph={{ rows }} />
    </Card>
  );
}

/** Loads the template, then the editor (`problemAction`: what to offer if it cannot be had). */
function WithTemplate({
  templateKey,
  version,
  make,
  problemAction,
}: {
  templateKey: string;
  version?: number;
  make: (t: FormTemplate) => EditorSource;
  problemAction?: ReactNode;
}) {
  const state = useTemplate(templateKey, version);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error')
    return <Problem title="探访记录表加载失败" text={state.message} action={problemAction} />;
  return <VisitEditor source={make(state.template)} />;
}

/**
 * A new visit to an elder of the worklist — or the visitor's draft of one, restored as it was
 * left (that needs no worklist, so a draft reopens even when the list cannot be loaded).
 */
function NewVisit({ elderId }: { elderId: string }) {
  const { load, discard } = useDrafts();
  const { data, loading, error, refresh } = useVisitorWorklist();
  const [found, setFound] = useState<{ draft: VisitDraft | null } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setFound(null);
    load(elderId).then(
      (draft) => !cancelled && setFound({ draft: draft ?? null }),
      () => !cancelled && setFound({ draft: null }),
    );
    return () => {
      cancelled = true;
    };
  }, [elderId, load]);

  if (!found) return <Loading />;
  const { draft } = found;
  if (draft) {
    const startAfresh = () => setFound({ draft: null });
    return (
      <WithTemplate
        key={draft.visitId}
        templateKey={draft.template.key}
        version={draft.template.version}
        problemAction={
          <Button
            danger
            style={BIG}
            onClick={() => void discard(elderId).then(startAfresh)}
            data-testid="draft-discard"
          >
            放弃草稿，重新开始
          </Button>
        }
        make={(template) => ({
          elderId,
          elderName: draft.elderName,
          template,
          checklist: draft.checklist,
          tasks: draft.tasks,
          queued: null,
          saved: draft,
          onDraftDiscarded: startAfresh,
        })}
      />
    );
  }

  if (!data)
    return loading ? (
      <Loading rows={6} />
    ) : (
      <Problem title="加载失败" text={error ?? '任务列表加载失败'} onRetry={refresh} />
    );
  const items = data.items.filter((i) => i.elder.id === elderId);
  const first = items[0];
  if (!first)
    return (
      <Problem
        title="任务列表中没有这位老人"
        text="这位老人本期的探访已经完成，或不在您的探访名单中。"
      />
    );
  const plan = planVisit(items);
  return (
    <WithTemplate
      key={`new-${elderId}`}
      templateKey={plan.templateKey}
      make={(template) => ({
        elderId,
        elderName: first.elder.name,
        template,
        checklist: plan.checklist,
        tasks: plan.tasks,
        queued: null,
        saved: null,
      })}
    />
  );
}

/**
 * `/m/elders/:id/visit`: records a visit to an elder of the worklist, continuing the visitor's
 * draft if there is one — or, with `?queued=`, reopens a visit the server refused, to correct it.
 * Submitting stores it in the outbox.
 */
export function VisitRecordPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const queuedId = search.get('queued');
  const navigate = useNavigate();
  const location = useLocation();
  const outbox = useOutbox();

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [id]);

  const back = () =>
    location.key !== 'default' ? navigate(-1) : navigate(FIELD_APP_PATH, { replace: true });

  if (!queuedId)
    return (
      <Frame back={back}>
        <NewVisit key={id} elderId={id} />
      </Frame>
    );
  if (!outbox.ready)
    return (
      <Frame back={back}>
        <Loading rows={3} />
      </Frame>
    );
  const queued = outbox.records.find((r) => r.id === queuedId);
  if (!queued)
    return (
      <Frame back={back}>
        <Problem title="没有这条待上传记录" text="这条探访记录已经上传，或已被删除。" />
      </Frame>
    );
  return (
    <Frame back={back}>
      <WithTemplate
        key={queued.id}
        templateKey={queued.body.template.key}
        version={queued.body.template.version}
        make={(template) => ({
          elderId: queued.body.elderId,
          elderName: queued.elderName,
          template,
          checklist: queued.checklist,
          tasks: [],
          queued,
          saved: null,
        })}
      />
    </Frame>
  );
}
