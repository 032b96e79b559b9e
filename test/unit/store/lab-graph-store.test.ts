import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, type Db } from '../../../src-main/store/db';
import { MIGRATIONS, LATEST_SCHEMA } from '../../../src-main/store/migrations';
import { getDevice, insertDevice, listDevices, updateDevice, type DeviceFields } from '../../../src-main/store/devices';
import { listAcceptances, acceptFinding, unacceptFinding, recordOpenFindings, LAST_SEEN_RESOLUTION_MS } from '../../../src-main/store/findings';
import { loadPositions, savePositions, clearPositions } from '../../../src-main/store/topology';
import { readInventory, replaceInventory } from '../../../src-main/store/inventory';
import { KeyFileBox } from '../../../src-main/store/keyfile-box';
import { InvalidInput } from '../../../src-main/domain/errors';
import { INVENTORY_FORMAT, type Inventory } from '../../../src-main/domain/model/inventory';
import { tempDirs } from '../helpers/temp-dir';

const dirs = tempDirs();
const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  dirs.cleanup();
});

function freshDb(path = join(dirs.make(), 'labwarden.db')): Db {
  const db = openDatabase(path);
  opened.push(db);
  return db;
}

const device = (name: string, extra: Partial<DeviceFields> = {}): DeviceFields => ({
  name,
  kind: 'switch',
  address: '10.0.0.2',
  vendor: '',
  model: '',
  location: '',
  notes: '',
  memberOf: null,
  stack: '',
  snmp: null,
  xenapi: null,
  dsm: null,
  ...extra,
});

/** Rows written by this connection so far: a call that writes nothing leaves it where it was. */
const writes = (db: Db) => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

const seenRows = (db: Db) => db.prepare('SELECT id, first_seen, last_seen, open FROM findings_seen ORDER BY id').all();

const at = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 0, 5, 9, minutes, seconds)).toISOString();

describe('migration 5 on a version-4 database', () => {
  it('adds the stack column ("" for every existing device) and the three new tables, keeping every row', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const raw = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 4)) migration.up(raw);
    raw.pragma('user_version = 4');
    raw.exec(`
      INSERT INTO devices (id, name, kind, address, vendor, notes) VALUES (1, 'sw-a', 'switch', '10.0.0.2', 'HP', 'core');
      INSERT INTO devices (id, name, kind, address) VALUES (2, 'xen1', 'xen-host', '10.0.0.11');
      INSERT INTO ports (device_id, name, role) VALUES (1, '1', 'uplink');
      INSERT INTO settings (key, value) VALUES ('lab.name', 'Old lab');
    `);
    raw.close();

    const db = freshDb(path);
    expect(LATEST_SCHEMA).toBe(5);
    expect(schemaVersion(db)).toBe(5);
    expect(listDevices(db).map((d) => [d.name, d.kind, d.vendor, d.notes, d.stack, d.portCount])).toEqual([
      ['sw-a', 'switch', 'HP', 'core', '', 1],
      ['xen1', 'xen-host', '', '', '', 0],
    ]);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'lab.name'").get()).toEqual({ value: 'Old lab' });
    for (const table of ['finding_acceptances', 'findings_seen', 'topology_positions']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
    // The devices table keeps its CHECK on kind after the ALTER (migrations.test.ts compares its list).
    expect(() => db.prepare("INSERT INTO devices (name, kind, address) VALUES ('x', 'fridge', '1.2.3.4')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO devices (name, kind, address, stack) VALUES ('y', 'switch', '1.2.3.4', NULL)").run()).toThrow(/NOT NULL/);
  });
});

describe("a device's stack in the store", () => {
  it('is written, read back and changed; a new device without one has ""', () => {
    const db = freshDb();
    const a = insertDevice(db, device('sw-a', { stack: 'core' }));
    const b = insertDevice(db, device('sw-b'));
    expect(getDevice(db, a).stack).toBe('core');
    expect(getDevice(db, b).stack).toBe('');
    updateDevice(db, b, device('sw-b', { stack: 'core' }));
    expect(listDevices(db).map((d) => [d.name, d.stack])).toEqual([
      ['sw-a', 'core'],
      ['sw-b', 'core'],
    ]);
  });

  it('is refused on a device that is not a switch, and a stacked switch cannot become another kind', () => {
    const db = freshDb();
    expect(() => insertDevice(db, device('nas1', { kind: 'nas', stack: 'core' }))).toThrow(InvalidInput);
    try {
      insertDevice(db, device('nas1', { kind: 'nas', stack: 'core' }));
    } catch (error) {
      expect((error as InvalidInput).issues).toEqual([{ path: ['stack'], message: 'only switches can be stacked' }]);
    }
    const id = insertDevice(db, device('sw-a', { stack: 'core' }));
    expect(() => updateDevice(db, id, device('sw-a', { kind: 'linux-host', stack: 'core' }))).toThrow(/only switches can be stacked/);
    expect(getDevice(db, id)).toMatchObject({ kind: 'switch', stack: 'core' });
  });
});

