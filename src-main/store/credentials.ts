import type { Db } from './db';
import type { CredentialPurpose } from '../domain/model/credentials';
import type { TargetCredentialPurpose } from '../domain/model/storage';

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
  return row ? openStored(box, row, credentialContext(deviceId, purpose)) : null;
}

/** Opens what a SecretBox sealed, or says which box it needs when this shell's is another. */
function openStored(box: SecretBox, row: { scheme: string; sealed: Buffer }, context: string): string {
  if (row.scheme !== box.scheme) {
    throw new CredentialUnavailable(
      `this credential was stored by ${row.scheme === 'electron-safe-storage' ? 'the desktop app (OS keychain)' : `"${row.scheme}"`} and cannot be read here; enter it again`,
    );
  }
  return box.open(row.sealed, context);
}

/** Credentials of one device, re-sealed for the same purposes on another device id (used by import). */
export function credentialsOf(db: Db, deviceId: number): { purpose: CredentialPurpose; scheme: string; sealed: Buffer }[] {
  return db.prepare('SELECT purpose, scheme, sealed FROM credentials WHERE device_id = ?').all(deviceId) as {
    purpose: CredentialPurpose;
    scheme: string;
    sealed: Buffer;
  }[];
}

/*
 * A target's secrets (discovery CHAP) go the same way as a device's: sealed by the same box, bound to their
 * row (target id and purpose), set, kept or cleared by the form, revealed only to a collector. They live in
 * target_credentials so that deleting the target deletes them.
 */

export const targetCredentialContext = (targetId: number, purpose: TargetCredentialPurpose) =>
  `labwarden:target-credential:${targetId}:${purpose}`;

export function setTargetCredential(db: Db, box: SecretBox, targetId: number, purpose: TargetCredentialPurpose, plain: string): void {
  db.prepare(
    `INSERT INTO target_credentials (target_id, purpose, scheme, sealed, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (target_id, purpose) DO UPDATE SET scheme = excluded.scheme, sealed = excluded.sealed, updated_at = excluded.updated_at`,
  ).run(targetId, purpose, box.scheme, box.seal(plain, targetCredentialContext(targetId, purpose)), new Date().toISOString());
}

export function clearTargetCredential(db: Db, targetId: number, purpose: TargetCredentialPurpose): void {
  db.prepare('DELETE FROM target_credentials WHERE target_id = ? AND purpose = ?').run(targetId, purpose);
}

/** The plain secret, for the storage collector's probe; no API method returns it. */
export function revealTargetCredential(db: Db, box: SecretBox, targetId: number, purpose: TargetCredentialPurpose): string | null {
  const row = db.prepare('SELECT scheme, sealed FROM target_credentials WHERE target_id = ? AND purpose = ?').get(targetId, purpose) as
    | { scheme: string; sealed: Buffer }
    | undefined;
  return row ? openStored(box, row, targetCredentialContext(targetId, purpose)) : null;
}

/** The sealed secrets of one target, for carrying them over to the target of the same IQN (import). */
export function targetCredentialsOf(db: Db, targetId: number): { purpose: TargetCredentialPurpose; scheme: string; sealed: Buffer }[] {
  return db.prepare('SELECT purpose, scheme, sealed FROM target_credentials WHERE target_id = ?').all(targetId) as {
    purpose: TargetCredentialPurpose;
    scheme: string;
    sealed: Buffer;
  }[];
}
