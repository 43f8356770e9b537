import { CheckOutlined, DownOutlined, EditOutlined, RightOutlined } from '@ant-design/icons';
import {
  CHECK_LABELS,
  checkKey,
  type AnswerIssue,
  type Answers,
  type ChecklistItem,
  type FormItem,
  type FormTemplate,
} from '@tanfang/domain';
import { Button, Input } from 'antd';
import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import {
  answerWords,
  checkValueOf,
  chooseOption,
  issuesByKey,
  sectionStartsOpen,
  setCheck,
  setOptionNumber,
  setOptionText,
  setText,
  type CheckValue,
  type ChoiceItem,
} from './formModel';
import { SignaturePad } from './SignaturePad';

/** Where the form is drawn: the phone-first field app (big targets) or the console. */
export type VisitFormVariant = 'field' | 'console';

/** Props of the renderer. */
export interface VisitFormRendererProps {
  template: FormTemplate;
  /** The checks of campaigns in force (专项检查), answered as `check_<key>`. */
  checklist: readonly ChecklistItem[];
  value: Answers;
  onChange: (answers: Answers) => void;
  /** Problems to show on their items (`answers.<key>`); others are the caller's to show. */
  issues: readonly AnswerIssue[];
  variant: VisitFormVariant;
  readOnly?: boolean;
  /** The last visit's answers (same template), shown as 上次 hints. */
  previous?: Answers;
  /** Images of signatures already made, by item key (object or server URLs). */
  signatureImages?: Readonly<Record<string, string>>;
  /** A signature was drawn (a PNG) or removed (null); the parent stores it and sets the answer. */
  onSignature?: (itemKey: string, png: Blob | null) => void;
}

interface Sizes {
  font: number;
  label: number;
  title: number;
  button: number;
  gap: number;
}

const SIZES: Record<VisitFormVariant, Sizes> = {
  field: { font: 17, label: 18, title: 20, button: 48, gap: 14 },
  console: { font: 14, label: 14, title: 16, button: 32, gap: 10 },
};

const ERROR_RED = '#cf1322';

/** Options whose choice raises a finding in the template's rules (drawn in warning colours). */
function findingValues(template: FormTemplate): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const rule of template.findingRules) {
    if (!rule.values) continue;
    const set = out.get(rule.item) ?? new Set<string>();
    for (const v of rule.values) set.add(v);
    out.set(rule.item, set);
  }
  return out;
}

/** One segmented button of a choice. */
function Segment({
  label,
  selected,
  warn,
  sizes,
  disabled,
  onClick,
}: {
  label: string;
  selected: boolean;
  warn: boolean;
  sizes: Sizes;
  disabled: boolean;
  onClick: () => void;
}) {
  const selectedColour = warn ? '#d4380d' : '#1677ff';
  return (
    <button
      type="button"
      role="radio"
      aria-checked={selected}
      disabled={disabled}
      onClick={onClick}
      style={{
        flex: '1 1 0',
        minWidth: sizes.button * 1.6,
        minHeight: sizes.button,
        padding: '4px 8px',
        fontSize: sizes.font,
        fontWeight: selected ? 700 : 400,
        lineHeight: 1.25,
        borderRadius: 8,
        border: `${selected ? 2 : 1}px solid ${selected ? selectedColour : '#bfbfbf'}`,
        background: selected ? selectedColour : '#fff',
        color: selected ? '#fff' : '#1f1f1f',
        cursor: disabled ? 'default' : 'pointer',
        fontFamily: 'inherit',
      }}
    >
      {selected && <CheckOutlined style={{ marginInlineEnd: 4 }} />}
      {label}
    </button>
  );
}

