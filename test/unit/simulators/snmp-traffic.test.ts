/**
 * The SNMP responder's SIMULATED TRAFFIC (src-main/simulators/snmp/traffic.ts, the demo lab's `traffic` option):
 * the octet counters of ports that are up move with the clock from their recorded values, plausibly (a few
 * percent of the link, never more than a tenth, with a daily-life swing), the 32- and 64-bit counters of a
 * port agree, ports that are down and everything else answer as recorded, and without the option nothing
 * moves. Read over UDP by the app's own walker, and turned into rates the way the collector does.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkSubtrees } from '../../../src-main/drivers/snmp/walker';
import { decodeObservation } from '../../../src-main/drivers/snmp/decode/observation';
import { WALK_ROOTS } from '../../../src-main/drivers/snmp/oids';
import { portRates, type PortCounters } from '../../../src-main/domain/health/switch-view';
import type { SwitchObservation } from '../../../src-main/domain/model/switches';
import { startSnmpResponder, type SnmpResponder } from '../../../src-main/simulators/snmp';
import { octetsAfter, portTraffic } from '../../../src-main/simulators/snmp/traffic';

const ROOT = resolve(__dirname, '../../..');
/** What the demo lab's devices answer with: resources/snmp/demo-*.derived.snmprec. */
const demoRecording = (name: string) => readFileSync(join(ROOT, 'resources/snmp', `${name}.derived.snmprec`), 'utf8');
/** A real recording, as in test/fixtures/snmp/ (the demo's switches have no LAG; this ProCurve has Trk1). */
const realRecording = (name: string) => readFileSync(join(ROOT, 'test/fixtures/snmp', `${name}.snmprec`), 'utf8');

const IF_IN = '1.3.6.1.2.1.2.2.1.10';
const IF_OUT = '1.3.6.1.2.1.2.2.1.16';
const IF_OPER = '1.3.6.1.2.1.2.2.1.8';
const HC_IN = '1.3.6.1.2.1.31.1.1.1.6';
const HC_OUT = '1.3.6.1.2.1.31.1.1.1.10';
const UPTIME = '1.3.6.1.2.1.1.3';
const T0 = Date.parse('2026-11-25T12:00:00.000Z');

const responders: SnmpResponder[] = [];
afterEach(async () => {
  for (const r of responders.splice(0)) await r.close();
});

async function responder(recordings: Record<string, string>, traffic: boolean | { clock: () => number }): Promise<SnmpResponder> {
  const r = await startSnmpResponder({ recordings, traffic });
  responders.push(r);
  return r;
}

/** Column → (ifIndex or instance → value) as the agent answers now. */
async function read(r: SnmpResponder, community: string, roots: string[]): Promise<Map<string, Map<number, bigint>>> {
  const { walk, gaps } = await walkSubtrees({ host: r.host, port: r.port, version: 'v2c', community, timeoutMs: 2_000 }, roots);
  expect(gaps).toEqual([]);
  const out = new Map<string, Map<number, bigint>>();
  for (const [root, varbinds] of walk) out.set(root, new Map(varbinds.map((v) => [Number(v.oid.slice(root.length + 1).split('.')[0]), BigInt(v.value as number | bigint)])));
  return out;
}

async function observe(r: SnmpResponder, community: string, at: number): Promise<SwitchObservation> {
  const { walk } = await walkSubtrees({ host: r.host, port: r.port, version: 'v2c', community, timeoutMs: 2_000 }, WALK_ROOTS);
  return decodeObservation(walk, new Date(at).toISOString());
}

