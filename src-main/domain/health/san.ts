/**
 * The SAN → target → LUN → SR → host × portal view, joined from the inventory (targets and portals), the
 * discovery probe of each portal, and each pool's XenAPI observation.
 *
 * The expected paths of a host are its NICs with an address on a portal's subnet × those portals (one NIC
 * per subnet is the multipath rule, reference xenapi.md §8.1). XenAPI tells only how many paths are active
 * ("[a, t]"), never which one; the probe tells which portal is down. Together they say *why* where it can be
 * known: the portal is down, no NIC is on that subnet, multipathing is off on the host, the SR is not
 * attached, or fewer sessions than expected.
 *
 * A portal that accepts TCP but refuses the monitor's discovery (CHAP, an ACL, a protocol error) is not a
 * down path: the hosts log in with their own credentials, so their paths are judged from XenAPI alone, and
 * the page says the portal refuses discovery instead of calling it down (the fix is credentials, not cables).
 */
import type { StorageTarget, Lun } from '../model/storage';
import type { HostNic, HostVlan, PoolObservation, SrAttachment, XenHost, XenStorage } from '../model/pools';
import {
  MONITOR_INITIATOR_NAME,
  probeKey,
  type DiscoveryAuth,
  type HostPaths,
  type LunMatch,
  type LunView,
  type PathCell,
  type PortalProbe,
  type PortalView,
  type SanView,
  type SrOnTarget,
  type TargetView,
} from '../model/san';
import { sameIPv4Subnet } from '../checks/addresses';

