// `npm start`: the desktop app where Electron can run; otherwise serve mode, opened in a browser.
//
// The electron npm package holds only a downloader: its first require() fetches the binary from GitHub.
// On a machine without that access (like our CI) the download fails, so this says so in one line and
// starts `labwarden serve --open` instead. Arguments after `--` go to whichever starts
// (`npm start -- --port 5000` for serve mode). LABWARDEN_SERVE=1 skips the desktop attempt.
// Never a stack trace: every failure is one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CLI_BUNDLE, say, appArgs, buildQuietly, runAttached, runMain } from './lib/launch.mjs';

const ELECTRON_PACKAGE = join(ROOT, 'node_modules', 'electron');
const ELECTRON_SQLITE = join(ROOT, '.native', 'electron', 'better_sqlite3.node');
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The environment for anything Electron: never ELECTRON_RUN_AS_NODE, which turns Electron into plain Node. */
function electronEnv() {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** `{ path }` of a runnable Electron binary, or `{ reason }` why there is none (completes a sentence). */
function findElectron() {
  if (!existsSync(join(ELECTRON_PACKAGE, 'package.json'))) return { reason: 'The electron package is not installed ("npm ci" installs it)' };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    // The caller asked for no download (CI does): use a binary that is already there, or none.
    try {
      const relative = readFileSync(join(ELECTRON_PACKAGE, 'path.txt'), 'utf8').trim();
      const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(ELECTRON_PACKAGE, 'dist'), relative);
      if (existsSync(path)) return { path };
    } catch {
      // no path.txt: never downloaded
    }
    return { reason: "Electron's binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set" };
  }
  // require('electron') answers the binary's path, downloading it first if needed. In a child, with a
  // deadline and its chatter captured: offline it throws, and that must not reach the terminal.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
    env: electronEnv(),
  });
  const lines = (probe.stdout ?? '').trim().split('\n');
  const path = lines[lines.length - 1]?.trim();
  if (probe.status === 0 && path && existsSync(path)) return { path };
  if (probe.error?.code === 'ETIMEDOUT') return { reason: `Electron's binary could not be downloaded within ${DOWNLOAD_TIMEOUT_MS / 1000} s` };
  return { reason: "Electron's binary could not be downloaded (offline?)" };
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The Electron-ABI better-sqlite3, built once (it needs Electron's headers, so internet access). */
function ensureElectronSqlite() {
  if (existsSync(ELECTRON_SQLITE)) return true;
  say('Building the SQLite module for Electron (first desktop start only; needs internet access)...');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'native-electron.mjs')], { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0 && existsSync(ELECTRON_SQLITE);
}

function serveInstead(reason, args) {
  say(`${reason}; starting Labwarden in serve mode instead.`);
  return runAttached(process.execPath, [CLI_BUNDLE, 'serve', '--open', ...args]);
}

async function main() {
  const args = appArgs();
  if (!buildQuietly()) return 1;
  if (process.env.LABWARDEN_SERVE) return runAttached(process.execPath, [CLI_BUNDLE, 'serve', '--open', ...args]);
  const electron = findElectron();
  if (!electron.path) return serveInstead(electron.reason, args);
  if (!hasDisplay()) return serveInstead('No desktop display (DISPLAY and WAYLAND_DISPLAY are unset)', args);
  if (!ensureElectronSqlite()) return serveInstead('The SQLite module for Electron could not be built', args);
  return runAttached(electron.path, [ROOT, ...args], { env: electronEnv() });
}

runMain(main);
