/**
 * A device's side of the graph as SNMP shows it (switches, and NASes, SANs and Linux hosts that answer SNMP):
 * its physical ports with their VLAN membership and LAG, its LAGs with each member's LACP state, and the
 * ports and LAGs the inventory plans that the device does not report.
 */
import type { InventoryDevice } from '../model/inventory';
import type { PortView, SwitchView } from '../model/switches';
import type { LabBond, LabLag, LabPort, PortKind, PortObservation } from './types';
import { portKey } from './types';
import { fold, isPhysicalIfType, sameName, uniqueSorted } from './names';
import { planOf, plannedOnly } from './host-ports';

export interface SnmpPart {
  ports: LabPort[];
  lags: LabLag[];
  /** Linux bonds a host reports over SNMP. */
  bonds: LabBond[];
}

/** The untagged VLAN of a switch port: its untagged membership (the PVID's when it has several), else none. */
function untaggedOf(port: PortView): number | null {
  if (port.untaggedVlans.length === 0) return null;
  if (port.pvid !== null && port.untaggedVlans.includes(port.pvid)) return port.pvid;
  return port.untaggedVlans[0]!;
}

/** Names a neighbour or an inventory may use for this port. */
function aliasesOf(port: PortView): string[] {
  const names = [port.name, port.descr, port.alias, String(port.ifIndex), port.lldpPortId ?? ''];
  return [...new Set(names.filter((n) => n !== ''))];
}

export function observedSnmp(device: string, kind: PortKind, view: SwitchView, planned: InventoryDevice | undefined, stale: boolean): SnmpPart {
  const plannedPorts = planned?.ports ?? [];
  const lagIndexes = new Set(view.lags.map((lag) => lag.ifIndex));
  const used = new Set<(typeof plannedPorts)[number]>();
  const ports: LabPort[] = [];
  const nameOfIndex = new Map<number, string>();
  const taken = new Set<string>();

  const observation = (port: PortView, lagName: string | null): PortObservation => ({
    source: 'snmp',
    at: view.observedAt,
    stale,
    up: port.operUp,
    adminUp: port.adminUp,
    speedMbps: port.operUp ? port.speedMbps : null,
    duplex: port.duplex,
    mtu: port.mtu,
    mac: port.mac,
    ifIndex: port.ifIndex,
    ifType: port.type,
    pciBusPath: '',
    aggregate: lagName,
    tagged: uniqueSorted(port.taggedVlans),
    untagged: untaggedOf(port),
    pvid: port.pvid,
    untaggedInUse: false,
    ip: '',
    netmask: '',
    gateway: '',
    management: false,
    disallowUnplug: false,
    network: '',
    lacp: port.lacp ? { actor: port.lacp.actor, partner: port.lacp.partner, partnerSystem: port.lacp.partnerSystem, attached: port.lacp.attached } : null,
    stackMember: port.stackMember ?? null,
  });

  const lagName = new Map<number, string>();
  for (const lag of view.lags) {
    for (const member of lag.memberIfIndexes) lagName.set(member, lag.name);
  }

  // A Linux bond (bond0 on a Synology or a Linux host) is an ethernetCsmacd row too, but no cable plugs into it.
  const bondIndexes = new Set(view.hostBonds.map((bond) => bond.ifIndex));
  const physical = view.ports.filter((port) => !lagIndexes.has(port.ifIndex) && !bondIndexes.has(port.ifIndex) && isPhysicalIfType(port.type));
  const matched = matchPlanned(plannedPorts, physical);
  for (const port of physical) {
    const aliases = aliasesOf(port);
    const plan = matched.get(port.ifIndex);
    if (plan) used.add(plan);
    let name = plan?.name ?? (port.name || port.descr || `ifIndex ${port.ifIndex}`);
    if (taken.has(name)) name = `${name} (ifIndex ${port.ifIndex})`;
    taken.add(name);
    nameOfIndex.set(port.ifIndex, name);
    ports.push({
      key: portKey(device, name),
      device,
      name,
      kind,
      physical: true,
      role: plan?.role ?? null,
      plan: plan ? planOf(plan) : null,
      obs: observation(port, lagName.get(port.ifIndex) ?? null),
      aliases: [...new Set([name, ...aliases])],
    });
  }

  const byIndex = new Map(view.ports.map((p) => [p.ifIndex, p]));
  const lags: LabLag[] = view.lags.map((lag) => {
    const lagPort = byIndex.get(lag.ifIndex);
    const members = lag.memberIfIndexes.map((ifIndex) => portKey(device, nameOfIndex.get(ifIndex) ?? `ifIndex ${ifIndex}`));
    const memberStates = lag.members.map((member, i) => {
      const port = byIndex.get(member.ifIndex);
      return {
        port: members[lag.memberIfIndexes.indexOf(member.ifIndex)] ?? members[i]!,
        up: port ? port.operUp : null,
        collecting: member.actor ? member.actor.collecting && member.actor.distributing : null,
        attached: member.attached,
        partnerSystem: member.partnerSystem,
      };
    });
    // The driver says LACP only where a member reports a real actor state (views stored before it said so: null).
    const protocol = lag.protocol ?? null;
    return {
      key: portKey(device, lag.name),
      device,
      name: lag.name,
      ifIndex: lag.ifIndex,
      members,
      memberStates,
      protocol,
      tagged: uniqueSorted(lagPort?.taggedVlans ?? []),
      untagged: lagPort ? untaggedOf(lagPort) : null,
      planned: plannedPorts.some((p) => sameName(p.aggregate, lag.name)),
      observed: true,
    };
  });

  // A Linux host's bonds (ifTable rows named bond*, members from /proc/net/bonding when extended).
  const bonds: LabBond[] = view.hostBonds.map((bond) => ({
    key: portKey(device, bond.name),
    host: device,
    device: bond.name,
    mode: bond.mode === '802.3ad' ? 'lacp' : bond.mode === 'active-backup' ? 'active-backup' : null,
    members: bond.members.map((m) => portKey(device, ports.find((p) => p.aliases.includes(m))?.name ?? m)),
    linksUp: null,
    membersUp: null,
    mac: byIndex.get(bond.ifIndex)?.mac ?? '',
    tagged: [],
    management: false,
    ip: '',
    netmask: '',
    planned: plannedPorts.some((p) => sameName(p.aggregate, bond.name)),
    observed: true,
    networkBackend: 'linux',
  }));

  for (const plan of plannedPorts) {
    if (used.has(plan) || lags.some((l) => sameName(l.name, plan.name)) || bonds.some((b) => sameName(b.device, plan.name))) continue;
    ports.push(plannedOnly(device, kind, plan));
  }
  lags.push(...plannedLags(device, plannedPorts, lags));
  return { ports, lags, bonds };
}

