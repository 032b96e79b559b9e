/**
 * buildGraph(snapshot): the inventory and every collector's last observation joined into one LabGraph.
 * Pure and total: whatever the observations hold, it returns; what nobody reported stays null.
 *
 * Each device's part (its ports, bonds, LAGs) depends only on that device's observation and its inventory
 * entry, so it is kept and rebuilt only when that device's observation or plan changes (one carrier change
 * rebuilds one host's part); the joins across devices (links, paths, failure domains) are recomputed every
 * time, which is linear in the lab.
 */
import type { InventoryDevice } from '../model/inventory';
import type { SwitchView } from '../model/switches';
import { replicationView } from '../health/replication';
import type { LabSnapshot } from './snapshot';
import type { LabBond, LabGraph, LabHost, LabLag, LabNetwork, LabPool, LabPort, LabReplication, LabSr, LabVlan } from './types';
import { buildDevices } from './devices';
import { type HostPart, observedHost, plannedBonds, plannedOnly } from './host-ports';
import { type SnmpPart, observedSnmp, plannedLags, portKindOf } from './snmp-ports';
import { resolveLinks } from './links';
import { buildPaths, buildPortals, buildSrs } from './storage';
import { deviceOfKey, describeDomain, domainIndex, pathDomains } from './domains';
import { sameName } from './names';

/**
 * Parts kept per inventory entry (replaced whole when it changes) and observation: an SNMP view by its object
 * (the collector replaces it per poll), a host by its record's content (the XenAPI watcher rebuilds every
 * record on each event, so one carrier change alters one host's content and no other's).
 */
const hostParts = new WeakMap<object, Map<string, HostPart>>();
const snmpParts = new WeakMap<object, WeakMap<object, SnmpPart>>();
const NO_PLAN = {};
/** Host states kept per inventory entry before the oldest are dropped (a flapping link makes a new one each time). */
const HOST_PARTS_KEPT = 4096;

function hostPart(plan: object | undefined, content: string, make: () => HostPart): HostPart {
  let inner = hostParts.get(plan ?? NO_PLAN);
  if (!inner) hostParts.set(plan ?? NO_PLAN, (inner = new Map()));
  let part = inner.get(content);
  if (!part) {
    if (inner.size >= HOST_PARTS_KEPT) inner.delete(inner.keys().next().value!);
    inner.set(content, (part = make()));
  }
  return part;
}

function cached<T>(store: WeakMap<object, WeakMap<object, T>>, a: object, b: object | undefined, make: () => T): T {
  let inner = store.get(a);
  if (!inner) store.set(a, (inner = new WeakMap()));
  const key = b ?? NO_PLAN;
  let part = inner.get(key);
  if (!part) inner.set(key, (part = make()));
  return part;
}