/** An item's frame: label, 上次 hint, the control and its issue. */
function ItemFrame({
  itemKey,
  label,
  hint,
  issue,
  sizes,
  children,
}: {
  itemKey: string;
  label: string;
  hint: string | null;
  issue: string | undefined;
  sizes: Sizes;
  children: ReactNode;
}) {
  return (
    <div
      data-testid={`item-${itemKey}`}
      data-issue={issue ? 'true' : undefined}
      style={{
        display: 'flex',
        flexDirection: 'column',
        gap: 6,
        padding: issue ? 8 : 0,
        margin: issue ? -8 : 0,
        borderRadius: 8,
        background: issue ? '#fff1f0' : undefined,
        scrollMarginTop: 72,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
        <span style={{ fontSize: sizes.label, fontWeight: 600, color: '#1f1f1f' }}>{label}</span>
        {hint && (
          <span style={{ fontSize: sizes.font - 2, color: '#595959' }} data-testid="previous-hint">
            上次：{hint}
          </span>
        )}
      </div>
      {children}
      {issue && (
        <div role="alert" style={{ color: ERROR_RED, fontSize: sizes.font - 1 }}>
          {issue}
        </div>
      )}
    </div>
  );
}

function ChoiceControl({
  item,
  props,
  sizes,
  warnValues,
}: {
  item: ChoiceItem;
  props: VisitFormRendererProps;
  sizes: Sizes;
  warnValues: Set<string> | undefined;
}) {
  const { value, onChange, readOnly = false } = props;
  const answer = value[item.key];
  const selected = answer && 'value' in answer ? answer : undefined;
  const option = selected ? item.options.find((o) => o.value === selected.value) : undefined;
  const inputStyle: CSSProperties =
    props.variant === 'field' ? { fontSize: sizes.font, minHeight: sizes.button } : {};
  return (
    <>
      <div role="radiogroup" aria-label={item.label} style={{ display: 'flex', gap: 8 }}>
        {item.options.map((o) => (
          <Segment
            key={o.value}
            label={o.label}
            selected={selected?.value === o.value}
            warn={warnValues?.has(o.value) ?? false}
            sizes={sizes}
            disabled={readOnly}
            onClick={() => onChange(chooseOption(value, item, o.value))}
          />
        ))}
      </div>
      {option?.withText && (
        <Input
          aria-label={option.withText}
          placeholder={`请填写${option.withText}`}
          value={selected?.text ?? ''}
          maxLength={100}
          disabled={readOnly}
          style={inputStyle}
          onChange={(e) => onChange(setOptionText(value, item.key, e.target.value))}
        />
      )}
      {option?.withNumber && (
        <div style={{ display: 'flex', alignItems: 'center', gap: 8, fontSize: sizes.font }}>
          <span>{option.label}</span>
          <Input
            aria-label={`${option.label}${option.withNumber}数`}
            inputMode="numeric"
            pattern="[0-9]*"
            value={selected?.number === undefined ? '' : String(selected.number)}
            maxLength={2}
            disabled={readOnly}
            style={{ ...inputStyle, width: 96, textAlign: 'center' }}
            onChange={(e) => onChange(setOptionNumber(value, item.key, e.target.value))}
          />
          <span>{option.withNumber}</span>
        </div>
      )}
    </>
  );
}

function SignatureControl({
  item,
  props,
  sizes,
}: {
  item: Extract<FormItem, { kind: 'signature' }>;
  props: VisitFormRendererProps;
  sizes: Sizes;
}) {
  const [open, setOpen] = useState(false);
  const image = props.signatureImages?.[item.key];
  const large = props.variant === 'field';
  const buttonStyle: CSSProperties = large ? { minHeight: sizes.button, fontSize: sizes.font } : {};
  if (open && !props.readOnly) {
    return (
      <SignaturePad
        large={large}
        onCancel={() => setOpen(false)}
        onDone={(png) => {
          setOpen(false);
          props.onSignature?.(item.key, png);
        }}
      />
    );
  }
  if (image) {
    return (
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <img
          src={image}
          alt={`${item.label}`}
          style={{
            height: 72,
            maxWidth: '60%',
            objectFit: 'contain',
            border: '1px solid #d9d9d9',
            borderRadius: 6,
            background: '#fff',
          }}
        />
        {!props.readOnly && (
          <>
            <Button style={buttonStyle} onClick={() => setOpen(true)}>
              重签
            </Button>
            <Button style={buttonStyle} onClick={() => props.onSignature?.(item.key, null)}>
              删除
            </Button>
          </>
        )}
      </div>
    );
  }
  if (props.readOnly) {
    const answered = props.value[item.key];
    return (
      <span style={{ fontSize: sizes.font, color: '#595959' }}>
        {answered ? '已签字' : '未签字'}
      </span>
    );
  }
  return (
    <Button
      icon={<EditOutlined />}
      style={{ ...buttonStyle, alignSelf: 'flex-start' }}
      onClick={() => setOpen(true)}
      disabled={!props.onSignature}
    >
      {item.required ? '签字' : '签字（选填）'}
    </Button>
  );
}

function ItemControl({
  item,
  props,
  sizes,
  warnValues,
}: {
  item: FormItem;
  props: VisitFormRendererProps;
  sizes: Sizes;
  warnValues: Set<string> | undefined;
}) {
  switch (item.kind) {
    case 'choice':
      return <ChoiceControl item={item} props={props} sizes={sizes} warnValues={warnValues} />;
    case 'text': {
      const a = props.value[item.key];
      const text = a && 'text' in a && !('value' in a) ? a.text : '';
      return (
        <Input.TextArea
          aria-label={item.label}
          value={text}
          maxLength={item.maxLength}
          showCount={text.length > item.maxLength * 0.8}
          autoSize={{ minRows: 2, maxRows: 8 }}
          disabled={props.readOnly}
          placeholder={item.required ? '必填' : '选填，没有可不填'}
          style={{ fontSize: sizes.font }}
          onChange={(e) => props.onChange(setText(props.value, item.key, e.target.value))}
        />
      );
    }
    case 'signature':
      return <SignatureControl item={item} props={props} sizes={sizes} />;
  }
}

/** A section: a card with its title; an optional one folds until opened. */
function SectionCard({
  title,
  sizes,
  tone,
  collapsible,
  open,
  onToggle,
  testId,
  children,
}: {
  title: string;
  sizes: Sizes;
  tone?: { background: string; border: string; text: string };
  collapsible: boolean;
  open: boolean;
  onToggle: () => void;
  testId: string;
  children: ReactNode;
}) {
  const header = (
    <span style={{ fontSize: sizes.title, fontWeight: 700, color: tone?.text ?? '#1f1f1f' }}>
      {title}
    </span>
  );
  return (
    <section
      data-testid={testId}
      style={{
        background: tone?.background ?? '#fff',
        border: `${tone ? 2 : 1}px solid ${tone?.border ?? '#e8e8e8'}`,
        borderRadius: 10,
        padding: sizes.gap,
        display: 'flex',
        flexDirection: 'column',
        gap: sizes.gap + 4,
      }}
    >
      {collapsible ? (
        <button
          type="button"
          aria-expanded={open}
          onClick={onToggle}
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            minHeight: sizes.button,
            margin: -4,
            padding: 4,
            background: 'none',
            border: 'none',
            textAlign: 'start',
            cursor: 'pointer',
            fontFamily: 'inherit',
          }}
        >
          {open ? <DownOutlined /> : <RightOutlined />}
          {header}
          <span style={{ flex: 1 }} />
          <span style={{ fontSize: sizes.font - 1, color: '#1677ff' }}>
            {open ? '收起' : '展开填写'}
          </span>
        </button>
      ) : (
        header
      )}
      {open && children}
    </section>
  );
}

