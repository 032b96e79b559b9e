/**
 * An SNMP observation as the device page shows it: each port with its rates, its LLDP neighbour, how many
 * MACs it has learned, its LAG by name with the member's LACP state, and its recent traffic; raw counters
 * (bigints) left out, so the view travels as JSON and is what the store keeps. The forwarding table, the
 * switch's own identities and its stack members go along for the lab graph (MAC → port, LLDP neighbour →
 * switch), the table cut at SWITCH_VIEW_FDB_LIMIT entries.
 */
import type { FdbEntry, LagMember, PortView, SnmpLag, SnmpNeighbor, SwitchObservation, SwitchView } from '../model/switches';
import { octetRate, type CounterReading } from './rates';

/** Forwarding-table entries a view keeps: a 48-port switch in a lab learns hundreds; a campus core, tens of thousands. */
export const SWITCH_VIEW_FDB_LIMIT = 50_000;

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
  // A port's neighbour on the page is the first the observation lists: LLDP before CDP/FDP.
  const neighbors = new Map<number, SnmpNeighbor>();
  for (const n of observation.neighbors) if (!neighbors.has(n.localIfIndex)) neighbors.set(n.localIfIndex, n);
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
  const cut = observation.fdb.length > SWITCH_VIEW_FDB_LIMIT;
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
    fdb: cut ? observation.fdb.slice(0, SWITCH_VIEW_FDB_LIMIT) : observation.fdb,
    bridgeAddress: observation.bridgeAddress,
    localChassisId: observation.localChassisId,
    stackMembers: observation.stackMembers,
    addresses: observation.addresses,
    nas: observation.nas
      ? { ...observation.nas, raids: observation.nas.raids.map((r) => ({ ...r, freeBytes: toNumber(r.freeBytes), totalBytes: toNumber(r.totalBytes) })) }
      : null,
    hostBonds: observation.hostBonds,
    gaps: cut ? [...observation.gaps, `forwarding table: ${observation.fdb.length} entries, the view keeps the first ${SWITCH_VIEW_FDB_LIMIT}`] : observation.gaps,
  };
}

type Stored<T> = { [K in keyof T]?: T[K] };

/**
 * A view as the store gives it back, with what views stored before a field existed lack filled in: no
 * forwarding table, identities unknown, no stack members, LAGs of unknown protocol, members without keys,
 * neighbours without address, capabilities or platform, ports on no known stack member.
 */
export function withViewDefaults(stored: SwitchView): SwitchView {
  const view = stored as Stored<SwitchView>;
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  const lags = list(view.lags).map((lag: Stored<SnmpLag>) => {
    const members = list(lag.members).map((m: Stored<LagMember>) => ({ ...m, actorKey: m.actorKey ?? null, partnerKey: m.partnerKey ?? null, partnerPort: m.partnerPort ?? null }) as LagMember);
    const source = lag.source ?? 'ifStack';
    return {
      ...lag,
      members,
      source,
      sources: lag.sources ?? (source === 'both' ? ['ifStack', 'lag-mib'] : [source]),
      protocol: lag.protocol ?? null,
      actorSystem: lag.actorSystem ?? '',
      partnerSystem: lag.partnerSystem ?? '',
    } as SnmpLag;
  });
  const neighbor = (n: Stored<SnmpNeighbor>): SnmpNeighbor =>
    ({ ...n, remoteManagementAddress: n.remoteManagementAddress ?? '', remoteCapabilities: n.remoteCapabilities ?? [], remotePlatform: n.remotePlatform ?? '' }) as SnmpNeighbor;
  const ports = list(view.ports).map((p: Stored<PortView>) => {
    const lacp = p.lacp ? ({ ...p.lacp, actorKey: p.lacp.actorKey ?? null, partnerKey: p.lacp.partnerKey ?? null, partnerPort: p.lacp.partnerPort ?? null } as LagMember) : (p.lacp ?? null);
    return { ...p, stackMember: p.stackMember ?? null, lacp, neighbor: p.neighbor ? neighbor(p.neighbor) : (p.neighbor ?? null) } as PortView;
  });
  const fdb: FdbEntry[] = list(view.fdb);
  return {
    ...stored,
    ports,
    lags,
    neighbors: list(view.neighbors).map(neighbor),
    fdbCount: view.fdbCount ?? fdb.length,
    fdb,
    bridgeAddress: view.bridgeAddress ?? '',
    localChassisId: view.localChassisId ?? '',
    stackMembers: list(view.stackMembers),
  };
}
