/**
 * Stacks and failure domains. A stack comes from ENTITY-MIB (several chassis behind one agent, each port
 * mapped to its member) or from the inventory (switches sharing a `stack` name). procurve.snmprec's sysDescr
 * says "HP Stack", but its ENTITY-MIB has one chassis (entPhysicalIndex 1001, JL074A): one failure domain.
 * The hand-made HP stack has two. A storage path's domains are every part it cannot avoid: the demo's paths
 * run xen eth3 → sw-b → the SAN's lan2; with the SAN's storage port DERIVED onto sw-a, their route crosses
 * both switches.
 */
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../../src-main/domain/audit/lab';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { whatIf } from '../../../../src-main/domain/whatif/whatif';
import { device, joined } from '../audit/joined-labs';
import { demoInventory, demoSnapshot, viewFrom } from './lab-fixtures';

describe('stacks', () => {
  it("take procurve for one switch: its view carries one ENTITY-MIB chassis, whatever sysDescr says", () => {
    const view = viewFrom('procurve');
    expect(view.system.descr).toContain('HP Stack');
    expect(view.stackMembers).toEqual([{ index: 1001, name: 'Chassis', model: 'JL074A', serial: '<private>', position: null }]);
    const graph = buildGraph(joined({ views: { procurve: view } }));
    const procurve = graph.devices.find((d) => d.name === 'procurve')!;
    expect(procurve.stackMembers).toEqual([]);
    expect(new Lab(graph).inStack('procurve')).toBe(false);
    expect(graph.domains.filter((d) => d.device === 'procurve').map((d) => d.id)).toEqual(['switch:procurve']);
  });

  it('take a two-chassis ENTITY-MIB agent for a stack whose members are failure domains of their own', () => {
    const graph = buildGraph(joined({ views: { hp: viewFrom('handmade-hp-stack-trunks') } }));
    expect(graph.devices.find((d) => d.name === 'hp')?.stackMembers).toEqual([
      { index: 1001, name: 'Switch 1' },
      { index: 2001, name: 'Switch 2' },
    ]);
    expect(graph.domains.filter((d) => d.device === 'hp')).toEqual([
      { id: 'switch:hp#1001', kind: 'stack-member', label: 'hp stack member 1001', device: 'hp' },
      { id: 'switch:hp#2001', kind: 'stack-member', label: 'hp stack member 2001', device: 'hp' },
      { id: 'switch:hp', kind: 'switch', label: 'switch hp', device: 'hp' },
    ]);
    expect(graph.ports.find((p) => p.key === 'hp:2/1')?.obs?.stackMember).toBe(2001);
    expect(new Lab(graph).inStack('hp')).toBe(true);
  });

  it("take switches sharing the inventory's stack name for one logical switch", () => {
    const graph = buildGraph(joined({ devices: [device('sw-x', 'switch', { stack: 'core' }), device('sw-y', 'switch', { stack: 'core' }), device('sw-z', 'switch')] }));
    const lab = new Lab(graph);
    expect(['sw-x', 'sw-y', 'sw-z'].map((d) => [lab.inStack(d), lab.logicalSwitch(d)])).toEqual([
      [true, 'stack core'],
      [true, 'stack core'],
      [false, 'sw-z'],
    ]);
  });
});

