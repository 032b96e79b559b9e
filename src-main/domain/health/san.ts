/**
 * The SAN → target → LUN → SR → host × portal view, joined from the inventory (targets and portals), the
 * discovery probe of each portal, and each pool's XenAPI observation.
 *
 * The expected paths of a host are its NICs with an address on a portal's subnet × those portals (one NIC
 * per subnet is the multipath rule, reference xenapi.md §8.1). XenAPI tells only how many paths are active
 * ("[a, t]"), never which one; the probe tells which portal is down. Together they say *why* where it can be
 * known: the portal is down, no NIC is on that subnet, multipathing is off on the host, the SR is not
 * attached, or fewer sessions than expected.
 */
import type { StorageTarget } from '../model/storage';
import type { HostNic, HostVlan, PoolObservation, SrAttachment, XenHost, XenStorage } from '../model/pools';
import type {
  HostPaths,
  LunView,
  PathCell,
  PortalProbe,
  PortalView,
  SanView,
  SrOnTarget,
  TargetView,
} from '../model/san';
import { sameIPv4Subnet } from '../checks/addresses';

export interface SanInput {
  device: { id: number; name: string; kind: 'iscsi-san' | 'nas'; address: string };
  targets: readonly StorageTarget[];
  /** The latest probe of each portal, by 'address:port'. */
  probes: ReadonlyMap<string, PortalProbe>;
  pools: readonly { deviceId: number; name: string; observation: PoolObservation }[];
}

const portalKey = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
const sameIqn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function sanView(input: SanInput): SanView {
  const known = new Set(input.targets.map((t) => t.iqn.toLowerCase()));
  const extra = new Set<string>();
  let probedAt: string | null = null;
  for (const target of input.targets) {
    for (const portal of target.portals) {
      const probe = input.probes.get(portalKey(portal.address, portal.port));
      if (!probe) continue;
      if (!probedAt || probe.probedAt > probedAt) probedAt = probe.probedAt;
      for (const iqn of probe.iqns) if (!known.has(iqn.toLowerCase())) extra.add(iqn);
    }
  }
  return {
    deviceId: input.device.id,
    name: input.device.name,
    kind: input.device.kind,
    address: input.device.address,
    targets: input.targets.map((target) => targetView(target, input)),
    extraIqns: [...extra].sort(),
    probedAt,
  };
}

function targetView(target: StorageTarget, input: SanInput): TargetView {
  const portals: PortalView[] = target.portals.map((portal) => {
    const probe = input.probes.get(portalKey(portal.address, portal.port));
    return {
      address: portal.address,
      port: portal.port,
      state: !probe ? 'unknown' : probe.ok ? 'up' : 'down',
      message: probe?.message ?? '',
      listsTarget: probe?.ok ? probe.iqns.some((iqn) => sameIqn(iqn, target.iqn)) : null,
      probedAt: probe?.probedAt ?? null,
    };
  });

  // Every SR, in every pool, whose PBDs point at this target's IQN.
  const srs: { pool: (typeof input.pools)[number]; sr: XenStorage }[] = [];
  for (const pool of input.pools) {
    for (const sr of pool.observation.storage) {
      if (sr.attachments.some((a) => a.target && sameIqn(a.target.iqn, target.iqn))) srs.push({ pool, sr });
    }
  }

  const paths: HostPaths[] = [];
  for (const { pool } of uniquePools(srs)) {
    const hosts = new Map(pool.observation.hosts.map((host) => [host.name, host]));
    for (const host of pool.observation.hosts) {
      const attachments = srs
        .filter((entry) => entry.pool === pool)
        .map((entry) => entry.sr.attachments.find((a) => a.host === host.name))
        .filter((a): a is SrAttachment => a !== undefined);
      paths.push(hostPaths(hosts.get(host.name)!, attachments, portals));
    }
  }

  return {
    targetId: target.id,
    iqn: target.iqn,
    alias: target.alias,
    portals,
    luns: matchLuns(target, srs),
    paths,
    notListed: portals.filter((p) => p.listsTarget === false).map((p) => portalKey(p.address, p.port)),
  };
}

function uniquePools<T extends { pool: unknown }>(entries: T[]): T[] {
  const seen = new Set<unknown>();
  return entries.filter((entry) => (seen.has(entry.pool) ? false : (seen.add(entry.pool), true)));
}

/** Interfaces of a host that carry an address: NICs, bonds and VLAN interfaces alike. */
function addressed(host: XenHost): { label: string; ip: string; netmask: string }[] {
  const out: { label: string; ip: string; netmask: string }[] = [];
  const add = (item: HostNic | HostVlan, label: string) => {
    if (item.ipMode !== 'None' && item.ip && item.netmask) out.push({ label: `${label} ${item.ip}`, ip: item.ip, netmask: item.netmask });
  };
  for (const nic of host.nics) add(nic, nic.device);
  for (const vlan of host.vlans) add(vlan, `${vlan.on}.${vlan.tag}`);
  return out;
}

/** Of several SRs on one target (one per LUN), the attachment in the worst state speaks for the host. */
function worst(attachments: SrAttachment[]): SrAttachment | null {
  if (attachments.length === 0) return null;
  const score = (a: SrAttachment) =>
    !a.attached ? -1 : a.activePaths === null || a.totalPaths === null || a.totalPaths === 0 ? 0.5 : a.activePaths / a.totalPaths;
  return [...attachments].sort((x, y) => score(x) - score(y))[0]!;
}

