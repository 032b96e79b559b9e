/**
 * How a collector's conversation with one device is going, for the status line beside it. Kept apart from
 * what was observed: a pool that stopped answering still shows its last good state, marked with this.
 */
export const POLL_STATES = [
  'idle',
  'connecting',
  'ok',
  'slow',
  'unreachable',
  'auth-failed',
  'certificate-unknown',
  'certificate-changed',
  'not-master',
  'error',
] as const;
export type PollState = (typeof POLL_STATES)[number];

export interface PollStatus {
  state: PollState;
  /** One sentence in the lab's words: what happened and, where it helps, what to do. */
  message: string;
  /** ISO time this state began. */
  since: string;
  /** ISO time of the last good observation, null if there never was one. */
  lastGoodAt: string | null;
  /** For TLS peers: the certificate presented and the one pinned (SHA-256, AB:CD:… form). */
  certificate?: { presented: string | null; pinned: string | null };
  /** Where the collector actually talks to (a member redirects to its master; the demo to its simulator). */
  endpoint?: string;
  /**
   * Set when the last good observation is older than STALE_AFTER_INTERVALS poll intervals, whatever the state
   * says (a poller that silently stopped still says 'ok'): the time of that observation, which is what the
   * screen still shows. Absent while fresh, and when there never was a good observation. See withStaleness.
   */
  staleSince?: string;
  /**
   * When the last good observation turns stale (its time + STALE_AFTER_INTERVALS intervals), so that a screen
   * with a ticking clock marks it stale on time without waiting for a new status. Absent without one.
   */
  staleAt?: string;
}

/** A device's last good observation counts as stale once it is older than this many poll intervals. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * The time the data on screen dates from when it is stale at `nowMs` (strictly more than
 * STALE_AFTER_INTERVALS × `intervalMs` after `lastGoodAt`), else null. Pure: the caller passes the clock.
 */
export function staleSince(lastGoodAt: string | null, intervalMs: number, nowMs: number): string | null {
  if (lastGoodAt === null) return null;
  const at = Date.parse(lastGoodAt);
  if (!Number.isFinite(at) || !(intervalMs > 0)) return null;
  return nowMs - at > STALE_AFTER_INTERVALS * intervalMs ? lastGoodAt : null;
}

/**
 * The status as of `nowMs`: `staleAt` set whenever there is a last good observation, `staleSince` only when it
 * is stale by then. Pure.
 */
export function withStaleness(status: PollStatus, intervalMs: number, nowMs: number): PollStatus {
  const { staleSince: _since, staleAt: _at, ...fresh } = status;
  const at = status.lastGoodAt === null ? NaN : Date.parse(status.lastGoodAt);
  if (!Number.isFinite(at) || !(intervalMs > 0)) return fresh;
  const since = staleSince(status.lastGoodAt, intervalMs, nowMs);
  const staleAt = new Date(at + STALE_AFTER_INTERVALS * intervalMs).toISOString();
  return since === null ? { ...fresh, staleAt } : { ...fresh, staleSince: since, staleAt };
}
