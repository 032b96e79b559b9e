/**
 * link.conflict: two sources disagree about one port's far end. Real evidence: the demo's sw-a port 24, which
 * LLDP hears on sw-b eth1/0/23 while the inventory's cable says eth1/0/24 (the demo's built-in fault); and
 * procurve's own tables: port 27's LLDP neighbour (an Axis camera sending its NIC MAC as port ID) and port
 * 3's forwarding-table entry (ac:cc:8e:0a:fb:c2, learned there and on no other port). The devices that own
 * those MACs, and the cables that contradict them, are DERIVED (declared in the test's inventory).
 */
import { describe, expect, it } from 'vitest';
import { audit, demoSnapshot, viewFrom } from '../graph/lab-fixtures';
import { device, findingOf, joined, port } from './joined-labs';

const camera = (name: string, mac: string) => device(name, 'linux-host', { ports: [port('eth0', { role: 'vm', mac })] });

describe('link.conflict', () => {
  it("flags the demo's moved uplink: LLDP says sw-b eth1/0/23, the cable eth1/0/24", async () => {
    const a = audit(await demoSnapshot());
    const f = findingOf(a.findings, 'link.conflict:sw-a:24');
    expect(f).toMatchObject({ severity: 'warning', devices: ['sw-a', 'sw-b'], ports: ['sw-a:24', 'sw-b:eth1/0/23', 'sw-b:eth1/0/24'] });
    expect(f.title).toBe("where sw-a:24's cable goes: lldp: sw-b:eth1/0/23 — cable: sw-b:eth1/0/24");
    expect(f.evidence).toEqual(expect.arrayContaining(['sw-a LLDP-MIB: 24 hears sw-b port eth1/0/23', 'inventory cable sw-a:24 ↔ sw-b:eth1/0/24']));
    expect(f.explanation).toContain('Labwarden goes by the most trusted (LLDP, then LACP, then the forwarding table, then the inventory), sw-b:eth1/0/23');
    expect(a.of('link.conflict').map((x) => x.id)).toEqual(['link.conflict:sw-a:24']);
  });

  it("flags LLDP against a cable (DERIVED: the camera that sends procurve port 27 its MAC is cabled to port 28 in the inventory)", () => {
    const a = audit(joined({ views: { procurve: viewFrom('procurve') }, devices: [camera('lobby-cam', 'b8:a4:4f:b9:3d:1a')], cables: [['lobby-cam:eth0', 'procurve:28']] }));
    const f = findingOf(a.findings, 'link.conflict:lobby-cam:eth0');
    expect(f).toMatchObject({ devices: ['lobby-cam', 'procurve'], ports: ['lobby-cam:eth0', 'procurve:27', 'procurve:28'] });
    expect(f.title).toBe("where lobby-cam:eth0's cable goes: lldp and fdb: procurve:27 — cable: procurve:28");
    expect(a.graph.peers.get('lobby-cam:eth0')?.peer).toBe('procurve:27');
  });

  it('flags the forwarding table against a cable (DERIVED: the MAC learned on procurve port 3, cabled to port 4)', () => {
    const a = audit(joined({ views: { procurve: viewFrom('procurve') }, devices: [camera('cam1', 'ac:cc:8e:0a:fb:c2')], cables: [['cam1:eth0', 'procurve:4']] }));
    const f = findingOf(a.findings, 'link.conflict:cam1:eth0');
    expect(f.title).toBe("where cam1:eth0's cable goes: fdb: procurve:3 — cable: procurve:4");
    expect(f.evidence).toContain("procurve forwarding table: cam1:eth0's MAC ac:cc:8e:0a:fb:c2 learned on 3 (VLAN 19) and on no other port but uplinks");
  });

  it('raises nothing where the sources agree: the cable is where LLDP and the forwarding table say', () => {
    const a = audit(joined({ views: { procurve: viewFrom('procurve') }, devices: [camera('lobby-cam', 'b8:a4:4f:b9:3d:1a')], cables: [['lobby-cam:eth0', 'procurve:27']] }));
    expect(a.of('link.conflict')).toEqual([]);
    expect(a.graph.links).toEqual([expect.objectContaining({ a: 'lobby-cam:eth0', b: 'procurve:27', source: 'lldp', alsoSeenBy: ['fdb', 'cable'], inInventory: true, conflict: null })]);
  });

  it("raises nothing for a bond's MAC learned on a member's switch port: the aggregate claim agrees with the member's cable", async () => {
    const a = audit(await demoSnapshot());
    const link = a.graph.links.find((l) => l.a === 'xen1:eth1');
    expect(link).toMatchObject({ b: 'sw-a:5', conflict: null });
    expect(link?.evidence).toEqual(expect.arrayContaining(["sw-a forwarding table: xen1:bond0's MAC 78:e7:d1:5a:11:41 learned on 5 (VLAN 100) and on no other port but uplinks"]));
  });
});
