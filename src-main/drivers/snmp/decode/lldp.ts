/**
 * LLDP-MIB (802.1AB-2005) and LLDP-V2-MIB (802.1AB-2009) remote tables → SnmpNeighbor[].
 *
 * v1 rows are indexed {timeMark, lldpRemLocalPortNum, lldpRemIndex}. The local port number is an
 * LldpPortNumber, which the MIB ties to dot1dBasePort on a bridge and many vendors set to the ifIndex, so it
 * is resolved in this order (first that gives exactly one interface wins):
 *   1. lldpLocPortId of that port number, when it is text, equal to one ifName, else one ifDescr;
 *   2. lldpLocPortDesc of that port number equal to one ifDescr, else one ifName (the MIB says it should be
 *      the ifDescr);
 *   3. dot1dBasePortIfIndex[port number];
 *   4. the port number itself, when it is an ifIndex in the ifTable.
 * LibreNMS (includes/discovery/discovery-protocols.inc.php) does 1, then 3 or else 4; 2 only adds a
 * name-based match before the numeric ones. A row whose port cannot be resolved is skipped and noted.
 *
 * v2 rows are indexed {timeMark, lldpV2RemLocalIfIndex, lldpV2RemLocalDestMACAddress, lldpV2RemIndex}: the
 * local port is an ifIndex by definition; the destination-address index (nearest bridge, non-TPMR, …)
 * only tells agents apart, so the same neighbour heard on two addresses is reported once.
 *
 * IDs are decoded by subtype: MAC address (chassis 4, port 3) as colon hex — also when the agent sends it
 * as text, as Aruba CX does; network address (chassis 5, port 4) as IANA family octet + address; the
 * name-like subtypes as text, or colon hex when not printable.
 */
import type { SnmpNeighbor, SnmpPort } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, bufferText, bytes, colonHex, column, int, isPrintable, macFrom, text } from './values';

const CHASSIS_MAC = 4;
const CHASSIS_NETWORK = 5;
const PORT_MAC = 3;
const PORT_NETWORK = 4;
const AFI_IPV4 = 1;
const AFI_IPV6 = 2;

/** An LLDP chassis or port ID, decoded by its subtype (`mac` and `network` say which subtype numbers mean those). */
export function decodeLldpId(id: Buffer, subtype: number | null, macSubtype: number, networkSubtype: number): string {
  if (subtype === macSubtype) {
    const mac = macFrom(id);
    if (mac !== null) return mac;
  }
  if (subtype === networkSubtype && id.length >= 1) {
    const family = id[0]!;
    const addr = id.subarray(1);
    if (family === AFI_IPV4 && addr.length === 4) return [...addr].join('.');
    if (family === AFI_IPV6 && addr.length === 16) return ipv6Text(addr);
  }
  if (isPrintable(id)) return bufferText(id);
  return colonHex(id) ?? '';
}

export const decodeChassisId = (id: Buffer, subtype: number | null): string => decodeLldpId(id, subtype, CHASSIS_MAC, CHASSIS_NETWORK);
export const decodePortId = (id: Buffer, subtype: number | null): string => decodeLldpId(id, subtype, PORT_MAC, PORT_NETWORK);

