/**
 * The storage side as the app runs it (openLab with collectors on): portals probed over real iSCSI
 * discovery, the NAS read over the DSM Web API, joined with the pool's XenAPI view into the SAN → target →
 * LUN → SR → host × portal view and the replication panel.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLab, type OpenLab } from '../../src-main/shells/common/open-lab';
import { dispatch } from '../../src-main/api/dispatch';
import type { MethodName } from '../../src-main/api/method-names';
import type { Args, Results, StorageOverview } from '../../src-main/api/contract';
import { startIscsiResponder } from '../../src-main/simulators/iscsi';
import { startDsmSimulator } from '../../src-main/simulators/dsm';
import { makeCertificate } from '../unit/drivers/xenapi/local-servers';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lab(options: { demoPeers?: boolean } = {}): OpenLab {
  const opened = openLab({ dataDir: tempDir('labwarden-storage-'), mode: 'serve', collect: true, ...options });
  cleanups.push(() => opened.close());
  return opened;
}

async function call<M extends MethodName>(l: OpenLab, method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await dispatch(l.handlers, method, args);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { body: envelope.error });
  return envelope.result as Results[M];
}

async function until(l: OpenLab, ok: (o: StorageOverview) => boolean, what: string, ms = 8000): Promise<StorageOverview> {
  const deadline = Date.now() + ms;
  for (;;) {
    const overview = await call(l, 'storage.overview');
    if (ok(overview)) return overview;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(overview).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A loopback port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the demo lab, storage side', () => {
  it('probes the SAN portal, joins it with the pool into paths per host, and shows the NAS replica as late', async () => {
    const l = lab({ demoPeers: true });
    await call(l, 'app.chooseStart', 'demo');
    const overview = await until(
      l,
      (o) =>
        o.sans.some((s) => s.targets.some((t) => t.portals[0]?.state === 'up' && t.paths.length === 4)) &&
        o.replication.some((r) => r.status.state === 'ok'),
      'the demo portal probed, the pool read and the NAS read',
    );
    const san = overview.sans.find((s) => s.name === 'dlink-san')!;
    const vmStore = san.targets.find((t) => t.iqn.endsWith('vm-store'))!;
    expect(vmStore.portals).toEqual([expect.objectContaining({ address: '10.10.20.20', port: 3260, state: 'up', listsTarget: true })]);
    expect(vmStore.luns[0]!.sr).toMatchObject({ pool: 'hp-pool', name: 'VM store', type: 'lvmoiscsi' });
    const byHost = new Map(vmStore.paths.map((p) => [p.host, p]));
    expect(byHost.get('xen1')!.cells).toEqual([{ portal: '10.10.20.20:3260', nic: 'eth3 10.10.20.11', state: 'up', reason: '' }]);
    expect(byHost.get('xen1')!.notes).toEqual(['a single path: no redundancy']);
    expect(byHost.get('xen4')!.multipathing).toBe(false);
    const heartbeat = san.targets.find((t) => t.iqn.endsWith('ha-heartbeat'))!;
    expect(heartbeat.luns[0]!.sr).toMatchObject({ name: 'HA heartbeat', haHeartbeat: true });

    const nas = overview.replication.find((r) => r.name === 'syno-dr')!;
    expect(nas.note).toMatch(/built-in DSM simulator/);
    expect(nas).toMatchObject({ recoveryPointHours: 24, late: true });
    expect(nas.summary).toMatch(/^newest replica 3\d h old, recovery point 24 h$/);
    expect(JSON.stringify(overview)).not.toMatch(/password|chap_secret|"secret"/i);

    // The owner relaxes the recovery point to two days: no longer late.
    await expect(call(l, 'storage.setRecoveryPoint', nas.deviceId, 0)).rejects.toThrow(/at least 1 hour/);
    await call(l, 'storage.setRecoveryPoint', nas.deviceId, 48);
    const relaxed = (await call(l, 'storage.overview')).replication.find((r) => r.name === 'syno-dr')!;
    expect(relaxed).toMatchObject({ recoveryPointHours: 48, late: false });
  });
});

describe('probing the portals of the inventory', () => {
  it('marks a portal that answers discovery up, and one where nothing listens down with the reason', async () => {
    const responder = await startIscsiResponder({ targets: [{ iqn: 'iqn.2026-11.lab.test:store', alias: 'store' }] });
    cleanups.push(() => responder.close());
    const dead = await closedPort();
    const l = lab();
    const san = await call(l, 'devices.create', { name: 'san', kind: 'iscsi-san', address: '127.0.0.1', secrets: {} });
    await call(l, 'targets.create', {
      deviceId: san.id,
      iqn: 'iqn.2026-11.lab.test:store',
      portals: [
        { address: '127.0.0.1', port: responder.port },
        { address: '127.0.0.1', port: dead },
      ],
      luns: [{ lun: 1, name: 'store', sizeBytes: 10 * 1024 ** 3, use: 'vm-storage' }],
    });
    await call(l, 'storage.probeNow');
    const overview = await until(l, (o) => o.sans[0]?.targets[0]?.portals.every((p) => p.state !== 'unknown') === true, 'both portals probed');
    const [up, down] = overview.sans[0]!.targets[0]!.portals;
    expect(up).toMatchObject({ state: 'up', listsTarget: true, message: 'answered discovery: 1 target(s)' });
    expect(down!.state).toBe('down');
    expect(down!.message).toContain(`127.0.0.1:${dead}`);
    expect(overview.sans[0]!.targets[0]!.paths).toEqual([]); // no pool uses it
    expect(responder.openConnections()).toBe(0); // every probe logged out and closed
  });
});

describe('a NAS read over DSM', () => {
  it('pins its certificate on first use and refuses a changed one until the user accepts it', async () => {
    const certs = tempDir('labwarden-certs-');
    const a = makeCertificate(certs, 'dsm-a');
    const b = makeCertificate(certs, 'dsm-b');
    let dsm = await startDsmSimulator({ tls: a, users: { monitor: 'nas-password' } });
    cleanups.push(() => dsm.close());
    const l = lab();
    const nas = await call(l, 'devices.create', {
      name: 'syno',
      kind: 'nas',
      address: '127.0.0.1',
      dsm: { url: dsm.url, username: 'monitor' },
      secrets: { 'dsm-password': 'nas-password' },
    });
    await until(l, (o) => o.replication[0]?.status.state === 'ok', 'the NAS read');
    expect((await call(l, 'devices.get', nas.id)).dsm!.fingerprint).toBe(a.fingerprint256);

    const port = dsm.port;
    await dsm.close();
    dsm = await startDsmSimulator({ tls: b, users: { monitor: 'nas-password' }, port });
    await call(l, 'storage.probeNow');
    const refused = await until(l, (o) => o.replication[0]?.status.state === 'certificate-changed', 'certificate-changed');
    expect(refused.replication[0]!.status.certificate).toEqual({ presented: b.fingerprint256, pinned: a.fingerprint256 });
    expect(refused.replication[0]!.observation).not.toBeNull(); // the last good reading stays
    expect(dsm.stats().logins + dsm.stats().failedLogins).toBe(0);

    await call(l, 'storage.acceptCertificate', nas.id, b.fingerprint256);
    await until(l, (o) => o.replication[0]?.status.state === 'ok', 'ok after accepting');
    expect((await call(l, 'devices.get', nas.id)).dsm!.fingerprint).toBe(b.fingerprint256);
  });

  it('says when the password is refused, without the password', async () => {
    const dsm = await startDsmSimulator({ users: { monitor: 'right' } });
    cleanups.push(() => dsm.close());
    const l = lab();
    await call(l, 'devices.create', {
      name: 'syno',
      kind: 'nas',
      address: '127.0.0.1',
      dsm: { url: dsm.url, username: 'monitor' },
      secrets: { 'dsm-password': 'wrong-one' },
    });
    const overview = await until(l, (o) => o.replication[0]?.status.state === 'auth-failed', 'auth-failed');
    expect(overview.replication[0]!.status.message).toMatch(/400/);
    expect(JSON.stringify(overview)).not.toContain('wrong-one');
  });
});
