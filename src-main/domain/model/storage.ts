/** Storage targets: what a SAN or NAS offers over iSCSI, where, and what each LUN is for. */

export const LUN_USES = ['vm-storage', 'ha-heartbeat', 'backup', 'replication', 'other'] as const;
export type LunUse = (typeof LUN_USES)[number];

export interface Portal {
  address: string;
  port: number;
}

export interface Lun {
  lun: number;
  name: string;
  sizeBytes: number;
  use: LunUse;
  /**
   * The LUN's SCSI id as XenServer names it (PBD device_config `SCSIid`, e.g. 36001405194731d05d28b3bfb8b985cb);
   * '' when not recorded. With it the storage page knows which SR sits on this LUN instead of guessing by size.
   */
  scsiId: string;
}

/**
 * Discovery CHAP: the names the monitor's discovery probe uses when the SAN requires CHAP on its
 * discovery sessions. The secrets are credentials (TARGET_CREDENTIAL_PURPOSES), never part of this.
 */
export interface DiscoveryChap {
  /** The initiator's CHAP name (CHAP_N) the SAN knows the monitor by. */
  user: string;
  /** Mutual CHAP: the name the target answers with; '' for one-way CHAP. */
  targetUser: string;
}

export interface StorageTarget {
  id: number;
  /** The iscsi-san or nas that serves this target. */
  deviceId: number;
  iqn: string;
  alias: string;
  portals: Portal[];
  luns: Lun[];
  notes: string;
  /** Discovery CHAP for probing this target's portals; null when discovery needs no authentication. */
  chap: DiscoveryChap | null;
}

export const ISCSI_DEFAULT_PORT = 3260;
export const LUN_MAX = 16383;

/**
 * A target's secrets, kept like a device's credentials (sealed, write-only, never exported): the CHAP
 * secret the monitor proves itself with, and for mutual CHAP the secret the target must prove it knows.
 */
export const TARGET_CREDENTIAL_PURPOSES = ['chap-secret', 'chap-target-secret'] as const;
export type TargetCredentialPurpose = (typeof TARGET_CREDENTIAL_PURPOSES)[number];

export const TARGET_CREDENTIAL_LABELS: Record<TargetCredentialPurpose, string> = {
  'chap-secret': 'CHAP secret',
  'chap-target-secret': 'mutual CHAP target secret',
};

/** Which CHAP setting a secret needs: dropping it from a target drops the secret. */
export function targetCredentialWanted(purpose: TargetCredentialPurpose, chap: DiscoveryChap | null): boolean {
  if (chap === null) return false;
  return purpose === 'chap-secret' || chap.targetUser !== '';
}
