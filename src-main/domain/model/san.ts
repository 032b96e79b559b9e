/**
 * The storage side as the lab sees it: which portals answer, which targets and LUNs they offer, which
 * XenServer SR uses each LUN, and, per host, which paths (host NIC → portal) exist and why one is missing.
 * Built from three observations that no single tool joins: the iSCSI discovery probe of each portal, the
 * XenAPI view of each pool (NIC addresses, PBD path counts), and the intended inventory (targets, portals).
 */
import type { LunUse } from './storage';
import type { NasObservation, ReplicationPlan } from './nas';

/** One discovery probe of one portal, as the collector keeps it (the probe's own result, trimmed). */
export interface PortalProbe {
  /** 'address:port' as probed. */
  portal: string;
  ok: boolean;
  /** refused, unreachable, timeout, auth-failed, … (the probe's failure kind), null when ok. */
  failure: string | null;
  message: string;
  /** Target IQNs the portal listed in its SendTargets answer. */
  iqns: string[];
  probedAt: string;
}

export type PortalState = 'up' | 'down' | 'unknown';

export interface PortalView {
  address: string;
  port: number;
  state: PortalState;
  /** Why it is down, or what it said; '' when it was never probed. */
  message: string;
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

export interface LunView {
  lun: number;
  name: string;
  sizeBytes: number;
  use: LunUse;
  /** Matched by target IQN, and by size when a target has several LUNs; null when no SR uses it. */
  sr: SrOnTarget | null;
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
