/**
 * storage.gateway-on-storage-pif, storage.pif-can-unplug and mtu.jumbo-on-management on the demo pool's
 * dump (storage on eth3: 10.10.20.x/24, no gateway, disallow_unplug true; management on eth0 with gateway
 * 10.10.10.1, MTU 1500) and cowley1.xml. Every gateway, flag and MTU changed below is DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

let demo: PoolObservation;
let cowley: PoolObservation;
beforeAll(async () => {
  demo = await poolFrom('demo');
  cowley = await poolFrom('cowley1.xml');
});

const demoWith = async (host: string, nic: string, change: object) => {
  const observation = withHost(demo, host, (h) => Object.assign(h.nics.find((n) => n.device === nic)!, change));
  return audit(await demoSnapshot({ pools: [{ device: 'hp-pool', observation, status: null }] }));
};

describe('storage.gateway-on-storage-pif', () => {
  it('flags a gateway on the storage interface (DERIVED: xen1 eth3 via 10.10.20.1)', async () => {
    const f = findingOf((await demoWith('xen1', 'eth3', { gateway: '10.10.20.1' })).findings, 'storage.gateway-on-storage-pif:xen1:eth3');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen1'], ports: ['xen1:eth3'], title: "xen1's storage interface eth3 has a gateway (10.10.20.1)" });
    expect(f.evidence).toEqual(['xen1 PIF eth3: gateway = 10.10.20.1, management = false']);
  });

  it("raises nothing for the demo as dumped: the only gateway is the management interface's", async () => {
    const a = audit(await demoSnapshot());
    expect(a.graph.hosts.find((h) => h.name === 'xen1')?.addresses.find((x) => x.management)?.gateway).toBe('10.10.10.1');
    expect(a.of('storage.gateway-on-storage-pif')).toEqual([]);
  });
});

describe('storage.pif-can-unplug', () => {
  it('flags a storage interface xapi may unplug (DERIVED: xen2 eth3 without disallow_unplug)', async () => {
    const f = findingOf((await demoWith('xen2', 'eth3', { disallowUnplug: false })).findings, 'storage.pif-can-unplug:xen2:eth3');
    expect(f).toMatchObject({ severity: 'info', devices: ['xen2'], ports: ['xen2:eth3'], title: "xen2's storage interface eth3 may be unplugged by xapi" });
    expect(f.evidence).toEqual(['xen2 PIF eth3: disallow_unplug = false, IP 10.10.20.12']);
  });

  it('raises nothing for the demo as dumped, nor for an address that carries no storage path (DERIVED: chester eth1 on an unrelated subnet)', async () => {
    expect(audit(await demoSnapshot()).of('storage.pif-can-unplug')).toEqual([]);
    const unrelated = withHost(cowley, 'chester', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '192.168.50.5', netmask: '255.255.255.0' }));
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: unrelated } })).of('storage.pif-can-unplug')).toEqual([]);
  });
});

describe('mtu.jumbo-on-management', () => {
  it('flags jumbo frames on the management interface (DERIVED: xen3 eth0 at MTU 9000)', async () => {
    const f = findingOf((await demoWith('xen3', 'eth0', { mtu: 9000 })).findings, 'mtu.jumbo-on-management:xen3:eth0');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen3'], ports: ['xen3:eth0'], title: "xen3's management interface eth0 has MTU 9000" });
    expect(f.evidence).toEqual(['xen3 PIF eth0: MTU 9000, management = true']);
  });

  it('raises nothing for MTU 1500 on management, nor for jumbo frames on a storage interface (DERIVED: eth3 at 9000)', async () => {
    expect(audit(await demoSnapshot()).of('mtu.jumbo-on-management')).toEqual([]);
    expect((await demoWith('xen3', 'eth3', { mtu: 9000 })).of('mtu.jumbo-on-management')).toEqual([]);
  });
});
