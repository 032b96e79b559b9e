/** Traffic samples per port (migration 003): written by the SNMP collector, read for sparklines. */
import type { Db } from './db';

export interface PortSample {
  ifIndex: number;
  at: string;
  inBps: number | null;
  outBps: number | null;
}

const KEEP_MS = 24 * 3600 * 1000;

/** Adds one poll's samples and drops this device's samples older than a day, in one transaction. */
export function addPortSamples(db: Db, deviceId: number, samples: readonly PortSample[], now = new Date()): void {
  const insert = db.prepare('INSERT OR REPLACE INTO port_samples (device_id, if_index, at, in_bps, out_bps) VALUES (?, ?, ?, ?, ?)');
  const prune = db.prepare('DELETE FROM port_samples WHERE device_id = ? AND at < ?');
  db.transaction(() => {
    for (const s of samples) insert.run(deviceId, s.ifIndex, s.at, s.inBps, s.outBps);
    prune.run(deviceId, new Date(now.getTime() - KEEP_MS).toISOString());
  })();
}

/** The newest `limit` samples of every port of a device, oldest first, by ifIndex. */
export function recentPortSamples(db: Db, deviceId: number, limit = 30): Map<number, PortSample[]> {
  const rows = db
    .prepare(
      `SELECT if_index, at, in_bps, out_bps FROM (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY if_index ORDER BY at DESC) AS n FROM port_samples WHERE device_id = ?
       ) WHERE n <= ? ORDER BY if_index, at`,
    )
    .all(deviceId, limit) as { if_index: number; at: string; in_bps: number | null; out_bps: number | null }[];
  const out = new Map<number, PortSample[]>();
  for (const row of rows) {
    let list = out.get(row.if_index);
    if (!list) out.set(row.if_index, (list = []));
    list.push({ ifIndex: row.if_index, at: row.at, inBps: row.in_bps, outBps: row.out_bps });
  }
  return out;
}
