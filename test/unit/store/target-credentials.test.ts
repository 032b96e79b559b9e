/**
 * A target's discovery CHAP secrets go the way of a device's credentials: sealed at rest and bound to their
 * row, write-only through the API, never in an export, kept across a re-import of the same IQN, gone with the
 * target. And a database from before them (schema 3) gains them without losing a target.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { tempDirs } from '../helpers/temp-dir';
import { revealTargetCredential, CredentialUnavailable } from '../../../src-main/store/credentials';
import { openDatabase } from '../../../src-main/store/db';
import { MIGRATIONS } from '../../../src-main/store/migrations';
import { listTargets } from '../../../src-main/store/targets';
import type { Args } from '../../../src-main/api/contract';

let h: Harness;
afterEach(() => h?.close());
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const SECRET = 'Chap-Secret-4711';
const TARGET_SECRET = 'Mutual-Secret-0815';
const IQN = 'iqn.2013-03.com.dlink:dns-1550-04.vm-store';

type TargetArg = Args<'targets.create'>[0];

async function san(name = 'dlink-san'): Promise<number> {
  return (await h.api['devices.create']({ name, kind: 'iscsi-san', address: '10.10.20.20' })).id;
}

const chapTarget = (deviceId: number, extra: Partial<TargetArg> = {}): TargetArg => ({
  deviceId,
  iqn: IQN,
  portals: [{ address: '10.10.20.20', port: 3260 }],
  luns: [{ lun: 0, sizeBytes: 1e12, scsiId: '36001405194731d05d28b3bfb8b985cb' }],
  chap: { user: 'monitor' },
  secrets: { 'chap-secret': SECRET },
  ...extra,
});

function databaseBytes(harness: Harness): Buffer {
  const parts = [readFileSync(harness.dbPath)];
  if (existsSync(`${harness.dbPath}-wal`)) parts.push(readFileSync(`${harness.dbPath}-wal`));
  return Buffer.concat(parts);
}

describe('discovery CHAP secrets never leave the main process', () => {
  it('no read or export holds the secret; the target says which secrets are stored and the CHAP names', async () => {
    h = makeHarness();
    const { id } = await h.api['targets.create'](chapTarget(await san(), { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': SECRET, 'chap-target-secret': TARGET_SECRET } }));
    const list = await h.api['targets.list']();
    const yaml = await h.api['inventory.exportYaml']();
    const results = [list, yaml, await h.api['devices.list'](), await h.api['devices.get'](list[0]!.deviceId), await h.api['storage.overview'](), await h.api['targets.deleteImpact'](id)];
    for (const result of results) {
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(JSON.stringify(result)).not.toContain(TARGET_SECRET);
    }
    expect(list[0]).toMatchObject({ chap: { user: 'monitor', targetUser: 'dlink' }, credentials: ['chap-secret', 'chap-target-secret'] });
    expect(yaml).toContain('chap: { user: monitor, targetUser: dlink }');
    expect(yaml).toContain('scsiId: 36001405194731d05d28b3bfb8b985cb');
  });

  it('the plaintext is not in the database files; the probe gets it back from revealTargetCredential', async () => {
    h = makeHarness();
    const { id } = await h.api['targets.create'](chapTarget(await san()));
    const bytes = databaseBytes(h);
    expect(bytes.includes(Buffer.from(IQN, 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false);
    expect(revealTargetCredential(h.db, h.box, id, 'chap-secret')).toBe(SECRET);
    expect(revealTargetCredential(h.db, h.box, id, 'chap-target-secret')).toBeNull();
  });

  it('a sealed secret is bound to its target and purpose: copied elsewhere it does not open', async () => {
    h = makeHarness();
    const device = await san();
    const owner = await h.api['targets.create'](chapTarget(device));
    const other = await h.api['targets.create'](chapTarget(device, { iqn: `${IQN}-2`, secrets: { 'chap-secret': 'Another-Secret-1' } }));
    h.db.prepare('UPDATE target_credentials SET sealed = (SELECT sealed FROM target_credentials WHERE target_id = ?) WHERE target_id = ?').run(owner.id, other.id);
    expect(() => revealTargetCredential(h.db, h.box, other.id, 'chap-secret')).toThrow(/does not open with the key/);
    h.db
      .prepare(`INSERT INTO target_credentials (target_id, purpose, scheme, sealed, updated_at) SELECT target_id, 'chap-target-secret', scheme, sealed, updated_at FROM target_credentials WHERE target_id = ?`)
      .run(owner.id);
    expect(() => revealTargetCredential(h.db, h.box, owner.id, 'chap-target-secret')).toThrow(/does not open with the key/);
    expect(revealTargetCredential(h.db, h.box, owner.id, 'chap-secret')).toBe(SECRET);
  });

  it('a secret stored by the desktop app gives CredentialUnavailable here, as a device credential does', async () => {
    h = makeHarness();
    const { id } = await h.api['targets.create'](chapTarget(await san()));
    h.db.prepare("UPDATE target_credentials SET scheme = 'electron-safe-storage'").run();
    expect(() => revealTargetCredential(h.db, h.box, id, 'chap-secret')).toThrow(CredentialUnavailable);
  });
});

describe('setting, keeping and clearing them through the API', () => {
  it('an edit that does not mention a secret keeps it; a new one replaces it; turning CHAP off drops both', async () => {
    h = makeHarness();
    const device = await san();
    const { id } = await h.api['targets.create'](chapTarget(device, { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': SECRET, 'chap-target-secret': TARGET_SECRET } }));
    await h.api['targets.update'](id, chapTarget(device, { alias: 'renamed', chap: { user: 'monitor', targetUser: 'dlink' }, secrets: {} }));
    expect(revealTargetCredential(h.db, h.box, id, 'chap-secret')).toBe(SECRET);
    await h.api['targets.update'](id, chapTarget(device, { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': 'Changed-Secret-1' } }));
    expect(revealTargetCredential(h.db, h.box, id, 'chap-secret')).toBe('Changed-Secret-1');
    expect(revealTargetCredential(h.db, h.box, id, 'chap-target-secret')).toBe(TARGET_SECRET);

    // One-way CHAP from now on: the mutual secret goes, the CHAP secret stays.
    await h.api['targets.update'](id, chapTarget(device, { chap: { user: 'monitor' }, secrets: {} }));
    expect((await h.api['targets.list']())[0]!.credentials).toEqual(['chap-secret']);
    await h.api['targets.update'](id, chapTarget(device, { chap: null, secrets: {} }));
    expect((await h.api['targets.list']())[0]).toMatchObject({ chap: null, credentials: [] });
    expect(h.db.prepare('SELECT count(*) AS n FROM target_credentials').get()).toEqual({ n: 0 });
  });

  it('refuses a CHAP name without a secret, given or stored, at the secret; and stores nothing', async () => {
    h = makeHarness();
    const device = await san();
    const error = await failure(h.api['targets.create'](chapTarget(device, { secrets: {} })));
    expect(error).toMatchObject({ code: 'invalid' });
    expect(error.issues).toEqual([{ path: ['secrets', 'chap-secret'], message: 'enter the CHAP secret: discovery CHAP needs it' }]);
    expect(await h.api['targets.list']()).toEqual([]);

    const { id } = await h.api['targets.create'](chapTarget(device));
    const mutual = await failure(h.api['targets.update'](id, chapTarget(device, { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: {} })));
    expect(mutual.issues).toEqual([{ path: ['secrets', 'chap-target-secret'], message: 'enter the mutual CHAP target secret: mutual CHAP needs it' }]);
    expect((await h.api['targets.list']())[0]!.chap).toEqual({ user: 'monitor', targetUser: '' }); // the refused edit changed nothing
  });

  it('refuses a secret for CHAP that is off, the same secret both ways, and a nameless CHAP user; never echoing a secret', async () => {
    h = makeHarness();
    const device = await san();
    const off = await failure(h.api['targets.create'](chapTarget(device, { chap: null })));
    expect(off.issues).toContainEqual({ arg: 0, path: ['secrets', 'chap-secret'], message: 'CHAP secret given, but discovery CHAP is off' });
    const oneWay = await failure(h.api['targets.create'](chapTarget(device, { secrets: { 'chap-secret': SECRET, 'chap-target-secret': TARGET_SECRET } })));
    expect(oneWay.issues).toContainEqual({ arg: 0, path: ['secrets', 'chap-target-secret'], message: 'mutual CHAP target secret given, but mutual CHAP has no target user name' });
    const same = await failure(
      h.api['targets.create'](chapTarget(device, { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': SECRET, 'chap-target-secret': SECRET } })),
    );
    expect(same.issues).toContainEqual({ arg: 0, path: ['secrets', 'chap-target-secret'], message: 'mutual CHAP needs a different secret each way (RFC 7143 §12.1.3)' });
    const nameless = await failure(h.api['targets.create'](chapTarget(device, { chap: { user: '  ' } })));
    expect(nameless.issues).toContainEqual({ arg: 0, path: ['chap', 'user'], message: 'a CHAP user name is required' });
    for (const error of [off, oneWay, same, nameless]) expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(await h.api['targets.list']()).toEqual([]);
  });

  it('deleting a target deletes its secrets, and the dialog says so', async () => {
    h = makeHarness();
    const { id } = await h.api['targets.create'](chapTarget(await san()));
    expect((await h.api['targets.deleteImpact'](id)).summary).toBe(`Deleting target ${IQN} also deletes its 1 LUN, 1 portal and 1 stored CHAP secret.`);
    await h.api['targets.delete'](id);
    expect(h.db.prepare('SELECT count(*) AS n FROM target_credentials').get()).toEqual({ n: 0 });
  });
});

describe('re-importing an exported inventory', () => {
  it('keeps the CHAP secrets of the target with the same IQN, re-sealed for its new id', async () => {
    h = makeHarness();
    const device = await san();
    // Created first, listed last: after the import (which inserts in IQN order) it has another id.
    const before = await h.api['targets.create'](chapTarget(device, { iqn: `${IQN}-z`, chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': SECRET, 'chap-target-secret': TARGET_SECRET } }));
    await h.api['targets.create']({ deviceId: device, iqn: `${IQN}-a`, portals: [{ address: '10.10.20.20' }], luns: [] });
    const yaml = await h.api['inventory.exportYaml']();
    expect(yaml).not.toContain(SECRET);

    const summary = await h.api['inventory.importYaml'](yaml);
    expect(summary).toMatchObject({ keptCredentials: 2, droppedCredentials: 0 });
    const after = (await h.api['targets.list']()).find((t) => t.iqn === `${IQN}-z`)!;
    expect(after.id).not.toBe(before.id);
    expect(after).toMatchObject({ chap: { user: 'monitor', targetUser: 'dlink' }, credentials: ['chap-secret', 'chap-target-secret'] });
    expect(revealTargetCredential(h.db, h.box, after.id, 'chap-secret')).toBe(SECRET);
    expect(revealTargetCredential(h.db, h.box, after.id, 'chap-target-secret')).toBe(TARGET_SECRET);
    expect(after.luns[0]!.scsiId).toBe('36001405194731d05d28b3bfb8b985cb');
  });

  it('drops the secrets whose CHAP setting the imported file removes', async () => {
    h = makeHarness();
    await h.api['targets.create'](chapTarget(await san(), { chap: { user: 'monitor', targetUser: 'dlink' }, secrets: { 'chap-secret': SECRET, 'chap-target-secret': TARGET_SECRET } }));
    const oneWay = (await h.api['inventory.exportYaml']()).replace('chap: { user: monitor, targetUser: dlink }', 'chap: { user: monitor }');
    expect(await h.api['inventory.importYaml'](oneWay)).toMatchObject({ keptCredentials: 1, droppedCredentials: 1 });
    expect((await h.api['targets.list']())[0]!.credentials).toEqual(['chap-secret']);
    const none = (await h.api['inventory.exportYaml']()).replace(/\n\s+chap:[^\n]*/, '');
    expect(none).not.toContain('chap');
    expect(await h.api['inventory.importYaml'](none)).toMatchObject({ keptCredentials: 0, droppedCredentials: 1 });
    expect((await h.api['targets.list']())[0]).toMatchObject({ chap: null, credentials: [] });
  });
});

