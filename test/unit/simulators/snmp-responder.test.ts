/**
 * The SNMP responder (src-main/simulators/snmp/) on its own: the .snmprec reader (format corners, bounds),
 * the agent semantics of RFC 3416 / RFC 1157 as npm net-snmp sees them on the wire (an implementation we did
 * not write), each scripted fault, the bounded request parser under random and mutated datagrams, and the
 * seeded lossy link.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerError, encodeOid, tlvOf, TAG, encodeInteger, tlv } from '../../../src-main/simulators/snmp/ber';
import { decodeRequest } from '../../../src-main/simulators/snmp/message';
import { parseSnmprec, startSnmpResponder, type SnmpResponder } from '../../../src-main/simulators/snmp';
import { seededRandom, startLossyLink } from '../../../src-main/simulators/snmp/proxy';
import { bigTableSnmprec, syntheticSwitchSnmprec } from '../../../src-main/simulators/snmp/synthetic';

const ROOT = resolve(__dirname, '../../..');
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/snmp', `${name}.snmprec`), 'utf8');

const SMALL = [
  '1.3.6.1.2.1.1.1.0|4|small agent  ',
  '1.3.6.1.2.1.1.2.0|6|.1.3.6.1.4.1.171.10.153.7.1',
  '1.3.6.1.2.1.1.3.0|67|4294967295',
  '1.3.6.1.2.1.2.2.1.2.1|4e|eth0\\x00\\n',
  '1.3.6.1.2.1.2.2.1.2.2|4x|6c6f',
  '1.3.6.1.2.1.2.2.1.7.1|2:writecache|value=1',
  '1.3.6.1.2.1.2.2.1.7.2|4:writecache|hexvalue=00ff',
  '1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615',
  '1.3.6.1.2.1.4.20.1.3.10.0.0.1|64x|ffffff00',
  '1.3.6.1.2.1.2.2.1.8.1|2|-2147483648',
  '1.3.6.1.2.1.2.2.1.8.1|2|7', // repeated OID: the first line wins
  '1.3.6.1.2.1.99.1|2|2147483648', // not an Integer32
  '1.3.6.1.2.1.99.2|4x|abc', // odd hex
  '1.3.6.1.2.1.99.3|99|1', // unknown tag
  '1.3.6.1.2.1.99.4|2:delay|wait=10', // a variation module without a value
  'not a line',
  '',
  '# a comment',
].join('\r\n');

type Vb = { oid: string; type?: number; value?: unknown };

function request<T>(port: number, community: string, version: 0 | 1, call: (s: snmp.Session, cb: (e: Error | null, v?: T) => void) => void, timeout = 500): Promise<T> {
  return new Promise((resolveCall, reject) => {
    const session = snmp.createSession('127.0.0.1', community, { port, version, timeout, retries: 0, backwardsGetNexts: false });
    session.on('error', () => {});
    call(session, (error, value) => {
      session.close();
      if (error) reject(error);
      else resolveCall(value as T);
    });
  });
}

describe('parseSnmprec', () => {
  it('reads hex, escaped, variation-module and dotted-OID values, sorts, keeps the first of a repeated OID, and says what it skipped', () => {
    const view = parseSnmprec(SMALL);
    expect(view.report).toMatchObject({ records: 10, skipped: 5, duplicates: 1 });
    expect(view.report.problems.join('\n')).toMatch(/not an Integer32[\s\S]*hex value is not hex[\s\S]*tag 99[\s\S]*without an initial value[\s\S]*not OID\|tag\|value/);
    expect(view.records.map((r) => r.oid)).toEqual([
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.1.2.0',
      '1.3.6.1.2.1.1.3.0',
      '1.3.6.1.2.1.2.2.1.2.1',
      '1.3.6.1.2.1.2.2.1.2.2',
      '1.3.6.1.2.1.2.2.1.7.1',
      '1.3.6.1.2.1.2.2.1.7.2',
      '1.3.6.1.2.1.2.2.1.8.1',
      '1.3.6.1.2.1.4.20.1.3.10.0.0.1', // before 31: arcs compare as numbers
      '1.3.6.1.2.1.31.1.1.1.6.1',
    ]);
  });

  it('reads every real recording in test/fixtures/snmp without skipping a line', () => {
    for (const name of ['procurve', 'dlink_dgs-1510-28', 'dsm', 'arubaos-cx', 'linux_lsi']) {
      const view = parseSnmprec(fixture(name));
      expect(view.report.skipped, name).toBe(0);
      expect(view.report.records, name).toBeGreaterThan(500);
    }
  });

  it('reads the hand-made synthetic recordings without skipping a line', () => {
    const view = parseSnmprec(syntheticSwitchSnmprec({ ports: 52 }));
    expect(view.report.skipped).toBe(0);
    expect(view.report.records).toBeGreaterThan(3_000);
    expect(parseSnmprec(bigTableSnmprec('1.3.6.1.2.1.17.7.1.2.2.1.2', 1_000)).report.records).toBe(1_001);
  });

  it('is bounded: total size and record count', () => {
    expect(() => parseSnmprec('1.3.6.1.2.1.1.5.0|4|x\n'.repeat(10), { maxRecords: 5 })).toThrow(/more than 5 records/);
    expect(() => parseSnmprec('x'.repeat(2_000), { maxBytes: 1_000 })).toThrow(/at most 1000/);
    const long = parseSnmprec(`1.3.6.1.2.1.1.5.0|4x|${'00'.repeat(70_000)}\n1.3.6.1.2.1.${'1.'.repeat(130)}1|2|1\n`);
    expect(long.report).toMatchObject({ records: 0, skipped: 2 });
  });
});

describe('the responder as a v1/v2c agent', () => {
  let responder: SnmpResponder;

  beforeAll(async () => {
    responder = await startSnmpResponder({ recordings: { small: SMALL, procurve: fixture('procurve') } });
  });
  afterAll(async () => {
    await responder.close();
  });

  const v2 = <T>(call: (s: snmp.Session, cb: (e: Error | null, v?: T) => void) => void) => request<T>(responder.port, 'small', 1, call);
  const v1 = <T>(call: (s: snmp.Session, cb: (e: Error | null, v?: T) => void) => void) => request<T>(responder.port, 'small', 0, call);

  it('answers GET with values, noSuchInstance for a missing instance of a known object, noSuchObject otherwise', async () => {
    const vbs = await v2<Vb[]>((s, cb) => s.get(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.2.2.1.2.9', '1.3.6.1.2.1.77.0'], cb as never));
    expect(vbs[0]).toMatchObject({ type: snmp.ObjectType.OctetString, value: Buffer.from('small agent') }); // trailing spaces stripped, as snmpsim does
    expect(vbs[1]).toMatchObject({ type: snmp.ObjectType.TimeTicks, value: 4294967295 });
    expect(vbs[2]!.type).toBe(snmp.ObjectType.Counter64);
    expect(Buffer.from(vbs[2]!.value as Buffer).toString('hex')).toBe('00ffffffffffffffff');
    expect(vbs[3]!.type).toBe(snmp.ObjectType.NoSuchInstance);
    expect(vbs[4]!.type).toBe(snmp.ObjectType.NoSuchObject);
  });

  it('serves escaped, hex, OID and IpAddress values as written', async () => {
    const vbs = await v2<Vb[]>((s, cb) => s.get(['1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.2.2', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.4.20.1.3.10.0.0.1', '1.3.6.1.2.1.2.2.1.7.2', '1.3.6.1.2.1.2.2.1.8.1'], cb as never));
    expect(vbs.map((v) => v.value)).toEqual([Buffer.from('eth0\0\n'), Buffer.from('lo'), '1.3.6.1.4.1.171.10.153.7.1', '255.255.255.0', Buffer.from([0, 255]), -2147483648]);
  });

  it('answers GETNEXT with the next OID, endOfMibView past the last', async () => {
    const vbs = await v2<Vb[]>((s, cb) => s.getNext(['1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.99'], cb as never));
    expect(vbs[0]!.oid).toBe('1.3.6.1.2.1.2.2.1.2.1');
    expect(vbs[1]!.type).toBe(snmp.ObjectType.EndOfMibView);
  });

  it('answers GETBULK with non-repeaters first, then the repetitions interleaved, ending in endOfMibView', async () => {
    const columns = await v2<Vb[][]>((s, cb) => s.getBulk(['1.3.6.1.2.1.1', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.31'], 1, 3, cb as never));
    expect((columns[0] as unknown as Vb).oid).toBe('1.3.6.1.2.1.1.1.0');
    expect(columns[1]!.map((v) => v.oid)).toEqual(['1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.2.2', '1.3.6.1.2.1.2.2.1.7.1']);
    // A repeater that reached the end says so in every further repetition (RFC 3416 §4.2.3).
    expect(columns[2]!.map((v) => v.type)).toEqual([snmp.ObjectType.Counter64, snmp.ObjectType.EndOfMibView, snmp.ObjectType.EndOfMibView]);
  });

  it('cuts a GETBULK answer to fit the response size instead of failing', async () => {
    const small = await startSnmpResponder({ recordings: { p: fixture('procurve') }, maxResponseBytes: 1_400 });
    try {
      const columns = await request<Vb[][]>(small.port, 'p', 1, (s, cb) => s.getBulk(['1.3.6.1.2.1.2.2.1'], 0, 200, cb as never));
      expect(columns[0]!.length).toBeGreaterThan(5);
      expect(columns[0]!.length).toBeLessThan(200);
    } finally {
      await small.close();
    }
  });

  it('speaks SNMPv1: noSuchName instead of exceptions, and no Counter64 (RFC 3584 §4.2.2)', async () => {
    await expect(v1((s, cb) => s.get(['1.3.6.1.2.1.31.1.1.1.6.1'], cb as never))).rejects.toMatchObject({ status: snmp.ErrorStatus.NoSuchName });
    await expect(v1((s, cb) => s.get(['1.3.6.1.2.1.77.0'], cb as never))).rejects.toMatchObject({ status: snmp.ErrorStatus.NoSuchName });
    const next = await v1<Vb[]>((s, cb) => s.getNext(['1.3.6.1.2.1.2.2.1.8.1'], cb as never));
    expect(next[0]!.oid).toBe('1.3.6.1.2.1.4.20.1.3.10.0.0.1');
    // Only a Counter64 lies beyond: for v1 that is the end of the MIB.
    await expect(v1((s, cb) => s.getNext(['1.3.6.1.2.1.4.20.1.3.10.0.0.1'], cb as never))).rejects.toMatchObject({ status: snmp.ErrorStatus.NoSuchName });
  });

  it('refuses SETs as a read-only agent does (notWritable; v1 noSuchName)', async () => {
    await expect(v2((s, cb) => s.set([{ oid: '1.3.6.1.2.1.1.5.0', type: snmp.ObjectType.OctetString, value: 'x' }], cb as never))).rejects.toMatchObject({ status: snmp.ErrorStatus.NotWritable });
    await expect(v1((s, cb) => s.set([{ oid: '1.3.6.1.2.1.1.5.0', type: snmp.ObjectType.OctetString, value: 'x' }], cb as never))).rejects.toMatchObject({ status: snmp.ErrorStatus.NoSuchName });
  });

  it('drops requests with an unknown community, as real agents do, and counts them', async () => {
    const before = responder.stats().unknownCommunity;
    await expect(request(responder.port, 'guess', 1, (s, cb) => s.get(['1.3.6.1.2.1.1.1.0'], cb as never))).rejects.toMatchObject({ name: 'RequestTimedOutError' });
    expect(responder.stats().unknownCommunity).toBe(before + 1);
  });

  it('misbehaves on request, per community, and behaves again after fault(null)', async () => {
    const get = (community: string) => request<Vb[]>(responder.port, community, 1, (s, cb) => s.get(['1.3.6.1.2.1.1.1.0'], cb as never));
    responder.fault('silent', { community: 'small' });
    await expect(get('small')).rejects.toMatchObject({ name: 'RequestTimedOutError' });
    expect((await get('procurve'))[0]!.value).toEqual(Buffer.from('HP Stack, revision KA.00.00.0000'));
    responder.fault(null);
    expect((await get('small'))[0]!.value).toEqual(Buffer.from('small agent'));
    for (const kind of ['garbage', 'truncated'] as const) {
      responder.fault(kind);
      await expect(get('small')).rejects.toMatchObject({ name: 'RequestTimedOutError' }); // net-snmp drops what it cannot decode
      responder.fault(null);
    }
    expect(() => responder.fault('nonsense' as never)).toThrow(/unknown fault/);
  });

  it('survives random and mutated datagrams, counts them as malformed, and keeps answering', async () => {
    const random = seededRandom(42);
    const valid = tlvOf(TAG.sequence, [
      encodeInteger(1),
      tlv(TAG.octetString, Buffer.from('small')),
      tlvOf(TAG.getBulkRequest, [encodeInteger(7), encodeInteger(0), encodeInteger(10), tlvOf(TAG.sequence, [tlvOf(TAG.sequence, [encodeOid([1, 3, 6, 1, 2, 1]), Buffer.from([5, 0])])])]),
    ]);
    expect(decodeRequest(valid)).toMatchObject({ type: 'getBulk', maxRepetitions: 10, oids: [[1, 3, 6, 1, 2, 1]] });
    const socket = createSocket('udp4');
    const answers: Buffer[] = [];
    socket.on('message', (m) => answers.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const before = responder.stats().malformed;
    const datagrams: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const mutated = Buffer.from(valid);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      datagrams.push(mutated, Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))), valid.subarray(0, Math.floor(random() * valid.length)));
    }
    let parsedLocally = 0;
    let sent = 0;
    for (const datagram of datagrams) {
      // Paced, so the kernel's receive buffer never drops any: every datagram must reach the parser.
      if (++sent % 25 === 0) await new Promise((r) => setTimeout(r, 5));
      try {
        decodeRequest(datagram);
        parsedLocally++;
      } catch (error) {
        expect(error).toBeInstanceOf(BerError);
      }
      socket.send(datagram, responder.port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 300));
    socket.close();
    expect(responder.stats().malformed - before).toBe(datagrams.length - parsedLocally);
    const vbs = await v2<Vb[]>((s, cb) => s.get(['1.3.6.1.2.1.1.1.0'], cb as never));
    expect(vbs[0]!.value).toEqual(Buffer.from('small agent'));
  });

  it('rejects what its parser bounds: indefinite lengths, lengths past the end, too many varbinds, v1 GetBulk', () => {
    expect(() => decodeRequest(Buffer.from([0x30, 0x80, 0, 0]))).toThrow(/indefinite/);
    expect(() => decodeRequest(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toThrow(/length too long/);
    expect(() => decodeRequest(Buffer.from([0x30, 0x82, 0xff, 0xff, 0x02]))).toThrow(/past the end/);
    const vb = tlvOf(TAG.sequence, [encodeOid([1, 3, 6, 1]), Buffer.from([5, 0])]);
    const message = (version: number, pduTag: number, count: number) =>
      tlvOf(TAG.sequence, [encodeInteger(version), tlv(TAG.octetString, Buffer.from('c')), tlvOf(pduTag, [encodeInteger(1), encodeInteger(0), encodeInteger(0), tlvOf(TAG.sequence, Array(count).fill(vb))])]);
    expect(() => decodeRequest(message(1, TAG.getRequest, 257))).toThrow(/more than 256 varbinds/);
    expect(() => decodeRequest(message(0, TAG.getBulkRequest, 1))).toThrow(/GetBulk in an SNMPv1/);
    expect(() => decodeRequest(message(3, TAG.getRequest, 1))).toThrow(/version 3/);
    expect(() => decodeRequest(message(1, TAG.response, 1))).toThrow(/not a request/);
  });
});

describe('the lossy link', () => {
  it('drops a seeded share each way, the same datagrams on every run, and delays the rest', async () => {
    const echo = createSocket('udp4');
    echo.on('message', (m, from) => echo.send(m, from.port, from.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r));
    const run = async () => {
      const link = await startLossyLink({ target: { host: '127.0.0.1', port: echo.address().port }, loss: 0.3, delayMs: 2, seed: 7 });
      const client = createSocket('udp4');
      const back = new Set<number>();
      client.on('message', (m) => back.add(m.readUInt16BE(0)));
      await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
      for (let i = 0; i < 200; i++) {
        const datagram = Buffer.alloc(2);
        datagram.writeUInt16BE(i);
        client.send(datagram, link.port, '127.0.0.1');
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 200));
      client.close();
      const stats = link.stats();
      await link.close();
      return { back: [...back].sort((a, b) => a - b), stats };
    };
    try {
      const [a, b] = [await run(), await run()];
      expect(a.back).toEqual(b.back);
      expect(a.stats).toEqual(b.stats);
      expect(a.back.length).toBeGreaterThan(70); // about 0.7 × 0.7 of 200
      expect(a.back.length).toBeLessThan(130);
      expect(a.stats.dropped + a.stats.forwarded).toBe(200 + a.stats.forwarded - a.back.length);
    } finally {
      echo.close();
    }
  });
});
