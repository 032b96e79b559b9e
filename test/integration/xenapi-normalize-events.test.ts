/**
 * Changes scripted on the XAPI simulator (a lost path, a lost link, a posted message, a bond mode, a LUNid)
 * must reach a watcher's observation through event.from, without a reload.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startXapiSimulator } from '../../src-main/simulators/xapi';
import { PoolWatcher } from '../../src-main/drivers/xenapi/watch';
import type { PoolObservation } from '../../src-main/domain/model/pools';
import { USER, PASSWORD, xmlOf, hostOf, nicOf, srNamed, type DumpName } from './helpers/xapi-observed';

describe('changes scripted on the simulator reach the observation through event.from', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function follow(name: DumpName) {
    const sim = await startXapiSimulator({ dump: xmlOf(name), users: { [USER]: PASSWORD } });
    cleanups.push(() => sim.close());
    const observations: PoolObservation[] = [];
    const watcher = new PoolWatcher({
      url: sim.url,
      username: USER,
      password: PASSWORD,
      fingerprint: null,
      eventTimeoutSeconds: 5,
      callTimeoutMs: 3000,
      backoff: { initialMs: 50, maxMs: 200 },
      onObservation: (o) => observations.push(o),
      onStatus: () => {},
    });
    cleanups.push(() => watcher.stop());
    watcher.start();
    const latest = () => observations.at(-1)!;
    const until = async (predicate: (o: PoolObservation) => boolean, what: string, ms = 3000) => {
      const deadline = Date.now() + ms;
      while (!(observations.length > 0 && predicate(latest()))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; status ${JSON.stringify(watcher.current)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return latest();
    };
    await until(() => watcher.current.state === 'ok', 'the first load');
    const loads = () => sim.stats().calls['PIF.get_all_records'] ?? 0;
    return { sim, latest, until, loads, loadsAtStart: loads() };
  }

  it('state4: a lost path on incubus becomes [1, 2] and mpathalert\'s MULTIPATH_PERIODIC_ALERT arrives, without a reload', async () => {
    const { sim, until, loads, loadsAtStart } = await follow('state4.xml');
    const paths = (o: PoolObservation) => srNamed(o, 'iSCSI virtual disk storage')[0]!.attachments.find((a) => a.host === 'incubus')!;
    sim.setPaths('a99c62eb-5e09-edb3-752b-e93c5c996de0', 'incubus', 1);
    const o = await until((x) => paths(x).activePaths === 1 && x.alerts.length > 0, 'the lost path and its alert');
    expect(paths(o)).toMatchObject({ attached: true, multipathed: true, activePaths: 1, totalPaths: 2, iscsiSessions: 2 });
    // The simulator wrote what SM's mpathcount writes: the PBD's own other_config now says [1, 2].
    const pbd = sim.records('PBD').find((r) => (r.fields['other_config'] as Record<string, string>)['mpath-S161b6ac7VIRTUAL-DISK'] !== undefined)!;
    expect((pbd.fields['other_config'] as Record<string, string>)['mpath-S161b6ac7VIRTUAL-DISK']).toBe('[1, 2]');
    // state4: pool uuid 2c4640e4-…, incubus's PBD uuid in the body, as mpathalert words it.
    expect(o.alerts).toHaveLength(1);
    expect(o.alerts[0]).toMatchObject({ name: 'MULTIPATH_PERIODIC_ALERT', priority: 3, about: { cls: 'Pool', uuid: '2c4640e4-6f54-e694-3434-ec87a13443af' } });
    expect(o.alerts[0]!.body).toContain('Unhealthy paths:');
    expect(o.alerts[0]!.body).toContain(`host-name="incubus"; pbd=${pbd.fields['uuid']}; scsi_id=S161b6ac7VIRTUAL-DISK; current=1; max=2`);
    expect(Date.parse(o.alerts[0]!.timestamp)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z')); // ISO, parseable
    // The other host's PBD is untouched.
    expect(srNamed(o, 'iSCSI virtual disk storage')[0]!.attachments.find((a) => a.host === 'inflames')).toMatchObject({ activePaths: null, iscsiSessions: 1 });
    expect(loads()).toBe(loadsAtStart);

    // The path comes back: [2, 2] again, and a second alert, newest first.
    sim.setPaths('a99c62eb-5e09-edb3-752b-e93c5c996de0', 'incubus', 2);
    const back = await until((x) => paths(x).activePaths === 2 && x.alerts.length === 2, 'the path back');
    expect(paths(back)).toMatchObject({ activePaths: 2, totalPaths: 2 });
    expect(back.alerts.every((a) => a.name === 'MULTIPATH_PERIODIC_ALERT')).toBe(true);
    expect(back.alerts[0]!.timestamp >= back.alerts[1]!.timestamp).toBe(true);
  });

  it("demo lab: xen1 loses eth2: carrier off, links_up 1, and networkd's BOND_STATUS_CHANGED ahead of the dump's older one", async () => {
    const { sim, until, loads, loadsAtStart } = await follow('demo-lab.xapi-db.xml');
    sim.setCarrier('xen1', 'eth2', false);
    const o = await until((x) => hostOf(x, 'xen1').bonds[0]!.linksUp === 1 && x.alerts.length === 2, 'the bond change and its message');
    const xen1 = hostOf(o, 'xen1');
    expect(nicOf(xen1, 'eth2')).toMatchObject({ carrier: false, speedMbps: null, duplex: null, attached: false, bond: 'bond0' });
    expect(nicOf(xen1, 'eth1')).toMatchObject({ carrier: true, speedMbps: 1000 });
    // The bond's own interface: still up on the remaining member, its speed that member's.
    expect(nicOf(xen1, 'bond0')).toMatchObject({ carrier: true, speedMbps: 1000 });
    expect(o.alerts.map((a) => [a.name, a.about.uuid, a.body])).toEqual([
      ['BOND_STATUS_CHANGED', xen1.uuid, 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)'],
      ['BOND_STATUS_CHANGED', 'cc0fde0f-e190-4584-98fb-7296270224de', 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)'],
    ]);
    expect(loads()).toBe(loadsAtStart);
  });

  it('cowley1: a watched message posted with addMessage reaches the alerts; an unwatched one does not', async () => {
    const { sim, until } = await follow('cowley1.xml');
    const grimsby = sim.get('host', sim.findHost('grimsby')!)!;
    sim.addMessage({ name: 'VM_STARTED', priority: 5, cls: 'VM', obj_uuid: '00000000-0000-0000-0000-000000000001', body: 'not watched' });
    sim.addMessage({
      name: 'MULTIPATH_PERIODIC_ALERT',
      priority: 3,
      cls: 'Host',
      obj_uuid: grimsby['uuid'] as string,
      body: 'Unhealthy paths:\nscripted',
      timestamp: new Date(Date.UTC(2024, 5, 1, 12, 0, 0)),
    });
    const o = await until((x) => x.alerts.length > 0, 'the posted alert');
    expect(o.alerts).toEqual([
      {
        uuid: expect.any(String),
        name: 'MULTIPATH_PERIODIC_ALERT',
        priority: 3,
        about: { cls: 'Host', uuid: 'a5100052-d873-4a19-8f2e-d13064cd10a6' },
        timestamp: '2024-06-01T12:00:00.000Z',
        body: 'Unhealthy paths:\nscripted',
      },
    ]);
  });

  it('demo lab: bond modes lacp and active-backup with properties; speeds 0 / 65535 with link unknown; half duplex', async () => {
    const { sim, until } = await follow('demo-lab.xapi-db.xml');
    const bondOf = (host: string) => sim.records('Bond').find((b) => b.fields['master'] === sim.findPif(host, 'bond0'))!.ref;
    sim.update('Bond', bondOf('xen2'), { mode: 'lacp', properties: { hashing_algorithm: 'tcpudp_ports', 'lacp-time': 'fast' } });
    sim.update('Bond', bondOf('xen4'), { mode: 'active-backup', properties: {} });
    const metricsOf = (host: string, device: string) => sim.get('PIF', sim.findPif(host, device)!)!['metrics'] as string;
    sim.update('PIF_metrics', metricsOf('xen2', 'eth1'), { carrier: 'true', speed: '0' });
    sim.update('PIF_metrics', metricsOf('xen2', 'eth2'), { carrier: 'true', speed: '65535' });
    sim.update('PIF_metrics', metricsOf('xen2', 'eth0'), { carrier: 'true', speed: '10000' });
    // No dump has a link up at half duplex: a 100 Mbit/s half-duplex link on the storage NIC.
    sim.update('PIF_metrics', metricsOf('xen2', 'eth3'), { carrier: 'true', speed: '100', duplex: 'false' });
    const o = await until((x) => hostOf(x, 'xen4').bonds[0]!.mode === 'active-backup' && nicOf(hostOf(x, 'xen2'), 'eth3').speedMbps === 100, 'the changes');
    expect(hostOf(o, 'xen2').bonds[0]).toMatchObject({ mode: 'lacp', properties: { hashing_algorithm: 'tcpudp_ports', 'lacp-time': 'fast' } });
    expect(hostOf(o, 'xen4').bonds[0]).toMatchObject({ mode: 'active-backup', properties: {} });
    expect(hostOf(o, 'xen1').bonds[0]!.mode).toBe('balance-slb');
    const xen2 = hostOf(o, 'xen2');
    expect(nicOf(xen2, 'eth1')).toMatchObject({ carrier: true, speedMbps: null, duplex: 'full' });
    expect(nicOf(xen2, 'eth2')).toMatchObject({ carrier: true, speedMbps: null, duplex: 'full' });
    expect(nicOf(xen2, 'eth0')).toMatchObject({ carrier: true, speedMbps: 10000 });
    expect(nicOf(xen2, 'eth3')).toMatchObject({ carrier: true, speedMbps: 100, duplex: 'half' });
  });

  it("state4: a PBD's device_config LUNid reaches the attachment's target as a number; none gives null", async () => {
    const { sim, until } = await follow('state4.xml');
    // No dump has LUNid (SRs made by XenCenter name the LUN by SCSIid); older CLIs wrote it: script one.
    const pbd = sim.records('PBD').find((p) => typeof (p.fields['device_config'] as Record<string, string>)['targetIQN'] === 'string')!;
    const config = pbd.fields['device_config'] as Record<string, string>;
    const before = await until((x) => x.storage.some((s) => s.attachments.some((a) => a.target !== null)), 'an iSCSI attachment');
    expect(before.storage.flatMap((s) => s.attachments).every((a) => a.target === null || a.target.lunId === null)).toBe(true);
    sim.update('PBD', pbd.ref, { device_config: { ...config, LUNid: '3' } });
    const o = await until((x) => x.storage.some((s) => s.attachments.some((a) => a.target?.lunId === 3)), 'the LUNid');
    expect(o.storage.flatMap((s) => s.attachments).filter((a) => a.target?.lunId === 3)).toHaveLength(1);
  });
});
