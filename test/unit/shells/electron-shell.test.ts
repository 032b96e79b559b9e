/**
 * The Electron shell under a stand-in for 'electron' (fake-electron.ts): the real package is never
 * loaded (its first require() tries to download Electron's binary). These tests prove the window's
 * security options, the IPC sender check, the app:// protocol, the preload's exact surface and the
 * safeStorage box, by driving the shell's own code.
 */
import { describe, it, expect, vi, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fakeElectron } from './fake-electron';
import { METHOD_NAMES, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src-main/api/method-names';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shells/common/security-headers';
import { isTrustedSender, isAppUrl, mainWindowOptions, APP_START_URL } from '../../../src-main/shells/electron/window';
import { appRequestHandler } from '../../../src-main/shells/electron/app-protocol';
import { nativeBindingPath } from '../../../src-main/shells/electron/native-binding';
import { createDesktopSecretBox, SAFE_STORAGE_SCHEME } from '../../../src-main/shells/electron/safe-storage-box';
import type { Desktop } from '../../../src-main/shells/electron/main';
import type { Envelope } from '../../../src-main/api/contract';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron().electron);

const fake = fakeElectron();
const NODE_BUILD = join(__dirname, '../../../node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const scratch: string[] = [];
const opened: Desktop[] = [];
let savedDataDir: string | undefined;

beforeAll(() => {
  savedDataDir = process.env.LABWARDEN_DATA_DIR;
  delete process.env.LABWARDEN_DATA_DIR;
});

afterEach(() => {
  for (const desktop of opened.splice(0)) desktop.lab.close();
});

afterAll(() => {
  if (savedDataDir !== undefined) process.env.LABWARDEN_DATA_DIR = savedDataDir;
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'labwarden-electron-'));
  scratch.push(dir);
  return dir;
}

interface Started {
  desktop: Desktop | null;
  userData: string;
}

/**
 * Starts the shell's main.ts afresh against the stand-in. The "Electron" better-sqlite3 addon is the
 * Node build copied to where the shell looks for the Electron one: under vitest the runtime is Node.
 */
async function startShell(prepare: { withBinding?: boolean; before?: (userData: string) => void } = {}): Promise<Started> {
  fake.reset();
  vi.resetModules();
  const root = tempDir();
  fake.state.paths.set('appData', join(root, 'config'));
  fake.state.appPath = join(root, 'app');
  if (prepare.withBinding !== false) {
    const binding = nativeBindingPath({ isPackaged: false, appPath: fake.state.appPath, resourcesPath: '' });
    mkdirSync(join(binding, '..'), { recursive: true });
    copyFileSync(NODE_BUILD, binding);
  }
  const userData = join(root, 'config', 'Labwarden');
  prepare.before?.(userData);
  const main = await import('../../../src-main/shells/electron/main');
  const desktop = await main.desktop;
  if (desktop) opened.push(desktop);
  return { desktop, userData };
}

function callApi(frameUrl: string | null, method: unknown, args: unknown): Promise<Envelope> {
  const handler = fake.state.ipcHandlers.get(IPC_CALL_CHANNEL);
  if (!handler) throw new Error('no IPC handler registered');
  return handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, method, args);
}

