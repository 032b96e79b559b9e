/**
 * Where each source says a cable runs, before the sources are weighed against each other (links.ts):
 * - LLDP, seen from either side: a neighbour entry names the system (by name, chassis MAC or management
 *   address) and its port (by MAC, name or description);
 * - LACP partner data: a LAG member's partner system is a host bond's MAC (Open vSwitch's LACP system id) or
 *   another switch's LAG, so the member is cabled to that bond (which member, LACP does not say);
 * - the forwarding table: a host NIC's MAC learned on exactly one port that is not an uplink; a bond's MAC
 *   links the bond (on a LAG interface, the bond to the LAG);
 * - the inventory's cables.
 */
import type { InventoryLink } from '../model/inventory';
import type { SwitchView } from '../model/switches';
import type { LabBond, LabDevice, LabLag, LabPort, LinkSource, PortKey } from './types';
import { portKey } from './types';
import { fold, macOf, sameName, shortName } from './names';

export interface LinkClaim {
  a: PortKey;
  b: PortKey;
  source: LinkSource;
  evidence: string;
}

export interface DiscoveryInput {
  devices: readonly LabDevice[];
  ports: readonly LabPort[];
  bonds: readonly LabBond[];
  lags: readonly LabLag[];
  /** SNMP views by device. */
  views: ReadonlyMap<string, SwitchView>;
  cables: readonly InventoryLink[];
}

interface Interface {
  key: PortKey;
  device: string;
  physical: boolean;
  bond: boolean;
}

/** Lookups every source needs: interfaces by MAC, by device and name, by SNMP ifIndex. */
export class Interfaces {
  readonly byMac = new Map<string, Interface[]>();
  readonly byDevice = new Map<string, LabPort[]>();
  readonly byIfIndex = new Map<string, PortKey>();
  readonly lagOfMember = new Map<PortKey, LabLag>();
  readonly bondOfMember = new Map<PortKey, LabBond>();
  readonly aggregates = new Map<PortKey, { members: PortKey[] }>();

  constructor(readonly input: DiscoveryInput) {
    const addMac = (mac: string, item: Interface) => {
      const m = macOf(mac);
      if (!m) return;
      const list = this.byMac.get(m) ?? [];
      if (!list.some((x) => x.key === item.key)) list.push(item);
      this.byMac.set(m, list);
    };
    for (const port of input.ports) {
      const list = this.byDevice.get(port.device) ?? [];
      list.push(port);
      this.byDevice.set(port.device, list);
      addMac(port.obs?.mac || port.plan?.mac || '', { key: port.key, device: port.device, physical: true, bond: false });
      if (port.obs?.ifIndex != null) this.byIfIndex.set(`${port.device}#${port.obs.ifIndex}`, port.key);
    }
    for (const bond of input.bonds) {
      addMac(bond.mac, { key: bond.key, device: bond.host, physical: false, bond: true });
      this.aggregates.set(bond.key, { members: bond.members });
      for (const member of bond.members) this.bondOfMember.set(member, bond);
    }
    for (const lag of input.lags) {
      if (lag.ifIndex !== null) this.byIfIndex.set(`${lag.device}#${lag.ifIndex}`, lag.key);
      this.aggregates.set(lag.key, { members: lag.members });
      for (const member of lag.members) this.lagOfMember.set(member, lag);
    }
  }

  /** The interface (port or LAG) behind an SNMP device's ifIndex. */
  atIfIndex(device: string, ifIndex: number): PortKey | undefined {
    return this.byIfIndex.get(`${device}#${ifIndex}`);
  }

  /** The physical port that owns a MAC, when exactly one does. */
  physicalWithMac(mac: string): Interface | undefined {
    const m = macOf(mac);
    const owners = m ? (this.byMac.get(m) ?? []).filter((i) => i.physical) : [];
    return owners.length === 1 ? owners[0] : undefined;
  }

  /** What a MAC identifies: a bond when a bond carries it (its members share it), else its one physical port. */
  ownerOfMac(mac: string): Interface | undefined {
    const m = macOf(mac);
    const owners = m ? (this.byMac.get(m) ?? []) : [];
    const bond = owners.filter((i) => i.bond);
    if (bond.length === 1) return bond[0];
    const physical = owners.filter((i) => i.physical);
    return physical.length === 1 ? physical[0] : undefined;
  }

