/**
 * Traffic samples for the sparklines (store/samples.ts, table port_samples of migration 003) in a real SQLite
 * file: written per poll, read back per port oldest first (the newest `limit`), trimmed past 24 h as the
 * collector writes, gone with their device; and the rates in them as the collector makes them, through
 * domain/health/switch-view.ts (portRates → switchView), with rates.ts's wrap and reset handling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/store/db';
import { deleteDevice, insertDevice } from '../../../src-main/store/devices';
import { addPortSamples, recentPortSamples, type PortSample } from '../../../src-main/store/samples';
import { portRates, rateSamples, switchView, type PortCounters } from '../../../src-main/domain/health/switch-view';
import type { SnmpPort, SwitchObservation } from '../../../src-main/domain/model/switches';
import { tempDirs } from '../helpers/temp-dir';

const dirs = tempDirs();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  dirs.cleanup();
});

function freshDb(): Db {
  const db = openDatabase(join(dirs.make(), 'labwarden.db'));
  open.push(db);
  return db;
}

const device = (db: Db, name: string) =>
  insertDevice(db, { name, kind: 'switch', address: '10.0.0.2', vendor: '', model: '', location: '', notes: '', memberOf: null, stack: '', snmp: null, xenapi: null, dsm: null });

const T0 = Date.parse('2026-11-25T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const sample = (ifIndex: number, atMs: number, inBps: number | null, outBps: number | null = inBps === null ? null : inBps / 2): PortSample => ({ ifIndex, at: iso(atMs), inBps, outBps });
const rows = (db: Db) => (db.prepare('SELECT COUNT(*) AS n FROM port_samples').get() as { n: number }).n;

describe('port samples in the store', () => {
  it('are written per poll and read back per port, oldest first, whatever order the polls were written in', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    // Three polls a minute apart, written out of order; port 2 has no rate at the second poll (a reset).
    addPortSamples(db, sw, [sample(1, T0 + 120_000, 3_000), sample(2, T0 + 120_000, 30)], new Date(T0 + 120_000));
    addPortSamples(db, sw, [sample(1, T0, 1_000), sample(2, T0, 10)], new Date(T0 + 120_000));
    addPortSamples(db, sw, [sample(1, T0 + 60_000, 2_000), sample(2, T0 + 60_000, null)], new Date(T0 + 120_000));
    const read = recentPortSamples(db, sw);
    expect([...read.keys()]).toEqual([1, 2]);
    expect(read.get(1)).toEqual([sample(1, T0, 1_000), sample(1, T0 + 60_000, 2_000), sample(1, T0 + 120_000, 3_000)]);
    expect(read.get(2)).toEqual([sample(2, T0, 10), sample(2, T0 + 60_000, null), sample(2, T0 + 120_000, 30)]);
  });

  it("keep the newest `limit` per port, and one device's samples apart from another's", () => {
    const db = freshDb();
    const a = device(db, 'sw-a');
    const b = device(db, 'sw-b');
    for (let i = 0; i < 40; i++) addPortSamples(db, a, [sample(7, T0 + i * 60_000, i)], new Date(T0 + i * 60_000));
    addPortSamples(db, b, [sample(7, T0, 999)], new Date(T0));
    const newest = recentPortSamples(db, a).get(7)!;
    expect(newest.map((s) => s.inBps)).toEqual(Array.from({ length: 30 }, (_, i) => i + 10)); // default limit 30
    expect(recentPortSamples(db, a, 3).get(7)!.map((s) => s.inBps)).toEqual([37, 38, 39]);
    expect(recentPortSamples(db, b).get(7)).toEqual([sample(7, T0, 999)]);
    expect(recentPortSamples(db, 12345).size).toBe(0);
  });

  it('a poll written again at the same time replaces its sample', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    addPortSamples(db, sw, [sample(1, T0, 1_000)], new Date(T0));
    addPortSamples(db, sw, [sample(1, T0, 4_000)], new Date(T0));
    expect(recentPortSamples(db, sw).get(1)).toEqual([sample(1, T0, 4_000)]);
  });

  it('are trimmed past 24 h as a poll is written: exactly a day old stays, older goes, other devices untouched', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    const other = device(db, 'sw2');
    const DAY = 24 * 3600 * 1000;
    addPortSamples(db, other, [sample(1, T0 - 2 * DAY, 5)], new Date(T0 - 2 * DAY));
    addPortSamples(db, sw, [sample(1, T0 - DAY - 1, 1), sample(1, T0 - DAY, 2), sample(1, T0 - DAY + 1, 3)], new Date(T0 - DAY));
    expect(recentPortSamples(db, sw).get(1)!.map((s) => s.inBps)).toEqual([1, 2, 3]); // nothing past a day at that time
    addPortSamples(db, sw, [sample(1, T0, 4)], new Date(T0));
    expect(recentPortSamples(db, sw).get(1)!.map((s) => s.inBps)).toEqual([2, 3, 4]);
    expect(recentPortSamples(db, other).get(1)!.map((s) => s.inBps)).toEqual([5]); // trimmed only when its own poll is written
    // A poll with no sample at all (every rate unknown) still trims.
    addPortSamples(db, sw, [], new Date(T0 + DAY));
    expect(recentPortSamples(db, sw).get(1)!.map((s) => s.inBps)).toEqual([4]);
    addPortSamples(db, sw, [], new Date(T0 + DAY + 1));
    expect(recentPortSamples(db, sw).size).toBe(0);
  });

  it('go with their device', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    addPortSamples(db, sw, [sample(1, T0, 1), sample(2, T0, 2)], new Date(T0));
    expect(rows(db)).toBe(2);
    deleteDevice(db, sw);
    expect(rows(db)).toBe(0);
  });
});

// ---- rates through the view, as the collector computes and stores them ----

function port(ifIndex: number, inOctets: bigint, outOctets: bigint, bits: 32 | 64, speedMbps: number | null = 1000): SnmpPort {
  return {
    ifIndex, name: `p${ifIndex}`, descr: `p${ifIndex}`, alias: '', type: 6, adminUp: true, operUp: true, speedMbps, mtu: 1500, mac: '',
    duplex: 'full', pvid: 1, taggedVlans: [], untaggedVlans: [1], lagIfIndex: null, stackMember: null, inOctets, outOctets, counterBits: bits, inErrors: 0, outErrors: 0,
  };
}

function observation(atMs: number, uptimeTicks: number, ports: SnmpPort[]): SwitchObservation {
  return {
    observedAt: iso(atMs),
    system: { name: 'sw1', descr: 'test switch', objectId: '1.3.6.1.4.1.99999', location: '', contact: '', uptimeTicks },
    bridgeAddress: '', localChassisId: '', stackMembers: [],
    ports, lags: [], vlans: [], neighbors: [], fdb: [], model: '', serial: '', addresses: [], nas: null, hostBonds: [], gaps: [],
  };
}

/** One poll as SnmpCollector.accept does it: rates from the kept counters, samples stored, the view built. */
function poll(db: Db, id: number, counters: Map<number, PortCounters>, obs: SwitchObservation): { view: ReturnType<typeof switchView>; counters: Map<number, PortCounters> } {
  const { rates, counters: next } = portRates(counters, obs);
  const samples = rateSamples(obs.observedAt, rates);
  if (samples.length) addPortSamples(db, id, samples, new Date(obs.observedAt));
  return { view: switchView(obs, rates, recentPortSamples(db, id)), counters: next };
}