export function buildGraph(snapshot: LabSnapshot): LabGraph {
  const { devices, byName, hostNames } = buildDevices(snapshot);
  const planned = new Map<string, InventoryDevice>(snapshot.inventory.devices.map((d) => [d.name, d]));
  const ports: LabPort[] = [];
  const bonds: LabBond[] = [];
  const lags: LabLag[] = [];
  const hosts: LabHost[] = [];
  const pools: LabPool[] = [];
  const networks: LabNetwork[] = [];
  const srs: LabSr[] = [];
  const observedDevices = new Set<string>();

  for (const pool of snapshot.pools) {
    const observation = pool.observation;
    if (!observation) continue;
    const names = hostNames.get(pool.device)!;
    const nameOf = (xen: string) => names.get(xen) ?? xen;
    const stale = pool.status?.staleSince !== undefined;
    for (const host of observation.hosts) {
      const device = nameOf(host.name);
      const content = `${device}\u0000${pool.device}\u0000${JSON.stringify(host)}`;
      const part = hostPart(planned.get(device), content, () => observedHost(device, pool.device, host, planned.get(device), observation.observedAt, stale));
      // Copies: the role pass below and what-if change ports, never the cached part; staleness moves with
      // the clock, not with the observation, so it is set on the copy.
      ports.push(...part.ports.map((p) => copyPort(p, stale, observation.observedAt)));
      bonds.push(...part.bonds.map((b) => ({ ...b })), ...(planned.get(device) ? plannedBonds(device, planned.get(device)!, part.bonds) : []));
      hosts.push(part.host);
      observedDevices.add(device);
      Object.assign(byName.get(device)!, { reported: true, stale });
    }
    pools.push({
      name: pool.device,
      master: nameOf(observation.pool.master),
      haEnabled: observation.pool.haEnabled,
      haHeartbeatSr: observation.pool.haHeartbeatSr,
      hosts: observation.hosts.map((h) => nameOf(h.name)),
      observedAt: observation.observedAt,
    });
    for (const network of observation.networks) {
      const uses: LabNetwork['uses'] = [];
      for (const host of observation.hosts) {
        for (const nic of host.nics) if (nic.network === network.name && nic.bond === null) uses.push({ host: nameOf(host.name), on: nic.device, tag: null });
        for (const vlan of host.vlans) if (vlan.network === network.name) uses.push({ host: nameOf(host.name), on: vlan.on, tag: vlan.tag });
      }
      networks.push({
        key: `${pool.device}/${network.uuid}`,
        pool: pool.device,
        name: network.name,
        bridge: network.bridge,
        mtu: network.mtu,
        private: network.hosts.length === 0 && !network.internal,
        internal: network.internal,
        hosts: network.hosts.map(nameOf),
        uses,
      });
    }
    srs.push(...buildSrs(pool.device, observation, nameOf));
  }

  const views = new Map<string, SwitchView>();
  for (const entry of snapshot.snmp) {
    const device = planned.get(entry.device);
    if (!entry.view || !device || observedDevices.has(entry.device)) continue;
    views.set(entry.device, entry.view);
    const stale = entry.status?.staleSince !== undefined;
    const part = cached(snmpParts, entry.view, device, () => observedSnmp(entry.device, portKindOf(device.kind), entry.view!, device, stale));
    ports.push(...part.ports.map((p) => copyPort(p, stale, entry.view!.observedAt)));
    lags.push(...part.lags.map((l) => ({ ...l })));
    bonds.push(...part.bonds.map((b) => ({ ...b })));
    observedDevices.add(entry.device);
    Object.assign(byName.get(entry.device)!, { reported: true, stale });
  }

  // Devices nobody reported: their planned ports, bonds and LAGs, without an observation.
  for (const device of snapshot.inventory.devices) {
    if (observedDevices.has(device.name) || device.kind === 'xen-pool') continue;
    const kind = device.kind === 'xen-host' ? 'host-nic' : portKindOf(device.kind);
    ports.push(...device.ports.filter((p) => !isAggregateName(device, p.name)).map((p) => plannedOnly(device.name, kind, p)));
    if (device.kind === 'xen-host' || device.kind === 'linux-host') bonds.push(...plannedBonds(device.name, device, []));
    if (device.kind === 'switch') lags.push(...plannedLags(device.name, device.ports, []));
  }

  const { links, peers } = resolveLinks({ devices, ports, bonds, lags, views, cables: snapshot.inventory.links });

  // A switch port without a planned role: an uplink when a switch is at the other end, else its peer's role.
  const portByKey = new Map(ports.map((p) => [p.key, p]));
  for (const port of ports) {
    if (port.role !== null) continue;
    const peer = peers.get(port.key)?.peer;
    if (!peer) continue;
    const peerDevice = byName.get(deviceOfKey(peer));
    if (port.kind === 'switch-port' && peerDevice?.kind === 'switch') port.role = 'uplink';
    else port.role = portByKey.get(peer)?.role ?? null;
  }

  const probes = new Map(snapshot.probes.map((p) => [p.device, p]));
  const portals = buildPortals(snapshot.inventory, probes, srs, ports, views);
  const paths = pools.flatMap((pool) => buildPaths(pool.name, hosts.filter((h) => h.pool === pool.name), srs, portals, ports, portByKey));

  const graph: LabGraph = {
    builtAt: snapshot.at,
    devices,
    pools,
    hosts,
    replication: replication(snapshot),
    ports,
    bonds,
    lags,
    links,
    vlans: vlans(snapshot, ports, bonds, views),
    networks,
    srs,
    portals,
    paths,
    domains: [],
    peers,
    removed: [],
  };
  finish(graph);
  return graph;
}

