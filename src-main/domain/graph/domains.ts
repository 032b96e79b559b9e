/**
 * Failure domains: what can fail as one. Each switch is its own (each member of a stack too: a stack is one
 * logical switch for LAGs, yet its members fail apart), each NIC controller (PCI device: the ports of one
 * dual-port card go together), each port, each SAN portal, each host and each SAN or NAS.
 *
 * A leg (one host NIC) crosses its port, its controller, the switch port at the other end of its cable and
 * that switch. A storage path crosses, on each way it can run, one leg, the switches from the leg's switch to
 * the SAN port's switch (breadth-first over the inter-switch links) with the port of any inter-switch hop
 * that is one cable, and the SAN port; it is cut by a loss only when every way crosses it.
 */
import type { FailureDomain, LabDevice, LabGraph, LabLink, LabPath, LabPort, PortKey } from './types';
import { pciDevice } from './names';

export const deviceOfKey = (key: PortKey) => key.slice(0, key.indexOf(':'));

export interface DomainIndex {
  devices: ReadonlyMap<string, LabDevice>;
  ports: ReadonlyMap<PortKey, LabPort>;
  peers: LabGraph['peers'];
  /** switch device → neighbouring switch devices. */
  switchLinks: ReadonlyMap<string, Set<string>>;
  lagDevice: ReadonlyMap<PortKey, string>;
  /** `ports` grouped by device, each list in the map's order. */
  portsOfDevice: ReadonlyMap<string, readonly LabPort[]>;
}

export function domainIndex(graph: Pick<LabGraph, 'devices' | 'ports' | 'peers' | 'links' | 'lags'>): DomainIndex {
  const devices = new Map(graph.devices.map((d) => [d.name, d]));
  const ports = new Map(graph.ports.map((p) => [p.key, p]));
  const lagDevice = new Map(graph.lags.map((l) => [l.key, l.device]));
  const switchLinks = new Map<string, Set<string>>();
  const isSwitch = (name: string) => devices.get(name)?.kind === 'switch';
  const join = (link: LabLink) => {
    const a = lagDevice.get(link.a) ?? ports.get(link.a)?.device;
    const b = lagDevice.get(link.b) ?? ports.get(link.b)?.device;
    if (!a || !b || a === b || !isSwitch(a) || !isSwitch(b)) return;
    (switchLinks.get(a) ?? switchLinks.set(a, new Set()).get(a)!).add(b);
    (switchLinks.get(b) ?? switchLinks.set(b, new Set()).get(b)!).add(a);
  };
  graph.links.forEach(join);
  const portsOfDevice = new Map<string, LabPort[]>();
  for (const port of ports.values()) (portsOfDevice.get(port.device) ?? portsOfDevice.set(port.device, []).get(port.device)!).push(port);
  return { devices, ports, peers: graph.peers, switchLinks, lagDevice, portsOfDevice };
}

/** The failure domain of the switch (or stack member) a switch port or LAG sits on; null for other devices. */
export function switchDomain(index: DomainIndex, key: PortKey): string | null {
  const device = index.lagDevice.get(key) ?? index.ports.get(key)?.device ?? deviceOfKey(key);
  if (index.devices.get(device)?.kind !== 'switch') return null;
  const member = index.ports.get(key)?.obs?.stackMember ?? null;
  return member !== null && (index.devices.get(device)?.stackMembers.length ?? 0) > 1 ? `switch:${device}#${member}` : `switch:${device}`;
}

export function controllerDomain(port: LabPort | undefined, key: PortKey): string {
  const pci = port?.obs?.pciBusPath ? pciDevice(port.obs.pciBusPath) : null;
  return pci ? `nic:${deviceOfKey(key)}/${pci}` : `nic:${key}`;
}

/** What one physical leg crosses: its port, its controller, its peer port and the peer's switch. */
export function legDomains(index: DomainIndex, key: PortKey): string[] {
  const port = index.ports.get(key);
  const out = [`port:${key}`];
  if (port?.kind === 'host-nic') out.push(controllerDomain(port, key));
  const peer = index.peers.get(key)?.peer;
  if (peer) {
    if (index.ports.has(peer)) out.push(`port:${peer}`);
    const sw = switchDomain(index, peer);
    if (sw) out.push(sw);
  }
  return out;
}

/** The switch a leg lands on, by device name (for routing), or null when its peer is unknown or no switch. */
export function legSwitch(index: DomainIndex, key: PortKey): string | null {
  const peer = index.peers.get(key)?.peer;
  if (!peer) return null;
  const device = index.lagDevice.get(peer) ?? index.ports.get(peer)?.device;
  return device && index.devices.get(device)?.kind === 'switch' ? device : null;
}