/**
 * Which planned port each reported port is, by the strongest name first: ifName, then ifDescr, the LLDP
 * local port id, ifAlias, the MAC, and last the bare ifIndex ("5" is ifIndex 5 on many small switches). A
 * name that fits several ports matches none of them.
 */
function matchPlanned(planned: InventoryDevice['ports'], ports: readonly PortView[]): Map<number, InventoryDevice['ports'][number]> {
  const keys: ((port: PortView) => string)[] = [
    (p) => p.name,
    (p) => p.descr,
    (p) => p.lldpPortId ?? '',
    (p) => p.alias,
    (p) => p.mac,
    (p) => String(p.ifIndex),
  ];
  const matched = new Map<number, InventoryDevice['ports'][number]>();
  const open = new Set(planned);
  for (const [i, keyOf] of keys.entries()) {
    // The ports by this key as sameName compares it (folded; an empty key names nothing), in port order.
    const byKey = new Map<string, PortView[]>();
    for (const port of ports) {
      const key = keyOf(port);
      if (key === '') continue;
      const list = byKey.get(fold(key));
      if (list) list.push(port);
      else byKey.set(fold(key), [port]);
    }
    for (const plan of [...open]) {
      const want = i === 4 ? plan.mac.toLowerCase() : plan.name;
      if (want === '') continue;
      const fits = (byKey.get(fold(want)) ?? []).filter((p) => !matched.has(p.ifIndex));
      if (fits.length !== 1) continue;
      matched.set(fits[0]!.ifIndex, plan);
      open.delete(plan);
    }
  }
  return matched;
}

/** LAGs the inventory plans on a switch (ports naming an aggregate) that the switch does not report. */
export function plannedLags(device: string, plannedPorts: InventoryDevice['ports'], observed: readonly LabLag[]): LabLag[] {
  const names = [...new Set(plannedPorts.map((p) => p.aggregate).filter((a) => a !== ''))];
  return names
    .filter((name) => !observed.some((l) => sameName(l.name, name)))
    .map((name) => ({
      key: portKey(device, name),
      device,
      name,
      ifIndex: null,
      members: plannedPorts.filter((p) => sameName(p.aggregate, name)).map((p) => portKey(device, p.name)),
      memberStates: [],
      protocol: null,
      tagged: [],
      untagged: null,
      planned: true,
      observed: false,
    }));
}

export const portKindOf = (kind: InventoryDevice['kind']): PortKind =>
  kind === 'switch' ? 'switch-port' : kind === 'iscsi-san' ? 'san-port' : kind === 'nas' ? 'nas-port' : 'host-port';
