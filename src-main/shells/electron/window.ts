import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

/** The UI's own origin. Every page of the app is app://labwarden/…; nothing else is ever trusted. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'labwarden';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for a URL of exactly our origin. Parsed, never prefix-matched: "app://labwarden.evil",
 * "app://labwarden@evil" and "app://labwarden:1" all start with the origin's text but are other hosts.
 * Node's URL gives non-special schemes an opaque origin ("null"), so scheme, host and credentials are
 * compared one by one instead of `url.origin`.
 */
export function isAppUrl(candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string' || candidate === '') return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/** The IPC sender check: the frame that sent the call must be showing our own app:// page. */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl);
}

/** Links the UI may hand to the system browser: plain https pages, no embedded credentials. */
export function isVettedExternalUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The main window. Every security-relevant preference is stated even where it is Electron's default,
 * so a changed default or a careless edit shows up in the unit test (Electron security checklist
 * items 2–4, 6, 8–10, 12).
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Labwarden',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown on 'ready-to-show', so the user never sees a blank white frame.
    show: false,
    backgroundColor: '#0f2a2a',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** What hardenWebContents needs from Electron's `shell`, so tests can pass a recorder. */
export type OpenExternal = (url: string) => Promise<void> | void;

/**
 * Locks a page to our origin: no navigation elsewhere, no new windows (vetted https links go to the
 * system browser instead), no <webview>. Applied to every web contents the app creates
 * (checklist items 12–15).
 */
export function hardenWebContents(contents: WebContents, openExternal: OpenExternal): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isVettedExternalUrl(url)) void Promise.resolve(openExternal(url)).catch(() => undefined);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => stayHome(event, url));
  contents.on('will-redirect', (event, url) => stayHome(event, url));
  // Subframes too (there should be none: the CSP says frame-ancestors 'none' and the UI embeds nothing).
  contents.on('will-frame-navigate', (details) => stayHome(details, details.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
