/**
 * One pool's health at a glance: every bond judged, every SR attachment's paths judged, and the counts the
 * pool list shows. Computed from the observation whenever it is read, so the rules live in one place.
 */
import type { PoolObservation } from '../model/pools';
import { bondHealth, type BondHealth } from './bonds';
import { pathHealth, type PathHealth } from './multipath';

/**
 * A pool network as the pool page lists it: `private` when no host has an interface on it (a network
 * between VMs only, as labs keep for a pipeline: nothing is missing), `internal` for xapi's host-internal
 * management network, else the hosts that lack it (pool.asymmetric-network's finding).
 */
export interface NetworkHealth {
  name: string;
  bridge: string;
  mtu: number | null;
  kind: 'private' | 'internal' | 'external';
  hosts: string[];
  missingOn: string[];
}

export function networkHealth(observation: PoolObservation): NetworkHealth[] {
  const all = observation.hosts.map((h) => h.name);
  return observation.networks
    .map((n): NetworkHealth => {
      const kind = n.internal ? 'internal' : n.hosts.length === 0 ? 'private' : 'external';
      return { name: n.name, bridge: n.bridge, mtu: n.mtu, kind, hosts: [...n.hosts], missingOn: kind === 'external' ? all.filter((h) => !n.hosts.includes(h)) : [] };
    })
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'external' ? -1 : b.kind === 'external' ? 1 : a.kind.localeCompare(b.kind)));
}

export interface PoolHealth {
  /** host name → bond device → health. */
  bonds: Record<string, Record<string, BondHealth>>;
  /** SR uuid → host name → health. */
  paths: Record<string, Record<string, PathHealth>>;
  bondsDegraded: number;
  pathsRed: number;
  hostsNotLive: number;
  /** NICs with no link that are in use (a bond member, an IP, or the management interface). */
  nicsDown: number;
  networks: NetworkHealth[];
}

export function poolHealth(observation: PoolObservation): PoolHealth {
  const health: PoolHealth = { bonds: {}, paths: {}, bondsDegraded: 0, pathsRed: 0, hostsNotLive: 0, nicsDown: 0, networks: networkHealth(observation) };
  const hostsByName = new Map(observation.hosts.map((host) => [host.name, host]));
  for (const host of observation.hosts) {
    if (host.live === false) health.hostsNotLive++;
    const bonds: Record<string, BondHealth> = {};
    for (const bond of host.bonds) {
      const judged = bondHealth(bond, host.nics);
      bonds[bond.device] = judged;
      if (judged.state === 'degraded' || judged.state === 'down') health.bondsDegraded++;
    }
    health.bonds[host.name] = bonds;
    for (const nic of host.nics) {
      const inUse = nic.physical && (nic.bond !== null || nic.ipMode !== 'None' || nic.management);
      if (inUse && nic.carrier === false) health.nicsDown++;
    }
  }
  for (const sr of observation.storage) {
    const bySr: Record<string, PathHealth> = {};
    for (const attachment of sr.attachments) {
      const judged = pathHealth(sr, attachment, hostsByName.get(attachment.host));
      bySr[attachment.host] = judged;
      if (judged.red && sr.multipathCapable) health.pathsRed++;
    }
    health.paths[sr.uuid] = bySr;
  }
  return health;
}
