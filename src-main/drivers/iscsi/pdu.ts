/**
 * iSCSI PDUs on the wire (RFC 7143 §11): the 48-byte Basic Header Segment, then any AHS, then the data segment
 * padded to a multiple of 4. Digests are never negotiated by the probe (HeaderDigest=None, DataDigest=None), so
 * none are read or written. Encoders for the four requests a discovery session sends, readers for the answers,
 * and a bounded stream decoder. All numbers are big-endian.
 */
import { ProbeError, describeSize, protocolError } from './errors/probe-error';

export const BHS_LENGTH = 48;
/** The reserved tag value (§11.1): "no task" for ITT, "new request" for TTT. */
export const RESERVED_TAG = 0xffffffff;
/** DataSegmentLength is 24 bits (§11.2.1.5). */
export const MAX_DATA_SEGMENT_LENGTH = 0xffffff;

/** §11.2.1.2. Initiator opcodes are 0x00–0x1f, target opcodes 0x20–0x3f. */
export const Opcode = {
  NopOut: 0x00,
  LoginRequest: 0x03,
  TextRequest: 0x04,
  LogoutRequest: 0x06,
  NopIn: 0x20,
  ScsiResponse: 0x21,
  TaskResponse: 0x22,
  LoginResponse: 0x23,
  TextResponse: 0x24,
  DataIn: 0x25,
  LogoutResponse: 0x26,
  ReadyToTransfer: 0x31,
  AsyncMessage: 0x32,
  Reject: 0x3f,
} as const;

/** Target opcodes RFC 7143 defines (0x3c–0x3e are vendor-specific). Anything else is not iSCSI from a target. */
export function isTargetOpcode(opcode: number): boolean {
  return (opcode >= 0x20 && opcode <= 0x26) || opcode === 0x31 || opcode === 0x32 || opcode >= 0x3c && opcode <= 0x3f;
}

/** Login stages (§11.12.3): CSG and NSG. 2 is reserved. */
export const Stage = { Security: 0, Operational: 1, FullFeature: 3 } as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

const FLAG_FINAL = 0x80; // F on most PDUs, T (transit) on Login
const FLAG_CONTINUE = 0x40; // C on Login and Text
const FLAG_IMMEDIATE = 0x40; // I, in byte 0

export interface Pdu {
  opcode: number;
  immediate: boolean;
  /** Byte 1: F/T, C, and the opcode-specific bits. */
  flags: number;
  /** The whole 48-byte BHS, for opcode-specific fields. */
  bhs: Buffer;
  /** The data segment without padding. */
  data: Buffer;
}

export const pad4 = (length: number) => (length + 3) & ~3;

/** A BHS with the common fields set, then the data padded with zeros (§11.2.3). */
function frame(opcode: number, immediate: boolean, flags: number, data: Uint8Array): { bhs: Buffer; pdu: Buffer } {
  if (data.length > MAX_DATA_SEGMENT_LENGTH) throw new RangeError(`a data segment of ${data.length} bytes does not fit 24 bits`);
  const pdu = Buffer.alloc(BHS_LENGTH + pad4(data.length));
  pdu[0] = (immediate ? FLAG_IMMEDIATE : 0) | (opcode & 0x3f);
  pdu[1] = flags & 0xff;
  pdu.writeUIntBE(data.length, 5, 3);
  pdu.set(data, BHS_LENGTH);
  return { bhs: pdu.subarray(0, BHS_LENGTH), pdu };
}

export interface LoginRequestFields {
  transit: boolean;
  continue?: boolean;
  csg: Stage;
  /** Only meaningful with transit (§11.12.3); 0 otherwise. */
  nsg: Stage;
  /** 6 bytes (§11.12.5). */
  isid: Uint8Array;
  tsih: number;
  itt: number;
  cid: number;
  cmdSN: number;
  expStatSN: number;
}

/** §11.12. Always immediate (byte 0 = 0x43); Version-max and Version-min are both 0x00. */
export function encodeLoginRequest(fields: LoginRequestFields, data: Uint8Array = Buffer.alloc(0)): Buffer {
  if (fields.isid.length !== 6) throw new RangeError('an ISID is 6 bytes');
  const flags = (fields.transit ? FLAG_FINAL : 0) | (fields.continue ? FLAG_CONTINUE : 0) | (fields.csg << 2) | (fields.transit ? fields.nsg : 0);
  const { bhs, pdu } = frame(Opcode.LoginRequest, true, flags, data);
  bhs.set(fields.isid, 8);
  bhs.writeUInt16BE(fields.tsih, 14);
  bhs.writeUInt32BE(fields.itt >>> 0, 16);
  bhs.writeUInt16BE(fields.cid, 20);
  bhs.writeUInt32BE(fields.cmdSN >>> 0, 24);
  bhs.writeUInt32BE(fields.expStatSN >>> 0, 28);
  return pdu;
}

