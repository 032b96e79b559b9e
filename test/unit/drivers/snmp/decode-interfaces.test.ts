/** ifTable/ifXTable decoding and the value conversions under it: Counter64, speeds, MACs, text, bad types. */
import { describe, expect, it } from 'vitest';
import { decodeInterfaces, speedOf } from '../../../../src-main/drivers/snmp/decode/interfaces';
import { decodeSystem } from '../../../../src-main/drivers/snmp/decode/system';
import { Gaps, column, counter64, indexUnder, macFrom, parseSubids, text } from '../../../../src-main/drivers/snmp/decode/values';
import type { Varbind, Walk } from '../../../../src-main/drivers/snmp/varbinds';
import * as O from '../../../../src-main/drivers/snmp/oids';
import { counter64Octets, parseSnmprec, walkOf } from './snmprec';

const vb = (value: Varbind['value'], type = 4): Varbind => ({ oid: '1.2.3', type, value });
const walkFrom = (...lines: string[]) => walkOf(parseSnmprec(lines.join('\n')));

describe('Counter64', () => {
  it("reads net-snmp's variable-length big-endian Buffer, with the leading zero BER adds above 2^63", () => {
    expect(counter64(vb(Buffer.from([0x74, 0x34, 0x96]), 70))).toBe(0x743496n);
    expect(counter64(vb(Buffer.from([0x00, 0x80, 0, 0, 0, 0, 0, 0, 0]), 70))).toBe(1n << 63n);
    expect(counter64(vb(Buffer.from('00ffffffffffffffff', 'hex'), 70))).toBe((1n << 64n) - 1n);
    expect(counter64(vb(Buffer.from([0]), 70))).toBe(0n);
  });

  it('accepts a bigint or a Counter32 number; refuses what cannot be a Counter64', () => {
    expect(counter64(vb(12345678901234567890n, 70))).toBe(12345678901234567890n);
    expect(counter64(vb(4294967295, 65))).toBe(4294967295n);
    expect(counter64(vb(1n << 64n, 70))).toBeNull();
    expect(counter64(vb(-1n, 70))).toBeNull();
    expect(counter64(vb(Buffer.alloc(0), 70))).toBeNull();
    expect(counter64(vb(Buffer.from('01ffffffffffffffff', 'hex'), 70))).toBeNull();
    expect(counter64(vb(Buffer.alloc(10, 1), 70))).toBeNull();
    expect(counter64(vb('12', 70))).toBeNull();
  });

  it('the test recordings produce the octets net-snmp would (round trip)', () => {
    for (const n of [0n, 127n, 128n, 255n, 256n, 1n << 63n, (1n << 64n) - 1n]) expect(counter64(vb(counter64Octets(n), 70))).toBe(n);
    expect([...counter64Octets(128n)]).toEqual([0x00, 0x80]);
  });
});

describe('ports', () => {
  it('ifHighSpeed is preferred (exact above 4.29 Gb/s, where ifSpeed saturates); ifSpeed covers sub-Mb/s links; 0 is unknown', () => {
    expect(speedOf(10000, 4294967295)).toBe(10000);
    expect(speedOf(undefined, 100_000_000)).toBe(100);
    expect(speedOf(0, 64_000)).toBe(0.064);
    expect(speedOf(0, 0)).toBeNull();
    expect(speedOf(undefined, undefined)).toBeNull();
  });

  it('HC counters win over 32-bit ones, and counterBits says which were used', () => {
    const ports = decodeInterfaces(
      walkFrom(
        '1.3.6.1.2.1.2.2.1.2.1|4|eth0',
        '1.3.6.1.2.1.2.2.1.2.2|4|eth1',
        '1.3.6.1.2.1.2.2.1.2.3|4|eth2',
        '1.3.6.1.2.1.2.2.1.10.1|65|5',
        '1.3.6.1.2.1.2.2.1.10.2|65|7',
        '1.3.6.1.2.1.31.1.1.1.6.1|70|81985529216486895',
      ),
      new Gaps(),
    );
    expect(ports.map((p) => [p.inOctets, p.counterBits])).toEqual([
      [81985529216486895n, 64],
      [7n, 32],
      [null, null],
    ]);
  });

  it('MACs are lower-case colon hex, names fall back to ifDescr and are trimmed, statuses are up only when 1', () => {
    const [p] = decodeInterfaces(
      walkFrom(
        '1.3.6.1.2.1.2.2.1.2.5|4| Link Aggregate 1 ',
        '1.3.6.1.2.1.2.2.1.3.5|2|161',
        '1.3.6.1.2.1.2.2.1.6.5|4x|B8D4E740E0FD',
        '1.3.6.1.2.1.2.2.1.7.5|2|1',
        '1.3.6.1.2.1.2.2.1.8.5|2|7',
      ),
      new Gaps(),
    );
    expect(p).toMatchObject({ ifIndex: 5, name: 'Link Aggregate 1', descr: 'Link Aggregate 1', type: 161, mac: 'b8:d4:e7:40:e0:fd', adminUp: true, operUp: false });
  });

  it('values of the wrong type are skipped and counted once per column, never thrown', () => {
    const gaps = new Gaps();
    const walk: Walk = new Map<string, Varbind[]>([
      [O.ifType, [1, 2, 3].map((i) => ({ oid: `${O.ifType}.${i}`, type: 4, value: Buffer.from('x') }))],
      [O.ifMtu, [{ oid: `${O.ifMtu}.1`, type: 2, value: 1500 }, { oid: `${O.ifMtu}.1.2`, type: 2, value: 9000 }]],
      [O.ifDescr, [{ oid: `${O.ifDescr}.1`, type: 2, value: 7 }]],
    ]);
    const ports = decodeInterfaces(walk, gaps);
    expect(ports.map((p) => [p.ifIndex, p.type, p.mtu, p.descr])).toEqual([
      [1, 0, 1500, ''],
    ]);
    expect(gaps.toArray()).toEqual([
      'ifDescr: 1 value skipped (wrong type or malformed value), first at .1',
      'ifType: 3 values skipped (wrong type or malformed value), first at .1',
      'ifMtu: 1 value skipped (index is not a single number), first at .1.2',
    ]);
  });
});

