import type { FormInstance } from 'antd';
import type { ApiError } from '../api';

/** One problem found by a schema, in the shape zod reports it. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The part of a zod schema the form helpers use (keeps this module free of a zod import). */
export interface ParseableSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

/** An antd validator rule that runs one domain schema; empty values pass when `optional`. */
export function schemaRule<T>(schema: ParseableSchema<T>, optional = false) {
  return {
    validator: async (_rule: unknown, value: unknown) => {
      if (optional && (value === undefined || value === null || value === '')) return;
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? '输入不正确');
    },
  };
}

/**
 * Groups schema issues by their top-level field, for `form.setFields`; issues about fields the
 * form does not have (or about the whole object) are returned under `rest`.
 */
export function issuesToFields<K extends string>(
  issues: readonly SchemaIssue[],
  fieldNames: readonly K[],
): { fields: { name: K; errors: string[] }[]; rest: string[] } {
  const byField = new Map<K, string[]>();
  const rest: string[] = [];
  for (const issue of issues) {
    const key = issue.path[0];
    const name = fieldNames.find((f) => f === key);
    if (name === undefined) {
      rest.push(issue.message);
      continue;
    }
    const messages = byField.get(name) ?? [];
    if (!messages.includes(issue.message)) messages.push(issue.message);
    byField.set(name, messages);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), rest };
}

/**
 * Puts a server error onto the form's fields (`details`, else `field`); returns whether any
 * field of the form took it, so the caller shows the message otherwise.
 */
export function applyServerError(
  form: FormInstance,
  fieldNames: readonly string[],
  error: ApiError,
): boolean {
  const reported =
    error.details.length > 0
      ? error.details
      : error.field
        ? [{ field: error.field, message: error.message }]
        : [];
  const { fields } = issuesToFields(
    reported.map((d) => ({ path: [d.field], message: d.message })),
    fieldNames,
  );
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
