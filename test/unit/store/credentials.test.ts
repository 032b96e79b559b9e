import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, existsSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { revealCredential, CredentialUnavailable } from '../../../src-main/store/credentials';
import { KeyFileBox, KeyFileProblem } from '../../../src-main/store/keyfile-box';
import type { Args } from '../../../src-main/api/contract';

let h: Harness;
afterEach(() => h?.close());

const SECRET = 'S3cret-community-xyz';

type DeviceArg = Args<'devices.create'>[0];

const switchWithCommunity = (name = 'sw1', secret = SECRET): DeviceArg => ({
  name,
  kind: 'switch',
  address: '10.0.0.2',
  snmp: { version: 'v2c' },
  secrets: { 'snmp-community': secret },
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, and none was thrown');
}

/** The bytes of the database and its WAL, as anyone who copies the files would have them. */
function databaseBytes(harness: Harness): Buffer {
  const parts = [readFileSync(harness.dbPath)];
  if (existsSync(`${harness.dbPath}-wal`)) parts.push(readFileSync(`${harness.dbPath}-wal`));
  return Buffer.concat(parts);
}

describe('stored credentials never leave the main process', () => {
  it('no read or export returns the secret; the list says only which credentials are set', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());

    const list = await h.api['devices.list']();
    const detail = await h.api['devices.get'](id);
    const yaml = await h.api['inventory.exportYaml']();
    const csv = await h.api['devices.exportCsv']();
    for (const result of [list, detail, yaml, csv]) expect(JSON.stringify(result)).not.toContain(SECRET);

    expect(list.find((d) => d.id === id)?.credentials).toEqual(['snmp-community']);
    expect(detail.credentials).toEqual(['snmp-community']);
    // The export does name the device: the search above would have found the secret had it been there.
    expect(yaml).toContain('sw1');
    expect(csv).toContain('sw1');
  });

  it('the plaintext is not in the database files, which do hold the device it belongs to', async () => {
    h = makeHarness();
    await h.api['devices.create'](switchWithCommunity('secret-holder-switch'));
    const bytes = databaseBytes(h);
    expect(bytes.includes(Buffer.from('secret-holder-switch', 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false);
  });

  it('revealCredential gives the driver the secret that was entered', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    expect(revealCredential(h.db, h.box, id, 'snmp-community')).toBe(SECRET);
    expect(revealCredential(h.db, h.box, id, 'snmp-auth-key')).toBeNull();
  });

  it('a value is sealed afresh each time: the same secret on two devices is stored as different bytes', async () => {
    h = makeHarness();
    const a = await h.api['devices.create'](switchWithCommunity('sw1'));
    const b = await h.api['devices.create'](switchWithCommunity('sw2'));
    const sealed = (id: number) =>
      (h.db.prepare("SELECT sealed FROM credentials WHERE device_id = ? AND purpose = 'snmp-community'").get(id) as { sealed: Buffer }).sealed;
    expect(sealed(a.id).equals(sealed(b.id))).toBe(false);
    expect(revealCredential(h.db, h.box, b.id, 'snmp-community')).toBe(SECRET);
  });
});

describe('the key file', () => {
  it('is created readable by its owner only (0600)', () => {
    h = makeHarness();
    expect(statSync(join(h.dir, 'labwarden.key')).mode & 0o777).toBe(0o600);
  });

  it('is refused when other users can read it, with a message saying to chmod 600', () => {
    h = makeHarness();
    const keyPath = join(h.dir, 'labwarden.key');
    chmodSync(keyPath, 0o640);
    const error = caught(() => new KeyFileBox(keyPath));
    expect(error).toBeInstanceOf(KeyFileProblem);
    expect((error as Error).message).toContain(`chmod 600 ${keyPath}`);
    expect((error as Error).message).toContain('mode 640');
  });

  it('opens again with the same key once it is 0600, so stored secrets stay readable', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    const keyPath = join(h.dir, 'labwarden.key');
    chmodSync(keyPath, 0o640);
    expect(() => new KeyFileBox(keyPath)).toThrow(KeyFileProblem);
    chmodSync(keyPath, 0o600);
    expect(revealCredential(h.db, new KeyFileBox(keyPath), id, 'snmp-community')).toBe(SECRET);
  });
});

