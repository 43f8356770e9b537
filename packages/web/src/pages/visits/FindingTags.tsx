import {
  FINDING_STATUS_LABELS,
  type FindingDto,
  type FindingSeverity,
  type FindingStatus,
} from '@tanfang/domain';
import { Tag } from 'antd';
import { SEVERITY_COLORS, severityLabel } from './visitText';

/** The severity as a coloured tag (紧急 solid red). */
export function SeverityTag({ severity }: { severity: FindingSeverity }) {
  return (
    <Tag
      color={SEVERITY_COLORS[severity]}
      variant={severity === 'emergency' ? 'solid' : undefined}
      style={{ marginInlineEnd: 0 }}
    >
      {severityLabel(severity)}
    </Tag>
  );
}

const STATUS_COLORS: Record<FindingStatus, string | undefined> = {
  open: 'gold',
  in_progress: 'processing',
  referred: 'purple',
  resolved: 'success',
  closed: undefined,
};

/** The handling status as a tag. */
export function FindingStatusTag({ status }: { status: FindingStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {FINDING_STATUS_LABELS[status]}
    </Tag>
  );
}

/** A visit's finding as one tag coloured by severity: 严重 · 患严重疾病. */
export function FindingTag({ finding }: { finding: FindingDto }) {
  return (
    <Tag
      color={SEVERITY_COLORS[finding.severity]}
      variant={finding.severity === 'emergency' ? 'solid' : undefined}
      title={finding.source}
      style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
      data-testid="visit-finding"
    >
      {severityLabel(finding.severity)} · {finding.title}
    </Tag>
  );
}
