/**
 * vlan.untagged-mismatch on real data: TampaTwoHostPoolSelectioniSCSI.xml's management NICs (untagged, on
 * 10.80.224.0/20) against dlink_dgs-3627g's clean PortLists (1/1 and 1/2 untagged 1002, 1/19 untagged 3972,
 * 1/22 a trunk with no untagged VLAN), and the demo's four management NICs on sw-a ports 1–4 (untagged 10).
 * The cables, the plans and the moved PVID are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, viewFrom, withPort } from '../graph/lab-fixtures';
import { findingOf, joined, port } from './joined-labs';

let tampa: PoolObservation;
beforeAll(async () => {
  tampa = await poolFrom('TampaTwoHostPoolSelectioniSCSI.xml');
});

const RULE = 'vlan.untagged-mismatch';
const tampaLab = (cables: string[][], hosts: Parameters<typeof joined>[0]['hosts'] = {}) =>
  audit(joined({ pool: { name: 'tampa', observation: tampa }, views: { dgs: viewFrom('dlink_dgs-3627g') }, cables, hosts }));

describe('vlan.untagged-mismatch, by plan (DERIVED cables and plans)', () => {
  it('flags a management NIC on a port whose untagged VLAN is not the planned one', () => {
    const a = tampaLab([['dt16:eth0', 'dgs:1/1']], { dt16: [port('eth0', { role: 'management', untaggedVlan: 3972 })] });
    const f = findingOf(a.findings, `${RULE}:dt16:eth0`);
    expect(f).toMatchObject({ severity: 'warning', devices: ['dt16', 'dgs'], ports: ['dt16:eth0', 'dgs:1/1'], title: "dt16 eth0's untagged management and dgs 1/1 disagree" });
    expect(f.explanation).toContain('dgs 1/1 puts it in VLAN 1002, and the inventory plans VLAN 3972');
    expect(f.evidence).toEqual(['dt16 PIF eth0: management on 10.80.224.0/20', 'dgs Q-BRIDGE-MIB: 1/1 untagged 1002, PVID 1002']);
  });

  it('raises nothing where the port is untagged in the planned VLAN', () => {
    expect(tampaLab([['dt16:eth0', 'dgs:1/1']], { dt16: [port('eth0', { role: 'management', untaggedVlan: 1002 })] }).of(RULE)).toEqual([]);
  });

  it('flags a trunk port with no untagged VLAN (1/22: PVID 1, 2002 and 3971 tagged only) as an error', () => {
    const f = findingOf(tampaLab([['dt16:eth0', 'dgs:1/22']]).findings, `${RULE}:dt16:eth0`);
    expect(f.severity).toBe('error');
    expect(f.explanation).toContain("dgs 1/22 has no untagged VLAN (PVID 1, not an untagged member), so the host's untagged frames go nowhere");
  });

  it('says nothing of a tie: two hosts of one subnet on two different untagged VLANs, no plan', () => {
    expect(tampaLab([['dt16:eth0', 'dgs:1/1'], ['dt23:eth0', 'dgs:1/19']]).of(RULE)).toEqual([]);
  });

  it('says nothing of a NIC with no untagged traffic (no address, not management)', () => {
    expect(tampaLab([['dt16:eth1', 'dgs:1/22']]).of(RULE)).toEqual([]);
  });
});

describe('vlan.untagged-mismatch, by the subnet majority', () => {
  it('flags the one demo management port put in another VLAN than the other hosts on 10.10.10.0/24 (DERIVED: sw-a port 1 moved to VLAN 30)', async () => {
    const sw = withPort(viewFrom('demo-sw-a'), '1', (p) => Object.assign(p, { pvid: 30, untaggedVlans: [30] }));
    const snapshot = await demoSnapshot();
    snapshot.snmp = snapshot.snmp.map((s) => (s.device === 'sw-a' ? { ...s, view: sw } : s));
    const a = audit(snapshot);
    const f = findingOf(a.findings, `${RULE}:xen1:eth0`);
    expect(f).toMatchObject({ severity: 'error', devices: ['xen1', 'sw-a'], ports: ['xen1:eth0', 'sw-a:1'] });
    expect(f.explanation).toContain("sw-a port 1 puts it in VLAN 30, while the other hosts' NICs on 10.10.10.0/24 land in VLAN 10");
    expect(a.of(RULE).map((x) => x.id)).toEqual([`${RULE}:xen1:eth0`]);
  });

  it('raises nothing in the demo as recorded', async () => {
    expect(audit(await demoSnapshot()).of(RULE)).toEqual([]);
  });
});
