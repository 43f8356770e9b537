/** Small zod builders shared by the domain's schemas, with Chinese messages that name the field. */
import { z } from 'zod';

/** The keys of a label map, as a non-empty tuple for z.enum. */
export const labelled = <T extends string>(labels: Record<T, string>) =>
  Object.keys(labels) as [T, ...T[]];

/** Trimmed text of at most `max` characters. */
export const text = (label: string, max: number) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(max, { error: `${label}最多 ${max} 个字符` });

/** Trimmed, non-empty text of at most `max` characters. */
export const requiredText = (label: string, max: number) =>
  text(label, max).min(1, { error: `请填写${label}` });

/** One of a label map's codes; the message lists the Chinese labels. */
export const oneOf = <T extends string>(labels: Record<T, string>, label: string) =>
  z.enum(labelled(labels), { error: `${label}应为：${Object.values<string>(labels).join('、')}` });

/** A calendar date 'YYYY-MM-DD'. */
export const IsoDate = z.iso.date({ error: '日期格式应为 YYYY-MM-DD' });

/** A month 'YYYY-MM'. */
export const YearMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '年月格式应为 YYYY-MM' });

/** A region code of any level (2, 4, 6, 9 or 12 digits). */
export const AnyRegionCode = z
  .string({ error: '区划代码必须是字符串' })
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { error: '区划代码格式不正确' });

/** A page number and size of a list query. */
export const paging = {
  page: z.coerce.number({ error: '页码必须是数字' }).int().min(1).max(100000).default(1),
  pageSize: z.coerce.number({ error: '每页条数必须是数字' }).int().min(1).max(200).default(20),
};
