/**
 * State every screen shares: the app's info, the vocabulary (choices for each field), toasts, and a
 * revision that increases whenever the inventory changes (here or in another window), which the
 * screens' loaders depend on.
 */
import type { AppInfo, Vocabulary } from '../../src-main/api/contract';
import { call, onEvent, messageOf } from './api.svelte';

export const app = $state({
  info: null as AppInfo | null,
  vocabulary: null as Vocabulary | null,
  revision: 0,
  startupError: '',
});

export interface Toast {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}
export const toasts = $state({ list: [] as Toast[] });
let nextToast = 1;

export function toast(text: string, kind: Toast['kind'] = 'ok'): void {
  const id = nextToast++;
  toasts.list.push({ id, kind, text });
  setTimeout(() => dismiss(id), kind === 'error' ? 9000 : 4000);
}

export function dismiss(id: number): void {
  toasts.list = toasts.list.filter((t) => t.id !== id);
}

export async function refreshInfo(): Promise<void> {
  app.info = await call('app.info');
}

export async function start(): Promise<void> {
  try {
    [app.info, app.vocabulary] = await Promise.all([call('app.info'), call('app.vocabulary')]);
  } catch (error) {
    app.startupError = messageOf(error);
  }
  onEvent('inventory.changed', () => {
    app.revision++;
  });
  onEvent('connection.restored', () => {
    app.revision++;
    void refreshInfo();
  });
}

/** The label of a choice value, e.g. kind 'xen-host' → 'XenServer host'. */
export function labelOf(list: keyof Pick<Vocabulary, 'deviceKinds' | 'portRoles' | 'linkSources' | 'vlanPurposes' | 'lunUses'>, value: string): string {
  return app.vocabulary?.[list].find((c) => c.value === value)?.label ?? value;
}
