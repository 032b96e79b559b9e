/**
 * bond.switch-lag-mismatch on real data: cowley1.xml's bond0 (eth3 + eth4 on chester, a XenServer 5.6 bond
 * with no mode, i.e. balance-slb) cabled into the LAGs the real recordings report: procurve's Trk1 (A1, A2,
 * from ifStackTable, no LACP data), arubaos-cx's lag250 and lag53, the hand-made LACP lag1 (IEEE8023-LAG-MIB)
 * and the hand-made HP stack's LACP Trk1 and static Trk2. The cables are DERIVED (declared below: the dump and
 * the recordings were never one lab), and so is every bond mode other than the dump's own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, poolFrom, viewFrom, withHost } from '../graph/lab-fixtures';
import { device, findingOf, joined, withView } from './joined-labs';

let cowley: PoolObservation;
/** DERIVED: chester's bond0 switched to LACP (the dump's XenServer 5.6 had no modes). */
let lacp: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
  lacp = withHost(cowley, 'chester', (h) => (h.bonds[0]!.mode = 'lacp'));
});

const RULE = 'bond.switch-lag-mismatch';
const ID = `${RULE}:chester:bond0`;
const pool = (observation: PoolObservation) => ({ name: 'grimsby-pool', observation });
const ofRule = (a: ReturnType<typeof audit>) => a.of(RULE).map((f) => f.id);

