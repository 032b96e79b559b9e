/** The last observation of each device per source (see migrations/002-observations.ts). */
import type { Db } from './db';
import type { ApiEndpoint } from '../domain/model/devices';

export type ObservationSource = 'xenapi' | 'snmp' | 'iscsi' | 'dsm';

export function saveObservation(db: Db, deviceId: number, source: ObservationSource, observedAt: string, body: unknown): void {
  db.prepare(
    `INSERT INTO observations (device_id, source, observed_at, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (device_id, source) DO UPDATE SET observed_at = excluded.observed_at, body = excluded.body`,
  ).run(deviceId, source, observedAt, JSON.stringify(body));
}

/** The stored body, or null; a row that no longer parses (a crash mid-write cannot cause one) reads as none. */
export function loadObservation<T>(db: Db, deviceId: number, source: ObservationSource): { observedAt: string; body: T } | null {
  const row = db.prepare('SELECT observed_at, body FROM observations WHERE device_id = ? AND source = ?').get(deviceId, source) as
    | { observed_at: string; body: string }
    | undefined;
  if (!row) return null;
  try {
    return { observedAt: row.observed_at, body: JSON.parse(row.body) as T };
  } catch {
    return null;
  }
}

export function deleteObservation(db: Db, deviceId: number, source: ObservationSource): void {
  db.prepare('DELETE FROM observations WHERE device_id = ? AND source = ?').run(deviceId, source);
}

/**
 * Pins (or re-pins, after the user accepted a new one) the certificate of a device's XenAPI or DSM endpoint,
 * leaving every other field as it is. False when the device has no such endpoint any more.
 */
export function pinCertificate(db: Db, deviceId: number, protocol: 'xenapi' | 'dsm', fingerprint: string): boolean {
  const column = protocol === 'xenapi' ? 'xenapi' : 'dsm';
  const row = db.prepare(`SELECT ${column} AS endpoint FROM devices WHERE id = ?`).get(deviceId) as { endpoint: string | null } | undefined;
  if (!row?.endpoint) return false;
  const endpoint = JSON.parse(row.endpoint) as ApiEndpoint;
  endpoint.fingerprint = fingerprint;
  db.prepare(`UPDATE devices SET ${column} = ? WHERE id = ?`).run(JSON.stringify(endpoint), deviceId);
  return true;
}
