/**
 * The OIDs the SNMP driver reads, by MIB object name (numeric, no leading dot), and WALK_ROOTS: the subtrees
 * one full poll walks. Column numbers follow the MIB texts (IF-MIB, BRIDGE-MIB, Q-BRIDGE-MIB,
 * IEEE8023-LAG-MIB, LLDP-MIB, LLDP-V2-MIB, ENTITY-MIB, IP-MIB, EtherLike-MIB, SYNOLOGY-*-MIB,
 * NET-SNMP-EXTEND-MIB); the team's SNMP research (reference/snmp.md §1) lists them with sources.
 *
 * Per-port tables are walked column by column (only the columns we decode, and several walks can be in
 * flight); small per-neighbour or per-aggregator tables and the Synology groups are walked whole.
 */

// SNMPv2-MIB system group: scalars .1–.7, instance .0.
export const SYSTEM = '1.3.6.1.2.1.1';
export const sysDescr = '1.3.6.1.2.1.1.1';
export const sysObjectID = '1.3.6.1.2.1.1.2';
export const sysUpTime = '1.3.6.1.2.1.1.3';
export const sysContact = '1.3.6.1.2.1.1.4';
export const sysName = '1.3.6.1.2.1.1.5';
export const sysLocation = '1.3.6.1.2.1.1.6';

// IF-MIB ifTable, index ifIndex.
export const ifDescr = '1.3.6.1.2.1.2.2.1.2';
export const ifType = '1.3.6.1.2.1.2.2.1.3';
export const ifMtu = '1.3.6.1.2.1.2.2.1.4';
export const ifSpeed = '1.3.6.1.2.1.2.2.1.5';
export const ifPhysAddress = '1.3.6.1.2.1.2.2.1.6';
export const ifAdminStatus = '1.3.6.1.2.1.2.2.1.7';
export const ifOperStatus = '1.3.6.1.2.1.2.2.1.8';
export const ifInOctets = '1.3.6.1.2.1.2.2.1.10';
export const ifInErrors = '1.3.6.1.2.1.2.2.1.14';
export const ifOutOctets = '1.3.6.1.2.1.2.2.1.16';
export const ifOutErrors = '1.3.6.1.2.1.2.2.1.20';

// IF-MIB ifXTable, index ifIndex.
export const ifName = '1.3.6.1.2.1.31.1.1.1.1';
export const ifHCInOctets = '1.3.6.1.2.1.31.1.1.1.6';
export const ifHCOutOctets = '1.3.6.1.2.1.31.1.1.1.10';
export const ifHighSpeed = '1.3.6.1.2.1.31.1.1.1.15';
export const ifAlias = '1.3.6.1.2.1.31.1.1.1.18';

/** IF-MIB ifStackStatus, index {higher ifIndex, lower ifIndex}; RowStatus, 1 = active. */
export const ifStackStatus = '1.3.6.1.2.1.31.1.2.1.3';

/** EtherLike-MIB dot3StatsDuplexStatus, index dot3StatsIndex (an ifIndex): 1 unknown, 2 half, 3 full. */
export const dot3StatsDuplexStatus = '1.3.6.1.2.1.10.7.2.1.19';

/** BRIDGE-MIB dot1dBasePortIfIndex, index dot1dBasePort, value ifIndex. */
export const dot1dBasePortIfIndex = '1.3.6.1.2.1.17.1.4.1.2';
/** BRIDGE-MIB dot1dBaseBridgeAddress (scalar, .0): MacAddress, the bridge's own address. */
export const dot1dBaseBridgeAddress = '1.3.6.1.2.1.17.1.1';