/** The switches on the shortest way from one switch to another, both included; null when none is known. */
export function route(index: DomainIndex, from: string, to: string): string[] | null {
  if (from === to) return [from];
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of index.switchLinks.get(at) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      if (next === to) {
        const way = [to];
        while (way[0] !== from) way.unshift(previous.get(way[0]!)!);
        return way;
      }
      queue.push(next);
    }
  }
  return null;
}

/**
 * The port every working cable between two neighbouring switches leaves `from` by, when there is one such
 * port: a single inter-switch cable is a failure domain of every way across it. Several cables (or a LAG)
 * leave by several ports, and no one of them is; a port without link is no way at all.
 */
function interSwitchPort(index: DomainIndex, from: string, to: string): string | null {
  let found: string | null = null;
  for (const port of index.portsOfDevice.get(from) ?? []) {
    if (port.device !== from || !port.physical || port.obs?.up === false) continue;
    const peer = index.peers.get(port.key)?.peer;
    if (!peer || (index.lagDevice.get(peer) ?? index.ports.get(peer)?.device) !== to) continue;
    if (found !== null) return null;
    found = port.key;
  }
  return found;
}

/** The single-port ends of the inter-switch cables along a route of switches. */
function routePorts(index: DomainIndex, via: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < via.length; i++) {
    for (const [a, b] of [[via[i - 1]!, via[i]!], [via[i]!, via[i - 1]!]] as const) {
      const port = interSwitchPort(index, a, b);
      if (port) out.push(`port:${port}`);
    }
  }
  return out;
}

const intersect = (sets: readonly string[][]) =>
  sets.length === 0 ? [] : sets.slice(1).reduce((acc, set) => acc.filter((d) => set.includes(d)), [...new Set(sets[0]!)]);

/** Fills each path's ways and the domains every way crosses. */
export function pathDomains(index: DomainIndex, paths: LabPath[], portals: LabGraph['portals']): void {
  const portalOf = new Map(portals.map((p) => [p.key, p]));
  for (const path of paths) {
    const portal = portalOf.get(path.portal);
    const common = [`host:${path.host}`, `portal:${path.portal}`];
    if (portal?.device) common.push(`device:${portal.device}`);
    const sanSides = (portal?.ports ?? []).map((q) => ({ switch: legSwitch(index, q), domains: legDomains(index, q) }));
    const ways: string[][] = [];
    for (const leg of path.legs) {
      const own = legDomains(index, leg);
      const from = legSwitch(index, leg);
      if (sanSides.length === 0) {
        ways.push(own);
        continue;
      }
      for (const side of sanSides) {
        const via = from && side.switch ? route(index, from, side.switch) : null;
        const switches = via ? via.map((s) => `switch:${s}`) : [];
        const cables = via ? routePorts(index, via) : [];
        ways.push([...new Set([...own, ...switches.filter((s) => !own.some((d) => d === s || d.startsWith(`${s}#`))), ...cables, ...side.domains])]);
      }
    }
    path.ways = ways;
    path.domains = [...common, ...intersect(ways)];
  }
}

/** The domains a redundancy group's every member crosses: a loss of any of them takes the whole group. */
export function sharedDomains(ways: readonly string[][]): string[] {
  return intersect(ways);
}

export function describeDomain(id: string): FailureDomain {
  const [kind, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  switch (kind) {
    case 'switch': {
      const [device, member] = rest.split('#');
      return member !== undefined
        ? { id, kind: 'stack-member', label: `${device} stack member ${member}`, device: device! }
        : { id, kind: 'switch', label: `switch ${device}`, device: device! };
    }
    case 'nic': {
      const slash = rest.indexOf('/');
      return slash > 0
        ? { id, kind: 'nic-controller', label: `${rest.slice(0, slash)}'s NIC controller ${rest.slice(slash + 1)}`, device: rest.slice(0, slash) }
        : { id, kind: 'nic-controller', label: `${rest}'s NIC`, device: deviceOfKey(rest) };
    }
    case 'port':
      return { id, kind: 'port', label: rest, device: deviceOfKey(rest) };
    case 'portal':
      return { id, kind: 'portal', label: `portal ${rest}`, device: null };
    case 'host':
      return { id, kind: 'host', label: rest, device: rest };
    default:
      return { id, kind: 'device', label: rest, device: rest };
  }
}
