import type { FormRule } from 'antd';
import { DatePicker, Form, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import type { FieldPath } from './elderForm';

/** Makes the live rule of one field: the domain schema and ledger rules, issues at its path. */
export type RuleFor = (path: FieldPath, emptyMessage?: string) => FormRule;

/** Select options from a *_LABELS map. */
export function labelOptions<T extends string>(labels: Record<T, string>) {
  return (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));
}

/** 是 / 否 / 未填. */
export const YES_NO_OPTIONS = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
  { value: 'unknown', label: '未填' },
];

/** 男 / 女. */
export const GENDER_OPTIONS = [
  { value: 'male', label: '男' },
  { value: 'female', label: '女' },
];

/** A 是/否/未填 question of the official forms. */
export function YesNoRadio(props: {
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}) {
  return (
    <Radio.Group
      id={props.id}
      optionType="button"
      options={YES_NO_OPTIONS}
      value={props.value ?? 'unknown'}
      onChange={(e) => props.onChange?.(String(e.target.value))}
    />
  );
}

const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** A date field kept as YYYY-MM-DD in the form (no future dates). */
export function DateItem({
  name,
  label,
  rules,
  extra,
}: {
  name: FieldPath;
  label: ReactNode;
  rules?: FormRule[];
  extra?: ReactNode;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={rules}
      extra={extra}
      getValueProps={(value: string | undefined) => ({ value: value ? dayjs(value) : undefined })}
      normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
    >
      <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
    </Form.Item>
  );
}

/** A month field kept as YYYY-MM in the form (外出时间). */
export function MonthItem({
  name,
  label,
  rules,
}: {
  name: FieldPath;
  label: ReactNode;
  rules?: FormRule[];
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={rules}
      getValueProps={(value: string | undefined) => ({
        value: value ? dayjs(`${value}-01`) : undefined,
      })}
      normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM') : undefined)}
    >
      <DatePicker
        picker="month"
        format="YYYY-MM"
        placeholder="选择年月"
        style={{ width: '100%' }}
        disabledDate={(d) => d.isAfter(dayjs(), 'month')}
      />
    </Form.Item>
  );
}
