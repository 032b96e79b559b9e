import type Database from 'better-sqlite3';

/**
 * What the lab graph and its audit keep between runs.
 *
 * - `devices.stack`: the stack a switch is a member of, '' for none (every existing device: none).
 * - `finding_acceptances`: findings the owner accepted, by finding id (`rule:device:subject`), with a note.
 *   Not tied to a device row: an id outlives a device being renamed away and back, and an import replaces
 *   the list as a whole.
 * - `findings_seen`: when each finding was first seen open and last seen, so the overview orders findings
 *   newest first across restarts. `open` is 1 while the last audit reported it.
 * - `topology_positions`: where the user dragged each topology node (by node id), in the drawing's units.
 */
export function labGraphSchema(db: Database.Database): void {
  db.exec(`
    ALTER TABLE devices ADD COLUMN stack TEXT NOT NULL DEFAULT '';

    CREATE TABLE finding_acceptances (
      id          TEXT PRIMARY KEY,
      note        TEXT NOT NULL DEFAULT '',
      accepted_at TEXT NOT NULL
    );

    CREATE TABLE findings_seen (
      id         TEXT PRIMARY KEY,
      first_seen TEXT NOT NULL,
      last_seen  TEXT NOT NULL,
      open       INTEGER NOT NULL CHECK (open IN (0, 1))
    );

    CREATE TABLE topology_positions (
      node TEXT PRIMARY KEY,
      x    REAL NOT NULL,
      y    REAL NOT NULL
    );
  `);
}
