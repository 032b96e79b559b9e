/** The VLAN plan: which 802.1Q tags the lab uses, and for what. */

export const VLAN_PURPOSES = ['management', 'storage', 'vm', 'ha', 'replication', 'migration', 'other'] as const;
export type VlanPurpose = (typeof VLAN_PURPOSES)[number];

export interface Vlan {
  /** The 802.1Q tag, 1–4094; it is the VLAN's identity. */
  id: number;
  name: string;
  purpose: VlanPurpose;
  notes: string;
}

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;
