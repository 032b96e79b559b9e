/**
 * ENTITY-MIB → the chassis model and serial, the stack members, and which member each port sits on.
 *
 * Model and serial: the lowest-numbered row of class chassis(3) (a stack lists its members as chassis rows
 * under a stack(11) row; the first member names the box). When the agent reports no entPhysicalClass at all,
 * the lowest-numbered row stands in for the chassis.
 *
 * Stack members: every chassis(3) row, whether under a stack(11) row (Cisco, Aruba VSF) or side by side at the
 * top; a single switch has one. A port's member: entAliasMappingIdentifier maps a port entity to its ifIndex
 * (value ifIndex.N, a RowPointer into ifTable), and entPhysicalContainedIn leads from the port up through
 * module and slot rows to the nearest chassis row, at most MAX_DEPTH levels up. Every entity is visited once
 * (its chassis remembered), a loop or a dead end gives "unknown" (null), so a broken containment tree costs
 * linear time and never hangs.
 */
import type { StackMember } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, byNumber, column, columnByIndex, int, oidValue, text, uint32 } from './values';

const CLASS_CHASSIS = 3;
/** Containment levels followed from a port to its chassis (real trees are under 10 deep). */
const MAX_DEPTH = 64;

export interface EntityData {
  model: string;
  serial: string;
  stackMembers: StackMember[];
  /** ifIndex → the entPhysicalIndex of the chassis the port sits in. */
  memberOfPort: Map<number, number>;
}

export function decodeEntity(walk: Walk, gaps: Gaps): EntityData {
  const cls = columnByIndex(walk, O.entPhysicalClass, gaps, 'entPhysicalClass', int);
  const model = columnByIndex(walk, O.entPhysicalModelName, gaps, 'entPhysicalModelName', text);
  const serial = columnByIndex(walk, O.entPhysicalSerialNum, gaps, 'entPhysicalSerialNum', text);
  const chassisRows = [...cls].filter(([, c]) => c === CLASS_CHASSIS).map(([i]) => i).sort(byNumber);
  const box = cls.size > 0 ? chassisRows[0] : [...new Set([...model.keys(), ...serial.keys()])].sort(byNumber)[0];
  const trimmed = (m: ReadonlyMap<number, string>, i: number | undefined) => (i === undefined ? '' : (m.get(i) ?? '').trim());
  const memberOfPort = new Map<number, number>();
  if (chassisRows.length === 0) return { model: trimmed(model, box), serial: trimmed(serial, box), stackMembers: [], memberOfPort };

  const name = columnByIndex(walk, O.entPhysicalName, gaps, 'entPhysicalName', text);
  const relPos = columnByIndex(walk, O.entPhysicalParentRelPos, gaps, 'entPhysicalParentRelPos', int);
  const containedIn = columnByIndex(walk, O.entPhysicalContainedIn, gaps, 'entPhysicalContainedIn', uint32);
  const stackMembers: StackMember[] = chassisRows.map((index) => {
    const pos = relPos.get(index);
    return { index, name: trimmed(name, index), model: trimmed(model, index), serial: trimmed(serial, index), position: pos !== undefined && pos >= 0 ? pos : null };
  });

  // Each entity's nearest chassis and how many containment levels up it is (null: none, a dead end or a loop),
  // found once: a port more than MAX_DEPTH levels below its chassis is "unknown" whatever order ports come in.
  const chassis = new Set(chassisRows);
  const found = new Map<number, { member: number; distance: number } | null>();
  const chassisOf = (start: number): number | null => {
    const path: number[] = [];
    const onPath = new Set<number>();
    let at: number | undefined = start;
    let end: { member: number; distance: number } | null = null;
    while (at !== undefined && at !== 0 && !onPath.has(at) && path.length <= containedIn.size) {
      const known = found.get(at);
      if (known !== undefined) {
        end = known;
        break;
      }
      if (chassis.has(at)) {
        end = { member: at, distance: 0 };
        found.set(at, end);
        break;
      }
      path.push(at);
      onPath.add(at);
      at = containedIn.get(at);
    }
    for (let i = path.length - 1, d = 1; i >= 0; i--, d++) found.set(path[i]!, end === null ? null : { member: end.member, distance: end.distance + d });
    const result = found.get(start) ?? null;
    return result !== null && result.distance <= MAX_DEPTH ? result.member : null;
  };

  const prefix = O.ifIndexColumn + '.';
  for (const { index, vb } of column(walk, O.entAliasMappingIdentifier, gaps, 'entAliasMappingIdentifier')) {
    const target = oidValue(vb);
    if (index.length !== 2 || target === null) {
      gaps.skip('entAliasMappingIdentifier', target === null ? 'wrong type' : 'index is not {entPhysicalIndex, logicalIndex}', index);
      continue;
    }
    // Other aliases (a logical entity, a non-ifTable row pointer) say nothing about ports.
    if (!target.startsWith(prefix)) continue;
    const ifIndex = Number(target.slice(prefix.length));
    if (!Number.isSafeInteger(ifIndex) || ifIndex <= 0 || memberOfPort.has(ifIndex)) continue;
    const member = chassisOf(index[0]!);
    if (member !== null) memberOfPort.set(ifIndex, member);
  }
  return { model: trimmed(model, box), serial: trimmed(serial, box), stackMembers, memberOfPort };
}
