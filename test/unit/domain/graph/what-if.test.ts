/**
 * What-if (whatif.ts) on the demo lab as the app sees it: management of every host on sw-a; bond0 split over
 * sw-a (eth1) and sw-b (eth2), except that xen3's eth2 has no carrier already; storage on eth3 → sw-b → the
 * SAN's lan2, one portal 10.10.20.20:3260 for both SRs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabGraph } from '../../../../src-main/domain/graph/types';
import { runAudit } from '../../../../src-main/domain/audit';
import { whatIf } from '../../../../src-main/domain/whatif/whatif';
import { audit, demoSnapshot } from './lab-fixtures';

let graph: LabGraph;
beforeAll(async () => {
  graph = audit(await demoSnapshot()).graph;
});

const HOSTS = ['xen1', 'xen2', 'xen3', 'xen4'];
const SRS = ['HA heartbeat', 'VM store'];
const lostText = (r: ReturnType<typeof whatIf>) => r.lost.map((l) => [l.what, l.host ?? '', l.name ?? '', l.vlan ?? ''].join(' ').trim());

describe('what if', () => {
  it('sw-a goes: management on xen1–xen4, and the VM networks on xen3 only (its eth2 is down already); no storage', () => {
    const r = whatIf(graph, ['sw-a']);
    expect(r.unknown).toEqual([]);
    expect(lostText(r)).toEqual([
      ...HOSTS.map((h) => `management ${h}`),
      'network xen3 Bond 1+2',
      'network xen3 VM lab (VLAN 101) 101',
      'network xen3 VM prod (VLAN 100) 100',
    ]);
    expect(r.lost[0]?.why).toBe('eth0 ran through switch sw-a');
    expect(r.lost.filter((l) => l.what === 'sr')).toEqual([]);
  });

  it('sw-a goes: the bonds it halves are new findings; xen3, degraded already, is not', () => {
    const r = whatIf(graph, ['sw-a']);
    expect(r.newFindings.map((f) => f.id)).toEqual(['bond.degraded:xen1:bond0', 'bond.degraded:xen2:bond0', 'bond.degraded:xen4:bond0']);
    expect(r.newFindings[0]?.title).toBe("xen1's bond0 has 1 of 2 links up: eth1 has no carrier");
    // Its evidence is the lab after the loss, not the last poll's links_up = 2.
    expect(r.newFindings[0]?.evidence).toEqual(['xen1 Bond bond0: links_up = 1, 2 members', 'xen1:eth1 PIF_metrics carrier = false']);
  });

  it('sw-b goes: both SRs on every host, through their only path', () => {
    const r = whatIf(graph, ['sw-b']);
    const srs = r.lost.filter((l) => l.what === 'sr');
    expect(srs.map((l) => `${l.host}:${l.name}`)).toEqual(SRS.flatMap((sr) => HOSTS.map((h) => `${h}:${sr}`)));
    expect(srs.every((l) => l.why === 'its only path ran through switch sw-b')).toBe(true);
    expect(r.lost.filter((l) => l.what === 'management')).toEqual([]);
    expect(r.newFindings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['bond.degraded:xen1:bond0', 'multipath.paths-down:xen1:VM store', 'multipath.paths-down:xen3:HA heartbeat']),
    );
    // xen4 is not multipathed: the storage manager keeps no path count there to go down.
    expect(r.newFindings.map((f) => f.id)).not.toContain('multipath.paths-down:xen4:VM store');
  });

  it('the portal goes (by address:port or by address): every SR on every host, nothing else', () => {
    for (const target of ['10.10.20.20:3260', '10.10.20.20']) {
      const r = whatIf(graph, [target]);
      expect(r.unknown).toEqual([]);
      expect(lostText(r)).toEqual(SRS.flatMap((sr) => HOSTS.map((h) => `sr ${h} ${sr}`)));
      expect(r.lost[0]?.why).toBe('its only path ran through portal 10.10.20.20:3260');
    }
  });

  it("a host goes: that host, and no finding about the host that is gone", () => {
    const r = whatIf(graph, ['xen2']);
    expect(r.lost).toEqual([{ what: 'host', name: 'xen2', why: 'xen2 itself is removed' }]);
    expect(r.newFindings.filter((f) => f.devices[0] === 'xen2')).toEqual([]);
  });

  it("a NIC goes: xen1 eth3 takes xen1's storage and the storage network with it", () => {
    const r = whatIf(graph, ['xen1:eth3']);
    expect(lostText(r)).toEqual(['sr xen1 HA heartbeat', 'sr xen1 VM store', 'network xen1 iSCSI (VLAN 20)']);
    expect(r.newFindings.map((f) => f.id)).toEqual(['multipath.paths-down:xen1:HA heartbeat', 'multipath.paths-down:xen1:VM store']);
  });

  it('a bond goes: both its members, and the networks on it', () => {
    const r = whatIf(graph, ['xen1:bond0']);
    expect(lostText(r)).toEqual(['network xen1 Bond 1+2', 'network xen1 VM lab (VLAN 101) 101', 'network xen1 VM prod (VLAN 100) 100']);
  });

  it('reports what it does not know in `unknown`, and loses nothing for it', () => {
    const r = whatIf(graph, ['sw-z', 'xen1:eth9', '10.99.0.1:3260']);
    expect(r.unknown).toEqual(['sw-z', 'xen1:eth9', '10.99.0.1:3260']);
    expect(r.lost).toEqual([]);
    expect(r.newFindings).toEqual([]);
  });

  it('leaves the lab it was asked about as it was', () => {
    const before = runAudit(graph).map((f) => `${f.id} ${f.title}`);
    const obs = JSON.stringify(graph.ports.map((p) => p.obs));
    whatIf(graph, ['sw-a', 'sw-b', 'xen1']);
    expect(runAudit(graph).map((f) => `${f.id} ${f.title}`)).toEqual(before);
    expect(JSON.stringify(graph.ports.map((p) => p.obs))).toBe(obs);
    expect(graph.removed).toEqual([]);
  });
});
