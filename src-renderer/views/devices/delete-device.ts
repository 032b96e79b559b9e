import type { DeviceSummary } from '../../../src-main/domain/model';
import { call } from '../../lib/api.svelte';
import { deleteAfterConfirm } from '../../lib/confirm-delete';

/** Deletes a device after a confirm that says what goes with it. True when deleted. */
export function confirmDelete(device: Pick<DeviceSummary, 'id' | 'name'>): Promise<boolean> {
  return deleteAfterConfirm({
    title: `Delete ${device.name}?`,
    confirmLabel: `Delete ${device.name}`,
    impact: () => call('devices.deleteImpact', device.id),
    remove: () => call('devices.delete', device.id),
  });
}
