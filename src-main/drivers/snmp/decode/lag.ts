/**
 * IEEE8023-LAG-MIB (dot3adAggTable, dot3adAggPortTable) and the union with ifStackTable and the vendor trunk
 * tables (lag-vendor.ts) → SnmpLag[].
 *
 * 802.1AX gives every port an aggregator, and some agents list one per port, so an aggregator is a LAG only
 * when another port selects or is attached to it (dot3adAggPortSelectedAggID / AttachedAggID), or when
 * the ifStackTable or a vendor table puts ordinary ports under it. A member whose partner has gone
 * (defaulted, expired) is typically detached (AttachedAggID 0) but still selected or still stacked: it stays a
 * member with `attached: false`, which is exactly what the audit needs to see.
 *
 * LacpState is SNMP BITS, one octet, most significant bit first: lacpActivity(0) = 0x80 … expired(7) = 0x01
 * (IEEE8023-LAG-MIB LacpState TC). Linux /proc/net/bonding prints the LACPDU byte, which is LSB-first, so
 * the same state reads 0x3D there and 0xBC here; an agent that copies the LACPDU byte into the MIB would
 * be decoded wrongly, and no such agent is known to us, so no guessing is done.
 *
 * Protocol: a LAG one of whose LAG-MIB members has a non-zero actor state runs LACP (the state exists only for
 * LACP); otherwise the vendor tables say (HP trunk type, PAgP mode), else null. An all-zero actor state, as an
 * agent may give a static trunk's member, says nothing.
 */
import type { LacpState, LagMember, LagTable, SnmpLag } from '../../../domain/model/switches';
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
  actorKey: number | null;
  partnerKey: number | null;
  partnerPort: number | null;
}

export interface LagMibData {
  /** Aggregator ifIndexes listed in dot3adAggTable. */
  aggregators: Set<number>;
  /** dot3adAggActorSystemID / PartnerSystemID per aggregator, colon hex ('' zero or unreadable). */
  systems: Map<number, { actor: string; partner: string }>;
  /** Per physical port (dot3adAggPortIndex = ifIndex). */
  ports: Map<number, LagMibPort>;
}

/** LAG membership a vendor table reports: LAG ifIndex → members, and the protocol it names per LAG. */
export interface VendorLags {
  table: Extract<LagTable, `vendor:${string}`>;
  members: Map<number, number[]>;
  protocol: Map<number, SnmpLag['protocol']>;
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

/** A LACP key or port number (both 16 bits in the protocol; Integer32 in the MIB). */
function readKey(vb: Varbind): number | null {
  const n = uint32(vb);
  return n !== null && n <= 65535 ? n : null;
}

const ACTOR_SYSTEM_COLUMN = 4;
const PARTNER_SYSTEM_COLUMN = 8;

export function decodeLagMib(walk: Walk, gaps: Gaps): LagMibData {
  const aggregators = new Set<number>();
  const systems = new Map<number, { actor: string; partner: string }>();
  for (const { index, vb } of column(walk, O.dot3adAggTable, gaps, 'dot3adAggTable')) {
    // index = column.aggIndex
    if (index.length !== 2 || index[1]! === 0) {
      gaps.skip('dot3adAggTable', 'index is not {column, aggIndex}', index);
      continue;
    }
    const [col, agg] = index as [number, number];
    aggregators.add(agg);
    if (col !== ACTOR_SYSTEM_COLUMN && col !== PARTNER_SYSTEM_COLUMN) continue;
    const id = readSystemId(vb);
    if (id === null) {
      gaps.skip(col === ACTOR_SYSTEM_COLUMN ? 'dot3adAggActorSystemID' : 'dot3adAggPartnerSystemID', 'wrong type or malformed value', index);
      continue;
    }
    const entry = systems.get(agg) ?? { actor: '', partner: '' };
    if (col === ACTOR_SYSTEM_COLUMN) entry.actor = id;
    else entry.partner = id;
    systems.set(agg, entry);
  }
  const selected = columnByIndex(walk, O.dot3adAggPortSelectedAggID, gaps, 'dot3adAggPortSelectedAggID', uint32);
  const attached = columnByIndex(walk, O.dot3adAggPortAttachedAggID, gaps, 'dot3adAggPortAttachedAggID', uint32);
  const actor = columnByIndex(walk, O.dot3adAggPortActorOperState, gaps, 'dot3adAggPortActorOperState', readLacpState);
  const partner = columnByIndex(walk, O.dot3adAggPortPartnerOperState, gaps, 'dot3adAggPortPartnerOperState', readLacpState);
  const partnerSystem = columnByIndex(walk, O.dot3adAggPortPartnerOperSystemID, gaps, 'dot3adAggPortPartnerOperSystemID', readSystemId);
  const actorKey = columnByIndex(walk, O.dot3adAggPortActorOperKey, gaps, 'dot3adAggPortActorOperKey', readKey);
  const partnerKey = columnByIndex(walk, O.dot3adAggPortPartnerOperKey, gaps, 'dot3adAggPortPartnerOperKey', readKey);
  const partnerPort = columnByIndex(walk, O.dot3adAggPortPartnerOperPort, gaps, 'dot3adAggPortPartnerOperPort', readKey);

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
      actorKey: actorKey.get(ifIndex) ?? null,
      partnerKey: partnerKey.get(ifIndex) ?? null,
      partnerPort: partnerPort.get(ifIndex) ?? null,
    });
  }
  return { aggregators, systems, ports };
}