describe('the main window', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security, the preload set', async () => {
    const { desktop } = await startShell();
    expect(desktop).not.toBeNull();
    expect(fake.state.windows).toHaveLength(1);
    const prefs = fake.state.windows[0]!.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).not.toBe(false);
    expect(prefs.allowRunningInsecureContent).not.toBe(true);
    expect(prefs.experimentalFeatures).not.toBe(true);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.webviewTag).not.toBe(true);
    expect(prefs.preload).toMatch(/[/\\]preload[/\\]index\.js$/);
    expect(fake.state.calls).toContain('enableSandbox');
  });

  it('loads the UI from app://labwarden, registered as a privileged scheme before the app is ready', async () => {
    await startShell();
    const { calls } = fake.state;
    expect(calls).toContain(`loadURL ${APP_START_URL}`);
    expect(APP_START_URL).toBe('app://labwarden/index.html');
    expect(fake.state.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
    expect(fake.state.protocolHandlers.has('app')).toBe(true);
    // The window exists only once the API is bound, so the page never calls into nothing.
    expect(calls.indexOf(`ipcMain.handle ${IPC_CALL_CHANNEL}`)).toBeLessThan(calls.indexOf('new BrowserWindow'));
  });

  it('denies window.open, and hands only vetted https links to the system browser', async () => {
    await startShell();
    const contents = fake.state.windows[0]!.webContents;
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://docs.example.org/page' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://docs.example.org/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://user:pass@example.org/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'app://labwarden/index.html' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(fake.state.openedExternally).toEqual(['https://docs.example.org/page']);
  });

  it('stays on its own origin: navigation elsewhere is prevented, app:// in-app navigation is not', async () => {
    await startShell();
    const contents = fake.state.windows[0]!.webContents;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://labwarden.evil/', 'app://evil/index.html', 'http://127.0.0.1:4173/']) {
      expect(contents.emit('will-navigate', url), url).toBe(true);
      expect(contents.emit('will-redirect', url), url).toBe(true);
      expect(contents.emit('will-frame-navigate', url), url).toBe(true);
    }
    expect(contents.emit('will-navigate', 'app://labwarden/index.html#/devices')).toBe(false);
    expect(contents.emit('will-attach-webview')).toBe(true);
  });

  it('refuses every permission request and check', async () => {
    await startShell();
    let granted: boolean | undefined;
    fake.state.permissionRequestHandler!({}, 'media', (answer: boolean) => (granted = answer), {});
    expect(granted).toBe(false);
    expect(fake.state.permissionCheckHandler!({}, 'clipboard-read', 'app://labwarden', {})).toBe(false);
  });

  it('states its security options without any Electron call (mainWindowOptions)', () => {
    const options = mainWindowOptions('/x/preload/index.js');
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/x/preload/index.js' });
  });
});

describe('the IPC sender check', () => {
  it('accepts exactly the app://labwarden origin, by parsed URL', () => {
    expect(isTrustedSender('app://labwarden/index.html')).toBe(true);
    expect(isTrustedSender('app://labwarden/index.html#/vlans?x=1')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'app://labwarden.evil/index.html',
      'app://evil/index.html',
      'app://labwarden@evil/index.html',
      'app://labwarden:8080/index.html',
      'app://user@labwarden/index.html',
      'file:///work/out/renderer/index.html',
      'http://labwarden/',
      'apps://labwarden/',
      'about:blank',
      '',
      'not a url',
      null,
      undefined,
    ]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
  });

  it('answers our window with dispatch envelopes', async () => {
    await startShell();
    const info = await callApi('app://labwarden/index.html', 'app.info', []);
    expect(info.ok).toBe(true);
    if (info.ok) expect(info.result).toMatchObject({ mode: 'desktop', secrets: { scheme: SAFE_STORAGE_SCHEME } });
    const unknown = await callApi('app://labwarden/index.html', 'no.such.method', []);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const proto = await callApi('app://labwarden/index.html', '__proto__', []);
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const bad = await callApi('app://labwarden/index.html', 'devices.get', ['seven']);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
  });

  it('refuses foreign and lookalike senders, and frames that are gone, without dispatching', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await startShell();
      for (const url of ['https://evil.example/', 'app://labwarden.evil/index.html', 'app://evil/index.html', 'file:///tmp/index.html', null]) {
        await expect(callApi(url, 'app.chooseStart', ['empty']), String(url)).rejects.toThrow(/only the Labwarden window/);
      }
      // Nothing went through: the first-run choice is still open.
      const info = await callApi('app://labwarden/index.html', 'app.info', []);
      expect(info.ok && (info.result as { firstRun: boolean }).firstRun).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it('broadcasts API events to windows showing our page, as {event, payload}', async () => {
    await startShell();
    const contents = fake.state.windows[0]!.webContents;
    const changed = await callApi('app://labwarden/index.html', 'app.chooseStart', ['demo']);
    expect(changed.ok).toBe(true);
    expect(contents.sent).toContainEqual({ channel: IPC_EVENT_CHANNEL, message: { event: 'inventory.changed', payload: { method: 'app.chooseStart' } } });
    // A window that has wandered off our origin hears nothing.
    contents.sent.length = 0;
    contents.url = 'https://evil.example/';
    expect((await callApi('app://labwarden/index.html', 'inventory.openDemo', [])).ok).toBe(true);
    expect(contents.sent).toEqual([]);
  });
});

describe('start-up failures', () => {
  it('tells the user in a dialog, without a stack, when the database is from a newer Labwarden', async () => {
    const { desktop } = await startShell({
      before: (userData) => {
        mkdirSync(userData, { recursive: true });
        const db = new Database(join(userData, 'labwarden.db'));
        db.pragma('user_version = 999');
        db.close();
      },
    });
    expect(desktop).toBeNull();
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.errorBoxes).toHaveLength(1);
    const box = fake.state.errorBoxes[0]!;
    expect(box.title).toBe('Labwarden cannot open its inventory');
    expect(box.content).toMatch(/newer Labwarden/);
    expect(box.content).not.toMatch(/\n\s+at /);
    expect(fake.state.exitCode).toBe(1);
  });

  it('says how to build the Electron SQLite module when it is missing', async () => {
    const { desktop } = await startShell({ withBinding: false });
    expect(desktop).toBeNull();
    expect(fake.state.errorBoxes[0]?.content).toMatch(/npm run native:electron/);
    expect(fake.state.exitCode).toBe(1);
  });

  it('hands over to the running instance when there is one', async () => {
    fake.reset();
    vi.resetModules();
    fake.state.singleInstance = false;
    const main = await import('../../../src-main/shells/electron/main');
    expect(await main.desktop).toBeNull();
    expect(fake.state.quitCalled).toBe(true);
    expect(fake.state.windows).toHaveLength(0);
  });
});

