/**
 * What a switch, NAS or Linux host looks like as read over SNMP: an observation in the lab's words (port,
 * LAG and its members, VLAN membership tagged or untagged, LLDP neighbour, MAC-table entry, health), not
 * OIDs. The SNMP driver turns MIB tables into these; vendor quirks (bridge port ≠ ifIndex, PortList bit
 * order, LACP state bits, mangled recordings) stay inside it.
 */

export interface SnmpSystem {
  name: string;
  descr: string;
  /** sysObjectID, dotted, no leading dot. */
  objectId: string;
  location: string;
  contact: string;
  /** sysUpTime in hundredths of a second, null when not read. */
  uptimeTicks: number | null;
}

export interface SnmpPort {
  ifIndex: number;
  /** ifName, else ifDescr. */
  name: string;
  descr: string;
  alias: string;
  /** IANAifType number (6 ethernetCsmacd, 161 ieee8023adLag, 53 propVirtual, 24 softwareLoopback). */
  type: number;
  adminUp: boolean;
  operUp: boolean;
  /** ifHighSpeed, else ifSpeed / 1e6; null when the agent reports 0 or nothing. */
  speedMbps: number | null;
  mtu: number | null;
  /** Lower-case colon hex, '' when none. */
  mac: string;
  /** From EtherLike-MIB dot3StatsDuplexStatus; null when unknown. */
  duplex: 'full' | 'half' | null;
  /** dot1qPvid, null when the switch has no Q-BRIDGE or the port is not a bridge port. */
  pvid: number | null;
  taggedVlans: number[];
  untaggedVlans: number[];
  /** The LAG (by its ifIndex) this port is a member of, from ifStackTable or IEEE8023-LAG-MIB. */
  lagIfIndex: number | null;
  /** 64-bit counters where the agent has them (ifXTable), else 32-bit; null when absent. Octets and errors. */
  inOctets: bigint | null;
  outOctets: bigint | null;
  /** 64 when the octet counters came from ifXTable's ifHC*, 32 from ifTable; null without counters. Rates need it to tell a wrap from a reset. */
  counterBits: 32 | 64 | null;
  inErrors: number | null;
  outErrors: number | null;
}

/** LACP actor/partner state bits (IEEE 802.1AX; LAG-MIB's LacpState BITS, most significant bit first). */
export interface LacpState {
  activity: boolean;
  timeout: boolean;
  aggregation: boolean;
  synchronization: boolean;
  collecting: boolean;
  distributing: boolean;
  defaulted: boolean;
  expired: boolean;
}

export interface LagMember {
  ifIndex: number;
  /** From IEEE8023-LAG-MIB when the agent has it; null from ifStackTable alone. */
  actor: LacpState | null;
  partner: LacpState | null;
  /** dot3adAggPortPartnerOperSystemID as colon hex, '' when unknown. */
  partnerSystem: string;
  /** Attached to the aggregator (dot3adAggPortAttachedAggID equals the LAG). */
  attached: boolean | null;
}

export interface SnmpLag {
  ifIndex: number;
  name: string;
  memberIfIndexes: number[];
  members: LagMember[];
  /** Where the membership came from. */
  source: 'ifStack' | 'lag-mib' | 'both';
}

export interface SnmpVlan {
  id: number;
  name: string;
}

export interface SnmpNeighbor {
  localIfIndex: number;
  remoteSystemName: string;
  /** lldpRemSysDesc: what the neighbour is ("Polycom;SoundPointIP", a NIC firmware) when it sends no name. */
  remoteSystemDescr: string;
  remotePortId: string;
  remotePortDescr: string;
  remoteChassisId: string;
  /** 'lldp' or 'lldp-v2'. */
  source: string;
}

export interface FdbEntry {
  mac: string;
  /** null from the dot1d table, which has no VLAN. */
  vlan: number | null;
  ifIndex: number;
}

