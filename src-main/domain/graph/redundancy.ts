/**
 * A host's redundancy score: of the roles it plays (management, each storage SR, each network its VMs use),
 * how many survive any one failure — a NIC, its controller, a cable, a switch port, a switch, a portal. A
 * role survives when it has two ways that share nothing but the host itself (and the SAN, which is judged on
 * its own). A role that is down already does not survive anything.
 */
import type { LabGraph, PortKey } from './types';
import { describeDomain, domainIndex, legDomains, sharedDomains } from './domains';

export interface RoleRedundancy {
  role: 'management' | 'storage' | 'network';
  /** The SR or network name; the management interface for management. */
  name: string;
  survives: boolean;
  /** The single failure that takes it, in the lab's words, when it does not survive. */
  weakest: string | null;
}

export interface HostRedundancy {
  host: string;
  roles: RoleRedundancy[];
  surviving: number;
  total: number;
}

const IGNORED = (id: string) => id.startsWith('host:') || id.startsWith('device:');

export function hostRedundancy(graph: LabGraph): HostRedundancy[] {
  const index = domainIndex(graph);
  const port = new Map(graph.ports.map((p) => [p.key, p]));
  // Looked up per host and interface: the first bond, and the first port with that alias, in graph order.
  const bondOn = new Map<string, Map<string, PortKey[]>>();
  for (const b of graph.bonds) {
    const on = bondOn.get(b.host) ?? bondOn.set(b.host, new Map()).get(b.host)!;
    if (!on.has(b.device)) on.set(b.device, b.members);
  }
  const portNamed = new Map<string, Map<string, PortKey>>();
  for (const p of graph.ports) {
    const named = portNamed.get(p.device) ?? portNamed.set(p.device, new Map()).get(p.device)!;
    for (const alias of p.aliases) if (!named.has(alias)) named.set(alias, p.key);
  }
  const pathsOf = new Map<string, LabGraph['paths']>();
  for (const p of graph.paths) {
    const key = JSON.stringify([p.host, p.sr]);
    const list = pathsOf.get(key);
    if (list) list.push(p);
    else pathsOf.set(key, [p]);
  }
  const legsOf = (host: string, on: string): PortKey[] => bondOn.get(host)?.get(on) ?? [portNamed.get(host)?.get(on) ?? `${host}:${on}`];
  const judge = (ways: string[][], live: number): { survives: boolean; weakest: string | null } => {
    if (live === 0) return { survives: false, weakest: 'it is down now' };
    if (ways.length < 2) {
      const only = ways[0]?.find((d) => !IGNORED(d));
      return { survives: false, weakest: only ? describeDomain(only).label : 'its only link' };
    }
    const shared = sharedDomains(ways).filter((d) => !IGNORED(d));
    return shared.length ? { survives: false, weakest: describeDomain(shared[0]!).label } : { survives: true, weakest: null };
  };
  const legWays = (legs: PortKey[]) => {
    const live = legs.filter((l) => port.get(l)?.obs?.up !== false);
    return { ways: live.map((l) => legDomains(index, l)), live: live.length };
  };

  return graph.hosts.map((host) => {
    const roles: RoleRedundancy[] = [];
    if (host.management) {
      const { ways, live } = legWays(legsOf(host.name, host.management.on));
      roles.push({ role: 'management', name: host.management.on, ...judge(ways, live) });
    }
    for (const sr of graph.srs) {
      const attachment = sr.hosts.find((h) => h.host === host.name);
      if (!attachment?.attached || !sr.shared || !sr.multipathCapable) continue;
      const paths = (pathsOf.get(JSON.stringify([host.name, sr.name])) ?? []).filter((p) => p.state !== 'down');
      const ways = paths.map((p) => [...p.domains]);
      if (paths.length === 0) {
        const counted = attachment.totalPaths ?? 1;
        roles.push({ role: 'storage', name: sr.name, survives: counted >= 2 && (attachment.activePaths ?? 0) >= 2, weakest: counted >= 2 ? null : 'its only path' });
        continue;
      }
      roles.push({ role: 'storage', name: sr.name, ...judge(ways, paths.length) });
    }
    for (const network of graph.networks) {
      if (network.private || network.internal) continue;
      // VM networks only: a network on an interface with an address is management or storage, counted above.
      const uses = network.uses.filter((u) => u.host === host.name);
      const addressed = (u: (typeof uses)[number]) => host.addresses.some((a) => a.interface === (u.tag === null ? u.on : `${u.on}.${u.tag}`));
      if (uses.length === 0 || uses.some(addressed)) continue;
      const legs = [...new Set(uses.flatMap((u) => legsOf(host.name, u.on)))];
      const { ways, live } = legWays(legs);
      roles.push({ role: 'network', name: network.name, ...judge(ways, live) });
    }
    const surviving = roles.filter((r) => r.survives).length;
    return { host: host.name, roles, surviving, total: roles.length };
  });
}