// Q-BRIDGE-MIB (RFC 4363).
/** dot1qVlanFdbId, index {timeMark, vlan}: the filtering database a VLAN learns into. */
export const dot1qVlanFdbId = '1.3.6.1.2.1.17.7.1.4.2.1.3';
export const dot1qVlanCurrentEgressPorts = '1.3.6.1.2.1.17.7.1.4.2.1.4';
export const dot1qVlanCurrentUntaggedPorts = '1.3.6.1.2.1.17.7.1.4.2.1.5';
export const dot1qVlanStaticName = '1.3.6.1.2.1.17.7.1.4.3.1.1';
export const dot1qVlanStaticEgressPorts = '1.3.6.1.2.1.17.7.1.4.3.1.2';
export const dot1qVlanStaticUntaggedPorts = '1.3.6.1.2.1.17.7.1.4.3.1.4';
/** dot1qPvid, index dot1dBasePort. */
export const dot1qPvid = '1.3.6.1.2.1.17.7.1.4.5.1.1';
/** dot1qTpFdbPort, index {fdbId, mac(6)}, value dot1dBasePort; dot1qTpFdbStatus beside it. */
export const dot1qTpFdbPort = '1.3.6.1.2.1.17.7.1.2.2.1.2';
export const dot1qTpFdbStatus = '1.3.6.1.2.1.17.7.1.2.2.1.3';
/** BRIDGE-MIB dot1dTpFdbPort, index mac(6), value dot1dBasePort; dot1dTpFdbStatus beside it. */
export const dot1dTpFdbPort = '1.3.6.1.2.1.17.4.3.1.2';
export const dot1dTpFdbStatus = '1.3.6.1.2.1.17.4.3.1.3';

// IEEE8023-LAG-MIB (1.2.840.10006.300.43).
/** dot3adAggTable, index dot3adAggIndex (the aggregator's ifIndex); walked whole (one row per aggregator). */
export const dot3adAggTable = '1.2.840.10006.300.43.1.1.1.1';
/** dot3adAggTable columns (of the walked table): 4 ActorSystemID, 7 ActorOperKey, 8 PartnerSystemID. */
export const dot3adAggActorSystemID = '1.2.840.10006.300.43.1.1.1.1.4';
export const dot3adAggActorOperKey = '1.2.840.10006.300.43.1.1.1.1.7';
export const dot3adAggPartnerSystemID = '1.2.840.10006.300.43.1.1.1.1.8';
// dot3adAggPortTable, index dot3adAggPortIndex (the physical port's ifIndex). Columns checked against
// IEEE8023-LAG-MIB (2000-06-27) as compiled by nocproject/noc cmibs/ieee8023_lag_mib.py.
export const dot3adAggPortActorOperKey = '1.2.840.10006.300.43.1.2.1.1.5';
export const dot3adAggPortPartnerOperSystemID = '1.2.840.10006.300.43.1.2.1.1.9';
export const dot3adAggPortPartnerOperKey = '1.2.840.10006.300.43.1.2.1.1.11';
export const dot3adAggPortSelectedAggID = '1.2.840.10006.300.43.1.2.1.1.12';
export const dot3adAggPortAttachedAggID = '1.2.840.10006.300.43.1.2.1.1.13';
export const dot3adAggPortPartnerOperPort = '1.2.840.10006.300.43.1.2.1.1.17';
export const dot3adAggPortActorOperState = '1.2.840.10006.300.43.1.2.1.1.21';
export const dot3adAggPortPartnerOperState = '1.2.840.10006.300.43.1.2.1.1.23';

// LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2).
/**
 * lldpLocalSystemData, walked whole (scalars and two small tables): .1 lldpLocChassisIdSubtype, .2
 * lldpLocChassisId (scalars, .0), .7 lldpLocPortTable, .8 lldpLocManAddrTable (not decoded).
 */
