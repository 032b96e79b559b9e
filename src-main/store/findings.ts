import type { Db } from './db';
import type { Acceptance } from '../domain/audit/finding';

/**
 * What the audit keeps between runs: the findings the owner accepted (with a note), and when each finding
 * was first and last seen open. Finding ids are exact strings made by the audit (`rule:device:subject`),
 * compared as written.
 */

/** Every accepted finding, sorted by id. */
export function listAcceptances(db: Db): Acceptance[] {
  return db.prepare('SELECT id, note, accepted_at AS at FROM finding_acceptances ORDER BY id').all() as Acceptance[];
}

/** Accepts a finding, or replaces the note and time of one already accepted. */
export function acceptFinding(db: Db, id: string, note: string, at: string): void {
  db.prepare(
    `INSERT INTO finding_acceptances (id, note, accepted_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET note = excluded.note, accepted_at = excluded.accepted_at`,
  ).run(id, note, at);
}

/** Takes an acceptance back; false when the finding was not accepted. */
export function unacceptFinding(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM finding_acceptances WHERE id = ?').run(id).changes > 0;
}

/** Replaces every acceptance with `acceptances`, all accepted at `at` (an import). Runs inside the caller's transaction. */
export function replaceAcceptances(db: Db, acceptances: readonly { id: string; note: string }[], at: string): void {
  db.prepare('DELETE FROM finding_acceptances').run();
  const insert = db.prepare('INSERT INTO finding_acceptances (id, note, accepted_at) VALUES (?, ?, ?)');
  for (const { id, note } of acceptances) insert.run(id, note, at);
}

/** How often an open finding's last_seen is brought forward while nothing else about it changes. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

interface OpenRow {
  id: string;
  first_seen: string;
  last_seen: string;
}

/** True when `last` is a minute or more before `at` (or either is not a time, and they differ). */
function lastSeenDue(last: string, at: string): boolean {
  const elapsed = Date.parse(at) - Date.parse(last);
  return Number.isNaN(elapsed) ? last !== at : elapsed >= LAST_SEEN_RESOLUTION_MS;
}

/**
 * Records which findings are open as of `at` and returns, for every id in `openIds`, when it was first seen
 * open. An id not seen before, or seen and since closed, opens now (first_seen = at); one still open keeps
 * its first_seen; an open id missing from the list is closed (open = 0, last_seen = at).
 *
 * It runs after every audit, possibly several times a second, so it writes only rows whose state changes: a
 * finding that opens or closes, and an open finding's last_seen at most once a minute
 * (LAST_SEEN_RESOLUTION_MS), so last_seen is "still open as of", to the minute. When nothing is due it is
 * one read of the open rows and no write transaction at all; otherwise the writes go in one immediate
 * transaction that re-reads the open rows first (another connection may have written in between).
 */
export function recordOpenFindings(db: Db, openIds: readonly string[], at: string): Map<string, string> {
  const wanted = new Set(openIds);
  const readOpen = () => db.prepare('SELECT id, first_seen, last_seen FROM findings_seen WHERE open = 1').all() as OpenRow[];

  const plan = (open: OpenRow[]) => {
    const byId = new Map(open.map((row) => [row.id, row]));
    const opening = [...wanted].filter((id) => !byId.has(id));
    const closing = open.filter((row) => !wanted.has(row.id)).map((row) => row.id);
    const touching = open.filter((row) => wanted.has(row.id) && lastSeenDue(row.last_seen, at)).map((row) => row.id);
    const firstSeen = new Map<string, string>();
    for (const id of openIds) firstSeen.set(id, byId.get(id)?.first_seen ?? at);
    return { opening, closing, touching, firstSeen, idle: opening.length + closing.length + touching.length === 0 };
  };

  const quick = plan(readOpen());
  if (quick.idle) return quick.firstSeen;

  return db.transaction(() => {
    const { opening, closing, touching, firstSeen } = plan(readOpen());
    const open = db.prepare(
      `INSERT INTO findings_seen (id, first_seen, last_seen, open) VALUES (?, ?, ?, 1)
       ON CONFLICT (id) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, open = 1`,
    );
    const close = db.prepare('UPDATE findings_seen SET open = 0, last_seen = ? WHERE id = ?');
    const touch = db.prepare('UPDATE findings_seen SET last_seen = ? WHERE id = ?');
    for (const id of opening) open.run(id, at, at);
    for (const id of closing) close.run(at, id);
    for (const id of touching) touch.run(at, id);
    return firstSeen;
  }).immediate();
}
