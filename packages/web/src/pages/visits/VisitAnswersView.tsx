import {
  CHECK_LABELS,
  checkKey,
  type Answer,
  type FormItem,
  type FormTemplate,
  type VisitDto,
} from '@tanfang/domain';
import { Empty, Flex, Image, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { attachmentUrl } from './visitsApi';

/** Whether a template rule raises a finding for this choice (shown in colour). */
function raises(template: FormTemplate, itemKey: string, value: string): boolean {
  return template.findingRules.some((r) => r.item === itemKey && r.values?.includes(value));
}

/** The answer of one item, read-only: the chosen option's label, a text, or a signature. */
function AnswerValue({
  template,
  item,
  answer,
}: {
  template: FormTemplate;
  item: FormItem;
  answer: Answer | undefined;
}): ReactNode {
  if (!answer) return <Typography.Text type="secondary">未填写</Typography.Text>;
  switch (item.kind) {
    case 'choice': {
      if (!('value' in answer)) return <Typography.Text type="secondary">未填写</Typography.Text>;
      const option = item.options.find((o) => o.value === answer.value);
      const detail = answer.text
        ? `（${answer.text}）`
        : answer.number !== undefined
          ? ` ${answer.number} ${option?.withNumber ?? ''}`
          : '';
      return (
        <Tag
          color={raises(template, item.key, answer.value) ? 'orange' : undefined}
          style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
        >
          {(option?.label ?? answer.value) + detail}
        </Tag>
      );
    }
    case 'text':
      return 'text' in answer && answer.text?.trim() ? (
        <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{answer.text}</Typography.Text>
      ) : (
        <Typography.Text type="secondary">未填写</Typography.Text>
      );
    case 'signature':
      return 'signature' in answer ? (
        <Image
          src={attachmentUrl(answer.signature)}
          alt={item.label}
          height={48}
          style={{ background: '#fafafa', border: '1px solid #f0f0f0', objectFit: 'contain' }}
        />
      ) : (
        <Typography.Text type="secondary">未签字</Typography.Text>
      );
  }
}

/** One label–value row. */
function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="visit-answer-row">
      <Typography.Text type="secondary" className="visit-answer-label">
        {label}
      </Typography.Text>
      <div className="visit-answer-value">{children}</div>
    </div>
  );
}

/**
 * A visit's answers drawn read-only from its template: each section with its items and the chosen
 * options' labels (optional sections only when answered), then the campaign checks of the visit.
 */
export function VisitAnswersView({
  visit,
  template,
}: {
  visit: VisitDto;
  template: FormTemplate | undefined;
}) {
  const answers = visit.answers;
  if (Object.keys(answers).length === 0) {
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description="这条探访记录没有填写表单项目（例如按纸质记录补录的探访）"
      />
    );
  }
  if (!template) {
    return (
      <Typography.Text type="secondary">
        无法载入探访记录表“{visit.template.name}”第 {visit.template.version}{' '}
        版，暂不能显示填写内容。
      </Typography.Text>
    );
  }
  const sections = template.sections.filter(
    (s) => !s.optional || s.items.some((i) => answers[i.key] !== undefined),
  );
  return (
    <Flex vertical gap={12} data-testid="visit-answers">
      {sections.map((section) => (
        <div key={section.key}>
          <Typography.Text strong>{section.label}</Typography.Text>
          <div className="visit-answer-grid">
            {section.items
              .filter((i) => !section.optional || answers[i.key] !== undefined)
              .map((item) => (
                <Row key={item.key} label={item.label}>
                  <AnswerValue template={template} item={item} answer={answers[item.key]} />
                </Row>
              ))}
          </div>
        </div>
      ))}
      {visit.checklist.length > 0 && (
        <div>
          <Typography.Text strong>专项检查</Typography.Text>
          <div className="visit-answer-grid">
            {visit.checklist.map((check) => {
              const a = answers[checkKey(check)];
              const value = a && 'value' in a ? a.value : undefined;
              return (
                <Row key={check.key} label={check.label}>
                  {value === 'ok' || value === 'hazard' ? (
                    <Tag
                      color={value === 'hazard' ? 'red' : 'green'}
                      style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
                    >
                      {CHECK_LABELS[value]}
                      {a && 'text' in a && a.text ? `（${a.text}）` : ''}
                    </Tag>
                  ) : (
                    <Typography.Text type="secondary">未填写</Typography.Text>
                  )}
                </Row>
              );
            })}
          </div>
        </div>
      )}
    </Flex>
  );
}
