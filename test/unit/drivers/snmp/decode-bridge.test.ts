/** PortLists, bridge ports and Q-BRIDGE VLAN membership: the bit order, the mapping, and the traps. */
import { describe, expect, it } from 'vitest';
import { portListBits, portListIfIndexes, decodeBridgePorts } from '../../../../src-main/drivers/snmp/decode/bridge';
import { decodeQBridge } from '../../../../src-main/drivers/snmp/decode/qbridge';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { Gaps } from '../../../../src-main/drivers/snmp/decode/values';
import { parseSnmprec, walkOf, loadWalk } from './snmprec';

const walkFrom = (...lines: string[]) => walkOf(parseSnmprec(lines.join('\n')));
const obsFrom = (...lines: string[]) => decodeObservation(walkFrom(...lines), 'now');

describe('PortList bits', () => {
  it('the most significant bit of the first octet is bridge port 1', () => {
    expect(portListBits(Buffer.from([0x80]))).toEqual([1]);
    expect(portListBits(Buffer.from([0x01]))).toEqual([8]);
    expect(portListBits(Buffer.from([0x00, 0x80]))).toEqual([9]);
    expect(portListBits(Buffer.from([0x40, 0x01]))).toEqual([2, 16]);
  });

  it('decodes the D-Link example from the MIB research: FF FF F7 10 = ports 1–20, 22–24, 28', () => {
    const expected = [...Array.from({ length: 20 }, (_, i) => i + 1), 22, 23, 24, 28];
    expect(portListBits(Buffer.from('fffff710', 'hex'))).toEqual(expected);
  });

  it('accepts any length, including empty, and ignores octets past the bound', () => {
    expect(portListBits(Buffer.alloc(0))).toEqual([]);
    expect(portListBits(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]))).toEqual([128]);
    const huge = Buffer.alloc(100_000, 0xff);
    expect(portListBits(huge)).toHaveLength(1024 * 8);
  });
});

describe('bridge port ≠ ifIndex', () => {
  it('maps every bit through dot1dBasePortIfIndex, and drops bits without a bridge port', () => {
    const bridge = new Map([
      [1, 1001],
      [2, 1002],
      [3, 5000],
    ]);
    // Ports 1, 3 and 4 set; 4 has no bridge port.
    expect(portListIfIndexes(Buffer.from([0b1011_0000]), bridge)).toEqual([
      { bridgePort: 1, ifIndex: 1001 },
      { bridgePort: 3, ifIndex: 5000 },
    ]);
  });

  it('VLANs and PVID land on the ifIndex the bridge port names, not on the ifIndex equal to the bit', () => {
    const obs = obsFrom(
      '1.3.6.1.2.1.2.2.1.2.2|4|uplink',
      '1.3.6.1.2.1.2.2.1.2.16|4|server',
      '1.3.6.1.2.1.17.1.4.1.2.1|2|16',
      '1.3.6.1.2.1.17.1.4.1.2.2|2|2',
      '1.3.6.1.2.1.17.7.1.4.3.1.1.20|4|storage',
      '1.3.6.1.2.1.17.7.1.4.3.1.2.20|4x|c0',
      '1.3.6.1.2.1.17.7.1.4.3.1.4.20|4x|80',
      '1.3.6.1.2.1.17.7.1.4.5.1.1.1|66|20',
      '1.3.6.1.2.1.17.7.1.4.5.1.1.2|66|1',
    );
    const port = (ifIndex: number) => obs.ports.find((p) => p.ifIndex === ifIndex)!;
    expect([port(16).untaggedVlans, port(16).taggedVlans, port(16).pvid]).toEqual([[20], [], 20]);
    expect([port(2).untaggedVlans, port(2).taggedVlans, port(2).pvid]).toEqual([[], [20], 1]);
  });

  it('a bridge port mapped to ifIndex 0 is no port', () => {
    const map = decodeBridgePorts(walkFrom('1.3.6.1.2.1.17.1.4.1.2.1|2|0', '1.3.6.1.2.1.17.1.4.1.2.2|2|7'), new Gaps());
    expect([...map]).toEqual([[2, 7]]);
  });
});

