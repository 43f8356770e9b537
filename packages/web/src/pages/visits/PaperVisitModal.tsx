import {
  CATEGORY_LABELS,
  PROOF_LIMITS,
  TIER_LABELS,
  VISITOR_TYPE_LABELS,
  checkAnswers,
  localDateTimeOf,
  prefilledAnswers,
  uuidv7,
  type AnswerIssue,
  type Answers,
  type CampaignDto,
  type ElderDto,
  type FormTemplate,
  type TemplateSummaryDto,
  type VisitDto,
  type VisitInput,
  type VisitMethod,
  type VisitorDto,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Skeleton,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { chinaInstant } from '../../lib/format';
import { useCurrentUser } from '../../auth/useAuth';
import { VisitFormRenderer } from '../../components/visitForm/VisitFormRenderer';
import { setSignature } from '../../components/visitForm/formModel';
import { visitApi } from '../../field/visit/visitApi';
import { campaignsApi } from '../campaigns/campaignsApi';
import { visitorsApi } from '../visitors/api';
import { worklistApi } from '../worklist/worklistApi';
import { checklistAt, defaultTemplate, visitorsCovering, withoutStaleChecks } from './paperVisit';
import { loadTemplate } from './visitsApi';

const WALL_CLOCK = 'YYYY-MM-DD HH:mm';

/** What the modal loads once it opens. */
interface Sources {
  visitors: VisitorDto[];
  templates: TemplateSummaryDto[];
  campaigns: CampaignDto[];
  ruleTemplateKey: string | null;
}

/** A signature drawn on screen (the 信息录入人 signs the entry), uploaded before the visit. */
interface HeldSignature {
  id: string;
  blob: Blob;
  url: string;
}

/** Errors of the fields above the form, by the server's field names. */
type TopErrors = Partial<Record<'visitorId' | 'visitedAt' | 'method' | 'template', string>>;

const TOP_FIELDS = ['visitorId', 'visitedAt', 'method', 'template'] as const;

function templateRef(t: Pick<TemplateSummaryDto, 'key' | 'version'>): string {
  return `${t.key}@${t.version}`;
}

/** Props of `PaperVisitModal`. */
export interface PaperVisitModalProps {
  elder: ElderDto;
  onClose: () => void;
  /** The visit was stored (or had been, on a retry of the same entry). */
  onSaved: (visit: VisitDto) => void;
}

/**
 * 录入探访记录: village or township staff enter a visit made on paper — who visited, when (China
 * time, not in the future), how, on which form, the answers prefilled as 无变化, the campaign checks
 * in force at that time and the 紧急情况 switch. The record's id is made when the modal opens, so a
 * double click or a retry stores one record.
 */
export function PaperVisitModal({ elder, onClose, onSaved }: PaperVisitModalProps) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [visitId] = useState(() => uuidv7());
  const [sources, setSources] = useState<Sources | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [templateChoice, setTemplateChoice] = useState<string | null>(null);
  const [template, setTemplate] = useState<FormTemplate | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const [visitorId, setVisitorId] = useState<string | undefined>(undefined);
  const [visitedAt, setVisitedAt] = useState<Dayjs | null>(() =>
    dayjs(localDateTimeOf(Date.now()), WALL_CLOCK),
  );
  const [method, setMethod] = useState<VisitMethod | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [emergency, setEmergency] = useState(false);
  const [emergencyNote, setEmergencyNote] = useState('');
  const [signatures, setSignatures] = useState<Record<string, HeldSignature>>({});
  const [issues, setIssues] = useState<AnswerIssue[]>([]);
  const [topErrors, setTopErrors] = useState<TopErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // Everything the form is made of, in parallel.
  useEffect(() => {
    let cancelled = false;
    const village = elder.village.code;
    // Township staff also see the visitors registered for the whole township (a social worker),
    // who cover the village too; village staff see their village's.
    const visitorRegion = me.jurisdiction.code.length < 12 ? village.slice(0, 9) : village;
    Promise.all([
      visitorsApi.listVisitors({ region: visitorRegion, status: 'active', pageSize: 200 }),
      visitApi.templates(),
      campaignsApi.listCampaigns({ region: village }),
      worklistApi.elderSchedule(elder.id).catch(() => null),
    ]).then(
      ([visitors, templates, campaigns, schedule]) => {
        if (cancelled) return;
        const found: Sources = {
          visitors: visitorsCovering(visitors.items, village),
          templates: templates.items,
          campaigns,
          ruleTemplateKey: schedule?.policy?.templateKey ?? null,
        };
        setSources(found);
        const first = defaultTemplate(found.templates, found.ruleTemplateKey);
        if (first) setTemplateChoice(templateRef(first));
        if (found.visitors.length === 1) setVisitorId(found.visitors[0]!.id);
      },
      (e: unknown) => !cancelled && setLoadError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [elder.id, elder.village.code]);

  // The chosen form: answers start again from 无变化; a method it also offers is kept.
  useEffect(() => {
    if (!templateChoice) return;
    let cancelled = false;
    const at = templateChoice.lastIndexOf('@');
    setTemplate(null);
    setTemplateError(null);
    loadTemplate(templateChoice.slice(0, at), Number(templateChoice.slice(at + 1))).then(
      (t) => {
        if (cancelled) return;
        setTemplate(t);
        setAnswers(prefilledAnswers(t));
        setSignatures({});
        setIssues([]);
        setMethod((m) => (m && t.methods.some((x) => x.value === m) ? m : null));
      },
      (e: unknown) => !cancelled && setTemplateError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [templateChoice]);

  // Object URLs of signatures drawn, revoked when the modal closes.
  const objectUrls = useRef<string[]>([]);
  useEffect(
    () => () => {
      for (const u of objectUrls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  const visitedIso = visitedAt ? chinaInstant(visitedAt.format(WALL_CLOCK)) : null;
  const profile = useMemo(
    () => ({ tier: elder.tier, categories: elder.categories }),
    [elder.tier, elder.categories],
  );
  const checklist = useMemo(
    () => (sources && visitedIso ? checklistAt(sources.campaigns, profile, visitedIso) : []),
    [sources, profile, visitedIso],
  );
  const signatureImages = useMemo(
    () => Object.fromEntries(Object.entries(signatures).map(([k, v]) => [k, v.url])),
    [signatures],
  );

  const setTop = (field: keyof TopErrors, value: string | undefined) =>
    setTopErrors((e) => ({ ...e, [field]: value }));

  const onSignature = (itemKey: string, png: Blob | null) => {
    if (!png) {
      setSignatures(({ [itemKey]: _gone, ...rest }) => rest);
      setAnswers((a) => setSignature(a, itemKey, null));
      return;
    }
    const id = uuidv7();
    const url = URL.createObjectURL(png);
    objectUrls.current.push(url);
    setSignatures((s) => ({ ...s, [itemKey]: { id, blob: png, url } }));
    setAnswers((a) => setSignature(a, itemKey, id));
  };

  const changeAnswers = (a: Answers) => {
    setAnswers(a);
    if (issues.length > 0 && template) setIssues(checkAnswers(template, a, checklist));
  };

  /** Puts a refusal of the server on what it names: a top field, an item, or the whole form. */
  const showServerError = (e: ApiError) => {
    const reported =
      e.details.length > 0 ? e.details : [{ field: e.field ?? '', message: e.message }];
    const top: TopErrors = {};
    const items: AnswerIssue[] = [];
    const rest: string[] = [];
    for (const d of reported) {
      const name = TOP_FIELDS.find((f) => d.field === f || d.field.startsWith(`${f}.`));
      if (name) top[name] ??= d.message;
      else if (d.field.startsWith('answers.')) items.push(d);
      else rest.push(d.message);
    }
    setTopErrors(top);
    setIssues(items);
    // The server's summary too: an item it names may not be on this form (a check it added).
    setFormError(rest.length > 0 ? rest.join('；') : items.length > 0 ? e.message : null);
  };

  const submit = async () => {
    if (!template || !sources || saving) return;
    const now = Date.now();
    const top: TopErrors = {};
    if (!visitorId) top.visitorId = '请选择实际探访的探访人员';
    if (!visitedIso) top.visitedAt = '请选择探访时间';
    else if (Date.parse(visitedIso) > now) top.visitedAt = '探访时间不能晚于现在';
    if (!method) top.method = '请选择探访方式';
    const clean = withoutStaleChecks(answers, checklist);
    const found = checkAnswers(template, clean, checklist);
    setTopErrors(top);
    setIssues(found);
    setFormError(null);
    if (Object.keys(top).length > 0 || found.length > 0) {
      message.error(`还有 ${Object.keys(top).length + found.length} 处需要填写或修改`);
      return;
    }
    const signed = Object.entries(signatures).filter(([key, s]) => {
      const a = clean[key];
      return a && 'signature' in a && a.signature === s.id;
    });
    const note = emergencyNote.trim();
    const body: VisitInput = {
      id: visitId,
      elderId: elder.id,
      visitorId,
      visitedAt: visitedIso!,
      deviceTime: new Date(now).toISOString(),
      method: method!,
      template: { key: template.key, version: template.version },
      answers: clean,
      emergency,
      ...(emergency && note ? { emergencyNote: note } : {}),
      attachmentIds: signed.map(([, s]) => s.id),
    };
    setSaving(true);
    try {
      for (const [, s] of signed) await visitApi.putAttachment(s.id, elder.id, 'signature', s.blob);
      const visit = await visitApi.postVisit(body);
      message.success('探访记录已录入');
      onSaved(visit);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) showServerError(e);
      else setFormError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const templateOptions = (sources?.templates ?? []).map((t) => ({
    value: templateRef(t),
    label: `${t.name}（${t.key} 第 ${t.version} 版${t.builtin ? '，内置' : ''}）`,
  }));

  let body;
  if (loadError)
    body = <Alert type="error" showIcon title="录入表单加载失败" description={loadError} />;
  else if (!sources) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else
    body = (
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">
          {elder.village.fullName} · {TIER_LABELS[elder.tier]}
          {elder.categories.length > 0
            ? ` · ${elder.categories.map((c) => CATEGORY_LABELS[c]).join('、')}`
            : ''}
          。按纸质探访记录表录入；时间为北京时间，录入晚于探访 {PROOF_LIMITS.lateEntryDays}{' '}
          天以上的记录标为“补录”。
        </Typography.Text>
        <Form layout="vertical" component="div">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访人员"
                required
                validateStatus={topErrors.visitorId ? 'error' : undefined}
                help={topErrors.visitorId}
                data-testid="paper-visitor"
              >
                <Select
                  value={visitorId}
                  onChange={(v: string) => {
                    setVisitorId(v);
                    setTop('visitorId', undefined);
                  }}
                  placeholder="实际探访的探访人员"
                  showSearch={{ optionFilterProp: 'label' }}
                  options={sources.visitors.map((v) => ({
                    value: v.id,
                    label: `${v.name}（${VISITOR_TYPE_LABELS[v.type]} · ${v.region.name}）`,
                  }))}
                  notFoundContent={
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description="本村（社区）没有在岗的探访人员，请先在“探访人员”中登记"
                    />
                  }
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访时间（北京时间）"
                required
                validateStatus={topErrors.visitedAt ? 'error' : undefined}
                help={topErrors.visitedAt}
                data-testid="paper-visited-at"
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format={WALL_CLOCK}
                  value={visitedAt}
                  allowClear={false}
                  onChange={(d: Dayjs | null) => {
                    setVisitedAt(d);
                    setTop('visitedAt', undefined);
                  }}
                  style={{ width: '100%' }}
                  aria-label="探访时间"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访记录表"
                required
                validateStatus={topErrors.template || templateError ? 'error' : undefined}
                help={topErrors.template ?? templateError}
                extra={
                  sources.ruleTemplateKey
                    ? `该老年人适用的探访规则使用 ${sources.ruleTemplateKey}`
                    : '该老年人暂无适用的探访规则，默认使用丹东 2023 记录表'
                }
                data-testid="paper-template"
              >
                <Select
                  value={templateChoice ?? undefined}
                  onChange={(v: string) => {
                    setTemplateChoice(v);
                    setTop('template', undefined);
                  }}
                  options={templateOptions}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访方式"
                required
                validateStatus={topErrors.method ? 'error' : undefined}
                help={topErrors.method}
                data-testid="paper-method"
              >
                {template ? (
                  <Radio.Group
                    value={method}
                    onChange={(e) => {
                      setMethod(e.target.value as VisitMethod);
                      setTop('method', undefined);
                    }}
                    optionType="button"
                    options={template.methods.map((m) => ({ value: m.value, label: m.label }))}
                  />
                ) : (
                  <Skeleton.Input active size="small" />
                )}
              </Form.Item>
            </Col>
          </Row>
        </Form>
        {template ? (
          <>
            <Typography.Text type="secondary">
              各项已按“无变化”填好，请按纸质记录表改动有变化的项目。
              {checklist.length > 0 ? '该时间有专项探访在进行，请一并填写专项检查。' : ''}
            </Typography.Text>
            <VisitFormRenderer
              template={template}
              checklist={checklist}
              value={answers}
              onChange={changeAnswers}
              issues={issues}
              variant="console"
              signatureImages={signatureImages}
              onSignature={onSignature}
            />
          </>
        ) : (
          !templateError && <Skeleton active paragraph={{ rows: 6 }} />
        )}
        <Flex
          vertical
          gap={8}
          data-testid="paper-emergency"
          style={{
            border: `1px solid ${emergency ? '#ff7875' : '#f0f0f0'}`,
            background: emergency ? '#fff1f0' : undefined,
            borderRadius: 8,
            padding: 12,
          }}
        >
          <Flex gap={8} align="center" wrap>
            <Switch
              checked={emergency}
              onChange={setEmergency}
              aria-label="紧急情况"
              data-testid="paper-emergency-switch"
            />
            <Typography.Text strong>紧急情况</Typography.Text>
            <Typography.Text type="secondary">
              打开后立即生成“紧急情况”问题，村（社区）和乡镇（街道）马上可见
            </Typography.Text>
          </Flex>
          {emergency && (
            <Input.TextArea
              value={emergencyNote}
              onChange={(e) => setEmergencyNote(e.target.value)}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder="紧急情况说明（选填）：发生了什么，已采取什么措施"
              aria-label="紧急情况说明"
            />
          )}
        </Flex>
        {formError && <Alert type="error" showIcon title={formError} data-testid="paper-error" />}
      </Flex>
    );

  return (
    <Modal
      open
      title={`录入探访记录 · ${elder.name}`}
      width={960}
      style={{ top: 24, maxWidth: 'calc(100vw - 16px)' }}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="save"
          type="primary"
          danger={emergency}
          loading={saving}
          disabled={!template || !sources}
          onClick={() => void submit()}
          data-testid="paper-submit"
        >
          {emergency ? '保存并报告紧急情况' : '保存探访记录'}
        </Button>,
      ]}
    >
      <div data-testid="paper-visit">{body}</div>
    </Modal>
  );
}
