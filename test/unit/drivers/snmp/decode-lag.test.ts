/**
 * LAGs: ifStackTable (ifType 161 over its members, but not PAN-OS-style 161 sub-interfaces), IEEE8023-LAG-MIB
 * (aggregator and per-port tables, LACP state bits), and their union — proved on the hand-made LACP fixture
 * (test/fixtures/snmp/handmade-lacp-lag.snmprec, written from the MIB: no public recording has LAG-MIB data).
 */
import { describe, expect, it } from 'vitest';
import { lacpState } from '../../../../src-main/drivers/snmp/decode/lag';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import type { LacpState } from '../../../../src-main/domain/model/switches';
import { loadWalk, parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');
const iface = (ifIndex: number, type: number, name: string) => [
  `1.3.6.1.2.1.2.2.1.3.${ifIndex}|2|${type}`,
  `1.3.6.1.2.1.31.1.1.1.1.${ifIndex}|4|${name}`,
];
const set = (s: LacpState) => Object.entries(s).filter(([, on]) => on).map(([bit]) => bit);

describe('LacpState bits (IEEE8023-LAG-MIB LacpState: BITS, most significant bit first)', () => {
  it('bit 0 is lacpActivity = 0x80 … bit 7 is expired = 0x01', () => {
    expect(set(lacpState(Buffer.from([0x80]))!)).toEqual(['activity']);
    expect(set(lacpState(Buffer.from([0x40]))!)).toEqual(['timeout']);
    expect(set(lacpState(Buffer.from([0x20]))!)).toEqual(['aggregation']);
    expect(set(lacpState(Buffer.from([0x10]))!)).toEqual(['synchronization']);
    expect(set(lacpState(Buffer.from([0x08]))!)).toEqual(['collecting']);
    expect(set(lacpState(Buffer.from([0x04]))!)).toEqual(['distributing']);
    expect(set(lacpState(Buffer.from([0x02]))!)).toEqual(['defaulted']);
    expect(set(lacpState(Buffer.from([0x01]))!)).toEqual(['expired']);
  });

  it('a healthy active member reads 0xBC (long timeout) or 0xFC (fast); the LACPDU byte order (Linux 0x3D) is not this one', () => {
    const healthy = ['activity', 'aggregation', 'synchronization', 'collecting', 'distributing'];
    expect(set(lacpState(Buffer.from([0xbc]))!)).toEqual(healthy);
    expect(set(lacpState(Buffer.from([0xfc]))!)).toEqual(['activity', 'timeout', ...healthy.slice(1)]);
    expect(set(lacpState(Buffer.from([0x3d]))!)).not.toEqual(healthy);
    expect(set(lacpState(Buffer.alloc(0))!)).toEqual([]);
    expect(lacpState(256)).toBeNull();
  });
});

describe('the hand-made 8-port LACP switch', () => {
  const obs = decodeObservation(loadWalk('handmade-lacp-lag'), 'now');
  const [lag] = obs.lags;

  it('has one LAG, lag1 (ifIndex 1000), over ge1/0/7 and ge1/0/8, seen by both the stack and the LAG-MIB', () => {
    expect(obs.lags).toHaveLength(1);
    expect([lag!.ifIndex, lag!.name, lag!.memberIfIndexes, lag!.source]).toEqual([1000, 'lag1', [7, 8], 'both']);
    expect(obs.ports.filter((p) => p.lagIfIndex === 1000).map((p) => p.name)).toEqual(['ge1/0/7', 'ge1/0/8']);
    expect(obs.ports.filter((p) => p.lagIfIndex === null)).toHaveLength(7);
  });

  it('ge1/0/7 is fully in: attached, collecting and distributing, its partner (the NAS) likewise', () => {
    const m = lag!.members.find((x) => x.ifIndex === 7)!;
    expect(m.attached).toBe(true);
    expect(set(m.actor!)).toEqual(['activity', 'aggregation', 'synchronization', 'collecting', 'distributing']);
    expect(set(m.partner!)).toEqual(['activity', 'aggregation', 'synchronization', 'collecting', 'distributing']);
    expect(m.partnerSystem).toBe('00:11:32:aa:bb:cc');
  });

  it('ge1/0/8 is configured in but not working: partner info defaulted, not attached, neither collecting nor distributing', () => {
    const m = lag!.members.find((x) => x.ifIndex === 8)!;
    expect(m.attached).toBe(false);
    expect(set(m.actor!)).toEqual(['activity', 'aggregation', 'defaulted']);
    expect(set(m.partner!)).toEqual([]);
    expect(m.partnerSystem).toBe('');
  });

  it('LACP partner data: the aggregator’s own and partner systems, each member’s keys and the partner’s port', () => {
    expect([lag!.protocol, lag!.actorSystem, lag!.partnerSystem, lag!.sources]).toEqual(['lacp', '02:00:00:00:00:00', '00:11:32:aa:bb:cc', ['ifStack', 'lag-mib']]);
    // ge1/0/7: key 1000 both ends agreed (partner key 9, the NAS's bond), partner port 3; ge1/0/8 defaulted: the
    // partner's key and port are the zeros of "no partner", as the agent reports them.
    expect(lag!.members.map((m) => [m.ifIndex, m.actorKey, m.partnerKey, m.partnerPort])).toEqual([
      [7, 1000, 9, 3],
      [8, 1000, 0, 0],
    ]);
  });

  it('the LAG holds the bridge port (7, not its ifIndex 1000): VLAN 1 untagged, VLAN 10 tagged, PVID 1; its members hold none', () => {
    const port = (ifIndex: number) => obs.ports.find((p) => p.ifIndex === ifIndex)!;
    expect([port(1000).untaggedVlans, port(1000).taggedVlans, port(1000).pvid]).toEqual([[1], [10], 1]);
    expect([port(7).untaggedVlans, port(7).taggedVlans, port(7).pvid]).toEqual([[], [], null]);
    expect(obs.vlans).toEqual([
      { id: 1, name: 'default' },
      { id: 10, name: 'storage' },
    ]);
    expect(obs.fdb).toEqual([{ mac: '00:11:32:aa:bb:cc', vlan: 10, ifIndex: 1000 }]);
  });

  it('reads 64-bit counters past 2^63 and everything else without a gap', () => {
    expect(obs.ports.find((p) => p.ifIndex === 8)!.inOctets).toBe(1n << 63n);
    expect(obs.ports.find((p) => p.ifIndex === 1000)!.inOctets).toBe(9305357566071262703n);
    expect([obs.model, obs.serial]).toEqual(['LW-LACP8', 'HANDMADE0001']);
    expect(obs.gaps).toEqual([]);
  });
});

describe('ifStack LAGs', () => {
  it('PAN-OS: sub-interfaces ae1.10 and ae1.20 are ifType 161 stacked on ae1 (161); only ethernet1/1 and /2 are members', () => {
    const obs = obsFrom(
      ...iface(1, 6, 'ethernet1/1'),
      ...iface(2, 6, 'ethernet1/2'),
      ...iface(3, 6, 'ethernet1/3'),
      ...iface(100, 161, 'ae1'),
      ...iface(101, 161, 'ae1.10'),
      ...iface(102, 161, 'ae1.20'),
      ...iface(200, 161, 'ae2'),
      '1.3.6.1.2.1.31.1.2.1.3.0.101|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.0.102|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.100.1|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.100.2|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.101.100|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.102.100|2|1',
      '1.3.6.1.2.1.31.1.2.1.3.200.0|2|1',
    );
    expect(obs.lags.map((l) => [l.name, l.memberIfIndexes])).toEqual([['ae1', [1, 2]]]);
    expect(obs.ports.filter((p) => p.lagIfIndex !== null).map((p) => p.name)).toEqual(['ethernet1/1', 'ethernet1/2']);
  });

  it('only active stack rows count, and a 161 with no member (an empty port-channel) is no LAG', () => {
    const obs = obsFrom(...iface(1, 6, 'Gi1'), ...iface(2, 6, 'Gi2'), ...iface(50, 161, 'Po1'), '1.3.6.1.2.1.31.1.2.1.3.50.1|2|2', '1.3.6.1.2.1.31.1.2.1.3.50.2|2|1');
    expect(obs.lags.map((l) => [l.name, l.memberIfIndexes])).toEqual([['Po1', [2]]]);
  });

  it('a VLAN interface stacked on a LAG (procurve 1250.962) is no member of it', () => {
    const obs = obsFrom(...iface(55, 6, 'A1'), ...iface(962, 161, 'Trk1'), ...iface(1250, 53, 'VLAN10'), '1.3.6.1.2.1.31.1.2.1.3.962.55|2|1', '1.3.6.1.2.1.31.1.2.1.3.1250.962|2|1');
    expect(obs.lags.map((l) => [l.name, l.memberIfIndexes])).toEqual([['Trk1', [55]]]);
  });
});

describe('LAG-MIB without ifStack', () => {
  it('an agent listing an aggregator per port: only one other ports select or attach to is a LAG, and its own port is a member', () => {
    const rows = (col: number, values: [number, number][]) => values.map(([i, v]) => `1.2.840.10006.300.43.1.2.1.1.${col}.${i}|2|${v}`);
    const obs = obsFrom(
      ...[1, 2, 3, 4].flatMap((i) => iface(i, 6, `port${i}`)),
      ...[1, 2, 3, 4].map((i) => `1.2.840.10006.300.43.1.1.1.1.7.${i}|2|${i}`),
      ...rows(12, [[1, 1], [2, 1], [3, 3], [4, 4]]),
      ...rows(13, [[1, 1], [2, 1], [3, 3], [4, 0]]),
    );
    expect(obs.lags.map((l) => [l.ifIndex, l.name, l.memberIfIndexes, l.source, l.members.map((m) => m.attached)])).toEqual([
      [1, 'port1', [1, 2], 'lag-mib', [true, true]],
    ]);
    // No actor state, no system IDs: nothing says how it negotiates, nor with whom.
    expect(obs.lags.map((l) => [l.protocol, l.actorSystem, l.partnerSystem, l.members.map((m) => m.actorKey)])).toEqual([[null, '', '', [null, null]]]);
    expect(obs.gaps).toEqual([]);
  });
});
