/**
 * Links from the switch forwarding table (discover.ts fdbClaims): a known device's MAC learned on exactly one
 * port that is not an uplink links that device to that port. The tables are procurve's real dot1qTpFdb
 * (1060 entries: one camera MAC per access port, 1019 behind Trk1) and the hand-made lag1's entry on the LAG
 * interface. The devices owning those MACs, the extra entries and the plan's uplink roles are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { device, joined, port, withView } from '../audit/joined-labs';
import { poolFrom, viewFrom } from './lab-fixtures';

/** The MAC procurve learned on port 3 (ifIndex 3) and nowhere else. */
const CAM1 = 'ac:cc:8e:0a:fb:c2';
/** MACs procurve learned on Trk1 (ifIndex 962) only. */
const BEHIND_TRK1 = ['00:04:a3:da:68:1d', '00:04:a3:da:7c:93'];
const host = (name: string, mac: string) => device(name, 'linux-host', { ports: [port('eth0', { mac })] });
const linksOf = (snapshot: Parameters<typeof buildGraph>[0]) => buildGraph(snapshot).links.map((l) => `${l.a} ↔ ${l.b} ${l.source}`);

describe('links from the forwarding table', () => {
  it('link a MAC learned on one access port to that port', () => {
    const graph = buildGraph(joined({ views: { procurve: viewFrom('procurve') }, devices: [host('cam1', CAM1)] }));
    expect(graph.links).toEqual([
      expect.objectContaining({
        a: 'cam1:eth0',
        b: 'procurve:3',
        source: 'fdb',
        inInventory: false,
        evidence: [`procurve forwarding table: cam1:eth0's MAC ${CAM1} learned on 3 (VLAN 19) and on no other port but uplinks`],
      }),
    ]);
    expect(graph.peers.get('cam1:eth0')?.peer).toBe('procurve:3');
  });

  it('link nothing when the MAC is learned on two access ports (DERIVED second entry on port 4)', () => {
    const view = withView(viewFrom('procurve'), (v) => v.fdb.push({ mac: CAM1, vlan: 19, ifIndex: 4 }));
    expect(linksOf(joined({ views: { procurve: view }, devices: [host('cam1', CAM1)] }))).toEqual([]);
  });

  it('ignore a MAC on an uplink: learned on port 3 and on Trk1, which the plan calls an uplink, it links port 3 (DERIVED entry and roles)', () => {
    const view = withView(viewFrom('procurve'), (v) => v.fdb.push({ mac: CAM1, vlan: 19, ifIndex: 962 }));
    const procurve = device('procurve', 'switch', { ports: [port('A1', { role: 'uplink', aggregate: 'Trk1' }), port('A2', { role: 'uplink', aggregate: 'Trk1' })] });
    expect(linksOf(joined({ views: { procurve: view }, devices: [procurve, host('cam1', CAM1)] }))).toEqual(['cam1:eth0 ↔ procurve:3 fdb']);
  });

  it('link nothing for a MAC seen only behind an uplink', () => {
    const procurve = device('procurve', 'switch', { ports: [port('A1', { role: 'uplink', aggregate: 'Trk1' }), port('A2', { role: 'uplink', aggregate: 'Trk1' })] });
    expect(linksOf(joined({ views: { procurve: viewFrom('procurve') }, devices: [procurve, host('nvr', BEHIND_TRK1[0]!)] }))).toEqual([]);
  });

  it('take a port where two known devices are learned for an uplink, even when nothing says so', () => {
    const devices = [host('nvr1', BEHIND_TRK1[0]!), host('nvr2', BEHIND_TRK1[1]!)];
    expect(linksOf(joined({ views: { procurve: viewFrom('procurve') }, devices }))).toEqual([]);
  });

  it("link a bond to a LAG when the bond's MAC is learned on the LAG interface (DERIVED: lag1's entry and LACP partner made chester's bond0 MAC, its members' LLDP neighbour, another system, taken out)", async () => {
    const cowley: PoolObservation = await poolFrom('cowley1.xml');
    const mac = cowley.hosts.find((h) => h.name === 'chester')!.nics.find((n) => n.device === 'bond0')!.mac;
    expect(mac).toBe('00:15:17:8a:31:b3');
    const view = withView(viewFrom('handmade-lacp-lag'), (v) => {
      v.fdb = [{ mac, vlan: 10, ifIndex: 1000 }];
      v.lags[0]!.members[0]!.partnerSystem = mac;
      // A neighbour LLDP hears on a member is what is cabled there, and would outweigh the forwarding table.
      v.neighbors = v.neighbors.filter((n) => !v.lags[0]!.memberIfIndexes.includes(n.localIfIndex));
    });
    const graph = buildGraph(joined({ pool: { name: 'grimsby-pool', observation: cowley }, views: { 'sw-lacp': view } }));
    const bondLinks = graph.links.filter((l) => l.a === 'chester:bond0' || l.b === 'chester:bond0');
    expect(bondLinks.map((l) => `${l.a} ↔ ${l.b} ${l.source}`).sort()).toEqual(['chester:bond0 ↔ sw-lacp:ge1/0/7 lacp', 'chester:bond0 ↔ sw-lacp:lag1 fdb']);
    expect(bondLinks.find((l) => l.source === 'fdb')?.evidence).toEqual([`sw-lacp forwarding table: chester:bond0's MAC ${mac} learned on lag1 (VLAN 10) and on no other port but uplinks`]);
    // Where only the aggregate's cable is known, each member's peer is the far aggregate (or its member LACP names).
    expect(graph.peers.get('chester:eth3')?.peer).toBe('sw-lacp:ge1/0/7');
  });
});