describe('bond.switch-lag-mismatch, an LACP bond (DERIVED cables from cowley1 to the recordings)', () => {
  it('onto two stand-alone procurve ports (3 and 4): the ports are not a LAG', () => {
    const a = audit(joined({ pool: pool(lacp), views: { procurve: viewFrom('procurve') }, cables: [['chester:eth3', 'procurve:3'], ['chester:eth4', 'procurve:4']] }));
    const f = findingOf(a.findings, ID);
    expect(f).toMatchObject({
      rule: RULE,
      severity: 'error',
      devices: ['chester', 'procurve'],
      ports: ['chester:eth3', 'chester:eth4', 'procurve:3', 'procurve:4'],
      title: "chester's LACP bond0 lands on procurve port 3 and procurve port 4, which are not in a LAG",
    });
    expect(f.evidence).toEqual(['chester Bond bond0: mode = lacp', 'procurve ifStackTable/LAG-MIB: 3 stands alone', 'procurve ifStackTable/LAG-MIB: 4 stands alone']);
    expect(f.explanation).toContain('Make those ports one LACP LAG');
  });

  it("onto procurve's one LAG Trk1 (A1, A2 in ifStackTable) raises nothing", () => {
    const a = audit(joined({ pool: pool(lacp), views: { procurve: viewFrom('procurve') }, cables: [['chester:eth3', 'procurve:A1'], ['chester:eth4', 'procurve:A2']] }));
    expect(a.graph.lags.find((l) => l.key === 'procurve:Trk1')).toMatchObject({ members: ['procurve:A1', 'procurve:A2'], protocol: null, observed: true });
    expect(ofRule(a)).toEqual([]);
  });

  it('onto one Trk1 member and one stand-alone port: not all in a LAG', () => {
    const a = audit(joined({ pool: pool(lacp), views: { procurve: viewFrom('procurve') }, cables: [['chester:eth3', 'procurve:A1'], ['chester:eth4', 'procurve:3']] }));
    expect(findingOf(a.findings, ID).title).toBe("chester's LACP bond0 lands on procurve A1 and procurve port 3, which are not all in a LAG");
    expect(findingOf(a.findings, ID).evidence).toContain('procurve: A1 is in Trk1');
  });

  it("onto two LAGs (arubaos-cx's lag250 over 1/1/1 and lag53 over 1/1/53)", () => {
    const a = audit(joined({ pool: pool(lacp), views: { aruba: viewFrom('arubaos-cx') }, cables: [['chester:eth3', 'aruba:1/1/1'], ['chester:eth4', 'aruba:1/1/53']] }));
    const f = findingOf(a.findings, ID);
    expect(f).toMatchObject({ severity: 'error', devices: ['chester', 'aruba'], ports: ['chester:eth3', 'chester:eth4', 'aruba:1/1/1', 'aruba:1/1/53'] });
    expect(f.title).toBe("chester's LACP bond0 lands on aruba 1/1/1 and aruba 1/1/53, which are in 2 different LAGs");
    expect(f.evidence).toEqual(['chester Bond bond0: mode = lacp', 'aruba: 1/1/1 is in lag250', 'aruba: 1/1/53 is in lag53']);
  });

  it('onto a static HP trunk (the hand-made stack\'s Trk2, hpSwitchPortTrunkGroup): not LACP', () => {
    const a = audit(joined({ pool: pool(lacp), views: { hp: viewFrom('handmade-hp-stack-trunks') }, cables: [['chester:eth3', 'hp:1/2'], ['chester:eth4', 'hp:2/2']] }));
    const f = findingOf(a.findings, ID);
    expect(f.title).toBe("chester's LACP bond0 lands on hp 1/2 and hp 2/2, which are a static LAG (Trk2), not LACP");
    expect(f.evidence).toEqual(['chester Bond bond0: mode = lacp', 'hp: 1/2 is in Trk2 (static)', 'hp: 2/2 is in Trk2 (static)']);
  });

  it('onto one LACP LAG spanning two ENTITY-MIB stack members (the hand-made stack\'s Trk1 over 1/1 and 2/1) raises nothing', () => {
    const a = audit(joined({ pool: pool(lacp), views: { hp: viewFrom('handmade-hp-stack-trunks') }, cables: [['chester:eth3', 'hp:1/1'], ['chester:eth4', 'hp:2/1']] }));
    expect(ofRule(a)).toEqual([]);
    expect(a.of('spof.shared-switch')).toEqual([]);
  });

  it('across two switches the inventory marks as one stack (procurve Trk1 and the HP stack Trk1) raises nothing; without the stack it is two LAGs', () => {
    const views = { 'sw-x': viewFrom('procurve'), 'sw-y': viewFrom('handmade-hp-stack-trunks') };
    const cables = [['chester:eth3', 'sw-x:A1'], ['chester:eth4', 'sw-y:1/1']];
    // DERIVED: the inventory says the two are one stack named "core".
    const stacked = audit(joined({ pool: pool(lacp), views, cables, devices: [device('sw-x', 'switch', { stack: 'core' }), device('sw-y', 'switch', { stack: 'core' })] }));
    expect(stacked.graph.devices.filter((d) => d.stack === 'core').map((d) => d.name)).toEqual(['sw-x', 'sw-y']);
    expect(ofRule(stacked)).toEqual([]);
    // Two stack members still fail apart: the bond survives either.
    expect(stacked.of('spof.shared-switch')).toEqual([]);

    const apart = audit(joined({ pool: pool(lacp), views, cables }));
    expect(findingOf(apart.findings, ID)).toMatchObject({ title: "chester's LACP bond0 lands on sw-x A1 and sw-y 1/1, which are in 2 different LAGs", devices: ['chester', 'sw-x', 'sw-y'] });
  });

  it('onto a LAG whose members have two different LACP partners', () => {
    // DERIVED: lag1's second member reports a partner too, another system than the first's.
    const view = withView(viewFrom('handmade-lacp-lag'), (v) => (v.lags[0]!.members[1]!.partnerSystem = '00:11:32:aa:bb:ce'));
    const a = audit(joined({ pool: pool(lacp), views: { 'sw-lacp': view }, cables: [['chester:eth3', 'sw-lacp:ge1/0/7'], ['chester:eth4', 'sw-lacp:ge1/0/8']] }));
    expect(findingOf(a.findings, ID).title).toBe("chester's LACP bond0 lands on sw-lacp ge1/0/7 and sw-lacp ge1/0/8, whose LAG has partners other than this bond");
  });

  it("onto a LAG whose one LACP partner is another known device (lag1's partner is nas01's MAC): the cables are crossed", () => {
    // DERIVED: the inventory declares nas01 with the MAC lag1's members report as their LACP partner.
    const nas = device('nas01', 'nas', { ports: [{ name: 'bond0', role: 'storage', aggregate: '', mac: '00:11:32:aa:bb:cc', untaggedVlan: null, taggedVlans: [], notes: '' }] });
    const cables: [string, string][] = [['chester:eth3', 'sw-lacp:ge1/0/7'], ['chester:eth4', 'sw-lacp:ge1/0/8']];
    const a = audit(joined({ pool: pool(lacp), views: { 'sw-lacp': viewFrom('handmade-lacp-lag') }, devices: [nas], cables }));
    expect(findingOf(a.findings, ID).title).toBe("chester's LACP bond0 lands on sw-lacp ge1/0/7 and sw-lacp ge1/0/8, whose LACP partner is nas01, not chester");
    // Without nas01 in the lab the partner is nobody Labwarden knows: nothing to say against the cables.
    expect(ofRule(audit(joined({ pool: pool(lacp), views: { 'sw-lacp': viewFrom('handmade-lacp-lag') }, cables })))).toEqual([]);
  });

  it('with a member whose cable nobody knows says nothing (it cannot tell)', () => {
    const a = audit(joined({ pool: pool(lacp), views: { procurve: viewFrom('procurve') }, cables: [['chester:eth3', 'procurve:3']] }));
    expect(ofRule(a)).toEqual([]);
  });
});