describe('the app:// protocol', () => {
  const renderer = join(tempDir(), 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Labwarden</title>');
  mkdirSync(join(renderer, 'assets'));
  writeFileSync(join(renderer, 'assets', 'main-abc.js'), 'console.log(1)');
  writeFileSync(join(renderer, '..', 'secret.txt'), 'outside');
  const handle = appRequestHandler(renderer);

  it('serves the built UI with the strict CSP', async () => {
    const response = await handle(new Request('app://labwarden/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('<title>Labwarden</title>');
    const asset = await handle(new Request('app://labwarden/assets/main-abc.js'));
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('serves nothing outside the UI folder, to other hosts, or to other methods', async () => {
    expect((await handle(new Request('app://labwarden/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://labwarden/..%2fsecret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://labwarden/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    const missing = await handle(new Request('app://labwarden/nope.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('the preload', () => {
  it('exposes exactly the contract: one call per method name, and on()', async () => {
    fake.reset();
    vi.resetModules();
    await import('../../../src-main/shells/electron/preload');
    expect([...fake.state.exposed.keys()]).toEqual(['labwarden']);
    const api = fake.state.exposed.get('labwarden') as {
      call: Record<string, (...args: unknown[]) => Promise<unknown>>;
      on: (event: string, cb: (payload: unknown) => void) => () => void;
    };
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(Object.keys(api.call).sort()).toEqual([...METHOD_NAMES].sort());
    for (const value of Object.values(api.call)) expect(typeof value).toBe('function');
    // Nothing of ipcRenderer leaks through.
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i);
  });

  it('sends each call on the one channel with its arguments as a list', async () => {
    fake.reset();
    vi.resetModules();
    await import('../../../src-main/shells/electron/preload');
    const api = fake.state.exposed.get('labwarden') as { call: Record<string, (...args: unknown[]) => Promise<unknown>> };
    await expect(api.call['devices.get']!(7)).resolves.toEqual({ ok: true, result: 'from main' });
    await api.call['app.info']!();
    expect(fake.state.invoked).toEqual([
      [IPC_CALL_CHANNEL, 'devices.get', [7]],
      [IPC_CALL_CHANNEL, 'app.info', []],
    ]);
  });

  it('delivers events by name with the payload only, and unsubscribes', async () => {
    fake.reset();
    vi.resetModules();
    await import('../../../src-main/shells/electron/preload');
    const api = fake.state.exposed.get('labwarden') as { on: (event: string, cb: (...a: unknown[]) => void) => () => void };
    const heard: unknown[][] = [];
    const off = api.on('inventory.changed', (...args) => heard.push(args));
    const [deliver] = fake.state.rendererListeners.get(IPC_EVENT_CHANNEL)!;
    const ipcEvent = { sender: 'ipcRenderer itself' };
    deliver!(ipcEvent, { event: 'inventory.changed', payload: { method: 'devices.create' } });
    deliver!(ipcEvent, { event: 'something.else', payload: 1 });
    deliver!(ipcEvent, 'garbage');
    expect(heard).toEqual([[{ method: 'devices.create' }]]);
    off();
    deliver!(ipcEvent, { event: 'inventory.changed', payload: { method: 'devices.delete' } });
    expect(heard).toHaveLength(1);
  });
});

describe('the desktop secret box', () => {
  const storage = () => fake.electron.safeStorage;

  it('seals with safeStorage and opens only for the same context', () => {
    fake.reset();
    const dir = tempDir();
    const box = createDesktopSecretBox(dir, storage(), 'linux');
    expect(box.scheme).toBe(SAFE_STORAGE_SCHEME);
    expect(box.describe().warning).toBeUndefined();
    const sealed = box.seal('s3cret-community', 'labwarden:credential:1:snmp-community');
    expect(sealed.toString('utf8')).not.toContain('s3cret-community');
    expect(box.open(sealed, 'labwarden:credential:1:snmp-community')).toBe('s3cret-community');
    expect(() => box.open(sealed, 'labwarden:credential:2:snmp-community')).toThrow(/another device or purpose/);
    expect(() => box.open(Buffer.from([1, 2, 3]), 'labwarden:credential:1:snmp-community')).toThrow(/does not open/);
    expect(existsSync(join(dir, 'labwarden.key'))).toBe(false);
  });

  it("falls back to the 0600 key file, with a warning, on Linux's basic_text store", () => {
    fake.reset();
    fake.state.safeStorage.backend = 'basic_text';
    const dir = tempDir();
    const box = createDesktopSecretBox(dir, storage(), 'linux');
    expect(box.scheme).toBe('aes-256-gcm-keyfile');
    expect(box.describe().warning).toMatch(/keyring/);
    expect(statSync(join(dir, 'labwarden.key')).mode & 0o777).toBe(0o600);
    expect(box.open(box.seal('pw', 'ctx'), 'ctx')).toBe('pw');
  });

  it('falls back to the key file, with a warning, when encryption is unavailable', () => {
    fake.reset();
    fake.state.safeStorage.available = false;
    const box = createDesktopSecretBox(tempDir(), storage(), 'darwin');
    expect(box.scheme).toBe('aes-256-gcm-keyfile');
    expect(box.describe().warning).toMatch(/keychain is not available/);
  });

  it('reports the fallback to the UI through app.info', async () => {
    await startShell({ before: () => (fake.state.safeStorage.backend = 'basic_text') });
    expect(fake.state.errorBoxes).toEqual([]);
    const info = await callApi('app://labwarden/index.html', 'app.info', []);
    const secrets = info.ok ? (info.result as { secrets: { scheme: string; warning?: string } }).secrets : null;
    expect(secrets?.scheme).toBe('aes-256-gcm-keyfile');
    expect(secrets?.warning).toMatch(/keyring/);
  });
});

describe('isAppUrl', () => {
  it('is the same check navigation uses', () => {
    expect(isAppUrl('app://labwarden/')).toBe(true);
    expect(isAppUrl('app://labwarden.evil/')).toBe(false);
  });
});