const CHECK_TONE = { background: '#fff7e6', border: '#ffa940', text: '#873800' };

/** 专项检查: each campaign check answered 已检查，无问题 or 发现隐患 (with what was found). */
function ChecklistSection({
  props,
  sizes,
  issueKeys,
}: {
  props: VisitFormRendererProps;
  sizes: Sizes;
  issueKeys: Map<string, string>;
}) {
  const { checklist, value, onChange, readOnly = false } = props;
  return (
    <SectionCard
      title="专项检查"
      sizes={sizes}
      tone={CHECK_TONE}
      collapsible={false}
      open
      onToggle={() => undefined}
      testId="section-checklist"
    >
      <div style={{ fontSize: sizes.font, color: '#434343', marginTop: -8 }}>
        专项探访要求逐项检查，请如实选择。
      </div>
      {checklist.map((check) => {
        const k = checkKey(check);
        const current = checkValueOf(value, check);
        const a = value[k];
        const note = a && 'value' in a ? (a.text ?? '') : '';
        return (
          <ItemFrame
            key={k}
            itemKey={k}
            label={check.label}
            hint={null}
            issue={issueKeys.get(k)}
            sizes={sizes}
          >
            <div role="radiogroup" aria-label={check.label} style={{ display: 'flex', gap: 8 }}>
              {(Object.keys(CHECK_LABELS) as CheckValue[]).map((v) => (
                <Segment
                  key={v}
                  label={CHECK_LABELS[v]}
                  selected={current === v}
                  warn={v === 'hazard'}
                  sizes={sizes}
                  disabled={readOnly}
                  onClick={() => onChange(setCheck(value, check, v, note))}
                />
              ))}
            </div>
            {current === 'hazard' && (
              <Input.TextArea
                aria-label={`${check.label}隐患情况`}
                placeholder="请写明发现的隐患（如：电线老化、无烟雾报警器）"
                value={note}
                maxLength={100}
                autoSize={{ minRows: 2, maxRows: 4 }}
                disabled={readOnly}
                style={{ fontSize: sizes.font }}
                onChange={(e) => onChange(setCheck(value, check, 'hazard', e.target.value))}
              />
            )}
          </ItemFrame>
        );
      })}
    </SectionCard>
  );
}

