/**
 * walkSubtrees against the in-process responder on loopback: what a walk returns (each subtree to its end,
 * in OID order, values in the Varbind shapes), how it asks (GetBulk, GetNext for v1, several subtrees in
 * flight on one session) and each guard (tooBig ladder, non-increasing OIDs, varbind cap, deadline, abort,
 * a device that fails as a whole). Faults that need a second device or a lossy link are in
 * test/integration/snmp-faults.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpFailure, type SnmpTarget } from '../../../../src-main/drivers/snmp/session';
import { compareOids, walkSubtrees } from '../../../../src-main/drivers/snmp/walker';
import { startSnmpResponder, type SnmpResponder } from '../../../../src-main/simulators/snmp';
import { bigTableSnmprec } from '../../../../src-main/simulators/snmp/synthetic';

const ROOT = resolve(__dirname, '../../../..');
const PROCURVE = readFileSync(join(ROOT, 'test/fixtures/snmp/procurve.snmprec'), 'utf8');
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const IF_HC_IN = '1.3.6.1.2.1.31.1.1.1.6';
const SYSTEM = '1.3.6.1.2.1.1';
const FDB_PORT = '1.3.6.1.2.1.17.7.1.2.2.1.2';

/** The recording's lines under a root, as [oid, tag, value] (the fixture has no repeats under these roots). */
function linesUnder(root: string): string[][] {
  return PROCURVE.split('\n')
    .map((l) => l.trim().split('|'))
    .filter((p) => p[0]!.startsWith(`${root}.`))
    .sort((a, b) => compareOids(a[0]!, b[0]!));
}

