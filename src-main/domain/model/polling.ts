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
}