  private devicesByName: Map<string, LabDevice> | null = null;
  private portsByAlias = new Map<string, Map<string, LabPort[]>>();

  /** The first device named `name` as sameName compares names; built once, not scanned per neighbour. */
  deviceNamed(name: string): LabDevice | undefined {
    if (!this.devicesByName) {
      this.devicesByName = new Map();
      for (const d of this.input.devices) if (d.name !== '' && !this.devicesByName.has(fold(d.name))) this.devicesByName.set(fold(d.name), d);
    }
    return this.devicesByName.get(fold(name));
  }

  /** A device's ports with an alias that is `name` as sameName compares names, in port order. */
  portsAliased(device: string, name: string): LabPort[] {
    let byAlias = this.portsByAlias.get(device);
    if (!byAlias) {
      byAlias = new Map();
      for (const port of this.byDevice.get(device) ?? []) {
        for (const alias of new Set(port.aliases.filter((a) => a !== '').map(fold))) {
          const list = byAlias.get(alias);
          if (list) list.push(port);
          else byAlias.set(alias, [port]);
        }
      }
      this.portsByAlias.set(device, byAlias);
    }
    return byAlias.get(fold(name)) ?? [];
  }

  /** Related interfaces: the same, or one is the aggregate the other is a member of. */
  related(x: PortKey, y: PortKey): boolean {
    if (x === y) return true;
    return (this.aggregates.get(x)?.members.includes(y) ?? false) || (this.aggregates.get(y)?.members.includes(x) ?? false);
  }
}

/** The device an LLDP neighbour is: by system name, by its chassis MAC, by its management address. */
/** A placeholder where a name was scrubbed ("<private>", as shared recordings carry) names nobody. */
const PLACEHOLDER = /^<[^>]*>$/;

function neighbourDevice(input: DiscoveryInput, ifs: Interfaces, sysName: string, chassisId: string, managementAddress: string): LabDevice | undefined {
  if (sysName && !PLACEHOLDER.test(sysName.trim())) {
    const exact = ifs.deviceNamed(sysName);
    if (exact) return exact;
    const short = shortName(sysName);
    const byShort = input.devices.filter((d) => shortName(d.name) === short);
    if (byShort.length === 1) return byShort[0];
    for (const [device, view] of input.views) {
      if (view.system.name && !PLACEHOLDER.test(view.system.name) && sameName(view.system.name, sysName)) return input.devices.find((d) => d.name === device);
    }
  }
  const chassis = macOf(chassisId);
  if (chassis) {
    for (const [device, view] of input.views) {
      const own = [view.bridgeAddress, view.localChassisId].map((m) => macOf(m ?? ''));
      if (own.includes(chassis)) return input.devices.find((d) => d.name === device);
    }
    const owners = ifs.byMac.get(chassis) ?? [];
    const devices = new Set(owners.map((o) => o.device));
    if (devices.size === 1) return input.devices.find((d) => d.name === [...devices][0]);
  }
  if (managementAddress) return input.devices.find((d) => d.address !== '' && d.address === managementAddress);
  return undefined;
}

function portOnDevice(ifs: Interfaces, device: string, portId: string, portDescr: string): PortKey | undefined {
  const ports = ifs.byDevice.get(device) ?? [];
  for (const wanted of [portId, portDescr]) {
    if (!wanted) continue;
    const fits = ifs.portsAliased(device, wanted);
    if (fits.length === 1) return fits[0]!.key;
    const lag = ifs.input.lags.find((l) => l.device === device && sameName(l.name, wanted));
    if (lag) return lag.key;
  }
  const mac = macOf(portId);
  if (mac) return ports.find((p) => macOf(p.obs?.mac ?? '') === mac)?.key;
  return undefined;
}

