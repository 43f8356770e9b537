import { CATEGORY_LABELS, GENDER_LABELS, TIER_LABELS } from '@tanfang/domain';
import { Alert, Card, Collapse, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import type { ElderAnalysis } from './elderForm';
import { TierTag } from './ElderTags';
import { FINDING_SOURCE_COLORS, FINDING_SOURCE_LABELS, fieldLabel } from './labels';

/** The panel's body: ID facts, category findings, contradictions, tier. */
function RulesBody({ analysis }: { analysis: ElderAnalysis }) {
  const { evaluation, evaluationError, skipped } = analysis;
  if (!evaluation) {
    return (
      <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="rules-waiting">
        {evaluationError}
      </Typography.Paragraph>
    );
  }
  const { tier } = evaluation;
  const { standInAge } = analysis;
  // With the ID number masked (edit), the birth date is unknown here: the age is the record's.
  const facts =
    standInAge === undefined
      ? [
          { key: 'birth', label: '出生日期', children: evaluation.birthDate },
          { key: 'gender', label: '性别', children: GENDER_LABELS[evaluation.gender] },
          { key: 'age', label: '年龄', children: `${evaluation.age} 周岁` },
        ]
      : [
          { key: 'gender', label: '性别', children: GENDER_LABELS[evaluation.gender] },
          { key: 'age', label: '年龄', children: `${standInAge} 周岁` },
        ];
  return (
    <Flex vertical gap={16}>
      <div>
        <Descriptions size="small" column={1} bordered items={facts} />
        {standInAge !== undefined && (
          <Typography.Paragraph
            type="secondary"
            style={{ margin: '4px 0 0', fontSize: 12 }}
            data-testid="rules-masked-id"
          >
            身份证号已脱敏，按当前年龄认定；保存后以系统按完整身份证号认定的结果为准。
          </Typography.Paragraph>
        )}
      </div>

      <div data-testid="rules-findings">
        <Typography.Text strong>类别认定</Typography.Text>
        {evaluation.findings.length === 0 ? (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            暂无认定的类别
          </Typography.Paragraph>
        ) : (
          <Flex vertical gap={8} style={{ marginTop: 6 }}>
            {evaluation.findings.map((f) => (
              <div key={`${f.category}-${f.source}`}>
                <Space size={4} wrap>
                  <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
                    {CATEGORY_LABELS[f.category]}
                  </Tag>
                  <Tag color={FINDING_SOURCE_COLORS[f.source]} style={{ marginInlineEnd: 0 }}>
                    {FINDING_SOURCE_LABELS[f.source]}
                  </Tag>
                </Space>
                <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', fontSize: 12 }}>
                  {f.why}
                </Typography.Paragraph>
              </div>
            ))}
          </Flex>
        )}
      </div>

      {evaluation.contradictions.length > 0 && (
        <Flex vertical gap={6} data-testid="rules-contradictions">
          <Typography.Text strong>矛盾提示</Typography.Text>
          {evaluation.contradictions.map((c) => (
            <Alert
              key={c.code}
              type="warning"
              showIcon
              title={c.message}
              description={`涉及：${fieldLabel(c.field)}`}
            />
          ))}
        </Flex>
      )}

      <div data-testid="rules-tier">
        <Space size={6} wrap>
          <Typography.Text strong>分级</Typography.Text>
          <TierTag tier={tier.effective} />
          {tier.override && (
            <Typography.Text type="secondary">
              （人工调整，计算结果为{TIER_LABELS[tier.computed]}）
            </Typography.Text>
          )}
        </Space>
        <ul style={{ margin: '6px 0 0', paddingInlineStart: 20 }}>
          {tier.reasons.map((r) => (
            <li key={r}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r}
              </Typography.Text>
            </li>
          ))}
        </ul>
      </div>

      {skipped.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
          以下内容尚未填写完整或有误，暂未计入：{skipped.join('、')}
        </Typography.Paragraph>
      )}
    </Flex>
  );
}

/** A one-line summary for the collapsed panel on a phone. */
function summary(analysis: ElderAnalysis): string {
  const e = analysis.evaluation;
  if (!e) return '填写身份证号后自动认定';
  const parts = [`${analysis.standInAge ?? e.age} 周岁`, `分级：${TIER_LABELS[e.tier.effective]}`];
  if (e.categories.length > 0) parts.push(e.categories.map((c) => CATEGORY_LABELS[c]).join('、'));
  if (e.contradictions.length > 0) parts.push(`${e.contradictions.length} 处矛盾`);
  return parts.join(' · ');
}

/**
 * 自动认定: what the ledger rules make of the form as it is typed: birth date, gender and age
 * from the ID number, derived and suggested categories with why, contradictions, the tier.
 */
export function RulesPanel({ analysis, narrow }: { analysis: ElderAnalysis; narrow: boolean }) {
  if (narrow) {
    return (
      <Collapse
        data-testid="rules-panel"
        size="small"
        style={{ background: '#fff' }}
        items={[
          {
            key: 'rules',
            label: (
              <Typography.Text>
                <Typography.Text strong>自动认定</Typography.Text>：{summary(analysis)}
              </Typography.Text>
            ),
            children: (
              // Open on a phone, the panel scrolls by itself and leaves room for the form.
              <div style={{ maxHeight: '50vh', overflowY: 'auto' }}>
                <RulesBody analysis={analysis} />
              </div>
            ),
          },
        ]}
      />
    );
  }
  return (
    <Card
      data-testid="rules-panel"
      size="small"
      title="自动认定"
      extra={<Typography.Text type="secondary">随填写实时更新</Typography.Text>}
      // Sticky beside the form: the panel scrolls by itself when taller than the window.
      styles={{ body: { maxHeight: 'calc(100vh - 160px)', overflowY: 'auto' } }}
    >
      <RulesBody analysis={analysis} />
    </Card>
  );
}