/** RFC 5952 text of a 16-octet IPv6 address. */
export function ipv6Text(addr: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(addr.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

interface RemRow {
  chassisSubtype: number | null;
  chassisId: Buffer | null;
  portSubtype: number | null;
  portId: Buffer | null;
  portDesc: string;
  sysName: string;
  sysDesc: string;
}

/** Rows of a remote table keyed by the index without its time mark; the newest time mark wins. */
function remoteRows(
  walk: Walk,
  columns: { chassisSubtype: string; chassisId: string; portSubtype: string; portId: string; portDesc: string; sysName: string; sysDesc: string },
  indexLength: number,
  table: string,
  gaps: Gaps,
): Map<string, { key: number[]; row: RemRow }> {
  const marks = new Map<string, number>();
  const rows = new Map<string, { key: number[]; row: RemRow }>();
  const rowFor = (index: number[]): RemRow | null => {
    if (index.length !== indexLength) {
      gaps.skip(table, 'index has the wrong number of parts', index);
      return null;
    }
    const [mark, ...key] = index as [number, ...number[]];
    const id = key.join('.');
    const seenMark = marks.get(id);
    if (seenMark !== undefined && mark < seenMark) return null;
    if (seenMark === undefined || mark > seenMark) {
      marks.set(id, mark);
      rows.set(id, {
        key,
        row: { chassisSubtype: null, chassisId: null, portSubtype: null, portId: null, portDesc: '', sysName: '', sysDesc: '' },
      });
    }
    return rows.get(id)!.row;
  };
  const each = (oid: string, name: string, set: (row: RemRow, vb: Varbind) => boolean) => {
    for (const { index, vb } of column(walk, oid, gaps, name)) {
      const row = rowFor(index);
      if (row && !set(row, vb)) gaps.skip(name, 'wrong type', index);
    }
  };
  const setText = (field: 'portDesc' | 'sysName' | 'sysDesc') => (row: RemRow, vb: Varbind) => {
    const t = text(vb);
    if (t === null) return false;
    row[field] = t.trim();
    return true;
  };
  each(columns.chassisSubtype, `${table} ChassisIdSubtype`, (row, vb) => (row.chassisSubtype = int(vb)) !== null);
  each(columns.chassisId, `${table} ChassisId`, (row, vb) => (row.chassisId = bytes(vb)) !== null);
  each(columns.portSubtype, `${table} PortIdSubtype`, (row, vb) => (row.portSubtype = int(vb)) !== null);
  each(columns.portId, `${table} PortId`, (row, vb) => (row.portId = bytes(vb)) !== null);
  each(columns.portDesc, `${table} PortDesc`, setText('portDesc'));
  each(columns.sysName, `${table} SysName`, setText('sysName'));
  each(columns.sysDesc, `${table} SysDesc`, setText('sysDesc'));
  return rows;
}

function neighborOf(localIfIndex: number, row: RemRow, source: string): SnmpNeighbor {
  return {
    localIfIndex,
    remoteSystemName: row.sysName,
    remoteSystemDescr: row.sysDesc,
    remotePortId: row.portId ? decodePortId(row.portId, row.portSubtype) : '',
    remotePortDescr: row.portDesc,
    remoteChassisId: row.chassisId ? decodeChassisId(row.chassisId, row.chassisSubtype) : '',
    source,
  };
}

/** lldpLocPortNum → ifIndex, by the rules in the header. */
export function lldpLocalPorts(
  walk: Walk,
  ports: readonly SnmpPort[],
  bridgePorts: ReadonlyMap<number, number>,
  gaps: Gaps,
): (portNum: number) => number | null {
  const unique = (values: Map<string, number[]>, key: string): number | null => {
    const found = values.get(key);
    return found && found.length === 1 ? found[0]! : null;
  };
  const byName = new Map<string, number[]>();
  const byDescr = new Map<string, number[]>();
  const index = (map: Map<string, number[]>, key: string, ifIndex: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [ifIndex]);
    else if (list.length < 2) list.push(ifIndex); // two are enough to know it is not unique
  };
  for (const p of ports) {
    if (p.name !== '') index(byName, p.name, p.ifIndex);
    if (p.descr !== '') index(byDescr, p.descr, p.ifIndex);
  }
  const known = new Set(ports.map((p) => p.ifIndex));
  const locIdSubtype = new Map<number, number>();
  const locId = new Map<number, Buffer>();
  const locDesc = new Map<number, string>();
  for (const { index, vb } of column(walk, O.lldpLocPortTable, gaps, 'lldpLocPortTable')) {
    if (index.length !== 2) continue;
    const [col, portNum] = index as [number, number];
    if (col === 2) {
      const n = int(vb);
      if (n !== null) locIdSubtype.set(portNum, n);
    } else if (col === 3) {
      const b = bytes(vb);
      if (b) locId.set(portNum, b);
    } else if (col === 4) {
      const t = text(vb);
      if (t !== null) locDesc.set(portNum, t.trim());
    }
  }
  return (portNum) => {
    const id = locId.get(portNum);
    const subtype = locIdSubtype.get(portNum);
    if (id && id.length > 0 && subtype !== PORT_MAC && subtype !== PORT_NETWORK && isPrintable(id)) {
      const name = bufferText(id).trim();
      const hit = unique(byName, name) ?? unique(byDescr, name);
      if (hit !== null) return hit;
    }
    const desc = locDesc.get(portNum);
    if (desc) {
      const hit = unique(byDescr, desc) ?? unique(byName, desc);
      if (hit !== null) return hit;
    }
    const viaBridge = bridgePorts.get(portNum);
    if (viaBridge !== undefined) return viaBridge;
    return known.has(portNum) ? portNum : null;
  };
}

export function decodeLldp(
  walk: Walk,
  ports: readonly SnmpPort[],
  bridgePorts: ReadonlyMap<number, number>,
  gaps: Gaps,
): SnmpNeighbor[] {
  const neighbors: SnmpNeighbor[] = [];
  const seen = new Set<string>();
  const add = (n: SnmpNeighbor) => {
    const key = `${n.localIfIndex}|${n.remoteChassisId}|${n.remotePortId}`;
    if (seen.has(key)) return;
    seen.add(key);
    neighbors.push(n);
  };

  const v1 = remoteRows(
    walk,
    {
      chassisSubtype: O.lldpRemChassisIdSubtype,
      chassisId: O.lldpRemChassisId,
      portSubtype: O.lldpRemPortIdSubtype,
      portId: O.lldpRemPortId,
      portDesc: O.lldpRemPortDesc,
      sysName: O.lldpRemSysName,
      sysDesc: O.lldpRemSysDesc,
    },
    3,
    'lldpRemTable',
    gaps,
  );
  if (v1.size > 0) {
    const localOf = lldpLocalPorts(walk, ports, bridgePorts, gaps);
    for (const { key, row } of v1.values()) {
      const local = localOf(key[0]!);
      if (local === null) {
        gaps.skip('lldpRemTable', 'local port number matches no interface', key);
        continue;
      }
      add(neighborOf(local, row, 'lldp'));
    }
  }

  const v2 = remoteRows(
    walk,
    {
      chassisSubtype: O.lldpV2RemChassisIdSubtype,
      chassisId: O.lldpV2RemChassisId,
      portSubtype: O.lldpV2RemPortIdSubtype,
      portId: O.lldpV2RemPortId,
      portDesc: O.lldpV2RemPortDesc,
      sysName: O.lldpV2RemSysName,
      sysDesc: O.lldpV2RemSysDesc,
    },
    4,
    'lldpV2RemTable',
    gaps,
  );
  for (const { key, row } of v2.values()) {
    const local = key[0]!;
    if (local === 0) {
      gaps.skip('lldpV2RemTable', 'local ifIndex 0', key);
      continue;
    }
    add(neighborOf(local, row, 'lldp-v2'));
  }
  return neighbors;
}