describe('the failure domains of a storage path', () => {
  it('are, in the demo, the host NIC and its card, the cable to sw-b, sw-b, the SAN port and the portal', async () => {
    const graph = buildGraph(await demoSnapshot());
    const path = graph.paths.find((p) => p.key === 'xen1|VM store|eth3|10.10.20.20:3260')!;
    expect(path).toMatchObject({ state: 'up', legs: ['xen1:eth3'], ip: '10.10.20.11' });
    expect(path.domains).toEqual([
      'host:xen1',
      'portal:10.10.20.20:3260',
      'device:dlink-san',
      'port:xen1:eth3',
      'nic:xen1/0000:03:00',
      'port:sw-b:eth1/0/1',
      'switch:sw-b',
      'port:dlink-san:lan2',
      'port:sw-b:eth1/0/20',
    ]);
  });

  it("include every switch on the route when the SAN's storage port is on the other switch (DERIVED: lan1 carries storage)", async () => {
    const inventory = demoInventory();
    const san = inventory.devices.find((d) => d.name === 'dlink-san')!;
    san.ports.find((p) => p.name === 'lan1')!.role = 'storage';
    san.ports.find((p) => p.name === 'lan2')!.role = 'management';
    const graph = buildGraph(await demoSnapshot({ inventory }));
    expect(graph.portals[0]?.ports).toEqual(['dlink-san:lan1']);
    const path = graph.paths.find((p) => p.key === 'xen1|VM store|eth3|10.10.20.20:3260')!;
    // The one working inter-switch cable: sw-b eth1/0/23 (LLDP) ↔ sw-a port 24 (the inventory's eth1/0/24 has no link).
    expect(path.ways).toEqual([['port:xen1:eth3', 'nic:xen1/0000:03:00', 'port:sw-b:eth1/0/1', 'switch:sw-b', 'switch:sw-a', 'port:sw-b:eth1/0/23', 'port:sw-a:24', 'port:dlink-san:lan1', 'port:sw-a:20']]);
    expect(path.domains).toEqual(expect.arrayContaining(['switch:sw-a', 'switch:sw-b', 'port:sw-a:24', 'port:sw-b:eth1/0/23']));
    // So losing sw-a, or the uplink port between the switches, now costs the storage too.
    const everySr = ['HA heartbeat', 'VM store'].flatMap((sr) => ['xen1', 'xen2', 'xen3', 'xen4'].map((h) => `${h}:${sr}`));
    expect(whatIf(graph, ['sw-a']).lost.filter((l) => l.what === 'sr').map((l) => `${l.host}:${l.name}`)).toEqual(everySr);
    const uplink = whatIf(graph, ['sw-a:24']);
    expect(uplink.lost.filter((l) => l.what === 'sr').map((l) => `${l.host}:${l.name}`)).toEqual(everySr);
    expect(uplink.lost[0]?.why).toBe('its only path ran through sw-a:24');
  });

  it('include no inter-switch port where two working cables join the switches (DERIVED: a second sw-a ↔ sw-b cable with link)', async () => {
    const inventory = demoInventory();
    const san = inventory.devices.find((d) => d.name === 'dlink-san')!;
    san.ports.find((p) => p.name === 'lan1')!.role = 'storage';
    san.ports.find((p) => p.name === 'lan2')!.role = 'management';
    inventory.links.push({ a: { device: 'sw-a', port: '23' }, b: { device: 'sw-b', port: 'eth1/0/22' }, source: 'manual', notes: 'DERIVED second uplink' });
    const cabled = (down: boolean) =>
      demoSnapshot({ inventory: structuredClone(inventory) }).then((snapshot) => {
        const link = (device: string, name: string) => snapshot.snmp.find((s) => s.device === device)!.view!.ports.find((p) => p.name === name)!;
        link('sw-a', '23').operUp = !down;
        link('sw-b', 'eth1/0/22').operUp = !down;
        return buildGraph(snapshot);
      });
    const graph = await cabled(false);
    const path = graph.paths.find((p) => p.key === 'xen1|VM store|eth3|10.10.20.20:3260')!;
    expect(path.ways[0]?.filter((d) => /^port:sw-(a:2[34]|b:eth1\/0\/2[234])$/.test(d))).toEqual([]);
    expect(whatIf(graph, ['sw-a:24']).lost.filter((l) => l.what === 'sr')).toEqual([]);
    // The same second cable without link is no second way.
    expect(whatIf(await cabled(true), ['sw-a:24']).lost.filter((l) => l.what === 'sr')).toHaveLength(8);
  });
});
