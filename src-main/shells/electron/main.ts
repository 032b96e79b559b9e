/**
 * The desktop app's main process (bundled to out/main/index.js, package.json "main").
 * Opens the inventory, serves the UI on app://labwarden, binds the API to one IPC channel and keeps the
 * window on its own origin. Everything here is wiring: rules, SQL and validation live below in api/.
 *
 * `startDesktop()` runs on import and is exported as `desktop`, a promise that settles once the window is
 * up (or the start failed and the user was told). A unit test imports this file with a stand-in for
 * 'electron' and drives it through its fake `app.whenReady()`.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type Session, type WebContents } from 'electron';
import { join } from 'node:path';
import { openLab, type OpenLab } from '../common/open-lab';
import { ensureDataDir } from '../common/data-dir';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { createDesktopSecretBox } from './safe-storage-box';
import { nativeBindingPath, missingNativeBinding } from './native-binding';
import { bindApi, broadcastEvent, type IpcLog } from './ipc';
import { mainWindowOptions, hardenWebContents, isVettedExternalUrl, APP_START_URL } from './window';

export interface Desktop {
  lab: OpenLab;
  window: BrowserWindow;
}

/** A start-up failure the user can act on: shown in a dialog as is, without a stack. */
class CannotStart extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const log: IpcLog = {
  warn: (message) => console.warn(`labwarden: ${message}`),
  error: (message, error) => console.error(`labwarden: ${message}: ${(error as Error)?.message ?? String(error)}`),
};

const hardened = new WeakSet<WebContents>();

function harden(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  hardenWebContents(contents, (url) => {
    if (isVettedExternalUrl(url)) return shell.openExternal(url);
  });
}

/** No page of ours needs a camera, notifications, the clipboard or anything else a permission guards. */
function denyAllPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
}

/** Where the inventory lives: $LABWARDEN_DATA_DIR as for serve and the CLI, else Electron's userData. */
function dataDirectory(): string {
  return process.env.LABWARDEN_DATA_DIR || app.getPath('userData');
}

function openInventory(): OpenLab {
  const dataDir = dataDirectory();
  const nativeBinding = nativeBindingPath({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  const missing = missingNativeBinding(nativeBinding, app.isPackaged);
  if (missing) throw new CannotStart('Labwarden cannot open its inventory', missing);
  try {
    // Before the box: its key-file fallback writes into the folder.
    ensureDataDir(dataDir);
    const box = createDesktopSecretBox(dataDir);
    return openLab({ dataDir, mode: 'desktop', box, nativeBinding, collect: true, demoPeers: true });
  } catch (error) {
    // DatabaseTooNew, DatabaseUnreadable, KeyFileProblem, a data folder it cannot create: all say what to do.
    throw new CannotStart('Labwarden cannot open its inventory', `${(error as Error)?.message ?? String(error)}\n\nData folder: ${dataDir}`);
  }
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')));
  harden(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_START_URL).catch((error: unknown) => log.error('the window could not load the UI', error));
  return window;
}

async function whenReady(): Promise<Desktop> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  serveAppScheme(protocol, join(__dirname, '../renderer'));
  const lab = openInventory();
  // Collectors log out and the database closes before the process goes; quit resumes once that is done.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void lab.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
  bindApi(ipcMain, lab.handlers, log);
  lab.onEvent((event, payload) =>
    broadcastEvent(
      BrowserWindow.getAllWindows().map((w) => w.webContents),
      event,
      payload,
    ),
  );
  const window = createMainWindow();
  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return { lab, window };
}

function tellAndQuit(error: unknown): null {
  const title = error instanceof CannotStart ? error.title : 'Labwarden could not start';
  dialog.showErrorBox(title, (error as Error)?.message ?? String(error));
  app.exit(1);
  return null;
}

export function startDesktop(): Promise<Desktop | null> {
  try {
    // One process per inventory: a second launch focuses the first window instead.
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return Promise.resolve(null);
    }
    // Every renderer sandboxed, whatever a window asks for; app:// registered before 'ready' (Electron requires it).
    app.enableSandbox();
    // The same folder in development and packaged builds (~/.config/Labwarden, as data-dir.ts expects).
    app.setPath('userData', join(app.getPath('appData'), 'Labwarden'));
    registerAppScheme(protocol);
    app.on('web-contents-created', (_event, contents) => harden(contents));
    app.on('window-all-closed', () => app.quit());
  } catch (error) {
    return app.whenReady().then(() => tellAndQuit(error));
  }
  return whenReady().catch(tellAndQuit);
}

export const desktop = startDesktop();
