/**
 * lag.member-down on the recordings alone (no join needed): the hand-made LACP lag1 (ge1/0/8 defaulted, not
 * collecting, not attached), procurve's Trk1 (A1, A2 up, no LACP data), arubaos-cx's lag53 (both members up)
 * and lag250 (both members administratively down: the owner shut a "Temp link"). A member taken down is
 * DERIVED (withPort).
 */
import { describe, expect, it } from 'vitest';
import { audit, viewFrom, withPort } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

const lagsOf = (name: string, view = viewFrom(name)) => audit(joined({ views: { sw: view } }));

describe('lag.member-down', () => {
  it('flags the hand-made lag1: ge1/0/8 is not LACP collecting, one working member is no redundancy', () => {
    const f = findingOf(lagsOf('handmade-lacp-lag').findings, 'lag.member-down:sw:lag1');
    expect(f).toMatchObject({ severity: 'error', devices: ['sw'], ports: ['sw:lag1', 'sw:ge1/0/8'], title: "sw's LAG lag1: ge1/0/8 not LACP collecting/distributing" });
    expect(f.evidence).toEqual(['sw ge1/0/8: not LACP collecting/distributing (ifOperStatus / dot3adAggPortActorOperState)']);
    expect(f.explanation).toContain('1 of 2 members');
  });

  it("raises nothing for procurve's Trk1 with both members up", () => {
    expect(lagsOf('procurve').of('lag.member-down')).toEqual([]);
  });

  it('flags Trk1 when A2 loses link (DERIVED)', () => {
    const a = lagsOf('procurve', withPort(viewFrom('procurve'), 'A2', (p) => (p.operUp = false)));
    expect(findingOf(a.findings, 'lag.member-down:sw:Trk1')).toMatchObject({ severity: 'error', ports: ['sw:Trk1', 'sw:A2'], title: "sw's LAG Trk1: A2 link down" });
  });

  it("raises nothing for arubaos-cx's lag250, whose members the owner shut (ifAdminStatus down), nor for lag53", () => {
    const a = lagsOf('arubaos-cx');
    expect(a.graph.ports.filter((p) => p.key === 'sw:1/1/1' || p.key === 'sw:1/1/2').map((p) => p.obs?.adminUp)).toEqual([false, false]);
    expect(a.of('lag.member-down')).toEqual([]);
  });

  it('says a member taken out by hand is administratively down, in a LAG that still has others (DERIVED)', () => {
    const view = withPort(viewFrom('handmade-hp-stack-trunks'), '2/1', (p) => Object.assign(p, { adminUp: false, operUp: false }));
    const f = findingOf(lagsOf('handmade-hp-stack-trunks', view).findings, 'lag.member-down:sw:Trk1');
    expect(f).toMatchObject({ severity: 'error', title: "sw's LAG Trk1: 2/1 administratively down" });
  });
});
