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
 * The template of a key (its newest version) or of a key and version (a stored draft's). A built-in
 * answers at once, offline too; online, a newer version the city uploaded replaces it (or an
 * uploaded-only key is fetched).
 */
export function useTemplate(key: string, version?: number): TemplateState {
  const [state, setState] = useState<TemplateState>(() => {
    const t = builtin(key, version);
    return t ? { status: 'ready', template: t } : { status: 'loading' };
  });
  useEffect(() => {
    const b = builtin(key, version);
    if (b && version !== undefined) {
      setState({ status: 'ready', template: b });
      return;
    }
    let cancelled = false;
    setState(b ? { status: 'ready', template: b } : { status: 'loading' });
    (async () => {
      let v = version;
      if (v === undefined) {
        const { items } = await visitApi.templates();
        const versions = items.filter((i) => i.key === key).map((i) => i.version);
        if (versions.length === 0) {
          if (b) return b;
          throw new Error(`找不到探访记录表 ${key}，请联系乡镇工作人员`);
        }
        v = Math.max(...versions);
        if (b && b.version === v) return b;
      }
      return visitApi.template(key, v);
    })().then(
      (template) => !cancelled && setState({ status: 'ready', template }),
      (e: unknown) => {
        // Offline with a built-in at hand: keep it.
        if (!cancelled && !b) setState({ status: 'error', message: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, version]);
  return state;
}
