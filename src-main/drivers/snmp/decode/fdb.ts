/**
 * The MAC forwarding table → FdbEntry[]: Q-BRIDGE dot1qTpFdbTable (index fdbId.mac) when the agent has
 * it, else BRIDGE-MIB dot1dTpFdbTable (index mac, no VLAN). The value is a bridge port, mapped to an ifIndex
 * through dot1dBasePortIfIndex; entries on port 0 or on unmapped ports are dropped.
 *
 * fdbId → VLAN comes from dot1qVlanFdbId; without it the fdbId is taken as the VLAN (shared-VLAN learning
 * aside, agents number their filtering databases by VLAN). Status invalid(2) and self(4) — the switch's own
 * addresses — are left out; learned(3), mgmt(5), other(1) and rows without a status are kept.
 */
import type { FdbEntry } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { VLAN_MAX, VLAN_MIN } from './qbridge';
import { type Gaps, column, int, uint32 } from './values';

const STATUS_INVALID = 2;
const STATUS_SELF = 4;

/**
 * The MAC in an index: six sub-identifiers (MacAddress is fixed-length, so no length prefix) — or, as Aruba
 * CX sends it, a length 6 then the six.
 */
function macOfIndex(parts: readonly number[]): string | null {
  const six = parts.length === 7 && parts[0] === 6 ? parts.slice(1) : parts;
  return six.length === 6 && six.every((p) => p <= 255) ? six.map((p) => p.toString(16).padStart(2, '0')).join(':') : null;
}

export function decodeFdb(walk: Walk, bridgePorts: ReadonlyMap<number, number>, gaps: Gaps): FdbEntry[] {
  const fdbToVlan = new Map<number, number>();
  for (const { index, vb } of column(walk, O.dot1qVlanFdbId, gaps, 'dot1qVlanFdbId')) {
    const fdbId = uint32(vb);
    if (index.length === 2 && fdbId !== null) fdbToVlan.set(fdbId, index[1]!);
  }

  const q = table(walk, O.dot1qTpFdbPort, O.dot1qTpFdbStatus, [7, 8], 'dot1qTpFdbPort', gaps);
  const entries: FdbEntry[] = [];
  if (q.length > 0) {
    for (const { index, port } of q) {
      const [fdbId, ...macParts] = index as [number, ...number[]];
      const mac = macOfIndex(macParts);
      const vlan = fdbToVlan.get(fdbId) ?? fdbId;
      const ifIndex = bridgePorts.get(port);
      if (mac === null || vlan < VLAN_MIN || vlan > VLAN_MAX) {
        gaps.skip('dot1qTpFdbPort', mac === null ? 'index is not fdbId.MAC' : 'VLAN out of range', index);
        continue;
      }
      if (ifIndex !== undefined) entries.push({ mac, vlan, ifIndex });
    }
    return entries;
  }
  for (const { index, port } of table(walk, O.dot1dTpFdbPort, O.dot1dTpFdbStatus, [6, 7], 'dot1dTpFdbPort', gaps)) {
    const mac = macOfIndex(index);
    const ifIndex = bridgePorts.get(port);
    if (mac === null) {
      gaps.skip('dot1dTpFdbPort', 'index is not a MAC', index);
      continue;
    }
    if (ifIndex !== undefined) entries.push({ mac, vlan: null, ifIndex });
  }
  return entries;
}

function table(walk: Walk, portOid: string, statusOid: string, indexLengths: readonly number[], name: string, gaps: Gaps): { index: number[]; port: number }[] {
  // Keyed by the OID's instance suffix: OIDs come decoded from BER, so one row has one spelling in both
  // columns, and slicing it is cheaper than joining the parsed index again.
  const status = new Map<string, number>();
  for (const { vb } of column(walk, statusOid, gaps, name.replace('Port', 'Status'))) {
    const s = int(vb);
    if (s !== null) status.set(vb.oid.slice(statusOid.length + 1), s);
  }
  const out: { index: number[]; port: number }[] = [];
  for (const { index, vb } of column(walk, portOid, gaps, name)) {
    const port = uint32(vb);
    if (!indexLengths.includes(index.length) || port === null) {
      gaps.skip(name, port === null ? 'wrong type' : 'index has the wrong number of parts', index);
      continue;
    }
    const s = status.get(vb.oid.slice(portOid.length + 1));
    if (port === 0 || s === STATUS_INVALID || s === STATUS_SELF) continue;
    out.push({ index, port });
  }
  return out;
}
