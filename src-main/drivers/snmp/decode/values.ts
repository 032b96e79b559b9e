/**
 * The decoders' shared ground: reading one column of a walk with its index parsed, turning varbind values
 * into numbers, text, bytes and bigints, and the `Gaps` notebook where every skipped value is counted.
 *
 * Every helper is total: a value of the wrong JavaScript type, a buffer too short or too long, an index
 * that is not a list of 32-bit sub-identifiers gives null (or is skipped), never an exception.
 */
import type { Varbind, Walk } from '../varbinds';

/** Bounds. A real agent stays far below them; a broken or hostile one cannot make a decoder loop or hoard. */
export const LIMITS = {
  /** Cells read from one column. */
  cellsPerColumn: 100_000,
  /** Sub-identifiers in one instance index (an LLDP management address index is ~25; an extend token ≤ 129). */
  indexLength: 160,
  /** Characters kept of a text value (sysDescr, ifAlias, …). */
  textChars: 4096,
  /** Bytes of a PortList decoded (8192 bridge ports). */
  portListBytes: 1024,
  /** Distinct gap notes kept. */
  gapNotes: 100,
  /** (VLAN, port) memberships kept: 4094 VLANs on every port of a 52-port switch is ~213,000. */
  memberships: 500_000,
  /** NET-SNMP-EXTEND outputs examined for bonding text. */
  extendOutputs: 256,
} as const;

export const MAX_SUBID = 4294967295;

/** One cell of a column: the instance index after the column OID, and the varbind. */
export interface Cell {
  index: number[];
  vb: Varbind;
}

/**
 * Where decoding skipped something, counted per object and reason so a 48-port switch with one bad column
 * gives one note, not 48.
 */
export class Gaps {
  private readonly counted = new Map<string, { object: string; reason: string; count: number; first: string }>();
  private readonly notes: string[] = [];
  private dropped = 0;

  /** A value skipped: `object` is the MIB name, `reason` short ("wrong type"), `where` the index. */
  skip(object: string, reason: string, where: string | readonly number[]): void {
    const key = `${object}\u0000${reason}`;
    const found = this.counted.get(key);
    if (found) {
      found.count++;
      return;
    }
    if (this.counted.size >= LIMITS.gapNotes) {
      this.dropped++;
      return;
    }
    this.counted.set(key, { object, reason, count: 1, first: typeof where === 'string' ? where : where.join('.') });
  }

  /** A free-form note (a table cut at a bound, a value that could not be related to a port). */
  note(message: string): void {
    if (this.notes.length >= LIMITS.gapNotes) {
      this.dropped++;
      return;
    }
    this.notes.push(message);
  }

  toArray(): string[] {
    const out = [...this.counted.values()].map(
      ({ object, reason, count, first }) => `${object}: ${count} value${count === 1 ? '' : 's'} skipped (${reason})${first ? `, first at .${first}` : ''}`,
    );
    out.push(...this.notes);
    if (this.dropped > 0) out.push(`${this.dropped} further notes left out`);
    return out;
  }
}

/** The instance index of `oid` under `prefix` ('' when equal), or null when it is not under it or not numeric. */
export function indexUnder(oid: string, prefix: string): number[] | null {
  if (oid.length <= prefix.length + 1 || !oid.startsWith(prefix) || oid.charCodeAt(prefix.length) !== 46 /* . */) return null;
  return parseSubids(oid.slice(prefix.length + 1));
}

/**
 * '1.2.3' → [1, 2, 3]; null unless every part is a decimal sub-identifier within 32 bits and within
 * LIMITS.indexLength. One pass over the characters: it runs for every varbind a poll decodes, where a
 * split and a regular expression per part were a quarter of the decoders' time.
 */
export function parseSubids(text: string): number[] | null {
  const length = text.length;
  if (length === 0 || length > LIMITS.indexLength * 11) return null;
  const out: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || n > MAX_SUBID || out.length === LIMITS.indexLength) return null;
      out.push(n);
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 10) {
      n = n * 10 + (c - 48);
      digits++;
    } else {
      return null; // not a digit, or an eleventh digit (beyond 32 bits)
    }
  }
  return out;
}

