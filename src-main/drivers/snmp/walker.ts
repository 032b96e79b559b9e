/**
 * Walks a device's subtrees over one session: GetBulk (v2c/v3) or GetNext (v1), several subtrees in flight at
 * once so round trips overlap, each stopping at its subtree's end. The guards snmp.md §2 asks for live here:
 * an agent whose OIDs do not increase (net-snmp's backwardsGetNexts:false lets an equal OID through, so we
 * check too), a runaway table (varbind cap), tooBig (maxRepetitions 25 → 10 → GetNext). A subtree that fails
 * becomes a gap and the rest of the poll goes on; only when every subtree failed the same way does the walk
 * throw, since then the device as a whole is the problem.
 */
import { SnmpFailure } from './errors';
import { endedWithoutAnswer, isException, openSession, type RawVarbind, type SnmpSession, type SnmpTarget } from './session';
import type { Varbind, Walk } from './varbinds';

export interface WalkOptions {
  /** GetBulk max-repetitions to start with; default 25. */
  maxRepetitions?: number;
  /** Subtrees in flight per device; default 4. */
  concurrency?: number;
  /** A subtree with more varbinds than this is a 'too-many' gap; default 200_000. */
  maxVarbindsPerSubtree?: number;
  /** The whole walk must end within this; subtrees not done by then are gaps. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface WalkResult {
  walk: Walk;
  /** One line per subtree that could not be read: '<root>: <kind>: <why>' (the device is not named again). */
  gaps: string[];
  varbinds: number;
  requests: number;
}

export const DEFAULT_MAX_REPETITIONS = 25;
export const FALLBACK_MAX_REPETITIONS = 10;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_VARBINDS = 200_000;
/**
 * Requests in a row at one point of a subtree that got no usable answer while the device answered others,
 * before the subtree is a gap. The first is retried as it was (a lost datagram, more likely on a bad link
 * than an agent that drops big answers); the next ones ask for 10 repetitions.
 */
const UNANSWERED_IN_A_ROW = 4;
const MAX_ROOTS = 1_000;

const OID = /^\d+(\.\d+)+$/;

const DOT = 46;

/** Length of the run of digits starting at `i`. */
function digitsFrom(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== DOT) j++;
  return j - i;
}

/**
 * -1, 0, 1 as OID a sorts before, equal to, after OID b, arc by arc (numbers, not text). Runs once per
 * varbind, so it scans the common prefix and only looks at arcs where the two first differ.
 */
export function compareOids(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === a.length || i === b.length) return a.length === b.length ? 0 : i === a.length ? -1 : 1;
  // The arcs that differ start after the last dot before i; a dot here means that arc has ended (shorter).
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (x === DOT) return -1;
  if (y === DOT) return 1;
  const restA = digitsFrom(a, i);
  const restB = digitsFrom(b, i);
  if (restA !== restB) return restA < restB ? -1 : 1;
  return x < y ? -1 : 1;
}

function toBigInt(bytes: Buffer): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/**
 * net-snmp's value shapes into ours: Counter64 bytes become a bigint, everything else keeps its shape (and
 * net-snmp's own object, which has just oid, type and value, is handed on as it is: one varbind, no copy).
 */
