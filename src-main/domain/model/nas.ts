/**
 * What a Synology NAS looks like as read over its DSM Web API: an observation, not the intended inventory.
 * The synology driver turns DSM's answers into these types (numbers that arrive as strings, epoch seconds,
 * role and type codes absorbed), so the rules and the screens speak the lab's words: LUN, target, session,
 * replication plan, last good replica. CHAP user names and secrets from the target list are never copied.
 */

/** One iSCSI LUN the NAS offers. */
export interface NasLun {
  name: string;
  uuid: string;
  /** The LUN's provisioned size. */
  sizeBytes: number;
  /** Space really used on the volume (thin LUNs use less than their size); null when DSM did not say. */
  allocatedBytes: number | null;
  /** DSM's own word, e.g. "normal"; "unknown" when it gave none. */
  status: string;
  /** Mapped to at least one target (DSM's is_mapped, or a target's mapped LUN list). */
  mapped: boolean;
  /** The volume it lives on, e.g. "/volume1". */
  location: string;
  /** DSM's LUN type, e.g. "BLUN" (block-level thin), "FILE", "THIN". */
  type: string;
}

/** One initiator logged in to a target right now, as the NAS sees it (a XenServer host, usually). */
export interface NasSession {
  iqn: string;
  ip: string;
}

/** One iSCSI target of the NAS. */
export interface NasTarget {
  iqn: string;
  name: string;
  /** DSM's word, e.g. "online", "offline"; "unknown" when it gave none. */
  status: string;
  enabled: boolean;
  /**
   * How many initiators may log in at once. A XenServer pool needs more than one (every host logs in);
   * 1 lets only one host connect. Null when DSM did not say.
   */
  maxSessions: number | null;
  mappedLunUuids: string[];
  connectedSessions: NasSession[];
  /** Where the target listens (default port 3260). */
  portals: { address: string; port: number }[];
  /** 'none', 'chap', 'mutual-chap', or DSM's code as text when it is another. Never the CHAP secrets. */
  authType: string;
}

/** One Snapshot Replication plan, from this NAS's side of it. */
export interface ReplicationPlan {
  id: string;
  /** 'main': this NAS sends the data; 'dr': this NAS holds the replica. */
  role: 'main' | 'dr' | 'unknown';
  /** DSM's plan status code (1 in healthy plans; the other values are not documented). */
  status: number | null;
  /** The shared folder or LUN being replicated. */
  targetName: string;
  targetType: 'share' | 'lun' | 'unknown';
  /** When the newest successful sync finished (ISO), i.e. the age of the newest good replica; null when none. */
  lastSuccessAt: string | null;
  failCount: number;
  successCount: number;
  /** A sync is running now. */
  syncing: boolean;
  /** When the schedule runs next (ISO); null when unscheduled. */
  nextSyncAt: string | null;
  /** The error code of the last operation when it failed; null when it succeeded. */
  lastError: number | null;
  /** The schedule is switched on. */
  enabled: boolean;
  /** The NAS at the other end (the main site when this is the DR site, and the other way round). */
  remoteHost: string;
}

/** One read of a NAS over the DSM Web API. */
export interface NasObservation {
  observedAt: string;
  /** e.g. "RS2212RP+"; '' when DSM did not say. */
  model: string;
  /** e.g. "DSM 7.1.1-42962 Update 6"; '' when DSM did not say. */
  dsmVersion: string;
  hostname: string;
  luns: NasLun[];
  targets: NasTarget[];
  replication: ReplicationPlan[];
  /** False when the Snapshot Replication package is not installed (DSM does not list SYNO.DR.Plan). */
  replicationAvailable: boolean;
}