describe('a sealed value is bound to its device and purpose', () => {
  it('does not open when copied to another device’s row', async () => {
    h = makeHarness();
    const owner = await h.api['devices.create'](switchWithCommunity('sw1'));
    const other = await h.api['devices.create']({ name: 'sw2', kind: 'switch', address: '10.0.0.3', snmp: { version: 'v2c' } });
    h.db
      .prepare(
        `INSERT INTO credentials (device_id, purpose, scheme, sealed, updated_at)
         SELECT ?, purpose, scheme, sealed, updated_at FROM credentials WHERE device_id = ?`,
      )
      .run(other.id, owner.id);
    expect(() => revealCredential(h.db, h.box, other.id, 'snmp-community')).toThrow(/does not open with the key/);
    expect(revealCredential(h.db, h.box, owner.id, 'snmp-community')).toBe(SECRET);
  });

  it('does not open when copied to another purpose of the same device', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    h.db
      .prepare(
        `INSERT INTO credentials (device_id, purpose, scheme, sealed, updated_at)
         SELECT device_id, 'snmp-auth-key', scheme, sealed, updated_at FROM credentials WHERE device_id = ?`,
      )
      .run(id);
    expect(() => revealCredential(h.db, h.box, id, 'snmp-auth-key')).toThrow(KeyFileProblem);
  });

  it('a credential stored by the desktop app gives CredentialUnavailable, telling to enter it again', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    h.db.prepare("UPDATE credentials SET scheme = 'electron-safe-storage' WHERE device_id = ?").run(id);
    const error = caught(() => revealCredential(h.db, h.box, id, 'snmp-community'));
    expect(error).toBeInstanceOf(CredentialUnavailable);
    expect((error as Error).message).toMatch(/the desktop app \(OS keychain\)/);
    expect((error as Error).message).toMatch(/enter it again$/);
  });
});

