/**
 * What a XenServer / XCP-ng pool looks like as read over XenAPI: an observation, not the intended inventory.
 * The XenAPI driver turns xapi's records into these types (refs dropped, names resolved, quirks absorbed:
 * ints that arrive as strings, bond members that say "not attached" while their bond is up, and so on),
 * so the rules, the store and the screens speak the lab's words: host, NIC, bond, VLAN, network, SR, path.
 */

export const BOND_MODES = ['balance-slb', 'active-backup', 'lacp'] as const;
export type BondMode = (typeof BOND_MODES)[number];

export const IP_MODES = ['None', 'DHCP', 'Static'] as const;
export type IpMode = (typeof IP_MODES)[number];

/** One interface of a host with VLAN -1: a physical NIC or a bond's own interface (bond0). */
export interface HostNic {
  uuid: string;
  /** eth0, bond0. */
  device: string;
  mac: string;
  /** True for a real NIC, false for a bond's interface. */
  physical: boolean;
  /** Link up. Null when the host reports no metrics for it. For a bond: any member up. */
  carrier: boolean | null;
  /** Null when unknown or down (old hosts report 65535 or 0 then). For a bond: the sum of active members. */
  speedMbps: number | null;
  duplex: 'full' | 'half' | null;
  vendor: string;
  model: string;
  pciBusPath: string;
  /** Null when xapi does not know it yet (a bond before its first plug reports -1). */
  mtu: number | null;
  management: boolean;
  ipMode: IpMode;
  ip: string;
  netmask: string;
  gateway: string;
  /** A special use such as storage: xapi refuses to unplug it. */
  disallowUnplug: boolean;
  /** XenAPI's currently_attached; bond members say false while their bond is up, by design. */
  attached: boolean;
  /** The network (by name) this interface is on. */
  network: string;
  /** The bond device (bond0) this NIC is a member of. */
  bond: string | null;
  /** XenCenter's name for a secondary interface, e.g. "Storage". */
  purpose: string;
}

export interface HostBond {
  uuid: string;
  /** The bond's interface, bond0. */
  device: string;
  /** Null on hosts older than XenServer 6.0, which have no modes (they bond as balance-slb). */
  mode: BondMode | null;
  /** Member NIC devices, in device order. */
  members: string[];
  /** The member whose MAC and IP the bond took over. */
  primaryMember: string | null;
  /** How many members have link, as the host counts them; null on hosts before 6.1. */
  linksUp: number | null;
  /** LACP hashing, lacp-time and the like. */
  properties: Record<string, string>;
}

export interface HostVlan {
  uuid: string;
  tag: number;
  /** The device the VLAN rides on (eth2, bond0). */
  on: string;
  network: string;
  management: boolean;
  ipMode: IpMode;
  ip: string;
  netmask: string;
  mtu: number | null;
  attached: boolean;
}

export interface XenHost {
  uuid: string;
  name: string;
  /** Management address. */
  address: string;
  /** False while disabled (maintenance mode, evacuation). */
  enabled: boolean;
  /** Whether the master thinks the host is live; null without metrics. */
  live: boolean | null;
  /** The host's multipathing flag (the field from 7.5, other_config before). */
  multipathing: boolean;
  /** other_config multipathhandle ("dmp"); old storage managers ignore multipathing without it. */
  multipathHandle: string;
  /** e.g. "XenServer 6.2.0", "XCP-ng 8.3.0". */
  product: string;
  /** "openvswitch" or "bridge"; LACP needs openvswitch. */
  networkBackend: string;
  apiVersion: string;
  nics: HostNic[];
  bonds: HostBond[];
  vlans: HostVlan[];
}

export interface XenNetwork {
  uuid: string;
  name: string;
  bridge: string;
  mtu: number | null;
  /** Hosts (by name) that have an interface on it. */
  hosts: string[];
  /** The host-internal management network (169.254.x), left out of audits. */
  internal: boolean;
}

/** Where an iSCSI SR's LUN lives, from the PBD's device_config (secrets left out). */
export interface IscsiTargetRef {
  /** Portal address(es) as configured; SM uses the first, multihomelist lists the rest. */
  portals: string[];
  port: number;
  iqn: string;
  scsiId: string;
  /** device_config LUNid: the LUN number on the target, where the SR was created with one; else null. */
  lunId: number | null;
}

/** One host's attachment of an SR (a PBD), with its multipath state as the storage manager reports it. */
export interface SrAttachment {
  host: string;
  attached: boolean;
  /** other_config multipathed = true: multipath maps exist for it. */
  multipathed: boolean;
  /** From mpath-<SCSIid> = "[active, total]"; null when not reported. */
  activePaths: number | null;
  totalPaths: number | null;
  /** other_config iscsi_sessions; null when not reported. */
  iscsiSessions: number | null;
  target: IscsiTargetRef | null;
}

export interface XenStorage {
  uuid: string;
  name: string;
  /** lvmoiscsi, lvmohba, nfs, lvm, iso, … */
  type: string;
  shared: boolean;
  /** sm_config multipathable = true, or a type that multipaths (iSCSI, HBA, GFS2). */
  multipathCapable: boolean;
  sizeBytes: number | null;
  /** This SR holds the pool's HA heartbeat (statefile). */
  haHeartbeat: boolean;
  attachments: SrAttachment[];
}

/** Alerts worth surfacing: BOND_STATUS_CHANGED, MULTIPATH_PERIODIC_ALERT and friends. */
export interface XenAlert {
  uuid: string;
  name: string;
  priority: number;
  /** The object it is about (host, SR, pool) by class and uuid. */
  about: { cls: string; uuid: string };
  /** ISO 8601 UTC, as xapi stamped the message (its own text where it was no datetime). */
  timestamp: string;
  body: string;
}

export interface PoolObservation {
  /** ISO time of the last change applied. */
  observedAt: string;
  pool: {
    uuid: string;
    /** The pool's name; xapi leaves it empty for a pool of one, then the master's name is used. */
    name: string;
    /** The master host's name. */
    master: string;
    haEnabled: boolean;
    /** The SR holding the HA statefile, by name; null when HA is off or it cannot be found. */
    haHeartbeatSr: string | null;
  };
  hosts: XenHost[];
  networks: XenNetwork[];
  storage: XenStorage[];
  alerts: XenAlert[];
}

/** Alert names the pool page shows; others are kept out (xapi posts many). */
export const WATCHED_ALERTS = [
  'BOND_STATUS_CHANGED',
  'MULTIPATH_PERIODIC_ALERT',
  'IP_CONFIGURED_PIF_CAN_UNPLUG',
  'HA_HOST_FAILED',
  'HA_STATEFILE_LOST',
  'HA_HEARTBEAT_APPROACHING_TIMEOUT',
  'HOST_SYNC_DATA_FAILED',
  'PBD_PLUG_FAILED_ON_SERVER_START',
] as const;
