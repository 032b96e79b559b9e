/**
 * One SNMP session with one device: net-snmp underneath, set up the way snmp.md §2/§5 says (v2c unless told,
 * backwardsGetNexts off, 32-bit request ids, v3 through createV3Session), with promise-returning requests that
 * fail only with SnmpFailure. Several requests may be in flight on one session at once (net-snmp matches
 * answers by request id); the walker relies on that.
 */
import { createCipheriv } from 'node:crypto';
import snmp from 'net-snmp';
import { classifyError, desUnsupportedDetail, SnmpFailure, type RequestProblem } from './errors';

export { SnmpFailure } from './errors';
export type { SnmpFailureKind } from './errors';

export type SnmpAuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type SnmpPrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r';

export interface SnmpTarget {
  host: string;
  /** Default 161. */
  port?: number;
  version: 'v1' | 'v2c' | 'v3';
  /** v1/v2c; default 'public'. */
  community?: string;
  v3?: {
    user: string;
    level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
    authProtocol?: SnmpAuthProtocol;
    authKey?: string;
    privProtocol?: SnmpPrivProtocol;
    privKey?: string;
    /** SNMPv3 context name; default '' (snmpsim picks its recording by it). */
    context?: string;
  };
  /** Per try; default 2000. */
  timeoutMs?: number;
  /** Tries after the first; default 1. */
  retries?: number;
}

/** A varbind as net-snmp hands it over (value still in its shape: Buffer for strings and Counter64). */
export interface RawVarbind {
  oid: string;
  type: number;
  value: unknown;
}

export const DEFAULT_PORT = 161;
export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_RETRIES = 1;

// BER tags of the three "exception" varbinds (RFC 3416): noSuchObject, noSuchInstance, endOfMibView.
export const NO_SUCH_OBJECT = 128;
export const NO_SUCH_INSTANCE = 129;
export const END_OF_MIB_VIEW = 130;
export const isException = (type: number) => type === NO_SUCH_OBJECT || type === NO_SUCH_INSTANCE || type === END_OF_MIB_VIEW;

const NULL = 5;

/** Failures of requests that got no usable answer (timed out, or only undecodable or cut-short datagrams). */
const unanswered = new WeakSet<SnmpFailure>();

/** Whether a request failed for want of any usable answer (as opposed to an answer saying no). */
export function endedWithoutAnswer(failure: SnmpFailure): boolean {
  return unanswered.has(failure);
}

/**
 * net-snmp reads a datagram cut short inside a value as a varbind whose value is null (asn1-ber returns null
 * for a string running past the end) and stops there: such an answer is broken, not short.
 */
function cutShort(result: unknown): boolean {
  if (!Array.isArray(result)) return false;
  for (const item of result) {
    if (Array.isArray(item)) {
      if (cutShort(item)) return true;
    } else if (item && typeof item === 'object') {
      const { type, value } = item as RawVarbind;
      if ((value === null || value === undefined) && type !== NULL && !isException(type)) return true;
    }
  }
  return false;
}

const AUTH: Record<SnmpAuthProtocol, number> = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};
const PRIV: Record<SnmpPrivProtocol, number> = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};
const LEVEL = { noAuthNoPriv: snmp.SecurityLevel.noAuthNoPriv, authNoPriv: snmp.SecurityLevel.authNoPriv, authPriv: snmp.SecurityLevel.authPriv } as const;

/** 'host:port (SNMPv2c)': how a device is named in every message. Never the community or keys. */
export function describeTarget(target: SnmpTarget): string {
  const port = target.port ?? DEFAULT_PORT;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const user = target.version === 'v3' && target.v3 ? ` user ${target.v3.user}` : '';
  return `${host}:${port} (SNMP${target.version}${user})`;
}

let desAvailable: boolean | null = null;
/** Node ≥17 with OpenSSL 3 has DES only in the legacy provider; net-snmp would throw from deep inside a send. */
export function desIsAvailable(): boolean {
  if (desAvailable === null) {
    try {
      createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
      desAvailable = true;
    } catch {
      desAvailable = false;
    }
  }
  return desAvailable;
}

