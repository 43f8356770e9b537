import { TIER_LABELS, type Tier, type WorklistBucket } from '@tanfang/domain';
import type { CSSProperties, ReactNode } from 'react';

/**
 * Type sizes of the field app, for older eyes on small phones: body text 17px and up, headings
 * larger (WCAG 1.4.4; the 适老化 guidance asks for at least 18pt-equivalent headings).
 */
export const FIELD_FONT = { body: 17, large: 19, title: 22, hero: 26 } as const;

/** Colours of one worklist group: strong text on a pale ground, each pair at least 4.5:1. */
export interface Tone {
  text: string;
  background: string;
  border: string;
}

/** 已逾期 red, 专项任务 orange, 今天到期 blue, 本周到期 indigo, 本期待访 grey. */
export const BUCKET_TONES: Record<WorklistBucket, Tone> = {
  overdue: { text: '#a8071a', background: '#fff1f0', border: '#ff7875' },
  campaign: { text: '#873800', background: '#fff7e6', border: '#ffa940' },
  today: { text: '#003eb3', background: '#e6f4ff', border: '#4096ff' },
  week: { text: '#10239e', background: '#f0f5ff', border: '#85a5ff' },
  later: { text: '#262626', background: '#f5f5f5', border: '#bfbfbf' },
};

const TIER_TONES: Record<Tier, Tone> = {
  high_risk: { text: '#fff', background: '#cf1322', border: '#cf1322' },
  key: { text: '#873800', background: '#fff7e6', border: '#fa8c16' },
  general: { text: '#262626', background: '#fafafa', border: '#8c8c8c' },
};

/** A label in large type (antd's Tag is 12px, too small to read at arm's length). */
export function BigTag({
  tone,
  children,
  style,
}: {
  tone: Tone;
  children: ReactNode;
  style?: CSSProperties;
}) {
  return (
    <span
      style={{
        display: 'inline-block',
        padding: '1px 8px',
        fontSize: 15,
        lineHeight: '24px',
        fontWeight: 600,
        borderRadius: 6,
        color: tone.text,
        background: tone.background,
        border: `1px solid ${tone.border}`,
        whiteSpace: 'nowrap',
        ...style,
      }}
    >
      {children}
    </span>
  );
}

/** 分级 in large type: 高风险 white on red, 重点 orange, 一般 grey. */
export function FieldTierTag({ tier }: { tier: Tier }) {
  return <BigTag tone={TIER_TONES[tier]}>{TIER_LABELS[tier]}</BigTag>;
}

/** 替补: the visitor is the elder's backup (备用探访人) and sees the elder because it is overdue. */
export function BackupTag() {
  return <BigTag tone={{ text: '#391085', background: '#f9f0ff', border: '#9254de' }}>替补</BigTag>;
}

/** 草稿: the visitor has started a visit to this elder on this phone and not yet submitted it. */
export function DraftTag() {
  return (
    <span data-testid="draft-tag">
      <BigTag tone={{ text: '#003eb3', background: '#e6f4ff', border: '#4096ff' }}>草稿</BigTag>
    </span>
  );
}

/** One label–value line of an elder's details. */
export function InfoLine({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 8, fontSize: FIELD_FONT.body, lineHeight: 1.5 }}>
      <span style={{ color: '#595959', flex: 'none' }}>{label}</span>
      <span style={{ color: '#1f1f1f', minWidth: 0, overflowWrap: 'anywhere' }}>{children}</span>
    </div>
  );
}
