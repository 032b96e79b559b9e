import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/**
 * Where the inventory lives unless told otherwise: $LABWARDEN_DATA_DIR, else the folder Electron uses
 * for userData on Linux ($XDG_CONFIG_HOME/Labwarden), so the desktop app, serve mode and the CLI open
 * the same lab.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LABWARDEN_DATA_DIR) return env.LABWARDEN_DATA_DIR;
  const config = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'Labwarden');
}

export function dataFiles(dataDir: string): { dir: string; database: string; keyFile: string } {
  return { dir: dataDir, database: join(dataDir, 'labwarden.db'), keyFile: join(dataDir, 'labwarden.key') };
}

/** Creates the data folder readable by its owner only: it holds the key file. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}