/** The joins that depend on links and states: path ways, failure domains. What-if reruns this after a loss. */
export function finish(graph: LabGraph): void {
  const index = domainIndex(graph);
  pathDomains(index, graph.paths, graph.portals);
  const ids = new Set<string>();
  for (const device of graph.devices) {
    if (device.kind === 'switch') {
      if (device.stackMembers.length > 1) device.stackMembers.forEach((m) => ids.add(`switch:${device.name}#${m.index}`));
      ids.add(`switch:${device.name}`);
    } else if (device.kind === 'xen-host') ids.add(`host:${device.name}`);
    else if (device.kind !== 'xen-pool') ids.add(`device:${device.name}`);
  }
  for (const path of graph.paths) for (const way of path.ways) way.filter((d) => d.startsWith('nic:')).forEach((d) => ids.add(d));
  for (const portal of graph.portals) ids.add(`portal:${portal.key}`);
  graph.domains = [...ids].map(describeDomain);
}

function copyPort(port: LabPort, stale: boolean, at: string): LabPort {
  return { ...port, obs: port.obs ? { ...port.obs, stale, at } : null };
}

function isAggregateName(device: InventoryDevice, name: string): boolean {
  return device.ports.some((p) => p.aggregate !== '' && sameName(p.aggregate, name));
}

function replication(snapshot: LabSnapshot): LabReplication[] {
  const now = new Date(snapshot.at);
  return snapshot.nases.map((nas) => {
    const view = replicationView({ id: 0, name: nas.device }, nas.observation, nas.recoveryPointHours, now);
    const ages = view.plans.map((p) => p.ageHours).filter((a): a is number => a !== null);
    return {
      nas: nas.device,
      recoveryPointHours: nas.recoveryPointHours,
      summary: view.summary,
      late: view.late,
      newestAgeHours: ages.length ? Math.min(...ages) : null,
      read: nas.observation !== null,
      plans: view.plans.map((p) => ({ id: p.id, targetName: p.targetName, ageHours: p.ageHours, late: p.late, lastError: p.lastError })),
    };
  });
}

function vlans(snapshot: LabSnapshot, ports: readonly LabPort[], bonds: readonly LabBond[], views: ReadonlyMap<string, SwitchView>): LabVlan[] {
  const out = new Map<number, LabVlan>();
  const carriers = new Map<number, Set<string>>();
  const touch = (id: number, name: string, planned: boolean, device: string | null) => {
    const vlan = out.get(id) ?? { id, name, planned, devices: [] };
    if (!vlan.name && name) vlan.name = name;
    vlan.planned ||= planned;
    if (device) {
      const seen = carriers.get(id) ?? carriers.set(id, new Set()).get(id)!;
      if (!seen.has(device)) {
        seen.add(device);
        vlan.devices.push(device);
      }
    }
    out.set(id, vlan);
  };
  for (const vlan of snapshot.inventory.vlans) touch(vlan.id, vlan.name, true, null);
  for (const [device, view] of views) for (const vlan of view.vlans) touch(vlan.id, vlan.name, false, device);
  // Touching a VLAN twice for one device changes nothing, so a port's tags need no sorting or de-duplication here.
  for (const port of ports) {
    for (const id of port.obs?.tagged ?? []) touch(id, '', false, port.device);
    if (port.obs?.untagged != null) touch(port.obs.untagged, '', false, port.device);
  }
  for (const bond of bonds) for (const id of bond.tagged) touch(id, '', false, bond.host);
  return [...out.values()].sort((a, b) => a.id - b.id);
}
