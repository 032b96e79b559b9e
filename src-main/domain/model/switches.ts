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
  /** The LAG (by its ifIndex) this port is a member of, from ifStackTable, IEEE8023-LAG-MIB or a vendor trunk table. */
  lagIfIndex: number | null;
  /**
   * The stack member (the entPhysicalIndex of its chassis, as in SwitchObservation.stackMembers) this port sits
   * on, from ENTITY-MIB entAliasMappingIdentifier and entPhysicalContainedIn; null when the agent does not say.
   */
  stackMember: number | null;
  /**
   * The port ID this switch sends in its own LLDP frames on this port (lldpLocPortId, LLDP-V2 lldpV2LocPortId),
   * decoded like a neighbour's remotePortId (MACs colon hex, names as text): what another device's
   * SnmpNeighbor.remotePortId names when it hears this port. Absent when the agent has no LLDP row for the port.
   * Not unique on every switch (D-Link sends the chassis MAC for every port).
   */
  lldpPortId?: string;
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
  /** dot3adAggPortActorOperKey: this port's LACP key; members of one working LAG share it. Null without LAG-MIB. */
  actorKey: number | null;
  /** dot3adAggPortPartnerOperKey: the partner's key for this link; null without LAG-MIB. */
  partnerKey: number | null;
  /** dot3adAggPortPartnerOperPort: the partner's port number for this link (its LACP port, often its ifIndex); null without LAG-MIB. */
  partnerPort: number | null;
  /** Attached to the aggregator (dot3adAggPortAttachedAggID equals the LAG). */
  attached: boolean | null;
}

/** A table that lists LAG members: IF-MIB ifStackTable, IEEE8023-LAG-MIB, or a vendor's own. */
export type LagTable = 'ifStack' | 'lag-mib' | 'vendor:cisco-pagp' | 'vendor:hp-trunk';

export interface SnmpLag {
  ifIndex: number;
  name: string;
  memberIfIndexes: number[];
  members: LagMember[];
  /**
   * Where the membership came from: 'ifStack', 'lag-mib' or 'both' when the standard tables list it (a vendor
   * table may add members), else the vendor table ('vendor:cisco-pagp' CISCO-PAGP-MIB pagpGroupIfIndex,
   * 'vendor:hp-trunk' HP CONFIG-MIB hpSwitchPortTrunkGroup).
   */
  source: 'ifStack' | 'lag-mib' | 'both' | 'vendor:cisco-pagp' | 'vendor:hp-trunk';
  /** Every table that lists at least one member, in the order of LagTable. */
  sources: LagTable[];
  /**
   * How the LAG is negotiated, where the agent says: 'lacp' when a LAG-MIB member has an LACP actor state (or HP
   * says lacpTrk), 'static' for HP trunk/saTrunk/dtTrunk and PAgP manual ('on'), 'pagp' for PAgP pagpOn (and HP
   * fecAuto, Cisco's Fast EtherChannel negotiation); null when no table says.
   */
  protocol: 'lacp' | 'static' | 'pagp' | null;
  /** dot3adAggActorSystemID of the aggregator (this switch's LACP system), colon hex; '' unknown or zero. */
  actorSystem: string;
  /** dot3adAggPartnerSystemID: the LACP system at the other end (a host bond's MAC), colon hex; '' unknown or zero. */
  partnerSystem: string;
}

export interface SnmpVlan {
  id: number;
  name: string;
}

export interface SnmpNeighbor {
  localIfIndex: number;
  /** lldpRemSysName; CDP/FDP: the Device-ID (a host name, sometimes with its domain, or a serial number). */
  remoteSystemName: string;
  /** lldpRemSysDesc: what the neighbour is ("Polycom;SoundPointIP", a NIC firmware) when it sends no name; CDP/FDP: its version text. */
  remoteSystemDescr: string;
  /** lldpRemPortId decoded by its subtype; CDP/FDP: the Port-ID (the neighbour's ifName, e.g. "GigabitEthernet0/1"). */
  remotePortId: string;
  remotePortDescr: string;
  /** lldpRemChassisId decoded by its subtype; '' for CDP/FDP, which have none. */
  remoteChassisId: string;
  /**
   * The neighbour's management address: LLDP lldpRemManAddrTable (the first IPv4 address that is not 0.0.0.0,
   * else the first IPv6), CDP cdpCacheAddress, FDP snFdpCacheAddress; '' when none is an IP address.
   */
  remoteManagementAddress: string;
  /**
   * Capabilities the neighbour has enabled (LLDP lldpRemSysCapEnabled; CDP/FDP capabilities), in LLDP's words:
   * 'other', 'repeater', 'bridge', 'wlan-access-point', 'router', 'telephone', 'docsis-cable-device', 'station',
   * 'c-vlan', 's-vlan', 'tpmr'; empty when not sent.
   */
  remoteCapabilities: string[];
  /** CDP/FDP platform ("cisco WS-C2960X-48TS-L", "ICX7150-24"); '' for LLDP, which has none. */
  remotePlatform: string;
  /** 'lldp', 'lldp-v2', 'cdp' (CISCO-CDP-MIB, or a CDP neighbour in Foundry's FDP cache) or 'fdp'. */
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

/** One chassis of what the agent reports (ENTITY-MIB entPhysicalClass chassis(3)): a stack member, or the only one. */
export interface StackMember {
  /** entPhysicalIndex of the chassis row: what SnmpPort.stackMember names. */
  index: number;
  /** entPhysicalName, trimmed ('' when absent). */
  name: string;
  model: string;
  serial: string;
  /** entPhysicalParentRelPos: the member number within the stack where the agent gives one (≥ 0), else null. */
  position: number | null;
}

export interface SwitchObservation {
  observedAt: string;
  system: SnmpSystem;
  /** BRIDGE-MIB dot1dBaseBridgeAddress, colon hex; '' when absent or zero. Neighbours may name this switch by it. */
  bridgeAddress: string;
  /**
   * This switch's LLDP chassis ID (lldpLocChassisId by lldpLocChassisIdSubtype, else LLDP-V2's), decoded like a
   * neighbour's remoteChassisId: what another device's SnmpNeighbor.remoteChassisId says when it hears this one.
   */
  localChassisId: string;
  /**
   * Every chassis ENTITY-MIB reports (class 3), by entPhysicalIndex: several for a stack behind one agent, one for
   * a single switch, none when the agent has no ENTITY-MIB classes.
   */
  stackMembers: StackMember[];
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
  /** Entries in the forwarding table as read (fdb may hold fewer). */
  fdbCount: number;
  /** The forwarding table, at most SWITCH_VIEW_FDB_LIMIT entries (gaps say when it was cut). */
  fdb: FdbEntry[];
  bridgeAddress: string;
  localChassisId: string;
  stackMembers: StackMember[];
  addresses: SwitchObservation['addresses'];
  nas: NasHealthView | null;
  hostBonds: SwitchObservation['hostBonds'];
  gaps: string[];
}
