/**
 * SIMULATED TRAFFIC: not recorded from any device. For the demo lab only (startSnmpResponder's `traffic`
 * option, off by default: the tests compare the responder's answers with the recordings).
 *
 * A recording's octet counters are frozen at the moment it was taken, so a poller that turns counters into
 * rates sees no traffic at all and every sparkline stays flat. With traffic on, the counters of each port that
 * is up (ifOperStatus 1) and has a speed advance as time passes, from their recorded values: ifInOctets and
 * ifOutOctets (Counter32, wrapping at 2³² as real ones do) and ifHCInOctets and ifHCOutOctets (Counter64) by
 * the same octets, so the 32-bit and 64-bit views of a port agree. Each port and direction carries a steady
 * share of its speed (0.2–6%, fixed per ifIndex, so a port always looks the same) that swells and ebbs by up
 * to ±60% over a 5–15 minute cycle, so never above a tenth of the link: plausible for a quiet lab, and a line
 * with some shape on a 30-sample sparkline. A LAG (ifType 161 stacked over its members in ifStackTable) carries
 * what its members that are up carry, not traffic of its own. sysUpTime advances with the clock too (a counter that grows while
 * the uptime stands still is not what an agent does). Ports that are down, and everything else, answer
 * exactly as recorded. Values change once a second, so the columns of one poll read from the same instant.
 */
import { BerReader, encodeIntegerContent, encodeOidContent, TAG, tlv, tlvOf } from './ber';
import { seededRandom } from './proxy';
import { MibView, oidKey, type MibRecord } from './snmprec';

export interface TrafficOptions {
  /** Milliseconds; default Date.now. The counters hold their recorded values at the responder's start. */
  clock?: () => number;
}

const SYS_UPTIME = [1, 3, 6, 1, 2, 1, 1, 3, 0];
const IF_SPEED = [1, 3, 6, 1, 2, 1, 2, 2, 1, 5];
const IF_OPER_STATUS = [1, 3, 6, 1, 2, 1, 2, 2, 1, 8];
const IF_HIGH_SPEED = [1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15];
const IF_TYPE = [1, 3, 6, 1, 2, 1, 2, 2, 1, 3];
/** ifStackStatus, index {higher ifIndex, lower ifIndex}; 1 = active. */
const IF_STACK_STATUS = [1, 3, 6, 1, 2, 1, 31, 1, 2, 1, 3];
const LAG_TYPE = 161n;
/** The octet counters that move, by column, with their direction and width. */
const COUNTERS: { column: number[]; direction: 0 | 1; bits: 32 | 64 }[] = [
  { column: [1, 3, 6, 1, 2, 1, 2, 2, 1, 10], direction: 0, bits: 32 }, // ifInOctets
  { column: [1, 3, 6, 1, 2, 1, 2, 2, 1, 16], direction: 1, bits: 32 }, // ifOutOctets
  { column: [1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6], direction: 0, bits: 64 }, // ifHCInOctets
  { column: [1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 10], direction: 1, bits: 64 }, // ifHCOutOctets
];

/** One port's traffic in one direction: octets since the start as a function of seconds. */
export interface PortTraffic {
  /** Mean bytes per second. */
  bytesPerSecond: number;
  /** Relative swing of the rate, 0–0.6. */
  amplitude: number;
  periodSeconds: number;
  phase: number;
}

/** The simulated traffic of a port (by ifIndex) in a direction (0 in, 1 out) of a link of `speedBps`. Deterministic. */
export function portTraffic(ifIndex: number, direction: 0 | 1, speedBps: number): PortTraffic {
  const random = seededRandom((ifIndex * 2 + direction) * 2654435761);
  random(); // the generator's first draw follows its seed too closely
  const share = 0.002 + random() * 0.058;
  return {
    bytesPerSecond: (speedBps * share) / 8,
    amplitude: 0.2 + random() * 0.4,
    periodSeconds: 300 + random() * 600,
    phase: random() * 2 * Math.PI,
  };
}

/**
 * Octets carried in the first `seconds`: the integral of bytesPerSecond × (1 + amplitude × sin(2πt/period + phase)),
 * which never decreases (amplitude < 1), so the counter only ever grows.
 */
export function octetsAfter(traffic: PortTraffic, seconds: number): number {
  const { bytesPerSecond, amplitude, periodSeconds, phase } = traffic;
  const omega = (2 * Math.PI) / periodSeconds;
  return bytesPerSecond * (seconds + (amplitude / omega) * (Math.cos(phase) - Math.cos(omega * seconds + phase)));
}

