/**
 * A bad network between a manager and an agent, on loopback: a UDP relay that delays every datagram each way
 * and drops a seeded share of them (so a run can be repeated exactly). Each client address gets its own
 * upstream socket, so answers find their way back to the right session.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface LossyLinkOptions {
  /** Where datagrams go: the agent. */
  target: { host: string; port: number };
  /** Default '127.0.0.1', port 0. */
  host?: string;
  port?: number;
  /** Share of datagrams dropped, each way, 0–1. Default 0. */
  loss?: number;
  /** Added to every datagram, each way. Default 0. */
  delayMs?: number;
  /** Seed of the drop decisions. Default 1. */
  seed?: number;
  /** Client addresses remembered at once (each holds a socket). Default 1024. */
  maxClients?: number;
}

export interface LossyLink {
  host: string;
  port: number;
  stats(): { forwarded: number; dropped: number; clients: number };
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, good enough to pick datagrams to drop. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startLossyLink(options: LossyLinkOptions): Promise<LossyLink> {
  const loss = options.loss ?? 0;
  const delayMs = options.delayMs ?? 0;
  if (!(loss >= 0 && loss <= 1)) throw new RangeError('loss must be 0–1');
  if (!(delayMs >= 0 && delayMs <= 60_000)) throw new RangeError('delayMs must be 0–60000');
  const maxClients = options.maxClients ?? 1024;
  // One generator per direction, so which datagrams are dropped does not depend on how the two interleave.
  const seed = options.seed ?? 1;
  const randomUp = seededRandom(seed);
  const randomDown = seededRandom(seed ^ 0x5bd1e995);
  const counters = { forwarded: 0, dropped: 0 };
  const upstreams = new Map<string, Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const later = (action: () => void) => {
    if (delayMs === 0) return action();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) action();
    }, delayMs);
    timers.add(timer);
  };
  const pass = (random: () => number): boolean => {
    if (loss > 0 && random() < loss) {
      counters.dropped++;
      return false;
    }
    counters.forwarded++;
    return true;
  };

  const listener = createSocket('udp4');
  const upstreamFor = (client: RemoteInfo): Socket | null => {
    const id = `${client.address}:${client.port}`;
    let upstream = upstreams.get(id);
    if (upstream) return upstream;
    if (upstreams.size >= maxClients) return null;
    upstream = createSocket('udp4');
    upstream.on('message', (answer) => {
      if (pass(randomDown)) later(() => listener.send(answer, client.port, client.address));
    });
    upstream.on('error', () => {});
    upstreams.set(id, upstream);
    return upstream;
  };
  listener.on('message', (datagram, client) => {
    const upstream = upstreamFor(client);
    if (upstream && pass(randomUp)) later(() => upstream.send(datagram, options.target.port, options.target.host));
  });
  listener.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.bind(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const address = listener.address();
  return {
    host: address.address,
    port: address.port,
    stats: () => ({ ...counters, clients: upstreams.size }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([listener, ...upstreams.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      upstreams.clear();
    },
  };
}