describe('Q-BRIDGE membership', () => {
  const bridge = new Map([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);

  it('prefers Current over Static, drops the time mark, and the newest time mark wins', () => {
    const q = decodeQBridge(
      walkFrom(
        '1.3.6.1.2.1.17.7.1.4.2.1.4.0.10|4x|80',
        '1.3.6.1.2.1.17.7.1.4.2.1.4.2188.10|4x|60',
        '1.3.6.1.2.1.17.7.1.4.2.1.5.0.10|4x|80',
        '1.3.6.1.2.1.17.7.1.4.2.1.5.2188.10|4x|40',
        '1.3.6.1.2.1.17.7.1.4.3.1.1.10|4|ten',
        '1.3.6.1.2.1.17.7.1.4.3.1.2.10|4x|e0',
        '1.3.6.1.2.1.17.7.1.4.3.1.4.10|4x|e0',
      ),
      bridge,
      new Gaps(),
    );
    expect(q.source).toBe('current');
    expect(q.members).toEqual([
      { vlan: 10, bridgePort: 2, ifIndex: 2, untagged: true },
      { vlan: 10, bridgePort: 3, ifIndex: 3, untagged: false },
    ]);
    expect(q.vlans).toEqual([{ id: 10, name: 'ten' }]);
  });

  it('falls back to Static when there is no Current row; tagged = egress − untagged; an untagged bit outside egress is ignored', () => {
    const q = decodeQBridge(
      walkFrom('1.3.6.1.2.1.17.7.1.4.3.1.2.30|4x|c0', '1.3.6.1.2.1.17.7.1.4.3.1.4.30|4x|a0'),
      bridge,
      new Gaps(),
    );
    expect(q.source).toBe('static');
    expect(q.members).toEqual([
      { vlan: 30, bridgePort: 1, ifIndex: 1, untagged: true },
      { vlan: 30, bridgePort: 2, ifIndex: 2, untagged: false },
    ]);
    expect(q.vlans).toEqual([{ id: 30, name: '' }]);
  });

  it('tolerates the mangled recordings: 16 real octets, then the ASCII of a hex dump', () => {
    // dlink_dgs-1510-28, VLAN 430: the real octets say ports 1–28 egress, then "\n00 00 00 …" follows.
    const obs = decodeObservation(loadWalk('dlink_dgs-1510-28'), 'now');
    const in430 = obs.ports.filter((p) => p.untaggedVlans.includes(430) || p.taggedVlans.includes(430)).map((p) => p.ifIndex);
    expect(in430).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    // The text bytes (0x0a 0x30 0x30 0x20 …) set bits on bridge ports 129+, which this 28-port switch does not have.
    expect(obs.gaps).toEqual([]);
  });

  it('VLAN ids outside 1–4094 and PortLists of the wrong type are skipped and noted', () => {
    const gaps = new Gaps();
    const q = decodeQBridge(
      walkFrom('1.3.6.1.2.1.17.7.1.4.3.1.2.4095|4x|80', '1.3.6.1.2.1.17.7.1.4.3.1.2.5|2|7', '1.3.6.1.2.1.17.7.1.4.3.1.2.6|4x|80'),
      bridge,
      gaps,
    );
    expect(q.members).toEqual([{ vlan: 6, bridgePort: 1, ifIndex: 1, untagged: false }]);
    expect(gaps.toArray()).toEqual([
      'dot1qVlanStaticEgressPorts: 1 value skipped (wrong type), first at .5',
      'dot1qVlanStaticEgressPorts: 1 value skipped (index is not a VLAN), first at .4095',
    ]);
  });
});

describe('which VLANs a switch has', () => {
  const bridge = new Map([
    [1, 1],
    [2, 2],
  ]);
  const Q = '1.3.6.1.2.1.17.7.1.4';

  it('hand-made HP stack: VLAN 30 only in dot1qVlanCurrentTable (no static row, no name), VLAN 40 only as a PVID', () => {
    const obs = decodeObservation(loadWalk('handmade-hp-stack-trunks'), 'now');
    expect(obs.vlans).toEqual([
      { id: 1, name: 'DEFAULT_VLAN' },
      { id: 20, name: 'storage' },
      { id: 30, name: '' },
      { id: 40, name: '' },
    ]);
    expect(obs.ports.filter((p) => p.taggedVlans.includes(30)).map((p) => p.name)).toEqual(['Trk2']);
    expect(obs.ports.filter((p) => p.pvid === 40).map((p) => p.name)).toEqual(['1/4']);
  });

  it('a Current row with no member, or only a dot1qVlanFdbId, or only an untagged list, still lists its VLAN', () => {
    const q = decodeQBridge(
      walkFrom(`${Q}.2.1.3.0.7|66|7`, `${Q}.2.1.4.0.8|4x|00`, `${Q}.2.1.5.0.9|4x|80`, `${Q}.2.1.4.0.10|4x|40`),
      bridge,
      new Gaps(),
    );
    expect(q.vlans.map((v) => v.id)).toEqual([7, 8, 9, 10]);
    expect(q.members).toEqual([{ vlan: 10, bridgePort: 2, ifIndex: 2, untagged: false }]);
  });

  it('with a Current table, a static VLAN with no name and no Current row is listed too; its members are not taken from Static', () => {
    const q = decodeQBridge(walkFrom(`${Q}.2.1.4.0.10|4x|80`, `${Q}.3.1.2.50|4x|c0`), bridge, new Gaps());
    expect([q.source, q.vlans.map((v) => v.id), q.members.map((m) => m.vlan)]).toEqual(['current', [10, 50], [10]]);
  });

  it('a PVID on a bridge port with no interface, or out of range, adds nothing', () => {
    const gaps = new Gaps();
    const q = decodeQBridge(walkFrom(`${Q}.5.1.1.1|66|60`, `${Q}.5.1.1.9|66|70`, `${Q}.5.1.1.2|66|5000`), bridge, gaps);
    expect(q.vlans.map((v) => v.id)).toEqual([60]);
    expect(gaps.toArray()).toEqual(['dot1qPvid: 1 value skipped (VLAN out of range), first at .2']);
  });

  it('the real recordings list exactly LibreNMS’s VLANs still (librenms-parity.test.ts), PVIDs included: each PVID is a listed VLAN', () => {
    for (const name of ['dlink_dgs-1510-28', 'dlink_dgs-3627g', 'edgeswitch_us-8-v2', 'procurve', 'tplink_sg2008']) {
      const obs = decodeObservation(loadWalk(name), 'now');
      const ids = new Set(obs.vlans.map((v) => v.id));
      expect(obs.ports.filter((p) => p.pvid !== null && !ids.has(p.pvid)).map((p) => `${name} ${p.name} ${p.pvid}`)).toEqual([]);
    }
  });
});
