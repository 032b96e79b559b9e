import type { DeleteImpact } from '../../src-main/domain/model';
import { ask } from './confirm.svelte';

/**
 * Every delete in the UI: ask the API what goes along, show that in the confirm, delete only on yes.
 * True when deleted.
 */
export async function deleteAfterConfirm(request: {
  title: string;
  confirmLabel: string;
  impact: () => Promise<DeleteImpact>;
  remove: () => Promise<unknown>;
}): Promise<boolean> {
  const impact = await request.impact();
  const ok = await ask({
    title: request.title,
    message: impact.summary,
    details: impact.consequences.map((c) => c.text),
    confirmLabel: request.confirmLabel,
    danger: true,
  });
  if (!ok) return false;
  await request.remove();
  return true;
}
