/**
 * vlan.missing-on-switch on real data: cowley1.xml's VLAN 2 (on chester's eth2) against the VLAN membership the
 * recordings report: procurve (Q-BRIDGE PortLists as the recorder left them), dlink_dgs-3627g (clean
 * PortLists), the hand-made lag1 (membership on the LAG interface: VLAN 10 tagged) and arubaos-cx (no
 * Q-BRIDGE at all); and the demo's VLAN 101, which sw-b eth1/0/6 lacks. Cables, the renumbered VLAN and the
 * VLANs on cowley1's bond are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, viewFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

let cowley: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
});

const RULE = 'vlan.missing-on-switch';
const lab = (observation: PoolObservation, views: Parameters<typeof joined>[0]['views'], cables: string[][]) => audit(joined({ pool: { name: 'grimsby-pool', observation }, views, cables }));

describe('vlan.missing-on-switch, per port (DERIVED cables)', () => {
  it("flags cowley1's VLAN 2 on chester eth2 against procurve port 5, which carries no tagged VLAN", () => {
    const a = lab(cowley, { procurve: viewFrom('procurve') }, [['chester:eth2', 'procurve:5']]);
    const f = findingOf(a.findings, `${RULE}:chester:eth2:2`);
    expect(f).toMatchObject({ severity: 'error', devices: ['chester', 'procurve'], ports: ['chester:eth2', 'procurve:5'], title: "VLAN 2 is missing on procurve port 5, which chester's eth2 uses" });
    expect(f.evidence).toEqual(['chester VLAN PIF: tag 2 on eth2', 'procurve Q-BRIDGE-MIB: 5 egress none tagged, 5 untagged', 'cable chester:eth2 ↔ procurve:5 (cable)']);
  });

  it('says the frames are dropped where the port has the VLAN untagged (procurve 46: untagged 2)', () => {
    const a = lab(cowley, { procurve: viewFrom('procurve') }, [['chester:eth2', 'procurve:46']]);
    expect(findingOf(a.findings, `${RULE}:chester:eth2:2`).explanation).toContain('has VLAN 2 untagged, so the tagged frames are dropped');
  });

  it('raises nothing where the switch port carries the VLAN tagged (DGS-3627G 1/1: 2002 tagged; DERIVED VLAN renumbered 2 → 2002)', () => {
    const renumbered = withHost(cowley, 'chester', (h) => (h.vlans[0]!.tag = 2002));
    const a = lab(renumbered, { dgs: viewFrom('dlink_dgs-3627g') }, [['chester:eth2', 'dgs:1/1']]);
    expect(a.of(RULE)).toEqual([]);
  });

  it('says nothing where the switch reports no VLAN membership (arubaos-cx has no Q-BRIDGE-MIB)', () => {
    const a = lab(cowley, { aruba: viewFrom('arubaos-cx') }, [['chester:eth2', 'aruba:1/1/4']]);
    expect(a.of(RULE)).toEqual([]);
  });

  it('says nothing without a cable', () => {
    expect(lab(cowley, { procurve: viewFrom('procurve') }, []).of(RULE)).toEqual([]);
  });
});

describe('vlan.missing-on-switch, a bond', () => {
  it("split over two switches is judged per member: the demo's xen2 eth2 lacks VLAN 101 on sw-b eth1/0/6, eth1 has it on sw-a", async () => {
    const a = audit(await demoSnapshot());
    const f = findingOf(a.findings, `${RULE}:xen2:eth2:101`);
    expect(f).toMatchObject({ devices: ['xen2', 'sw-b'], ports: ['xen2:eth2', 'sw-b:eth1/0/6'], title: "VLAN 101 is missing on sw-b eth1/0/6, which xen2's bond0 (member eth2) uses" });
    expect(f.evidence).toEqual(['xen2 VLAN PIF: tag 101 on bond0', 'sw-b Q-BRIDGE-MIB: eth1/0/6 egress 100 tagged', 'cable xen2:eth2 ↔ sw-b:eth1/0/6 (lldp)']);
    expect(a.of(RULE).map((x) => x.id)).toEqual([`${RULE}:xen2:eth2:101`]);
  });

  it('onto a LAG is judged once, against the LAG interface (hand-made lag1 carries VLAN 10 tagged; DERIVED VLANs 10 and 20 on bond0)', () => {
    const vlans = withHost(cowley, 'chester', (h) => {
      for (const tag of [10, 20]) h.vlans.push({ uuid: `derived-${tag}`, tag, on: 'bond0', network: `VLAN ${tag}`, management: false, ipMode: 'None', ip: '', netmask: '', mtu: 1500, attached: true });
    });
    const a = lab(vlans, { 'sw-lacp': viewFrom('handmade-lacp-lag') }, [['chester:eth3', 'sw-lacp:ge1/0/7'], ['chester:eth4', 'sw-lacp:ge1/0/8']]);
    expect(a.of(RULE).map((f) => f.id)).toEqual([`${RULE}:chester:bond0:20`]);
    const f = findingOf(a.findings, `${RULE}:chester:bond0:20`);
    expect(f).toMatchObject({ devices: ['chester', 'sw-lacp'], ports: ['chester:bond0', 'sw-lacp:lag1'], title: "VLAN 20 is missing on sw-lacp's LAG lag1, which chester's bond0 uses" });
    expect(f.evidence[1]).toBe('sw-lacp Q-BRIDGE-MIB: lag1 egress 10 tagged, 1 untagged');
  });
});