const anyBit = (state: LacpState | null): boolean => state !== null && Object.values(state).some(Boolean);

/** One protocol when every table that names one agrees, else the first (LAG-MIB's LACP evidence outranks a vendor's word). */
function protocolOf(lacpEvidence: boolean, vendorSays: SnmpLag['protocol'][]): SnmpLag['protocol'] {
  if (lacpEvidence) return 'lacp';
  return vendorSays.find((p) => p !== null) ?? null;
}

/**
 * The LAGs: ifStack LAGs (from lagsFromStack) ∪ LAG-MIB aggregators that another port selects or is
 * attached to ∪ what the vendor tables list. `nameOf` gives a port's display name.
 */
export function mergeLags(
  fromStack: ReadonlyMap<number, number[]>,
  mib: LagMibData,
  vendors: readonly VendorLags[],
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
  for (const vendor of vendors) for (const lag of vendor.members.keys()) lagIfIndexes.add(lag);
  const lags: SnmpLag[] = [];
  for (const lag of [...lagIfIndexes].sort(byNumber)) {
    const stackMembers = fromStack.get(lag) ?? [];
    const mibMembers = fromMib.get(lag) ?? [];
    const vendorHits = vendors.filter((v) => (v.members.get(lag)?.length ?? 0) > 0);
    const memberIfIndexes = [...new Set([...stackMembers, ...mibMembers, ...vendorHits.flatMap((v) => v.members.get(lag)!)])].sort(byNumber);
    if (memberIfIndexes.length === 0) continue;
    const members: LagMember[] = memberIfIndexes.map((ifIndex) => {
      const port = mib.ports.get(ifIndex);
      return {
        ifIndex,
        actor: port?.actor ?? null,
        partner: port?.partner ?? null,
        partnerSystem: port?.partnerSystem ?? '',
        actorKey: port?.actorKey ?? null,
        partnerKey: port?.partnerKey ?? null,
        partnerPort: port?.partnerPort ?? null,
        attached: port && port.attached !== null ? port.attached === lag : null,
      };
    });
    const sources: LagTable[] = [];
    if (stackMembers.length > 0) sources.push('ifStack');
    if (mibMembers.length > 0) sources.push('lag-mib');
    for (const v of vendorHits) sources.push(v.table);
    const standard = stackMembers.length > 0 && mibMembers.length > 0 ? 'both' : stackMembers.length > 0 ? 'ifStack' : mibMembers.length > 0 ? 'lag-mib' : null;
    const system = mib.systems.get(lag);
    lags.push({
      ifIndex: lag,
      name: nameOf(lag),
      memberIfIndexes,
      members,
      source: standard ?? vendorHits[0]!.table,
      sources,
      protocol: protocolOf(members.some((m) => anyBit(m.actor)), vendorHits.map((v) => v.protocol.get(lag) ?? null)),
      actorSystem: system?.actor ?? '',
      partnerSystem: system?.partner ?? '',
    });
  }
  return lags;
}
