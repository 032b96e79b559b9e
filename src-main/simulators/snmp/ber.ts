/**
 * The slice of BER (X.690) that SNMP messages use: definite lengths only, INTEGER, OCTET STRING, NULL,
 * OBJECT IDENTIFIER, SEQUENCE and the SNMP application and context tags. The reader is for untrusted
 * datagrams: every length is checked against what is left, integers and OIDs are bounded, and it throws
 * BerError rather than reading past the end.
 */

export class BerError extends Error {
  override readonly name = 'BerError';
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  ipAddress: 0x40,
  counter32: 0x41,
  gauge32: 0x42,
  timeTicks: 0x43,
  opaque: 0x44,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
  getRequest: 0xa0,
  getNextRequest: 0xa1,
  response: 0xa2,
  setRequest: 0xa3,
  getBulkRequest: 0xa5,
} as const;

/** Longest OID accepted (RFC 2578 §3.5: at most 128 sub-identifiers). */
export const MAX_OID_ARCS = 128;

export class BerReader {
  private offset: number;
  private readonly end: number;

  constructor(
    private readonly buffer: Buffer,
    start = 0,
    end = buffer.length,
  ) {
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  peekTag(): number {
    if (this.offset >= this.end) throw new BerError('unexpected end of data');
    return this.buffer[this.offset]!;
  }

  /** Reads a tag and length; returns the tag and the content's [start, end) and moves past it. */
  readTlv(expected?: number): { tag: number; start: number; end: number } {
    if (this.remaining < 2) throw new BerError('unexpected end of data');
    const tag = this.buffer[this.offset++]!;
    if ((tag & 0x1f) === 0x1f) throw new BerError('multi-byte tags are not used by SNMP');
    if (expected !== undefined && tag !== expected) throw new BerError(`expected tag 0x${expected.toString(16)}, found 0x${tag.toString(16)}`);
    let length = this.buffer[this.offset++]!;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      if (bytes === 0) throw new BerError('indefinite lengths are not allowed');
      if (bytes > 3) throw new BerError('length too long');
      if (this.remaining < bytes) throw new BerError('unexpected end of data');
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + this.buffer[this.offset++]!;
    }
    if (length > this.remaining) throw new BerError(`length ${length} runs past the end (${this.remaining} left)`);
    const start = this.offset;
    this.offset += length;
    return { tag, start, end: start + length };
  }

  /** A constructed value's contents as a reader of their own. */
  readConstructed(expected?: number): { tag: number; reader: BerReader } {
    const { tag, start, end } = this.readTlv(expected);
    return { tag, reader: new BerReader(this.buffer, start, end) };
  }

  /** A signed INTEGER of at most 5 content bytes (enough for any 32-bit value, signed or not). */
  readInteger(expected: number = TAG.integer): number {
    const { start, end } = this.readTlv(expected);
    const length = end - start;
    if (length === 0 || length > 5) throw new BerError(`integer of ${length} bytes`);
    let value = this.buffer[start]! & 0x80 ? -1 : 0;
    for (let i = start; i < end; i++) value = value * 256 + this.buffer[i]!;
    return value;
  }

  readOctets(expected: number = TAG.octetString): Buffer {
    const { start, end } = this.readTlv(expected);
    return this.buffer.subarray(start, end);
  }

  readNull(): void {
    const { start, end } = this.readTlv();
    if (end !== start) throw new BerError('NULL with content');
  }

  /** An OBJECT IDENTIFIER as its arcs. */
  readOid(): number[] {
    const { start, end } = this.readTlv(TAG.oid);
    return decodeOidContent(this.buffer, start, end);
  }

  /** Skips one element of any type. */
  skip(): void {
    this.readTlv();
  }
}

export function decodeOidContent(buffer: Buffer, start: number, end: number): number[] {
  if (end <= start) throw new BerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const byte = buffer[i]!;
    if (bytes === 0 && byte === 0x80) throw new BerError('OID arc with a leading 0x80');
    value = value * 128 + (byte & 0x7f);
    if (++bytes > 5 || value > 0xffffffff) throw new BerError('OID arc beyond 32 bits');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      if (arcs.length > MAX_OID_ARCS) throw new BerError(`OID longer than ${MAX_OID_ARCS} arcs`);
      value = 0;
      bytes = 0;
    }
  }
  if (bytes !== 0) throw new BerError('OID ends inside an arc');
  return arcs;
}

// ---- writing ----

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  if (length < 0x10000) return Buffer.from([0x82, length >> 8, length & 0xff]);
  return Buffer.from([0x83, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** A TLV whose content is several parts, without concatenating them twice. */
export function tlvOf(tag: number, parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  return Buffer.concat([Buffer.from([tag]), encodeLength(length), ...parts], 1 + encodeLength(length).length + length);
}

/** Two's-complement, minimal length (a signed 32-bit value or, for application types, unsigned 32-bit). */
export function encodeIntegerContent(value: number | bigint): Buffer {
  let n = BigInt(value);
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(n & 0xffn);
    bytes.unshift(byte);
    n >>= 8n;
    if ((n === 0n && (byte & 0x80) === 0) || (n === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

export function encodeInteger(value: number | bigint, tag: number = TAG.integer): Buffer {
  return tlv(tag, encodeIntegerContent(value));
}

export function encodeOidContent(arcs: readonly number[]): Buffer {
  if (arcs.length < 2) throw new RangeError('an OID needs two arcs');
  const out: number[] = [];
  const push = (value: number) => {
    const group: number[] = [value & 0x7f];
    value = Math.floor(value / 128);
    while (value > 0) {
      group.unshift((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    out.push(...group);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (let i = 2; i < arcs.length; i++) push(arcs[i]!);
  return Buffer.from(out);
}

export function encodeOid(arcs: readonly number[]): Buffer {
  return tlv(TAG.oid, encodeOidContent(arcs));
}
