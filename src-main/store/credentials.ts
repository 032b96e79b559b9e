import type { Db } from './db';
import type { CredentialPurpose } from '../domain/model/credentials';

/**
 * Seals and opens secrets. The desktop shell provides one on Electron's safeStorage (the OS keychain);
 * serve mode and the CLI use the AES-256-GCM key file (keyfile-box.ts). `context` binds a ciphertext to
 * the row it was written for, so a sealed value copied to another device or purpose will not open.
 */
export interface SecretBox {
  /** Stored beside each ciphertext, so a database moved between shells says which box it needs. */
  readonly scheme: string;
  /** For the UI: where the key lives, and a warning when that is weak. */
  describe(): { description: string; warning?: string };
  seal(plain: string, context: string): Buffer;
  open(sealed: Buffer, context: string): string;
}

export class CredentialUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialUnavailable';
  }
}

export const credentialContext = (deviceId: number, purpose: CredentialPurpose) => `labwarden:credential:${deviceId}:${purpose}`;

export function setCredential(db: Db, box: SecretBox, deviceId: number, purpose: CredentialPurpose, plain: string): void {
  db.prepare(
    `INSERT INTO credentials (device_id, purpose, scheme, sealed, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (device_id, purpose) DO UPDATE SET scheme = excluded.scheme, sealed = excluded.sealed, updated_at = excluded.updated_at`,
  ).run(deviceId, purpose, box.scheme, box.seal(plain, credentialContext(deviceId, purpose)), new Date().toISOString());
}

export function clearCredential(db: Db, deviceId: number, purpose: CredentialPurpose): void {
  db.prepare('DELETE FROM credentials WHERE device_id = ? AND purpose = ?').run(deviceId, purpose);
}

/**
 * The plain secret, for a driver about to talk to the device. Only collect/ and apply/ call this;
 * no API method returns its result.
 */
export function revealCredential(db: Db, box: SecretBox, deviceId: number, purpose: CredentialPurpose): string | null {
  const row = db.prepare('SELECT scheme, sealed FROM credentials WHERE device_id = ? AND purpose = ?').get(deviceId, purpose) as
    | { scheme: string; sealed: Buffer }
    | undefined;
  if (!row) return null;
  if (row.scheme !== box.scheme) {
    throw new CredentialUnavailable(
      `this credential was stored by ${row.scheme === 'electron-safe-storage' ? 'the desktop app (OS keychain)' : `"${row.scheme}"`} and cannot be read here; enter it again`,
    );
  }
  return box.open(row.sealed, credentialContext(deviceId, purpose));
}

/** Credentials of one device, re-sealed for the same purposes on another device id (used by import). */
export function credentialsOf(db: Db, deviceId: number): { purpose: CredentialPurpose; scheme: string; sealed: Buffer }[] {
  return db.prepare('SELECT purpose, scheme, sealed FROM credentials WHERE device_id = ?').all(deviceId) as {
    purpose: CredentialPurpose;
    scheme: string;
    sealed: Buffer;
  }[];
}