function hostPaths(host: XenHost, attachments: SrAttachment[], portals: PortalView[]): HostPaths {
  const attachment = worst(attachments);
  const interfaces = addressed(host);
  const cells: PathCell[] = portals.map((portal) => {
    const key = portalKey(portal.address, portal.port);
    const nic = interfaces.find((i) => sameIPv4Subnet(i.ip, i.netmask, portal.address));
    if (!nic) return { portal: key, nic: '', state: 'no-nic', reason: `no NIC of ${host.name} has an address on ${portal.address}'s subnet` };
    if (portal.state === 'down') return { portal: key, nic: nic.label, state: 'down', reason: `portal down: ${portal.message}` };
    if (!attachment || !attachment.attached) {
      return { portal: key, nic: nic.label, state: 'down', reason: attachment ? `the SR is not attached on ${host.name}` : `${host.name} has no PBD for this target` };
    }
    return { portal: key, nic: nic.label, state: 'up', reason: '' };
  });

  const expected = cells.filter((c) => c.nic !== '').length;
  const usable = cells.filter((c) => c.state === 'up');
  const notes: string[] = [];
  if (attachment?.attached) {
    if (!host.multipathing) {
      // Without multipathing the storage manager logs in through one portal only.
      usable.slice(1).forEach((cell) => Object.assign(cell, { state: 'inactive', reason: `multipathing is off on ${host.name}: one path is used` }));
      if (expected > 1) notes.push(`multipathing is off: 1 of ${expected} possible paths is used`);
    } else if (attachment.activePaths !== null) {
      const active = attachment.activePaths;
      if (active === 0) {
        usable.forEach((cell) => Object.assign(cell, { state: 'down', reason: 'no path is active on the host' }));
      } else if (active < usable.length) {
        usable.forEach((cell) =>
          Object.assign(cell, { state: 'degraded', reason: `${active} of ${usable.length} reachable paths active; XenAPI does not say which one is down` }),
        );
      }
    } else {
      usable.forEach((cell) => Object.assign(cell, { state: 'unknown', reason: 'the host reports no path counts for this SR' }));
    }
    if (host.multipathing && attachment.iscsiSessions !== null && attachment.iscsiSessions < expected) {
      notes.push(`${plural(attachment.iscsiSessions, 'iSCSI session')} for ${plural(expected, 'expected path')}`);
    }
    if (host.multipathing && attachment.totalPaths !== null && attachment.totalPaths < expected) {
      notes.push(`the host knows ${plural(attachment.totalPaths, 'path')}, ${expected} expected`);
    }
  }
  if (expected === 0) notes.push(`no NIC of ${host.name} is on a portal's subnet`);
  else if (expected === 1) notes.push('a single path: no redundancy');
  return {
    host: host.name,
    expected,
    active: attachment?.activePaths ?? null,
    total: attachment?.totalPaths ?? null,
    iscsiSessions: attachment?.iscsiSessions ?? null,
    attached: attachment?.attached ?? false,
    multipathing: host.multipathing,
    cells,
    notes,
  };
}

/**
 * Which SR sits on which LUN. XenAPI names the target IQN and the LUN's SCSI id, not the LUN number, so with
 * one LUN the target's SR is it; with several, sizes decide (the nearest unclaimed), and an HA heartbeat SR
 * goes to the LUN the inventory marks for the heartbeat.
 */
function matchLuns(target: StorageTarget, srs: { pool: { deviceId: number; name: string }; sr: XenStorage }[]): LunView[] {
  const unclaimed = [...srs];
  const claim = (index: number) => unclaimed.splice(index, 1)[0]!;
  const views: LunView[] = target.luns.map((lun) => ({ lun: lun.lun, name: lun.name, sizeBytes: lun.sizeBytes, use: lun.use, sr: null }));
  const toView = ({ pool, sr }: (typeof srs)[number]): SrOnTarget => ({
    poolDeviceId: pool.deviceId,
    pool: pool.name,
    uuid: sr.uuid,
    name: sr.name,
    type: sr.type,
    sizeBytes: sr.sizeBytes,
    haHeartbeat: sr.haHeartbeat,
  });
  if (views.length === 1 && unclaimed.length > 0) {
    views[0]!.sr = toView(claim(0));
    return views;
  }
  for (const view of views) {
    if (unclaimed.length === 0) break;
    if (view.use === 'ha-heartbeat') {
      const index = unclaimed.findIndex((entry) => entry.sr.haHeartbeat);
      if (index >= 0) {
        view.sr = toView(claim(index));
        continue;
      }
    }
    let best = -1;
    let bestGap = Number.POSITIVE_INFINITY;
    unclaimed.forEach((entry, index) => {
      const gap = entry.sr.sizeBytes === null ? Number.MAX_SAFE_INTEGER : Math.abs(entry.sr.sizeBytes - view.sizeBytes);
      if (gap < bestGap) [best, bestGap] = [index, gap];
    });
    if (best >= 0) view.sr = toView(claim(best));
  }
  return views;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
