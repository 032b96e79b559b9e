/**
 * The storage side as the lab sees it: which portals answer, which targets and LUNs they offer, which
 * XenServer SR uses each LUN, and, per host, which paths (host NIC → portal) exist and why one is missing.
 * Built from three observations that no single tool joins: the iSCSI discovery probe of each portal, the
 * XenAPI view of each pool (NIC addresses, PBD path counts), and the intended inventory (targets, portals).
 */
import type { LunUse } from './storage';
import type { NasObservation, ReplicationPlan } from './nas';

/** The initiator name the discovery probe logs in with; a SAN with a discovery ACL must allow it. */
export const MONITOR_INITIATOR_NAME = 'iqn.2026-11.org.labwarden:monitor';

/** How the monitor authenticates its discovery session: as the target's discovery CHAP settings say. */
export type DiscoveryAuth = 'none' | 'chap' | 'mutual-chap';

/**
 * One discovery probe of one portal, as the collector keeps it (the probe's own result, trimmed). A portal
 * is probed once without CHAP for every target that needs none, and once per target that has discovery CHAP
 * (its own credentials); `targetId` tells the second kind apart. Fields marked optional are absent from
 * observations stored before they existed.
 */
export interface PortalProbe {
  /** 'address:port' as probed. */
  portal: string;
  /** The target whose discovery CHAP this probe used; null (or absent) for the probe without CHAP. */
  targetId?: number | null;
  ok: boolean;
  /** refused, unreachable, timeout, auth-failed, … (the probe's failure kind), null when ok. */
  failure: string | null;
  message: string;
  /** The portal accepted the TCP connection (a failure after that is iSCSI's, not the network's). */
  connected?: boolean;
  /** What the probe offered. */
  auth?: DiscoveryAuth;
  /** The login status of a refused login, e.g. '0x0201'; null otherwise. */
  loginStatus?: string | null;
  /** Why the probe could not use the target's CHAP settings as they are (no secret stored, …); null when it could. */
  credentialProblem?: string | null;
  /** Target IQNs the portal listed in its SendTargets answer. */
  iqns: string[];
  probedAt: string;
}

/** The key of a probe in the collector's map: the portal, and the target when it used that target's CHAP. */
export const probeKey = (portal: string, chapTargetId: number | null | undefined) =>
  chapTargetId === null || chapTargetId === undefined ? portal : `${portal} chap:${chapTargetId}`;

/**
 * up: discovery answered. discovery-failed: the portal accepts TCP but discovery fails (CHAP refused, login
 * rejected, protocol error, no iSCSI answer): credentials or the target's software, not the network.
 * down: nothing answers on TCP (refused, unreachable, no answer): cabling, addressing, the portal switched off.
 */
export type PortalState = 'up' | 'discovery-failed' | 'down' | 'unknown';

export interface PortalView {
  address: string;
  port: number;
  state: PortalState;
  /** The probe's failure kind (auth-failed, refused, …); null when up or never probed. */
  failure: string | null;
  /** A few words for what went wrong: "CHAP refused", "CHAP required", "nothing listens"; '' when up. */
  problem: string;
  /** What the probe said: the targets it found, or the whole error naming the portal; '' when never probed. */
  message: string;
  /** Where to look, in the lab's words ("check this target's CHAP user and secret"); '' when nothing to do. */
  hint: string;
  /** How the monitor authenticates discovery on this target's portals. */
  auth: DiscoveryAuth;
  /** Whether this portal's discovery answer listed the target. */
  listsTarget: boolean | null;
  probedAt: string | null;
}

/** The XenServer SR that sits on a target (and, where it can be told, on which LUN). */
export interface SrOnTarget {
  poolDeviceId: number;
  pool: string;
  uuid: string;
  name: string;
  type: string;
  sizeBytes: number | null;
  haHeartbeat: boolean;
}

/**
 * What tied an SR to a LUN, strongest first: the PBD's device_config LUNid, the SR's SCSIid equal to the one
 * the inventory records for the LUN, the only LUN of the target, the HA heartbeat flag, the nearest size.
 */
export const LUN_MATCHES = ['lun-id', 'scsi-id', 'only-lun', 'ha-heartbeat', 'size'] as const;
export type LunMatch = (typeof LUN_MATCHES)[number];

export interface LunView {
  lun: number;
  name: string;
  sizeBytes: number;
  use: LunUse;
  /** The SR on this LUN (its PBDs name this target's IQN); null when no SR uses it. */
  sr: SrOnTarget | null;
  /** The evidence that tied `sr` to this LUN; null when there is no SR. */
  matchedBy: LunMatch | null;
}

export type PathState = 'up' | 'down' | 'degraded' | 'no-nic' | 'inactive' | 'unknown';

/** One expected path: a host NIC to a portal on its subnet. */
export interface PathCell {
  portal: string;
  /** The host NIC on the portal's subnet, e.g. "eth3 10.10.20.11"; '' when there is none. */
  nic: string;
  state: PathState;
  /** Why, in the lab's words, where it can be known. */
  reason: string;
}

export interface HostPaths {
  host: string;
  /** Paths the NICs and portals allow: NICs on a portal's subnet × those portals. */
  expected: number;
  /** From the SR's PBD on this host (mpath-<SCSIid>), null when not reported. */
  active: number | null;
  total: number | null;
  iscsiSessions: number | null;
  attached: boolean;
  multipathing: boolean;
  cells: PathCell[];
  /** The host-level reasons, e.g. "2 paths expected, 1 iSCSI session". */
  notes: string[];
}

export interface TargetView {
  targetId: number;
  iqn: string;
  alias: string;
  portals: PortalView[];
  luns: LunView[];
  /** One row per host of the pool(s) whose SR sits on this target. */
  paths: HostPaths[];
  /** Discovery from some portal did not list this target (ACL, wrong IQN, or it is gone). */
  notListed: string[];
}

export interface SanView {
  deviceId: number;
  name: string;
  kind: 'iscsi-san' | 'nas';
  address: string;
  targets: TargetView[];
  /** Portals probed that no target in the inventory names (the SAN offers more than planned). */
  extraIqns: string[];
  probedAt: string | null;
}

/** The disaster-recovery side: a NAS's replication against the recovery point the user set. */
export interface ReplicationView {
  deviceId: number;
  name: string;
  /** Hours the newest good replica may be old before it is red; the user sets it, 24 by default. */
  recoveryPointHours: number;
  observation: NasObservation | null;
  plans: (ReplicationPlan & { ageHours: number | null; late: boolean })[];
  /** A plain sentence: "newest replica 30 h old, target 24 h", "no replication plan", … */
  summary: string;
  late: boolean;
}

export const DEFAULT_RECOVERY_POINT_HOURS = 24;
