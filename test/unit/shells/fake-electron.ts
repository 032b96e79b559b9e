/**
 * A stand-in for the 'electron' module: records what the shell asks of Electron (window options, IPC
 * handlers, protocol handlers, web-contents listeners) so tests can inspect and drive it. The real
 * package must never load in a test: its first require() tries to download Electron's binary.
 *
 * One instance per test process (kept on globalThis), so a test that re-imports the shell after
 * vi.resetModules() still sees the same recorder it holds.
 */
import type { SafeStorage } from 'electron';

type Fn = (...args: any[]) => any;
type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

export class FakeWebContents {
  url = '';
  destroyed = false;
  listeners = new Map<string, Fn[]>();
  windowOpenHandler: Fn | null = null;
  sent: { channel: string; message: unknown }[] = [];

  on(event: string, listener: Fn) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: Fn) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, message: unknown) {
    this.sent.push({ channel, message });
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Fires a listener the way Electron would; returns whether it called preventDefault. */
  emit(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const details = { preventDefault: () => (prevented = true), url: typeof args[0] === 'string' ? args[0] : undefined };
    for (const listener of this.listeners.get(event) ?? []) listener(details, ...args);
    return prevented;
  }
}

export function createFakeElectron() {
  const calls: string[] = [];
  const state = {
    calls,
    paths: new Map<string, string>(),
    appPath: '/nonexistent',
    isPackaged: false,
    singleInstance: true,
    appListeners: new Map<string, Fn[]>(),
    exitCode: null as number | null,
    quitCalled: false,
    windows: [] as FakeBrowserWindow[],
    ipcHandlers: new Map<string, Fn>(),
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, Fn>(),
    permissionRequestHandler: null as Fn | null,
    permissionCheckHandler: null as Fn | null,
    openedExternally: [] as string[],
    errorBoxes: [] as { title: string; content: string }[],
    safeStorage: { available: true, backend: 'gnome_libsecret' as Backend },
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
    rendererListeners: new Map<string, Fn[]>(),
  };

  class FakeBrowserWindow {
    options: any;
    webContents = new FakeWebContents();
    shown = false;
    onceListeners = new Map<string, Fn>();
    constructor(options: unknown) {
      calls.push('new BrowserWindow');
      this.options = options;
      state.windows.push(this);
      for (const l of state.appListeners.get('web-contents-created') ?? []) l({}, this.webContents);
    }
    static getAllWindows() {
      return state.windows;
    }
    once(event: string, listener: Fn) {
      this.onceListeners.set(event, listener);
      return this;
    }
    loadURL(url: string) {
      calls.push(`loadURL ${url}`);
      this.webContents.url = url;
      return Promise.resolve();
    }
    show() {
      this.shown = true;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }

  // A reversible "cipher" that is visibly not the plain text.
  const encrypt = (plain: string) => Buffer.from('FAKE:' + Buffer.from(plain, 'utf8').toString('base64'), 'utf8');
  const decrypt = (sealed: Buffer) => {
    const text = sealed.toString('utf8');
    if (!text.startsWith('FAKE:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(5), 'base64').toString('utf8');
  };

  const electron = {
    app: {
      whenReady: () => {
        calls.push('whenReady');
        return Promise.resolve();
      },
      requestSingleInstanceLock: () => state.singleInstance,
      enableSandbox: () => calls.push('enableSandbox'),
      getPath: (name: string) => {
        const path = state.paths.get(name);
        if (!path) throw new Error(`fake app.getPath: no path for ${name}`);
        return path;
      },
      setPath: (name: string, path: string) => state.paths.set(name, path),
      getAppPath: () => state.appPath,
      get isPackaged() {
        return state.isPackaged;
      },
      on: (event: string, listener: Fn) => {
        state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]);
      },
      quit: () => {
        state.quitCalled = true;
      },
      exit: (code: number) => {
        state.exitCode = code;
      },
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Fn) => {
        calls.push(`ipcMain.handle ${channel}`);
        state.ipcHandlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.push('registerSchemesAsPrivileged');
        state.privilegedSchemes.push(...schemes);
      },
      handle: (scheme: string, handler: Fn) => {
        calls.push(`protocol.handle ${scheme}`);
        state.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Fn) => (state.permissionRequestHandler = handler),
        setPermissionCheckHandler: (handler: Fn) => (state.permissionCheckHandler = handler),
      },
    },
    shell: {
      openExternal: (url: string) => {
        state.openedExternally.push(url);
        return Promise.resolve();
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => state.errorBoxes.push({ title, content }),
    },
    safeStorage: {
      isEncryptionAvailable: () => state.safeStorage.available,
      getSelectedStorageBackend: () => state.safeStorage.backend,
      encryptString: encrypt,
      decryptString: decrypt,
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        state.invoked.push(args);
        return Promise.resolve({ ok: true, result: 'from main' });
      },
      on: (channel: string, listener: Fn) => {
        state.rendererListeners.set(channel, [...(state.rendererListeners.get(channel) ?? []), listener]);
      },
    },
  };

  const reset = () => {
    const fresh = createFakeElectron();
    Object.assign(state, fresh.state);
    state.calls = calls;
    calls.length = 0;
  };

  return { electron, state, reset };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The one stand-in of this test process. */
export function fakeElectron(): FakeElectron {
  const holder = globalThis as { __labwardenFakeElectron?: FakeElectron };
  return (holder.__labwardenFakeElectron ??= createFakeElectron());
}
