/**
 * Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male, even = female), and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Gender codes used across the domain. */
export type Gender = 'male' | 'female';
/** Chinese labels of the genders. */
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };

/** What an ID number tells. */
export interface IdNumberFacts {
  /** Normalised: upper-case X. */
  idNumber: string;
  /** Birth date, YYYY-MM-DD. */
  birthDate: string;
  gender: Gender;
  /** The 6-digit address code of registration (may be a code since abolished). */
  addressCode: string;
}

/** The check character for the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Checks an ID number's form, check character and birth date (a real date, not in the future
 * of `today`). Returns the facts, or a Chinese message saying what is wrong.
 */
export function parseIdNumber(
  raw: string,
  today: string = todayIso(),
): { ok: true; facts: IdNumberFacts } | { ok: false; message: string } {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id))
    return { ok: false, message: '身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X' };
  const expected = idCheckCharacter(id.slice(0, 17));
  if (id[17] !== expected)
    return { ok: false, message: `身份证号校验码错误：按前 17 位计算，最后一位应为 ${expected}` };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1880 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  ) {
    return { ok: false, message: `身份证号中的出生日期 ${id.slice(6, 14)} 不是有效日期` };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate > today)
    return { ok: false, message: `身份证号中的出生日期 ${birthDate} 晚于今天` };
  return {
    ok: true,
    facts: {
      idNumber: id,
      birthDate,
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
      addressCode: id.slice(0, 6),
    },
  };
}

/** Full years of age on `onDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Today's date in China (UTC+8), YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Masks an ID number for lists: 210302********123X. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}

/** Masks a phone number: 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
