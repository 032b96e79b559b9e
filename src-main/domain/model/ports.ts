/** Ports: the physical interfaces of a device, declared by the owner or (later) filled in by polling. */

export const PORT_ROLES = ['management', 'storage', 'vm', 'uplink', 'ha', 'replication', 'unused'] as const;
export type PortRole = (typeof PORT_ROLES)[number];

export interface Port {
  id: number;
  deviceId: number;
  name: string;
  role: PortRole;
  /** The bond (host) or LAG (switch) this port should be a member of, by its name there; '' for none. */
  aggregate: string;
  /** Lower-case colon hex, or '' when unknown. */
  mac: string;
  /** The VLAN sent untagged on this port (the PVID), or null. */
  untaggedVlan: number | null;
  /** VLANs carried tagged on this port, ascending. */
  taggedVlans: number[];
  notes: string;
}
