/**
 * event.from and event.inject, after xen-api ocaml/xapi/xapi_event.ml:
 * - the token is "%020d,%020d" (database generation, message generation); "" means from the start, so
 *   every existing object comes back as an `add`; anything else unparsable is EVENT_FROM_TOKEN_PARSE_FAILURE;
 * - subscriptions are lowercased class names, "*" for all, "class/ref" for one object;
 * - the call blocks until something matching changed or the timeout passed, then waits 50 ms more to
 *   batch (xapi_globs event_from_delay); empty batches are not returned before the timeout;
 * - one event per object, with its latest snapshot: `add` if created after the token, `mod` if changed,
 *   `del` (no snapshot) if removed; messages come as class "message", add or del;
 * - inject touches a row and returns a token just before that change, so the next event.from sees it.
 */
import { SERVED_CLASSES, type ServedClass } from './field-types';
import { recordOf } from './records';
import type { Session, Sessions } from './sessions';
import type { XapiStore } from './store';
import { ApiError, WireInt32, type WireStruct, type WireValue } from './wire-value';

/** xapi_globs.event_from_delay: after a wake-up, gather what else changes in the next 50 ms. */
export const EVENT_BATCH_MS = 50;

export const formatToken = (generation: number, messageGeneration: number) =>
  `${String(generation).padStart(20, '0')},${String(messageGeneration).padStart(20, '0')}`;

export function parseToken(token: string): [number, number] {
  if (token === '') return [0, 0];
  const parts = token.split(',');
  if (parts.length !== 2 || !parts.every((part) => /^-?\d{1,20}$/.test(part.trim()))) {
    throw new ApiError('EVENT_FROM_TOKEN_PARSE_FAILURE', token);
  }
  const [generation, messages] = parts.map((part) => Number(part.trim())) as [number, number];
  if (!Number.isSafeInteger(generation) || !Number.isSafeInteger(messages)) throw new ApiError('EVENT_FROM_TOKEN_PARSE_FAILURE', token);
  return [generation, messages];
}

type Subscription = { all: true } | { all: false; cls: string; ref?: string };

export function parseSubscriptions(classes: readonly string[]): Subscription[] {
  return classes.map((text) => {
    if (text === '*') return { all: true };
    const slash = text.indexOf('/');
    if (slash < 0) return { all: false, cls: text.toLowerCase() };
    return { all: false, cls: text.slice(0, slash).toLowerCase(), ref: text.slice(slash + 1) };
  });
}

const tableMatches = (subs: readonly Subscription[], cls: string) =>
  subs.some((sub) => sub.all || sub.cls === cls.toLowerCase());
const objectMatches = (subs: readonly Subscription[], cls: string, ref: string) =>
  subs.some((sub) => sub.all || (sub.cls === cls.toLowerCase() && (sub.ref === undefined || sub.ref === ref)));

interface Batch {
  events: WireValue[];
  counts: Map<string, number>;
}

function eventOf(id: number, at: number, cls: ServedClass, op: 'add' | 'mod' | 'del', ref: string, snapshot?: WireStruct): WireStruct {
  const event: WireStruct = new Map<string, WireValue>([
    ['id', String(id)],
    ['timestamp', String(at / 1000)],
    ['class', cls.toLowerCase()],
    ['operation', op],
    ['ref', ref],
  ]);
  if (snapshot) event.set('snapshot', snapshot);
  return event;
}

