import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a V8-API addon, tied to one runtime's ABI: node_modules/better-sqlite3/build holds the
 * Node build (tests, serve mode, CLI) and is never touched for Electron. The Electron build lives apart and
 * is handed to better-sqlite3 as `nativeBinding`:
 * - development: .native/electron/better_sqlite3.node, made by `npm run native:electron`;
 * - packaged: resources/native/better_sqlite3.node (electron-builder.yml extraResources, outside the asar).
 */
export interface NativeBindingPlace {
  isPackaged: boolean;
  appPath: string;
  resourcesPath: string;
}

export function nativeBindingPath(place: NativeBindingPlace): string {
  return place.isPackaged
    ? join(place.resourcesPath, 'native', 'better_sqlite3.node')
    : join(place.appPath, '.native', 'electron', 'better_sqlite3.node');
}

/**
 * Why the desktop app cannot open its database for want of the addon, or null when it is there.
 * Said up front: better-sqlite3's own error for a missing file reads like a damaged database.
 */
export function missingNativeBinding(path: string, isPackaged: boolean): string | null {
  if (existsSync(path)) return null;
  return isPackaged
    ? `This installation is incomplete: ${path} is missing. Reinstall Labwarden.`
    : `The SQLite module built for Electron is missing (${path}). ` +
        'Run "npm run native:electron" on a machine with internet access (it downloads Electron\'s headers), ' +
        'or use "npm run serve" meanwhile.';
}
