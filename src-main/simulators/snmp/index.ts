/**
 * An in-process SNMPv1/v2c agent on UDP that replays `.snmprec` recordings, one per community (as snmpsim does:
 * the community picks the recording). The demo lab's switches and NAS answer from it on loopback, and the
 * driver's tests use its faults. Requests with an unknown community are dropped, as real agents drop them.
 * With `traffic` (the demo lab only) the octet counters of ports that are up move as time passes: simulated
 * traffic, see traffic.ts; without it every answer is the recording's.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { answer } from './agent';
import { faultSettings, GARBAGE, truncate, type FaultOptions, type FaultSettings, type SnmpResponderFault } from './faults';
import { decodeRequest, type RequestType } from './message';
import { MibView, parseSnmprec, type SnmprecLimits } from './snmprec';
import { withTraffic, type TrafficOptions } from './traffic';

export type { SnmpResponderFault, FaultOptions } from './faults';
export { MibView, parseSnmprec } from './snmprec';
export type { ParseReport } from './snmprec';
export type { TrafficOptions } from './traffic';

export interface SnmpResponderOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** community → recording text (or a view already parsed, to share one among many communities). */
  recordings: Record<string, string | MibView>;
  /** Largest response datagram; GetBulk answers are cut to fit, others answered tooBig. Default 65,000. */
  maxResponseBytes?: number;
  limits?: SnmprecLimits;
  /**
   * SIMULATED TRAFFIC, for the demo lab: the octet counters of ports that are up advance as time passes (and
   * sysUpTime with them), so rates and sparklines have something to show. Off by default: tests compare
   * answers with the recordings. See traffic.ts.
   */
  traffic?: boolean | TrafficOptions;
}

export interface SnmpResponderStats {
  requests: Record<RequestType, number>;
  /** Datagrams that were not a v1/v2c request (bounded parser said no). */
  malformed: number;
  /** Requests with a community that has no recording. */
  unknownCommunity: number;
  responses: number;
  varbinds: number;
  bytesOut: number;
}

export interface SnmpResponder {
  host: string;
  port: number;
  close(): Promise<void>;
  stats(): SnmpResponderStats;
  /** Misbehave from now on (for one community with options.community); null behaves again (all, or that community). */
  fault(kind: SnmpResponderFault | null, options?: FaultOptions): void;
  /** The parsed recording behind a community (for tests: what was skipped and why). */
  view(community: string): MibView | undefined;
}

export async function startSnmpResponder(options: SnmpResponderOptions): Promise<SnmpResponder> {
  const views = new Map<string, MibView>();
  /** Per community, what brings its moving counters up to now (only with `traffic`). */
  const refreshers = new Map<string, () => void>();
  for (const [community, recording] of Object.entries(options.recordings)) {
    if (community.length === 0 || Buffer.byteLength(community) > 255) throw new RangeError('a community must be 1–255 bytes');
    const view = typeof recording === 'string' ? parseSnmprec(recording, options.limits) : recording;
    if (options.traffic) {
      const live = withTraffic(view, options.traffic === true ? {} : options.traffic);
      views.set(community, live.view);
      refreshers.set(community, live.refresh);
    } else {
      views.set(community, view);
    }
  }
  if (views.size === 0) throw new RangeError('the responder needs at least one recording');
  const maxBytes = options.maxResponseBytes ?? 65_000;
  if (!Number.isInteger(maxBytes) || maxBytes < 484 || maxBytes > 65_507) throw new RangeError('maxResponseBytes must be 484–65507 (RFC 3417 §3.1 minimum, UDP maximum)');
  const host = options.host ?? '127.0.0.1';
  const stats: SnmpResponderStats = {
    requests: { get: 0, getNext: 0, getBulk: 0, set: 0 },
    malformed: 0,
    unknownCommunity: 0,
    responses: 0,
    varbinds: 0,
    bytesOut: 0,
  };
  let faults: FaultSettings[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const socket: Socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  let closed = false;

  const send = (datagram: Buffer, to: RemoteInfo, delayMs: number) => {
    stats.responses++;
    stats.bytesOut += datagram.length;
    const go = () => {
      if (!closed) socket.send(datagram, to.port, to.address);
    };
    if (delayMs <= 0) return go();
    const timer = setTimeout(() => {
      timers.delete(timer);
      go();
    }, delayMs);
    timers.add(timer);
  };

  socket.on('message', (datagram, from) => {
    let request;
    try {
      request = decodeRequest(datagram);
    } catch {
      stats.malformed++;
      return;
    }
    const community = request.community.toString('latin1');
    const view = views.get(community);
    if (!view) {
      stats.unknownCommunity++;
      return;
    }
    stats.requests[request.type]++;
    const fault = faults.find((f) => f.community === null || f.community === community) ?? null;
    if (fault?.kind === 'silent') return;
    if (fault?.kind === 'garbage') return send(GARBAGE, from, 0);
    refreshers.get(community)?.();
    const result = answer(request, view, fault, maxBytes);
    stats.varbinds += result.varbinds;
    if (fault?.kind === 'truncated') return send(truncate(result.datagram), from, 0);
    send(result.datagram, from, fault?.kind === 'slow' ? fault.delayMs : 0);
  });
  socket.on('error', () => {
    // A send to a vanished client (ICMP unreachable) must not take the responder down.
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const address = socket.address();
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        socket.close(() => resolve());
      }),
    stats: () => ({ ...stats, requests: { ...stats.requests } }),
    fault(kind, faultOptions = {}) {
      const community = faultOptions.community ?? null;
      // fault(null) clears everything; otherwise a new fault replaces the one of the same scope.
      faults = kind === null && community === null ? [] : faults.filter((f) => f.community !== community);
      if (kind !== null) {
        const settings = faultSettings(kind, faultOptions);
        // A community-specific fault is looked at before an all-community one.
        faults = community === null ? [...faults, settings] : [settings, ...faults];
      }
    },
    view: (community) => views.get(community),
  };
}
