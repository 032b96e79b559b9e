/**
 * Q-BRIDGE-MIB (RFC 4363) → VLANs, per-port membership (tagged or untagged) and PVID.
 *
 * Membership comes from dot1qVlanCurrent{Egress,Untagged}Ports (operational; index timeMark.vlan, where
 * the time mark is dropped and the latest row per VLAN wins), and only when the agent has no Current rows
 * at all from dot1qVlanStatic{Egress,Untagged}Ports (configuration) — LibreNMS's order too
 * (LibreNMS/OS/Traits/QBridgeMib.php). A port is a member when its bit is set in egress, untagged when it
 * is also set in untagged, tagged otherwise; an untagged bit without its egress bit is ignored.
 *
 * The VLANs listed are every VLAN the switch names anywhere: a static row (named or not), a Current row (even
 * one with no member, or only a dot1qVlanFdbId), a membership, a PVID. A VLAN known only as a PVID is a real
 * state of the switch (ports tagging their untagged traffic into a VLAN nothing else lists) that the audit must
 * see; it is listed with no name.
 */
import type { SnmpVlan } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { portListIfIndexes } from './bridge';
import { type Cell, type Gaps, LIMITS, byNumber, bytes, column, columnByIndex, text, uint32 } from './values';

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

export interface VlanMember {
  vlan: number;
  bridgePort: number;
  ifIndex: number;
  untagged: boolean;
}

export interface QBridgeData {
  vlans: SnmpVlan[];
  members: VlanMember[];
  /** ifIndex → PVID. */
  pvids: Map<number, number>;
  /** Which table the membership came from. */
  source: 'current' | 'static' | null;
}

const isVlan = (n: number) => Number.isInteger(n) && n >= VLAN_MIN && n <= VLAN_MAX;

/** vlan → PortList for one Current column: the time mark dropped, the last row (in walk order, so the newest) per VLAN kept. */
function currentLists(cells: Cell[], object: string, gaps: Gaps): Map<number, Buffer> {
  const out = new Map<number, { mark: number; list: Buffer }>();
  for (const { index, vb } of cells) {
    if (index.length !== 2) {
      gaps.skip(object, 'index is not {timeMark, vlan}', index);
      continue;
    }
    const [mark, vlan] = index as [number, number];
    const list = bytes(vb);
    if (!isVlan(vlan) || list === null) {
      gaps.skip(object, list === null ? 'wrong type' : 'VLAN out of range', index);
      continue;
    }
    const seen = out.get(vlan);
    if (!seen || mark >= seen.mark) out.set(vlan, { mark, list });
  }
  return new Map([...out].map(([vlan, { list }]) => [vlan, list]));
}

function staticLists(cells: Cell[], object: string, gaps: Gaps): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const { index, vb } of cells) {
    const list = bytes(vb);
    if (index.length !== 1 || !isVlan(index[0]!) || list === null) {
      gaps.skip(object, list === null ? 'wrong type' : 'index is not a VLAN', index);
      continue;
    }
    out.set(index[0]!, list);
  }
  return out;
}

export function decodeQBridge(walk: Walk, bridgePorts: ReadonlyMap<number, number>, gaps: Gaps): QBridgeData {
  const curEgress = currentLists(column(walk, O.dot1qVlanCurrentEgressPorts, gaps, 'dot1qVlanCurrentEgressPorts'), 'dot1qVlanCurrentEgressPorts', gaps);
  const curUntagged = currentLists(column(walk, O.dot1qVlanCurrentUntaggedPorts, gaps, 'dot1qVlanCurrentUntaggedPorts'), 'dot1qVlanCurrentUntaggedPorts', gaps);
  let egress = curEgress;
  let untagged = curUntagged;
  let source: QBridgeData['source'] = curEgress.size > 0 || curUntagged.size > 0 ? 'current' : null;
  if (source === null) {
    egress = staticLists(column(walk, O.dot1qVlanStaticEgressPorts, gaps, 'dot1qVlanStaticEgressPorts'), 'dot1qVlanStaticEgressPorts', gaps);
    untagged = staticLists(column(walk, O.dot1qVlanStaticUntaggedPorts, gaps, 'dot1qVlanStaticUntaggedPorts'), 'dot1qVlanStaticUntaggedPorts', gaps);
    if (egress.size > 0 || untagged.size > 0) source = 'static';
  }

  const members: VlanMember[] = [];
  memberships: for (const vlan of [...egress.keys()].sort(byNumber)) {
    const untaggedPorts = new Set(portListIfIndexes(untagged.get(vlan) ?? Buffer.alloc(0), bridgePorts).map((p) => p.bridgePort));
    for (const { bridgePort, ifIndex } of portListIfIndexes(egress.get(vlan)!, bridgePorts)) {
      if (members.length >= LIMITS.memberships) {
        gaps.note(`VLAN membership: more than ${LIMITS.memberships} (VLAN, port) pairs; VLANs from ${vlan} on were not read`);
        break memberships;
      }
      members.push({ vlan, bridgePort, ifIndex, untagged: untaggedPorts.has(bridgePort) });
    }
  }

  const names = new Map<number, string>();
  for (const { index, vb } of column(walk, O.dot1qVlanStaticName, gaps, 'dot1qVlanStaticName')) {
    const name = text(vb);
    if (index.length !== 1 || !isVlan(index[0]!) || name === null) {
      gaps.skip('dot1qVlanStaticName', name === null ? 'wrong type' : 'index is not a VLAN', index);
      continue;
    }
    names.set(index[0]!, name);
  }
  const ids = new Set<number>([...names.keys(), ...egress.keys(), ...untagged.keys(), ...curEgress.keys(), ...curUntagged.keys()]);
  for (const { index } of column(walk, O.dot1qVlanFdbId, gaps, 'dot1qVlanFdbId')) if (index.length === 2 && isVlan(index[1]!)) ids.add(index[1]!);
  if (source === 'current') {
    // The static table is walked anyway: a configured VLAN without a name or a Current row is still one.
    for (const oid of [O.dot1qVlanStaticEgressPorts, O.dot1qVlanStaticUntaggedPorts]) {
      for (const { index } of column(walk, oid, gaps, 'dot1qVlanStatic')) if (index.length === 1 && isVlan(index[0]!)) ids.add(index[0]!);
    }
  }

  const pvids = new Map<number, number>();
  for (const [bridgePort, pvid] of columnByIndex(walk, O.dot1qPvid, gaps, 'dot1qPvid', uint32)) {
    const ifIndex = bridgePorts.get(bridgePort);
    if (ifIndex === undefined) continue;
    if (!isVlan(pvid)) {
      gaps.skip('dot1qPvid', 'VLAN out of range', [bridgePort]);
      continue;
    }
    pvids.set(ifIndex, pvid);
    ids.add(pvid);
  }
  const vlans = [...ids].sort(byNumber).map((id) => ({ id, name: names.get(id) ?? '' }));
  return { vlans, members, pvids, source };
}
