/**
 * The app's own wiring (openLab with collectors on, as serve and the desktop app run it) against the XAPI
 * simulator over HTTPS: a pool in the inventory is followed, its first certificate is pinned into the
 * inventory, a changed certificate stops the polling until the user accepts it, and the last good state
 * survives a restart.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { openLab, type OpenLab } from '../../src-main/shells/common/open-lab';
import { dispatch } from '../../src-main/api/dispatch';
import type { MethodName } from '../../src-main/api/method-names';
import type { Args, Results, PoolView } from '../../src-main/api/contract';
import { makeCertificate } from '../unit/drivers/xenapi/local-servers';
import { startMemberAndMaster } from '../unit/simulators/xapi-member';
import { readFixture } from './helpers/xapi-dump-reader';

const cowley = readFixture('cowley1.xml');
const PASSWORD = 'collector-password';
const dirs: string[] = [];
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

async function call<M extends MethodName>(lab: OpenLab, method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await dispatch(lab.handlers, method, args);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { body: envelope.error });
  return envelope.result as Results[M];
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function tlsSimulator(cert: { key: string; cert: string }, port = 0): Promise<XapiSimulator> {
  const sim = await startXapiSimulator({ dump: cowley, users: { root: PASSWORD }, tls: cert, port });
  cleanups.push(() => sim.close());
  return sim;
}

function lab(dataDir: string, collect = true): OpenLab {
  const opened = openLab({ dataDir, mode: 'serve', collect });
  cleanups.push(() => opened.close());
  return opened;
}

async function addPool(l: OpenLab, url: string): Promise<number> {
  const { id } = await call(l, 'devices.create', {
    name: 'grimsby',
    kind: 'xen-pool',
    address: '127.0.0.1',
    xenapi: { url, username: 'root' },
    secrets: { 'xenapi-password': PASSWORD },
  });
  return id;
}

describe('the pool collector, as the app runs it', () => {
  it('follows a pool added to the inventory, pins its first certificate, and announces changes', async () => {
    const certs = tempDir('labwarden-certs-');
    const a = makeCertificate(certs, 'xapi-a');
    const sim = await tlsSimulator(a);
    const l = lab(tempDir('labwarden-collect-'));
    const changed: number[] = [];
    l.onEvent((event, payload) => {
      if (event === 'pool.changed') changed.push((payload as { deviceId: number }).deviceId);
    });
    const id = await addPool(l, sim.url);
    const view = await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok');
    expect(view.observation!.pool.name).toBe('Grimsby Pool');
    expect(view.hosts).toBe(2);
    await until(async () => changed, (ids) => ids.includes(id), 'a pool.changed event');
    // Trust on first use: the fingerprint is pinned in the inventory, in the AB:CD:… form.
    const device = await call(l, 'devices.get', id);
    expect(device.xenapi!.fingerprint).toBe(a.fingerprint256);
    expect((await call(l, 'pools.list'))[0]).toMatchObject({ deviceId: id, name: 'grimsby', hosts: 2 });
    // The password never appears in what the API returns.
    expect(JSON.stringify([view, device])).not.toContain(PASSWORD);
  });

  it('refuses a changed certificate, keeps the last good state, and resumes once the user accepts it', async () => {
    const certs = tempDir('labwarden-certs-');
    const a = makeCertificate(certs, 'xapi-a');
    const b = makeCertificate(certs, 'xapi-b');
    const first = await tlsSimulator(a);
    const l = lab(tempDir('labwarden-collect-'));
    const id = await addPool(l, first.url);
    const good = await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok');
    const port = first.port;
    await first.close();
    const impostor = await tlsSimulator(b, port);
    const refused: PoolView = await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'certificate-changed', 'certificate-changed');
    expect(refused.status.certificate).toEqual({ presented: b.fingerprint256, pinned: a.fingerprint256 });
    expect(refused.status.message).toContain('changed');
    expect({ ...refused.observation, observedAt: '' }).toEqual({ ...good.observation, observedAt: '' }); // the last good state stays on screen
    expect(refused.status.lastGoodAt).toBe(refused.observation!.observedAt);
    expect(impostor.stats().logins + impostor.stats().failedLogins).toBe(0); // no password went to it

    // Accepting anything but what is presented is refused, naming the field.
    await expect(call(l, 'pools.acceptCertificate', id, a.fingerprint256)).rejects.toThrow(/now presents/);
    await expect(call(l, 'pools.acceptCertificate', id, 'not-a-fingerprint')).rejects.toThrow(/SHA-256/);
    await call(l, 'pools.acceptCertificate', id, b.fingerprint256.replace(/:/g, '').toLowerCase());
    await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok after accepting');
    expect((await call(l, 'devices.get', id)).xenapi!.fingerprint).toBe(b.fingerprint256);

    // A form opened before the accept still carries the old pin: saving it does not undo the accept.
    await call(l, 'devices.update', id, {
      name: 'grimsby',
      kind: 'xen-pool',
      address: '127.0.0.1',
      xenapi: { url: first.url, username: 'root', fingerprint: a.fingerprint256 },
      secrets: {},
    });
    expect((await call(l, 'devices.get', id)).xenapi!.fingerprint).toBe(b.fingerprint256);
  });

  it("follows a pool given by a member's URL: pins the member's certificate, keeps polling across re-logins and a restart", async () => {
    const certs = tempDir('labwarden-certs-');
    const memberCert = makeCertificate(certs, 'xapi-member');
    const masterCert = makeCertificate(certs, 'xapi-master');
    const users = { root: PASSWORD };
    const { member, master } = await startMemberAndMaster({ dump: cowley, users, tls: memberCert }, { dump: cowley, users, tls: masterCert });
    cleanups.push(() => member.close(), () => master.close());
    const dataDir = tempDir('labwarden-collect-');
    const l = lab(dataDir);
    const id = await addPool(l, member.url);
    await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok through the master');
    // One pin per pool device, and it is the certificate of the host at the URL in the inventory.
    await until(async () => (await call(l, 'devices.get', id)).xenapi!.fingerprint, (f) => f === memberCert.fingerprint256, 'the pin');

    for (let round = 1; round <= 2; round++) {
      const logins = master.stats().logins;
      master.invalidateSessions();
      const view = await until(
        () => call(l, 'pools.get', id),
        (v) => master.stats().logins > logins && (v.status.state === 'ok' || v.status.state === 'certificate-changed'),
        `re-login ${round}`,
      );
      expect(view.status.state).toBe('ok');
    }
    expect((await call(l, 'devices.get', id)).xenapi!.fingerprint).toBe(memberCert.fingerprint256);

    await l.close();
    const restarted = lab(dataDir);
    const view = await until(() => call(restarted, 'pools.get', id), (v) => v.status.state !== 'connecting' && v.status.state !== 'idle', 'a state after the restart');
    expect(view.status.state).toBe('ok');
  });

  it("accepting a changed master certificate trusts it for the run and leaves the member's pin in the inventory", async () => {
    const certs = tempDir('labwarden-certs-');
    const memberCert = makeCertificate(certs, 'xapi-member');
    const masterCert = makeCertificate(certs, 'xapi-master');
    const newMasterCert = makeCertificate(certs, 'xapi-master-renewed');
    const users = { root: PASSWORD };
    const { member, master } = await startMemberAndMaster({ dump: cowley, users, tls: memberCert }, { dump: cowley, users, tls: masterCert });
    cleanups.push(() => member.close(), () => master.close());
    const l = lab(tempDir('labwarden-collect-'));
    const id = await addPool(l, member.url);
    await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok through the master');
    const port = master.port;
    await master.close();
    const renewed = await startXapiSimulator({ dump: cowley, users, tls: newMasterCert, host: '127.0.0.2', port });
    cleanups.push(() => renewed.close());
    const refused = await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'certificate-changed', 'certificate-changed');
    expect(refused.status.certificate).toEqual({ presented: newMasterCert.fingerprint256, pinned: masterCert.fingerprint256 });
    expect(renewed.stats().requests).toBe(0);
    await call(l, 'pools.acceptCertificate', id, newMasterCert.fingerprint256);
    await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok after accepting');
    expect((await call(l, 'devices.get', id)).xenapi!.fingerprint).toBe(memberCert.fingerprint256);
  });

  it('stops following a pool deleted from the inventory, logging out', async () => {
    const sim = await startXapiSimulator({ dump: cowley, users: { root: PASSWORD } });
    cleanups.push(() => sim.close());
    const l = lab(tempDir('labwarden-collect-'));
    const id = await addPool(l, sim.url);
    await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok');
    expect(sim.stats().sessions).toBe(1);
    await call(l, 'devices.delete', id);
    await until(async () => sim.stats().sessions, (n) => n === 0, 'the session logged out');
  });

  it('shows the last stored observation after a restart, with the time it was seen', async () => {
    const sim = await startXapiSimulator({ dump: cowley, users: { root: PASSWORD } });
    cleanups.push(() => sim.close());
    const dataDir = tempDir('labwarden-collect-');
    const l = lab(dataDir);
    const id = await addPool(l, sim.url);
    const seen = await until(() => call(l, 'pools.get', id), (v) => v.status.state === 'ok', 'ok');
    await l.close(); // flushes the observation to the database
    const again = lab(dataDir, false);
    const view = await call(again, 'pools.get', id);
    expect(view.status.state).toBe('idle');
    expect(view.observation).toEqual(seen.observation);
    expect(view.status.lastGoodAt).toBe(seen.observation!.observedAt);
    await again.close();

    // Polling again from a restart: until the first load, the status already names the stored observation.
    await sim.close();
    const polling = lab(dataDir, true);
    const waiting = await call(polling, 'pools.get', id);
    expect(waiting.status.state).not.toBe('ok');
    expect(waiting.observation).toEqual(seen.observation);
    expect(waiting.status.lastGoodAt).toBe(seen.observation!.observedAt);
  });

  it('says what is missing for a pool that cannot be polled, and refuses pool calls for other kinds', async () => {
    const l = lab(tempDir('labwarden-collect-'));
    const { id } = await call(l, 'devices.create', { name: 'p', kind: 'xen-pool', address: '10.0.0.1', xenapi: { url: 'https://10.0.0.1', username: 'root' }, secrets: {} });
    const view = await call(l, 'pools.get', id);
    expect(view.status).toMatchObject({ state: 'idle', message: expect.stringContaining('no XenAPI password') });
    const sw = await call(l, 'devices.create', { name: 'sw', kind: 'switch', address: '10.0.0.2', secrets: {} });
    await expect(call(l, 'pools.get', sw.id)).rejects.toThrow(/not a XenServer pool/);
  });
});