export function lldpClaims(input: DiscoveryInput, ifs: Interfaces): LinkClaim[] {
  const claims: LinkClaim[] = [];
  for (const [device, view] of input.views) {
    for (const n of view.neighbors) {
      const local = ifs.atIfIndex(device, n.localIfIndex);
      if (!local) continue;
      // The port id as a MAC names the far port directly (lldpd sends each NIC's own MAC).
      let remote = macOf(n.remotePortId) ? ifs.physicalWithMac(n.remotePortId)?.key : undefined;
      if (!remote) {
        const far = neighbourDevice(input, ifs, n.remoteSystemName, n.remoteChassisId, n.remoteManagementAddress ?? '');
        if (far && far.name !== device) remote = portOnDevice(ifs, far.name, n.remotePortId, n.remotePortDescr);
      }
      if (!remote || remote.startsWith(`${device}:`)) continue;
      const who = n.remoteSystemName || n.remoteChassisId;
      claims.push({ a: local, b: remote, source: 'lldp', evidence: `${device} ${n.source === 'lldp-v2' ? 'LLDP-V2-MIB' : n.source === 'cdp' ? 'CDP' : 'LLDP-MIB'}: ${local.slice(device.length + 1)} hears ${who} port ${n.remotePortId || n.remotePortDescr}` });
    }
  }
  return claims;
}

export function lacpClaims(input: DiscoveryInput, ifs: Interfaces): LinkClaim[] {
  const claims: LinkClaim[] = [];
  for (const lag of input.lags) {
    for (const member of lag.memberStates) {
      const partner = macOf(member.partnerSystem);
      if (!partner) continue;
      const bond = input.bonds.find((b) => b.host !== lag.device && macOf(b.mac) === partner);
      if (bond) {
        claims.push({ a: member.port, b: bond.key, source: 'lacp', evidence: `${lag.device} IEEE8023-LAG-MIB: ${member.port.slice(lag.device.length + 1)}'s LACP partner ${partner} is ${bond.host}'s ${bond.device}` });
        continue;
      }
      for (const [device, view] of input.views) {
        if (device === lag.device) continue;
        const theirs = view.lags.find((l) => macOf(l.actorSystem ?? '') === partner);
        const own = [view.bridgeAddress, view.localChassisId].map((m) => macOf(m ?? ''));
        const farLag = theirs ? input.lags.find((l) => l.device === device && l.ifIndex === theirs.ifIndex) : undefined;
        if (farLag || own.includes(partner)) {
          const far = farLag?.key;
          if (far) claims.push({ a: member.port, b: far, source: 'lacp', evidence: `${lag.device} IEEE8023-LAG-MIB: ${member.port.slice(lag.device.length + 1)}'s LACP partner ${partner} is ${device}'s ${farLag!.name}` });
          break;
        }
      }
    }
  }
  return claims;
}

/** More MACs than this learned on one port make it an uplink. */
export const UPLINK_MAC_COUNT = 250;

/**
 * Ports that lead to more of the network rather than to one device: the inventory calls them uplinks or
 * cables them to a switch, LLDP hears a switch there, MACs of two or more known devices are learned
 * there, or more than UPLINK_MAC_COUNT MACs are. A MAC on an uplink says only that its owner is somewhere behind it.
 */
function uplinks(input: DiscoveryInput, ifs: Interfaces, lldp: readonly LinkClaim[]): Set<PortKey> {
  const isSwitchPort = (key: PortKey) => {
    const device = key.slice(0, key.indexOf(':'));
    return input.devices.find((d) => d.name === device)?.kind === 'switch';
  };
  const up = new Set<PortKey>();
  for (const port of input.ports) if (port.plan?.role === 'uplink') up.add(port.key);
  for (const lag of input.lags) if (lag.members.some((m) => up.has(m))) up.add(lag.key);
  for (const claim of [...lldp, ...cableClaims(input)]) {
    if (isSwitchPort(claim.a) && isSwitchPort(claim.b)) {
      up.add(claim.a);
      up.add(claim.b);
    }
  }
  for (const [device, view] of input.views) {
    const owners = new Map<number, Set<string>>();
    // Hundreds of MACs on one port: a switch behind it, whatever else it says (a host's VMs are fewer).
    const learned = new Map<number, number>();
    for (const entry of view.fdb ?? []) learned.set(entry.ifIndex, (learned.get(entry.ifIndex) ?? 0) + 1);
    for (const [ifIndex, count] of learned) {
      const key = count > UPLINK_MAC_COUNT ? ifs.atIfIndex(device, ifIndex) : undefined;
      if (key) up.add(key);
    }
    for (const entry of view.fdb ?? []) {
      const m = macOf(entry.mac);
      const known = m ? ifs.byMac.get(m) : undefined;
      if (!known || known.some((k) => k.device === device)) continue;
      const set = owners.get(entry.ifIndex) ?? new Set<string>();
      for (const k of known) set.add(k.device);
      owners.set(entry.ifIndex, set);
    }
    for (const [ifIndex, set] of owners) {
      if (set.size < 2) continue;
      const key = ifs.atIfIndex(device, ifIndex);
      if (key) up.add(key);
    }
  }
  // A LAG member of an uplink LAG is an uplink, and the other way round.
  for (const lag of input.lags) {
    if (up.has(lag.key)) lag.members.forEach((m) => up.add(m));
    else if (lag.members.some((m) => up.has(m))) up.add(lag.key);
  }
  return up;
}

