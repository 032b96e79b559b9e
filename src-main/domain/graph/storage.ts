/**
 * The storage side of the graph: each pool's SRs with their per-host attachment, each iSCSI portal with its
 * discovery state and the SAN ports that carry it, and every path (a host interface on a portal's subnet ×
 * that portal, per SR), the unit the multipath rules count. Which failure domains a path crosses is filled
 * in by domains.ts once the links are known.
 */
import type { Inventory } from '../model/inventory';
import type { PoolObservation } from '../model/pools';
import type { PortalProbe } from '../model/san';
import type { SwitchView } from '../model/switches';
import { judgePortal, targetAuth } from '../health/san';
import { sameIPv4Subnet } from '../checks/addresses';
import type { LabHost, LabPath, LabPort, LabPortal, LabSr, PortalState } from './types';
import { fold } from './names';

export const portalKeyOf = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export function buildSrs(pool: string, observation: PoolObservation, hostName: (xenName: string) => string): LabSr[] {
  return observation.storage.map((sr) => {
    const withTarget = sr.attachments.find((a) => a.target !== null)?.target ?? null;
    return {
      key: `${pool}/${sr.uuid}`,
      pool,
      uuid: sr.uuid,
      name: sr.name,
      type: sr.type,
      shared: sr.shared,
      multipathCapable: sr.multipathCapable,
      haHeartbeat: sr.haHeartbeat || observation.pool.haHeartbeatSr === sr.name,
      target: withTarget ? { iqn: withTarget.iqn, portals: withTarget.portals.map((address) => portalKeyOf(address, withTarget.port)) } : null,
      hosts: sr.attachments.map((a) => ({
        host: hostName(a.host),
        portals: a.target ? a.target.portals.map((address) => portalKeyOf(address, a.target!.port)) : [],
        attached: a.attached,
        multipathed: a.multipathed,
        activePaths: a.activePaths,
        totalPaths: a.totalPaths,
        iscsiSessions: a.iscsiSessions,
      })),
    };
  });
}

const PORTAL_STATE: Record<string, PortalState> = { up: 'up', 'discovery-failed': 'refuses-discovery', down: 'down', unknown: 'unknown' };

/** Every portal the inventory's targets list, plus any a PBD names that the inventory does not. */
export function buildPortals(
  inventory: Inventory,
  probes: ReadonlyMap<string, { device: string; probes: readonly PortalProbe[] }>,
  srs: readonly LabSr[],
  ports: readonly LabPort[],
  views: ReadonlyMap<string, SwitchView>,
): LabPortal[] {
  const portals = new Map<string, LabPortal>();
  for (const target of inventory.targets) {
    for (const portal of target.portals) {
      const key = portalKeyOf(portal.address, portal.port);
      const entry = portals.get(key) ?? { key, address: portal.address, port: portal.port, device: target.device, iqns: [], state: 'unknown' as PortalState, message: '', ports: [] };
      entry.iqns.push(target.iqn);
      const found = probes.get(target.device)?.probes.filter((p) => p.portal === key) ?? [];
      // The target's own CHAP probe speaks for it; else the shared probe without CHAP.
      const probe = found.find((p) => (target.chap ? p.targetId != null : p.targetId == null)) ?? found[0];
      const judged = judgePortal(probe, targetAuth({ chap: target.chap }));
      const state = PORTAL_STATE[judged.state] ?? 'unknown';
      // One target's portal refusing discovery does not make it down for another.
      if (entry.state === 'unknown' || state === 'up') {
        entry.state = state;
        entry.message = probe?.message ?? '';
      }
      portals.set(key, entry);
    }
  }
  for (const sr of srs) {
    for (const key of new Set([...(sr.target?.portals ?? []), ...sr.hosts.flatMap((h) => h.portals)])) {
      if (portals.has(key)) continue;
      const [address, port] = splitPortal(key);
      portals.set(key, { key, address, port, device: null, iqns: sr.target ? [sr.target.iqn] : [], state: 'unknown', message: 'no target in the inventory lists this portal', ports: [] });
    }
  }
  for (const portal of portals.values()) portal.ports = portalPorts(portal, ports, views);
  return [...portals.values()];
}

function splitPortal(key: string): [string, number] {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(key);
  return match ? [match[1]!, Number(match[2])] : [key, 3260];
}

/** The device ports that carry a portal: the one with its address where the device reports addresses, else its storage ports. */
function portalPorts(portal: LabPortal, ports: readonly LabPort[], views: ReadonlyMap<string, SwitchView>): string[] {
  if (!portal.device) return [];
  const own = ports.filter((p) => p.device === portal.device);
  const view = views.get(portal.device);
  const address = view?.addresses.find((a) => a.address === portal.address);
  if (address) {
    const at = own.find((p) => p.obs?.ifIndex === address.ifIndex);
    if (at) return [at.key];
    const lag = view!.lags.find((l) => l.ifIndex === address.ifIndex);
    if (lag) return own.filter((p) => lag.memberIfIndexes.includes(p.obs?.ifIndex ?? -1)).map((p) => p.key);
  }
  const storage = own.filter((p) => p.role === 'storage');
  return (storage.length ? storage : own.filter((p) => p.role !== 'management' && p.role !== 'replication')).map((p) => p.key);
}

export function buildPaths(
  pool: string,
  hosts: readonly LabHost[],
  srs: readonly LabSr[],
  portals: readonly LabPortal[],
  ports: readonly LabPort[],
  /** The ports by key, when the caller has them already (buildGraph calls this once per pool). */
  portByKey: ReadonlyMap<string, LabPort> = new Map(ports.map((p) => [p.key, p])),
): LabPath[] {
  const paths: LabPath[] = [];
  // Each host address is tried against each portal once per SR and attachment: parse the pair once.
  const subnetCheck = new Map<string, boolean>();
  const onSubnet = (ip: string, netmask: string, address: string) => {
    const key = JSON.stringify([ip, netmask, address]);
    let same = subnetCheck.get(key);
    if (same === undefined) subnetCheck.set(key, (same = sameIPv4Subnet(ip, netmask, address)));
    return same;
  };
  for (const sr of srs) {
    if (sr.pool !== pool || !sr.target) continue;
    const iqn = fold(sr.target.iqn);
    // The inventory's portals of the target, and those this host's own PBD names (hosts may name fewer).
    const listed = portals.filter((p) => p.device !== null && p.iqns.some((i) => fold(i) === iqn));
    for (const attachment of sr.hosts) {
      const host = hosts.find((h) => h.name === attachment.host);
      if (!host) continue;
      const own = attachment.portals.length ? attachment.portals : sr.target.portals;
      const candidates = [...new Set([...listed, ...portals.filter((p) => own.includes(p.key))])];
      for (const iface of host.addresses) {
        for (const portal of candidates) {
          if (!onSubnet(iface.ip, iface.netmask, portal.address)) continue;
          const legsUp = iface.legs.map((leg) => portByKey.get(leg)?.obs?.up ?? null);
          const state =
            portal.state === 'down' || !attachment.attached || legsUp.every((u) => u === false)
              ? 'down'
              : legsUp.some((u) => u === true)
                ? 'up'
                : 'unknown';
          paths.push({
            key: `${attachment.host}|${sr.name}|${iface.interface}|${portal.key}`,
            host: attachment.host,
            sr: sr.name,
            interface: iface.interface,
            ip: iface.ip,
            portal: portal.key,
            legs: iface.legs,
            state,
            domains: [],
            ways: [],
          });
        }
      }
    }
  }
  return paths;
}
