/**
 * The target's side of the iSCSI wire (RFC 7143 §11): reading initiator PDUs and writing target PDUs, and text
 * keys (§6.1). Written apart from drivers/iscsi on purpose, so the probe and this responder check each other.
 * Bounded: a header is judged as soon as its 48 bytes are in, and a data segment above the declared limit
 * ends the connection before it is buffered.
 */

export const BHS = 48;
export const RESERVED_TAG = 0xffffffff;

export const Op = {
  NopOut: 0x00,
  ScsiCommand: 0x01,
  LoginRequest: 0x03,
  TextRequest: 0x04,
  LogoutRequest: 0x06,
  NopIn: 0x20,
  LoginResponse: 0x23,
  TextResponse: 0x24,
  LogoutResponse: 0x26,
  Reject: 0x3f,
} as const;

/** Initiator opcodes RFC 7143 defines (§11.2.1.2), plus the vendor-specific 0x1c–0x1e. */
const INITIATOR_OPCODES = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x1c, 0x1d, 0x1e]);

export interface InitiatorPdu {
  opcode: number;
  immediate: boolean;
  flags: number;
  bhs: Buffer;
  data: Buffer;
}

export const u32 = (bhs: Buffer, offset: number) => bhs.readUInt32BE(offset);
const pad4 = (n: number) => (n + 3) & ~3;

export class WireError extends Error {}

/** Turns the initiator's byte stream into PDUs; throws WireError on anything that is not an initiator PDU. */
export class InitiatorPduReader {
  private pending: Buffer = Buffer.alloc(0);
  maxDataSegmentLength: number;

  constructor(maxDataSegmentLength: number) {
    this.maxDataSegmentLength = maxDataSegmentLength;
  }

  push(chunk: Buffer): InitiatorPdu[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: InitiatorPdu[] = [];
    while (this.pending.length >= BHS) {
      const opcode = this.pending[0]! & 0x3f;
      if ((this.pending[0]! & 0x80) !== 0 || !INITIATOR_OPCODES.has(opcode)) throw new WireError(`byte 0 is 0x${this.pending[0]!.toString(16)}, not an initiator opcode`);
      const ahs = this.pending[4]! * 4;
      const length = this.pending.readUIntBE(5, 3);
      if (length > this.maxDataSegmentLength) throw new WireError(`a data segment of ${length} bytes is above MaxRecvDataSegmentLength ${this.maxDataSegmentLength}`);
      const total = BHS + ahs + pad4(length);
      if (this.pending.length < total) break;
      out.push({
        opcode,
        immediate: (this.pending[0]! & 0x40) !== 0,
        flags: this.pending[1]!,
        bhs: Buffer.from(this.pending.subarray(0, BHS)),
        data: Buffer.from(this.pending.subarray(BHS + ahs, BHS + ahs + length)),
      });
      this.pending = this.pending.subarray(total);
    }
    if (this.pending.length === 0) this.pending = Buffer.alloc(0);
    return out;
  }
}

export interface TargetPduFields {
  opcode: number;
  flags: number;
  /** Bytes 2 and 3 (versions, logout response, reject reason). */
  byte2?: number;
  byte3?: number;
  isid?: Buffer;
  tsih?: number;
  itt: number;
  ttt?: number;
  statSN: number;
  expCmdSN: number;
  maxCmdSN: number;
  statusClass?: number;
  statusDetail?: number;
}

/** A target PDU: the BHS laid out as §11.11/§11.13/§11.15/§11.17/§11.19 have it, then the data padded to 4. */
export function encodeTargetPdu(fields: TargetPduFields, data: Buffer = Buffer.alloc(0), announcedLength = data.length): Buffer {
  const pdu = Buffer.alloc(BHS + pad4(data.length));
  pdu[0] = fields.opcode;
  pdu[1] = fields.flags;
  pdu[2] = fields.byte2 ?? 0;
  pdu[3] = fields.byte3 ?? 0;
  pdu.writeUIntBE(announcedLength, 5, 3);
  if (fields.isid) fields.isid.copy(pdu, 8, 0, 6);
  if (fields.tsih !== undefined) pdu.writeUInt16BE(fields.tsih, 14);
  pdu.writeUInt32BE(fields.itt >>> 0, 16);
  if (fields.ttt !== undefined) pdu.writeUInt32BE(fields.ttt >>> 0, 20);
  pdu.writeUInt32BE(fields.statSN >>> 0, 24);
  pdu.writeUInt32BE(fields.expCmdSN >>> 0, 28);
  pdu.writeUInt32BE(fields.maxCmdSN >>> 0, 32);
  pdu[36] = fields.statusClass ?? 0;
  pdu[37] = fields.statusDetail ?? 0;
  data.copy(pdu, BHS);
  return pdu;
}

const KEY = /^[A-Z][A-Za-z0-9.\-+@_#]{0,62}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_PAIRS = 256;
const MAX_VALUE_BYTES = 8192;

/** The pairs of an initiator's text (§6.1); throws WireError on a malformed one. */
export function parseTextKeys(data: Buffer): [string, string][] {
  if (data.length > 0 && data[data.length - 1] !== 0) throw new WireError('the text does not end with NUL');
  const pairs: [string, string][] = [];
  for (const record of data.toString('latin1').split('\0')) {
    if (record === '') continue;
    if (pairs.length >= MAX_PAIRS) throw new WireError('too many keys');
    const equals = record.indexOf('=');
    if (equals <= 0) throw new WireError('a record without key=');
    let text: string;
    try {
      text = utf8.decode(Buffer.from(record, 'latin1'));
    } catch {
      throw new WireError('text that is not UTF-8');
    }
    const at = text.indexOf('=');
    const key = text.slice(0, at);
    const value = text.slice(at + 1);
    if (!KEY.test(key) || Buffer.byteLength(value) > MAX_VALUE_BYTES) throw new WireError(`a bad key or value (${key.slice(0, 64)})`);
    pairs.push([key, value]);
  }
  return pairs;
}

export const encodeTextKeys = (pairs: readonly (readonly [string, string])[]) => Buffer.from(pairs.map(([k, v]) => `${k}=${v}\0`).join(''), 'utf8');
