/**
 * The Ports view's two inventory changes, each behind a confirm that says what it does: a link discovery
 * found becomes a cable (replacing whatever cable either port had), and a device's unplanned ports join the
 * inventory.
 */
import type { PortRow } from '../../../src-main/api/contract';
import { call } from '../../lib/api.svelte';
import { ask } from '../../lib/confirm.svelte';
import { toast } from '../../lib/app-state.svelte';
import { SOURCE_TEXT, splitKey } from '../../lib/lab';
import { plural } from '../../lib/format';

const fold = (text: string) => text.trim().toLowerCase();
const spaced = (key: string) => `${splitKey(key).device} ${splitKey(key).port}`;

/** Asks, naming the cables it replaces (read from the inventory now) and the ports it adds; true when done. */
export async function acceptAsCable(row: PortRow, peer: PortRow | undefined): Promise<boolean> {
  if (!row.peer || !row.peerSource) return false;
  const ends = [splitKey(row.port), splitKey(row.peer)];
  const touches = (end: { deviceName: string; portName: string }) => ends.some((e) => fold(e.device) === fold(end.deviceName) && fold(e.port) === fold(end.portName));
  const cables = (await call('links.list')).filter((l) => touches(l.a) || touches(l.b));
  const details = [
    ...cables.map((c) => `It replaces the cable ${c.a.deviceName} ${c.a.portName} ↔ ${c.b.deviceName} ${c.b.portName} (${c.source}).`),
    ...[row, peer].filter((r): r is PortRow => !!r && !r.inInventory).map((r) => `It adds port ${spaced(r.port)} to the inventory, as ${r.device} reports it.`),
  ];
  const ok = await ask({
    title: cables.length ? 'Replace the cable with the one discovered?' : 'Accept as cable?',
    message: `Record in the inventory that ${spaced(row.port)} is cabled to ${spaced(row.peer)}, as ${SOURCE_TEXT[row.peerSource]} found.`,
    details,
    confirmLabel: cables.length ? `Replace ${plural(cables.length, 'cable')}` : 'Accept as cable',
  });
  if (!ok) return false;
  const result = await call('lab.acceptLink', { device: ends[0]!.device, port: ends[0]!.port }, { device: ends[1]!.device, port: ends[1]!.port });
  toast(
    `Recorded the cable ${spaced(row.port)} ↔ ${spaced(row.peer)}` +
      (result.replaced ? `, replacing ${plural(result.replaced, 'cable')}` : '') +
      (result.portsAdded ? `, adding ${plural(result.portsAdded, 'port')}` : '') +
      '.',
  );
  return true;
}

export async function adoptPorts(device: string, names: readonly string[]): Promise<boolean> {
  const ok = await ask({
    title: `Add ${device}'s ports to the inventory?`,
    message: `${device} reports ${plural(names.length, 'port')} the inventory does not plan. Add them as ${device} reports them (role, bond or LAG, VLANs, MAC); VLANs not in the plan join it.`,
    details: names.length > 12 ? [...names.slice(0, 12), `and ${names.length - 12} more`] : [...names],
    confirmLabel: `Add ${plural(names.length, 'port')}`,
  });
  if (!ok) return false;
  const { added } = await call('lab.adoptPorts', device);
  toast(`Added ${plural(added, 'port')} of ${device} to the inventory.`);
  return true;
}
