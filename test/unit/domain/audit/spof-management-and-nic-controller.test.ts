/**
 * spof.management-single-nic and spof.shared-nic-controller on real dumps: the demo pool (management on eth0
 * alone, bond0 over eth1 on 0000:02:00 and eth2 on 0000:03:00), cowley1.xml (bond0 over eth3 0000:05:00.0
 * and eth4 0000:05:00.1: one dual-port card), TampaTwoHostPoolSelectioniSCSI.xml (eth0 and eth1 both on
 * 0000:02:00) and boston-db.xml (eth0 on 0000:00:19, eth1 on 0000:06:01). Where a second storage address or
 * a management bond is needed it is DERIVED (a with* copy).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoInventory, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

let cowley: PoolObservation;
let tampa: PoolObservation;
let boston: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
  tampa = await poolFrom('TampaTwoHostPoolSelectioniSCSI.xml');
  boston = await poolFrom('boston-db.xml');
});

describe('spof.management-single-nic', () => {
  it("flags the demo hosts' management on eth0 alone, with the switch port at the other end", async () => {
    const a = audit(await demoSnapshot());
    const f = findingOf(a.findings, 'spof.management-single-nic:xen1');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen1', 'sw-a'], ports: ['xen1:eth0', 'sw-a:1'], title: "xen1's management runs on one NIC (eth0)" });
    expect(f.evidence).toEqual(['xen1 PIF eth0: management = true, not a bond']);
    expect(f.explanation).toContain('cabled to sw-a port 1');
  });

  it('raises nothing for management on a bond, or on a VLAN over a bond (DERIVED from cowley1)', () => {
    const onBond = withHost(cowley, 'chester', (h) => {
      h.nics.find((n) => n.device === 'eth0')!.management = false;
      Object.assign(h.nics.find((n) => n.device === 'bond0')!, { management: true, ipMode: 'Static', ip: '10.80.227.23', netmask: '255.255.240.0' });
    });
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: onBond } })).ids).not.toContain('spof.management-single-nic:chester');

    const onVlan = withHost(cowley, 'chester', (h) => {
      h.nics.find((n) => n.device === 'eth0')!.management = false;
      h.vlans.push({ uuid: 'derived', tag: 10, on: 'bond0', network: 'mgmt', management: true, ipMode: 'Static', ip: '10.80.227.23', netmask: '255.255.240.0', mtu: 1500, attached: true });
    });
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: onVlan } }));
    expect(a.graph.hosts.find((h) => h.name === 'chester')?.management).toEqual({ on: 'bond0', tag: 10 });
    expect(a.ids).not.toContain('spof.management-single-nic:chester');
    expect(a.ids).toContain('spof.management-single-nic:grimsby');
  });

  it('names the port as the inventory does when the inventory knows the NIC by its MAC (DERIVED names)', async () => {
    const inventory = demoInventory();
    const xen1 = inventory.devices.find((d) => d.name === 'xen1')!;
    // The owner's own name for eth0, matched by its MAC; the cable names it too.
    Object.assign(xen1.ports.find((p) => p.name === 'eth0')!, { name: 'onboard-1', mac: '78:e7:d1:5a:11:40' });
    inventory.links.find((l) => l.a.device === 'xen1' && l.a.port === 'eth0')!.a.port = 'onboard-1';
    const a = audit(await demoSnapshot({ inventory }));
    expect(a.graph.ports.some((p) => p.key === 'xen1:onboard-1')).toBe(true);
    const f = findingOf(a.findings, 'spof.management-single-nic:xen1');
    expect(f.ports).toEqual(['xen1:onboard-1', 'sw-a:1']);
    expect(f.title).toBe("xen1's management runs on one NIC (onboard-1)");
  });
});

describe('spof.shared-nic-controller', () => {
  it("flags cowley1's bond0, whose eth3 and eth4 are the two functions of PCI device 0000:05:00 (real dump)", () => {
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: cowley } }));
    const f = findingOf(a.findings, 'spof.shared-nic-controller:chester:bond0');
    expect(f).toMatchObject({ severity: 'warning', devices: ['chester'], ports: ['chester:eth3', 'chester:eth4'], title: "chester's bond0 has every member on PCI device 0000:05:00" });
    expect(f.evidence).toEqual(['chester:eth3 PIF_metrics pci_bus_path 0000:05:00.0', 'chester:eth4 PIF_metrics pci_bus_path 0000:05:00.1']);
    expect(a.ids).toContain('spof.shared-nic-controller:grimsby:bond0');
  });

  it("raises nothing for the demo's bond0 over two cards (0000:02:00.1 and 0000:03:00.0)", async () => {
    expect(audit(await demoSnapshot()).of('spof.shared-nic-controller')).toEqual([]);
  });

  it('flags multipath over two ports of one card (Tampa dt16 eth0 + eth1 on 0000:02:00, DERIVED address on eth1)', () => {
    const derived = withHost(tampa, 'dt16', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '10.80.228.50', netmask: '255.255.255.0', disallowUnplug: true }));
    const a = audit(joined({ pool: { name: 'tampa', observation: derived } }));
    const f = findingOf(a.findings, 'spof.shared-nic-controller:dt16:sr:large iSCSI');
    expect(f).toMatchObject({ severity: 'warning', devices: ['dt16'], ports: ['dt16:eth0', 'dt16:eth1'], title: "dt16's paths to large iSCSI all leave by NIC controller 0000:02:00" });
    expect(f.evidence).toEqual(['dt16:eth0 pci_bus_path 0000:02:00.0', 'dt16:eth1 pci_bus_path 0000:02:00.1']);
  });

  it('raises nothing for multipath over two cards (boston-db incubus eth0 0000:00:19, eth1 0000:06:01, DERIVED address on eth1)', () => {
    const derived = withHost(boston, 'incubus', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '10.80.224.99', netmask: '255.255.255.0', disallowUnplug: true }));
    const a = audit(joined({ pool: { name: 'boston', observation: derived } }));
    expect(a.graph.paths.filter((p) => p.host === 'incubus').map((p) => p.interface)).toEqual(['eth0', 'eth1']);
    expect(a.of('spof.shared-nic-controller')).toEqual([]);
  });

  it('says nothing where the PCI address is unknown (state4 reports none)', async () => {
    const state4 = withHost(await poolFrom('state4.xml'), 'incubus', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '10.80.238.50', netmask: '255.255.255.0' }));
    expect(audit(joined({ pool: { name: 'hottub', observation: state4 } })).of('spof.shared-nic-controller')).toEqual([]);
  });
});
