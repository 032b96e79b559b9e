/**
 * LLDP-MIB (802.1AB-2005) and LLDP-V2-MIB (802.1AB-2009) remote tables → SnmpNeighbor[].
 *
 * v1 rows are indexed {timeMark, lldpRemLocalPortNum, lldpRemIndex}; the local port number is resolved to an
 * interface by the rules in lldp-local.ts, and a row whose port cannot be resolved is skipped and noted.
 *
 * v2 rows are indexed {timeMark, lldpV2RemLocalIfIndex, lldpV2RemLocalDestMACAddress, lldpV2RemIndex}: the
 * local port is an ifIndex by definition; the destination-address index (nearest bridge, non-TPMR, …)
 * only tells agents apart, so the same neighbour heard on two addresses is reported once.
 *
 * Each neighbour also gets its enabled capabilities (lldpRemSysCapEnabled) and a management address from
 * lldpRemManAddrTable, whose rows share the remote row's index (time mark aside) and carry the address only in
 * their own index: {…, addrSubtype (IANA family), addrLen, addr…}. IDs, capabilities and addresses are
 * decoded as lldp-ids.ts says.
 */
import type { SnmpNeighbor } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { addressText, decodeChassisId, decodePortId, lldpCapabilities, preferredAddress } from './lldp-ids';
import type { LldpLocal } from './lldp-local';
import { type Gaps, bytes, column, int, text } from './values';

export { decodeChassisId, decodeLldpId, decodePortId, ipv6Text } from './lldp-ids';

interface RemRow {
  chassisSubtype: number | null;
  chassisId: Buffer | null;
  portSubtype: number | null;
  portId: Buffer | null;
  portDesc: string;
  sysName: string;
  sysDesc: string;
  capabilities: string[];
}

/** Rows of a remote table keyed by the index without its time mark; the newest time mark wins. */
function remoteRows(
  walk: Walk,
  columns: { chassisSubtype: string; chassisId: string; portSubtype: string; portId: string; portDesc: string; sysName: string; sysDesc: string; capEnabled: string },
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
        row: { chassisSubtype: null, chassisId: null, portSubtype: null, portId: null, portDesc: '', sysName: '', sysDesc: '', capabilities: [] },
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
  each(columns.capEnabled, `${table} SysCapEnabled`, (row, vb) => {
    const b = bytes(vb);
    const caps = b ? lldpCapabilities(b) : null;
    if (caps !== null) row.capabilities = caps;
    return caps !== null;
  });
  return rows;
}

/**
 * Management addresses by remote-row key (the index without its time mark), from lldpRemManAddrTable or
 * lldpV2RemManAddrTable (`keyLength` = 2 or 3 parts between the mark and the address subtype). Every row of the
 * table counts, whichever of its columns the agent lists.
 */
function managementAddresses(walk: Walk, entryOid: string, keyLength: number, table: string, gaps: Gaps): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const { index } of column(walk, entryOid, gaps, table)) {
    // index = column, mark, key…, subtype, [length,] address…
    const at = 2 + keyLength;
    if (index.length < at + 2) {
      gaps.skip(table, 'index has too few parts', index);
      continue;
    }
    const key = index.slice(2, at).join('.');
    const family = index[at]!;
    const rest = index.slice(at + 1);
    // Length-prefixed as the MIB says (LldpManAddress is not IMPLIED); a few agents leave the length out.
    const address = rest[0] === rest.length - 1 ? addressText(family, rest.slice(1)) : addressText(family, rest);
    const id = `${key}|${rest.join('.')}`;
    if (address === null || seen.has(id)) continue;
    seen.add(id);
    const list = out.get(key) ?? [];
    if (list.length < 16) list.push(address);
    out.set(key, list);
  }
  return out;
}

function neighborOf(localIfIndex: number, row: RemRow, addresses: readonly string[] | undefined, source: string): SnmpNeighbor {
  return {
    localIfIndex,
    remoteSystemName: row.sysName,
    remoteSystemDescr: row.sysDesc,
    remotePortId: row.portId ? decodePortId(row.portId, row.portSubtype) : '',
    remotePortDescr: row.portDesc,
    remoteChassisId: row.chassisId ? decodeChassisId(row.chassisId, row.chassisSubtype) : '',
    remoteManagementAddress: preferredAddress(addresses ?? []),
    remoteCapabilities: row.capabilities,
    remotePlatform: '',
    source,
  };
}

export function decodeLldp(walk: Walk, local: LldpLocal, gaps: Gaps): SnmpNeighbor[] {
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
      capEnabled: O.lldpRemSysCapEnabled,
    },
    3,
    'lldpRemTable',
    gaps,
  );
  if (v1.size > 0) {
    const addresses = managementAddresses(walk, O.lldpRemManAddrTable + '.1', 2, 'lldpRemManAddrTable', gaps);
    for (const [id, { key, row }] of v1) {
      const localIfIndex = local.localOf(key[0]!);
      if (localIfIndex === null) {
        gaps.skip('lldpRemTable', 'local port number matches no interface', key);
        continue;
      }
      add(neighborOf(localIfIndex, row, addresses.get(id), 'lldp'));
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
      capEnabled: O.lldpV2RemSysCapEnabled,
    },
    4,
    'lldpV2RemTable',
    gaps,
  );
  const v2Addresses = v2.size > 0 ? managementAddresses(walk, O.lldpV2RemManAddrTable + '.1', 3, 'lldpV2RemManAddrTable', gaps) : new Map<string, string[]>();
  for (const [id, { key, row }] of v2) {
    const localIfIndex = key[0]!;
    if (localIfIndex === 0) {
      gaps.skip('lldpV2RemTable', 'local ifIndex 0', key);
      continue;
    }
    add(neighborOf(localIfIndex, row, v2Addresses.get(id), 'lldp-v2'));
  }
  return neighbors;
}
