import type Database from 'better-sqlite3';

/**
 * What the collectors last saw of each device, one row per device and source, kept so a restart (or a
 * device that stopped answering) still shows the last good state with its time. The body is the domain
 * observation as JSON: it is read whole and replaced whole, never queried by field.
 */
export function observationsSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE observations (
      device_id   INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      source      TEXT NOT NULL CHECK (source IN ('xenapi', 'snmp', 'iscsi', 'dsm')),
      observed_at TEXT NOT NULL,
      body        TEXT NOT NULL,
      PRIMARY KEY (device_id, source)
    );
  `);
}
