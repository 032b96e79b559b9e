/**
 * collect/poll-round.ts against real peers on loopback (the XAPI simulator, the SNMP responder replaying a
 * recording, the iSCSI discovery responder, the DSM simulator): every device of the inventory polled once over
 * its protocol, the round ending when each has its first result — an observation or a failure status — or the
 * budget runs out; what they said is in the store afterwards, and the collectors' result counters behind it.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollRound, type RoundResult } from '../../src-main/collect/poll-round';
import { SnmpCollector } from '../../src-main/collect/snmp';
import { StorageCollector } from '../../src-main/collect/storage';
import { loadObservation } from '../../src-main/store/observations';
import { startXapiSimulator } from '../../src-main/simulators/xapi';
import { startSnmpResponder } from '../../src-main/simulators/snmp';
import { startIscsiResponder } from '../../src-main/simulators/iscsi';
import { startDsmSimulator } from '../../src-main/simulators/dsm';
import { makeHarness, type Harness } from '../unit/helpers/harness';
import { readFixture } from './helpers/xapi-dump-reader';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const snmprec = (name: string) => readFileSync(join(__dirname, '../fixtures/snmp', name), 'utf8');

function harness(): Harness {
  const h = makeHarness();
  cleanups.push(() => h.close());
  return h;
}

async function peers() {
  const xapi = await startXapiSimulator({ dump: readFixture('cowley1.xml'), users: { root: 'pool-password' } });
  cleanups.push(() => xapi.close());
  const snmp = await startSnmpResponder({ recordings: { tplink: snmprec('tplink_sg2008.snmprec') } });
  cleanups.push(() => snmp.close());
  const iscsi = await startIscsiResponder({ targets: [{ iqn: 'iqn.2026-12.lab.test:store', alias: 'store' }] });
  cleanups.push(() => iscsi.close());
  const dsm = await startDsmSimulator({ users: { monitor: 'dsm-password' } });
  cleanups.push(() => dsm.close());
  return { xapi, snmp, iscsi, dsm };
}

describe('pollRound', () => {
  it('polls each device once over its protocol, reports each result as it comes, and leaves what it saw in the store', async () => {
    const h = harness();
    const { xapi, snmp, iscsi, dsm } = await peers();
    const create = h.api['devices.create'];
    const pool = await create({ name: 'pool-ok', kind: 'xen-pool', address: '127.0.0.1', xenapi: { url: xapi.url, username: 'root' }, secrets: { 'xenapi-password': 'pool-password' } });
    await create({ name: 'pool-refused', kind: 'xen-pool', address: '127.0.0.1', xenapi: { url: xapi.url, username: 'root' }, secrets: { 'xenapi-password': 'wrong' } });
    const sw = await create({ name: 'sw-ok', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: snmp.port }, secrets: { 'snmp-community': 'tplink' } });
    await create({ name: 'sw-no-secret', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: snmp.port } });
    const san = await create({ name: 'san-ok', kind: 'iscsi-san', address: '127.0.0.1' });
    await h.api['targets.create']({ deviceId: san.id, iqn: 'iqn.2026-12.lab.test:store', portals: [{ address: '127.0.0.1', port: iscsi.port }], luns: [] });
    const nas = await create({ name: 'nas-ok', kind: 'nas', address: '127.0.0.1', dsm: { url: dsm.url, username: 'monitor' }, secrets: { 'dsm-password': 'dsm-password' } });

    const heard: RoundResult[] = [];
    const round = await pollRound({ db: h.db, box: h.box, timeoutMs: 10_000, onResult: (r) => heard.push(r) });
    expect(heard).toEqual(round.results);
    expect(round.timedOut).toBe(false);
    const result = (device: string) => round.results.find((r) => r.device === device);
    expect(round.results[0]).toMatchObject({ device: 'sw-no-secret', protocol: 'snmp', outcome: 'skipped', ms: null });
    expect(result('sw-no-secret')!.message).toMatch(/community/);
    expect(result('pool-ok')).toMatchObject({ protocol: 'xenapi', outcome: 'ok', state: 'ok' });
    expect(result('pool-refused')).toMatchObject({ protocol: 'xenapi', outcome: 'failed', state: 'auth-failed' });
    expect(result('sw-ok')).toMatchObject({ protocol: 'snmp', outcome: 'ok' });
    expect(result('san-ok')).toMatchObject({ protocol: 'iscsi', outcome: 'ok', message: '1 portal probe answered discovery' });
    expect(result('nas-ok')).toMatchObject({ protocol: 'dsm', outcome: 'ok' });
    expect(round.results).toHaveLength(6);
    for (const r of round.results.filter((x) => x.outcome !== 'skipped')) expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(round)).not.toMatch(/pool-password|dsm-password"|wrong/);

    // What the next command reads: each protocol's observation, the pool's flushed when the round stopped.
    expect(loadObservation(h.db, pool.id, 'xenapi')).not.toBeNull();
    expect(loadObservation(h.db, sw.id, 'snmp')).not.toBeNull();
    expect(loadObservation(h.db, san.id, 'iscsi')).not.toBeNull();
    expect(loadObservation(h.db, nas.id, 'dsm')).not.toBeNull();
  });

  it('stops at the budget, naming the devices that gave no result in time', async () => {
    const h = harness();
    const { snmp } = await peers();
    // A community the responder has no recording for: it does not answer (as a real agent does not).
    await h.api['devices.create']({ name: 'sw-silent', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: snmp.port }, secrets: { 'snmp-community': 'nobody' } });
    const started = performance.now();
    const round = await pollRound({ db: h.db, box: h.box, timeoutMs: 500 });
    expect(performance.now() - started).toBeLessThan(500 + 3000 + 500);
    expect(round.timedOut).toBe(true);
    expect(round.results).toEqual([expect.objectContaining({ device: 'sw-silent', protocol: 'snmp', outcome: 'timeout', message: 'no result within 0.5 s' })]);
  });

  it('has nothing to wait for in an empty inventory', async () => {
    const h = harness();
    expect(await pollRound({ db: h.db, box: h.box, timeoutMs: 5000 })).toMatchObject({ results: [], timedOut: false });
  });
});

describe("the collectors' result counters", () => {
  it('are null for a device a collector does not poll, 0 until its first result, then count every result', async () => {
    const h = harness();
    const { snmp, iscsi } = await peers();
    const sw = await h.api['devices.create']({ name: 'sw', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: snmp.port }, secrets: { 'snmp-community': 'tplink' } });
    const bare = await h.api['devices.create']({ name: 'bare', kind: 'switch', address: '127.0.0.1' });
    const san = await h.api['devices.create']({ name: 'san', kind: 'iscsi-san', address: '127.0.0.1' });
    await h.api['targets.create']({ deviceId: san.id, iqn: 'iqn.2026-12.lab.test:store', portals: [{ address: '127.0.0.1', port: iscsi.port }], luns: [] });

    let changes = 0;
    const collector = new SnmpCollector({ db: h.db, box: h.box, onChanged: () => changes++, random: () => 0 });
    const storage = new StorageCollector({ db: h.db, box: h.box, onChanged: () => changes++, onInventoryChanged: () => {} });
    cleanups.push(() => collector.stop(), () => storage.stop());
    expect(collector.resultCount(sw.id)).toBeNull(); // not started yet
    expect(storage.probeResultCount(san.id)).toBe(0); // a target with a portal: it will be probed
    expect(storage.probeResultCount(bare.id)).toBeNull();
    expect(storage.nasResultCount(san.id)).toBeNull();
    collector.sync();
    storage.sync();
    expect(collector.resultCount(sw.id)).toBe(0);
    expect(collector.resultCount(bare.id)).toBeNull();
    const deadline = Date.now() + 10_000;
    while ((collector.resultCount(sw.id) ?? 0) < 1 || (storage.probeResultCount(san.id) ?? 0) < 1) {
      if (Date.now() > deadline) throw new Error('no first result within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(collector.resultCount(sw.id)).toBe(1);
    expect(storage.probeResultCount(san.id)).toBe(1);
    expect(changes).toBeGreaterThan(0);
  });
});
