/**
 * PDU layouts byte for byte against RFC 7143 §11 as tabled in reference san.md §1.2, and the stream decoder's
 * bounds: chunking, several PDUs per chunk, AHS skipped, an oversized or foreign header refused at once.
 */
import { describe, expect, it } from 'vitest';
import { ProbeError } from '../../../../src-main/drivers/iscsi/errors/probe-error';
import {
  Opcode,
  PduReader,
  RESERVED_TAG,
  Stage,
  describeReject,
  encodeLoginRequest,
  encodeLogoutRequest,
  encodeNopOut,
  encodeTextRequest,
  readLoginResponse,
  readLogoutResponse,
  readTextResponse,
  type Pdu,
} from '../../../../src-main/drivers/iscsi/pdu';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ISID = hex('80 12 34 56 ab cd');
const anyOpcode = () => true;

describe('encoders', () => {
  it('Login Request: 0x43, T|CSG|NSG in byte 1, ISID/TSIH/ITT/CID/CmdSN/ExpStatSN where §11.12 puts them, data padded', () => {
    const data = Buffer.from('SessionType=Discovery\0', 'utf8'); // 22 bytes → 2 bytes of padding
    const pdu = encodeLoginRequest({ transit: true, csg: Stage.Security, nsg: Stage.Operational, isid: ISID, tsih: 0, itt: 0x01020304, cid: 0, cmdSN: 1, expStatSN: 0 }, data);
    expect(pdu.subarray(0, 48)).toEqual(
      hex(`
        43 81 00 00  00 00 00 16
        80 12 34 56 ab cd 00 00
        01 02 03 04  00 00 00 00
        00 00 00 01  00 00 00 00
        00000000 00000000 00000000 00000000`),
    );
    expect(pdu.length).toBe(48 + 24);
    expect(pdu.subarray(48, 70).toString()).toBe('SessionType=Discovery\0');
    expect(pdu.subarray(70)).toEqual(hex('0000'));
  });

  it('Login Request flags: C bit 0x40, CSG in bits 3..2, NSG only with T', () => {
    const flags = (fields: Partial<Parameters<typeof encodeLoginRequest>[0]>) =>
      encodeLoginRequest({ transit: false, csg: 0, nsg: 0, isid: ISID, tsih: 0, itt: 1, cid: 0, cmdSN: 1, expStatSN: 0, ...fields })[1];
    expect(flags({ transit: true, csg: Stage.Operational, nsg: Stage.FullFeature })).toBe(0x87);
    expect(flags({ transit: false, csg: Stage.Security, nsg: Stage.FullFeature })).toBe(0x00);
    expect(flags({ continue: true, csg: Stage.Operational })).toBe(0x44);
  });

  it('Text Request: 0x04 (non-immediate), F, LUN 0, ITT, TTT, CmdSN, ExpStatSN (§11.10)', () => {
    const pdu = encodeTextRequest({ final: true, itt: 7, ttt: RESERVED_TAG, cmdSN: 0x0a0b0c0d, expStatSN: 0x11223344 }, Buffer.from('SendTargets=All\0'));
    expect(pdu.subarray(0, 48)).toEqual(
      hex(`
        04 80 00 00  00 00 00 10
        00 00 00 00  00 00 00 00
        00 00 00 07  ff ff ff ff
        0a 0b 0c 0d  11 22 33 44
        00000000 00000000 00000000 00000000`),
    );
    expect(pdu.length).toBe(64);
    expect(encodeTextRequest({ final: true, continue: true, immediate: true, itt: 1, ttt: 1, cmdSN: 1, expStatSN: 1 }).subarray(0, 2)).toEqual(hex('44c0'));
  });

  it('Logout Request: 0x46 (always immediate), 0x80|reason, CID in bytes 20..21 (§11.14)', () => {
    expect(encodeLogoutRequest({ reason: 0, itt: 0xdeadbeef, cid: 5, cmdSN: 3, expStatSN: 9 })).toEqual(
      hex(`
        46 80 00 00  00 00 00 00
        00 00 00 00  00 00 00 00
        de ad be ef  00 05 00 00
        00 00 00 03  00 00 00 09
        00000000 00000000 00000000 00000000`),
    );
  });

  it('NOP-Out answering a ping: 0x40, F, ITT reserved, the TTT echoed (§11.18)', () => {
    const pdu = encodeNopOut({ itt: RESERVED_TAG, ttt: 0x42, cmdSN: 2, expStatSN: 3 });
    expect(pdu.subarray(0, 24)).toEqual(hex('40 80 0000 00000000 0000000000000000 ffffffff 00000042'));
  });

  it('refuses what it could not send correctly: a 5-byte ISID, a data segment above 24 bits', () => {
    expect(() => encodeLoginRequest({ transit: true, csg: 0, nsg: 1, isid: Buffer.alloc(5), tsih: 0, itt: 1, cid: 0, cmdSN: 1, expStatSN: 0 })).toThrow(RangeError);
    expect(() => encodeTextRequest({ final: true, itt: 1, ttt: 1, cmdSN: 1, expStatSN: 1 }, Buffer.alloc(0x1000000))).toThrow(RangeError);
  });
});

