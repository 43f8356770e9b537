/**
 * Result-type parsing shared by both drivers, so PGlite and PostgreSQL return identical values:
 * int8 as number (counts), date as 'YYYY-MM-DD' string, numeric as string, timestamps as Date.
 */
export const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
} as const;

/** Parses an int8 text value; counts and ids fit in a double. */
export function parseInt8(value: string): number {
  return Number(value);
}

/** Keeps a text value as it is. */
export function identity(value: string): string {
  return value;
}
