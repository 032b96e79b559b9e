/**
 * Words, tones and places for the lab-graph screens (Overview, Ports, Topology, What if) and the detail pages
 * that show the same facts: a finding's severity, a device's health, how a link was found, a port's state,
 * and where a device's page is. No DOM and no runes, so tests under Node import it.
 */
import type { Finding, PortRow } from '../../src-main/api/contract';
import type { DeviceHealth, LinkSource } from '../../src-main/domain/graph/types';
import type { DeviceKind } from '../../src-main/domain/model/devices';
import type { VlanSet } from '../../src-main/domain/graph/rows';
import type { Tone } from './format';
import { href } from './routes';

export type Severity = Finding['severity'];

export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export const SEVERITY_TONE: Record<Severity, Tone> = { error: 'bad', warning: 'warn', info: 'info' };

/** "2 errors", "1 warning", "3 info". */
export function severityCount(severity: Severity, count: number): string {
  if (severity === 'info') return `${count} info`;
  return `${count} ${severity}${count === 1 ? '' : 's'}`;
}

export const HEALTH_TONE: Record<DeviceHealth, Tone> = { up: 'ok', stale: 'warn', unreachable: 'bad', 'not-polled': 'muted' };

export const HEALTH_TEXT: Record<DeviceHealth, string> = { up: 'up', stale: 'stale', unreachable: 'unreachable', 'not-polled': 'not polled' };

export const HEALTH_ORDER: readonly DeviceHealth[] = ['unreachable', 'stale', 'not-polled', 'up'];

/** How a link was found, in the owner's words. */
export const SOURCE_TEXT: Record<LinkSource, string> = { lldp: 'LLDP', lacp: 'LACP', fdb: 'MAC table', cable: 'cable' };

export const SOURCE_HINT: Record<LinkSource, string> = {
  lldp: 'an LLDP neighbour seen from one end or both',
  lacp: "the LACP partner a switch reports for its LAG's members",
  fdb: "the switch's MAC address table: this port learned the far end's MAC",
  cable: 'the inventory says so (no discovery confirms it)',
};

export const COLLECTOR_TEXT: Record<string, string> = { xenapi: 'XenAPI', snmp: 'SNMP', iscsi: 'iSCSI discovery', dsm: 'DSM API' };

/** A port's state for the Ports view: a port nobody reported is "no observation", never "up"; an unplanned, unpeered port down is grey. */
export function portStateText(row: Pick<PortRow, 'state' | 'observed'> & Partial<Pick<PortRow, 'inInventory' | 'peer'>>): { text: string; tone: Tone } {
  if (!row.observed) return { text: 'no observation', tone: 'muted' };
  switch (row.state) {
    case 'up':
      return { text: 'up', tone: 'ok' };
    case 'down':
      // Down matters where a cable is planned or seen; an unused port being down is normal.
      return { text: 'down', tone: row.inInventory === false && !row.peer ? 'muted' : 'bad' };
    case 'admin-down':
      return { text: 'admin down', tone: 'muted' };
    case 'stale':
      return { text: 'stale', tone: 'warn' };
    default:
      return { text: 'link unknown', tone: 'muted' };
  }
}

/** A member's link, as a word: up, down, or ? when the device did not say. */
export const linkWord = (up: boolean | null) => (up === true ? 'up' : up === false ? 'down' : '?');

/** "xen1:eth1" → { device: "xen1", port: "eth1" } (a port name may itself hold a colon). */
export function splitKey(key: string): { device: string; port: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { device: key, port: '' } : { device: key.slice(0, colon), port: key.slice(colon + 1) };
}

/** "U 10 · T 100,101", "—" for none. */
export function vlanSetText(set: VlanSet | null): string {
  if (!set) return '—';
  const parts: string[] = [];
  if (set.untagged !== null) parts.push(`U ${set.untagged}`);
  if (set.tagged.length) parts.push(`T ${compactVlans(set.tagged)}`);
  return parts.join(' · ') || 'none';
}

/** [10, 20, 21, 22, 23] → "10,20-23". */
export function compactVlans(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/** Discovery (LLDP, LACP, the MAC table) found this port's peer and the inventory has no cable for it. */
export function discoveredNotCabled(row: Pick<PortRow, 'peer' | 'peerSource' | 'peerAlsoSeenBy'>): boolean {
  return row.peer !== null && row.peerSource !== null && row.peerSource !== 'cable' && !row.peerAlsoSeenBy.includes('cable');
}

/** What a device's page is, to link its name from anywhere. */
export interface DevicePlace {
  id: number;
  kind: DeviceKind;
  /** A host's pool, by inventory id. */
  poolId: number | null;
  /** An SNMP agent is set up for it (a switch's live page needs one). */
  snmp: boolean;
}

/**
 * Where a device's name leads: a pool (and a pool's host) to the live pool page, a switch polled over SNMP
 * to its port table, a SAN or NAS to Storage health, anything else to its inventory page.
 */
export function placeHref(place: DevicePlace): string {
  switch (place.kind) {
    case 'xen-pool':
      return href({ screen: 'pool', id: place.id });
    case 'xen-host':
      return place.poolId !== null ? href({ screen: 'pool', id: place.poolId }) : href({ screen: 'device', id: place.id });
    case 'switch':
      return place.snmp ? href({ screen: 'switch', id: place.id }) : href({ screen: 'device', id: place.id });
    case 'iscsi-san':
    case 'nas':
      return href({ screen: 'storage' });
    default:
      return href({ screen: 'device', id: place.id });
  }
}

/** A finding's line on the Overview. */
export const findingHref = (id: string) => href({ screen: 'overview', finding: id });

/** Open findings first (worst first), then accepted ones. */
export function worstOpen(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) {
    if (f.accepted) continue;
    if (worst === null || SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(worst)) worst = f.severity;
  }
  return worst;
}

/** Each inventory device's place by name, from `devices.list`. */
export function placesOf(devices: readonly { id: number; name: string; kind: DeviceKind; memberOf: number | null; snmp: unknown }[]): Map<string, DevicePlace> {
  return new Map(devices.map((d) => [d.name, { id: d.id, kind: d.kind, poolId: d.kind === 'xen-host' ? d.memberOf : null, snmp: d.snmp !== null }]));
}