/** Everything matching `subs` that changed after (generation, messageGeneration). */
export function collectEvents(store: XapiStore, subs: readonly Subscription[], since: number, messagesSince: number): Batch {
  const ordered: { order: number; event: WireStruct }[] = [];
  const counts = new Map<string, number>();
  for (const cls of SERVED_CLASSES) {
    if (!tableMatches(subs, cls)) continue;
    const table = store.table(cls);
    const from = cls === 'message' ? messagesSince : since;
    // Messages are not database rows in xapi, so they have no valid_ref_count either.
    if (cls !== 'message') counts.set(cls.toLowerCase(), table.rows.size);
    if (table.lastChange <= from) continue;
    for (const row of table.rows.values()) {
      if (row.mtime <= from || !objectMatches(subs, cls, row.ref)) continue;
      const created = row.ctime > from;
      const id = created ? row.ctime : row.mtime;
      // xapi numbers message events 0; database events carry their generation.
      const event = eventOf(cls === 'message' ? 0 : id, row.changedAt, cls, created ? 'add' : 'mod', row.ref, recordOf(store, cls, row));
      ordered.push({ order: cls === 'message' ? Number.MAX_SAFE_INTEGER : id, event });
    }
    for (const [ref, tombstone] of table.tombstones) {
      // Created and removed since the token: the client never saw it, so it hears nothing.
      if (tombstone.dtime <= from || tombstone.ctime > from || !objectMatches(subs, cls, ref)) continue;
      const id = cls === 'message' ? 0 : tombstone.dtime;
      ordered.push({ order: cls === 'message' ? Number.MAX_SAFE_INTEGER : tombstone.dtime, event: eventOf(id, Date.now(), cls, 'del', ref) });
    }
  }
  ordered.sort((a, b) => a.order - b.order);
  return { events: ordered.map((entry) => entry.event), counts };
}

export type WaitOutcome = 'woken' | 'timeout' | 'aborted';

/** Where blocked event.from calls wait; any change, logout, invalidation or loseEvents wakes them all. */
export class EventHub {
  private readonly waiters = new Set<(outcome: WaitOutcome) => void>();

  wake(): void {
    for (const resolve of [...this.waiters]) resolve('woken');
  }

  get waiting(): number {
    return this.waiters.size;
  }

  wait(untilMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const finish = (outcome: WaitOutcome) => {
        if (!this.waiters.delete(finish)) return;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), Math.max(0, untilMs - Date.now()));
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(finish);
    });
  }
}

export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The longest event.from wait the simulator grants; clients ask for 30–60 s. */
export const MAX_EVENT_TIMEOUT_S = 3600;

export interface EventFromContext {
  store: XapiStore;
  sessions: Sessions;
  hub: EventHub;
}

/**
 * event.from for a session already checked once. Returns null when the server is closing (the caller
 * drops the connection, as a host going down would).
 */
export async function eventFrom(
  ctx: EventFromContext,
  sessionRef: string,
  classes: readonly string[],
  token: string,
  timeoutSeconds: number,
  signal: AbortSignal,
): Promise<WireStruct | null> {
  const [since, messagesSince] = parseToken(token);
  const subs = parseSubscriptions(classes);
  const deadline = Date.now() + Math.min(Math.max(timeoutSeconds, 0), MAX_EVENT_TIMEOUT_S) * 1000;
  for (;;) {
    const session: Session | undefined = ctx.sessions.get(sessionRef);
    if (!session) throw new ApiError('SESSION_INVALID', sessionRef);
    if (session.eventsLost) {
      session.eventsLost = false;
      throw new ApiError('EVENTS_LOST');
    }
    if (session.tokenRejected) {
      session.tokenRejected = false;
      throw new ApiError('EVENT_FROM_TOKEN_PARSE_FAILURE', token);
    }
    const batch = collectEvents(ctx.store, subs, since, messagesSince);
    if (batch.events.length > 0 || Date.now() >= deadline) {
      const counts: WireStruct = new Map([...batch.counts].map(([cls, n]) => [cls, new WireInt32(n)]));
      return new Map<string, WireValue>([
        ['events', batch.events],
        ['valid_ref_counts', counts],
        ['token', formatToken(ctx.store.generation, ctx.store.messageGeneration)],
      ]);
    }
    const outcome = await ctx.hub.wait(deadline, signal);
    if (outcome === 'aborted') return null;
    if (outcome === 'woken' && !(await delay(EVENT_BATCH_MS, signal))) return null;
  }
}

/** event.inject: touches the row and returns the token from just before the touch. */
export function eventInject(store: XapiStore, clsName: string, ref: string): string {
  const cls = store.classNamed(clsName, true);
  if (!cls || cls === 'message' || !store.get(cls, ref)) throw new ApiError('HANDLE_INVALID', clsName, ref);
  const generation = store.touchRow(cls, ref);
  return formatToken(generation - 1, 0);
}
