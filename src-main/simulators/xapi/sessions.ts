/**
 * Login sessions. A session ref is random and opaque, as on a real host, and works on every endpoint
 * (a session from XML-RPC is valid on JSON-RPC and back). Scripts can invalidate every session at once
 * (the host restarted, or the client's session timed out) or make each session's next event.from
 * answer EVENTS_LOST; both wake blocked event.from calls so they answer at once.
 */
import { newSessionRef } from './ids';

export interface Session {
  readonly ref: string;
  readonly user: string;
  readonly createdAt: number;
  /** Set by loseEvents(): the next event.from on this session answers EVENTS_LOST. */
  eventsLost: boolean;
  /** Set by rejectTokens(): the next event.from on this session refuses its token. */
  tokenRejected: boolean;
}

/** Far more than any test or demo opens; a client that leaks sessions is told so instead of eating memory. */
export const MAX_SESSIONS = 10_000;

export class Sessions {
  private readonly byRef = new Map<string, Session>();

  constructor(private readonly wake: () => void) {}

  create(user: string): string {
    if (this.byRef.size >= MAX_SESSIONS) {
      // xapi destroys the oldest sessions when a user holds too many; so does the simulator.
      this.byRef.delete(this.byRef.keys().next().value!);
    }
    const ref = newSessionRef();
    this.byRef.set(ref, { ref, user, createdAt: Date.now(), eventsLost: false, tokenRejected: false });
    return ref;
  }

  get(ref: string): Session | undefined {
    return this.byRef.get(ref);
  }

  logout(ref: string): void {
    this.byRef.delete(ref);
    this.wake();
  }

  get count(): number {
    return this.byRef.size;
  }

  invalidateAll(): void {
    this.byRef.clear();
    this.wake();
  }

  loseEvents(): void {
    for (const session of this.byRef.values()) session.eventsLost = true;
    this.wake();
  }

  rejectTokens(): void {
    for (const session of this.byRef.values()) session.tokenRejected = true;
    this.wake();
  }
}