describe('readers of target PDUs', () => {
  const decode = (bytes: Buffer): Pdu => {
    const pdus = new PduReader({ maxDataSegmentLength: 65536 }).push(bytes);
    expect(pdus).toHaveLength(1);
    return pdus[0]!;
  };

  it('Login Response: T, CSG/NSG, versions, ISID, TSIH, ITT, StatSN, ExpCmdSN, MaxCmdSN, status (§11.13)', () => {
    const bytes = hex(`
      23 87 00 00  00 00 00 08
      80 12 34 56 ab cd 00 2a
      01 02 03 04  00 00 00 00
      00 00 10 00  00 00 00 01
      00 00 00 20  02 01 0000 00000000 00000000
      41 3d 42 00  43 3d 44 00`);
    const pdu = decode(bytes);
    expect(pdu.opcode).toBe(Opcode.LoginResponse);
    expect(pdu.data.toString()).toBe('A=B\0C=D\0');
    expect(readLoginResponse(pdu)).toEqual({
      transit: true,
      continue: false,
      csg: 1,
      nsg: 3,
      versionMax: 0,
      versionActive: 0,
      isid: ISID,
      tsih: 42,
      itt: 0x01020304,
      statSN: 0x1000,
      expCmdSN: 1,
      maxCmdSN: 0x20,
      statusClass: 2,
      statusDetail: 1,
    });
  });

  it('Text Response: F=0 with C=1 and a TTT, StatSN/ExpCmdSN/MaxCmdSN (§11.11)', () => {
    const pdu = decode(hex('24 40 0000 00000000 0000000000000000 00000007 00000001 00000005 00000002 00000010 00000000 0000000000000000'));
    expect(readTextResponse(pdu)).toEqual({ final: false, continue: true, itt: 7, ttt: 1, statSN: 5, expCmdSN: 2, maxCmdSN: 16 });
  });

  it('Logout Response: the response code in byte 2 (§11.15); Reject: its reason in byte 2 (§11.17)', () => {
    const logout = decode(hex('26 80 01 00 00000000 0000000000000000 deadbeef 00000000 00000009 00000000 00000000 00000000 00000000 00000000'));
    expect(readLogoutResponse(logout)).toEqual({ response: 1, itt: 0xdeadbeef, statSN: 9 });
    const reject = decode(hex('3f 80 09 00 00000000 0000000000000000 ffffffff 00000000 00000009 00000000 00000000 00000000 00000000 00000000'));
    expect(describeReject(reject)).toBe('invalid PDU field (reason 0x09)');
  });

  it('round-trips every encoder through the decoder (initiator opcodes allowed for the test)', () => {
    const reader = new PduReader({ maxDataSegmentLength: 65536 }, anyOpcode);
    const login = encodeLoginRequest({ transit: true, csg: 1, nsg: 3, isid: ISID, tsih: 0, itt: 9, cid: 0, cmdSN: 1, expStatSN: 4 }, Buffer.from('HeaderDigest=None\0'));
    const text = encodeTextRequest({ final: false, continue: true, itt: 10, ttt: 3, cmdSN: 2, expStatSN: 5 }, Buffer.from('X=1\0'));
    const [a, b] = reader.push(Buffer.concat([login, text]));
    expect(a!.opcode).toBe(Opcode.LoginRequest);
    expect(a!.immediate).toBe(true);
    expect(readLoginResponse(a!)).toMatchObject({ transit: true, csg: 1, nsg: 3, itt: 9, isid: ISID });
    expect(a!.data.toString()).toBe('HeaderDigest=None\0');
    expect(b!.immediate).toBe(false);
    expect(readTextResponse(b!)).toMatchObject({ final: false, continue: true, itt: 10, ttt: 3 });
    expect(b!.data.toString()).toBe('X=1\0');
  });
});

