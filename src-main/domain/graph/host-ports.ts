/**
 * A XenServer host's side of the graph: its physical NICs as ports (with the VLANs and addresses they carry,
 * through their bond where they are members), its bonds, its management interface; and the ports the
 * inventory plans for a host that no pool reports.
 */
import type { InventoryDevice, InventoryPort } from '../model/inventory';
import type { HostNic, XenHost } from '../model/pools';
import type { PortRole } from '../model/ports';
import type { LabBond, LabHost, LabPort, PortObservation, PortPlan } from './types';
import { portKey } from './types';
import { macOf, sameName, uniqueSorted } from './names';

export const planOf = (port: InventoryPort): PortPlan => ({
  role: port.role,
  aggregate: port.aggregate,
  mac: port.mac,
  untaggedVlan: port.untaggedVlan,
  taggedVlans: [...port.taggedVlans],
});

/** The inventory port a reported interface is: same name, else same MAC. */
export function plannedPort(planned: readonly InventoryPort[], names: readonly string[], mac: string): InventoryPort | undefined {
  const byName = planned.find((p) => names.some((n) => sameName(p.name, n)));
  if (byName) return byName;
  const m = macOf(mac);
  return m ? planned.find((p) => macOf(p.mac) === m) : undefined;
}

const hasAddress = (nic: { ipMode: HostNic['ipMode']; ip: string }) => nic.ipMode !== 'None' && nic.ip !== '';

function guessHostRole(nic: HostNic, bond: HostNic | undefined): PortRole | null {
  const carrier = bond ?? nic;
  if (carrier.management) return 'management';
  if (bond) return hasAddress(bond) ? 'storage' : 'vm';
  if (hasAddress(nic)) return 'storage';
  return null;
}

export interface HostPart {
  ports: LabPort[];
  bonds: LabBond[];
  host: LabHost;
}

