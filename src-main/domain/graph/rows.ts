/**
 * The Ports view: one row per physical port of every device (host NICs, switch ports, SAN and NAS ports),
 * with what is at the other end of its cable side by side: peer and how it was found, bond and LAG with each
 * member's state at both ends, VLANs here and there, MTU, speed and duplex at both ends, the storage paths it
 * carries, its findings, and which cells disagree. The same rows are `labwarden ports --json`.
 */
import type { Finding } from '../audit/finding';
import { Lab } from '../audit/lab';
import { switchVlans } from '../audit/switch-vlans';
import type { LabGraph, LabPath, LabPort, LinkSource, PortKey } from './types';
import { byText, fold } from './names';

export type PortState = 'up' | 'down' | 'admin-down' | 'unknown' | 'stale';

export interface VlanSet {
  tagged: number[];
  untagged: number | null;
}

export interface MemberState {
  port: string;
  up: boolean | null;
}

export interface PortRow {
  /** `device:port`. */
  port: string;
  device: string;
  name: string;
  kind: LabPort['kind'];
  role: string | null;
  /** The far end (`device:port`, or a bond/LAG when only the aggregate is known); null when not known. */
  peer: string | null;
  peerSource: LinkSource | null;
  peerAlsoSeenBy: LinkSource[];
  /** Another source's different answer about this port's peer, or null. */
  conflict: string | null;
  /** The host bond on this cable (this port's, or the peer NIC's), and its members with their link. */
  bond: string | null;
  /** The bond's key (`host:bond0`), for links to it. */
  bondKey: string | null;
  bondMembers: MemberState[];
  /** The switch LAG on this cable (this port's, or the peer port's), and its members. */
  lag: string | null;
  /** The LAG's key (`switch:Trk1`). */
  lagKey: string | null;
  lagMembers: (MemberState & { collecting: boolean | null })[];
  /** Observed VLANs (the plan's where the device reported nothing: see `observed`). */
  vlans: VlanSet;
  peerVlans: VlanSet | null;
  mtu: number | null;
  peerMtu: number | null;
  speedMbps: number | null;
  peerSpeedMbps: number | null;
  duplex: 'full' | 'half' | null;
  peerDuplex: 'full' | 'half' | null;
  /** Link: null when the device did not say (never taken as up). */
  up: boolean | null;
  peerUp: boolean | null;
  state: PortState;
  /** A device reported this port; false means everything here is the plan. */
  observed: boolean;
  observedAt: string | null;
  mac: string;
  inInventory: boolean;
  /** Storage paths through this port, e.g. "VM store via 10.10.20.20:3260" (with the host for switch and SAN ports). */
  paths: string[];
  /** Ids of the findings about this port (or its bond/LAG). */
  findings: string[];
  /** The worst open finding's severity, or null. */
  severity: Finding['severity'] | null;
  /** Cells that disagree across the cable (or with the plan): vlans, untagged, mtu, speed, duplex, lag, peer. */
  mismatches: string[];
  /** The bond or LAG this row groups under (its own), for the table's grouping. */
  group: string | null;
}

const groupName = (row: PortRow) => (row.group ? row.group.slice(row.device.length + 1) : row.name);

function stateOf(port: LabPort): PortState {
  if (!port.obs) return 'unknown';
  if (port.obs.stale) return 'stale';
  if (port.obs.adminUp === false) return 'admin-down';
  if (port.obs.up === true) return 'up';
  if (port.obs.up === false) return 'down';
  return 'unknown';
}

function vlansOf(lab: Lab, port: LabPort): VlanSet {
  if (!port.obs) return { tagged: port.plan?.taggedVlans ?? [], untagged: port.plan?.untaggedVlan ?? null };
  if (port.kind === 'host-nic') return { tagged: port.obs.tagged, untagged: port.obs.untaggedInUse ? (port.plan?.untaggedVlan ?? null) : null };
  const vlans = switchVlans(lab, port.key);
  return vlans ? { tagged: vlans.tagged, untagged: vlans.untagged } : { tagged: port.obs.tagged, untagged: port.obs.untagged };
}

const RULE_CELLS: Record<string, string> = {
  'vlan.missing-on-switch': 'vlans',
  'drift.vlan': 'vlans',
  'vlan.untagged-mismatch': 'untagged',
  'link.mtu-mismatch': 'mtu',
  'link.speed-mismatch': 'speed',
  'link.duplex-mismatch': 'duplex',
  'bond.switch-lag-mismatch': 'lag',
  'link.conflict': 'peer',
  'bond.degraded': 'bond',
  'lag.member-down': 'lag',
};

/** localeCompare(b, 'en', { numeric: true }), made once: localeCompare with options builds a collator per call. */
const NUMERIC_ORDER = new Intl.Collator('en', { numeric: true });

/**
 * The storage paths through each port, in graph.paths order: a path runs through its legs, every port one of
 * its ways crosses, and the ports that carry its portal. Built once, instead of scanning every path per port.
 */