/**
 * The cells of one column (or any subtree), in walk order, from whichever walked root holds it: the column
 * itself, or a table/group root above it. Cells whose index does not parse are skipped and noted. A cell seen
 * twice (the column walked both alone and under its table, or an agent repeating itself) is kept once.
 */
export function column(walk: Walk, columnOid: string, gaps: Gaps, object: string): Cell[] {
  const out: Cell[] = [];
  const sources: (readonly Varbind[])[] = [];
  const exact = walk.get(columnOid);
  if (exact) sources.push(exact);
  for (const [root, varbinds] of walk) {
    if (root !== columnOid && columnOid.startsWith(root + '.')) sources.push(varbinds);
  }
  const prefix = columnOid + '.';
  // Duplicates are only possible when cells do not strictly increase (the walker's order) or come from two
  // sources; only then is every OID remembered, instead of hashing thousands of strings per poll.
  let seen: Set<string> | null = sources.length > 1 ? new Set() : null;
  let previous: number[] | null = null;
  for (const varbinds of sources) {
    if (!Array.isArray(varbinds)) continue;
    for (const vb of varbinds) {
      if (out.length >= LIMITS.cellsPerColumn) {
        gaps.note(`${object}: more than ${LIMITS.cellsPerColumn} rows; the rest were not read`);
        return out;
      }
      if (!isVarbind(vb) || !vb.oid.startsWith(prefix)) continue;
      const index = vb.oid.length > prefix.length ? parseSubids(vb.oid.slice(prefix.length)) : null;
      if (!index) {
        gaps.skip(object, 'unreadable index', vb.oid.slice(prefix.length, prefix.length + 40));
        continue;
      }
      if (seen === null && previous !== null && compareIndexes(previous, index) >= 0) seen = new Set(out.map((cell) => cell.vb.oid));
      previous = index;
      if (seen !== null) {
        if (seen.has(vb.oid)) continue;
        seen.add(vb.oid);
      }
      out.push({ index, vb });
    }
  }
  return out;
}

