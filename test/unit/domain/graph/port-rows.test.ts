/**
 * The Ports view's rows (rows.ts portRows): a port is up only when a device said so. A port only the plan
 * has (the demo's dlink-san, which no collector reads), a NIC whose host reports no carrier metric (state4's
 * XenServer 6.0 hosts), a stale report, an administratively shut port (arubaos-cx 1/1/1) and a port without
 * link are each told apart. Stale statuses are DERIVED.
 */
import { describe, expect, it } from 'vitest';
import { portRows } from '../../../../src-main/domain/graph/rows';
import { joined } from '../audit/joined-labs';
import { audit, demoSnapshot, poolFrom, viewFrom } from './lab-fixtures';

const rowsOf = (a: ReturnType<typeof audit>) => new Map(portRows(a.graph, a.findings).map((r) => [r.port, r]));

describe('portRows', () => {
  it('never shows a port nobody reports as up: the demo SAN ports are the plan only, state unknown', async () => {
    const rows = rowsOf(audit(await demoSnapshot()));
    expect(rows.get('dlink-san:lan2')).toMatchObject({ observed: false, up: null, state: 'unknown', observedAt: null, mac: '00:26:5a:15:50:02', inInventory: true, peer: 'sw-b:eth1/0/20', peerSource: 'fdb', peerUp: true });
    expect(rows.get('dlink-san:lan2')?.vlans).toEqual({ tagged: [], untagged: 20 });
    expect(rows.get('dlink-san:lan2')?.paths).toEqual(['xen1: HA heartbeat via 10.10.20.20:3260', 'xen2: HA heartbeat via 10.10.20.20:3260', 'xen3: HA heartbeat via 10.10.20.20:3260', 'xen4: HA heartbeat via 10.10.20.20:3260', 'xen1: VM store via 10.10.20.20:3260', 'xen2: VM store via 10.10.20.20:3260', 'xen3: VM store via 10.10.20.20:3260', 'xen4: VM store via 10.10.20.20:3260']);
  });

  it('keeps a reported NIC without a carrier metric unknown, not up (state4: XenServer 6.0 without PIF_metrics)', async () => {
    const rows = rowsOf(audit(joined({ pool: { name: 'hottub', observation: await poolFrom('state4.xml') } })));
    expect(rows.get('incubus:eth0')).toMatchObject({ observed: true, up: null, state: 'unknown', speedMbps: null });
  });

  it('tells up, down, shut and stale apart', async () => {
    const demo = rowsOf(audit(await demoSnapshot()));
    expect(demo.get('xen1:eth1')).toMatchObject({ up: true, state: 'up', bond: 'bond0', peer: 'sw-a:5', peerSource: 'lldp', peerAlsoSeenBy: ['fdb', 'cable'] });
    expect(demo.get('xen3:eth2')).toMatchObject({ up: false, state: 'down', findings: ['bond.degraded:xen3:bond0'], severity: 'error', mismatches: ['bond'] });
    expect(demo.get('xen1:eth1')?.bondMembers).toEqual([{ port: 'xen1:eth1', up: true }, { port: 'xen1:eth2', up: true }]);

    const aruba = rowsOf(audit(joined({ views: { aruba: viewFrom('arubaos-cx') } })));
    expect(aruba.get('aruba:1/1/1')).toMatchObject({ state: 'admin-down', up: false, lag: 'lag250', group: 'aruba:lag250' });

    // DERIVED: the pool's last good observation is three intervals old.
    const snapshot = await demoSnapshot();
    snapshot.pools[0]!.status = { state: 'unreachable', message: 'no answer', since: snapshot.at, lastGoodAt: '2026-12-07T10:00:00.000Z', staleSince: '2026-12-07T10:00:00.000Z' };
    const stale = rowsOf(audit(snapshot));
    expect(stale.get('xen1:eth0')).toMatchObject({ state: 'stale', up: true });
  });

  it('puts each finding on the ports it names, with the cell that disagrees', async () => {
    const rows = rowsOf(audit(await demoSnapshot()));
    expect(rows.get('sw-b:eth1/0/6')).toMatchObject({ peer: 'xen2:eth2', severity: 'error', mismatches: expect.arrayContaining(['vlans']) });
    expect(rows.get('sw-b:eth1/0/6')?.findings).toEqual(expect.arrayContaining(['vlan.missing-on-switch:xen2:eth2:101', 'drift.vlan:sw-b:eth1/0/6']));
    expect(rows.get('sw-b:eth1/0/6')?.peerVlans).toEqual({ tagged: [100, 101], untagged: null });
    expect(rows.get('sw-a:24')).toMatchObject({ peer: 'sw-b:eth1/0/23', peerSource: 'lldp', conflict: 'cable says sw-a:24 ↔ sw-b:eth1/0/24', mismatches: ['peer'] });
  });
});