describe('simulated traffic for the demo lab', () => {
  it('is off by default: the counters answer exactly as recorded, however much time passes', async () => {
    const r = await responder({ 'demo-sw-a': demoRecording('demo-sw-a') }, false);
    const before = await read(r, 'demo-sw-a', [IF_IN, HC_IN, UPTIME]);
    await new Promise((done) => setTimeout(done, 1_100));
    expect(await read(r, 'demo-sw-a', [IF_IN, HC_IN, UPTIME])).toEqual(before);
  });

  it.each(['demo-sw-a', 'demo-sw-b', 'demo-syno-dr'])('moves the octet counters of the ports of %s that are up, plausibly, and leaves the rest as recorded', async (name) => {
    let now = T0;
    const recorded = await read(await responder({ [name]: demoRecording(name) }, false), name, [IF_IN, IF_OUT, HC_IN, HC_OUT, IF_OPER, UPTIME]);
    const r = await responder({ [name]: demoRecording(name) }, { clock: () => now });
    const roots = [IF_IN, IF_OUT, HC_IN, HC_OUT, UPTIME];
    expect(await read(r, name, [...roots, IF_OPER])).toEqual(recorded); // at the start: the recording

    now += 60_000;
    const later = await read(r, name, roots);
    expect(later.get(UPTIME)!.get(0)).toBe(recorded.get(UPTIME)!.get(0)! + 6_000n); // hundredths of a second
    const up = [...recorded.get(IF_OPER)!].filter(([, status]) => status === 1n).map(([ifIndex]) => ifIndex);
    const down = [...recorded.get(IF_OPER)!].filter(([, status]) => status !== 1n).map(([ifIndex]) => ifIndex);
    let moved = 0;
    for (const column of [IF_IN, IF_OUT, HC_IN, HC_OUT]) {
      for (const ifIndex of down) if (recorded.get(column)?.has(ifIndex)) expect(later.get(column)!.get(ifIndex), `${column}.${ifIndex} (down)`).toBe(recorded.get(column)!.get(ifIndex));
      for (const ifIndex of up) if (later.get(column)!.get(ifIndex) !== recorded.get(column)?.get(ifIndex)) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    // A port's 32-bit and 64-bit counters moved by the same octets (modulo 2³²).
    for (const [lo, hc] of [[IF_IN, HC_IN], [IF_OUT, HC_OUT]] as const) {
      for (const ifIndex of up) {
        const before64 = recorded.get(hc)?.get(ifIndex);
        const before32 = recorded.get(lo)?.get(ifIndex);
        if (before64 === undefined || before32 === undefined) continue;
        const d64 = later.get(hc)!.get(ifIndex)! - before64;
        const d32 = (later.get(lo)!.get(ifIndex)! - before32 + 2n ** 32n) % 2n ** 32n;
        expect(d32, `${lo}.${ifIndex}`).toBe(d64 % 2n ** 32n);
      }
    }
  });

  it('gives the collector rates for every up port with a speed: above zero, at most a tenth of the link, varying over half an hour', async () => {
    let now = T0;
    const r = await responder({ 'demo-sw-a': demoRecording('demo-sw-a') }, { clock: () => now });
    let counters = new Map<number, PortCounters>();
    const seen = new Map<number, number[]>();
    let first: SwitchObservation | null = null;
    for (let minute = 0; minute <= 30; minute++) {
      const observation = await observe(r, 'demo-sw-a', now);
      first ??= observation;
      const { rates, counters: next } = portRates(counters, observation);
      counters = next;
      for (const [ifIndex, rate] of rates) if (minute > 0 && rate.inBps !== null) seen.set(ifIndex, [...(seen.get(ifIndex) ?? []), rate.inBps, rate.outBps!]);
      now += 60_000;
    }
    const moving = first!.ports.filter((p) => p.operUp && p.speedMbps !== null && p.inOctets !== null);
    expect(moving.length).toBeGreaterThan(10);
    for (const port of moving) {
      const rates = seen.get(port.ifIndex)!;
      expect(rates, port.name).toHaveLength(60);
      for (const bps of rates) {
        expect(bps, port.name).toBeGreaterThan(0);
        expect(bps, port.name).toBeLessThanOrEqual(port.speedMbps! * 1e6 * 0.1);
      }
      expect(Math.max(...rates) / Math.min(...rates), `${port.name} varies`).toBeGreaterThan(1.2);
    }
    for (const port of first!.ports.filter((p) => !p.operUp && p.inOctets !== null)) expect(seen.get(port.ifIndex)!.every((bps) => bps === 0), port.name).toBe(true);
  });

  it("a LAG carries what its members carry: the ProCurve's Trk1 is A1 + A2", async () => {
    let now = T0;
    const r = await responder({ procurve: realRecording('procurve') }, { clock: () => now });
    const before = await observe(r, 'procurve', now);
    now += 60_000;
    const after = await observe(r, 'procurve', now);
    const trk = after.lags.find((lag) => lag.name === 'Trk1')!;
    expect(trk.memberIfIndexes).toHaveLength(2);
    const delta = (o: SwitchObservation, ifIndex: number) => o.ports.find((p) => p.ifIndex === ifIndex)!;
    for (const side of ['inOctets', 'outOctets'] as const) {
      const moved = (ifIndex: number) => delta(after, ifIndex)[side]! - delta(before, ifIndex)[side]!;
      expect(moved(trk.ifIndex)).toBe(trk.memberIfIndexes.reduce((sum, m) => sum + moved(m), 0n));
      expect(moved(trk.ifIndex)).toBeGreaterThan(0n);
    }
  });

  it('is deterministic per port, and its counter never goes back', () => {
    expect(portTraffic(7, 0, 1e9)).toEqual(portTraffic(7, 0, 1e9));
    expect(portTraffic(7, 0, 1e9)).not.toEqual(portTraffic(7, 1, 1e9));
    for (const ifIndex of [1, 2, 55, 962]) {
      const t = portTraffic(ifIndex, 1, 1e9);
      let last = 0;
      for (let s = 0; s <= 3_600; s += 7) {
        const octets = octetsAfter(t, s);
        expect(octets).toBeGreaterThanOrEqual(last);
        last = octets;
      }
    }
  });
});