/** Negative, zero or positive as index a sorts before, equal to or after b (OID order). */
function compareIndexes(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function isVarbind(vb: unknown): vb is Varbind {
  return typeof vb === 'object' && vb !== null && typeof (vb as Varbind).oid === 'string';
}

/** A column keyed by its single-number index (ifIndex, bridge port, …); other index shapes are skipped. */
export function columnByIndex<T>(
  walk: Walk,
  columnOid: string,
  gaps: Gaps,
  object: string,
  read: (vb: Varbind) => T | null,
): Map<number, T> {
  const out = new Map<number, T>();
  for (const { index, vb } of column(walk, columnOid, gaps, object)) {
    if (index.length !== 1) {
      gaps.skip(object, 'index is not a single number', index);
      continue;
    }
    const value = read(vb);
    if (value === null) {
      gaps.skip(object, 'wrong type or malformed value', index);
      continue;
    }
    out.set(index[0]!, value);
  }
  return out;
}

/** The value of scalar `objectOid`.0 (or, as some agents answer, the bare object), or undefined when absent. */
export function scalar(walk: Walk, objectOid: string): Varbind | undefined {
  const instance = objectOid + '.0';
  let bare: Varbind | undefined;
  for (const [root, varbinds] of walk) {
    if (!(root === instance || instance.startsWith(root + '.')) || !Array.isArray(varbinds)) continue;
    for (const vb of varbinds) {
      if (!isVarbind(vb)) continue;
      if (vb.oid === instance) return vb;
      if (vb.oid === objectOid) bare = vb;
    }
  }
  return bare;
}

// ---------------------------------------------------------------------------------------------------------
// Values

/** An integer (Integer32, Counter32, Gauge32, TimeTicks), or null for any other type. */
export function int(vb: Varbind): number | null {
  const v = vb.value;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  return null;
}

/** A non-negative integer within 32 bits (an ifIndex, a VLAN, a bridge port), or null. */
export function uint32(vb: Varbind): number | null {
  const n = int(vb);
  return n !== null && n >= 0 && n <= MAX_SUBID ? n : null;
}

/** The octets of an OCTET STRING or Opaque, or null for any other type. */
export function bytes(vb: Varbind): Buffer | null {
  return Buffer.isBuffer(vb.value) ? vb.value : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of a DisplayString/SnmpAdminString: UTF-8 when it is valid UTF-8, else Latin-1 (older agents send
 * 8-bit code pages). Trailing NULs (C-string padding) are dropped; capped at LIMITS.textChars.
 * A string value (net-snmp gives OIDs and IpAddresses as strings) is taken as it is.
 */
export function text(vb: Varbind): string | null {
  const v = vb.value;
  if (typeof v === 'string') return v.slice(0, LIMITS.textChars);
  if (!Buffer.isBuffer(v)) return null;
  return bufferText(v);
}

export function bufferText(buf: Buffer, maxChars: number = LIMITS.textChars): string {
  let end = Math.min(buf.length, maxChars * 4);
  while (end > 0 && buf[end - 1] === 0) end--;
  const slice = buf.subarray(0, end);
  let out: string;
  try {
    out = utf8.decode(slice);
  } catch {
    out = slice.toString('latin1');
  }
  return out.length > maxChars ? out.slice(0, maxChars) : out;
}

/** Counter64 as net-snmp gives it (big-endian Buffer of any length ≤ 9 with a leading zero), a bigint, or a Counter32 number. */
export function counter64(vb: Varbind): bigint | null {
  const v = vb.value;
  if (typeof v === 'bigint') return v >= 0n && v < 1n << 64n ? v : null;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : null;
  if (Buffer.isBuffer(v)) {
    if (v.length === 0 || v.length > 9) return null;
    const n = BigInt('0x' + v.toString('hex'));
    return n < 1n << 64n ? n : null;
  }
  return null;
}

/** An OBJECT IDENTIFIER value, dotted without a leading dot, or null. */
export function oidValue(vb: Varbind): string | null {
  const v = vb.value;
  if (typeof v !== 'string') return null;
  const s = v.startsWith('.') ? v.slice(1) : v;
  return parseSubids(s) ? s : null;
}

/** An IpAddress value as a dotted quad (net-snmp gives a string; a 4-byte buffer is accepted), or null. */
export function ipv4Value(vb: Varbind): string | null {
  const v = vb.value;
  if (Buffer.isBuffer(v)) return v.length === 4 ? [...v].join('.') : null;
  if (typeof v !== 'string') return null;
  const parts = v.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number).join('.');
}

/** Lower-case colon hex of a byte string ('' for none); null above 32 bytes, which no hardware address has. */
export function colonHex(buf: Buffer): string | null {
  if (buf.length > 32) return null;
  return [...buf].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * A MAC address from a value that should be 6 octets but is sometimes sent as text
 * ("00:50:d7:12:68:68", "00-50-D7-12-68-68", "0050.d712.6868", "0050d7126868"). Null when neither.
 */
export function macFrom(buf: Buffer): string | null {
  if (buf.length === 6) return colonHex(buf);
  if (buf.length < 12 || buf.length > 17) return null;
  const s = buf.toString('latin1');
  if (!/^[0-9a-fA-F]{2}([:\- ]?[0-9a-fA-F]{2}){5}$/.test(s) && !/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(s)) return null;
  const hex = s.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return hex.match(/../g)!.join(':');
}

/** Whether every byte is printable ASCII (or tab/CR/LF): how an LLDP "local" or name-typed ID is told from binary. */
export function isPrintable(buf: Buffer): boolean {
  for (const b of buf) if ((b < 0x20 || b > 0x7e) && b !== 9 && b !== 10 && b !== 13) return false;
  return true;
}

/** Numeric ascending compare for sort(). */
export const byNumber = (a: number, b: number): number => a - b;
