import type { FormInstance } from 'antd';
import type { ApiError } from '../../api';
import type { SchemaIssue } from '../../lib/zodForm';

/** A form field's name path (antd's NamePath as an array). */
export type FieldPath = (string | number)[];

/** Maps an input path (as the schema or the server names it) to the form field showing it. */
export type PathMapper = (path: FieldPath) => FieldPath | undefined;

/** Input paths as they are: top-level fields keep their name, nested ones their path. */
export const samePath: PathMapper = (path) => (path.length > 0 ? path : undefined);

/**
 * Puts issues on the fields `mapPath` names (only fields the form has); returns the messages no
 * field took, for an alert above the form.
 */
export function placeIssues(
  form: FormInstance,
  issues: readonly SchemaIssue[],
  mapPath: PathMapper,
): string[] {
  const registered = form.getFieldsError().map((f) => JSON.stringify(f.name));
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const rest: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
    const target = mapPath(path);
    const key = target ? JSON.stringify(target) : undefined;
    if (!target || !key || !registered.includes(key)) {
      if (!rest.includes(issue.message)) rest.push(issue.message);
      continue;
    }
    const entry = byField.get(key) ?? { name: target, errors: [] };
    if (!entry.errors.includes(issue.message)) entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return rest;
}

/**
 * A server error as issues: its `details`, else its `field` with the whole message; a field
 * such as `cadence.days` or `checklist.1.label` becomes a path.
 */
export function serverIssues(error: ApiError): SchemaIssue[] {
  if (error.details.length > 0) {
    return error.details.map((d) => ({ path: splitField(d.field), message: d.message }));
  }
  return [{ path: error.field ? splitField(error.field) : [], message: error.message }];
}

function splitField(field: string): FieldPath {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