export interface TextRequestFields {
  final: boolean;
  continue?: boolean;
  immediate?: boolean;
  itt: number;
  ttt: number;
  cmdSN: number;
  expStatSN: number;
}

/** §11.10. LUN is 0: discovery is not about a LUN. */
export function encodeTextRequest(fields: TextRequestFields, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const flags = (fields.final ? FLAG_FINAL : 0) | (fields.continue ? FLAG_CONTINUE : 0);
  const { bhs, pdu } = frame(Opcode.TextRequest, fields.immediate ?? false, flags, data);
  bhs.writeUInt32BE(fields.itt >>> 0, 16);
  bhs.writeUInt32BE(fields.ttt >>> 0, 20);
  bhs.writeUInt32BE(fields.cmdSN >>> 0, 24);
  bhs.writeUInt32BE(fields.expStatSN >>> 0, 28);
  return pdu;
}

export interface LogoutRequestFields {
  /** 0 close the session, 1 close the connection, 2 remove the connection for recovery (§11.14.1). */
  reason: number;
  itt: number;
  cid: number;
  cmdSN: number;
  expStatSN: number;
}

/** §11.14. Sent immediate, so it neither advances nor waits on CmdSN. */
export function encodeLogoutRequest(fields: LogoutRequestFields): Buffer {
  const { bhs, pdu } = frame(Opcode.LogoutRequest, true, FLAG_FINAL | (fields.reason & 0x7f), Buffer.alloc(0));
  bhs.writeUInt32BE(fields.itt >>> 0, 16);
  bhs.writeUInt16BE(fields.cid, 20);
  bhs.writeUInt32BE(fields.cmdSN >>> 0, 24);
  bhs.writeUInt32BE(fields.expStatSN >>> 0, 28);
  return pdu;
}

export interface NopOutFields {
  itt: number;
  ttt: number;
  cmdSN: number;
  expStatSN: number;
}

/** §11.18: the answer to a target's ping (NOP-In with a TTT), immediate, echoing the TTT and any data. */
export function encodeNopOut(fields: NopOutFields, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const { bhs, pdu } = frame(Opcode.NopOut, true, FLAG_FINAL, data);
  bhs.writeUInt32BE(fields.itt >>> 0, 16);
  bhs.writeUInt32BE(fields.ttt >>> 0, 20);
  bhs.writeUInt32BE(fields.cmdSN >>> 0, 24);
  bhs.writeUInt32BE(fields.expStatSN >>> 0, 28);
  return pdu;
}

export interface LoginResponse {
  transit: boolean;
  continue: boolean;
  csg: number;
  nsg: number;
  versionMax: number;
  versionActive: number;
  isid: Buffer;
  tsih: number;
  itt: number;
  statSN: number;
  expCmdSN: number;
  maxCmdSN: number;
  statusClass: number;
  statusDetail: number;
}

/** §11.13. */
export function readLoginResponse(pdu: Pdu): LoginResponse {
  const { bhs, flags } = pdu;
  return {
    transit: (flags & FLAG_FINAL) !== 0,
    continue: (flags & FLAG_CONTINUE) !== 0,
    csg: (flags >> 2) & 3,
    nsg: flags & 3,
    versionMax: bhs[2]!,
    versionActive: bhs[3]!,
    isid: Buffer.from(bhs.subarray(8, 14)),
    tsih: bhs.readUInt16BE(14),
    itt: bhs.readUInt32BE(16),
    statSN: bhs.readUInt32BE(24),
    expCmdSN: bhs.readUInt32BE(28),
    maxCmdSN: bhs.readUInt32BE(32),
    statusClass: bhs[36]!,
    statusDetail: bhs[37]!,
  };
}

export interface TextResponse {
  final: boolean;
  continue: boolean;
  itt: number;
  ttt: number;
  statSN: number;
  expCmdSN: number;
  maxCmdSN: number;
}

/** §11.11. */
export function readTextResponse(pdu: Pdu): TextResponse {
  const { bhs, flags } = pdu;
  return {
    final: (flags & FLAG_FINAL) !== 0,
    continue: (flags & FLAG_CONTINUE) !== 0,
    itt: bhs.readUInt32BE(16),
    ttt: bhs.readUInt32BE(20),
    statSN: bhs.readUInt32BE(24),
    expCmdSN: bhs.readUInt32BE(28),
    maxCmdSN: bhs.readUInt32BE(32),
  };
}

/** §11.15: byte 2 is the response, 0 = closed successfully. */
export function readLogoutResponse(pdu: Pdu): { response: number; itt: number; statSN: number } {
  return { response: pdu.bhs[2]!, itt: pdu.bhs.readUInt32BE(16), statSN: pdu.bhs.readUInt32BE(24) };
}

/** §11.19: NOP-In. A TTT other than 0xffffffff is a ping the initiator must answer. */
export function readNopIn(pdu: Pdu): { itt: number; ttt: number; statSN: number } {
  return { itt: pdu.bhs.readUInt32BE(16), ttt: pdu.bhs.readUInt32BE(20), statSN: pdu.bhs.readUInt32BE(24) };
}