function checkTarget(target: SnmpTarget): void {
  if (typeof target.host !== 'string' || target.host.length === 0 || target.host.length > 253) throw new RangeError('SNMP target needs a host');
  const port = target.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`SNMP port ${String(port)} is not 1–65535`);
  const timeout = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > 120_000) throw new RangeError(`SNMP timeout ${String(timeout)} ms is not 1–120000`);
  const retries = target.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new RangeError(`SNMP retries ${String(retries)} is not 0–10`);
  if (target.version !== 'v1' && target.version !== 'v2c' && target.version !== 'v3') throw new RangeError(`SNMP version "${String(target.version)}" is not v1, v2c or v3`);
  if (target.version === 'v3') {
    const v3 = target.v3;
    if (!v3 || !v3.user) throw new RangeError('SNMPv3 needs a user');
    if (v3.context !== undefined && (typeof v3.context !== 'string' || v3.context.length > 255)) throw new RangeError('SNMPv3 context must be a string of at most 255 characters');
    if (!(v3.level in LEVEL)) throw new RangeError(`SNMPv3 level "${String(v3.level)}" is unknown`);
    if (v3.level !== 'noAuthNoPriv') {
      if (!v3.authProtocol || !(v3.authProtocol in AUTH)) throw new RangeError(`SNMPv3 ${v3.level} needs an auth protocol (md5, sha, sha224, sha256, sha384, sha512)`);
      if (!v3.authKey || v3.authKey.length < 8) throw new RangeError('SNMPv3 auth key must be at least 8 characters (RFC 3414 §11.2)');
    }
    if (v3.level === 'authPriv') {
      if (!v3.privProtocol || !(v3.privProtocol in PRIV)) throw new RangeError('SNMPv3 authPriv needs a privacy protocol (des, aes, aes256b, aes256r)');
      if (!v3.privKey || v3.privKey.length < 8) throw new RangeError('SNMPv3 privacy key must be at least 8 characters (RFC 3414 §11.2)');
    }
  }
}

type Callback<T> = (error: unknown, result?: T) => void;

/**
 * A session that remembers, for clearer failures, whether the device has answered at all and whether it sent
 * datagrams that were not SNMP (net-snmp drops those and the request then times out).
 */
export class SnmpSession {
  readonly target: SnmpTarget;
  readonly label: string;
  /** Requests sent (each GET/GETNEXT/GETBULK/SET once, however many retries net-snmp made). */
  requests = 0;
  /** performance.now() of the last answer of any kind, or -1 when none came. */
  lastAnswerAt = -1;
  /** Datagrams that arrived and were not decodable as SNMP. */
  undecodable = 0;
  /** Requests that ended without a usable answer since the last one that got one (session-wide). */
  unansweredInARow = 0;
  private readonly session: snmp.Session;
  private closed = false;

