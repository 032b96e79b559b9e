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

/**
 * Where sealed secrets live: a device's in `credentials`, a target's (discovery CHAP) in `target_credentials`, so
 * that deleting the device or target deletes them. Both tables have the same shape: owner id, purpose, scheme,
 * the sealed bytes and when they were written; one set of statements serves both.
 */
interface SealedRows {
  table: 'credentials' | 'target_credentials';
  owner: 'device_id' | 'target_id';
  context(ownerId: number, purpose: string): string;
}

export interface SealedCredential<P extends string> {
  purpose: P;
  scheme: string;
  sealed: Buffer;
}

const DEVICE: SealedRows = { table: 'credentials', owner: 'device_id', context: (id, purpose) => `labwarden:credential:${id}:${purpose}` };
const TARGET: SealedRows = {
  table: 'target_credentials',
  owner: 'target_id',
  context: (id, purpose) => `labwarden:target-credential:${id}:${purpose}`,
};

function setSealed(db: Db, box: SecretBox, rows: SealedRows, ownerId: number, purpose: string, plain: string): void {
  db.prepare(
    `INSERT INTO ${rows.table} (${rows.owner}, purpose, scheme, sealed, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (${rows.owner}, purpose) DO UPDATE SET scheme = excluded.scheme, sealed = excluded.sealed, updated_at = excluded.updated_at`,
  ).run(ownerId, purpose, box.scheme, box.seal(plain, rows.context(ownerId, purpose)), new Date().toISOString());
}

function clearSealed(db: Db, rows: SealedRows, ownerId: number, purpose: string): void {
  db.prepare(`DELETE FROM ${rows.table} WHERE ${rows.owner} = ? AND purpose = ?`).run(ownerId, purpose);
}

function revealSealed(db: Db, box: SecretBox, rows: SealedRows, ownerId: number, purpose: string): string | null {
  const row = db.prepare(`SELECT scheme, sealed FROM ${rows.table} WHERE ${rows.owner} = ? AND purpose = ?`).get(ownerId, purpose) as
    | { scheme: string; sealed: Buffer }
    | undefined;
  return row ? openStored(box, row, rows.context(ownerId, purpose)) : null;
}

function sealedOf<P extends string>(db: Db, rows: SealedRows, ownerId: number): SealedCredential<P>[] {
  return db.prepare(`SELECT purpose, scheme, sealed FROM ${rows.table} WHERE ${rows.owner} = ?`).all(ownerId) as SealedCredential<P>[];
}

/**
 * Every secret of one owner in plain text where this shell's box opens it, null where it does not (another
 * shell's box, or a row that no longer opens): what an import carries over to the row of the same name.
 */
function openAll<P extends string>(db: Db, box: SecretBox, rows: SealedRows, ownerId: number): { purpose: P; plain: string | null }[] {
  return sealedOf<P>(db, rows, ownerId).map(({ purpose, scheme, sealed }) => {
    if (scheme !== box.scheme) return { purpose, plain: null };
    try {
      return { purpose, plain: box.open(sealed, rows.context(ownerId, purpose)) };
    } catch {
      return { purpose, plain: null };
    }
  });
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

export function setCredential(db: Db, box: SecretBox, deviceId: number, purpose: CredentialPurpose, plain: string): void {
  setSealed(db, box, DEVICE, deviceId, purpose, plain);
}

export function clearCredential(db: Db, deviceId: number, purpose: CredentialPurpose): void {
  clearSealed(db, DEVICE, deviceId, purpose);
}

/**
 * The plain secret, for a driver about to talk to the device. Only collect/ and apply/ call this;
 * no API method returns its result.
 */
export function revealCredential(db: Db, box: SecretBox, deviceId: number, purpose: CredentialPurpose): string | null {
  return revealSealed(db, box, DEVICE, deviceId, purpose);
}

/** The sealed credentials of one device, unopened (which purposes are set). */
export function credentialsOf(db: Db, deviceId: number): SealedCredential<CredentialPurpose>[] {
  return sealedOf(db, DEVICE, deviceId);
}

/** A device's credentials opened, for an import to seal again under the new row of the same name. */
export function openableCredentials(db: Db, box: SecretBox, deviceId: number): { purpose: CredentialPurpose; plain: string | null }[] {
  return openAll(db, box, DEVICE, deviceId);
}

export function setTargetCredential(db: Db, box: SecretBox, targetId: number, purpose: TargetCredentialPurpose, plain: string): void {
  setSealed(db, box, TARGET, targetId, purpose, plain);
}

export function clearTargetCredential(db: Db, targetId: number, purpose: TargetCredentialPurpose): void {
  clearSealed(db, TARGET, targetId, purpose);
}

/** The plain secret, for the storage collector's probe; no API method returns it. */
export function revealTargetCredential(db: Db, box: SecretBox, targetId: number, purpose: TargetCredentialPurpose): string | null {
  return revealSealed(db, box, TARGET, targetId, purpose);
}

/** The sealed secrets of one target, unopened (the storage collector digests them to notice a change). */
export function targetCredentialsOf(db: Db, targetId: number): SealedCredential<TargetCredentialPurpose>[] {
  return sealedOf(db, TARGET, targetId);
}

/** A target's secrets opened, for an import to seal again under the target of the same IQN. */
export function openableTargetCredentials(
  db: Db,
  box: SecretBox,
  targetId: number,
): { purpose: TargetCredentialPurpose; plain: string | null }[] {
  return openAll(db, box, TARGET, targetId);
}