/** One observed host. `device` is its name in the graph, `planned` its inventory entry if it has one. */
export function observedHost(
  device: string,
  pool: string,
  host: XenHost,
  planned: InventoryDevice | undefined,
  at: string,
  stale: boolean,
): HostPart {
  const plannedPorts = planned?.ports ?? [];
  const byDevice = new Map(host.nics.map((nic) => [nic.device, nic]));
  const tagsOn = (on: string) => host.vlans.filter((v) => v.on === on).map((v) => v.tag);
  const used = new Set<InventoryPort>();

  const ports: LabPort[] = [];
  for (const nic of host.nics) {
    if (!nic.physical) continue;
    const bondNic = nic.bond ? byDevice.get(nic.bond) : undefined;
    const plan = plannedPort(plannedPorts, [nic.device], nic.mac);
    if (plan) used.add(plan);
    const carrier = bondNic ?? nic;
    const obs: PortObservation = {
      source: 'xenapi',
      at,
      stale,
      up: nic.carrier,
      adminUp: null,
      speedMbps: nic.speedMbps,
      duplex: nic.duplex,
      mtu: nic.mtu,
      mac: nic.mac,
      ifIndex: null,
      ifType: null,
      pciBusPath: nic.pciBusPath,
      aggregate: nic.bond,
      tagged: uniqueSorted([...tagsOn(nic.device), ...(nic.bond ? tagsOn(nic.bond) : [])]),
      untagged: null,
      pvid: null,
      untaggedInUse: carrier.management || hasAddress(carrier),
      ip: carrier.ip,
      netmask: carrier.netmask,
      gateway: carrier.gateway,
      management: carrier.management,
      disallowUnplug: nic.disallowUnplug || (bondNic?.disallowUnplug ?? false),
      network: carrier.network,
      lacp: null,
      stackMember: null,
    };
    const name = plan?.name ?? nic.device;
    ports.push({
      key: portKey(device, name),
      device,
      name,
      kind: 'host-nic',
      physical: true,
      role: plan?.role ?? guessHostRole(nic, bondNic),
      plan: plan ? planOf(plan) : null,
      obs,
      aliases: [nic.device, name],
    });
  }
  const keyOfDevice = (nicDevice: string) => ports.find((p) => p.aliases.includes(nicDevice))?.key ?? portKey(device, nicDevice);

  const bonds: LabBond[] = host.bonds.map((bond) => {
    const nic = byDevice.get(bond.device);
    const members = bond.members.map(keyOfDevice);
    const carriers = members.map((key) => ports.find((p) => p.key === key)?.obs?.up ?? null);
    return {
      key: portKey(device, bond.device),
      host: device,
      device: bond.device,
      mode: bond.mode,
      members,
      linksUp: bond.linksUp,
      membersUp: carriers.some((c) => c === null) ? bond.linksUp : carriers.filter((c) => c === true).length,
      mac: nic?.mac ?? '',
      tagged: uniqueSorted(tagsOn(bond.device)),
      management: nic?.management ?? false,
      ip: nic && hasAddress(nic) ? nic.ip : '',
      netmask: nic?.netmask ?? '',
      planned: plannedPorts.some((p) => sameName(p.aggregate, bond.device)),
      observed: true,
      networkBackend: host.networkBackend,
    };
  });

  // Planned ports the host does not report stay in the graph with the plan only: that is drift.
  for (const plan of plannedPorts) {
    if (used.has(plan) || bonds.some((b) => sameName(b.device, plan.name))) continue;
    ports.push(plannedOnly(device, 'host-nic', plan));
  }

  let management: LabHost['management'] = null;
  const managementNic = host.nics.find((nic) => nic.management);
  const managementVlan = host.vlans.find((vlan) => vlan.management);
  if (managementNic) management = { on: managementNic.device, tag: null };
  else if (managementVlan) management = { on: managementVlan.on, tag: managementVlan.tag };

  const legsOf = (on: string): string[] => bonds.find((b) => b.device === on)?.members ?? [keyOfDevice(on)];
  const addresses: LabHost['addresses'] = [];
  for (const nic of host.nics) {
    if (!hasAddress(nic)) continue;
    addresses.push({ interface: nic.device, tag: null, ip: nic.ip, netmask: nic.netmask, gateway: nic.gateway, management: nic.management, disallowUnplug: nic.disallowUnplug, mtu: nic.mtu, legs: legsOf(nic.device), network: nic.network });
  }
  for (const vlan of host.vlans) {
    if (!hasAddress(vlan)) continue;
    const under = byDevice.get(vlan.on);
    addresses.push({ interface: `${vlan.on}.${vlan.tag}`, tag: vlan.tag, ip: vlan.ip, netmask: vlan.netmask, gateway: '', management: vlan.management, disallowUnplug: under?.disallowUnplug ?? false, mtu: vlan.mtu, legs: legsOf(vlan.on), network: vlan.network });
  }

  return {
    ports,
    bonds,
    host: {
      addresses,
      name: device,
      pool,
      multipathing: host.multipathing,
      multipathHandle: host.multipathHandle,
      networkBackend: host.networkBackend,
      product: host.product,
      management,
      live: host.live,
    },
  };
}

export function plannedOnly(device: string, kind: LabPort['kind'], plan: InventoryPort): LabPort {
  return {
    key: portKey(device, plan.name),
    device,
    name: plan.name,
    kind,
    physical: true,
    role: plan.role,
    plan: planOf(plan),
    obs: null,
    aliases: [plan.name],
  };
}

/** Bonds the inventory plans on a host (ports naming an aggregate) that nothing observed. */
export function plannedBonds(device: string, planned: InventoryDevice, observed: readonly LabBond[]): LabBond[] {
  const names = [...new Set(planned.ports.map((p) => p.aggregate).filter((a) => a !== ''))];
  return names
    .filter((name) => !observed.some((b) => sameName(b.device, name)))
    .map((name) => ({
      key: portKey(device, name),
      host: device,
      device: name,
      mode: null,
      members: planned.ports.filter((p) => sameName(p.aggregate, name)).map((p) => portKey(device, p.name)),
      linksUp: null,
      membersUp: null,
      mac: '',
      tagged: [],
      management: planned.ports.some((p) => sameName(p.aggregate, name) && p.role === 'management'),
      ip: '',
      netmask: '',
      planned: true,
      observed: false,
      networkBackend: '',
    }));
}
