import type Database from 'better-sqlite3';

/**
 * Discovery CHAP per iSCSI target, and the SCSI id of a LUN.
 *
 * - `targets.chap`: the CHAP names (JSON {user, targetUser}), like a device's `xenapi`/`dsm` endpoint.
 * - `target_credentials`: the CHAP secrets, sealed by the shell's SecretBox exactly as `credentials` holds a
 *   device's (scheme beside each ciphertext, the ciphertext bound to its row). A table of its own because
 *   the owner is a target: deleting a target deletes its secrets, and `credentials`' key and CHECK (device,
 *   purpose) stay as they shipped. The purpose list is written out, not taken from the domain constant, so
 *   this migration stays what it was when it shipped.
 * - `luns.scsi_id`: the LUN's SCSIid as XenServer reports it, '' when unknown.
 */
export function targetChapSchema(db: Database.Database): void {
  db.exec(`
    ALTER TABLE targets ADD COLUMN chap TEXT CHECK (chap IS NULL OR json_valid(chap));
    ALTER TABLE luns ADD COLUMN scsi_id TEXT NOT NULL DEFAULT '';

    CREATE TABLE target_credentials (
      target_id  INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
      purpose    TEXT NOT NULL CHECK (purpose IN ('chap-secret', 'chap-target-secret')),
      scheme     TEXT NOT NULL,
      sealed     BLOB NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (target_id, purpose)
    );
  `);
}