export function toVarbind(raw: RawVarbind): Varbind {
  const { oid, type, value } = raw;
  if (type !== 70 && (Buffer.isBuffer(value) || typeof value === 'number' || typeof value === 'string' || value === null)) return raw as Varbind;
  if (type === 70) return { oid, type, value: Buffer.isBuffer(value) ? toBigInt(value) : typeof value === 'number' ? BigInt(value) : null };
  if (value === null || value === undefined) return { oid, type, value: null };
  if (Buffer.isBuffer(value) || typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return { oid, type, value };
  if (typeof value === 'boolean') return { oid, type, value: value ? 1 : 0 };
  return { oid, type, value: null };
}

interface WalkState {
  session: SnmpSession;
  /** Set when the walk must stop launching requests (deadline, abort, the device as a whole failed). */
  stop: SnmpFailure | null;
  /** Sets `stop` and closes the session, so requests in flight end at once. */
  halt(failure: SnmpFailure): void;
  maxRepetitions: number;
  cap: number;
  bulk: boolean;
  /** Unanswered requests in a row (session-wide) that mean the device, not a subtree, has gone quiet. */
  silentAfter: number;
  /** Parent OID → the most varbinds a finished subtree under it had: columns of one table have as many rows. */
  rowsUnder: Map<string, number>;
}

type Mode = { bulk: true; maxRepetitions: number } | { bulk: false };

function stepDown(mode: Mode): Mode | null {
  if (!mode.bulk) return null;
  if (mode.maxRepetitions > FALLBACK_MAX_REPETITIONS) return { bulk: true, maxRepetitions: FALLBACK_MAX_REPETITIONS };
  return { bulk: false };
}

function done(state: WalkState, parent: string, collected: Varbind[]): Varbind[] {
  if (collected.length > (state.rowsUnder.get(parent) ?? -1)) state.rowsUnder.set(parent, collected.length);
  return collected;
}

/** Walks one subtree to its end; throws SnmpFailure for anything that makes it a gap. */
async function walkOne(state: WalkState, root: string): Promise<Varbind[]> {
  const { session } = state;
  const prefix = `${root}.`;
  const collected: Varbind[] = [];
  let mode: Mode = state.bulk ? { bulk: true, maxRepetitions: state.maxRepetitions } : { bulk: false };
  let cursor = root;
  let timeouts = 0;
  const parent = root.slice(0, root.lastIndexOf('.'));
  for (;;) {
    if (state.stop) throw state.stop;
    let answer: RawVarbind[];
    try {
      if (mode.bulk) {
        // A sibling column already told how many rows the table has: ask for those plus one (to see the end),
        // not for 25 of which most lie past this subtree and are decoded for nothing.
        const expected = state.rowsUnder.get(parent);
        const remaining = expected === undefined ? -1 : expected - collected.length;
        const repetitions = remaining >= 0 ? Math.min(mode.maxRepetitions, remaining + 1) : mode.maxRepetitions;
        answer = (await session.getBulk([cursor], repetitions))[0] ?? [];
      }
      else answer = await session.getNext([cursor]);
    } catch (error) {
      if (state.stop) throw state.stop;
      if (!(error instanceof SnmpFailure)) throw error;
      if (error.kind === 'too-big') {
        const lower = stepDown(mode);
        if (lower === null) throw new SnmpFailure('too-big', `${session.label}: tooBig even for a single GetNext at ${cursor}`);
        mode = lower;
        continue;
      }
      // SNMPv1 says "past the end of the MIB" with noSuchName.
      if (!mode.bulk && error.status === 2) return done(state, parent, collected);
      if (endedWithoutAnswer(error)) {
        // As many requests in a row unanswered as are in flight at once, with no answer between them: it is
        // the device (down, wrong community, gone mid-poll), not this subtree. One window, not one per subtree.
        if (session.unansweredInARow >= state.silentAfter) {
          state.halt(error);
          throw error;
        }
        // Otherwise a lost datagram, or an agent that drops (or cuts) big answers: try again, then ask for
        // fewer repetitions — but not GetNext, which on a lossy link would multiply the losses by 25.
        if (++timeouts < UNANSWERED_IN_A_ROW) {
          if (timeouts > 1 && mode.bulk && mode.maxRepetitions > FALLBACK_MAX_REPETITIONS) mode = { bulk: true, maxRepetitions: FALLBACK_MAX_REPETITIONS };
          continue;
        }
      }
      throw error;
    }
    timeouts = 0;
    if (answer.length === 0) return done(state, parent, collected);
    for (const raw of answer) {
      if (isException(raw.type) || !raw.oid.startsWith(prefix)) return done(state, parent, collected);
      if (compareOids(raw.oid, cursor) <= 0) {
        throw new SnmpFailure('loop', `${session.label}: the agent returned ${raw.oid} after ${cursor} (OIDs not increasing; the walk would never end)`);
      }
      collected.push(toVarbind(raw));
      cursor = raw.oid;
      if (collected.length > state.cap) {
        throw new SnmpFailure('too-many', `${session.label}: more than ${state.cap} varbinds under ${root}; stopped reading it`);
      }
    }
  }
}

function checkOptions(options: WalkOptions): void {
  const { maxRepetitions, concurrency, maxVarbindsPerSubtree, deadlineMs } = options;
  if (maxRepetitions !== undefined && (!Number.isInteger(maxRepetitions) || maxRepetitions < 1 || maxRepetitions > 1_000)) {
    throw new RangeError(`maxRepetitions ${String(maxRepetitions)} is not 1–1000`);
  }
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) throw new RangeError(`concurrency ${String(concurrency)} is not 1–64`);
  if (maxVarbindsPerSubtree !== undefined && (!Number.isInteger(maxVarbindsPerSubtree) || maxVarbindsPerSubtree < 1)) {
    throw new RangeError(`maxVarbindsPerSubtree ${String(maxVarbindsPerSubtree)} is not a positive integer`);
  }
  if (deadlineMs !== undefined && (!Number.isFinite(deadlineMs) || deadlineMs <= 0)) throw new RangeError(`deadlineMs ${String(deadlineMs)} is not positive`);
}

