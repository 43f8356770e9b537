import {
  checkAnswers,
  localDateTimeOf,
  versionChanges,
  type AnswerIssue,
  type Answers,
  type FormTemplate,
  type VisitAmendmentInput,
  type VisitDto,
  type VisitMethod,
  type VisitVersion,
} from '@tanfang/domain';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { VisitFormRenderer } from '../../components/visitForm/VisitFormRenderer';
import { setSignature } from '../../components/visitForm/formModel';
import { chinaInstant, chinaTime } from '../../lib/format';
import { ChangesTable } from './ChangesTable';
import { attachmentUrl, visitsApi } from './visitsApi';

const WALL_CLOCK = 'YYYY-MM-DD HH:mm';

/** Errors of the fields around the form, by the server's field names. */
type FieldErrors = Partial<Record<'visitedAt' | 'method' | 'reason', string>>;
const FIELDS = ['visitedAt', 'method', 'reason'] as const;

/** Props of `AmendVisitModal`. */
export interface AmendVisitModalProps {
  visit: VisitDto;
  /** The form the visit was made with (it stays the same). */
  template: FormTemplate;
  elderName: string;
  onClose: () => void;
  /** The corrected visit, as the server stored it. */
  onSaved: (visit: VisitDto) => void;
}

/**
 * 更正探访记录: the visit's own form prefilled with its current answers, its time, method and
 * 紧急情况, and a required 更正原因. What will change is listed (old → new) before saving; the
 * version replaced is kept in the visit's 修改记录.
 */