export const lldpLocalSystemData = '1.0.8802.1.1.2.1.3';
export const lldpLocChassisIdSubtype = '1.0.8802.1.1.2.1.3.1';
export const lldpLocChassisId = '1.0.8802.1.1.2.1.3.2';
/** lldpLocPortTable, index lldpLocPortNum: 2 PortIdSubtype, 3 PortId, 4 PortDesc. */
export const lldpLocPortTable = '1.0.8802.1.1.2.1.3.7.1';
export const lldpLocPortIdSubtype = '1.0.8802.1.1.2.1.3.7.1.2';
export const lldpLocPortId = '1.0.8802.1.1.2.1.3.7.1.3';
export const lldpLocPortDesc = '1.0.8802.1.1.2.1.3.7.1.4';
/** lldpRemTable, index {timeMark, localPortNum, remIndex}. */
export const lldpRemTable = '1.0.8802.1.1.2.1.4.1.1';
export const lldpRemChassisIdSubtype = '1.0.8802.1.1.2.1.4.1.1.4';
export const lldpRemChassisId = '1.0.8802.1.1.2.1.4.1.1.5';
export const lldpRemPortIdSubtype = '1.0.8802.1.1.2.1.4.1.1.6';
export const lldpRemPortId = '1.0.8802.1.1.2.1.4.1.1.7';
export const lldpRemPortDesc = '1.0.8802.1.1.2.1.4.1.1.8';
export const lldpRemSysName = '1.0.8802.1.1.2.1.4.1.1.9';
export const lldpRemSysDesc = '1.0.8802.1.1.2.1.4.1.1.10';
/** lldpRemSysCapEnabled: LldpSystemCapabilitiesMap BITS, most significant bit first (bit 0 other … 7 stationOnly). */
export const lldpRemSysCapEnabled = '1.0.8802.1.1.2.1.4.1.1.12';
/**
 * lldpRemManAddrTable, walked whole: index {timeMark, localPortNum, remIndex, addrSubtype (IANA family), addrLen,
 * addr…}; the address is only in the index (columns 3 IfSubtype, 4 IfId, 5 OID say nothing we use).
 */
export const lldpRemManAddrTable = '1.0.8802.1.1.2.1.4.2';

// LLDP-V2-MIB (IEEE 802.1AB-2009, 1.3.111.2.802.1.1.13). Remote-table columns are one higher than v1's.
/** lldpV2LocalSystemData, walked whole: .1 lldpV2LocChassisIdSubtype, .2 lldpV2LocChassisId, .7 lldpV2LocPortTable. */
export const lldpV2LocalSystemData = '1.3.111.2.802.1.1.13.1.3';
export const lldpV2LocChassisIdSubtype = '1.3.111.2.802.1.1.13.1.3.1';
export const lldpV2LocChassisId = '1.3.111.2.802.1.1.13.1.3.2';
/** lldpV2LocPortTable, index lldpV2LocPortIfIndex (an ifIndex): 2 PortIdSubtype, 3 PortId, 4 PortDesc. */
export const lldpV2LocPortTable = '1.3.111.2.802.1.1.13.1.3.7.1';
/** lldpV2RemTable, index {timeMark, localIfIndex, localDestMACAddress, remIndex}. */
export const lldpV2RemTable = '1.3.111.2.802.1.1.13.1.4.1.1';
export const lldpV2RemChassisIdSubtype = '1.3.111.2.802.1.1.13.1.4.1.1.5';
export const lldpV2RemChassisId = '1.3.111.2.802.1.1.13.1.4.1.1.6';
export const lldpV2RemPortIdSubtype = '1.3.111.2.802.1.1.13.1.4.1.1.7';
export const lldpV2RemPortId = '1.3.111.2.802.1.1.13.1.4.1.1.8';
export const lldpV2RemPortDesc = '1.3.111.2.802.1.1.13.1.4.1.1.9';
export const lldpV2RemSysName = '1.3.111.2.802.1.1.13.1.4.1.1.10';
export const lldpV2RemSysDesc = '1.3.111.2.802.1.1.13.1.4.1.1.11';
export const lldpV2RemSysCapEnabled = '1.3.111.2.802.1.1.13.1.4.1.1.13';
/**
 * lldpV2RemManAddrTable, walked whole: index {timeMark, localIfIndex, localDestMACAddress, remIndex, addrSubtype,
 * addrLen, addr…} (LLDP-V2-MIB; pysmi compilation in the code corpus, columns 3 IfSubtype and 4 IfId).
 */
export const lldpV2RemManAddrTable = '1.3.111.2.802.1.1.13.1.4.2';