describe('walkSubtrees', () => {
  let responder: SnmpResponder;
  let target: SnmpTarget;
  const fresh = () => responder.stats();

  beforeAll(async () => {
    responder = await startSnmpResponder({ recordings: { procurve: PROCURVE, big: bigTableSnmprec(FDB_PORT, 3_000) } });
    target = { host: '127.0.0.1', port: responder.port, version: 'v2c', community: 'procurve', timeoutMs: 1_000, retries: 0 };
  });

  afterAll(async () => {
    await responder.close();
  });

  it('compares OIDs arc by arc, as numbers', () => {
    expect(compareOids('1.3.6.1.2.1.2', '1.3.6.1.2.1.10')).toBe(-1);
    expect(compareOids('1.3.6.1.2.1.2.1', '1.3.6.1.2.1.2')).toBe(1);
    expect(compareOids('1.3.6', '1.3.6')).toBe(0);
    expect(compareOids('1.3.6.1', '1.3.6.1.0')).toBe(-1);
    expect(compareOids('1.3.6.1.9', '1.3.6.1.10')).toBe(-1);
    // Against the plain definition on random pairs (seeded), many sharing a prefix.
    const byDefinition = (a: string, b: string) => {
      const x = a.split('.').map(Number);
      const y = b.split('.').map(Number);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return Math.sign(x.length - y.length);
    };
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const oid = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => String(Math.floor(random() < 0.5 ? random() * 3 : random() * 2000))).join('.');
    for (let k = 0; k < 20_000; k++) {
      const a = oid();
      const b = random() < 0.3 ? `${a}.${oid()}` : random() < 0.2 ? a : oid();
      expect(compareOids(a, b), `${a} vs ${b}`).toBe(byDefinition(a, b));
      expect(compareOids(b, a), `${b} vs ${a}`).toBe(byDefinition(b, a));
    }
  });

  it('reads each subtree to its end and no further, in OID order, with the recording’s values', async () => {
    const result = await walkSubtrees(target, [IF_DESCR, SYSTEM]);
    expect([...result.walk.keys()]).toEqual([IF_DESCR, SYSTEM]); // the caller's order
    const descr = result.walk.get(IF_DESCR)!;
    expect(descr.map((v) => [v.oid, String(v.value)])).toEqual(linesUnder(IF_DESCR).map(([oid, , value]) => [oid, value]));
    expect(result.walk.get(SYSTEM)!.map((v) => v.oid)).toEqual(linesUnder(SYSTEM).map(([oid]) => oid));
    expect(result.gaps).toEqual([]);
    expect(result.varbinds).toBe(descr.length + result.walk.get(SYSTEM)!.length);
  });

  it('hands over values in the Varbind shapes: Buffer, number, bigint for Counter64, dotted strings for OIDs', async () => {
    const { walk } = await walkSubtrees(target, [IF_HC_IN, SYSTEM]);
    const hc = walk.get(IF_HC_IN)!;
    expect(hc.length).toBeGreaterThan(0);
    const [oid, , value] = linesUnder(IF_HC_IN)[0]!;
    expect(hc[0]).toEqual({ oid, type: 70, value: BigInt(value!) });
    const system = new Map(walk.get(SYSTEM)!.map((v) => [v.oid, v]));
    expect(system.get('1.3.6.1.2.1.1.1.0')).toMatchObject({ type: 4, value: Buffer.from('HP Stack, revision KA.00.00.0000') });
    expect(system.get('1.3.6.1.2.1.1.2.0')).toMatchObject({ type: 6, value: expect.stringMatching(/^1\.3\.6\.1\.4\.1\.11\./) });
    expect(system.get('1.3.6.1.2.1.1.3.0')).toMatchObject({ type: 67, value: expect.any(Number) });
  });

  it('gives an empty list, not a gap, for a table the agent does not have', async () => {
    const result = await walkSubtrees(target, ['1.3.111.2.802.1.1.13.1.4.1.1']);
    expect(result.walk.get('1.3.111.2.802.1.1.13.1.4.1.1')).toEqual([]);
    expect(result.gaps).toEqual([]);
  });

  it('uses GetBulk with 25 repetitions for v2c, GetNext for v1 (where Counter64 does not exist)', async () => {
    const before = fresh().requests;
    const bulk = await walkSubtrees(target, [IF_DESCR]);
    const afterBulk = fresh().requests;
    expect(afterBulk.getBulk - before.getBulk).toBe(bulk.requests);
    expect(bulk.requests).toBe(Math.floor(bulk.varbinds / 25) + 1);
    const v1 = await walkSubtrees({ ...target, version: 'v1' }, [IF_DESCR, IF_HC_IN]);
    expect(fresh().requests.getNext - afterBulk.getNext).toBe(v1.requests);
    expect(v1.walk.get(IF_DESCR)!.length).toBe(bulk.varbinds);
    expect(v1.walk.get(IF_HC_IN)).toEqual([]);
    expect(v1.requests).toBe(bulk.varbinds + 2);
  });

  it('has several subtrees in flight on one session (concurrency), and only as many as asked', async () => {
    const roots = [IF_DESCR, SYSTEM, IF_HC_IN, '1.3.6.1.2.1.2.2.1.3', '1.3.6.1.2.1.2.2.1.5', '1.3.6.1.2.1.2.2.1.7'];
    responder.fault('slow', { delayMs: 400 });
    try {
      for (const concurrency of [4, 1]) {
        const before = fresh().requests.getBulk;
        const walking = walkSubtrees({ ...target, timeoutMs: 5_000 }, roots, { concurrency });
        await new Promise((r) => setTimeout(r, 150)); // every first request sent, none answered yet
        expect(fresh().requests.getBulk - before).toBe(concurrency);
        responder.fault(null);
        expect((await walking).gaps).toEqual([]);
        responder.fault('slow', { delayMs: 400 });
      }
    } finally {
      responder.fault(null);
    }
  });

  it('steps down on tooBig: 25 → 10 repetitions, then GetNext, and still reads everything', async () => {
    const reference = await walkSubtrees(target, [IF_DESCR]);
    for (const maxVarbinds of [10, 1]) {
      responder.fault('too-big', { maxVarbinds });
      try {
        const before = fresh().requests;
        const result = await walkSubtrees(target, [IF_DESCR]);
        expect(result.gaps).toEqual([]);
        expect(result.walk.get(IF_DESCR)).toEqual(reference.walk.get(IF_DESCR));
        const after = fresh().requests;
        if (maxVarbinds === 10) expect(after.getNext - before.getNext).toBe(0);
        else expect(after.getNext - before.getNext).toBe(reference.varbinds + 1);
      } finally {
        responder.fault(null);
      }
    }
  });

  it('an agent that says tooBig even to GetNext gives a too-big failure', async () => {
    responder.fault('too-big', { maxVarbinds: 0 });
    try {
      await expect(walkSubtrees(target, [IF_DESCR, SYSTEM])).rejects.toMatchObject({ kind: 'too-big', message: expect.stringMatching(/tooBig even for a single GetNext/) });
    } finally {
      responder.fault(null);
    }
  });

  it.each(['repeat', 'backwards'] as const)('stops an agent whose OIDs do not increase (%s) with a loop failure, not an endless walk', async (mode) => {
    responder.fault('non-increasing', { mode });
    try {
      const before = fresh().requests.getBulk;
      const error = await walkSubtrees(target, [IF_DESCR]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SnmpFailure);
      expect(error).toMatchObject({ kind: 'loop' });
      expect(fresh().requests.getBulk - before).toBeLessThanOrEqual(2);
    } finally {
      responder.fault(null);
    }
  });

  it('caps a runaway table: too-many for that subtree, the others still read', async () => {
    const big = { ...target, community: 'big' };
    const result = await walkSubtrees(big, [FDB_PORT, SYSTEM], { maxVarbindsPerSubtree: 1_000 });
    expect(result.walk.has(FDB_PORT)).toBe(false);
    expect(result.walk.get(SYSTEM)).toHaveLength(1);
    expect(result.gaps).toEqual([expect.stringMatching(new RegExp(`^${FDB_PORT.replace(/\./g, '\\.')}: too-many: .*more than 1000 varbinds`))]);
    const uncapped = await walkSubtrees(big, [FDB_PORT]);
    expect(uncapped.walk.get(FDB_PORT)).toHaveLength(3_000);
  });

  it('a deadline ends the walk: subtrees not done are gaps, or a timeout when none was', async () => {
    responder.fault('slow', { delayMs: 300 });
    try {
      const error = await walkSubtrees({ ...target, timeoutMs: 5_000 }, [IF_DESCR, SYSTEM], { deadlineMs: 100 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/deadline of 100 ms passed/) });
    } finally {
      responder.fault(null);
    }
    responder.fault('slow', { delayMs: 150 });
    try {
      // SYSTEM takes one round trip, ifDescr several: the deadline falls between.
      const result = await walkSubtrees({ ...target, timeoutMs: 5_000 }, [SYSTEM, IF_DESCR], { deadlineMs: 250 });
      expect(result.walk.has(SYSTEM)).toBe(true);
      expect(result.gaps).toEqual([expect.stringMatching(/^1\.3\.6\.1\.2\.1\.2\.2\.1\.2: timeout: .*deadline of 250 ms passed/)]);
    } finally {
      responder.fault(null);
    }
  });

  it('an abort signal cancels the walk with a closed failure', async () => {
    responder.fault('slow', { delayMs: 1_000 });
    try {
      const controller = new AbortController();
      const walking = walkSubtrees({ ...target, timeoutMs: 5_000 }, [IF_DESCR, SYSTEM], { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(walking).rejects.toMatchObject({ kind: 'closed', message: expect.stringMatching(/cancelled/) });
      await expect(walkSubtrees(target, [SYSTEM], { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'closed' });
    } finally {
      responder.fault(null);
    }
  });

  it('a silent device is one timeout failure after one window, not one per subtree', async () => {
    responder.fault('silent');
    try {
      const started = performance.now();
      const error = await walkSubtrees({ ...target, timeoutMs: 300, retries: 1 }, [IF_DESCR, SYSTEM, IF_HC_IN, '1.3.6.1.2.1.2.2.1.3', '1.3.6.1.2.1.2.2.1.5', '1.3.6.1.2.1.2.2.1.7'], {
        concurrency: 2,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^127\.0\.0\.1:\d+ \(SNMPv2c\): no answer within 2 × 300 ms$/) });
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      responder.fault(null);
    }
  });

  it('an unknown host is unreachable', async () => {
    await expect(walkSubtrees({ ...target, host: 'no-such-host.invalid' }, [SYSTEM])).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('refuses bad targets, options and roots before sending anything', async () => {
    await expect(walkSubtrees({ ...target, port: 0 }, [SYSTEM])).rejects.toThrow(RangeError);
    await expect(walkSubtrees({ ...target, version: 'v3' }, [SYSTEM])).rejects.toThrow(/needs a user/);
    await expect(walkSubtrees({ ...target, version: 'v3', v3: { user: 'u', level: 'authPriv', authProtocol: 'sha', authKey: 'short' } }, [SYSTEM])).rejects.toThrow(/at least 8/);
    await expect(walkSubtrees(target, ['ifDescr'])).rejects.toThrow(/not a numeric OID/);
    await expect(walkSubtrees(target, [SYSTEM], { concurrency: 0 })).rejects.toThrow(RangeError);
    await expect(walkSubtrees(target, [SYSTEM], { maxRepetitions: 5_000 })).rejects.toThrow(RangeError);
  });

  it('accepts a leading dot and walks a repeated root once', async () => {
    const result = await walkSubtrees(target, [`.${SYSTEM}`, SYSTEM]);
    expect([...result.walk.keys()]).toEqual([SYSTEM]);
  });
});