/**
 * One iSCSI LUN of a Synology as SYNOLOGY-ISCSILUN-MIB reports it: which LUN, and how busy it is at the
 * moment of the poll. The MIB gives its figures no unit. Throughput is read as bytes per second: the MIB
 * sets it beside IOPS and queue depth, figures of the moment, and does not call it a count "since boot" as
 * SYNOLOGY-STORAGEIO-MIB does its byte counters. No public recording has this table, so that reading is
 * not checked against a real agent.
 */
export interface NasLunIo {
  name: string;
  /** iSCSILUNUUID as the agent gives it; '' when absent. */
  uuid: string;
  /** iSCSILUNType, DSM's word for the LUN's kind (e.g. "BLUN", "FILE"); '' when absent. */
  type: string;
  /** High·2³² + Low of the two Integer32 halves; null when a half is missing or the sum passes 2⁵³. */
  readThroughput: number | null;
  writeThroughput: number | null;
  readIops: number | null;
  writeIops: number | null;
  /** iSCSI commands waiting in the LUN's queue. */
  queueDepth: number | null;
}

/** Synology health (SYNOLOGY-SYSTEM/DISK/RAID/ISCSILUN-MIB), present only for a NAS that answers them. */
export interface NasHealth {
  /** 'normal' | 'failed' | 'unknown'. */
  system: string;
  temperatureC: number | null;
  power: string;
  fans: string;
  model: string;
  serial: string;
  version: string;
  disks: { id: string; model: string; status: string; health: string; temperatureC: number | null }[];
  raids: { name: string; status: string; freeBytes: bigint | null; totalBytes: bigint | null }[];
  /** The iSCSI LUN table, in index order; empty when the agent has none (no LUN, or a DSM without the MIB). */
  luns: NasLunIo[];
}

export interface SwitchObservation {
  observedAt: string;
  system: SnmpSystem;
  ports: SnmpPort[];
  lags: SnmpLag[];
  vlans: SnmpVlan[];
  neighbors: SnmpNeighbor[];
  fdb: FdbEntry[];
  /** ENTITY-MIB chassis model and serial, '' when absent. */
  model: string;
  serial: string;
  /** IP-MIB addresses with their ifIndex. */
  addresses: { address: string; ifIndex: number; prefixLength: number | null }[];
  nas: NasHealth | null;
  /** Linux bonds seen as ifTable rows named bond*, with the members /proc/net/bonding lists when extended. */
  hostBonds: { name: string; ifIndex: number; members: string[]; mode: string }[];
  /** What could not be read and why (a table the agent lacks is not a problem; a timeout is). */
  gaps: string[];
}

/** A port as the device page shows it: no raw counters, but rates and what else is known of it. */
export interface PortView extends Omit<SnmpPort, 'inOctets' | 'outOctets' | 'counterBits'> {
  /** Bits per second over the last poll interval; null on the first poll, after a reset, or without counters. */
  inBps: number | null;
  outBps: number | null;
  /** MAC addresses the forwarding table has learned on this port. */
  macCount: number;
  neighbor: SnmpNeighbor | null;
  /** The LAG this port belongs to, by name, and its LACP state when the agent reports it. */
  lagName: string | null;
  lacp: LagMember | null;
  /** Recent traffic for the sparkline, oldest first. */
  samples: { at: string; inBps: number | null; outBps: number | null }[];
}

/** NAS health with byte counts as numbers (safe far beyond any NAS: 2^53 bytes is 9 PB). */
export interface NasHealthView extends Omit<NasHealth, 'raids' | 'luns'> {
  raids: { name: string; status: string; freeBytes: number | null; totalBytes: number | null }[];
  /** Absent in views stored before the LUN table was read. */
  luns?: NasLunIo[];
}

/** What the device page and the store keep of an SNMP observation: JSON-safe, judged. */
export interface SwitchView {
  observedAt: string;
  system: SnmpSystem;
  model: string;
  serial: string;
  ports: PortView[];
  lags: SnmpLag[];
  vlans: SnmpVlan[];
  neighbors: SnmpNeighbor[];
  fdbCount: number;
  addresses: SwitchObservation['addresses'];
  nas: NasHealthView | null;
  hostBonds: SwitchObservation['hostBonds'];
  gaps: string[];
}
