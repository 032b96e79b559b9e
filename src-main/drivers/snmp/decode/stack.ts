/**
 * IF-MIB ifStackTable → which interface sits on which, and from that the LAGs: an ieee8023adLag (161) or
 * propMultiplexor (54) interface over ordinary interfaces. HP ProCurve types its trunks (Trk1) 54 on some
 * firmware, 161 on others; Netdisco takes both as aggregates the same way (SNMP::Info::Aggregate
 * agg_ports_ifstack).
 *
 * Not every 161 is a LAG with members: PAN-OS types its aggregate sub-interfaces (ae1.10) 161 too and
 * stacks them on ae1 (itself 161). A lower layer that is itself a LAG type is a sub-interface relation, never
 * a member, and neither is a virtual interface below one (VLAN, loopback, tunnel); a LAG-typed interface with
 * no ordinary interface below it (an empty, pre-created port-channel, or such a sub-interface) is not reported
 * as a LAG at all.
 */
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, byNumber, column, int } from './values';

export const IFTYPE_IEEE8023AD_LAG = 161;
export const IFTYPE_PROP_MULTIPLEXOR = 54;
/** The ifTypes an aggregate interface is reported with. */
export const LAG_IFTYPES: ReadonlySet<number> = new Set([IFTYPE_IEEE8023AD_LAG, IFTYPE_PROP_MULTIPLEXOR]);
/** propVirtual, l2vlan, l3ipvlan, softwareLoopback, tunnel: never a LAG member. */
const VIRTUAL_IFTYPES: ReadonlySet<number> = new Set([53, 135, 136, 24, 131]);
const ROW_ACTIVE = 1;

/** One active ifStackTable row: `higher` runs over `lower`. Rows naming ifIndex 0 ("nothing") are dropped. */
export interface StackLink {
  higher: number;
  lower: number;
}

export function decodeIfStack(walk: Walk, gaps: Gaps): StackLink[] {
  const links: StackLink[] = [];
  for (const { index, vb } of column(walk, O.ifStackStatus, gaps, 'ifStackStatus')) {
    if (index.length !== 2) {
      gaps.skip('ifStackStatus', 'index is not {higher, lower}', index);
      continue;
    }
    const status = int(vb);
    if (status === null) {
      gaps.skip('ifStackStatus', 'wrong type', index);
      continue;
    }
    const [higher, lower] = index as [number, number];
    if (status !== ROW_ACTIVE || higher === 0 || lower === 0) continue;
    links.push({ higher, lower });
  }
  return links;
}

/**
 * LAG ifIndex → member ifIndexes, from the stack: a 161 or 54 higher layer over lower layers that are known
 * interfaces of neither a LAG type nor a virtual one. `typeOf` is ifType by ifIndex.
 */
export function lagsFromStack(links: readonly StackLink[], typeOf: ReadonlyMap<number, number>): Map<number, number[]> {
  const lags = new Map<number, Set<number>>();
  for (const { higher, lower } of links) {
    if (!LAG_IFTYPES.has(typeOf.get(higher) ?? -1)) continue;
    const lowerType = typeOf.get(lower);
    if (lowerType === undefined || LAG_IFTYPES.has(lowerType) || VIRTUAL_IFTYPES.has(lowerType)) continue;
    const members = lags.get(higher) ?? new Set<number>();
    members.add(lower);
    lags.set(higher, members);
  }
  return new Map([...lags].map(([lag, members]) => [lag, [...members].sort(byNumber)]));
}