export interface SanInput {
  device: { id: number; name: string; kind: 'iscsi-san' | 'nas'; address: string };
  targets: readonly StorageTarget[];
  /** The latest probe of each portal, by probeKey('address:port', the target id when it used that target's CHAP). */
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
      const probe = probeOf(input, target, portal.address, portal.port);
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

/** The probe that speaks for this target's portal: its own CHAP probe, or the shared one without CHAP. */
function probeOf(input: SanInput, target: StorageTarget, address: string, port: number): PortalProbe | undefined {
  return input.probes.get(probeKey(portalKey(address, port), target.chap ? target.id : null));
}

export const targetAuth = (target: Pick<StorageTarget, 'chap'>): DiscoveryAuth =>
  target.chap === null ? 'none' : target.chap.targetUser === '' ? 'chap' : 'mutual-chap';

/** Failure kinds that can only happen after the TCP connection was accepted. */
const AFTER_CONNECT = new Set(['auth-failed', 'login-rejected', 'protocol', 'closed', 'too-large']);

/**
 * A probe judged: up, refusing discovery (TCP accepted, iSCSI said no or said nonsense), or down (no TCP),
 * with a few words for what went wrong and where to look.
 */
export function judgePortal(probe: PortalProbe | undefined, auth: DiscoveryAuth): Pick<PortalView, 'state' | 'failure' | 'problem' | 'hint'> {
  if (!probe) return { state: 'unknown', failure: null, problem: '', hint: '' };
  if (probe.ok) {
    const hint = probe.credentialProblem ?? '';
    return { state: 'up', failure: null, problem: '', hint };
  }
  const failure = probe.failure ?? 'protocol';
  const connected = probe.connected ?? AFTER_CONNECT.has(failure);
  if (!connected) {
    const problem = failure === 'refused' ? 'nothing listens' : failure === 'unreachable' ? 'unreachable' : failure === 'timeout' ? 'no answer' : failure;
    return { state: 'down', failure, problem, hint: 'nothing answers on TCP: check cabling, addresses and that the portal is enabled on the SAN' };
  }
  const offered = probe.auth ?? auth;
  const credentialNote = probe.credentialProblem ? ` (${probe.credentialProblem})` : '';
  let problem: string;
  let hint = '';
  if (failure === 'auth-failed') {
    if (/mutual CHAP failed/.test(probe.message)) {
      problem = 'mutual CHAP failed';
      hint = "the target could not prove itself: check this target's mutual CHAP target user and secret";
    } else if (probe.loginStatus === '0x0202') {
      problem = 'initiator not allowed';
      hint = `the SAN's discovery ACL does not allow the monitor's initiator name ${MONITOR_INITIATOR_NAME}`;
    } else if (offered === 'none') {
      problem = 'CHAP required';
      hint = `the SAN requires CHAP for discovery: set discovery CHAP on this target${credentialNote}`;
    } else {
      problem = 'CHAP refused';
      hint = `check this target's CHAP user and secret${credentialNote}`;
    }
  } else if (failure === 'login-rejected') {
    problem = 'login rejected';
  } else if (failure === 'timeout') {
    problem = 'no iSCSI answer';
    hint = 'TCP is accepted but the iSCSI service does not answer: the target software may be hung';
  } else if (failure === 'closed') {
    problem = 'closed the connection';
  } else if (failure === 'too-large') {
    problem = 'answer too large';
  } else {
    problem = 'protocol error';
  }
  return { state: 'discovery-failed', failure, problem, hint };
}

function targetView(target: StorageTarget, input: SanInput): TargetView {
  const auth = targetAuth(target);
  const portals: PortalView[] = target.portals.map((portal) => {
    const probe = probeOf(input, target, portal.address, portal.port);
    return {
      address: portal.address,
      port: portal.port,
      ...judgePortal(probe, auth),
      message: probe?.message ?? '',
      auth,
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
    // A portal that refuses the monitor's discovery may still serve the host, which logs in with its own
    // credentials: the path is judged from XenAPI below, and the reason says what the monitor could not check.
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
  for (const cell of cells) {
    const portal = portals.find((p) => portalKey(p.address, p.port) === cell.portal);
    if (portal?.state !== 'discovery-failed' || cell.nic === '') continue;
    const refused = `portal refuses discovery (${portal.problem})`;
    cell.reason = cell.reason ? `${cell.reason}; ${refused}` : `${refused}: judged from XenAPI alone`;
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

type SrEntry = { pool: { deviceId: number; name: string }; sr: XenStorage };

/** What an SR's PBDs say about the LUN under it: an explicit LUN number, and its SCSI id(s). */
interface SrEvidence {
  entry: SrEntry;
  lunId: number | null;
  scsiIds: Set<string>;
}

/** The PBD's device_config `LUNid` (null where the SR was made without one, or from a stored older observation). */
function lunIdOf(attachment: SrAttachment): number | null {
  return attachment.target?.lunId ?? null;
}

function evidenceOf(entry: SrEntry, iqn: string): SrEvidence {
  const scsiIds = new Set<string>();
  let lunId: number | null = null;
  for (const attachment of entry.sr.attachments) {
    if (!attachment.target || !sameIqn(attachment.target.iqn, iqn)) continue;
    // SR.sm_config SCSIid may list several, comma-separated (reference san.md §5.1).
    for (const id of attachment.target.scsiId.split(',')) if (id.trim()) scsiIds.add(id.trim().toLowerCase());
    lunId ??= lunIdOf(attachment);
  }
  return { entry, lunId, scsiIds };
}

/**
 * Which SR sits on which LUN, on the strongest evidence there is (LunMatch): first the LUN number from the
 * PBD's device_config, then a SCSI id the inventory records, and only then today's heuristics: the target's
 * only LUN, the HA heartbeat flag for the heartbeat LUN, the nearest size. The heuristics never pair what the
 * evidence contradicts: an SR whose LUN number or SCSI id is known but names none of the inventory's LUNs
 * sits on a LUN the inventory does not list, and a LUN whose SCSI id is recorded takes only that SR.
 */
export function matchLuns(target: StorageTarget, srs: readonly SrEntry[]): LunView[] {
  const views: LunView[] = target.luns.map((lun) => ({ lun: lun.lun, name: lun.name, sizeBytes: lun.sizeBytes, use: lun.use, sr: null, matchedBy: null }));
  const unclaimed = srs.map((entry) => evidenceOf(entry, target.iqn));
  const pair = (index: number, evidence: SrEvidence, matchedBy: LunMatch) => {
    unclaimed.splice(unclaimed.indexOf(evidence), 1);
    Object.assign(views[index]!, { sr: toView(evidence.entry), matchedBy });
  };
  const open = () => target.luns.map((lun, index) => ({ lun, index })).filter(({ index }) => views[index]!.sr === null);

  for (const { lun, index } of open()) {
    const found = unclaimed.find((e) => e.lunId === lun.lun);
    if (found) pair(index, found, 'lun-id');
  }
  for (const { lun, index } of open()) {
    if (lun.scsiId === '') continue;
    const found = unclaimed.find((e) => e.scsiIds.has(lun.scsiId.toLowerCase()));
    if (found) pair(index, found, 'scsi-id');
  }

  const compatible = (lun: Lun, evidence: SrEvidence) =>
    evidence.lunId === null && (lun.scsiId === '' || evidence.scsiIds.size === 0) && !knownElsewhere(evidence, target.luns);
  if (target.luns.length === 1 && views[0]!.sr === null) {
    const found = unclaimed.find((e) => compatible(target.luns[0]!, e));
    if (found) pair(0, found, 'only-lun');
    return views;
  }
  for (const { lun, index } of open()) {
    if (lun.use !== 'ha-heartbeat') continue;
    const found = unclaimed.find((e) => e.entry.sr.haHeartbeat && compatible(lun, e));
    if (found) pair(index, found, 'ha-heartbeat');
  }
  // Nearest sizes, the closest pair first: a LUN takes a far-off SR only when no nearer LUN wants it.
  for (;;) {
    let best: { index: number; evidence: SrEvidence; gap: number } | null = null;
    for (const { lun, index } of open()) {
      for (const evidence of unclaimed) {
        if (!compatible(lun, evidence)) continue;
        const size = evidence.entry.sr.sizeBytes;
        const gap = size === null ? Number.MAX_SAFE_INTEGER : Math.abs(size - lun.sizeBytes);
        if (!best || gap < best.gap) best = { index, evidence, gap };
      }
    }
    if (!best) break;
    pair(best.index, best.evidence, 'size');
  }
  return views;
}

/** An SR whose SCSI id the inventory records for another LUN of this target is that LUN's, matched or not. */
function knownElsewhere(evidence: SrEvidence, luns: readonly Lun[]): boolean {
  return luns.some((lun) => lun.scsiId !== '' && evidence.scsiIds.has(lun.scsiId.toLowerCase()));
}

function toView({ pool, sr }: SrEntry): SrOnTarget {
  return {
    poolDeviceId: pool.deviceId,
    pool: pool.name,
    uuid: sr.uuid,
    name: sr.name,
    type: sr.type,
    sizeBytes: sr.sizeBytes,
    haHeartbeat: sr.haHeartbeat,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
