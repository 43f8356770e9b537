import type { Answer, ChoiceOption, FormItem } from '@tanfang/domain';
import type { ReactNode } from 'react';

/** A box ☑ or ☐ with its label (the characters are in Noto CJK, so they print everywhere). */
export function Box({ checked, children }: { checked: boolean; children: ReactNode }) {
  return (
    <span className="vp-box">
      {checked ? '☑' : '☐'}
      {children}
    </span>
  );
}

/** A blank to fill in by hand, or the value when there is one. */
export function Blank({ value, width = '8mm' }: { value?: string | number; width?: string }) {
  return (
    <span className="vp-blank" style={{ minWidth: width }}>
      {value ?? ''}
    </span>
  );
}

/** An option's label with what it asks for: 严重疾病（脑梗）, 增加 2 人 — or blanks when unchosen. */
function optionText(option: ChoiceOption, answer: Answer | undefined, chosen: boolean): ReactNode {
  const a = chosen && answer && 'value' in answer ? answer : undefined;
  if (option.withText)
    return (
      <>
        {option.label}（<Blank value={a?.text} width="14mm" />）
      </>
    );
  if (option.withNumber)
    return (
      <>
        {option.label}
        <Blank value={a?.number} width="6mm" />
        {option.withNumber}
      </>
    );
  return option.label;
}

/** A choice item's options, ☑ on the one answered (all ☐ when unanswered). */
export function ChoiceBoxes({
  item,
  answer,
}: {
  item: Extract<FormItem, { kind: 'choice' }>;
  answer: Answer | undefined;
}) {
  const value = answer && 'value' in answer ? answer.value : undefined;
  return (
    <span className="vp-choices">
      {item.options.map((o) => (
        <Box key={o.value} checked={o.value === value}>
          {optionText(o, answer, o.value === value)}
        </Box>
      ))}
    </span>
  );
}

/** Splits a list into rows of n. */
export function chunk<T>(list: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}
