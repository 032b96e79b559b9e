/**
 * An in-process iSCSI target that answers *discovery only* (RFC 7143): Login (AuthMethod None or CHAP, mutual
 * too), Text SendTargets split to the initiator's MaxRecvDataSegmentLength, Logout. Normal sessions are refused
 * with a login status (0x0209, or 0x0203 for an unknown target). The demo lab's SAN portal is answered by
 * one of these on loopback; the tests use its faults to exercise the probe's failure paths.
 */
import { createServer, type Socket } from 'node:net';
import { DEFAULT_SLOW_DELAY_MS, FAULTS, type FaultSettings, type IscsiResponderFault } from './faults';
import type { ResponderChap } from './login';
import type { ResponderTarget } from './sendtargets';
import { ResponderSession, type SessionCounters } from './session';

export type { IscsiResponderFault } from './faults';
export type { ResponderChap } from './login';
export type { ResponderTarget } from './sendtargets';

export interface IscsiResponderOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  targets: ResponderTarget[];
  chap?: ResponderChap | null;
  /** Redirect every login ("target moved temporarily", 0x0101) to this 'host:port[,tpgt]'. */
  redirectTo?: string | null;
  /** How a long SendTargets answer is marked: 'rfc' (C=1 inside a pair, the default) or 'tgtd' (F=0 only). */
  textSplit?: 'rfc' | 'tgtd';
  /** Connections beyond this are closed at once (default 256). */
  maxConnections?: number;
  /** A connection silent this long is closed (default 60 s). */
  idleTimeoutMs?: number;
}

export interface IscsiResponderStats extends SessionCounters {
  connections: number;
  openConnections: number;
}

export interface IscsiResponder {
  host: string;
  port: number;
  /** 'host:port' ('[v6]:port'). */
  portal: string;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
  /** Misbehave on connections accepted from now on; null to behave again. */
  fault(kind: IscsiResponderFault | null, options?: { delayMs?: number }): void;
  openConnections(): number;
  stats(): IscsiResponderStats;
}

const MAX_NAME_BYTES = 223;

function check(options: IscsiResponderOptions): void {
  for (const target of options.targets) {
    if (!target.iqn || Buffer.byteLength(target.iqn) > MAX_NAME_BYTES || /[\0=]/.test(target.iqn)) throw new RangeError(`"${target.iqn}" is not an iSCSI name`);
    for (const portal of target.portals ?? []) if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}(,\d{1,5})?$/.test(portal)) throw new RangeError(`"${portal}" is not host:port[,tpgt]`);
  }
  const chap = options.chap;
  if (chap) {
    if (!chap.user || !chap.secret) throw new RangeError('CHAP needs a user and a secret');
    if (chap.mutualSecret !== undefined && chap.mutualSecret === chap.secret) throw new RangeError('mutual CHAP needs a different secret each way (RFC 7143 §12.1.3)');
  }
}

export async function startIscsiResponder(options: IscsiResponderOptions): Promise<IscsiResponder> {
  check(options);
  const config = {
    targets: options.targets.map((t) => ({ ...t, ...(t.portals ? { portals: [...t.portals] } : {}) })),
    chap: options.chap ?? null,
    redirectTo: options.redirectTo ?? null,
    textSplit: options.textSplit ?? 'rfc',
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
  };
  const maxConnections = options.maxConnections ?? 256;
  const counters: SessionCounters = { discoveryLogins: 0, refusedLogins: 0, textRequests: 0 };
  const sockets = new Set<Socket>();
  let accepted = 0;
  let fault: FaultSettings | null = null;

  const server = createServer((socket) => {
    accepted++;
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new ResponderSession(socket, config, fault, counters);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => {}); // after listen, errors belong to sockets
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the responder has no TCP address');
  const host = address.address;
  return {
    host,
    port: address.port,
    portal: host.includes(':') ? `[${host}]:${address.port}` : `${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    fault(kind, faultOptions = {}) {
      if (kind !== null && !FAULTS.includes(kind)) throw new RangeError(`unknown fault "${String(kind)}"`);
      fault = kind === null ? null : { kind, delayMs: faultOptions.delayMs ?? DEFAULT_SLOW_DELAY_MS };
    },
    openConnections: () => sockets.size,
    stats: () => ({ ...counters, connections: accepted, openConnections: sockets.size }),
  };
}
