import type { DeviceSummary } from '../../../src-main/domain/model';
import { call } from '../../lib/api.svelte';
import { ask } from '../../lib/confirm.svelte';

/** Asks with the API's own account of what goes along, then deletes. True when deleted. */
export async function confirmDelete(device: Pick<DeviceSummary, 'id' | 'name'>): Promise<boolean> {
  const impact = await call('devices.deleteImpact', device.id);
  const ok = await ask({
    title: `Delete ${device.name}?`,
    message: impact.summary,
    details: impact.consequences.map((c) => c.text),
    confirmLabel: `Delete ${device.name}`,
    danger: true,
  });
  if (!ok) return false;
  await call('devices.delete', device.id);
  return true;
}