function normaliseRoots(roots: readonly string[]): string[] {
  if (roots.length > MAX_ROOTS) throw new RangeError(`${roots.length} subtrees to walk; at most ${MAX_ROOTS}`);
  const seen = new Set<string>();
  for (const root of roots) {
    const oid = root.startsWith('.') ? root.slice(1) : root;
    if (!OID.test(oid)) throw new RangeError(`"${root}" is not a numeric OID`);
    seen.add(oid);
  }
  return [...seen];
}

/**
 * Reads every subtree under `roots` from one device. The walk holds, per root, the varbinds under it in
 * OID order (an empty list when the agent has nothing there); a root that failed is absent and has a gap.
 */
export async function walkSubtrees(target: SnmpTarget, roots: readonly string[], options: WalkOptions = {}): Promise<WalkResult> {
  checkOptions(options);
  const list = normaliseRoots(roots);
  const session = openSession(target);
  const state: WalkState = {
    session,
    stop: null,
    halt(failure) {
      if (state.stop) return;
      state.stop = failure;
      session.close(); // in-flight requests end at once, as 'closed', and are reported as `failure`
    },
    maxRepetitions: options.maxRepetitions ?? DEFAULT_MAX_REPETITIONS,
    cap: options.maxVarbindsPerSubtree ?? DEFAULT_MAX_VARBINDS,
    bulk: target.version !== 'v1',
    silentAfter: Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, list.length)),
    rowsUnder: new Map(),
  };
  const { signal } = options;
  if (signal?.aborted) {
    session.close();
    throw new SnmpFailure('closed', `${session.label}: walk cancelled before it started`);
  }
  const onAbort = () => state.halt(new SnmpFailure('closed', `${session.label}: walk cancelled`));
  signal?.addEventListener('abort', onAbort, { once: true });
  const deadline =
    options.deadlineMs === undefined
      ? null
      : setTimeout(() => state.halt(new SnmpFailure('timeout', `${session.label}: the walk's deadline of ${options.deadlineMs} ms passed`)), options.deadlineMs);

  const walk = new Map<string, Varbind[]>();
  const failures = new Map<string, SnmpFailure>();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const root = list[next++]!;
      if (state.stop) {
        failures.set(root, state.stop);
        continue;
      }
      try {
        walk.set(root, await walkOne(state, root));
      } catch (error) {
        const failure = error instanceof SnmpFailure ? error : new SnmpFailure('protocol', `${session.label}: ${String(error)}`);
        failures.set(root, failure);
        // Device-wide: a v3 credential problem (the same keys go with every request).
        if (failure.kind === 'auth') state.halt(failure);
      }
    }
  };
  try {
    const workers = Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, list.length) }, worker);
    await Promise.all(workers);
  } finally {
    if (deadline) clearTimeout(deadline);
    signal?.removeEventListener('abort', onAbort);
    session.close();
  }
  if (signal?.aborted) throw state.stop ?? new SnmpFailure('closed', `${session.label}: walk cancelled`);
  if (list.length > 0 && walk.size === 0) {
    const kinds = new Set([...failures.values()].map((f) => f.kind));
    if (kinds.size === 1) throw failures.values().next().value!;
  }
  const ordered = new Map<string, Varbind[]>();
  const gaps: string[] = [];
  let varbinds = 0;
  for (const root of list) {
    const found = walk.get(root);
    if (found) {
      ordered.set(root, found);
      varbinds += found.length;
    } else {
      // The observation is this device's already: its name would only repeat in every gap line.
      const failure = failures.get(root)!;
      const detail = failure.message.startsWith(`${session.label}: `) ? failure.message.slice(session.label.length + 2) : failure.message;
      gaps.push(`${root}: ${failure.kind}: ${detail}`);
    }
  }
  return { walk: ordered, gaps, varbinds, requests: session.requests };
}