describe('rates through the view', () => {
  it('become bits per second per port, with a 32-bit wrap counted once and a reset or restart giving a gap, not a spike', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    const W = 2n ** 32n;
    // Port 1: 64-bit, steady 1 Mb/s in and 2 Mb/s out (7.5 MB and 15 MB a minute).
    // Port 2: 32-bit, wraps between poll 2 and 3. Port 3: 64-bit, resets (goes down) between poll 2 and 3.
    const polls = [
      observation(T0, 100_000, [port(1, 0n, 0n, 64), port(2, W - 3_750_000n, 0n, 32), port(3, 50_000_000n, 0n, 64)]),
      observation(T0 + 60_000, 106_000, [port(1, 7_500_000n, 15_000_000n, 64), port(2, W - 1_000n, 7_500_000n, 32), port(3, 57_500_000n, 7_500_000n, 64)]),
      observation(T0 + 120_000, 112_000, [port(1, 15_000_000n, 30_000_000n, 64), port(2, 7_499_000n, 15_000_000n, 32), port(3, 10_000n, 15_000_000n, 64)]),
    ];
    let counters = new Map<number, PortCounters>();
    const views = polls.map((obs) => {
      const result = poll(db, sw, counters, obs);
      counters = result.counters;
      return result.view;
    });
    const rateOf = (v: (typeof views)[number], ifIndex: number) => {
      const p = v.ports.find((x) => x.ifIndex === ifIndex)!;
      return [p.inBps, p.outBps];
    };
    expect(views[0]!.ports.map((p) => [p.inBps, p.outBps])).toEqual([[null, null], [null, null], [null, null]]); // first poll: no rate
    expect(rateOf(views[1]!, 1)).toEqual([1_000_000, 2_000_000]);
    expect(rateOf(views[1]!, 2)).toEqual([(3_750_000 - 1_000) * 8 / 60, 1_000_000]);
    expect(rateOf(views[2]!, 2)).toEqual([1_000_000, 1_000_000]); // 1,000 before the wrap + 7,499,000 after = 7.5 MB
    expect(rateOf(views[2]!, 3)).toEqual([null, 1_000_000]); // a 64-bit counter going down is a reset
    // The sparkline samples in the last view: every poll's rates, oldest first; the reset is a gap.
    const samplesOf = (ifIndex: number) => views[2]!.ports.find((p) => p.ifIndex === ifIndex)!.samples.map((s) => [s.at, s.inBps, s.outBps]);
    expect(samplesOf(1)).toEqual([[iso(T0 + 60_000), 1_000_000, 2_000_000], [iso(T0 + 120_000), 1_000_000, 2_000_000]]);
    expect(samplesOf(3)).toEqual([[iso(T0 + 60_000), 1_000_000, 1_000_000], [iso(T0 + 120_000), null, 1_000_000]]);
    // The view is JSON-safe (no bigint counters) and is what the store keeps.
    expect(JSON.parse(JSON.stringify(views[2]))).toEqual(views[2]);
  });

  it('after a restart of the device (sysUpTime went back) every port starts over, and a port without counters has none', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    const noCounters = { ...port(9, 0n, 0n, 64), inOctets: null, outOctets: null, counterBits: null };
    let { counters } = poll(db, sw, new Map(), observation(T0, 500_000, [port(1, 1_000n, 1_000n, 64), noCounters]));
    const after = poll(db, sw, counters, observation(T0 + 60_000, 3_000, [port(1, 9_000n, 9_000n, 64), noCounters]));
    expect(after.view.ports.map((p) => [p.ifIndex, p.inBps, p.outBps])).toEqual([[1, null, null], [9, null, null]]);
    expect(recentPortSamples(db, sw).size).toBe(0); // nothing to draw yet: no sample rows of nulls
    counters = after.counters;
    const next = poll(db, sw, counters, observation(T0 + 120_000, 9_000, [port(1, 16_500n, 9_000n, 64), noCounters]));
    expect(next.view.ports[0]).toMatchObject({ inBps: 1_000, outBps: 0, samples: [{ at: iso(T0 + 120_000), inBps: 1_000, outBps: 0 }] });
  });

  it('a "wrap" faster than the port could carry is a reset in disguise: no rate', () => {
    const db = freshDb();
    const sw = device(db, 'sw1');
    const first = poll(db, sw, new Map(), observation(T0, 1_000, [port(1, 4_000_000_000n, 0n, 32, 100)]));
    const second = poll(db, sw, first.counters, observation(T0 + 1_000, 1_100, [port(1, 100n, 0n, 32, 100)]));
    expect(second.view.ports[0]).toMatchObject({ inBps: null, outBps: 0 });
  });
});
