/**
 * Keeps one pool's observation current: log in, load every class with get_all_records, then follow changes
 * with event.from (reference §4.1, Xen Orchestra's pattern: event.inject gives a token before the load, so
 * nothing that happens during it is lost). EVENTS_LOST reloads, SESSION_INVALID logs in again, a dropped
 * connection backs off and reconnects. The last good observation is never thrown away by a failure: the
 * status says what is wrong and since when, the screens keep showing what was last seen.
 */
import { connectXapi, type XapiSession } from './client';
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
  /** The pinned certificate; null trusts the first one seen and reports it through onCertificate. */
  fingerprint: string | null;
  transport?: 'auto' | 'xml-rpc' | 'json-rpc';
  onObservation(observation: PoolObservation): void;
  onStatus(status: PollStatus): void;
  /** The certificate that a first use accepted, for the caller to pin. */
  onFirstCertificate?(fingerprint: string): void;
  /** event.from's own wait, in seconds; the server answers sooner when anything changes. */
  eventTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
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
  presented?: string;
}

export class PoolWatcher {
  private running = false;
  private session: XapiSession | null = null;
  private raw: RawPool = emptyRawPool();
  private lastGoodAt: string | null = null;
  private status: PollStatus;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private pin: string | null;
  private seenCertificate: string | null = null;
  private readonly now: () => Date;

  constructor(private readonly options: PoolWatchOptions) {
    this.pin = options.fingerprint;
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

  /** The user accepted a new certificate (or a first use pinned one): reconnect with it. */
  setPin(fingerprint: string | null): void {
    if (fingerprint === this.pin) return;
    this.pin = fingerprint;
    this.session?.close();
    this.wake?.();
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
        this.setStatus(failure.state, failure.message, failure.presented ? { certificate: { presented: failure.presented, pinned: this.pin } } : {});
        // Some failures need a person (a changed certificate): wait for setPin or stop, not a timer.
        await this.sleep(failure.retry ? jitter(delay) : Number.POSITIVE_INFINITY);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  }

  private async connect(): Promise<void> {
    this.setStatus('connecting', `connecting to ${this.options.url}`);
    const session = await connectXapi({
      url: this.options.url,
      username: this.options.username,
      password: this.options.password,
      fingerprint: this.pin,
      transport: this.options.transport ?? 'auto',
      maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ...(this.options.callTimeoutMs ? { timeoutMs: this.options.callTimeoutMs } : {}),
      onCertificate: (fingerprint) => {
        this.seenCertificate = fingerprint;
      },
    });
    if (!this.running) {
      await closeSession(session);
      return;
    }
    this.session = session;
    if (this.pin === null && session.fingerprint) {
      this.pin = session.fingerprint;
      this.options.onFirstCertificate?.(session.fingerprint);
    }
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
        case 'certificate-changed':
          return {
            state: 'certificate-changed',
            message: `the certificate of ${where} changed; not connecting until you accept the new one (${error.presentedFingerprint ?? 'unknown'})`,
            retry: false,
            ...(error.presentedFingerprint ? { presented: error.presentedFingerprint } : {}),
          };
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
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : null;
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

const statefilesOf = (raw: RawPool) => strSet(raw.pool.values().next().value, 'ha_statefiles').join(',');

function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
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