describe('a database from before discovery CHAP (schema 3)', () => {
  it('migrates: its targets and LUNs stay, with no CHAP and no SCSI id', () => {
    const path = join(dirs.make(), 'labwarden.db');
    const old = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 3)) migration.up(old);
    old.pragma('user_version = 3');
    old.exec(`
      INSERT INTO devices (id, name, kind, address) VALUES (1, 'san', 'iscsi-san', '10.0.0.5');
      INSERT INTO targets (id, device_id, iqn) VALUES (1, 1, '${IQN}');
      INSERT INTO target_portals (target_id, position, address, port) VALUES (1, 0, '10.0.0.5', 3260);
      INSERT INTO luns (target_id, lun, name, size_bytes, use) VALUES (1, 0, 'store', 1000000000000, 'vm-storage');
    `);
    old.close();
    const db = openDatabase(path);
    try {
      expect(listTargets(db)).toEqual([
        expect.objectContaining({ iqn: IQN, chap: null, credentials: [], luns: [{ lun: 0, name: 'store', sizeBytes: 1e12, use: 'vm-storage', scsiId: '' }] }),
      ]);
      expect(() => db.prepare("INSERT INTO target_credentials (target_id, purpose, scheme, sealed, updated_at) VALUES (1, 'xenapi-password', 's', x'00', 'now')").run()).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