describe('bond.switch-lag-mismatch, a bond that sends no LACP (DERIVED cables)', () => {
  it("cowley1's own balance-slb bond (no mode before XenServer 6.0) into the hand-made LACP lag1", () => {
    const a = audit(joined({ pool: pool(cowley), views: { 'sw-lacp': viewFrom('handmade-lacp-lag') }, cables: [['chester:eth3', 'sw-lacp:ge1/0/7'], ['chester:eth4', 'sw-lacp:ge1/0/8']] }));
    const f = findingOf(a.findings, ID);
    expect(f).toMatchObject({
      severity: 'error',
      devices: ['chester', 'sw-lacp'],
      ports: ['chester:eth3', 'chester:eth4', 'sw-lacp:ge1/0/7', 'sw-lacp:ge1/0/8'],
      title: "chester's balance-slb bond0 lands on sw-lacp's LACP LAG lag1",
    });
    expect(f.evidence).toEqual([
      'chester Bond bond0: mode = (none: before XenServer 6.0, balance-slb)',
      'sw-lacp: ge1/0/7 is in lag1 (lacp)',
      'sw-lacp: ge1/0/8 is in lag1 (lacp)',
    ]);
  });

  it('an active-backup bond into the LACP Trk1 of the hand-made stack is flagged the same way', () => {
    const ab = withHost(cowley, 'chester', (h) => (h.bonds[0]!.mode = 'active-backup'));
    const a = audit(joined({ pool: pool(ab), views: { hp: viewFrom('handmade-hp-stack-trunks') }, cables: [['chester:eth3', 'hp:1/1'], ['chester:eth4', 'hp:2/1']] }));
    expect(findingOf(a.findings, ID).title).toBe("chester's active-backup bond0 lands on hp's LACP LAG Trk1");
  });

  it('balance-slb into a LAG that says nothing of LACP (procurve Trk1), or a static trunk (Trk2), or plain ports, raises nothing', () => {
    for (const [view, ports] of [
      ['procurve', ['A1', 'A2']],
      ['handmade-hp-stack-trunks', ['1/2', '2/2']],
      ['procurve', ['3', '4']],
    ] as const) {
      const a = audit(joined({ pool: pool(cowley), views: { sw: viewFrom(view) }, cables: [['chester:eth3', `sw:${ports[0]}`], ['chester:eth4', `sw:${ports[1]}`]] }));
      expect(ofRule(a)).toEqual([]);
    }
  });
});
