import { safeStorage, type SafeStorage } from 'electron';
import { CredentialUnavailable, type SecretBox } from '../../store/credentials';
import { KeyFileBox } from '../../store/keyfile-box';
import { dataFiles } from '../common/data-dir';

export const SAFE_STORAGE_SCHEME = 'electron-safe-storage';

/** Layout of a sealed value: [format=1][safeStorage ciphertext of JSON [context, secret]]. */
const FORMAT = 1;

type Storage = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

/**
 * Secrets sealed by the OS keychain through Electron's safeStorage (libsecret or KWallet on Linux,
 * Keychain on macOS, DPAPI on Windows). safeStorage has no associated data, so the context travels
 * inside the ciphertext and is compared on open: a value copied to another row does not open.
 */
export class SafeStorageBox implements SecretBox {
  readonly scheme = SAFE_STORAGE_SCHEME;

  constructor(
    private readonly storage: Storage,
    private readonly backend: string,
  ) {}

  describe() {
    return { description: `the operating system's keychain (Electron safeStorage, ${this.backend})` };
  }

  seal(plain: string, context: string): Buffer {
    return Buffer.concat([Buffer.from([FORMAT]), this.storage.encryptString(JSON.stringify([context, plain]))]);
  }

  open(sealed: Buffer, context: string): string {
    if (sealed.length < 2 || sealed[0] !== FORMAT) {
      throw new CredentialUnavailable('a stored credential is damaged (unknown format); enter it again');
    }
    let text: string;
    try {
      text = this.storage.decryptString(sealed.subarray(1));
    } catch {
      throw new CredentialUnavailable(
        "a stored credential does not open with this session's keychain (another user, machine or keyring); enter it again",
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== context || typeof parsed[1] !== 'string') {
      throw new CredentialUnavailable('a stored credential belongs to another device or purpose; enter it again');
    }
    return parsed[1];
  }
}

/** The key-file box, saying why it is used instead of the keychain. */
class FallbackKeyFileBox implements SecretBox {
  readonly scheme: string;

  constructor(
    private readonly inner: KeyFileBox,
    private readonly warning: string,
  ) {
    this.scheme = inner.scheme;
  }

  describe() {
    return { description: this.inner.describe().description, warning: this.warning };
  }

  seal(plain: string, context: string): Buffer {
    return this.inner.seal(plain, context);
  }

  open(sealed: Buffer, context: string): string {
    return this.inner.open(sealed, context);
  }
}

/**
 * The desktop app's secret box. safeStorage when it protects anything; otherwise the AES-256-GCM key
 * file beside the database (the same one serve mode and the CLI use), with a warning for the settings
 * line. On Linux without a keyring daemon Chromium picks 'basic_text', whose key is hard-coded in
 * Chromium's source: that would be obfuscation, not encryption, so the key file is the better choice.
 * Call after app 'ready' (safeStorage answers only then on Linux).
 */
export function createDesktopSecretBox(
  dataDir: string,
  storage: Storage = safeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  const keyFile = () => new KeyFileBox(dataFiles(dataDir).keyFile);
  if (!storage.isEncryptionAvailable()) {
    return new FallbackKeyFileBox(
      keyFile(),
      "The operating system's keychain is not available, so stored credentials are encrypted with a key file " +
        'readable by your user account only. Anyone who can read your files can read them.',
    );
  }
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return new FallbackKeyFileBox(
        keyFile(),
        'No keyring (GNOME Keyring, KWallet) is running, and the fallback Chromium would use has a fixed, public key. ' +
          'Stored credentials are encrypted with a key file readable by your user account only instead. ' +
          'Start a keyring and restart Labwarden to use it.',
      );
    }
    return new SafeStorageBox(storage, backend);
  }
  return new SafeStorageBox(storage, platform === 'darwin' ? 'Keychain' : platform === 'win32' ? 'DPAPI' : platform);
}
