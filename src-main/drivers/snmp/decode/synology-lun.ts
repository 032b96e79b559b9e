/**
 * SYNOLOGY-ISCSILUN-MIB iSCSILUNTable → the NAS's LUNs with their throughput, IOPS and queue depth
 * (columns and sources in ../oids.ts). One row per iSCSILUNInfoIndex that has a UUID or a name, in index order.
 *
 * Throughput comes as two Integer32 halves of one 64-bit figure; the MIB calls the low half "unsigned 32
 * bit", so an agent sends a low half of 2³¹ or more as a negative Integer32: each half is taken as the 32
 * bits it carries. A sum beyond 2⁵³ (no LUN moves 9 PB a second) is skipped as a gap rather than rounded.
 */
import type { NasLunIo } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, MAX_SUBID, byNumber, columnByIndex, int, text, uint32 } from './values';

const TWO_32 = 2 ** 32;

/** An Integer32 half as the unsigned 32 bits it carries (-1 → 4294967295); null for another type or beyond 32 bits. */
export function unsignedHalf(vb: Varbind): number | null {
  const n = int(vb);
  if (n === null || n < -(2 ** 31) || n > MAX_SUBID) return null;
  return n < 0 ? n + TWO_32 : n;
}

export function decodeIscsiLuns(walk: Walk, gaps: Gaps): NasLunIo[] {
  const col = <T>(oid: string, name: string, read: (vb: Varbind) => T | null) => columnByIndex(walk, oid, gaps, name, read);
  const uuid = col(O.iSCSILUNUUID, 'iSCSILUNUUID', text);
  const name = col(O.iSCSILUNName, 'iSCSILUNName', text);
  const type = col(O.iSCSILUNType, 'iSCSILUNType', text);
  const readHigh = col(O.iSCSILUNThroughputReadHigh, 'iSCSILUNThroughputReadHigh', unsignedHalf);
  const readLow = col(O.iSCSILUNThroughputReadLow, 'iSCSILUNThroughputReadLow', unsignedHalf);
  const writeHigh = col(O.iSCSILUNThroughputWriteHigh, 'iSCSILUNThroughputWriteHigh', unsignedHalf);
  const writeLow = col(O.iSCSILUNThroughputWriteLow, 'iSCSILUNThroughputWriteLow', unsignedHalf);
  // A count of operations or commands is never negative: a negative one is a broken value, skipped.
  const readIops = col(O.iSCSILUNIopsRead, 'iSCSILUNIopsRead', uint32);
  const writeIops = col(O.iSCSILUNIopsWrite, 'iSCSILUNIopsWrite', uint32);
  const queueDepth = col(O.iSCSILUNQueueDepth, 'iSCSILUNQueueDepth', uint32);

  const joined = (object: string, high: ReadonlyMap<number, number>, low: ReadonlyMap<number, number>, index: number): number | null => {
    const h = high.get(index);
    const l = low.get(index);
    if (h === undefined || l === undefined) return null;
    const sum = h * TWO_32 + l;
    if (sum > Number.MAX_SAFE_INTEGER) {
      gaps.skip(object, 'beyond 2^53', [index]);
      return null;
    }
    return sum;
  };

  const indexes = [...new Set([...uuid.keys(), ...name.keys()])].sort(byNumber);
  return indexes.map((i) => ({
    name: (name.get(i) ?? '').trim(),
    uuid: (uuid.get(i) ?? '').trim(),
    type: (type.get(i) ?? '').trim(),
    readThroughput: joined('iSCSILUNThroughputRead', readHigh, readLow, i),
    writeThroughput: joined('iSCSILUNThroughputWrite', writeHigh, writeLow, i),
    readIops: readIops.get(i) ?? null,
    writeIops: writeIops.get(i) ?? null,
    queueDepth: queueDepth.get(i) ?? null,
  }));
}