describe('accepted findings', () => {
  it('are listed by id, replaced when accepted again, taken back once, and survive a restart', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const db = freshDb(path);
    expect(listAcceptances(db)).toEqual([]);
    acceptFinding(db, 'spof.storage-single-path:xen1:VM store', 'one path by design', at(1));
    acceptFinding(db, 'spof.management-single-nic:xen1', '', at(2));
    acceptFinding(db, 'spof.storage-single-path:xen1:VM store', 'second NIC ordered', at(3));
    expect(listAcceptances(db)).toEqual([
      { id: 'spof.management-single-nic:xen1', note: '', at: at(2) },
      { id: 'spof.storage-single-path:xen1:VM store', note: 'second NIC ordered', at: at(3) },
    ]);
    db.close();

    const again = freshDb(path);
    expect(listAcceptances(again).map((a) => a.id)).toEqual(['spof.management-single-nic:xen1', 'spof.storage-single-path:xen1:VM store']);
    expect(unacceptFinding(again, 'spof.management-single-nic:xen1')).toBe(true);
    expect(unacceptFinding(again, 'spof.management-single-nic:xen1')).toBe(false);
    expect(unacceptFinding(again, 'never-accepted')).toBe(false);
    expect(listAcceptances(again).map((a) => a.id)).toEqual(['spof.storage-single-path:xen1:VM store']);
  });

  it('compare ids exactly: ids differing only in case are two acceptances', () => {
    const db = freshDb();
    acceptFinding(db, 'rule:SW1:1', 'a', at(1));
    acceptFinding(db, 'rule:sw1:1', 'b', at(1));
    expect(listAcceptances(db).map((a) => [a.id, a.note])).toEqual([
      ['rule:SW1:1', 'a'],
      ['rule:sw1:1', 'b'],
    ]);
  });
});

describe('recordOpenFindings', () => {
  it('opens new ids at `at`, keeps the first_seen of those still open, closes those gone, and reopens them as new', () => {
    const db = freshDb();
    const first = recordOpenFindings(db, ['b', 'a'], at(0));
    expect([...first]).toEqual([
      ['b', at(0)],
      ['a', at(0)],
    ]);

    const second = recordOpenFindings(db, ['a', 'c'], at(5));
    expect(Object.fromEntries(second)).toEqual({ a: at(0), c: at(5) });
    expect(seenRows(db)).toEqual([
      { id: 'a', first_seen: at(0), last_seen: at(5), open: 1 },
      { id: 'b', first_seen: at(0), last_seen: at(5), open: 0 },
      { id: 'c', first_seen: at(5), last_seen: at(5), open: 1 },
    ]);

    // b comes back: it is a new occurrence, first seen now.
    const third = recordOpenFindings(db, ['a', 'b', 'c'], at(9));
    expect(Object.fromEntries(third)).toEqual({ a: at(0), b: at(9), c: at(5) });
    expect(seenRows(db)).toContainEqual({ id: 'b', first_seen: at(9), last_seen: at(9), open: 1 });

    // Nothing open: every row closes, the map is empty.
    expect(recordOpenFindings(db, [], at(12)).size).toBe(0);
    expect(seenRows(db)).toEqual([
      { id: 'a', first_seen: at(0), last_seen: at(12), open: 0 },
      { id: 'b', first_seen: at(9), last_seen: at(12), open: 0 },
      { id: 'c', first_seen: at(5), last_seen: at(12), open: 0 },
    ]);
  });

  it('writes nothing when nothing changed, and brings last_seen forward at most once a minute', () => {
    const db = freshDb();
    const ids = Array.from({ length: 500 }, (_, i) => `spof.rule:dev${i}:port`);
    recordOpenFindings(db, ids, at(0, 0));
    const before = writes(db);

    // Several audits a second, for most of a minute: no row changes, no write at all.
    for (let s = 1; s < 60; s += 0.25) {
      const seen = recordOpenFindings(db, ids, new Date(Date.parse(at(0, 0)) + s * 1000).toISOString());
      expect(seen.size).toBe(500);
    }
    expect(writes(db)).toBe(before);
    expect(db.prepare('SELECT DISTINCT last_seen FROM findings_seen').all()).toEqual([{ last_seen: at(0, 0) }]);

    // A minute on: last_seen moves once, first_seen does not.
    expect(LAST_SEEN_RESOLUTION_MS).toBe(60_000);
    recordOpenFindings(db, ids, at(1, 0));
    expect(writes(db)).toBe(before + 500);
    expect(db.prepare('SELECT DISTINCT first_seen, last_seen FROM findings_seen').all()).toEqual([{ first_seen: at(0, 0), last_seen: at(1, 0) }]);
    recordOpenFindings(db, ids, at(1, 30));
    expect(writes(db)).toBe(before + 500);

    // One finding opening writes one row, not 501.
    recordOpenFindings(db, [...ids, 'new:one'], at(1, 40));
    expect(writes(db)).toBe(before + 501);
  });

  it('answers for every id given, once each, however often it is listed', () => {
    const db = freshDb();
    const seen = recordOpenFindings(db, ['x', 'x', 'y'], at(0));
    expect(Object.fromEntries(seen)).toEqual({ x: at(0), y: at(0) });
    expect(seenRows(db)).toHaveLength(2);
  });

  it('keeps first_seen across a restart', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const db = freshDb(path);
    recordOpenFindings(db, ['spof.storage-single-path:xen1:VM store'], at(0));
    db.close();
    const again = freshDb(path);
    expect(recordOpenFindings(again, ['spof.storage-single-path:xen1:VM store'], at(30)).get('spof.storage-single-path:xen1:VM store')).toBe(at(0));
  });
});

