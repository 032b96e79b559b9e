/**
 * Links from LLDP (discover.ts lldpClaims), each way a neighbour entry can name the far port, on real
 * recordings: procurve (an Axis camera sending its NIC MAC as port ID; on A1 and A2, two core chassis that
 * send no system name, only chassis MACs and port "1/7/18"), arubaos-cx (aruba-iscsi-2 on 1/1/53 and 1/1/54,
 * by name), dlink_dgs-3627g (MK2-USR-BB2 port "TenGigabitEthernet 0/31"), and the demo's switches, which hear
 * each other. The devices at the far end, and their MACs and names, are DERIVED (declared in the inventory).
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { device, joined, port, withView } from '../audit/joined-labs';
import { demoSnapshot, viewFrom } from './lab-fixtures';

const lldpLinks = (graph: ReturnType<typeof buildGraph>) => graph.links.filter((l) => l.source === 'lldp').map((l) => `${l.a} ↔ ${l.b}`);

describe('links from LLDP', () => {
  it("match the far port by its MAC (procurve port 27 hears port ID b8:a4:4f:b9:3d:1a; the inventory calls the camera 'lobby-cam')", () => {
    const graph = buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [device('lobby-cam', 'linux-host', { ports: [port('eth0', { mac: 'b8:a4:4f:b9:3d:1a' })] })] }));
    const link = graph.links.find((l) => l.a === 'lobby-cam:eth0');
    expect(link).toMatchObject({ b: 'procurve:27', source: 'lldp', alsoSeenBy: ['fdb'] });
    expect(link?.evidence[0]).toBe('procurve LLDP-MIB: 27 hears axis port b8:a4:4f:b9:3d:1a');
  });

  it('match the far device by system name and the port by name (arubaos-cx hears aruba-iscsi-2 ports 1/1/53 and 1/1/54)', () => {
    const peer = device('aruba-iscsi-2', 'switch', { ports: [port('1/1/53', { role: 'uplink' }), port('1/1/54', { role: 'uplink' })] });
    const graph = buildGraph(joined({ views: { aruba: viewFrom('arubaos-cx') }, devices: [peer] }));
    expect(lldpLinks(graph)).toEqual(['aruba:1/1/53 ↔ aruba-iscsi-2:1/1/53', 'aruba:1/1/54 ↔ aruba-iscsi-2:1/1/54']);
    // Two switches at either end: an uplink, so the port takes that role.
    expect(graph.ports.find((p) => p.key === 'aruba:1/1/53')?.role).toBe('uplink');
  });

  it("match a system name to the inventory's by its first DNS label, case folded (MK2-USR-BB2 is mk2-usr-bb2.example.net)", () => {
    const peer = device('mk2-usr-bb2.example.net', 'switch', { ports: [port('TenGigabitEthernet 0/31'), port('TenGigabitEthernet 0/32')] });
    const graph = buildGraph(joined({ views: { dgs: viewFrom('dlink_dgs-3627g') }, devices: [peer] }));
    expect(lldpLinks(graph)).toEqual(['dgs:1/25 ↔ mk2-usr-bb2.example.net:TenGigabitEthernet 0/31']);
  });

  it("match the far device by its chassis ID: the core chassis MACs procurve hears on A1 and A2, which the inventory gives to two cores", () => {
    const core = (name: string, chassis: string) => device(name, 'switch', { ports: [port('mgmt', { role: 'management', mac: chassis }), port('1/7/18')] });
    const graph = buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [core('core-a', 'ec:02:73:96:21:00'), core('core-b', 'ec:02:73:96:81:00')] }));
    expect(lldpLinks(graph)).toEqual(['procurve:A1 ↔ core-a:1/7/18', 'procurve:A2 ↔ core-b:1/7/18']);
  });

  it('make Trk1 an uplink: a MAC learned behind it links nothing, whether or not LLDP names the switches there', () => {
    const core = (name: string, chassis: string) => device(name, 'switch', { ports: [port('mgmt', { role: 'management', mac: chassis }), port('1/7/18')] });
    const nvr = device('nvr', 'linux-host', { ports: [port('eth0', { mac: '00:04:a3:da:68:1d' })] });
    // Alone, the one known MAC on Trk1 is one of 1,019 learned there, and LLDP hears other systems on its
    // members: the port leads to more of the network, not to the nvr.
    expect(buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [nvr] })).links).toEqual([]);
    const withCores = buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [nvr, core('core-a', 'ec:02:73:96:21:00'), core('core-b', 'ec:02:73:96:81:00')] }));
    expect(withCores.links.filter((l) => l.a.startsWith('nvr:') || l.b.startsWith('nvr:'))).toEqual([]);
  });

  it("match the far device by a switch's own chassis ID when the neighbour sends no name (DERIVED: sw-a's entry for sw-b without its name)", async () => {
    const snapshot = await demoSnapshot();
    const anonymous = withView(viewFrom('demo-sw-a'), (v) => v.neighbors.filter((n) => n.remoteSystemName === 'sw-b').forEach((n) => (n.remoteSystemName = '')));
    snapshot.snmp = snapshot.snmp.map((s) => (s.device === 'sw-a' ? { ...s, view: anonymous } : s));
    const graph = buildGraph(snapshot);
    expect(graph.peers.get('sw-a:24')?.peer).toBe('sw-b:eth1/0/23');
    expect(graph.peers.get('sw-a:24')?.link.evidence).toEqual(expect.arrayContaining(['sw-a LLDP-MIB: 24 hears 10:62:eb:5a:30:00 port eth1/0/23']));
  });

  it("link nothing by a scrubbed name: '<private>' in a shared recording names no device (DERIVED: procurve's neighbours renamed)", () => {
    // Both LibreNMS recordings carry sysName "<private>"; a neighbour called that is not the other switch.
    const scrubbed = withView(viewFrom('procurve'), (v) => v.neighbors.forEach((n) => ((n.remoteSystemName = '<private>'), (n.remoteChassisId = ''), (n.remoteManagementAddress = ''), (n.remotePortId = '1/1'))));
    const graph = buildGraph(joined({ views: { dlink: viewFrom('dlink_dgs-3627g'), procurve: scrubbed } }));
    expect(viewFrom('dlink_dgs-3627g').system.name).toBe('<private>');
    expect(graph.links.filter((l) => l.source === 'lldp' && (l.a.startsWith('dlink:') || l.b.startsWith('dlink:')))).toEqual([]);
  });

  it('link nothing for a neighbour nobody declared, nor one whose management address is the switch itself', () => {
    // procurve's entries all give 10.1.1.1, procurve's own address, as the neighbour's management address.
    const graph = buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [device('procurve', 'switch', { address: '10.1.1.1' })] }));
    expect(graph.links).toEqual([]);
  });
});
