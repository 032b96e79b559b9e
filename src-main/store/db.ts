import Database from 'better-sqlite3';
import { MIGRATIONS, LATEST_SCHEMA } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to better_sqlite3.node built for the running runtime's ABI (the Electron build in the desktop app). */
  nativeBinding?: string;
}

export class DatabaseTooNew extends Error {
  constructor(path: string, found: number) {
    super(
      `${path} was written by a newer Labwarden (schema ${found}; this version knows up to ${LATEST_SCHEMA}). ` +
        'It was left untouched: update Labwarden to open it.',
    );
    this.name = 'DatabaseTooNew';
  }
}

export class DatabaseUnreadable extends Error {
  constructor(path: string, cause: unknown) {
    super(`${path} is not a Labwarden database or is damaged: ${(cause as Error)?.message ?? cause}`);
    this.name = 'DatabaseUnreadable';
  }
}

/**
 * Opens (creating if needed) the inventory database and brings its schema up to date.
 * WAL lets the UI read while a poll writes; synchronous=FULL makes every committed edit survive a crash or
 * a killed process, at a cost that does not matter for hand edits (bulk writes batch into one transaction).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new DatabaseUnreadable(path, error);
  }
  try {
    // Refuse a newer database before anything writes to it: switching to WAL rewrites the file header.
    const found = schemaVersion(db);
    if (found > LATEST_SCHEMA) throw new DatabaseTooNew(path, found);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseTooNew) throw error;
    throw new DatabaseUnreadable(path, error);
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, path: string): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA) throw new DatabaseTooNew(path, current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // One transaction per migration, the version bump inside it: a crash leaves the previous version intact.
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