describe('setting, keeping and clearing credentials through the API', () => {
  it('an edit that does not mention a secret keeps it', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    await h.api['devices.update'](id, { name: 'sw1', kind: 'switch', address: '10.0.0.9', snmp: { version: 'v2c' } });
    expect(revealCredential(h.db, h.box, id, 'snmp-community')).toBe(SECRET);
    await h.api['devices.update'](id, { ...switchWithCommunity(), secrets: { 'snmp-community': 'changed-community' } });
    expect(revealCredential(h.db, h.box, id, 'snmp-community')).toBe('changed-community');
  });

  it('turning SNMP off on a device drops its SNMP credentials', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create']({
      name: 'sw1',
      kind: 'switch',
      address: '10.0.0.2',
      snmp: { version: 'v3', v3User: 'labwarden' },
      secrets: { 'snmp-auth-key': 'auth-key-123', 'snmp-priv-key': 'priv-key-456' },
    });
    expect((await h.api['devices.get'](id)).credentials).toEqual(['snmp-auth-key', 'snmp-priv-key']);
    await h.api['devices.update'](id, { name: 'sw1', kind: 'switch', address: '10.0.0.2', snmp: null });
    expect((await h.api['devices.get'](id)).credentials).toEqual([]);
    expect(h.db.prepare('SELECT count(*) AS n FROM credentials WHERE device_id = ?').get(id)).toEqual({ n: 0 });
    expect(revealCredential(h.db, h.box, id, 'snmp-auth-key')).toBeNull();
  });

  it('secrets: {purpose: null} clears that credential and no other', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create']({
      name: 'nas1',
      kind: 'nas',
      address: '10.0.0.30',
      snmp: { version: 'v2c' },
      dsm: { url: 'https://10.0.0.30:5001', username: 'labwarden' },
      secrets: { 'snmp-community': SECRET, 'dsm-password': 'dsm-pass' },
    });
    await h.api['devices.update'](id, {
      name: 'nas1',
      kind: 'nas',
      address: '10.0.0.30',
      snmp: { version: 'v2c' },
      dsm: { url: 'https://10.0.0.30:5001', username: 'labwarden' },
      secrets: { 'snmp-community': null },
    });
    expect((await h.api['devices.get'](id)).credentials).toEqual(['dsm-password']);
    expect(revealCredential(h.db, h.box, id, 'snmp-community')).toBeNull();
    expect(revealCredential(h.db, h.box, id, 'dsm-password')).toBe('dsm-pass');
  });

  it('refuses an SNMPv3 auth key shorter than 8 characters, at secrets.snmp-auth-key, and stores nothing', async () => {
    h = makeHarness();
    const error = await failure(
      h.api['devices.create']({
        name: 'sw1',
        kind: 'switch',
        address: '10.0.0.2',
        snmp: { version: 'v3', v3User: 'labwarden' },
        secrets: { 'snmp-auth-key': 'short' },
      }),
    );
    expect(error.code).toBe('bad-arguments');
    expect(error.issues).toContainEqual({
      arg: 0,
      path: ['secrets', 'snmp-auth-key'],
      message: 'SNMPv3 keys are at least 8 characters (RFC 3414)',
    });
    expect(error.message).not.toContain('short');
    expect(await h.api['devices.list']()).toEqual([]);
  });

  it('refuses a secret for a protocol the device does not have', async () => {
    h = makeHarness();
    const error = await failure(
      h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2', secrets: { 'snmp-community': SECRET } }),
    );
    expect(error.code).toBe('bad-arguments');
    expect(error.issues).toContainEqual({
      arg: 0,
      path: ['secrets', 'snmp-community'],
      message: 'SNMP community given, but SNMP is not enabled',
    });
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('deleting a device deletes its credentials', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](switchWithCommunity());
    await h.api['devices.delete'](id);
    expect(h.db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 0 });
  });
});

describe('re-importing an exported inventory', () => {
  it('keeps the credential for the device of the same name, re-sealed for its new id', async () => {
    h = makeHarness();
    // Created first, named last: after the import (which inserts in name order) it gets another id.
    const before = await h.api['devices.create'](switchWithCommunity('zz-switch'));
    await h.api['devices.create']({ name: 'aa-switch', kind: 'switch', address: '10.0.0.3', snmp: { version: 'v2c' } });
    const yaml = await h.api['inventory.exportYaml']();
    expect(yaml).not.toContain(SECRET);

    const summary = await h.api['inventory.importYaml'](yaml);
    expect(summary.keptCredentials).toBe(1);
    expect(summary.droppedCredentials).toBe(0);

    const after = (await h.api['devices.list']()).find((d) => d.name === 'zz-switch')!;
    expect(after.id).not.toBe(before.id);
    expect(after.credentials).toEqual(['snmp-community']);
    expect(revealCredential(h.db, h.box, after.id, 'snmp-community')).toBe(SECRET);
  });

  it('drops the credential of a device whose protocol the imported file turns off', async () => {
    h = makeHarness();
    await h.api['devices.create'](switchWithCommunity('sw1'));
    const yaml = (await h.api['inventory.exportYaml']()).replace(/\n\s+snmp:[^\n]*(\n\s{6,}[^\n]*)*/, '');
    expect(yaml).not.toMatch(/snmp/);
    const summary = await h.api['inventory.importYaml'](yaml);
    expect(summary.keptCredentials).toBe(0);
    expect(summary.droppedCredentials).toBe(1);
    expect((await h.api['devices.list']())[0]?.credentials).toEqual([]);
  });
});
