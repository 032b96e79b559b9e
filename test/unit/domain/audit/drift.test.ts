/**
 * drift.port-missing, drift.vlan and drift.bond: the demo's plan (resources/demo-lab.yaml) against what the
 * demo's pool dump and derived switch recordings report. The demo is built with one VLAN drift (sw-b
 * eth1/0/6 lacks VLAN 101) and its moved uplink (sw-b eth1/0/24 carries none of the planned VLANs); every
 * other plan change below is DERIVED (an edited copy of the demo inventory).
 */
import { describe, expect, it } from 'vitest';
import type { Inventory, InventoryPort } from '../../../../src-main/domain/model/inventory';
import { audit, demoInventory, demoSnapshot, viewFrom } from '../graph/lab-fixtures';
import { device, findingOf, joined, port } from './joined-labs';

/** The demo audited with its plan edited. */
async function withPlan(edit: (inventory: Inventory, portOf: (device: string, port: string) => InventoryPort) => void) {
  const inventory = demoInventory();
  const portOf = (device: string, name: string) => inventory.devices.find((d) => d.name === device)!.ports.find((p) => p.name === name)!;
  edit(inventory, portOf);
  return audit(await demoSnapshot({ inventory }));
}
const addPort = (inventory: Inventory, device: string, port: Partial<InventoryPort> & { name: string }) =>
  inventory.devices.find((d) => d.name === device)!.ports.push({ role: 'vm', aggregate: '', mac: '', untaggedVlan: null, taggedVlans: [], notes: '', ...port });

describe('drift.port-missing', () => {
  it('raises nothing for the demo as planned', async () => {
    expect(audit(await demoSnapshot()).of('drift.port-missing')).toEqual([]);
  });

  it('flags a planned host NIC the pool does not report (DERIVED: xen1 eth9)', async () => {
    const a = await withPlan((inv) => addPort(inv, 'xen1', { name: 'eth9', role: 'storage', mac: '78:e7:d1:5a:11:49' }));
    const f = findingOf(a.findings, 'drift.port-missing:xen1:eth9');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen1'], ports: ['xen1:eth9'], title: 'xen1 reports no port eth9' });
    expect(f.evidence).toEqual(['xen1: no interface named eth9 or with MAC 78:e7:d1:5a:11:49']);
    expect(f.explanation).toContain('xen1 reports eth0, eth1, eth2, eth3');
  });

  it('flags a planned switch port the recording lacks (DERIVED: sw-a port 48)', async () => {
    const a = await withPlan((inv) => addPort(inv, 'sw-a', { name: '48' }));
    expect(findingOf(a.findings, 'drift.port-missing:sw-a:48').title).toBe('sw-a reports no port 48');
  });

  it('says nothing of devices that did not report (dlink-san has no collector) or whose report is stale', async () => {
    const a = await withPlan((inv) => addPort(inv, 'dlink-san', { name: 'lan3' }));
    expect(a.of('drift.port-missing')).toEqual([]);
    const inventory = demoInventory();
    addPort(inventory, 'sw-a', { name: '48' });
    const snapshot = await demoSnapshot({ inventory });
    snapshot.snmp = snapshot.snmp.map((s) => (s.device === 'sw-a' ? { ...s, status: { state: 'unreachable', message: 'timeout', since: snapshot.at, lastGoodAt: '2026-12-06T00:00:00.000Z', staleSince: '2026-12-06T00:00:00.000Z' } } : s));
    expect(audit(snapshot).of('drift.port-missing')).toEqual([]);
  });
});

describe('drift.port-missing, a report without interfaces', () => {
  it('says nothing for a switch whose agent reports no IF-MIB at all (netgear_3.snmprec: system group and ENTITY only)', () => {
    const view = viewFrom('netgear_3');
    expect(view.ports).toEqual([]);
    // DERIVED: an inventory that plans two ports on it.
    const a = audit(joined({ views: { netgear: view }, devices: [device('netgear', 'switch', { ports: [port('1'), port('2')] })] }));
    expect(a.graph.devices.find((d) => d.name === 'netgear')?.reported).toBe(true);
    expect(a.of('drift.port-missing')).toEqual([]);
  });
});