describe('topology positions', () => {
  it('are saved (upserting only the nodes given), loaded and cleared, and survive a restart', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const db = freshDb(path);
    expect(loadPositions(db)).toEqual({});
    savePositions(db, { 'device:sw-a': { x: 10, y: -20.5 }, 'device:xen1': { x: 0, y: 0 } });
    savePositions(db, { 'device:xen1': { x: 1e7, y: -1e7 }, 'switch:sw-a#2': { x: 3.25, y: 4 } });
    db.close();

    const again = freshDb(path);
    expect(loadPositions(again)).toEqual({
      'device:sw-a': { x: 10, y: -20.5 },
      'device:xen1': { x: 1e7, y: -1e7 },
      'switch:sw-a#2': { x: 3.25, y: 4 },
    });
    clearPositions(again);
    expect(loadPositions(again)).toEqual({});
  });

  it('refuses a coordinate that is not a finite number, naming the node, and writes none of the call', () => {
    const db = freshDb();
    savePositions(db, { kept: { x: 1, y: 2 } });
    for (const bad of [NaN, Infinity, -Infinity, '5', null, undefined]) {
      let error: unknown;
      try {
        savePositions(db, { kept: { x: 9, y: 9 }, 'device:sw-b': { x: 1, y: bad as number } });
      } catch (e) {
        error = e;
      }
      expect(error, String(bad)).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).issues[0]!.path).toEqual(['device:sw-b', 'y']);
      expect((error as InvalidInput).message).toContain('"device:sw-b"');
    }
    expect(loadPositions(db)).toEqual({ kept: { x: 1, y: 2 } });
  });
});

describe('the inventory document and accepted findings', () => {
  const lab = (acceptedFindings?: Inventory['acceptedFindings']): Inventory => ({
    format: INVENTORY_FORMAT,
    name: 'Lab',
    vlans: [],
    devices: [
      { name: 'sw-a', kind: 'switch', address: '10.0.0.2', vendor: '', model: '', location: '', notes: '', memberOf: null, stack: 'core', snmp: null, xenapi: null, dsm: null, ports: [] },
      // Written as a literal before stacks existed: no stack key at all.
      { name: 'sw-b', kind: 'switch', address: '10.0.0.3', vendor: '', model: '', location: '', notes: '', memberOf: null, snmp: null, xenapi: null, dsm: null, ports: [] },
    ],
    links: [],
    targets: [],
    ...(acceptedFindings ? { acceptedFindings } : {}),
  });

  it('readInventory lists stacks and acceptances (by id); replaceInventory replaces them at the import time', () => {
    const dir = dirs.make();
    const db = freshDb(join(dir, 'labwarden.db'));
    const box = new KeyFileBox(join(dir, 'labwarden.key'));
    acceptFinding(db, 'old:finding', 'gone after the import', at(0));
    replaceInventory(db, box, lab([{ id: 'z:last', note: '' }, { id: 'a:first', note: 'why' }]), at(7));

    const inventory = readInventory(db);
    expect(inventory.devices.map((d) => [d.name, d.stack])).toEqual([
      ['sw-a', 'core'],
      ['sw-b', ''],
    ]);
    expect(inventory.acceptedFindings).toEqual([
      { id: 'a:first', note: 'why' },
      { id: 'z:last', note: '' },
    ]);
    expect(listAcceptances(db).map((a) => a.at)).toEqual([at(7), at(7)]);

    // A document without the list leaves none.
    replaceInventory(db, box, lab(), at(8));
    expect(listAcceptances(db)).toEqual([]);
    expect(readInventory(db).acceptedFindings).toEqual([]);
  });

  it('replaceInventory changes nothing when an acceptance cannot be written (the whole import is one transaction)', () => {
    const dir = dirs.make();
    const db = freshDb(join(dir, 'labwarden.db'));
    const box = new KeyFileBox(join(dir, 'labwarden.key'));
    replaceInventory(db, box, lab([{ id: 'kept', note: '' }]), at(1));
    const before = readInventory(db);
    // Unvalidated input with a duplicate id: the primary key refuses it, and the devices stay too.
    expect(() => replaceInventory(db, box, { ...lab([{ id: 'dup', note: '' }, { id: 'dup', note: '' }]), name: 'Other' }, at(2))).toThrow(/UNIQUE/);
    expect(readInventory(db)).toEqual(before);
    expect(listAcceptances(db)).toEqual([{ id: 'kept', note: '', at: at(1) }]);
  });
});
