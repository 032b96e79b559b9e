/**
 * One read of a pool, outside the inventory: `labwarden poll xenapi://…` for scripts and cron. Logs in,
 * reads everything once, logs out. The certificate rule is the app's: a given pin must match; without one the
 * first certificate is accepted and reported so the caller can print it.
 */
import { connectXapi } from '../drivers/xenapi/client';
import type { TransportChoice } from '../drivers/xenapi/transports/auto';
import { loadPool } from '../drivers/xenapi/load';
import { normalizePool } from '../drivers/xenapi/normalize';
import type { PoolObservation } from '../domain/model/pools';

export interface PollOnceOptions {
  url: string;
  username: string;
  password: string;
  fingerprint: string | null;
  timeoutMs?: number;
  /** Default 'auto' (XML-RPC below API 2.8); a benchmark or test may insist on one protocol. */
  transport?: TransportChoice;
}

export interface PollOnceResult {
  observation: PoolObservation;
  /**
   * The certificate of the host at the URL given (https), null on plain http: the one `fingerprint` pins next
   * time. After a redirect that is the member's, not the master's (README.md of drivers/xenapi, "Trust").
   */
  fingerprint: string | null;
  /** The master actually read, after any redirect from a pool member. */
  url: string;
  /** The master's certificate (https), the same as `fingerprint` without a redirect. */
  masterFingerprint: string | null;
  transport: 'xml-rpc' | 'json-rpc';
}

export async function pollPoolOnce(options: PollOnceOptions): Promise<PollOnceResult> {
  const session = await connectXapi({
    url: options.url,
    username: options.username,
    password: options.password,
    fingerprint: options.fingerprint,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  try {
    const { raw } = await loadPool(session);
    return {
      observation: normalizePool(raw, new Date().toISOString()),
      fingerprint: session.hops[0]?.fingerprint ?? session.fingerprint,
      url: session.url,
      masterFingerprint: session.fingerprint,
      transport: session.transport,
    };
  } finally {
    await session.logout();
    session.close();
  }
}
