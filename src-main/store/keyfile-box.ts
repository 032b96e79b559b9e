import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { openSync, writeSync, closeSync, readFileSync, statSync, fsyncSync } from 'node:fs';
import type { SecretBox } from './credentials';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

export class KeyFileProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileProblem';
  }
}

/**
 * AES-256-GCM with a random 256-bit key in a file readable by its owner only (0600), beside the database.
 * Used where Electron's safeStorage is not available: serve mode and the CLI. A copy of the database
 * without the key file holds no readable secret.
 * Layout of a sealed value: [format=1][12-byte IV][16-byte tag][ciphertext].
 */
export class KeyFileBox implements SecretBox {
  readonly scheme = 'aes-256-gcm-keyfile';
  private readonly key: Buffer;

  constructor(private readonly keyPath: string) {
    this.key = loadOrCreateKey(keyPath);
  }

  describe() {
    return { description: `AES-256-GCM, key in ${this.keyPath} (mode 0600)` };
  }

  seal(plain: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, context: string): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT) {
      throw new KeyFileProblem('a stored credential is damaged (unknown format); enter it again');
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyFileProblem(
        `a stored credential does not open with the key in ${this.keyPath} (another key file, or a damaged value); enter it again`,
      );
    }
  }
}

function loadOrCreateKey(keyPath: string): Buffer {
  let fd: number;
  try {
    // 'wx': create only if absent, so two processes starting together cannot overwrite each other's key.
    fd = openSync(keyPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new KeyFileProblem(`cannot create the key file ${keyPath}: ${(error as Error).message}`);
    }
    return readKey(keyPath);
  }
  const key = randomBytes(KEY_BYTES);
  try {
    writeSync(fd, key.toString('base64') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return key;
}

function readKey(keyPath: string): Buffer {
  const mode = statSync(keyPath).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileProblem(
      `the key file ${keyPath} is readable by other users (mode ${mode.toString(8)}); run "chmod 600 ${keyPath}" and start again`,
    );
  }
  const key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new KeyFileProblem(`the key file ${keyPath} is damaged (expected a 256-bit key)`);
  return key;
}
