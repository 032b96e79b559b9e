/**
 * LAGs however switches report them: ifType 54 propMultiplexor trunks over ordinary ports (HP ProCurve),
 * HP CONFIG-MIB hpSwitchPortTrunkGroup/Type, CISCO-PAGP-MIB pagpGroupIfIndex; the table each LAG came from
 * (SnmpLag.source, sources) and how it negotiates (protocol). No public recording has the vendor tables, so
 * they are proved on the hand-made handmade-hp-stack-trunks.snmprec and handmade-cisco-etherchannel.snmprec;
 * the real procurve recording (Trk1 typed 161) and the hand-made LACP switch show the standard tables' side.
 */
import { describe, expect, it } from 'vitest';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { loadWalk, parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');
const iface = (ifIndex: number, type: number, name: string) => [`1.3.6.1.2.1.2.2.1.3.${ifIndex}|2|${type}`, `1.3.6.1.2.1.31.1.1.1.1.${ifIndex}|4|${name}`];
const stack = (higher: number, lower: number) => `1.3.6.1.2.1.31.1.2.1.3.${higher}.${lower}|2|1`;
const HP = '1.3.6.1.4.1.11.2.14.11.5.1.7.1.3.1.1';
const PAGP = '1.3.6.1.4.1.9.9.98.1.1.1.1';
const summary = (obs: ReturnType<typeof obsFrom>) => obs.lags.map((l) => ({ name: l.name, members: l.memberIfIndexes, source: l.source, sources: l.sources, protocol: l.protocol }));

describe('ifStack: propMultiplexor (54) trunks as well as ieee8023adLag (161)', () => {
  it('a 54 over ordinary ports is a LAG, as Netdisco reads it; a VLAN interface over it or under it is no member', () => {
    const obs = obsFrom(...iface(1, 6, 'A1'), ...iface(2, 6, 'A2'), ...iface(289, 54, 'Trk1'), ...iface(1001, 53, 'VLAN1'), stack(289, 1), stack(289, 2), stack(1001, 289), stack(289, 1001));
    expect(summary(obs)).toEqual([{ name: 'Trk1', members: [1, 2], source: 'ifStack', sources: ['ifStack'], protocol: null }]);
  });

  it('a 54 over a 161 (or another 54) is no LAG of that interface', () => {
    const obs = obsFrom(...iface(1, 6, 'p1'), ...iface(50, 161, 'lag'), ...iface(60, 54, 'mux'), stack(50, 1), stack(60, 50));
    expect(summary(obs).map((l) => [l.name, l.members])).toEqual([['lag', [1]]]);
  });

  it('the real procurve Trk1 (161) is still the one LAG, from the stack alone, protocol unknown', () => {
    const obs = decodeObservation(loadWalk('procurve'), 'now');
    expect(summary(obs)).toEqual([{ name: 'Trk1', members: [55, 56], source: 'ifStack', sources: ['ifStack'], protocol: null }]);
  });
});

describe('HP CONFIG-MIB trunks (hand-made 2-member stack)', () => {
  const obs = decodeObservation(loadWalk('handmade-hp-stack-trunks'), 'now');

  it('Trk1 (ifType 54, in ifStack too) is LACP across both members; Trk2 (161, only in the HP table) is a static trunk', () => {
    expect(summary(obs)).toEqual([
      { name: 'Trk1', members: [1, 53], source: 'ifStack', sources: ['ifStack', 'vendor:hp-trunk'], protocol: 'lacp' },
      { name: 'Trk2', members: [2, 54], source: 'vendor:hp-trunk', sources: ['vendor:hp-trunk'], protocol: 'static' },
    ]);
    expect(obs.ports.filter((p) => p.lagIfIndex !== null).map((p) => [p.name, p.lagIfIndex])).toEqual([
      ['1/1', 289],
      ['1/2', 290],
      ['2/1', 289],
      ['2/2', 290],
    ]);
    expect(obs.gaps).toEqual([]);
  });

  it('the trunk number N resolves to the interface named TrkN, not to ifIndex N', () => {
    // Trunk 1 and 2 would be the ports 1/1 and 1/2 taken as ifIndexes.
    expect(obs.lags.map((l) => l.ifIndex)).toEqual([289, 290]);
  });

  it('a number naming no Trk interface (nor an aggregate-typed ifIndex) is skipped and counted; 0 and the Trk row itself are no membership', () => {
    const o = obsFrom(...iface(1, 6, '1'), ...iface(2, 6, '2'), ...iface(3, 6, '3'), ...iface(300, 161, 'Trk1'), `${HP}.8.1|2|1`, `${HP}.8.2|2|7`, `${HP}.8.3|2|0`, `${HP}.8.300|2|1`, `${HP}.13.1|2|3`);
    expect(summary(o)).toEqual([{ name: 'Trk1', members: [1], source: 'vendor:hp-trunk', sources: ['vendor:hp-trunk'], protocol: 'static' }]);
    expect(o.gaps).toEqual(['hpSwitchPortTrunkGroup: 1 value skipped (trunk number names no Trk interface), first at .2']);
  });

  it('trunk types: lacpTrk and dtLacpTrk are LACP, trunk/saTrunk/dtTrunk static, fecAuto PAgP; members that disagree or say none give null', () => {
    const lag = (types: number[]) => {
      const lines = [...iface(500, 54, 'Trk1'), ...types.flatMap((t, i) => [...iface(i + 1, 6, `p${i + 1}`), `${HP}.8.${i + 1}|2|1`, `${HP}.13.${i + 1}|2|${t}`])];
      return obsFrom(...lines).lags[0]!.protocol;
    };
    expect([lag([4, 4]), lag([6, 6]), lag([1, 1]), lag([3]), lag([7, 7]), lag([2, 2]), lag([5, 5]), lag([4, 1]), lag([99])]).toEqual([
      'lacp', 'lacp', 'static', 'static', 'static', 'pagp', null, null, null,
    ]);
  });
});

describe('CISCO-PAGP-MIB EtherChannels (hand-made Catalyst-style switch)', () => {
  const obs = decodeObservation(loadWalk('handmade-cisco-etherchannel'), 'now');

  it('Po1 (pagpOn) is PAgP, Po2 (manual, "mode on") static; a port aggregated to itself, or to 0, is in no channel', () => {
    expect(summary(obs)).toEqual([
      { name: 'Po1', members: [10101, 10102], source: 'vendor:cisco-pagp', sources: ['vendor:cisco-pagp'], protocol: 'pagp' },
      { name: 'Po2', members: [10103, 10104], source: 'vendor:cisco-pagp', sources: ['vendor:cisco-pagp'], protocol: 'static' },
    ]);
    expect(obs.ports.find((p) => p.ifIndex === 10105)!.lagIfIndex).toBeNull();
    expect(obs.ports.find((p) => p.ifIndex === 10106)!.lagIfIndex).toBeNull();
    expect(obs.gaps).toEqual([]);
  });

  it('LACP evidence in LAG-MIB outranks PAgP saying nothing (off) or a vendor table saying static', () => {
    const o = obsFrom(
      ...iface(1, 6, 'Gi1'), ...iface(2, 6, 'Gi2'), ...iface(5001, 53, 'Po1'),
      `${PAGP}.1.1|2|1`, `${PAGP}.1.2|2|2`, `${PAGP}.8.1|2|5001`, `${PAGP}.8.2|2|5001`,
      '1.2.840.10006.300.43.1.2.1.1.12.1|2|5001', '1.2.840.10006.300.43.1.2.1.1.21.1|4x|bc',
    );
    expect(summary(o)).toEqual([{ name: 'Po1', members: [1, 2], source: 'lag-mib', sources: ['lag-mib', 'vendor:cisco-pagp'], protocol: 'lacp' }]);
  });

  it('an all-zero LAG-MIB actor state (a static trunk) says nothing of the protocol', () => {
    const o = obsFrom(...iface(1, 6, 'p1'), ...iface(2, 6, 'p2'), '1.2.840.10006.300.43.1.2.1.1.12.1|2|2', '1.2.840.10006.300.43.1.2.1.1.21.1|4x|00');
    expect(summary(o)).toEqual([{ name: 'p2', members: [1], source: 'lag-mib', sources: ['lag-mib'], protocol: null }]);
  });
});
