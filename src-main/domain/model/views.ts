/**
 * What the inventory screens read: the records plus what is derived from their neighbours
 * (counts, names of the other end). Computed in the store, typed here so every layer shares them.
 */
import type { Device } from './devices';
import type { CredentialPurpose } from './credentials';
import type { Port } from './ports';
import type { Link } from './links';
import type { Vlan } from './vlans';
import type { StorageTarget, TargetCredentialPurpose } from './storage';

export interface DeviceSummary extends Device {
  /** Which credentials are stored: the values never leave the main process. */
  credentials: CredentialPurpose[];
  memberOfName: string | null;
  portCount: number;
  linkCount: number;
}

export interface PortEnd {
  deviceId: number;
  deviceName: string;
  portId: number;
  portName: string;
}

export interface PortDetail extends Port {
  /** The cable on this port and the port at its other end, if cabled. */
  link: { id: number; peer: PortEnd; source: Link['source'] } | null;
}

export interface DeviceDetail extends DeviceSummary {
  ports: PortDetail[];
  /** Hosts of a pool; empty for other kinds. */
  members: { id: number; name: string }[];
  targets: { id: number; iqn: string; alias: string }[];
}

export interface LinkDetail extends Link {
  a: PortEnd;
  b: PortEnd;
}

export interface VlanSummary extends Vlan {
  untaggedPorts: number;
  taggedPorts: number;
}

export interface TargetDetail extends StorageTarget {
  deviceName: string;
  /** Which of its secrets (discovery CHAP) are stored: the values never leave the main process. */
  credentials: TargetCredentialPurpose[];
}

/** What else goes when a record is deleted, for the confirm dialog. */
export interface DeleteImpact {
  /** One sentence, e.g. "Deleting xen1 also deletes 4 ports, 4 cables and 2 stored credentials." */
  summary: string;
  /** Each thing that goes along: `what` is the singular noun, `text` the counted phrase ("4 ports"). */
  consequences: { what: string; count: number; text: string }[];
}
