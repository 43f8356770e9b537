import type { FormTemplate } from '@tanfang/domain';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api';
import { useCurrentUser } from '../../auth/useAuth';
import { builtinVersion, findTemplate, knownNewest } from './templateCache';

/** A template being found: at once when built in or known, else from the phone or the server. */
export type TemplateState =
  | { status: 'loading' }
  | { status: 'ready'; template: FormTemplate }
  | { status: 'error'; message: string };

/** The template to show without waiting, when that needs neither storage nor network. */
function immediate(userId: string, key: string, version: number | undefined) {
  const v = version ?? knownNewest(userId, key);
  return v === undefined ? undefined : builtinVersion(key, v);
}

/**
 * The template of a key (its newest version) or of a key and version (a draft's or a queued
 * visit's). A built-in or a version the worklist load kept answers without the network, so an
 * uploaded form opens offline too (see `templateCache.ts`).
 */
export function useTemplate(key: string, version?: number): TemplateState {
  const user = useCurrentUser();
  const [state, setState] = useState<TemplateState>(() => {
    const t = immediate(user.id, key, version);
    return t ? { status: 'ready', template: t } : { status: 'loading' };
  });
  useEffect(() => {
    const t = immediate(user.id, key, version);
    if (t) {
      setState({ status: 'ready', template: t });
      return;
    }
    let cancelled = false;
    setState({ status: 'loading' });
    findTemplate(user.id, key, version).then(
      (template) => !cancelled && setState({ status: 'ready', template }),
      (e: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [user.id, key, version]);
  return state;
}