describe('PduReader bounds', () => {
  const response = (data: string) => {
    const bytes = Buffer.alloc(48 + ((Buffer.byteLength(data) + 3) & ~3));
    bytes[0] = Opcode.TextResponse;
    bytes[1] = 0x80;
    bytes.writeUIntBE(Buffer.byteLength(data), 5, 3);
    bytes.write(data, 48);
    return bytes;
  };

  it('assembles PDUs fed one byte at a time, and several from one chunk', () => {
    const stream = Buffer.concat([response('A=1\0'), response('LongerKey=some value\0'), response('')]);
    const reader = new PduReader({ maxDataSegmentLength: 1024 });
    const bytewise: Pdu[] = [];
    for (const byte of stream) bytewise.push(...reader.push(Buffer.of(byte)));
    expect(bytewise.map((p) => p.data.toString())).toEqual(['A=1\0', 'LongerKey=some value\0', '']);
    expect(reader.bufferedBytes).toBe(0);
    expect(new PduReader({ maxDataSegmentLength: 1024 }).push(stream)).toHaveLength(3);
  });

  it('skips an AHS (TotalAHSLength in words) and keeps the data after it', () => {
    const withAhs = Buffer.concat([response('A=1\0').subarray(0, 48), Buffer.alloc(8, 0xee), Buffer.from('A=1\0')]);
    withAhs[4] = 2;
    const [pdu] = new PduReader({ maxDataSegmentLength: 1024 }).push(withAhs);
    expect(pdu!.data.toString()).toBe('A=1\0');
  });

  it('refuses an oversized data segment from the header alone, before the data arrives', () => {
    const header = response('').subarray(0, 48);
    header.writeUIntBE(0xfffff0, 5, 3);
    const reader = new PduReader({ maxDataSegmentLength: 65536 });
    expect(() => reader.push(header)).toThrow(expect.objectContaining({ kind: 'too-large' }));
    expect(reader.bufferedBytes).toBe(0);
    // And stays failed.
    expect(() => reader.push(response('A=1\0'))).toThrow(ProbeError);
  });

  it('refuses initiator opcodes, unknown opcodes and the reserved bit: "not an iSCSI PDU"', () => {
    for (const first of [0x03, 0x15, 0x80 | 0x23, 0x48 /* 'H' of "HTTP/1.1" */]) {
      const bytes = response('A=1\0');
      bytes[0] = first;
      expect(() => new PduReader({ maxDataSegmentLength: 1024 }).push(bytes)).toThrow(/not an iSCSI PDU/);
    }
  });

  it('refuses a flood of unsolicited PDUs in one read', () => {
    const flood = Buffer.concat(Array.from({ length: 20 }, () => response('')));
    expect(() => new PduReader({ maxDataSegmentLength: 1024, maxQueued: 16 }).push(flood)).toThrow(expect.objectContaining({ kind: 'protocol' }));
  });
});
