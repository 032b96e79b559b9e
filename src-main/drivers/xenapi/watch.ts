/**
 * Keeps one pool's observation current: log in, load every class with get_all_records, then follow changes
 * with event.from (reference §4.1, Xen Orchestra's pattern: event.inject gives a token before the load, so
 * nothing that happens during it is lost). EVENTS_LOST reloads, SESSION_INVALID logs in again, a dropped
 * connection backs off and reconnects. The last good observation is never thrown away by a failure: the
 * status says what is wrong and since when, the screens keep showing what was last seen.
 */
import { connectXapi, xapiBaseUrl, type XapiSession } from './client';
import { XapiError, XapiTransportError } from './errors';
import { XapiDouble } from './xml-value';
import { normalizePool } from './normalize';
import { POOL_CLASSES, emptyRawPool, poolClassOf, str, strSet, type RawPool, type RawRecord } from './records';
import { loadPool, loadStatefiles, trimMessages, WATCHED_MESSAGES } from './load';
import type { PoolObservation } from '../../domain/model/pools';
import type { PollState, PollStatus } from '../../domain/model/polling';

export interface PoolWatchOptions {
  url: string;
  username: string;
  password: string;
  /**
   * The pinned certificate of the host at `url` (after a redirect, the member's, not the master's); null trusts
   * the first one that host shows and hands it to onFirstCertificate.
   */
  fingerprint: string | null;
  transport?: 'auto' | 'xml-rpc' | 'json-rpc';
  onObservation(observation: PoolObservation): void;
  onStatus(status: PollStatus): void;
  /** The certificate of the host at `url` that a first use accepted, for the caller to pin. */
  onFirstCertificate?(fingerprint: string): void;
  /** event.from's own wait, in seconds; the server answers sooner when anything changes. */
  eventTimeoutSeconds?: number;
  /** After a failure, wait initialMs, then twice as long each time, never longer than maxMs (default 1 s → 60 s). */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Waits out a backoff delay (default: a timer). A test injects one to read the delays without waiting them;
   * a stop or setPin ends the wait early either way.
   */
  sleep?: (ms: number) => Promise<void>;
  /** The jitter's source, [0, 1) (default Math.random): each delay is spread ±20 % so pools do not retry in step. */
  random?: () => number;
  callTimeoutMs?: number;
  /** When the last good observation (stored from an earlier run) was made, until this watcher makes one. */
  lastGoodAt?: string | null;
  /** The largest answer accepted; a pool's network and storage records are far smaller than this. */
  maxResponseBytes?: number;
  now?: () => Date;
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Logs out (best effort, a second at most: a dead host must not hold up a stop), then drops the sockets. */
async function closeSession(session: XapiSession): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([session.logout(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
  session.close();
}

const WATCHED = WATCHED_MESSAGES;

/** Why the loop stopped talking: decides the status and whether retrying can help. */
interface Failure {
  state: PollState;
  message: string;
  retry: boolean;
  certificate?: { presented: string; pinned: string | null };
}

/**
 * A certificate the watcher refused, waiting for a person. `configured`: the host at the URL given, whose pin
 * the caller keeps (the inventory's one pin per pool); `master`: the master a redirect led to, pinned for this
 * watcher's run only.
 */
export interface RefusedCertificate {
  host: 'configured' | 'master';
  url: string;
  presented: string;
  pinned: string | null;
}

/** The master a HOST_IS_SLAVE redirect led to, and the certificate it showed then. */
interface KnownMaster {
  url: string;
  fingerprint: string | null;
}

/**
 * Whether a failed login at the master this watcher learned should be tried again through the host at the URL
 * given: yes when the master is gone, or no longer master (a failover), or answers badly; not for a refused
 * certificate (that needs a person) nor a refused password (the pool's, the same everywhere).
 */
function fallsBack(error: unknown): boolean {
  if (error instanceof XapiTransportError) return error.kind !== 'certificate-changed';
  if (error instanceof XapiError) return error.code !== 'SESSION_AUTHENTICATION_FAILED';
  return false;
}

export class PoolWatcher {
  private running = false;
  private session: XapiSession | null = null;
  private raw: RawPool = emptyRawPool();
  private lastGoodAt: string | null = null;
  private status: PollStatus;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** The pin of the host at options.url. */
  private pin: string | null;
  /** The certificate that host showed last. */
  private seenCertificate: string | null = null;
  /**
   * Trust across redirects: the inventory holds one pin per pool, the certificate of the host at the URL given
   * (the user can compare it with that host's console, and the device form drops it when the URL changes). When
   * that host is a member, the login goes on to the master, whose certificate differs; pinning the master's in
   * its place made the next login at the member fail as 'certificate-changed'. So the master is remembered for
   * this run with the certificate it showed, vouched for by the pinned member that named it: re-logins go
   * straight to it, held to that certificate (the member no longer sees the password each time); when it is
   * gone or no longer master, the host at the URL given is asked again and names the current one. A restart
   * starts from the pinned host again, which is README.md's "Redirects" trade-off.
   */
  private master: KnownMaster | null = null;
  private refusal: RefusedCertificate | null = null;
  private readonly configuredUrl: string;
  private readonly now: () => Date;

  constructor(private readonly options: PoolWatchOptions) {
    this.pin = options.fingerprint;
    this.configuredUrl = xapiBaseUrl(options.url);
    this.lastGoodAt = options.lastGoodAt ?? null;
    this.now = options.now ?? (() => new Date());
    this.status = { state: 'idle', message: 'not started', since: this.now().toISOString(), lastGoodAt: this.lastGoodAt };
  }

  get current(): PollStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop, aborting a pending event.from, and logs out. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    const session = this.session;
    this.session = null;
    if (session) await closeSession(session);
    await this.loop;
  }

  /** The certificate refused last, while the watcher waits for a person; null otherwise. */
  get refused(): RefusedCertificate | null {
    return this.refusal;
  }

  /** The pin of the host at the URL given changed (the user accepted a new certificate): reconnect with it. */
  setPin(fingerprint: string | null): void {
    if (fingerprint === this.pin) return;
    this.pin = fingerprint;
    if (this.refusal?.host === 'configured') this.refusal = null;
    this.session?.close();
    this.wake?.();
  }

  /**
   * The user compared the master's changed certificate and trusts it: held for the rest of this run, like the
   * one it replaces (the inventory's pin stays the configured host's). False when no master certificate waits.
   */
  trustMaster(fingerprint: string): boolean {
    if (this.refusal?.host !== 'master' || !this.master || this.refusal.presented !== fingerprint) return false;
    this.master = { url: this.master.url, fingerprint };
    this.refusal = null;
    this.wake?.();
    return true;
  }

  private setStatus(state: PollState, message: string, extra: Partial<PollStatus> = {}): void {
    const since = state === this.status.state && message === this.status.message ? this.status.since : this.now().toISOString();
    this.status = {
      state,
      message,
      since,
      lastGoodAt: this.lastGoodAt,
      certificate: { presented: this.seenCertificate, pinned: this.pin },
      endpoint: this.session?.url ?? this.options.url,
      ...extra,
    };
    this.options.onStatus(this.status);
  }

  private async run(): Promise<void> {
    const backoff = this.options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    let delay = backoff.initialMs;
    while (this.running) {
      let failure: Failure | null = null;
      try {
        await this.connect();
        delay = backoff.initialMs;
        await this.follow();
      } catch (error) {
        failure = this.describe(error);
      }
      const session = this.session;
      this.session = null;
      session?.close();
      if (!this.running) break;
      if (failure) {
        this.setStatus(failure.state, failure.message, failure.certificate ? { certificate: failure.certificate } : {});
        // Some failures need a person (a changed certificate): wait for setPin or stop, not a timer.
        // The spread stays under the cap: 'at most 60 s' holds for the wait itself.
        await this.sleep(failure.retry ? Math.min(jitter(delay, this.options.random ?? Math.random), backoff.maxMs) : Number.POSITIVE_INFINITY);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  }

  private async connect(): Promise<void> {
    let session: XapiSession;
    const master = this.master;
    if (master) {
      try {
        session = await this.login(master.url, master.fingerprint);
      } catch (error) {
        if (!this.running || !fallsBack(error)) throw error;
        // Gone, or no longer master: the host at the URL given names the current master.
        session = await this.login(this.options.url, this.pin);
      }
    } else {
      session = await this.login(this.options.url, this.pin);
    }
    if (!this.running) {
      await closeSession(session);
      return;
    }
    this.session = session;
    this.refusal = null;
    const configured = session.hops.find((hop) => hop.url === this.configuredUrl);
    if (configured?.fingerprint) {
      this.seenCertificate = configured.fingerprint;
      if (this.pin === null) {
        this.pin = configured.fingerprint;
        this.options.onFirstCertificate?.(configured.fingerprint);
      }
    }
    this.master = session.url === this.configuredUrl ? null : { url: session.url, fingerprint: session.fingerprint };
  }

  /** Logs in at `url`, held to `fingerprint`; a redirect to the configured host or the known master is held to theirs. */
  private login(url: string, fingerprint: string | null): Promise<XapiSession> {
    this.setStatus('connecting', url === this.options.url ? `connecting to ${url}` : `connecting to the pool master ${url}`);
    const known = new Map<string, string>();
    if (this.pin) known.set(this.configuredUrl, this.pin);
    if (this.master?.fingerprint) known.set(this.master.url, this.master.fingerprint);
    return connectXapi({
      url,
      username: this.options.username,
      password: this.options.password,
      fingerprint,
      knownCertificates: known,
      transport: this.options.transport ?? 'auto',
      maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ...(this.options.callTimeoutMs ? { timeoutMs: this.options.callTimeoutMs } : {}),
    });
  }

  /** Loads everything, then applies event.from batches until something fails or the watcher stops. */
  private async follow(): Promise<void> {
    const session = this.session;
    if (!session) return;
    let token = await this.load(session);
    const timeout = this.options.eventTimeoutSeconds ?? 30;
    const classes = POOL_CLASSES.map((cls) => cls.toLowerCase());
    while (this.running && this.session === session) {
      let batch: EventBatch;
      try {
        batch = parseBatch(await session.callWithTimeout((timeout + 15) * 1000, 'event.from', classes, token, new XapiDouble(timeout)));
      } catch (error) {
        if (error instanceof XapiError && (error.code === 'EVENTS_LOST' || error.code === 'EVENT_FROM_TOKEN_PARSE_FAILURE')) {
          token = await this.load(session); // the server dropped our queue: start over from a full read
          continue;
        }
        throw error;
      }
      token = batch.token;
      if (batch.events.length === 0) continue;
      const statefilesBefore = statefilesOf(this.raw);
      for (const event of batch.events) {
        const cls = poolClassOf(event.class);
        if (!cls) continue;
        const table = this.raw[cls];
        if (event.operation === 'del' || !event.snapshot) table.delete(event.ref);
        else if (cls !== 'message' || WATCHED.has(str(event.snapshot, 'name'))) table.set(event.ref, event.snapshot);
      }
      trimMessages(this.raw);
      // The pool record changes often (every event.inject touches it); its statefiles rarely.
      if (statefilesOf(this.raw) !== statefilesBefore) await loadStatefiles(session, this.raw);
      this.publish();
    }
  }

  private async load(session: XapiSession): Promise<string> {
    const { raw, token } = await loadPool(session);
    this.raw = raw;
    this.publish();
    return token;
  }

  private publish(): void {
    const observedAt = this.now().toISOString();
    const observation = normalizePool(this.raw, observedAt);
    this.lastGoodAt = observedAt;
    this.options.onObservation(observation);
    const session = this.session;
    const via = session ? ` over ${session.transport === 'json-rpc' ? 'JSON-RPC' : 'XML-RPC'}` : '';
    const hosts = observation.hosts.length;
    this.setStatus('ok', `following ${hosts} host${hosts === 1 ? '' : 's'}${via}`);
  }

  private describe(error: unknown): Failure {
    const where = this.session?.url ?? this.options.url;
    if (error instanceof XapiError) {
      switch (error.code) {
        case 'SESSION_AUTHENTICATION_FAILED':
          return { state: 'auth-failed', message: `${where} refused the user name or password`, retry: true };
        case 'HOST_IS_SLAVE':
          return { state: 'not-master', message: `${where} is a pool member; its master ${error.params[0] ?? ''} did not answer as master`, retry: true };
        case 'SESSION_INVALID':
          return { state: 'connecting', message: 'the session expired; logging in again', retry: true };
        case 'RBAC_PERMISSION_DENIED':
        case 'PERMISSION_DENIED':
          return { state: 'auth-failed', message: `the user may not read the pool: ${error.code} ${error.params.join(' ')}`, retry: true };
        default:
          return { state: 'error', message: `the pool answered ${error.code}${error.params.length ? ` (${error.params.join(', ')})` : ''}`, retry: true };
      }
    }
    if (error instanceof XapiTransportError) {
      switch (error.kind) {
        case 'certificate-changed': {
          const url = error.url ?? where;
          const isMaster = this.master !== null && url === this.master.url && url !== this.configuredUrl;
          const pinned = isMaster ? this.master!.fingerprint : this.pin;
          const presented = error.presentedFingerprint;
          if (presented) this.refusal = { host: isMaster ? 'master' : 'configured', url, presented, pinned };
          const what = isMaster ? `the pool master ${url} changed since ${this.options.url} named it` : `${url} changed`;
          return {
            state: 'certificate-changed',
            message: `the certificate of ${what}; not connecting until you accept the new one (${presented ?? 'unknown'})`,
            retry: false,
            ...(presented ? { certificate: { presented, pinned } } : {}),
          };
        }
        case 'unreachable':
        case 'timeout':
        case 'closed':
          return { state: 'unreachable', message: error.message, retry: true };
        default:
          return { state: 'error', message: error.message, retry: true };
      }
    }
    return { state: 'error', message: error instanceof Error ? error.message : String(error), retry: true };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (this.wake === finish) this.wake = null;
        resolve();
      };
      this.wake = finish;
      if (!Number.isFinite(ms)) return; // only a wake ends it
      if (this.options.sleep) this.options.sleep(ms).then(finish, finish);
      else timer = setTimeout(finish, ms);
    });
  }

}

const statefilesOf = (raw: RawPool) => strSet(raw.pool.values().next().value, 'ha_statefiles').join(',');

function jitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + random() * 0.4));
}

