import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, DatabaseTooNew, DatabaseUnreadable } from '../../../src-main/store/db';
import { MIGRATIONS, LATEST_SCHEMA } from '../../../src-main/store/migrations';
import { tempDirs } from '../helpers/temp-dir';
import { DEVICE_KINDS } from '../../../src-main/domain/model/devices';
import { PORT_ROLES } from '../../../src-main/domain/model/ports';
import { LINK_SOURCES } from '../../../src-main/domain/model/links';
import { VLAN_PURPOSES } from '../../../src-main/domain/model/vlans';
import { CREDENTIAL_PURPOSES } from '../../../src-main/domain/model/credentials';
import { LUN_USES, TARGET_CREDENTIAL_PURPOSES } from '../../../src-main/domain/model/storage';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const tablesOf = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, and none was thrown');
}

describe('opening a new database', () => {
  it('creates the latest schema, in WAL mode, with foreign keys enforced and full sync', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const db = openDatabase(path);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(tablesOf(db)).toEqual(
        expect.arrayContaining(['settings', 'devices', 'ports', 'vlans', 'port_vlans', 'links', 'targets', 'target_portals', 'luns', 'credentials']),
      );
      // Foreign keys are really enforced, not just switched on.
      expect(() => db.prepare("INSERT INTO ports (device_id, name, role) VALUES (999, 'eth0', 'vm')").run()).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('keeps what is stored when an up-to-date database is opened again', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const first = openDatabase(path);
    first.prepare("INSERT INTO devices (name, kind, address) VALUES ('sw1', 'switch', '10.0.0.2')").run();
    first.close();
    const again = openDatabase(path);
    try {
      expect(schemaVersion(again)).toBe(LATEST_SCHEMA);
      expect(again.prepare('SELECT name FROM devices').all()).toEqual([{ name: 'sw1' }]);
    } finally {
      again.close();
    }
  });
});

describe('the migration list', () => {
  it('numbers migrations 1..N in order, and the latest schema is N', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.every((m) => m.name.trim() !== '')).toBe(true);
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });
});

describe('a database written by a newer Labwarden', () => {
  /** A database at a schema this version does not know, holding a table and a row it has never heard of. */
  function newerDatabase(path: string, journal: 'wal' | 'delete'): void {
    if (journal === 'wal') openDatabase(path).close();
    const raw = new Database(path);
    raw.exec("CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO future_things (what) VALUES ('kept');");
    raw.pragma(`user_version = ${LATEST_SCHEMA + 1}`);
    raw.close();
  }

  function expectRefusedAndUntouched(path: string, journal: 'wal' | 'delete'): void {
    const before = readFileSync(path);
    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DatabaseTooNew);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('was written by a newer Labwarden');
    expect((error as Error).message).toContain(`schema ${LATEST_SCHEMA + 1}`);
    expect((error as Error).message).toMatch(/left untouched/);

    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(readFileSync(path).equals(before)).toBe(true);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA + 1);
      expect(raw.pragma('journal_mode', { simple: true })).toBe(journal);
      expect(raw.prepare('SELECT what FROM future_things').all()).toEqual([{ what: 'kept' }]);
    } finally {
      raw.close();
    }
  }

  it('is refused with DatabaseTooNew, and the file is left exactly as it was', () => {
    const path = join(dirs.make(), 'labwarden.db');
    newerDatabase(path, 'wal');
    expectRefusedAndUntouched(path, 'wal');
  });

  it('is left exactly as it was even when it does not use WAL (its journal mode is not switched)', () => {
    const path = join(dirs.make(), 'labwarden.db');
    newerDatabase(path, 'delete');
    expectRefusedAndUntouched(path, 'delete');
  });
});

describe('a file that is not a Labwarden database', () => {
  it('gives DatabaseUnreadable with a clear message, and the file is not changed', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const text = 'name,kind,address\nsw1,switch,10.0.0.2\n'.repeat(200);
    writeFileSync(path, text);
    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DatabaseUnreadable);
    expect((error as Error).message).toBe(`${path} is not a Labwarden database or is damaged: file is not a database`);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('gives DatabaseUnreadable for a folder where the database file should be', () => {
    const path = dirs.make();
    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DatabaseUnreadable);
    expect((error as Error).message).toMatch(/is not a Labwarden database or is damaged/);
  });
});

describe('a migration that fails', () => {
  /** A database at version 0 that already has a `devices` table, so migration 1 fails halfway. */
  function conflictingDatabase(path: string): void {
    const raw = new Database(path);
    raw.exec("CREATE TABLE devices (owner TEXT); INSERT INTO devices (owner) VALUES ('someone else');");
    raw.close();
  }

  it('leaves the previous version and no partial tables, and says what went wrong', () => {
    const path = join(dirs.make(), 'labwarden.db');
    conflictingDatabase(path);
    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DatabaseUnreadable);
    expect((error as Error).message).toMatch(/table devices already exists/);

    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(0);
      // Migration 1 creates `settings` before `devices`: that table must have been rolled back too.
      expect(tablesOf(raw)).toEqual(['devices']);
      expect(raw.prepare('SELECT owner FROM devices').all()).toEqual([{ owner: 'someone else' }]);
    } finally {
      raw.close();
    }
  });

  it('runs again from the start once the conflict is gone', () => {
    const path = join(dirs.make(), 'labwarden.db');
    conflictingDatabase(path);
    expect(() => openDatabase(path)).toThrow(DatabaseUnreadable);
    const raw = new Database(path);
    raw.exec('DROP TABLE devices');
    raw.close();
    const db = openDatabase(path);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
      expect(tablesOf(db)).toContain('devices');
    } finally {
      db.close();
    }
  });
});

describe("the schema's CHECK lists", () => {
  /** The values a column's CHECK (column IN (…)) allows, read from the table's SQL as SQLite stored it. */
  function allowed(db: Database.Database, table: string, column: string): string[] {
    const { sql } = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string };
    const check = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(sql);
    if (!check) throw new Error(`no CHECK on ${table}.${column}`);
    return [...check[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!).sort();
  }

  it("equal the domain's lists, so a value added to the domain fails here until a migration widens the CHECK", () => {
    const db = openDatabase(join(dirs.make(), 'labwarden.db'));
    try {
      const sorted = (values: readonly string[]) => [...values].sort();
      expect(allowed(db, 'devices', 'kind')).toEqual(sorted(DEVICE_KINDS));
      expect(allowed(db, 'ports', 'role')).toEqual(sorted(PORT_ROLES));
      expect(allowed(db, 'links', 'source')).toEqual(sorted(LINK_SOURCES));
      expect(allowed(db, 'vlans', 'purpose')).toEqual(sorted(VLAN_PURPOSES));
      expect(allowed(db, 'luns', 'use')).toEqual(sorted(LUN_USES));
      expect(allowed(db, 'credentials', 'purpose')).toEqual(sorted(CREDENTIAL_PURPOSES));
      expect(allowed(db, 'target_credentials', 'purpose')).toEqual(sorted(TARGET_CREDENTIAL_PURPOSES));
    } finally {
      db.close();
    }
  });
});
