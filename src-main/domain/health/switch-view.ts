/**
 * An SNMP observation as the device page shows it: each port with its rates, its LLDP neighbour, how many
 * MACs it has learned, its LAG by name with the member's LACP state, and its recent traffic; raw counters
 * (bigints) left out, so the view travels as JSON and is what the store keeps.
 */
import type { LagMember, PortView, SwitchObservation, SwitchView } from '../model/switches';
import { octetRate, type CounterReading } from './rates';

export interface PortRate {
  inBps: number | null;
  outBps: number | null;
}

/** A port's octet counters as last read, kept between polls to turn the next reading into a rate. */
export interface PortCounters {
  in: CounterReading;
  out: CounterReading;
}

/**
 * Each port's rates since the previous poll's counters (octetRate: a 32-bit wrap counted once, a reset, a
 * restart or a first reading giving null), and the counters to keep for the next poll. Ports without octet
 * counters have no rate and no entry in either map.
 */
export function portRates(
  previous: ReadonlyMap<number, PortCounters>,
  observation: SwitchObservation,
): { rates: Map<number, PortRate>; counters: Map<number, PortCounters> } {
  const atMs = Date.parse(observation.observedAt);
  const uptimeTicks = observation.system.uptimeTicks;
  const rates = new Map<number, PortRate>();
  const counters = new Map<number, PortCounters>();
  for (const port of observation.ports) {
    if (port.inOctets === null || port.outOctets === null || port.counterBits === null) continue;
    const before = previous.get(port.ifIndex);
    const now: PortCounters = {
      in: { value: port.inOctets, bits: port.counterBits, atMs, uptimeTicks },
      out: { value: port.outOctets, bits: port.counterBits, atMs, uptimeTicks },
    };
    rates.set(port.ifIndex, { inBps: octetRate(before?.in, now.in, port.speedMbps), outBps: octetRate(before?.out, now.out, port.speedMbps) });
    counters.set(port.ifIndex, now);
  }
  return { rates, counters };
}

/** The samples to store for one poll: each port that has a rate in either direction, at the observation's time. */
export function rateSamples(observedAt: string, rates: ReadonlyMap<number, PortRate>): { ifIndex: number; at: string; inBps: number | null; outBps: number | null }[] {
  return [...rates].filter(([, r]) => r.inBps !== null || r.outBps !== null).map(([ifIndex, r]) => ({ ifIndex, at: observedAt, ...r }));
}

export function switchView(
  observation: SwitchObservation,
  rates: ReadonlyMap<number, PortRate>,
  samples: ReadonlyMap<number, readonly { at: string; inBps: number | null; outBps: number | null }[]>,
): SwitchView {
  const macs = new Map<number, number>();
  for (const entry of observation.fdb) macs.set(entry.ifIndex, (macs.get(entry.ifIndex) ?? 0) + 1);
  const neighbors = new Map(observation.neighbors.map((n) => [n.localIfIndex, n]));
  const lagOf = new Map<number, { name: string; member: LagMember | null }>();
  for (const lag of observation.lags) {
    for (const ifIndex of lag.memberIfIndexes) lagOf.set(ifIndex, { name: lag.name, member: lag.members.find((m) => m.ifIndex === ifIndex) ?? null });
  }
  const ports: PortView[] = observation.ports.map((port) => {
    const { inOctets: _in, outOctets: _out, counterBits: _bits, ...rest } = port;
    const rate = rates.get(port.ifIndex);
    const lag = lagOf.get(port.ifIndex);
    return {
      ...rest,
      inBps: rate?.inBps ?? null,
      outBps: rate?.outBps ?? null,
      macCount: macs.get(port.ifIndex) ?? 0,
      neighbor: neighbors.get(port.ifIndex) ?? null,
      lagName: lag?.name ?? null,
      lacp: lag?.member ?? null,
      samples: [...(samples.get(port.ifIndex) ?? [])],
    };
  });
  const toNumber = (n: bigint | null) => (n === null ? null : Number(n));
  return {
    observedAt: observation.observedAt,
    system: observation.system,
    model: observation.model,
    serial: observation.serial,
    ports,
    lags: observation.lags,
    vlans: observation.vlans,
    neighbors: observation.neighbors,
    fdbCount: observation.fdb.length,
    addresses: observation.addresses,
    nas: observation.nas
      ? { ...observation.nas, raids: observation.nas.raids.map((r) => ({ ...r, freeBytes: toNumber(r.freeBytes), totalBytes: toNumber(r.totalBytes) })) }
      : null,
    hostBonds: observation.hostBonds,
    gaps: observation.gaps,
  };
}
