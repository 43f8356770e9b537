import type { FormTemplate } from '@tanfang/domain';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import { visitApi } from './visitApi';
import { builtinTemplate } from './visitPlan';

/** A template being found: built-ins at once (offline too), an uploaded one from the server. */
export type TemplateState =
  | { status: 'loading' }
  | { status: 'ready'; template: FormTemplate }
  | { status: 'error'; message: string };

function builtin(key: string, version: number | undefined): FormTemplate | undefined {
  const t = builtinTemplate(key);
  return t && (version === undefined || t.version === version) ? t : undefined;
}

/**
 * The template of a key (its newest version) or of a key and version (a stored draft's). Built-in
 * ones come from the domain; uploaded ones from `GET /api/templates`.
 */
export function useTemplate(key: string, version?: number): TemplateState {
  const [state, setState] = useState<TemplateState>(() => {
    const t = builtin(key, version);
    return t ? { status: 'ready', template: t } : { status: 'loading' };
  });
  useEffect(() => {
    const t = builtin(key, version);
    if (t) {
      setState({ status: 'ready', template: t });
      return;
    }
    let cancelled = false;
    setState({ status: 'loading' });
    (async () => {
      let v = version;
      if (v === undefined) {
        const { items } = await visitApi.templates();
        const versions = items.filter((i) => i.key === key).map((i) => i.version);
        if (versions.length === 0) throw new Error(`找不到探访记录表 ${key}，请联系乡镇工作人员`);
        v = Math.max(...versions);
      }
      return visitApi.template(key, v);
    })().then(
      (template) => !cancelled && setState({ status: 'ready', template }),
      (e: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, version]);
  return state;
}