describe('drift.vlan', () => {
  it("flags the demo's built-in drifts: VLAN 101 missing on sw-b eth1/0/6, every planned VLAN missing on eth1/0/24", async () => {
    const a = audit(await demoSnapshot());
    expect(a.of('drift.vlan').map((f) => f.id)).toEqual(['drift.vlan:sw-b:eth1/0/24', 'drift.vlan:sw-b:eth1/0/6']);
    const f = findingOf(a.findings, 'drift.vlan:sw-b:eth1/0/6');
    expect(f).toMatchObject({ severity: 'warning', devices: ['sw-b'], ports: ['sw-b:eth1/0/6'], title: "sw-b:eth1/0/6's VLANs differ from the plan: VLAN 101 tagged is planned but missing" });
    expect(f.evidence).toEqual(['plan: untagged none, tagged 100,101', 'sw-b Q-BRIDGE-MIB: untagged none, tagged 100']);
  });

  it('flags a planned untagged VLAN the switch port does not have (DERIVED: sw-a port 1 planned in VLAN 11)', async () => {
    const a = await withPlan((_, portOf) => (portOf('sw-a', '1').untaggedVlan = 11));
    expect(findingOf(a.findings, 'drift.vlan:sw-a:1').title).toBe("sw-a:1's VLANs differ from the plan: untagged VLAN 11 is planned, the port has 10");
  });

  it("flags a host NIC's VLAN interfaces against its plan (DERIVED: xen1 eth1 planned with VLAN 102 too)", async () => {
    const a = await withPlan((_, portOf) => portOf('xen1', 'eth1').taggedVlans.push(102));
    const f = findingOf(a.findings, 'drift.vlan:xen1:eth1');
    expect(f.title).toBe("xen1:eth1's VLANs differ from the plan: VLAN 102 tagged is planned but missing");
    expect(f.evidence[1]).toBe('xen1 VLAN PIFs: untagged n/a, tagged 100,101');
  });

  it('raises nothing for a port the plan gives no VLANs at all', async () => {
    const a = await withPlan((_, portOf) => Object.assign(portOf('sw-b', 'eth1/0/6'), { taggedVlans: [], untaggedVlan: null }));
    expect(a.ids).not.toContain('drift.vlan:sw-b:eth1/0/6');
  });
});

describe('drift.bond', () => {
  it('raises nothing for the demo: bond0 over eth1 and eth2 on every host, as planned', async () => {
    expect(audit(await demoSnapshot()).of('drift.bond')).toEqual([]);
  });

  it('flags a planned LAG the switch does not have (DERIVED: sw-a ports 5 and 6 planned as Trk9)', async () => {
    const a = await withPlan((_, portOf) => {
      portOf('sw-a', '5').aggregate = 'Trk9';
      portOf('sw-a', '6').aggregate = 'Trk9';
    });
    const f = findingOf(a.findings, 'drift.bond:sw-a:Trk9');
    expect(f).toMatchObject({ severity: 'warning', devices: ['sw-a'], ports: ['sw-a:5', 'sw-a:6'], title: 'sw-a has no LAG Trk9' });
    expect(f.evidence).toEqual(['sw-a: no LAG (ifStackTable, IEEE8023-LAG-MIB) named Trk9']);
  });

  it('flags a planned bond under another name, saying where its ports are (DERIVED: xen2 planned as bond1)', async () => {
    const a = await withPlan((_, portOf) => {
      portOf('xen2', 'eth1').aggregate = 'bond1';
      portOf('xen2', 'eth2').aggregate = 'bond1';
    });
    const f = findingOf(a.findings, 'drift.bond:xen2:bond1');
    expect(f.title).toBe('xen2 has no bond bond1');
    expect(f.explanation).toContain('(its ports sit in bond0)');
  });

  it('flags a bond with other members than planned (DERIVED: xen3 bond0 planned over eth1 and eth3)', async () => {
    const a = await withPlan((_, portOf) => {
      portOf('xen3', 'eth2').aggregate = '';
      portOf('xen3', 'eth3').aggregate = 'bond0';
    });
    const f = findingOf(a.findings, 'drift.bond:xen3:bond0');
    expect(f).toMatchObject({ title: "xen3's bond0 has other members than planned", ports: ['xen3:eth3', 'xen3:eth2'] });
    expect(f.evidence).toEqual(['xen3 bond bond0: members eth1, eth2', 'plan: eth1, eth3']);
  });
});

describe('drift.host-missing', () => {
  it('raises nothing for the demo, whose pool reports the four hosts the inventory puts in it', async () => {
    expect(audit(await demoSnapshot()).of('drift.host-missing')).toEqual([]);
  });

  it("flags a planned member the pool does not list (DERIVED: xen5 added to hp-pool's plan)", async () => {
    const a = await withPlan((inv) => {
      inv.devices.push({ ...inv.devices.find((d) => d.name === 'xen4')!, name: 'xen5', address: '10.10.10.15', ports: [] });
    });
    const f = findingOf(a.findings, 'drift.host-missing:xen5');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen5', 'hp-pool'], title: 'hp-pool does not report xen5, which the inventory puts in it' });
    expect(f.evidence).toEqual(['hp-pool host.get_all_records: xen1, xen2, xen3, xen4', 'inventory: xen5 memberOf hp-pool']);
  });

  it('says nothing while the pool itself has not answered', async () => {
    const inventory = demoInventory();
    inventory.devices.push({ ...inventory.devices.find((d) => d.name === 'xen4')!, name: 'xen5', address: '10.10.10.15', ports: [] });
    const a = audit(await demoSnapshot({ inventory, pools: [{ device: 'hp-pool', observation: null, status: null }] }));
    expect(a.of('drift.host-missing')).toEqual([]);
  });
});