const REJECT_REASONS: ReadonlyMap<number, string> = new Map([
  [0x02, 'data digest error'],
  [0x03, 'SNACK reject'],
  [0x04, 'protocol error'],
  [0x05, 'command not supported'],
  [0x06, 'immediate command rejected'],
  [0x07, 'task in progress'],
  [0x08, 'invalid data ack'],
  [0x09, 'invalid PDU field'],
  [0x0a, 'out of resources'],
  [0x0c, 'waiting for logout'],
]);

/** §11.17: the reason in byte 2, as words. */
export function describeReject(pdu: Pdu): string {
  const reason = pdu.bhs[2]!;
  return `${REJECT_REASONS.get(reason) ?? 'unknown reason'} (reason 0x${reason.toString(16).padStart(2, '0')})`;
}

export interface PduReaderLimits {
  /** The largest data segment accepted: what the probe declared as MaxRecvDataSegmentLength. */
  maxDataSegmentLength: number;
  /** How many decoded PDUs may wait unread before the peer counts as flooding (default 16). */
  maxQueued?: number;
}

/**
 * Turns a byte stream into PDUs. Memory is bounded: the header is checked as soon as its 48 bytes are in, so
 * an oversized DataSegmentLength is refused before its data is buffered, and at most one PDU (plus the rest of
 * the current chunk) is held. The AHS (§11.2.1.4, at most 255 words) is skipped; nothing the probe asks for
 * uses one. After a failure the reader stays failed.
 */
export class PduReader {
  private readonly limits: Required<PduReaderLimits>;
  private readonly acceptOpcode: (opcode: number) => boolean;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failure: ProbeError | null = null;

  constructor(limits: PduReaderLimits, acceptOpcode: (opcode: number) => boolean = isTargetOpcode) {
    this.limits = { maxQueued: 16, ...limits };
    this.acceptOpcode = acceptOpcode;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** The PDUs completed by this chunk (possibly none). Throws ProbeError ('protocol' or 'too-large'). */
  push(chunk: Uint8Array): Pdu[] {
    if (this.failure) throw this.failure;
    try {
      return this.decode(chunk);
    } catch (error) {
      this.failure = error instanceof ProbeError ? error : protocolError(`undecodable PDU: ${String(error)}`);
      this.chunks = [];
      this.buffered = 0;
      throw this.failure;
    }
  }

  private decode(chunk: Uint8Array): Pdu[] {
    if (chunk.length > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const out: Pdu[] = [];
    for (;;) {
      if (this.buffered < BHS_LENGTH) break;
      const head = this.peek(BHS_LENGTH);
      const { ahsLength, dataLength } = this.checkHeader(head);
      const total = BHS_LENGTH + ahsLength + pad4(dataLength);
      if (this.buffered < total) break;
      const whole = this.take(total);
      out.push({
        opcode: whole[0]! & 0x3f,
        immediate: (whole[0]! & FLAG_IMMEDIATE) !== 0,
        flags: whole[1]!,
        bhs: Buffer.from(whole.subarray(0, BHS_LENGTH)),
        data: Buffer.from(whole.subarray(BHS_LENGTH + ahsLength, BHS_LENGTH + ahsLength + dataLength)),
      });
      if (out.length > this.limits.maxQueued) throw protocolError(`the target sent more than ${this.limits.maxQueued} PDUs at once without being asked`);
    }
    return out;
  }

  private checkHeader(head: Buffer): { ahsLength: number; dataLength: number } {
    const opcode = head[0]! & 0x3f;
    if ((head[0]! & 0x80) !== 0 || !this.acceptOpcode(opcode)) {
      throw protocolError(`not an iSCSI PDU: byte 0 is 0x${head[0]!.toString(16).padStart(2, '0')} (${describeOpcode(opcode)})`);
    }
    const ahsLength = head[4]! * 4;
    const dataLength = head.readUIntBE(5, 3);
    if (dataLength > this.limits.maxDataSegmentLength) {
      throw new ProbeError(
        'too-large',
        `a PDU announced a ${describeSize(dataLength)} data segment, above the ${describeSize(this.limits.maxDataSegmentLength)} the probe accepts (MaxRecvDataSegmentLength)`,
      );
    }
    return { ahsLength, dataLength };
  }

  private peek(length: number): Buffer {
    if (this.chunks[0]!.length < length) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, length);
  }

  private take(length: number): Buffer {
    if (this.chunks[0]!.length < length) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    const taken = first.subarray(0, length);
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
    this.buffered -= length;
    return taken;
  }
}

const OPCODE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Opcode).map(([name, code]) => [code, name]));

/** "LoginResponse (0x23)", "opcode 0x15". */
export function describeOpcode(opcode: number): string {
  const name = OPCODE_NAMES.get(opcode);
  const hex = `0x${opcode.toString(16).padStart(2, '0')}`;
  return name ? `${name} (${hex})` : `opcode ${hex}`;
}
