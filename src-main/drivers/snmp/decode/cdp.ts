/**
 * The vendor neighbour caches a lab meets besides LLDP → SnmpNeighbor[]: Cisco's CDP (CISCO-CDP-MIB
 * cdpCacheTable) and Foundry/Brocade/Ruckus FDP (FOUNDRY-SN-SWITCH-GROUP-MIB snFdpCacheTable, which holds the
 * CDP neighbours such a switch hears too, marked by snFdpCacheVendorId). Both tables are indexed
 * {ifIndex, deviceIndex} and say the same things: Device-ID (a host name, or a serial or MAC on some devices),
 * Port-ID (the neighbour's ifName), platform, version, the first address, capabilities. Neither has a chassis ID.
 *
 * A neighbour heard by both LLDP and CDP is reported once per protocol, each with its source: their port IDs
 * differ in form ("Gi1/0/1" by LLDP, "GigabitEthernet1/0/1" by CDP), so joining them is the graph's call.
 * Rows naming ifIndex 0, or with neither a Device-ID nor a Port-ID, are skipped and counted.
 */
import type { SnmpNeighbor } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { AFI_IPV4, AFI_IPV6, addressText, cdpCapabilities, fdpCapabilities } from './lldp-ids';
import { type Gaps, bytes, column, int, isPrintable, text } from './values';

interface CacheRow {
  addressType: number | null;
  address: Buffer | null;
  version: string;
  deviceId: string;
  port: string;
  platform: string;
  capabilities: string[];
  vendor: number | null;
}

interface Layout {
  table: string;
  addressType: number;
  address: number;
  version: number;
  deviceId: number;
  port: number;
  platform: number;
  capabilities: number;
  vendor: number | null;
  /** The protocol's address type numbers for IPv4 and IPv6. */
  ipv4: number;
  ipv6: number | null;
  readCapabilities: (b: Buffer) => string[] | null;
}

/** CISCO-CDP-MIB cdpCacheEntry columns; CiscoNetworkProtocol ip(1), ipv6(20). */
const CDP: Layout = { table: 'cdpCacheTable', addressType: 3, address: 4, version: 5, deviceId: 6, port: 7, platform: 8, capabilities: 9, vendor: null, ipv4: 1, ipv6: 20, readCapabilities: cdpCapabilities };
/** FOUNDRY-SN-SWITCH-GROUP-MIB snFdpCacheEntry columns; snFdpCacheAddressType ip(1); snFdpCacheVendorId fdp(1) cdp(2). */
const FDP: Layout = { table: 'snFdpCacheTable', addressType: 4, address: 5, version: 6, deviceId: 3, port: 7, platform: 8, capabilities: 9, vendor: 10, ipv4: 1, ipv6: null, readCapabilities: fdpCapabilities };
const FDP_VENDOR_CDP = 2;

/** A CDP/FDP address: 4 or 16 octets, or (in some recordings) the dotted text. */
function addressOf(row: CacheRow, layout: Layout): string {
  const b = row.address;
  if (!b || b.length === 0) return '';
  const type = row.addressType ?? (b.length === 16 ? layout.ipv6 : layout.ipv4);
  if (type === layout.ipv4 && b.length === 4) return addressText(AFI_IPV4, b) ?? '';
  if (layout.ipv6 !== null && type === layout.ipv6 && b.length === 16) return addressText(AFI_IPV6, b) ?? '';
  if (isPrintable(b)) {
    const s = b.toString('latin1').trim();
    const parts = s.split('.');
    if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return parts.map(Number).join('.');
  }
  return '';
}

function cacheRows(walk: Walk, entryOid: string, layout: Layout, gaps: Gaps): Map<string, { ifIndex: number; row: CacheRow }> {
  const rows = new Map<string, { ifIndex: number; row: CacheRow }>();
  const textOf = (vb: Varbind) => text(vb)?.trim() ?? null;
  for (const { index, vb } of column(walk, entryOid, gaps, layout.table)) {
    if (index.length !== 3) {
      gaps.skip(layout.table, 'index is not {column, ifIndex, deviceIndex}', index);
      continue;
    }
    const [col, ifIndex, device] = index as [number, number, number];
    const id = `${ifIndex}.${device}`;
    let entry = rows.get(id);
    if (!entry) {
      entry = { ifIndex, row: { addressType: null, address: null, version: '', deviceId: '', port: '', platform: '', capabilities: [], vendor: null } };
      rows.set(id, entry);
    }
    const row = entry.row;
    let ok = true;
    if (col === layout.addressType) ok = (row.addressType = int(vb)) !== null;
    else if (col === layout.address) ok = (row.address = bytes(vb)) !== null;
    else if (col === layout.vendor) ok = (row.vendor = int(vb)) !== null;
    else if (col === layout.capabilities) {
      const b = bytes(vb);
      const caps = b ? layout.readCapabilities(b) : null;
      if (caps !== null) row.capabilities = caps;
      ok = caps !== null;
    } else if (col === layout.version || col === layout.deviceId || col === layout.port || col === layout.platform) {
      const t = textOf(vb);
      ok = t !== null;
      if (t !== null) {
        if (col === layout.version) row.version = t;
        else if (col === layout.deviceId) row.deviceId = t;
        else if (col === layout.port) row.port = t;
        else row.platform = t;
      }
    }
    if (!ok) gaps.skip(layout.table, `wrong type in column ${col}`, index.slice(1));
  }
  return rows;
}

function decodeCache(walk: Walk, entryOid: string, layout: Layout, source: (row: CacheRow) => string, gaps: Gaps): SnmpNeighbor[] {
  const out: SnmpNeighbor[] = [];
  const seen = new Set<string>();
  for (const { ifIndex, row } of cacheRows(walk, entryOid, layout, gaps).values()) {
    if (ifIndex === 0 || (row.deviceId === '' && row.port === '')) {
      gaps.skip(layout.table, ifIndex === 0 ? 'local ifIndex 0' : 'neither Device-ID nor Port-ID', [ifIndex]);
      continue;
    }
    const key = `${ifIndex}|${row.deviceId}|${row.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      localIfIndex: ifIndex,
      remoteSystemName: row.deviceId,
      remoteSystemDescr: row.version,
      remotePortId: row.port,
      remotePortDescr: '',
      remoteChassisId: '',
      remoteManagementAddress: addressOf(row, layout),
      remoteCapabilities: row.capabilities,
      remotePlatform: row.platform,
      source: source(row),
    });
  }
  return out;
}

export function decodeCdp(walk: Walk, gaps: Gaps): SnmpNeighbor[] {
  const cdp = decodeCache(walk, O.cdpCacheEntry, CDP, () => 'cdp', gaps);
  const fdp = decodeCache(walk, O.snFdpCacheEntry, FDP, (row) => (row.vendor === FDP_VENDOR_CDP ? 'cdp' : 'fdp'), gaps);
  const seen = new Set(cdp.map((n) => `${n.localIfIndex}|${n.remoteSystemName}|${n.remotePortId}`));
  return [...cdp, ...fdp.filter((n) => !seen.has(`${n.localIfIndex}|${n.remoteSystemName}|${n.remotePortId}`))];
}