export function fdbClaims(input: DiscoveryInput, ifs: Interfaces, lldp: readonly LinkClaim[]): LinkClaim[] {
  const up = uplinks(input, ifs, lldp);
  const seen = new Map<string, { key: PortKey; device: string; vlan: number | null }[]>();
  for (const [device, view] of input.views) {
    for (const entry of view.fdb ?? []) {
      const m = macOf(entry.mac);
      if (!m) continue;
      let key = ifs.atIfIndex(device, entry.ifIndex);
      if (!key) continue;
      // A MAC learned on a LAG member is learned on the LAG.
      key = ifs.lagOfMember.get(key)?.key ?? key;
      if (up.has(key)) continue;
      const list = seen.get(m) ?? [];
      if (!list.some((x) => x.key === key)) list.push({ key, device, vlan: entry.vlan });
      seen.set(m, list);
    }
  }
  // Where LLDP hears a neighbour, the neighbour is what is cabled there: a MAC of another device learned on
  // that port came through it, and links nothing.
  const heard = new Map<PortKey, Set<string>>();
  for (const claim of lldp) {
    for (const [here, there] of [[claim.a, claim.b], [claim.b, claim.a]] as const) {
      for (const key of [here, ifs.lagOfMember.get(here)?.key]) {
        if (!key) continue;
        const set = heard.get(key) ?? new Set<string>();
        set.add(there.slice(0, there.indexOf(':')));
        heard.set(key, set);
      }
    }
  }
  const unresolvedNeighbours = new Set<PortKey>();
  for (const [device, view] of input.views) {
    for (const n of view.neighbors) {
      const key = ifs.atIfIndex(device, n.localIfIndex);
      if (key && !heard.has(key)) unresolvedNeighbours.add(ifs.lagOfMember.get(key)?.key ?? key);
    }
  }
  const claims: LinkClaim[] = [];
  for (const [mac, places] of seen) {
    if (places.length !== 1) continue;
    const owner = ifs.ownerOfMac(mac);
    const place = places[0]!;
    if (!owner || owner.device === place.device) continue;
    const neighbours = heard.get(place.key);
    if (unresolvedNeighbours.has(place.key) || (neighbours && !neighbours.has(owner.device))) continue;
    claims.push({
      a: owner.key,
      b: place.key,
      source: 'fdb',
      evidence: `${place.device} forwarding table: ${owner.key}'s MAC ${mac} learned on ${place.key.slice(place.device.length + 1)}${place.vlan !== null ? ` (VLAN ${place.vlan})` : ''} and on no other port but uplinks`,
    });
  }
  return claims;
}

export function cableClaims(input: DiscoveryInput): LinkClaim[] {
  return input.cables.map((cable) => ({
    a: portKey(cable.a.device, cable.a.port),
    b: portKey(cable.b.device, cable.b.port),
    source: 'cable' as const,
    evidence: `inventory cable ${cable.a.device}:${cable.a.port} ↔ ${cable.b.device}:${cable.b.port}${cable.notes ? ` (${cable.notes})` : ''}`,
  }));
}

export const claimKey = (a: PortKey, b: PortKey) => (fold(a) < fold(b) ? `${a}|${b}` : `${b}|${a}`);
