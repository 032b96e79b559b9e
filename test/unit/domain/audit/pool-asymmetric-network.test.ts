/**
 * pool.asymmetric-network on cowley1.xml, a real two-host pool with every kind of network: pool-wide NIC
 * networks, the bond's "Bond 3+4", "VLAN 2" on both hosts' eth2, two host-internal "Guest installer"
 * networks, a cross-host "New Private Network" and a "New Private Network (host only)" with no PIF on any
 * host. A host losing a network is DERIVED (withPool).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom } from '../graph/lab-fixtures';
import { findingOf, joined, withPool } from './joined-labs';

let cowley: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
});

const RULE = 'pool.asymmetric-network';
const grimsbyPool = (observation: PoolObservation) => audit(joined({ pool: { name: 'grimsby-pool', observation } }));

describe('pool.asymmetric-network', () => {
  it('raises nothing for cowley1 as dumped: the private and the internal networks are no missing uplinks', () => {
    const a = grimsbyPool(cowley);
    expect(a.graph.networks.filter((n) => n.private).map((n) => n.name)).toEqual(['New Private Network (host only)']);
    expect(a.graph.networks.filter((n) => n.internal).map((n) => n.name)).toEqual(['Guest installer network', 'Guest installer network']);
    expect(a.of(RULE)).toEqual([]);
  });

  it("flags VLAN 2 once grimsby no longer has it (DERIVED: grimsby's VLAN PIF gone)", () => {
    const lost = withPool(cowley, (p) => {
      p.networks.find((n) => n.name === 'VLAN 2')!.hosts = ['chester'];
      p.hosts.find((h) => h.name === 'grimsby')!.vlans = [];
    });
    const f = findingOf(grimsbyPool(lost).findings, `${RULE}:grimsby-pool:VLAN 2`);
    expect(f).toMatchObject({ severity: 'warning', devices: ['grimsby-pool', 'grimsby'], ports: [], title: 'VLAN 2 is missing on grimsby' });
    expect(f.evidence).toEqual(['grimsby-pool network VLAN 2: PIFs on chester', 'no PIF on grimsby']);
    expect(f.explanation).toContain('Create the VLAN 2 interface on grimsby');
  });

  it('names the tag when the network name does not (DERIVED: the demo\'s "VM lab" network gone from xen4)', async () => {
    const observation = withPool(await poolFrom('demo'), (p) => {
      const net = p.networks.find((n) => n.name === 'VM lab (VLAN 101)')!;
      net.name = 'VM lab';
      net.hosts = ['xen1', 'xen2', 'xen3'];
      for (const h of p.hosts) h.vlans = h.vlans.filter((v) => v.tag !== 101 || h.name !== 'xen4').map((v) => (v.tag === 101 ? { ...v, network: 'VM lab' } : v));
    });
    const a = audit(await demoSnapshot({ pools: [{ device: 'hp-pool', observation, status: null }] }));
    expect(findingOf(a.findings, `${RULE}:hp-pool:VM lab`).title).toBe('VM lab (VLAN 101) is missing on xen4');
  });

  it('raises nothing in a pool of one host', () => {
    const alone = withPool(cowley, (p) => {
      p.hosts = p.hosts.filter((h) => h.name === 'chester');
      for (const n of p.networks) n.hosts = n.hosts.filter((h) => h === 'chester');
    });
    expect(grimsbyPool(alone).of(RULE)).toEqual([]);
  });
});