/** The unsigned value of a recorded integer-typed varbind (INTEGER, Counter, Gauge, TimeTicks, Counter64), or null. */
function recordedValue(record: MibRecord): bigint | null {
  try {
    const reader = new BerReader(record.varbind).readConstructed(TAG.sequence).reader;
    reader.readOid();
    const { tag, start, end } = reader.readTlv();
    if (tag !== TAG.integer && tag !== TAG.counter32 && tag !== TAG.gauge32 && tag !== TAG.timeTicks && tag !== TAG.counter64) return null;
    let value = 0n;
    for (let i = start; i < end; i++) value = (value << 8n) | BigInt(record.varbind[i]!);
    if (tag === TAG.integer && end > start && record.varbind[start]! & 0x80) value -= 1n << BigInt(8 * (end - start));
    return value;
  } catch {
    return null;
  }
}

function under(record: MibRecord, column: readonly number[]): number | null {
  if (record.arcs.length !== column.length + 1) return null;
  for (let i = 0; i < column.length; i++) if (record.arcs[i] !== column[i]) return null;
  return record.arcs[column.length]!;
}

interface Moving {
  record: MibRecord;
  recorded: bigint;
  modulus: bigint;
  /** Octets (or hundredths of a second, for sysUpTime) after `seconds`. */
  advance(seconds: number): number;
}

/** A recording whose counters move with the clock: `view` is answered from, `refresh()` before each answer. */
export interface LiveView {
  view: MibView;
  refresh(): void;
}

export function withTraffic(recorded: MibView, options: TrafficOptions = {}): LiveView {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const up = new Set<number>();
  const speed = new Map<number, number>();
  const highSpeed = new Map<number, number>();
  const lags = new Set<number>();
  const stack: [higher: number, lower: number][] = [];
  for (const record of recorded.records) {
    let ifIndex = under(record, IF_OPER_STATUS);
    if (ifIndex !== null && recordedValue(record) === 1n) up.add(ifIndex);
    if ((ifIndex = under(record, IF_SPEED)) !== null) speed.set(ifIndex, Number(recordedValue(record) ?? 0n));
    if ((ifIndex = under(record, IF_HIGH_SPEED)) !== null) highSpeed.set(ifIndex, Number(recordedValue(record) ?? 0n) * 1e6);
    if ((ifIndex = under(record, IF_TYPE)) !== null && recordedValue(record) === LAG_TYPE) lags.add(ifIndex);
    const a = record.arcs;
    if (a.length === IF_STACK_STATUS.length + 2 && IF_STACK_STATUS.every((arc, i) => a[i] === arc) && recordedValue(record) === 1n) {
      stack.push([a[IF_STACK_STATUS.length]!, a[IF_STACK_STATUS.length + 1]!]);
    }
  }
  /** A LAG's members that are up and are not LAGs themselves. */
  const members = new Map<number, number[]>();
  for (const [higher, lower] of stack) {
    if (!lags.has(higher) || lags.has(lower) || !up.has(lower)) continue;
    members.set(higher, [...(members.get(higher) ?? []), lower]);
  }
  const trafficOf = (ifIndex: number, direction: 0 | 1): PortTraffic[] => {
    const ports = members.get(ifIndex) ?? [ifIndex];
    return ports.flatMap((port) => {
      const bps = highSpeed.get(port) || speed.get(port) || 0;
      return bps > 0 ? [portTraffic(port, direction, bps)] : [];
    });
  };
  const records = [...recorded.records];
  const moving: Moving[] = [];
  records.forEach((record, i) => {
    if (oidKey(SYS_UPTIME).equals(record.key) && record.wireTag === TAG.timeTicks) {
      const value = recordedValue(record);
      if (value === null) return;
      const copy = (records[i] = { ...record });
      moving.push({ record: copy, recorded: value, modulus: 1n << 32n, advance: (seconds) => seconds * 100 });
      return;
    }
    for (const counter of COUNTERS) {
      const ifIndex = under(record, counter.column);
      if (ifIndex === null || !up.has(ifIndex)) continue;
      const traffic = trafficOf(ifIndex, counter.direction);
      const value = recordedValue(record);
      const expectedTag = counter.bits === 32 ? TAG.counter32 : TAG.counter64;
      if (traffic.length === 0 || value === null || record.wireTag !== expectedTag) continue;
      const copy = (records[i] = { ...record });
      const advance = (seconds: number) => traffic.reduce((sum, t) => sum + Math.floor(octetsAfter(t, seconds)), 0);
      moving.push({ record: copy, recorded: value, modulus: 1n << BigInt(counter.bits), advance });
    }
  });
  const view = new MibView(records, recorded.report);
  let second = -1;
  return {
    view,
    refresh() {
      const now = Math.max(0, Math.floor((clock() - started) / 1000));
      if (now === second) return;
      second = now;
      for (const m of moving) {
        const value = (m.recorded + BigInt(Math.floor(m.advance(now)))) % m.modulus;
        m.record.varbind = tlvOf(TAG.sequence, [tlv(TAG.oid, encodeOidContent(m.record.arcs)), tlv(m.record.wireTag, encodeIntegerContent(value))]);
      }
    },
  };
}
