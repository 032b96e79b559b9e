/**
 * Vendor trunk tables, for switches that list their LAGs in neither ifStackTable nor IEEE8023-LAG-MIB (or list
 * them there without saying how they negotiate): Cisco EtherChannel (CISCO-PAGP-MIB) and HP ProCurve trunks
 * (CONFIG-MIB hpSwitchPortTable). OIDs and sources in oids.ts.
 *
 * - PAgP: pagpGroupIfIndex names each physical port's agport (0 = not aggregated, its own ifIndex = aggregated
 *   to itself, i.e. no channel: neither is a membership). Netdisco reads the same column the same way
 *   (SNMP::Info::CiscoAgg agg_ports_pagp). pagpEthcOperationMode says how: pagpOn(3) is PAgP, manual(2) is a
 *   static channel ("mode on"); off(1) says nothing (an LACP channel's protocol comes from IEEE8023-LAG-MIB).
 * - HP: hpSwitchPortTrunkGroup is the trunk number N of "TrkN", not an ifIndex (the Trk interface's ifIndex
 *   differs by model: 962 for Trk1 on the 3810M in procurve.snmprec, 288 + N in Emulab's snmpit_hp.pm for the
 *   models it drives), so N is resolved to the one interface named TrkN; failing that, to N itself when N is an
 *   aggregate-typed interface. hpSwitchPortTrunkType: lacpTrk(4) and dtLacpTrk(6) are LACP; trunk(1),
 *   saTrunk(3), dtTrunk(7) static; fecAuto(2) is HP's interoperation with Cisco Fast EtherChannel negotiation,
 *   i.e. PAgP (our reading of HP's "FEC" trunks; no recording confirms it); none(5) says nothing.
 *
 * D-Link's swL2TrunkCtrlTable is not read: each D-Link model family has its own <model>-L2MGMT-MIB with the
 * table at its own arc (1.3.6.1.4.1.171.11.59.7.2.9.3, …70.5.2.9.3, …69.4.2.8.3, …102.1.4.2.9.3, …), so no
 * fixed walk root covers them.
 */
import type { SnmpLag, SnmpPort } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import type { VendorLags } from './lag';
import { LAG_IFTYPES } from './stack';
import { type Gaps, byNumber, columnByIndex, int, uint32 } from './values';

const PAGP_MANUAL = 2;
const PAGP_ON = 3;

/** The protocol every member agrees on, else null. */
function agreed(protocols: readonly SnmpLag['protocol'][]): SnmpLag['protocol'] {
  const first = protocols[0] ?? null;
  return protocols.every((p) => p === first) ? first : null;
}

function grouped(pairs: Iterable<[member: number, lag: number]>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [member, lag] of pairs) {
    const list = out.get(lag) ?? [];
    list.push(member);
    out.set(lag, list);
  }
  for (const list of out.values()) list.sort(byNumber);
  return out;
}

export function decodePagp(walk: Walk, gaps: Gaps): VendorLags {
  const group = columnByIndex(walk, O.pagpGroupIfIndex, gaps, 'pagpGroupIfIndex', uint32);
  const mode = columnByIndex(walk, O.pagpEthcOperationMode, gaps, 'pagpEthcOperationMode', int);
  const pairs: [number, number][] = [];
  for (const [ifIndex, agport] of group) if (ifIndex !== 0 && agport !== 0 && agport !== ifIndex) pairs.push([ifIndex, agport]);
  const members = grouped(pairs);
  const protocol = new Map<number, SnmpLag['protocol']>();
  for (const [lag, ports] of members) {
    protocol.set(lag, agreed(ports.map((p) => (mode.get(p) === PAGP_ON ? 'pagp' : mode.get(p) === PAGP_MANUAL ? 'static' : null))));
  }
  return { table: 'vendor:cisco-pagp', members, protocol };
}

const HP_TRUNK_PROTOCOL: Readonly<Record<number, SnmpLag['protocol']>> = { 1: 'static', 2: 'pagp', 3: 'static', 4: 'lacp', 5: null, 6: 'lacp', 7: 'static' };
const TRK_NAME = /^trk(\d{1,5})$/i;

export function decodeHpTrunks(walk: Walk, ports: readonly SnmpPort[], gaps: Gaps): VendorLags {
  const group = columnByIndex(walk, O.hpSwitchPortTrunkGroup, gaps, 'hpSwitchPortTrunkGroup', uint32);
  const type = columnByIndex(walk, O.hpSwitchPortTrunkType, gaps, 'hpSwitchPortTrunkType', int);
  const empty: VendorLags = { table: 'vendor:hp-trunk', members: new Map(), protocol: new Map() };
  if (group.size === 0) return empty;

  // TrkN → its ifIndex, when exactly one interface has that name (ifName, else ifDescr).
  const trk = new Map<number, number | null>();
  for (const p of ports) {
    for (const label of new Set([p.name, p.descr])) {
      const m = TRK_NAME.exec(label);
      if (!m) continue;
      const n = Number(m[1]);
      const seen = trk.get(n);
      trk.set(n, seen === undefined || seen === p.ifIndex ? p.ifIndex : null);
    }
  }
  const typeOf = new Map(ports.map((p) => [p.ifIndex, p.type]));
  const resolve = (n: number): number | null => trk.get(n) ?? (LAG_IFTYPES.has(typeOf.get(n) ?? -1) ? n : null);

  const pairs: [number, number][] = [];
  for (const [ifIndex, n] of group) {
    if (n === 0 || ifIndex === 0) continue;
    const lag = resolve(n);
    if (lag === null) {
      gaps.skip('hpSwitchPortTrunkGroup', 'trunk number names no Trk interface', [ifIndex]);
      continue;
    }
    if (lag !== ifIndex) pairs.push([ifIndex, lag]);
  }
  const members = grouped(pairs);
  const protocol = new Map<number, SnmpLag['protocol']>();
  for (const [lag, list] of members) protocol.set(lag, agreed(list.map((p) => HP_TRUNK_PROTOCOL[type.get(p) ?? 5] ?? null)));
  return { table: 'vendor:hp-trunk', members, protocol };
}
