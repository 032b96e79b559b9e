import { call, messageOf } from '../../lib/api.svelte';
import { ask } from '../../lib/confirm.svelte';
import { toast } from '../../lib/app-state.svelte';

/** Removes a cable after a confirm naming both ends; the ports stay. */
export async function removeCable(linkId: number, aEnd: string, bEnd: string): Promise<void> {
  const ok = await ask({
    title: 'Remove this cable?',
    message: `The cable between ${aEnd} and ${bEnd} is removed from the inventory. Both ports stay.`,
    confirmLabel: 'Remove cable',
    danger: true,
  });
  if (!ok) return;
  try {
    await call('links.delete', linkId);
    toast('Cable removed.');
  } catch (error) {
    toast(messageOf(error), 'error');
  }
}
