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
}

export const ISCSI_DEFAULT_PORT = 3260;
export const LUN_MAX = 16383;