function pathsByPort(graph: LabGraph): Map<PortKey, LabPath[]> {
  const portalPorts = new Map<string, string[]>();
  for (const portal of graph.portals) if (!portalPorts.has(portal.key)) portalPorts.set(portal.key, portal.ports);
  const out = new Map<PortKey, LabPath[]>();
  for (const path of graph.paths) {
    const keys = new Set<PortKey>(path.legs);
    for (const way of path.ways) for (const domain of way) if (domain.startsWith('port:')) keys.add(domain.slice('port:'.length));
    for (const key of portalPorts.get(path.portal) ?? []) keys.add(key);
    for (const key of keys) {
      const list = out.get(key);
      if (list) list.push(path);
      else out.set(key, [path]);
    }
  }
  return out;
}

export function portRows(graph: LabGraph, findings: readonly Finding[]): PortRow[] {
  const lab = new Lab(graph);
  const byPort = new Map<PortKey, Finding[]>();
  for (const finding of findings) {
    for (const key of finding.ports) byPort.set(key, [...(byPort.get(key) ?? []), finding]);
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const pathsAt = pathsByPort(graph);
  // The first link with a conflict at each port, as a scan of graph.links in order would find it.
  const conflictAt = new Map<PortKey, string>();
  for (const link of graph.links) {
    if (!link.conflict) continue;
    for (const end of [link.a, link.b]) if (!conflictAt.has(end)) conflictAt.set(end, link.conflict);
  }
  const rows: PortRow[] = [];
  for (const port of graph.ports) {
    if (!port.physical) continue;
    const peerKey = lab.peer(port.key);
    const link = lab.peerLink(port.key);
    const peer = peerKey ? lab.port.get(peerKey) : undefined;
    const ownBond = port.obs?.aggregate && port.kind === 'host-nic' ? lab.bond.get(`${port.device}:${port.obs.aggregate}`) : undefined;
    const peerBond = peerKey ? (lab.bond.get(peerKey) ?? (peer?.obs?.aggregate && peer.kind === 'host-nic' ? lab.bond.get(`${peer.device}:${peer.obs.aggregate}`) : undefined)) : undefined;
    const bond = ownBond ?? peerBond;
    const ownLag = lab.lagOfPort.get(port.key);
    const peerLag = peerKey ? (lab.lag.get(peerKey) ?? lab.lagOfPort.get(peerKey)) : undefined;
    const lag = ownLag ?? peerLag;
    const aggregateKeys = [bond?.key, lag?.key].filter((k): k is string => !!k);
    const mine = [...new Set([...(byPort.get(port.key) ?? []), ...aggregateKeys.flatMap((k) => byPort.get(k) ?? [])])];
    const open = mine.filter((f) => !f.accepted);
    const worst = open.sort((a, b) => rank[a.severity] - rank[b.severity])[0];
    const paths = (pathsAt.get(port.key) ?? [])
      .map((p) => (port.kind === 'host-nic' ? `${p.sr} via ${p.portal}` : `${p.host}: ${p.sr} via ${p.portal}`));
    rows.push({
      port: port.key,
      device: port.device,
      name: port.name,
      kind: port.kind,
      role: port.role,
      peer: peerKey,
      peerSource: link?.source ?? null,
      peerAlsoSeenBy: link?.alsoSeenBy ?? [],
      conflict: conflictAt.get(port.key) ?? null,
      bond: bond?.device ?? null,
      bondKey: bond?.key ?? null,
      bondMembers: bond ? bond.members.map((m) => ({ port: m, up: lab.port.get(m)?.obs?.up ?? null })) : [],
      lag: lag?.name ?? null,
      lagKey: lag?.key ?? null,
      lagMembers: lag ? lag.memberStates.map((s) => ({ port: s.port, up: lab.port.get(s.port)?.obs?.up ?? s.up, collecting: s.collecting })) : [],
      vlans: vlansOf(lab, port),
      peerVlans: peer ? vlansOf(lab, peer) : peerKey && lab.lag.get(peerKey) ? { tagged: lab.lag.get(peerKey)!.tagged, untagged: lab.lag.get(peerKey)!.untagged } : null,
      mtu: port.obs?.mtu ?? null,
      peerMtu: peer?.obs?.mtu ?? null,
      speedMbps: port.obs?.speedMbps ?? null,
      peerSpeedMbps: peer?.obs?.speedMbps ?? null,
      duplex: port.obs?.duplex ?? null,
      peerDuplex: peer?.obs?.duplex ?? null,
      up: port.obs?.up ?? null,
      peerUp: peer?.obs?.up ?? null,
      state: stateOf(port),
      observed: port.obs !== null,
      observedAt: port.obs?.at ?? null,
      mac: port.obs?.mac || port.plan?.mac || '',
      inInventory: port.plan !== null,
      paths: [...new Set(paths)],
      findings: mine.map((f) => f.id),
      severity: worst?.severity ?? null,
      mismatches: [...new Set(open.map((f) => RULE_CELLS[f.rule]).filter((c): c is string => c !== undefined))],
      group: ownBond?.key ?? ownLag?.key ?? null,
    });
  }
  // By device, then bond and LAG members together, then by name as people number ports (2 before 10).
  const collator = NUMERIC_ORDER.compare;
  return rows.sort((a, b) => byText(fold(a.device), fold(b.device)) || collator(groupName(a), groupName(b)) || collator(a.name, b.name));
}
