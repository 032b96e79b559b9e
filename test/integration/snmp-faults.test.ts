/**
 * Bad agents and a bad network, through the whole poll (walk + decode): the in-process responder's faults
 * (silent, slow, looping, garbage, truncated, tooBig), a generated 100k-row table against the varbind cap, and
 * 30% seeded loss through the lossy link. Each must end in a clear SnmpFailure or a gap, never a crash or a
 * hang (and the lossy poll must come back whole, through retries), while a healthy switch polled at the same
 * time on its own responder comes back exactly as when polled alone.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchObservation } from '../../src-main/domain/model/switches';
import { pollSwitch } from '../../src-main/drivers/snmp/poll';
import { SnmpFailure, type SnmpTarget } from '../../src-main/drivers/snmp/session';
import { startSnmpResponder, type SnmpResponder } from '../../src-main/simulators/snmp';
import { startLossyLink, type LossyLink } from '../../src-main/simulators/snmp/proxy';
import { bigTableSnmprec } from '../../src-main/simulators/snmp/synthetic';

const ROOT = resolve(__dirname, '../..');
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/snmp', `${name}.snmprec`), 'utf8');
const FDB_PORT = '1.3.6.1.2.1.17.7.1.2.2.1.2';

describe('polls of misbehaving agents end in a clear status or gap, and leave a healthy poll alone', () => {
  let faulty: SnmpResponder;
  let healthy: SnmpResponder;
  let link: LossyLink;
  let healthyTarget: SnmpTarget;
  let baseline: SwitchObservation;
  const faultyTarget = (extra: Partial<SnmpTarget> = {}): SnmpTarget => ({ host: '127.0.0.1', port: faulty.port, version: 'v2c', community: 'procurve', timeoutMs: 400, retries: 1, ...extra });

  /** Polls the faulty device and the healthy one together; checks the healthy one; returns the faulty outcome. */
  async function alongside(poll: Promise<{ observation: SwitchObservation }>): Promise<SwitchObservation | SnmpFailure> {
    const [outcome, other] = await Promise.all([poll.then((r) => r.observation).catch((e: unknown) => e), pollSwitch(healthyTarget)]);
    expect(other.observation).toEqual({ ...baseline, observedAt: other.observation.observedAt });
    if (outcome instanceof SnmpFailure || 'observedAt' in (outcome as object)) return outcome as SwitchObservation | SnmpFailure;
    throw outcome; // anything else (a TypeError, a crash) fails the test as it is
  }

  beforeAll(async () => {
    faulty = await startSnmpResponder({ recordings: { procurve: fixture('procurve'), big: bigTableSnmprec(FDB_PORT, 100_000) } });
    healthy = await startSnmpResponder({ recordings: { 'dlink_dgs-1510-28': fixture('dlink_dgs-1510-28') } });
    link = await startLossyLink({ target: { host: '127.0.0.1', port: faulty.port }, loss: 0.3, delayMs: 1, seed: 2024 });
    healthyTarget = { host: '127.0.0.1', port: healthy.port, version: 'v2c', community: 'dlink_dgs-1510-28', timeoutMs: 2_000 };
    baseline = (await pollSwitch(healthyTarget)).observation;
    expect(baseline.ports.length).toBeGreaterThan(20);
    expect(baseline.gaps).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await link?.close();
    await faulty?.close();
    await healthy?.close();
  });

  it('the healthy procurve poll itself has ports and no gaps (the reference for what faults take away)', async () => {
    const { observation, stats } = await pollSwitch(faultyTarget());
    expect(observation.gaps).toEqual([]);
    expect(observation.ports.length).toBeGreaterThan(50);
    expect(stats.varbinds).toBeGreaterThan(1_000);
  });

  it('silent agent: a timeout failure', async () => {
    faulty.fault('silent');
    try {
      const outcome = await alongside(pollSwitch(faultyTarget()));
      expect(outcome).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no answer within 2 × 400 ms/) });
    } finally {
      faulty.fault(null);
    }
  });

  it('agent slower than the timeout: a timeout failure', async () => {
    faulty.fault('slow', { delayMs: 1_500 });
    try {
      expect(await alongside(pollSwitch(faultyTarget()))).toMatchObject({ kind: 'timeout' });
    } finally {
      faulty.fault(null);
    }
  });

  it.each(['repeat', 'backwards'] as const)('looping agent (%s): a loop gap for every table it has, the poll still returns', async (mode) => {
    faulty.fault('non-increasing', { mode });
    try {
      const outcome = await alongside(pollSwitch(faultyTarget()));
      expect(outcome).not.toBeInstanceOf(SnmpFailure);
      const gaps = (outcome as SwitchObservation).gaps;
      expect(gaps.length).toBeGreaterThan(10);
      expect(gaps.filter((g) => / loop: /.test(g))).toHaveLength(gaps.filter((g) => /^\d+(\.\d+)+: /.test(g)).length);
    } finally {
      faulty.fault(null);
    }
  });

  it.each(['garbage', 'truncated'] as const)('agent answering %s datagrams: a protocol failure that says so', async (kind) => {
    faulty.fault(kind);
    try {
      const outcome = await alongside(pollSwitch(faultyTarget()));
      expect(outcome).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/datagrams that are not SNMP|datagram cut short/) });
    } finally {
      faulty.fault(null);
    }
  });

  it('agent saying tooBig to everything: a too-big failure', async () => {
    faulty.fault('too-big', { maxVarbinds: 0 });
    try {
      expect(await alongside(pollSwitch(faultyTarget()))).toMatchObject({ kind: 'too-big' });
    } finally {
      faulty.fault(null);
    }
  });

  it('a 100,000-row MAC table: the cap holds, that table is a too-many gap, the rest is read', async () => {
    const outcome = await alongside(pollSwitch(faultyTarget({ community: 'big', timeoutMs: 2_000 }), { maxVarbindsPerSubtree: 20_000 }));
    const observation = outcome as SwitchObservation;
    expect(observation.system.name).toBe('big-table');
    expect(observation.gaps.filter((g) => g.startsWith(`${FDB_PORT}: `))).toEqual([expect.stringMatching(/too-many: .*more than 20000 varbinds/)]);
    expect(observation.fdb).toEqual([]);
  });

  // With 30% of datagrams lost each way a try gets through 0.7 × 0.7 = 49% of the time; 5 tries (retries 4) leave
  // 0.51⁵ ≈ 3.5% of the walker's requests unanswered, and a subtree becomes a gap only after 4 of those in a row at
  // one point (≈ 1.4e-6 each; the device is declared gone after 4 in a row session-wide, as unlikely). Over the
  // ~180 requests of a ProCurve poll that is about 1 in 4,000: the poll must come back whole and exact.
  it('30% loss each way: the poll completes through retries, every port and table equal to an undisturbed poll', async () => {
    const reference = (await pollSwitch(faultyTarget())).observation;
    expect(reference.gaps).toEqual([]);
    const before = link.stats();
    const outcome = await alongside(pollSwitch(faultyTarget({ port: link.port, timeoutMs: 100, retries: 4 })));
    const after = link.stats();
    expect(after.dropped - before.dropped).toBeGreaterThan(50); // the loss really happened
    expect(outcome).not.toBeInstanceOf(SnmpFailure);
    const observation = outcome as SwitchObservation;
    expect(observation.gaps).toEqual([]);
    expect(observation.ports).toHaveLength(78);
    expect(observation).toEqual({ ...reference, observedAt: observation.observedAt });
  }, 60_000);
});
