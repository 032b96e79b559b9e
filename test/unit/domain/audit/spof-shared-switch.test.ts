/**
 * spof.shared-switch on real data: cowley1.xml's bond0 (chester eth3 + eth4) and state4.xml's multipathed
 * iSCSI SR ([2, 2] over portals 10.80.237.36 and 10.80.238.198) cabled to the real recordings: procurve (one
 * chassis in ENTITY-MIB), dlink_dgs-3627g, and the hand-made two-member HP stack whose ports carry their
 * ENTITY-MIB member. Cables, addresses on state4's spare eth1 and stack names are DERIVED (declared here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, poolFrom, viewFrom, withHost } from '../graph/lab-fixtures';
import { device, findingOf, joined, withView } from './joined-labs';

let cowley: PoolObservation;
let state4: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
  state4 = await poolFrom('state4.xml');
});

const RULE = 'spof.shared-switch';
const bondLab = (views: Parameters<typeof joined>[0]['views'], a: string, b: string, devices: Parameters<typeof joined>[0]['devices'] = []) =>
  audit(joined({ pool: { name: 'grimsby-pool', observation: cowley }, views, devices, cables: [['chester:eth3', a], ['chester:eth4', b]] }));

describe('spof.shared-switch, a bond (DERIVED cables from cowley1)', () => {
  it('with both members on procurve is flagged', () => {
    const a = bondLab({ procurve: viewFrom('procurve') }, 'procurve:3', 'procurve:4');
    const f = findingOf(a.findings, `${RULE}:chester:bond0`);
    expect(f).toMatchObject({
      severity: 'warning',
      devices: ['chester', 'procurve'],
      ports: ['chester:eth3', 'chester:eth4', 'procurve:3', 'procurve:4'],
      title: "chester's bond0 has every member on switch procurve",
    });
    expect(f.evidence).toEqual(['chester:eth3 ↔ procurve:3 (cable)', 'chester:eth4 ↔ procurve:4 (cable)']);
    expect(f.explanation).toContain('Move one member to another switch');
  });

  it('split across procurve and the DGS-3627G raises nothing', () => {
    const a = bondLab({ procurve: viewFrom('procurve'), dgs: viewFrom('dlink_dgs-3627g') }, 'procurve:3', 'dgs:1/1');
    expect(a.of(RULE)).toEqual([]);
  });

  it('across two ENTITY-MIB members of one stack (1/3 on member 1001, 2/3 on member 2001) raises nothing', () => {
    const a = bondLab({ hp: viewFrom('handmade-hp-stack-trunks') }, 'hp:1/3', 'hp:2/3');
    expect(a.of(RULE)).toEqual([]);
  });

  it('on two ports of one stack member (1/3 and 1/4, both member 1001) is flagged, naming the member', () => {
    const a = bondLab({ hp: viewFrom('handmade-hp-stack-trunks') }, 'hp:1/3', 'hp:1/4');
    expect(findingOf(a.findings, `${RULE}:chester:bond0`)).toMatchObject({ devices: ['chester', 'hp'], title: "chester's bond0 has every member on hp stack member 1001" });
  });

  it('on a stack whose agent does not say which member a port is on gets the benefit of the doubt', () => {
    // DERIVED: the same stack with the ports' ENTITY-MIB member mapping gone.
    const view = withView(viewFrom('handmade-hp-stack-trunks'), (v) => v.ports.forEach((p) => (p.stackMember = null)));
    const a = bondLab({ hp: view }, 'hp:1/3', 'hp:1/4');
    expect(a.of(RULE)).toEqual([]);
  });

  it('across two switches the inventory puts in one stack raises nothing (stack members fail apart)', () => {
    const a = bondLab({ procurve: viewFrom('procurve'), dgs: viewFrom('dlink_dgs-3627g') }, 'procurve:3', 'dgs:1/1', [
      device('procurve', 'switch', { stack: 'core' }),
      device('dgs', 'switch', { stack: 'core' }),
    ]);
    expect(a.of(RULE)).toEqual([]);
  });

  it('with one member whose cable is unknown says nothing', () => {
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: cowley }, views: { procurve: viewFrom('procurve') }, cables: [['chester:eth3', 'procurve:3']] }));
    expect(a.of(RULE)).toEqual([]);
  });
});

describe("spof.shared-switch, an SR's multipath paths (state4, DERIVED second storage address and cables)", () => {
  /** DERIVED: incubus's spare eth1 gets an address on the second portal's subnet; the cables are declared. */
  const multipathed = () => withHost(state4, 'incubus', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '10.80.238.50', netmask: '255.255.255.0', disallowUnplug: true }));
  const srId = `${RULE}:incubus:sr:iSCSI virtual disk storage`;

  it('with both storage NICs on procurve is flagged', () => {
    const a = audit(joined({ pool: { name: 'hottub', observation: multipathed() }, views: { procurve: viewFrom('procurve') }, cables: [['incubus:eth0', 'procurve:31'], ['incubus:eth1', 'procurve:33']] }));
    expect(a.graph.paths.filter((p) => p.host === 'incubus' && p.sr === 'iSCSI virtual disk storage').map((p) => `${p.interface}→${p.portal}`)).toEqual([
      'eth0→10.80.237.36:3260',
      'eth0→10.80.238.198:3260',
      'eth1→10.80.238.198:3260',
    ]);
    const f = findingOf(a.findings, srId);
    expect(f).toMatchObject({ severity: 'warning', devices: ['incubus', 'procurve'], ports: ['incubus:eth0', 'incubus:eth1'], title: 'every path from incubus to iSCSI virtual disk storage crosses switch procurve' });
    expect(f.evidence).toContain('path eth1 → 10.80.238.198:3260 crosses switch:procurve');
  });

  it('with the second storage NIC on the DGS-3627G raises nothing for that SR', () => {
    const a = audit(joined({
      pool: { name: 'hottub', observation: multipathed() },
      views: { procurve: viewFrom('procurve'), dgs: viewFrom('dlink_dgs-3627g') },
      cables: [['incubus:eth0', 'procurve:31'], ['incubus:eth1', 'dgs:1/1']],
    }));
    expect(a.ids).not.toContain(srId);
    expect(a.ids).not.toContain('spof.storage-single-path:incubus:iSCSI virtual disk storage');
  });
});