export function AmendVisitModal({
  visit,
  template,
  elderName,
  onClose,
  onSaved,
}: AmendVisitModalProps) {
  const { message } = App.useApp();
  // The stored instant until the time is changed (the picker has minutes, the record seconds).
  const [visitedIso, setVisitedIso] = useState(visit.visitedAt);
  const [method, setMethod] = useState<VisitMethod>(visit.method);
  const [answers, setAnswers] = useState<Answers>(visit.answers);
  const [emergency, setEmergency] = useState(visit.emergency);
  const [emergencyNote, setEmergencyNote] = useState(visit.emergencyNote ?? '');
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<AnswerIssue[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
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
  const after: VisitVersion = {
    visitedAt: visitedIso,
    method,
    answers,
    emergency,
    emergencyNote: note || null,
  };
  const changes = versionChanges(template, visit.checklist, before, after);

  const setError = (field: keyof FieldErrors, value: string | undefined) =>
    setErrors((e) => ({ ...e, [field]: value }));

  const changeAnswers = (a: Answers) => {
    setAnswers(a);
    if (issues.length > 0) setIssues(checkAnswers(template, a, visit.checklist));
  };

  /** A signature stays as it was signed: it may be removed, not replaced. */
  const onSignature = (itemKey: string, png: Blob | null) => {
    if (png) message.warning('更正时不能更换签字，原有签字保留');
    else setAnswers((a) => setSignature(a, itemKey, null));
  };

  /** Puts a refusal of the server on what it names: a field, an item, or the whole form. */
  const showServerError = (e: ApiError) => {
    const reported =
      e.details.length > 0 ? e.details : [{ field: e.field ?? '', message: e.message }];
    const fields: FieldErrors = {};
    const items: AnswerIssue[] = [];
    const rest: string[] = [];
    for (const d of reported) {
      const name = FIELDS.find((f) => d.field === f);
      if (name) fields[name] ??= d.message;
      else if (d.field.startsWith('answers.')) items.push(d);
      else rest.push(d.message);
    }
    setErrors(fields);
    setIssues(items);
    setFormError(rest.length > 0 ? rest.join('；') : items.length > 0 ? e.message : null);
  };

  const submit = async () => {
    if (saving) return;
    const found: FieldErrors = {};
    if (Date.parse(visitedIso) > Date.now()) found.visitedAt = '探访时间不能晚于现在';
    if (!reason.trim()) found.reason = '请填写更正原因';
    const answerIssues = checkAnswers(template, answers, visit.checklist);
    setErrors(found);
    setIssues(answerIssues);
    setFormError(null);
    if (Object.keys(found).length > 0 || answerIssues.length > 0) {
      message.error(`还有 ${Object.keys(found).length + answerIssues.length} 处需要填写或修改`);
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
      message.success(`探访记录已更正（第 ${saved.revision} 版）`);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) showServerError(e);
      else setFormError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`更正探访记录 · ${elderName}`}
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
          loading={saving}
          disabled={changes.length === 0}
          onClick={() => void submit()}
          data-testid="amend-submit"
        >
          保存更正
        </Button>,
      ]}
    >
      <Flex vertical gap={12} data-testid="amend-visit">
        <Typography.Text type="secondary">
          {chinaTime(visit.visitedAt)} 的探访 · {visit.template.name} 第 {visit.template.version} 版
          · 现为第 {visit.revision} 版。更正后原内容保留在“修改记录”中；可在{' '}
          {chinaTime(visit.amendableUntil)} 前更正。
        </Typography.Text>
        <Form layout="vertical" component="div">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访时间（北京时间）"
                required
                validateStatus={errors.visitedAt ? 'error' : undefined}
                help={errors.visitedAt}
                data-testid="amend-visited-at"
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format={WALL_CLOCK}
                  value={dayjs(localDateTimeOf(Date.parse(visitedIso)), WALL_CLOCK)}
                  allowClear={false}
                  onChange={(d: Dayjs | null) => {
                    if (!d) return;
                    setVisitedIso(chinaInstant(d.format(WALL_CLOCK)));
                    setError('visitedAt', undefined);
                  }}
                  style={{ width: '100%' }}
                  aria-label="探访时间"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                label="探访方式"
                required
                validateStatus={errors.method ? 'error' : undefined}
                help={errors.method}
                data-testid="amend-method"
              >
                <Radio.Group
                  value={method}
                  onChange={(e) => {
                    setMethod(e.target.value as VisitMethod);
                    setError('method', undefined);
                  }}
                  optionType="button"
                  options={template.methods.map((m) => ({ value: m.value, label: m.label }))}
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <VisitFormRenderer
          template={template}
          checklist={visit.checklist}
          value={answers}
          onChange={changeAnswers}
          issues={issues}
          variant="console"
          signatureImages={signatureImages}
          onSignature={onSignature}
        />
        <Flex
          vertical
          gap={8}
          style={{
            border: `1px solid ${emergency ? '#ff7875' : '#f0f0f0'}`,
            background: emergency ? '#fff1f0' : undefined,
            borderRadius: 8,
            padding: 12,
          }}
        >
          <Flex gap={8} align="center" wrap>
            <Switch checked={emergency} onChange={setEmergency} aria-label="紧急情况" />
            <Typography.Text strong>紧急情况</Typography.Text>
          </Flex>
          {emergency && (
            <Input.TextArea
              value={emergencyNote}
              onChange={(e) => setEmergencyNote(e.target.value)}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder="紧急情况说明（选填）"
              aria-label="紧急情况说明"
            />
          )}
        </Flex>
        <Form layout="vertical" component="div">
          <Form.Item
            label="更正原因"
            required
            validateStatus={errors.reason ? 'error' : undefined}
            help={errors.reason}
            data-testid="amend-reason"
            style={{ marginBottom: 0 }}
          >
            <Input.TextArea
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setError('reason', undefined);
              }}
              maxLength={200}
              showCount
              autoSize={{ minRows: 2, maxRows: 4 }}
              placeholder="如：按纸质记录表核对，燃气安全录入有误"
              aria-label="更正原因"
            />
          </Form.Item>
        </Form>
        <div data-testid="amend-changes">
          <Typography.Text strong>本次更正</Typography.Text>
          {changes.length > 0 ? (
            <ChangesTable changes={changes} />
          ) : (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              尚未修改任何内容。
            </Typography.Paragraph>
          )}
        </div>
        {formError && <Alert type="error" showIcon title={formError} data-testid="amend-error" />}
      </Flex>
    </Modal>
  );
}