// ENTITY-MIB entPhysicalTable, index entPhysicalIndex: what names the chassis, and what places a port in one.
export const entPhysicalContainedIn = '1.3.6.1.2.1.47.1.1.1.1.4';
export const entPhysicalClass = '1.3.6.1.2.1.47.1.1.1.1.5';
export const entPhysicalParentRelPos = '1.3.6.1.2.1.47.1.1.1.1.6';
export const entPhysicalName = '1.3.6.1.2.1.47.1.1.1.1.7';
export const entPhysicalSerialNum = '1.3.6.1.2.1.47.1.1.1.1.11';
export const entPhysicalModelName = '1.3.6.1.2.1.47.1.1.1.1.13';
/** entAliasMappingIdentifier, index {entPhysicalIndex, entAliasLogicalIndexOrZero}, value a RowPointer (ifIndex.N). */
export const entAliasMappingIdentifier = '1.3.6.1.2.1.47.1.3.2.1.2';
/** IF-MIB ifIndex column: the RowPointer entAliasMappingIdentifier names a port by (ifIndex.<n>). */
export const ifIndexColumn = '1.3.6.1.2.1.2.2.1.1';

// IP-MIB.
/** ipAddrTable (IPv4 only), index a.b.c.d. */
export const ipAdEntIfIndex = '1.3.6.1.2.1.4.20.1.2';
export const ipAdEntNetMask = '1.3.6.1.2.1.4.20.1.3';
/** ipAddressTable, index {addrType, len, addr…}. */
export const ipAddressIfIndex = '1.3.6.1.2.1.4.34.1.3';
export const ipAddressType = '1.3.6.1.2.1.4.34.1.4';
/** RowPointer into ipAddressPrefixTable; its last sub-identifier is the prefix length. */
export const ipAddressPrefix = '1.3.6.1.2.1.4.34.1.5';

// Synology (enterprise 6574): SYNOLOGY-SYSTEM-MIB (.1), -DISK-MIB (.2), -RAID-MIB (.3), -ISCSILUN-MIB (.104),
// each walked whole.
export const synoSystem = '1.3.6.1.4.1.6574.1';
export const synoDisk = '1.3.6.1.4.1.6574.2';
export const synoRaid = '1.3.6.1.4.1.6574.3';
export const synoSystemStatus = '1.3.6.1.4.1.6574.1.1';
export const synoTemperature = '1.3.6.1.4.1.6574.1.2';
export const synoPowerStatus = '1.3.6.1.4.1.6574.1.3';
export const synoSystemFanStatus = '1.3.6.1.4.1.6574.1.4.1';
export const synoCpuFanStatus = '1.3.6.1.4.1.6574.1.4.2';
export const synoModelName = '1.3.6.1.4.1.6574.1.5.1';
export const synoSerialNumber = '1.3.6.1.4.1.6574.1.5.2';
export const synoVersion = '1.3.6.1.4.1.6574.1.5.3';
/** diskTable, index diskIndex: 2 diskID, 3 diskModel, 5 diskStatus, 6 diskTemperature, 13 diskHealthStatus. */
export const synoDiskID = '1.3.6.1.4.1.6574.2.1.1.2';
export const synoDiskModel = '1.3.6.1.4.1.6574.2.1.1.3';
export const synoDiskStatus = '1.3.6.1.4.1.6574.2.1.1.5';
export const synoDiskTemperature = '1.3.6.1.4.1.6574.2.1.1.6';
export const synoDiskHealthStatus = '1.3.6.1.4.1.6574.2.1.1.13';
/** raidTable, index raidIndex: 2 raidName, 3 raidStatus, 4 raidFreeSize, 5 raidTotalSize. */
export const synoRaidName = '1.3.6.1.4.1.6574.3.1.1.2';
export const synoRaidStatus = '1.3.6.1.4.1.6574.3.1.1.3';
export const synoRaidFreeSize = '1.3.6.1.4.1.6574.3.1.1.4';
export const synoRaidTotalSize = '1.3.6.1.4.1.6574.3.1.1.5';
/**
 * SYNOLOGY-ISCSILUN-MIB (synologyiSCSILUN, .104), walked whole: iSCSILUNTable .104.1, entry .104.1.1, index
 * iSCSILUNInfoIndex. Columns from the MIB text (observium-community-edition mibs/synology/SYNOLOGY-ISCSILUN-MIB,
 * revision 2016-05-18: 1–17; DotZero24/pysnmp-mibs pysnmp_mibs/SYNOLOGY-ISCSILUN-MIB.py, revision 2020-08-12,
 * adds 18 DiskLatencyAvg and 19 ThinProvisionVolFreeMBs), as reference/snmp.md §1.9 lists them:
 * 2 UUID, 3 Name, 4/5 ThroughputRead High/Low and 6/7 ThroughputWrite High/Low (two Integer32 halves of one
 * 64-bit figure, the low half "in unsigned 32 bit"), 8/9 IopsRead/Write, 16 QueueDepth, 17 Type (OCTET STRING).
 * Not decoded: 10/11 disk and 12/13 network latency and 14/15 IO size (the MIB gives them no unit), 18, 19.
 */
