/**
 * bond.degraded and bond.lacp-needs-vswitch on real dumps: the demo pool (xen3's bond0 with eth2 without
 * carrier, links_up 1), cowley1.xml (XenServer 5.6: no links_up, and PIF_metrics carrier false on both
 * members of every bond, as the dump has it). Bond modes, backends and unknown carrier are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

let cowley: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
});

describe('bond.degraded', () => {
  it("flags the demo's xen3 bond0 (eth2 without carrier), naming the switch port at the other end", async () => {
    const a = audit(await demoSnapshot());
    const f = findingOf(a.findings, 'bond.degraded:xen3:bond0');
    expect(f).toMatchObject({
      severity: 'error',
      devices: ['xen3', 'sw-b'],
      ports: ['xen3:eth2', 'sw-b:eth1/0/7'],
      title: "xen3's bond0 has 1 of 2 links up: eth2 has no carrier",
    });
    expect(f.evidence).toEqual(['xen3 Bond bond0: links_up = 1, 2 members', 'xen3:eth2 PIF_metrics carrier = false']);
    expect(f.explanation).toContain('Check xen3 eth2 and sw-b eth1/0/7 at the other end');
  });

  it('raises nothing for the demo bonds with both links up', async () => {
    expect(audit(await demoSnapshot()).of('bond.degraded').map((f) => f.id)).toEqual(['bond.degraded:xen3:bond0']);
  });

  it("flags cowley1's bonds, whose members have no carrier in the dump, as cut off (no links_up before XenServer 6.1)", () => {
    const f = findingOf(audit(joined({ pool: { name: 'grimsby-pool', observation: cowley } })).findings, 'bond.degraded:chester:bond0');
    expect(f).toMatchObject({ severity: 'error', title: "chester's bond0 has 0 of 2 links up: eth3, eth4 have no carrier" });
    expect(f.explanation).toContain('no link at all');
    expect(f.evidence[0]).toBe('chester Bond bond0: links_up = not reported, 2 members');
  });

  it('says nothing when neither carrier nor links_up is known (DERIVED: metrics gone)', () => {
    const unknown = withHost(cowley, 'chester', (h) => h.nics.forEach((n) => (n.carrier = null)));
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: unknown } })).ids).not.toContain('bond.degraded:chester:bond0');
  });
});

describe('bond.lacp-needs-vswitch', () => {
  it('flags an LACP bond on the Linux bridge backend (DERIVED from cowley1)', () => {
    const bridge = withHost(cowley, 'chester', (h) => {
      h.networkBackend = 'bridge';
      h.bonds[0]!.mode = 'lacp';
    });
    const f = findingOf(audit(joined({ pool: { name: 'grimsby-pool', observation: bridge } })).findings, 'bond.lacp-needs-vswitch:chester:bond0');
    expect(f).toMatchObject({ severity: 'error', devices: ['chester'], ports: ['chester:eth3', 'chester:eth4'], title: "chester's bond0 is LACP on the Linux bridge backend" });
    expect(f.evidence).toEqual(['chester software_version network_backend = bridge', 'chester Bond bond0: mode = lacp']);
  });

  it('raises nothing for LACP on Open vSwitch (cowley1 runs openvswitch) or balance-slb on the bridge', () => {
    const lacp = withHost(cowley, 'chester', (h) => (h.bonds[0]!.mode = 'lacp'));
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: lacp } })).of('bond.lacp-needs-vswitch')).toEqual([]);
    const slbOnBridge = withHost(cowley, 'chester', (h) => (h.networkBackend = 'bridge'));
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: slbOnBridge } })).of('bond.lacp-needs-vswitch')).toEqual([]);
  });
});