interface XapiEvent {
  class: string;
  operation: string;
  ref: string;
  snapshot: RawRecord | null;
}
interface EventBatch {
  events: XapiEvent[];
  token: string;
}

/** event.from's answer, checked field by field: a server that sends anything else is malformed, not trusted. */
function parseBatch(value: unknown): EventBatch {
  if (value === null || typeof value !== 'object') throw new XapiTransportError('malformed', 'event.from did not answer a struct');
  const { events, token } = value as { events?: unknown; token?: unknown };
  if (!Array.isArray(events) || typeof token !== 'string') {
    throw new XapiTransportError('malformed', 'event.from answered without events or token');
  }
  const parsed: XapiEvent[] = [];
  for (const event of events) {
    if (event === null || typeof event !== 'object') continue;
    const e = event as Record<string, unknown>;
    if (typeof e['class'] !== 'string' || typeof e['ref'] !== 'string' || typeof e['operation'] !== 'string') continue;
    const snapshot = e['snapshot'];
    parsed.push({
      class: e['class'],
      operation: e['operation'],
      ref: e['ref'],
      snapshot: snapshot !== null && typeof snapshot === 'object' && !Array.isArray(snapshot) ? (snapshot as RawRecord) : null,
    });
  }
  return { events: parsed, token };
}