export const synoIscsiLun = '1.3.6.1.4.1.6574.104';
export const iSCSILUNUUID = '1.3.6.1.4.1.6574.104.1.1.2';
export const iSCSILUNName = '1.3.6.1.4.1.6574.104.1.1.3';
export const iSCSILUNThroughputReadHigh = '1.3.6.1.4.1.6574.104.1.1.4';
export const iSCSILUNThroughputReadLow = '1.3.6.1.4.1.6574.104.1.1.5';
export const iSCSILUNThroughputWriteHigh = '1.3.6.1.4.1.6574.104.1.1.6';
export const iSCSILUNThroughputWriteLow = '1.3.6.1.4.1.6574.104.1.1.7';
export const iSCSILUNIopsRead = '1.3.6.1.4.1.6574.104.1.1.8';
export const iSCSILUNIopsWrite = '1.3.6.1.4.1.6574.104.1.1.9';
export const iSCSILUNQueueDepth = '1.3.6.1.4.1.6574.104.1.1.16';
export const iSCSILUNType = '1.3.6.1.4.1.6574.104.1.1.17';

// Vendor LAG tables, for switches that list trunks in neither ifStackTable nor IEEE8023-LAG-MIB.
/**
 * CISCO-PAGP-MIB pagpEtherChannelTable (ciscoMgmt 98 .1.1.1.1), index ifIndex (librenms/librenms
 * mibs/cisco/CISCO-PAGP-MIB, revision 2010-10-20; Netdisco SNMP::Info::CiscoAgg reads the same columns):
 * 1 pagpEthcOperationMode off(1) manual(2) pagpOn(3); 8 pagpGroupIfIndex, the agport's ifIndex (0 = not
 * aggregated, own ifIndex = aggregated to itself). The agport's ifType is propVirtual(53).
 */
export const pagpEthcOperationMode = '1.3.6.1.4.1.9.9.98.1.1.1.1.1';
export const pagpGroupIfIndex = '1.3.6.1.4.1.9.9.98.1.1.1.1.8';
/**
 * HP CONFIG-MIB hpSwitchPortTable (hpSwitchPortConfig 1, 1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1), index
 * hpSwitchPortIndex = ifIndex (librenms/librenms mibs/hp/CONFIG-MIB; lextudio/mibs.pysnmp.com pysnmp/CONFIG-MIB.py
 * adds dtLacpTrk(6) and dtTrunk(7)): 8 hpSwitchPortTrunkGroup, the trunk *number* (Trk<N>, 0 = none, not an
 * ifIndex: the Trk interface's ifIndex differs by model); 13 hpSwitchPortTrunkType trunk(1) fecAuto(2)
 * saTrunk(3) lacpTrk(4) none(5) dtLacpTrk(6) dtTrunk(7).
 */
export const hpSwitchPortTrunkGroup = '1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1.8';
export const hpSwitchPortTrunkType = '1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1.13';

// Vendor neighbour tables.
/**
 * CISCO-CDP-MIB cdpCacheTable (ciscoCdpMIB 23, cdpCache 1), walked whole (a row per neighbour), index
 * {cdpCacheIfIndex, cdpCacheDeviceIndex} (librenms/librenms mibs/cisco/CISCO-CDP-MIB): 3 AddressType
 * (CiscoNetworkProtocol: ip(1), ipv6(20)), 4 Address, 5 Version, 6 DeviceId, 7 DevicePort, 8 Platform,
 * 9 Capabilities (4 octets, the CDP capability bits: 0x01 router, 0x02/0x04 bridge, 0x08 switch, 0x10 host,
 * 0x40 repeater, 0x80 phone).
 */
