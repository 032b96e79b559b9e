import type Database from 'better-sqlite3';

/**
 * Traffic samples per port for the sparklines and graphs: one row per port per poll, in bits per second,
 * computed from the counters with wrap and reset handling (domain/health/rates.ts). The collector prunes
 * rows older than a day as it writes, so the table stays small.
 */
export function portSamplesSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE port_samples (
      device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      if_index  INTEGER NOT NULL,
      at        TEXT NOT NULL,
      in_bps    REAL,
      out_bps   REAL,
      PRIMARY KEY (device_id, if_index, at)
    ) WITHOUT ROWID;
  `);
}
