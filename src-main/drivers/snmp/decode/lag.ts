/**
 * IEEE8023-LAG-MIB (dot3adAggTable, dot3adAggPortTable) and the union with ifStackTable → SnmpLag[].
 *
 * 802.1AX gives every port an aggregator, and some agents list one per port, so an aggregator is a LAG only
 * when another port selects or is attached to it (dot3adAggPortSelectedAggID / AttachedAggID), or when
 * the ifStackTable puts ordinary ports under it. A member whose partner has gone (defaulted, expired) is
 * typically detached (AttachedAggID 0) but still selected or still stacked: it stays a member with
 * `attached: false`, which is exactly what the audit needs to see.
 *
 * LacpState is SNMP BITS, one octet, most significant bit first: lacpActivity(0) = 0x80 … expired(7) = 0x01
 * (IEEE8023-LAG-MIB LacpState TC). Linux /proc/net/bonding prints the LACPDU byte, which is LSB-first, so
 * the same state reads 0x3D there and 0xBC here; an agent that copies the LACPDU byte into the MIB would
 * be decoded wrongly, and no such agent is known to us, so no guessing is done.
 */
import type { LacpState, LagMember, SnmpLag } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, byNumber, bytes, column, columnByIndex, macFrom, uint32 } from './values';

export interface LagMibPort {
  /** dot3adAggPortSelectedAggID / AttachedAggID: the aggregator's ifIndex, 0 for none, null when not read. */
  selected: number | null;
  attached: number | null;
  actor: LacpState | null;
  partner: LacpState | null;
  /** Colon hex, '' when unknown or zero (no partner). */
  partnerSystem: string;
}

export interface LagMibData {
  /** Aggregator ifIndexes listed in dot3adAggTable. */
  aggregators: Set<number>;
  /** Per physical port (dot3adAggPortIndex = ifIndex). */
  ports: Map<number, LagMibPort>;
}

/** LacpState from its BITS octet (first octet of the string; an Integer 0–255 is taken as that octet). */
export function lacpState(value: Buffer | number): LacpState | null {
  let octet: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) return null;
    octet = value;
  } else {
    octet = value.length === 0 ? 0 : value[0]!;
  }
  return {
    activity: (octet & 0x80) !== 0,
    timeout: (octet & 0x40) !== 0,
    aggregation: (octet & 0x20) !== 0,
    synchronization: (octet & 0x10) !== 0,
    collecting: (octet & 0x08) !== 0,
    distributing: (octet & 0x04) !== 0,
    defaulted: (octet & 0x02) !== 0,
    expired: (octet & 0x01) !== 0,
  };
}

function readLacpState(vb: Varbind): LacpState | null {
  const b = bytes(vb);
  if (b) return b.length <= 4 ? lacpState(b) : null;
  return typeof vb.value === 'number' ? lacpState(vb.value) : null;
}

function readSystemId(vb: Varbind): string | null {
  const b = bytes(vb);
  if (!b) return null;
  if (b.length === 0 || b.every((x) => x === 0)) return '';
  return macFrom(b);
}

export function decodeLagMib(walk: Walk, gaps: Gaps): LagMibData {
  const aggregators = new Set<number>();
  for (const { index } of column(walk, O.dot3adAggTable, gaps, 'dot3adAggTable')) {
    // index = column.aggIndex
    if (index.length === 2 && index[1]! > 0) aggregators.add(index[1]!);
    else gaps.skip('dot3adAggTable', 'index is not {column, aggIndex}', index);
  }
  const selected = columnByIndex(walk, O.dot3adAggPortSelectedAggID, gaps, 'dot3adAggPortSelectedAggID', uint32);
  const attached = columnByIndex(walk, O.dot3adAggPortAttachedAggID, gaps, 'dot3adAggPortAttachedAggID', uint32);
  const actor = columnByIndex(walk, O.dot3adAggPortActorOperState, gaps, 'dot3adAggPortActorOperState', readLacpState);
  const partner = columnByIndex(walk, O.dot3adAggPortPartnerOperState, gaps, 'dot3adAggPortPartnerOperState', readLacpState);
  const partnerSystem = columnByIndex(walk, O.dot3adAggPortPartnerOperSystemID, gaps, 'dot3adAggPortPartnerOperSystemID', readSystemId);

  const ports = new Map<number, LagMibPort>();
  const ifIndexes = new Set<number>([...selected.keys(), ...attached.keys(), ...actor.keys(), ...partner.keys()]);
  for (const ifIndex of ifIndexes) {
    if (ifIndex === 0) continue;
    ports.set(ifIndex, {
      selected: selected.get(ifIndex) ?? null,
      attached: attached.get(ifIndex) ?? null,
      actor: actor.get(ifIndex) ?? null,
      partner: partner.get(ifIndex) ?? null,
      partnerSystem: partnerSystem.get(ifIndex) ?? '',
    });
  }
  return { aggregators, ports };
}

/**
 * The LAGs: ifStack LAGs (from lagsFromStack) ∪ LAG-MIB aggregators that another port selects or is
 * attached to. `nameOf` gives a port's display name.
 */
export function mergeLags(
  fromStack: ReadonlyMap<number, number[]>,
  mib: LagMibData,
  nameOf: (ifIndex: number) => string,
  gaps: Gaps,
): SnmpLag[] {
  const fromMib = new Map<number, number[]>();
  for (const [ifIndex, port] of mib.ports) {
    for (const agg of new Set([port.attached, port.selected])) {
      if (agg === null || agg === 0 || agg === ifIndex) continue;
      const members = fromMib.get(agg) ?? [];
      members.push(ifIndex);
      fromMib.set(agg, members);
    }
  }
  for (const [agg, members] of fromMib) {
    // Agents that number aggregators after their first port attach that port to "itself": it is a member too.
    const own = mib.ports.get(agg);
    if (own && (own.attached === agg || own.selected === agg)) members.push(agg);
    if (mib.aggregators.size > 0 && !mib.aggregators.has(agg)) gaps.note(`LAG-MIB: ports are attached to aggregator ${agg}, which dot3adAggTable does not list`);
  }
  const lagIfIndexes = new Set<number>([...fromStack.keys(), ...fromMib.keys()]);
  const lags: SnmpLag[] = [];
  for (const lag of [...lagIfIndexes].sort(byNumber)) {
    const stackMembers = fromStack.get(lag) ?? [];
    const mibMembers = fromMib.get(lag) ?? [];
    const memberIfIndexes = [...new Set([...stackMembers, ...mibMembers])].sort(byNumber);
    if (memberIfIndexes.length === 0) continue;
    const members: LagMember[] = memberIfIndexes.map((ifIndex) => {
      const port = mib.ports.get(ifIndex);
      return {
        ifIndex,
        actor: port?.actor ?? null,
        partner: port?.partner ?? null,
        partnerSystem: port?.partnerSystem ?? '',
        attached: port && port.attached !== null ? port.attached === lag : null,
      };
    });
    lags.push({
      ifIndex: lag,
      name: nameOf(lag),
      memberIfIndexes,
      members,
      source: stackMembers.length > 0 && mibMembers.length > 0 ? 'both' : stackMembers.length > 0 ? 'ifStack' : 'lag-mib',
    });
  }
  return lags;
}
