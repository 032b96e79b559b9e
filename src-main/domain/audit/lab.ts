/**
 * The graph with the lookups every rule needs (port by key, a port's peer, a bond's member legs, the switch
 * a leg lands on), built once per audit run and handed to each rule.
 */
import type { LabBond, LabDevice, LabGraph, LabHost, LabLag, LabPath, LabPort, PortKey } from '../graph/types';
import { type DomainIndex, domainIndex, legDomains, switchDomain } from '../graph/domains';
import { listText, macOf } from '../graph/names';

export class Lab {
  readonly port = new Map<PortKey, LabPort>();
  readonly bond = new Map<PortKey, LabBond>();
  readonly lag = new Map<PortKey, LabLag>();
  readonly device = new Map<string, LabDevice>();
  readonly host = new Map<string, LabHost>();
  readonly lagOfPort = new Map<PortKey, LabLag>();
  /** MAC → the devices with an interface carrying it. */
  readonly devicesOfMac = new Map<string, Set<string>>();
  readonly domains: DomainIndex;

  constructor(readonly graph: LabGraph) {
    for (const p of graph.ports) this.port.set(p.key, p);
    for (const b of graph.bonds) this.bond.set(b.key, b);
    for (const l of graph.lags) {
      this.lag.set(l.key, l);
      for (const m of l.members) this.lagOfPort.set(m, l);
    }
    for (const d of graph.devices) this.device.set(d.name, d);
    for (const h of graph.hosts) this.host.set(h.name, h);
    const owns = (mac: string | undefined, device: string) => {
      const m = macOf(mac);
      if (m) (this.devicesOfMac.get(m) ?? this.devicesOfMac.set(m, new Set()).get(m)!).add(device);
    };
    for (const p of graph.ports) owns(p.obs?.mac || p.plan?.mac, p.device);
    for (const b of graph.bonds) owns(b.mac, b.host);
    this.domains = domainIndex(graph);
  }

  /** The far end of a physical port's cable (a port, or a LAG/bond when only the aggregate is known). */
  peer(key: PortKey): PortKey | null {
    return this.graph.peers.get(key)?.peer ?? null;
  }

  peerLink(key: PortKey) {
    return this.graph.peers.get(key)?.link ?? null;
  }

  /** Where a port is known: a device observed it, freshly. */
  observed(port: LabPort | undefined): boolean {
    return port?.obs !== null && port?.obs !== undefined;
  }

  /** The switch domain (switch or stack member) a host leg's cable lands on; null when unknown. */
  switchOfLeg(leg: PortKey): string | null {
    const peer = this.peer(leg);
    return peer ? switchDomain(this.domains, peer) : null;
  }

  legDomains(leg: PortKey): string[] {
    return legDomains(this.domains, leg);
  }

  /** A device is one of a stack: ENTITY-MIB reports several members, or the inventory names a stack. */
  inStack(device: string): boolean {
    const d = this.device.get(device);
    return d !== undefined && (d.stack !== '' || d.stackMembers.length > 1);
  }

  /** The logical switch a device is part of: its inventory stack, else itself. */
  logicalSwitch(device: string): string {
    const d = this.device.get(device);
    return d?.stack ? `stack ${d.stack.trim().toLowerCase()}` : device;
  }

  pathsOf(host: string, sr: string): LabPath[] {
    if (!this.pathsByHost) {
      // Grouped once per audit (rules ask per SR and host), each group in graph.paths order.
      this.pathsByHost = new Map();
      for (const p of this.graph.paths) {
        let bySr = this.pathsByHost.get(p.host);
        if (!bySr) this.pathsByHost.set(p.host, (bySr = new Map()));
        const list = bySr.get(p.sr);
        if (list) list.push(p);
        else bySr.set(p.sr, [p]);
      }
    }
    return [...(this.pathsByHost.get(host)?.get(sr) ?? [])];
  }

  private pathsByHost: Map<string, Map<string, LabPath[]>> | null = null;

  /** A device's ports, in graph order. */
  portsOf(device: string): readonly LabPort[] {
    if (!this.portsByDevice) {
      this.portsByDevice = new Map();
      for (const p of this.graph.ports) {
        const list = this.portsByDevice.get(p.device);
        if (list) list.push(p);
        else this.portsByDevice.set(p.device, [p]);
      }
    }
    return this.portsByDevice.get(device) ?? [];
  }

  private portsByDevice: Map<string, LabPort[]> | null = null;

  /** "eth1" from "xen1:eth1". */
  short(key: PortKey): string {
    const colon = key.indexOf(':');
    return colon < 0 ? key : key.slice(colon + 1);
  }

  /** "sw-a port 5", "sw-b eth1/0/6", for prose. */
  describe(key: PortKey): string {
    const port = this.port.get(key);
    const lag = this.lag.get(key);
    const device = port?.device ?? lag?.device ?? this.bond.get(key)?.host ?? key.slice(0, key.indexOf(':'));
    const name = this.short(key);
    if (lag) return `${device}'s LAG ${name}`;
    if (this.device.get(device)?.kind === 'switch') return /^\d+$/.test(name) ? `${device} port ${name}` : `${device} ${name}`;
    return `${device} ${name}`;
  }

  describeAll(keys: readonly PortKey[]): string {
    return listText(keys.map((k) => this.describe(k)));
  }
}

/** Prose for a list of VLAN tags: "VLAN 101", "VLANs 100 and 101". */
export function vlansText(tags: readonly number[]): string {
  return tags.length === 1 ? `VLAN ${tags[0]}` : `VLANs ${listText(tags.map(String))}`;
}