/**
 * Draws any form template from its data: sections and items (choices as segmented buttons with
 * the text or number an option asks for, texts, signature pads), optional sections folded, the
 * campaign checks as 专项检查, each issue on its item, and the last visit's answers as hints.
 */
export function VisitFormRenderer(props: VisitFormRendererProps) {
  const { template, checklist, value, issues, variant, previous } = props;
  const sizes = SIZES[variant];
  const issueKeys = useMemo(() => issuesByKey(issues), [issues]);
  const warn = useMemo(() => findingValues(template), [template]);
  const [toggled, setToggled] = useState<Record<string, boolean>>({});

  return (
    <div
      data-testid="visit-form"
      style={{ display: 'flex', flexDirection: 'column', gap: sizes.gap }}
    >
      {checklist.length > 0 && (
        <ChecklistSection props={props} sizes={sizes} issueKeys={issueKeys} />
      )}
      {template.sections.map((section) => {
        const hasIssue = section.items.some((i) => issueKeys.has(i.key));
        const open =
          hasIssue || (toggled[section.key] ?? sectionStartsOpen(section, value, issueKeys));
        return (
          <SectionCard
            key={section.key}
            title={section.label}
            sizes={sizes}
            collapsible={section.optional}
            open={open}
            onToggle={() => setToggled((t) => ({ ...t, [section.key]: !open }))}
            testId={`section-${section.key}`}
          >
            {section.items.map((item) => (
              <ItemFrame
                key={item.key}
                itemKey={item.key}
                label={item.label}
                hint={previous ? answerWords(item, previous[item.key]) : null}
                issue={issueKeys.get(item.key)}
                sizes={sizes}
              >
                <ItemControl
                  item={item}
                  props={props}
                  sizes={sizes}
                  warnValues={warn.get(item.key)}
                />
              </ItemFrame>
            ))}
          </SectionCard>
        );
      })}
    </div>
  );
}
