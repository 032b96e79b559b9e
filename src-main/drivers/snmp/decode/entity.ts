/**
 * ENTITY-MIB entPhysicalTable → the chassis model and serial: the lowest-numbered row of class chassis(3)
 * (a stack lists its members as chassis rows under a stack(11) row; the first member names the box). When
 * the agent reports no entPhysicalClass at all, the lowest-numbered row stands in for the chassis.
 */
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, byNumber, columnByIndex, int, text } from './values';

const CLASS_CHASSIS = 3;

export function decodeEntity(walk: Walk, gaps: Gaps): { model: string; serial: string } {
  const cls = columnByIndex(walk, O.entPhysicalClass, gaps, 'entPhysicalClass', int);
  const model = columnByIndex(walk, O.entPhysicalModelName, gaps, 'entPhysicalModelName', text);
  const serial = columnByIndex(walk, O.entPhysicalSerialNum, gaps, 'entPhysicalSerialNum', text);
  let chassis: number | undefined;
  if (cls.size > 0) {
    chassis = [...cls].filter(([, c]) => c === CLASS_CHASSIS).map(([i]) => i).sort(byNumber)[0];
  } else {
    chassis = [...new Set([...model.keys(), ...serial.keys()])].sort(byNumber)[0];
  }
  if (chassis === undefined) return { model: '', serial: '' };
  return { model: (model.get(chassis) ?? '').trim(), serial: (serial.get(chassis) ?? '').trim() };
}
