/**
 * The demo lab audited as the app sees it (the hand-made pool dump, the switches and NAS derived from real
 * recordings): exactly the faults it was built with, and nothing false. balance-slb bonds split across two
 * switches need no LAG and share no switch.
 */
import { describe, expect, it } from 'vitest';
import { audit, demoSnapshot } from './lab-fixtures';

describe('the demo lab, audited', () => {
  it('finds the faults it was built with', async () => {
    const { ids } = audit(await demoSnapshot());
    expect(ids).toEqual(
      expect.arrayContaining([
        'bond.degraded:xen3:bond0',
        'multipath.disabled:xen4',
        'vlan.missing-on-switch:xen2:eth2:101',
        'link.conflict:sw-a:24',
        ...['xen1', 'xen2', 'xen3', 'xen4'].map((h) => `spof.management-single-nic:${h}`),
        ...['xen1', 'xen2', 'xen3', 'xen4'].flatMap((h) => [`spof.storage-single-path:${h}:VM store`, `spof.storage-single-path:${h}:HA heartbeat`]),
      ]),
    );
  });

  it('raises nothing about the balance-slb bonds split across sw-a and sw-b', async () => {
    const { ids } = audit(await demoSnapshot());
    expect(ids.filter((id) => /^(bond\.switch-lag-mismatch|spof\.shared-switch|spof\.shared-nic-controller|lag\.member-down)/.test(id))).toEqual([]);
  });

  it('finds every host NIC with carrier by LLDP, and the moved uplink by LLDP against the cable', async () => {
    const { graph } = audit(await demoSnapshot());
    const link = (a: string) => graph.links.find((l) => l.a === a || l.b === a);
    expect(link('xen1:eth1')).toMatchObject({ a: 'xen1:eth1', b: 'sw-a:5', source: 'lldp' });
    expect(link('xen1:eth1')?.alsoSeenBy).toEqual(expect.arrayContaining(['fdb', 'cable']));
    expect(link('xen3:eth2')).toMatchObject({ b: 'sw-b:eth1/0/7', source: 'cable', alsoSeenBy: [] });
    expect(graph.peers.get('sw-a:24')?.peer).toBe('sw-b:eth1/0/23');
    const cable = graph.links.find((l) => l.source === 'cable' && (l.a === 'sw-a:24' || l.b === 'sw-a:24'));
    expect(cable?.conflict).toContain('sw-b:eth1/0/23');
  });
});
