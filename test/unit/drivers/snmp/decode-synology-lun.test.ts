/**
 * SYNOLOGY-ISCSILUN-MIB: the NAS's iSCSI LUNs with throughput, IOPS and queue depth in NasHealth — proved on
 * the hand-made test/fixtures/snmp/handmade-synology-iscsi-lun.snmprec (written from the MIB text: no public
 * recording has this table), then on that walk with values broken one at a time, cut at the bound, and
 * mutated at random (seeded).
 */
import { describe, expect, it } from 'vitest';
import { DECODER_FAILED, decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { unsignedHalf } from '../../../../src-main/drivers/snmp/decode/synology-lun';
import * as O from '../../../../src-main/drivers/snmp/oids';
import type { Varbind, Walk } from '../../../../src-main/drivers/snmp/varbinds';
import { switchView } from '../../../../src-main/domain/health/switch-view';
import type { NasLunIo } from '../../../../src-main/domain/model/switches';
import { prng } from '../../helpers/prng';
import { loadWalk, parseSnmprec, readRecording, walkOf } from './snmprec';

const FIXTURE = 'handmade-synology-iscsi-lun';
const LUN = '1.3.6.1.4.1.6574.104.1.1';

/** The fixture with some of its lines replaced (by OID) or added: one broken value per case. */
function variant(changes: Record<string, string | null>, extra: string[] = []): Walk {
  const lines = readRecording(FIXTURE)
    .filter((vb) => changes[vb.oid] !== null)
    .map((vb) => (vb.oid in changes ? { ...parseSnmprec(`${vb.oid}|${changes[vb.oid]}`)[0]! } : vb));
  return walkOf([...lines, ...parseSnmprec(extra.join('\n'))]);
}

const EXPECTED: NasLunIo[] = [
  { name: 'xen-ha-heartbeat', uuid: '3f2a6c1e-0b5d-4c8e-9a71-2d4e6f8a0b10', type: 'BLUN', readThroughput: 0, writeThroughput: 4096, readIops: 0, writeIops: 1, queueDepth: 0 },
  { name: 'xen-vm-store', uuid: '8b1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e', type: 'BLUN', readThroughput: 48234496, writeThroughput: 12582912, readIops: 1180, writeIops: 310, queueDepth: 3 },
  // High half 1 → 2³² + 5; a low half of 3,000,000,000 sent as the Integer32 -1294967296.
  { name: 'backup-staging', uuid: 'c5e7f9a1-b3d5-4e7f-a1c3-e5f7a9b1c3d5', type: 'FILE', readThroughput: 4294967301, writeThroughput: 3000000000, readIops: 8192, writeIops: 23000, queueDepth: 0 },
];

describe('the iSCSI LUN table of the hand-made Synology walk', () => {
  const walk = loadWalk(FIXTURE);
  const obs = decodeObservation(walk, 'now');

  it('is walked: SYNOLOGY-ISCSILUN-MIB is one of WALK_ROOTS and holds the 54 cells of the table (3 LUNs × 18 readable columns)', () => {
    expect(O.WALK_ROOTS).toContain(O.synoIscsiLun);
    expect(walk.get(O.synoIscsiLun)).toHaveLength(54);
  });

  it('decodes every LUN in index order: name, UUID, type, both throughputs from their halves, IOPS, queue depth', () => {
    expect(obs.nas?.luns).toEqual(EXPECTED);
    expect(obs.gaps).toEqual([]);
  });

  it('the rest of the NAS health is read beside it (system group of SYNOLOGY-SYSTEM-MIB, no disks or RAID in this walk)', () => {
    expect(obs.nas).toMatchObject({ system: 'normal', temperatureC: 38, power: 'normal', fans: 'normal', model: 'RS820+', version: 'DSM 7.1.1-42962', disks: [], raids: [] });
  });

  it('the view the store keeps and the page shows carries the LUNs unchanged and survives JSON', () => {
    const view = switchView(obs, new Map(), new Map());
    expect(JSON.parse(JSON.stringify(view.nas)).luns).toEqual(EXPECTED);
  });

  it('a LUN table alone is enough to make NAS health; a NAS without one has no LUNs (the real dsm recording)', () => {
    const onlyLuns = decodeObservation(walkOf(readRecording(FIXTURE).filter((vb) => vb.oid.startsWith(`${LUN}.`))), 'now');
    expect(onlyLuns.nas).toMatchObject({ system: 'unknown', model: '', luns: EXPECTED });
    const dsm = decodeObservation(loadWalk('dsm'), 'now');
    expect(dsm.nas?.luns).toEqual([]);
    expect(dsm.gaps).toEqual([]);
  });
});

describe('throughput halves', () => {
  const vb = (value: Varbind['value'], type = 2): Varbind => ({ oid: `${LUN}.5.0`, type, value });
  it('each half is the 32 bits it carries: a negative Integer32 is its unsigned value; beyond 32 bits or not a number is nothing', () => {
    expect(unsignedHalf(vb(0))).toBe(0);
    expect(unsignedHalf(vb(2147483647))).toBe(2147483647);
    expect(unsignedHalf(vb(-2147483648))).toBe(2147483648);
    expect(unsignedHalf(vb(-1))).toBe(4294967295);
    expect(unsignedHalf(vb(4294967295, 66))).toBe(4294967295); // an agent sending it as Gauge32
    expect(unsignedHalf(vb(4294967296))).toBeNull();
    expect(unsignedHalf(vb(-2147483649))).toBeNull();
    expect(unsignedHalf(vb(Buffer.from('12'), 4))).toBeNull();
    expect(unsignedHalf(vb(0.5))).toBeNull();
  });

  it('a missing half makes the throughput unknown, without a gap (an absent cell is not a broken one)', () => {
    const obs = decodeObservation(variant({ [`${LUN}.4.1`]: null, [`${LUN}.7.2`]: null }), 'now');
    expect(obs.nas!.luns.map((l) => [l.readThroughput, l.writeThroughput])).toEqual([[0, 4096], [null, 12582912], [4294967301, null]]);
    expect(obs.gaps).toEqual([]);
  });

  it('a sum beyond 2^53 is skipped into a gap, not rounded', () => {
    const obs = decodeObservation(variant({ [`${LUN}.4.2`]: '2|2097152' }), 'now'); // 2²¹ · 2³² = 2⁵³
    expect(obs.nas!.luns[2]!.readThroughput).toBeNull();
    expect(obs.gaps).toEqual(['iSCSILUNThroughputRead: 1 value skipped (beyond 2^53), first at .2']);
    const justBelow = decodeObservation(variant({ [`${LUN}.4.2`]: '2|2097151', [`${LUN}.5.2`]: '2|-1' }), 'now');
    expect(justBelow.nas!.luns[2]!.readThroughput).toBe(Number.MAX_SAFE_INTEGER);
    expect(justBelow.gaps).toEqual([]);
  });
});

describe('broken values are skipped and counted in gaps, never thrown', () => {
  it('a value of the wrong type leaves that field empty and says which object and where', () => {
    const obs = decodeObservation(
      variant({
        [`${LUN}.3.1`]: '2|7', // a name that is a number
        [`${LUN}.5.0`]: '4|fast', // a throughput half that is text
        [`${LUN}.8.1`]: '2|-3', // negative IOPS
        [`${LUN}.16.2`]: '6|1.3.6.1', // a queue depth that is an OID
        [`${LUN}.17.0`]: '2|1', // a type that is a number
      }),
      'now',
    );
    const luns = obs.nas!.luns;
    expect(luns.map((l) => l.uuid)).toEqual(EXPECTED.map((l) => l.uuid)); // the row stays: its UUID names it
    expect(luns[1]!.name).toBe('');
    expect(luns[0]!.readThroughput).toBeNull();
    expect(luns[0]!.type).toBe('');
    expect(luns[1]!.readIops).toBeNull();
    expect(luns[2]!.queueDepth).toBeNull();
    expect(obs.gaps.sort()).toEqual([
      'iSCSILUNIopsRead: 1 value skipped (wrong type or malformed value), first at .1',
      'iSCSILUNName: 1 value skipped (wrong type or malformed value), first at .1',
      'iSCSILUNQueueDepth: 1 value skipped (wrong type or malformed value), first at .2',
      'iSCSILUNThroughputReadLow: 1 value skipped (wrong type or malformed value), first at .0',
      'iSCSILUNType: 1 value skipped (wrong type or malformed value), first at .0',
    ]);
  });

  it('an index that is not one number is skipped; a row with neither UUID nor name is not a LUN', () => {
    const obs = decodeObservation(variant({}, [`${LUN}.3.7.1|4|two-part index`, `${LUN}.8.9|2|5`]), 'now');
    expect(obs.nas!.luns).toEqual(EXPECTED);
    expect(obs.gaps).toEqual(['iSCSILUNName: 1 value skipped (index is not a single number), first at .7.1']);
  });

  it('names and types are trimmed, and text longer than the bound is cut', () => {
    const obs = decodeObservation(variant({ [`${LUN}.3.0`]: `4|  ${'x'.repeat(10_000)}`, [`${LUN}.17.1`]: '4| BLUN ' }), 'now');
    expect(obs.nas!.luns[0]!.name).toBe('x'.repeat(4094)); // 4096 characters kept, the two leading spaces trimmed
    expect(obs.nas!.luns[1]!.type).toBe('BLUN');
  });
});

describe('bounds and fuzz', () => {
  it('250,000 LUN rows are cut at the column bound and noted, in bounded time', () => {
    const names: Varbind[] = Array.from({ length: 250_000 }, (_, i) => ({ oid: `${O.iSCSILUNName}.${i}`, type: 4, value: Buffer.from(`lun-${i}`) }));
    const t0 = performance.now();
    const obs = decodeObservation(new Map([[O.synoIscsiLun, names]]), 'now');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(obs.nas!.luns).toHaveLength(100_000);
    expect(obs.gaps).toEqual(['iSCSILUNName: more than 100000 rows; the rest were not read']);
  });

  it('300 seeded mutations of the LUN walk decode without a decoder failing, into well-formed LUNs', () => {
    const base = readRecording(FIXTURE);
    const r = prng(104);
    const values: Varbind['value'][] = [null, -1, -(2 ** 31), 2 ** 32, 2 ** 53, Number.NaN, 0.5, 10n ** 30n, -5n, '', 'x', Buffer.alloc(0), Buffer.from([0xff, 0xfe, 0x00]), Buffer.alloc(9, 0xff)];
    for (let i = 0; i < 300; i++) {
      const mutated: Varbind[] = [];
      for (const vb of base) {
        if (!r.chance(0.3)) mutated.push(vb);
        else if (r.chance(0.2)) continue; // dropped
        else if (r.chance(0.2)) mutated.push(vb, vb); // repeated
        else if (r.chance(0.2)) mutated.push({ ...vb, oid: `${vb.oid}.${r.int(0, 4294967295)}` });
        else mutated.push({ ...vb, type: r.pick([2, 4, 5, 6, 65, 66, 70]), value: r.pick(values) });
      }
      if (r.chance(0.1)) mutated.reverse();
      const obs = decodeObservation(walkOf(mutated), 'now');
      expect(obs.gaps.filter((g) => g.includes(DECODER_FAILED))).toEqual([]);
      for (const lun of obs.nas?.luns ?? []) {
        expect(typeof lun.name === 'string' && typeof lun.uuid === 'string' && typeof lun.type === 'string').toBe(true);
        for (const n of [lun.readThroughput, lun.writeThroughput, lun.readIops, lun.writeIops, lun.queueDepth]) {
          expect(n === null || (Number.isSafeInteger(n) && n >= 0)).toBe(true);
        }
      }
    }
  });
});