  constructor(target: SnmpTarget) {
    checkTarget(target);
    this.target = target;
    this.label = describeTarget(target);
    if (target.version === 'v3' && target.v3?.level === 'authPriv' && target.v3.privProtocol === 'des' && !desIsAvailable()) {
      throw new SnmpFailure('protocol', `${this.label}: ${desUnsupportedDetail()}`);
    }
    const common = {
      port: target.port ?? DEFAULT_PORT,
      timeout: target.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retries: target.retries ?? DEFAULT_RETRIES,
      backoff: 1,
      transport: target.host.includes(':') ? ('udp6' as const) : ('udp4' as const),
      idBitsSize: 32,
      backwardsGetNexts: false,
      reportOidMismatchErrors: false,
    };
    if (target.version === 'v3') {
      const v3 = target.v3!;
      const user: snmp.User = { name: v3.user, level: LEVEL[v3.level] };
      if (v3.level !== 'noAuthNoPriv') {
        user.authProtocol = AUTH[v3.authProtocol!];
        user.authKey = v3.authKey!;
      }
      if (v3.level === 'authPriv') {
        user.privProtocol = PRIV[v3.privProtocol!];
        user.privKey = v3.privKey!;
      }
      this.session = snmp.createV3Session(target.host, user, { ...common, version: snmp.Version3, context: v3.context ?? '' });
    } else {
      this.session = snmp.createSession(target.host, target.community ?? 'public', {
        ...common,
        version: target.version === 'v1' ? snmp.Version1 : snmp.Version2c,
      });
    }
    // Undecodable datagrams are emitted as 'error'; unhandled, that would throw out of the socket's handler.
    this.session.on('error', () => {
      this.undecodable++;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get(oids: string[]): Promise<RawVarbind[]> {
    return this.request((cb) => this.session.get(oids, cb as never));
  }

  getNext(oids: string[]): Promise<RawVarbind[]> {
    return this.request((cb) => this.session.getNext(oids, cb as never));
  }

  /** One list per requested OID (nonRepeaters 0): that OID's successors, in order. */
  getBulk(oids: string[], maxRepetitions: number): Promise<RawVarbind[][]> {
    return this.request<RawVarbind[][]>((cb) => this.session.getBulk(oids, 0, maxRepetitions, cb as never));
  }

  set(varbinds: RawVarbind[]): Promise<RawVarbind[]> {
    return this.request((cb) => this.session.set(varbinds as snmp.Varbind[], cb as never));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.session.close();
    } catch {
      // already closed by its socket
    }
  }

  /**
   * The failure for a problem, naming this device. A timeout during which undecodable datagrams arrived (more
   * than `undecodableBefore`) is a protocol error: the agent answered, with something we cannot read.
   */
  failure(problem: RequestProblem, undecodableBefore = this.undecodable): SnmpFailure {
    let { kind, detail } = problem;
    if (kind === 'timeout') {
      const timeout = this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const tries = (this.target.retries ?? DEFAULT_RETRIES) + 1;
      if (this.undecodable > undecodableBefore) {
        kind = 'protocol';
        detail = `answered only with datagrams that are not SNMP (${this.undecodable} undecodable: garbage or truncated)`;
      } else {
        // v1/v2c agents drop a wrong community silently; the collector adds that hint to its status line.
        const hint = this.target.version === 'v3' ? ' (device down, filtered, or not speaking SNMPv3)' : '';
        detail = `no answer within ${tries} × ${timeout} ms${hint}`;
      }
    }
    const failure = new SnmpFailure(kind, `${this.label}: ${detail}`);
    if (problem.status !== undefined) failure.status = problem.status;
    if (problem.kind === 'timeout') unanswered.add(failure);
    return failure;
  }

  private answered(): void {
    this.lastAnswerAt = performance.now();
    this.unansweredInARow = 0;
  }

  private request<T>(send: (cb: Callback<T>) => void): Promise<T> {
    if (this.closed) return Promise.reject(new SnmpFailure('closed', `${this.label}: the session was closed`));
    this.requests++;
    const undecodableBefore = this.undecodable;
    return new Promise<T>((resolve, reject) => {
      const cb: Callback<T> = (error, result) => {
        if (error) {
          const problem = classifyError(error);
          if (problem.kind === 'timeout') this.unansweredInARow++;
          else if (problem.kind !== 'closed' && problem.kind !== 'unreachable') this.answered();
          reject(this.closed && problem.kind !== 'auth' ? new SnmpFailure('closed', `${this.label}: the session was closed`) : this.failure(problem, undecodableBefore));
        } else if (cutShort(result)) {
          this.undecodable++;
          this.unansweredInARow++;
          const failure = new SnmpFailure('protocol', `${this.label}: answered with a datagram cut short inside a value (truncated)`);
          unanswered.add(failure);
          reject(failure);
        } else {
          this.answered();
          resolve(result as T);
        }
      };
      try {
        send(cb);
      } catch (error) {
        // net-snmp throws synchronously for some bad input (e.g. an OID it cannot encode).
        reject(this.failure(classifyError(error)));
      }
    });
  }
}

export function openSession(target: SnmpTarget): SnmpSession {
  return new SnmpSession(target);
}