describe('values', () => {
  it('text: UTF-8 when valid, else Latin-1; trailing NULs dropped; strings kept', () => {
    expect(text(vb(Buffer.from('Zürich', 'utf8')))).toBe('Zürich');
    expect(text(vb(Buffer.from([0x5a, 0xfc, 0x72])))).toBe('Zür');
    expect(text(vb(Buffer.from('name\0\0')))).toBe('name');
    expect(text(vb(5, 2))).toBeNull();
  });

  it('MAC addresses from six octets or from the text some agents send', () => {
    expect(macFrom(Buffer.from('0050d7126868', 'hex'))).toBe('00:50:d7:12:68:68');
    expect(macFrom(Buffer.from('00:50:D7:12:68:68'))).toBe('00:50:d7:12:68:68');
    expect(macFrom(Buffer.from('00-50-d7-12-68-68'))).toBe('00:50:d7:12:68:68');
    expect(macFrom(Buffer.from('0050.d712.6868'))).toBe('00:50:d7:12:68:68');
    expect(macFrom(Buffer.from('vmnic'))).toBeNull();
    expect(macFrom(Buffer.from('port 1 on dvSwitch'))).toBeNull();
  });

  it('an index is only ever 32-bit decimal sub-identifiers', () => {
    expect(indexUnder('1.3.6.1.2.1.2.2.1.2.7', O.ifDescr)).toEqual([7]);
    expect(indexUnder('1.3.6.1.2.1.2.2.1.2', O.ifDescr)).toBeNull();
    expect(indexUnder('1.3.6.1.2.1.2.2.1.20.7', O.ifDescr)).toBeNull();
    expect(indexUnder('1.3.6.1.2.1.2.2.1.2.4294967296', O.ifDescr)).toBeNull();
    expect(indexUnder('1.3.6.1.2.1.2.2.1.2.1..2', O.ifDescr)).toBeNull();
    expect(indexUnder('1.3.6.1.2.1.2.2.1.2.-1', O.ifDescr)).toBeNull();
    expect(indexUnder(`1.3.6.1.2.1.2.2.1.2.${'1.'.repeat(500)}1`, O.ifDescr)).toBeNull();
  });

  it('parses sub-identifiers up to 32 bits and LIMITS.indexLength of them, and nothing else', () => {
    expect(parseSubids('0.4294967295.0000000001')).toEqual([0, 4294967295, 1]);
    expect(parseSubids('1.' + '2.'.repeat(158) + '3')).toHaveLength(160);
    for (const bad of ['', '.', '1.', '.1', '1..2', '1.a', '1.2 ', '+1', '4294967296', '00000000001', '1.' + '2.'.repeat(159) + '3']) {
      expect(parseSubids(bad), bad).toBeNull();
    }
  });

  it('a column is read once per row, in walk order, whether walked alone, under its table, or both', () => {
    const row = (i: number, value: string): Varbind => ({ oid: `${O.ifDescr}.${i}`, type: 4, value: Buffer.from(value) });
    const rows = (walk: Walk) => column(walk, O.ifDescr, new Gaps(), 'ifDescr').map(({ index, vb }) => [index[0], String(vb.value)]);
    const alone = [row(1, 'a'), row(2, 'b'), row(10, 'c')];
    expect(rows(new Map([[O.ifDescr, alone]]))).toEqual([[1, 'a'], [2, 'b'], [10, 'c']]);
    // The same rows under the table root too: the column's own walk comes first and each row is kept once.
    expect(rows(new Map([['1.3.6.1.2.1.2.2', [row(1, 'x'), row(3, 'y')]], [O.ifDescr, alone]]))).toEqual([[1, 'a'], [2, 'b'], [10, 'c'], [3, 'y']]);
    // A source out of order (a hand-fed or damaged walk) with a repeat: the repeat is dropped, the order kept.
    expect(rows(new Map([[O.ifDescr, [row(2, 'b'), row(1, 'a'), row(2, 'again'), row(3, 'c')]]]))).toEqual([[2, 'b'], [1, 'a'], [3, 'c']]);
  });

  it('system: sysObjectID with a leading dot, a missing group gives empty strings', () => {
    const walk = walkFrom('1.3.6.1.2.1.1.2.0|6|.1.3.6.1.4.1.171.10.153.7.1', '1.3.6.1.2.1.1.5.0|4|sw1');
    expect(decodeSystem(walk, new Gaps())).toEqual({ name: 'sw1', descr: '', objectId: '1.3.6.1.4.1.171.10.153.7.1', location: '', contact: '', uptimeTicks: null });
  });
});
