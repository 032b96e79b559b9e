/**
 * One full read of a pool: every class the pool view needs with get_all_records (in parallel, over the
 * session's keep-alive connections), plus the HA statefile VDIs that name the heartbeat SR. Used by the
 * watcher at start and after EVENTS_LOST, and by `labwarden poll` for a one-off read.
 */
import type { XapiSession } from './client';
import { XapiError, XapiTransportError } from './errors';
import { POOL_CLASSES, emptyRawPool, ref, str, strSet, type RawPool, type RawRecord } from './records';
import { WATCHED_ALERTS } from '../../domain/model/pools';

export const WATCHED_MESSAGES: ReadonlySet<string> = new Set<string>(WATCHED_ALERTS);
const MAX_MESSAGES = 500;

/** Reads the whole pool; `token` is where event.from continues so nothing changed during the read is lost. */
export async function loadPool(session: XapiSession): Promise<{ raw: RawPool; token: string }> {
  const pools = await session.call<unknown>('pool.get_all');
  const poolRef = Array.isArray(pools) && typeof pools[0] === 'string' ? pools[0] : undefined;
  // The token comes first (event.inject, 6.1+), so changes made while we read are replayed, not lost.
  // Without it, event.from starts from "" and replays every object once: slower, equally correct.
  let token = '';
  if (poolRef) {
    try {
      const injected = await session.call<unknown>('event.inject', 'pool', poolRef);
      if (typeof injected === 'string') token = injected;
    } catch (error) {
      if (!(error instanceof XapiError && error.code === 'MESSAGE_METHOD_UNKNOWN')) throw error;
    }
  }
  const raw = emptyRawPool();
  const tables = await Promise.all(POOL_CLASSES.map((cls) => session.call<unknown>(`${cls}.get_all_records`)));
  POOL_CLASSES.forEach((cls, i) => {
    const records = tables[i];
    if (records === null || typeof records !== 'object' || Array.isArray(records)) {
      throw new XapiTransportError('malformed', `${cls}.get_all_records did not answer a map of records`);
    }
    const table = raw[cls];
    for (const [recordRef, record] of Object.entries(records as Record<string, unknown>)) {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) continue;
      if (cls === 'message' && !WATCHED_MESSAGES.has(str(record as RawRecord, 'name'))) continue;
      table.set(recordRef, record as RawRecord);
    }
  });
  trimMessages(raw);
  await loadStatefiles(session, raw);
  return { raw, token };
}

/** The HA statefile VDIs name the heartbeat SR; only those VDIs are read, not every disk in the pool. */
export async function loadStatefiles(session: XapiSession, raw: RawPool): Promise<void> {
  const pool = raw.pool.values().next().value;
  raw.VDI.clear();
  for (const vdiRef of strSet(pool, 'ha_statefiles')) {
    try {
      const record = await session.call<unknown>('VDI.get_record', vdiRef);
      if (record && typeof record === 'object' && ref(record as RawRecord, 'SR')) raw.VDI.set(vdiRef, record as RawRecord);
    } catch (error) {
      if (!(error instanceof XapiError)) throw error; // a statefile gone is not a broken connection
    }
  }
}

/** Real pools keep thousands of messages: only the newest watched ones are held. */
export function trimMessages(raw: RawPool): void {
  if (raw.message.size <= MAX_MESSAGES) return;
  const newest = [...raw.message.entries()].sort((a, b) => (str(a[1], 'timestamp') < str(b[1], 'timestamp') ? 1 : -1));
  raw.message = new Map(newest.slice(0, MAX_MESSAGES));
}