export const cdpCacheTable = '1.3.6.1.4.1.9.9.23.1.2.1';
export const cdpCacheEntry = '1.3.6.1.4.1.9.9.23.1.2.1.1';
/**
 * FOUNDRY-SN-SWITCH-GROUP-MIB snFdpCacheTable (snFdpMIBObjects 2 = snFdpCache, 1.3.6.1.4.1.1991.1.1.3.20.1.2.1),
 * walked whole, index {snFdpCacheIfIndex, snFdpCacheDeviceIndex} (DotZero24/pysnmp-mibs
 * pysnmp_mibs/FOUNDRY-SN-SWITCH-GROUP-MIB.py; Netdisco SNMP::Info::FDP, LibreNMS discovery-protocols read the same
 * columns): 3 DeviceId, 4 AddressType ip(1), 5 Address, 6 Version, 7 DevicePort, 8 Platform, 9 Capabilities
 * (text), 10 VendorId fdp(1) cdp(2). Brocade/Ruckus ICX and FastIron; CDP neighbours land here too.
 */
export const snFdpCacheTable = '1.3.6.1.4.1.1991.1.1.3.20.1.2.1';
export const snFdpCacheEntry = '1.3.6.1.4.1.1991.1.1.3.20.1.2.1.1';

/**
 * NET-SNMP-EXTEND-MIB nsExtendOutputFull, index nsExtendToken (length-prefixed ASCII): the whole output of
 * an `extend <token> <command>` line, e.g. `extend bond0 /bin/cat /proc/net/bonding/bond0`.
 */
export const nsExtendOutputFull = '1.3.6.1.4.1.8072.1.3.2.3.1.2';

/** The subtrees a full poll walks. Each decoder reads only under these. */
export const WALK_ROOTS: readonly string[] = [
  SYSTEM,
  ifDescr, ifType, ifMtu, ifSpeed, ifPhysAddress, ifAdminStatus, ifOperStatus,
  ifInOctets, ifInErrors, ifOutOctets, ifOutErrors,
  ifName, ifHCInOctets, ifHCOutOctets, ifHighSpeed, ifAlias,
  ifStackStatus,
  dot3StatsDuplexStatus,
  dot1dBaseBridgeAddress, dot1dBasePortIfIndex,
  dot1qVlanFdbId, dot1qVlanCurrentEgressPorts, dot1qVlanCurrentUntaggedPorts,
  dot1qVlanStaticName, dot1qVlanStaticEgressPorts, dot1qVlanStaticUntaggedPorts,
  dot1qPvid,
  dot3adAggTable,
  dot3adAggPortActorOperKey, dot3adAggPortPartnerOperSystemID, dot3adAggPortPartnerOperKey,
  dot3adAggPortSelectedAggID, dot3adAggPortAttachedAggID, dot3adAggPortPartnerOperPort,
  dot3adAggPortActorOperState, dot3adAggPortPartnerOperState,
  pagpEthcOperationMode, pagpGroupIfIndex,
  hpSwitchPortTrunkGroup, hpSwitchPortTrunkType,
  lldpLocalSystemData, lldpRemTable, lldpRemManAddrTable,
  lldpV2LocalSystemData, lldpV2RemTable, lldpV2RemManAddrTable,
  cdpCacheTable, snFdpCacheTable,
  dot1qTpFdbPort, dot1qTpFdbStatus, dot1dTpFdbPort, dot1dTpFdbStatus,
  entPhysicalContainedIn, entPhysicalClass, entPhysicalParentRelPos, entPhysicalName, entPhysicalSerialNum, entPhysicalModelName,
  entAliasMappingIdentifier,
  ipAdEntIfIndex, ipAdEntNetMask, ipAddressIfIndex, ipAddressType, ipAddressPrefix,
  synoSystem, synoDisk, synoRaid, synoIscsiLun,
  nsExtendOutputFull,
];
