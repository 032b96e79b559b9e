/**
 * How names from different tables are compared: an inventory port "5" is the switch's ifName "5", an LLDP
 * neighbour "xen1.lab.local" is the host xen1, a MAC arrives in any of its spellings. Kept in one place so
 * every join in the graph matches the same way.
 */
import { normaliseMac } from '../checks/addresses';

export const fold = (text: string) => text.trim().toLowerCase();

export const sameName = (a: string, b: string) => a !== '' && fold(a) === fold(b);

/** A system name as a host name: its first DNS label, folded ("XEN1.lab.local" → "xen1"). */
export const shortName = (text: string) => fold(text).split('.')[0] ?? '';

/** Our one spelling, which normaliseMac would return unchanged: most MACs arrive in it from the drivers. */
const CANONICAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** A MAC in our one spelling, or null; all-zero and broadcast MACs are no identity. */
export function macOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const mac = CANONICAL_MAC.test(text) ? text : normaliseMac(text);
  if (mac === null || mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return null;
  return mac;
}

/**
 * IANA ifTypes of interfaces a cable plugs into: ethernetCsmacd (6), iso88023Csmacd (7), fastEther (62),
 * fastEtherFX (69), ieee80211 (71), gigabitEthernet (117), and 0 when the agent gives none but the row looks
 * like a port. VLAN interfaces (135, 136), propVirtual (53), loopbacks (24), tunnels (131), bridges (209) and
 * aggregates (161, 54) are not physical.
 */
const PHYSICAL_IF_TYPES = new Set([6, 7, 26, 62, 69, 71, 117]);
export const AGGREGATE_IF_TYPES = new Set([161, 54]);

export function isPhysicalIfType(type: number | null): boolean {
  return type !== null && PHYSICAL_IF_TYPES.has(type);
}

/** "0000:02:00.1" → "0000:02:00": the PCI device, which the functions (ports) of one controller share. */
export function pciDevice(busPath: string): string | null {
  const match = /^([0-9a-f]{4}:)?([0-9a-f]{2}):([0-9a-f]{2})\.[0-7]$/i.exec(busPath.trim());
  if (!match) return null;
  return `${match[1] ?? '0000:'}${match[2]}:${match[3]}`.toLowerCase();
}

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function uniqueSorted(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/** "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
