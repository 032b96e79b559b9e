/**
 * The switch's own identity, for matching what its neighbours report of it: BRIDGE-MIB dot1dBaseBridgeAddress,
 * the LLDP local chassis ID (v1 and v2), each port's LLDP local port ID; and ENTITY-MIB stack members with the
 * member each port sits on. Real recordings where they have the table (bridge address: both D-Links and the
 * TP-Link; local port IDs: procurve, arubaos-cx, D-Links, EdgeSwitch; ENTITY: procurve, arubaos-cx), hand-made
 * walks where none has it (local chassis ID, a stack of two).
 */
import { describe, expect, it } from 'vitest';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { loadWalk, parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');
const load = (name: string) => decodeObservation(loadWalk(name), 'now');
const ENT = '1.3.6.1.2.1.47.1.1.1.1';
const ALIAS = '1.3.6.1.2.1.47.1.3.2.1.2';

describe('dot1dBaseBridgeAddress', () => {
  it('real recordings: colon hex of the 6 octets; absent → empty', () => {
    expect(['dlink_dgs-1510-28', 'dlink_dgs-3627g', 'tplink_sg2008', 'procurve'].map((n) => load(n).bridgeAddress)).toEqual([
      '10:62:eb:d1:a6:c0',
      '00:1e:58:5c:09:00',
      '18:a6:f7:56:20:3f',
      '',
    ]);
  });

  it('all zero is unknown; a value that is no 6-octet MAC is a gap', () => {
    expect(obsFrom('1.3.6.1.2.1.17.1.1.0|4x|000000000000').bridgeAddress).toBe('');
    const bad = obsFrom('1.3.6.1.2.1.17.1.1.0|4x|0102');
    expect([bad.bridgeAddress, bad.gaps]).toEqual(['', ['dot1dBaseBridgeAddress: 1 value skipped (not a 6-octet MAC address), first at .0']]);
  });
});

describe('LLDP local chassis ID', () => {
  it('v1 (hand-made HP stack) and v2 (hand-made LACP switch), MAC subtype as colon hex', () => {
    expect(load('handmade-hp-stack-trunks').localChassisId).toBe('02:00:00:00:20:00');
    expect(load('handmade-lacp-lag').localChassisId).toBe('02:00:00:00:00:00');
  });

  it('decoded by its subtype like a neighbour’s: a network address, a name; v1 wins over v2; none is empty', () => {
    expect(obsFrom('1.0.8802.1.1.2.1.3.1.0|2|5', '1.0.8802.1.1.2.1.3.2.0|4x|01c0000201').localChassisId).toBe('192.0.2.1');
    expect(obsFrom('1.0.8802.1.1.2.1.3.1.0|2|7', '1.0.8802.1.1.2.1.3.2.0|4|sw-core', '1.3.111.2.802.1.1.13.1.3.2.0|4|other').localChassisId).toBe('sw-core');
    expect(load('procurve').localChassisId).toBe('');
  });
});

describe('LLDP local port ID per port', () => {
  it('procurve: every numbered port sends its number; A1/A2 (bridge ports 55/56) send "55"/"56"', () => {
    const obs = load('procurve');
    const id = (name: string) => obs.ports.find((p) => p.name === name)!.lldpPortId;
    expect([id('1'), id('41'), id('A1'), id('A2'), id('Trk1')]).toEqual(['1', '41', '55', '56', undefined]);
  });

  it('arubaos-cx names ports like its ifNames; dlink_dgs-3627g sends the chassis MAC for every port (not unique, as the model says)', () => {
    const aruba = load('arubaos-cx');
    expect(aruba.ports.filter((p) => p.lldpPortId !== undefined).every((p) => p.lldpPortId === p.name)).toBe(true);
    const dlink = load('dlink_dgs-3627g');
    expect(new Set(dlink.ports.flatMap((p) => (p.lldpPortId === undefined ? [] : [p.lldpPortId])))).toEqual(new Set(['00:1e:58:5c:09:ff']));
  });

  it('a neighbour’s remotePortId matches the port it names: the HP stack’s ports, and the v2 table (ifIndex-indexed)', () => {
    const hp = load('handmade-hp-stack-trunks');
    expect(hp.ports.filter((p) => p.type === 6).map((p) => p.lldpPortId)).toEqual(['1/1', '1/2', '1/3', '1/4', '2/1', '2/2', '2/3', '2/4']);
    const v2 = load('handmade-lacp-lag');
    expect(v2.ports.find((p) => p.ifIndex === 7)!.lldpPortId).toBe('ge1/0/7');
  });
});

describe('stack members (ENTITY-MIB)', () => {
  it('procurve ("HP Stack" in sysDescr) reports one chassis: its 52 front ports map to it through containment', () => {
    const obs = load('procurve');
    expect(obs.stackMembers).toEqual([{ index: 1001, name: 'Chassis', model: 'JL074A', serial: '<private>', position: null }]);
    expect(obs.ports.filter((p) => p.stackMember === 1001)).toHaveLength(52);
    // Trk1 and the VLAN interfaces have no physical entity.
    expect(obs.ports.find((p) => p.name === 'Trk1')!.stackMember).toBeNull();
  });

  it('hand-made 2-member stack: chassis under a stack(11) row, member numbers from entPhysicalParentRelPos, ports through their modules', () => {
    const obs = load('handmade-hp-stack-trunks');
    expect(obs.stackMembers).toEqual([
      { index: 1001, name: 'Switch 1', model: 'J9727A', serial: 'HANDMADE-M1', position: 1 },
      { index: 2001, name: 'Switch 2', model: 'J9727A', serial: 'HANDMADE-M2', position: 2 },
    ]);
    expect(obs.ports.map((p) => [p.name, p.stackMember])).toEqual([
      ['1/1', 1001], ['1/2', 1001], ['1/3', 1001], ['1/4', 1001], ['2/1', 2001], ['2/2', 2001], ['2/3', 2001], ['2/4', 2001],
      ['Trk1', null], ['Trk2', null], ['DEFAULT_VLAN', null],
    ]);
    // Trk1 spans both members: what the audit of single points of failure needs to know.
    const trk1 = obs.lags.find((l) => l.name === 'Trk1')!;
    expect(trk1.memberIfIndexes.map((i) => obs.ports.find((p) => p.ifIndex === i)!.stackMember)).toEqual([1001, 2001]);
    expect([obs.model, obs.serial]).toEqual(['J9727A', 'HANDMADE-M1']);
  });

  it('a containment loop or a port outside any chassis gives null; an alias to something other than ifTable is ignored', () => {
    const obs = obsFrom(
      '1.3.6.1.2.1.2.2.1.3.1|2|6', '1.3.6.1.2.1.2.2.1.3.2|2|6', '1.3.6.1.2.1.2.2.1.3.3|2|6',
      `${ENT}.4.1|2|0`, `${ENT}.5.1|2|3`,
      `${ENT}.4.10|2|11`, `${ENT}.5.10|2|10`, `${ENT}.4.11|2|10`, `${ENT}.5.11|2|9`, // 10 ⊂ 11 ⊂ 10
      `${ENT}.4.20|2|0`, `${ENT}.5.20|2|10`, // a port in nothing
      `${ENT}.4.30|2|1`, `${ENT}.5.30|2|10`,
      `${ALIAS}.10.0|6|1.3.6.1.2.1.2.2.1.1.1`, `${ALIAS}.20.0|6|1.3.6.1.2.1.2.2.1.1.2`, `${ALIAS}.30.0|6|1.3.6.1.4.1.9.9.1`, `${ALIAS}.30.1|6|1.3.6.1.2.1.2.2.1.1.3`,
    );
    expect(obs.ports.map((p) => [p.ifIndex, p.stackMember])).toEqual([[1, null], [2, null], [3, 1]]);
    expect(obs.stackMembers.map((m) => m.index)).toEqual([1]);
    expect(obs.gaps).toEqual([]);
  });

  it('no entPhysicalClass (netgear_3) or no ENTITY-MIB at all (tplink_sg2008): no stack members, model from the lowest row as before', () => {
    const netgear = load('netgear_3');
    expect([netgear.stackMembers, load('tplink_sg2008').stackMembers]).toEqual([[], []]);
  });
});
