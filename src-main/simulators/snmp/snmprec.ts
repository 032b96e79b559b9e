/**
 * Reads snmpsim's `.snmprec` recordings (`OID|tag|value`, one per line; snmp.md §3.1) into a sorted MIB view
 * the responder answers from. Each record's varbind is encoded once, here, so answering is copying bytes.
 * Bounded like any parser of outside input: file size, line count, value size, OID length.
 *
 * Format details handled: a tag suffix `x` (value in hex) or `e` (a Python string literal), a variation
 * module after a colon (`2:writecache|value=1`; the initial `value=`/`hexvalue=` is served, other modules'
 * lines are skipped), a leading dot on OID values, unsorted files (sorted here), and repeated OIDs (the
 * first one wins, which is what a walk of snmpsim returns before it trips over the repeat).
 */
import { encodeIntegerContent, encodeOidContent, MAX_OID_ARCS, TAG, tlv, tlvOf } from './ber';

export interface SnmprecLimits {
  /** Default 64 MiB. */
  maxBytes?: number;
  /** Default 2,000,000. */
  maxRecords?: number;
  /** Default 65,535 bytes of value. */
  maxValueBytes?: number;
}

export interface MibRecord {
  oid: string;
  arcs: number[];
  /** The arcs as 4-byte big-endian words: Buffer.compare on these is OID order. */
  key: Buffer;
  /** BER tag of the value on the wire (0x02, 0x04, 0x41, …). */
  wireTag: number;
  /** The whole encoded varbind, SEQUENCE { OID, value }. */
  varbind: Buffer;
}

export interface ParseReport {
  records: number;
  /** Lines that could not be used, with the first few reasons. */
  skipped: number;
  duplicates: number;
  problems: string[];
}

/** snmprec tag (BER tag number in decimal) → wire tag byte. */
const WIRE_TAG: Record<number, number> = {
  2: TAG.integer,
  4: TAG.octetString,
  5: TAG.null,
  6: TAG.oid,
  64: TAG.ipAddress,
  65: TAG.counter32,
  66: TAG.gauge32,
  67: TAG.timeTicks,
  68: TAG.opaque,
  70: TAG.counter64,
};

const OID_TEXT = /^\.?\d+(\.\d+)+$/;
const HEX = /^([0-9a-fA-F]{2})*$/;

export function parseOid(text: string): number[] {
  if (!OID_TEXT.test(text)) throw new Error(`"${text.slice(0, 80)}" is not an OID`);
  const arcs = (text.startsWith('.') ? text.slice(1) : text).split('.').map(Number);
  if (arcs.length > MAX_OID_ARCS) throw new Error(`OID longer than ${MAX_OID_ARCS} arcs`);
  for (const arc of arcs) if (!Number.isSafeInteger(arc) || arc > 0xffffffff) throw new Error(`OID arc ${arc} beyond 32 bits`);
  if (arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) throw new Error(`"${text.slice(0, 80)}" is not a valid OID (first arcs)`);
  return arcs;
}

export function oidKey(arcs: readonly number[]): Buffer {
  const key = Buffer.allocUnsafe(arcs.length * 4);
  for (let i = 0; i < arcs.length; i++) key.writeUInt32BE(arcs[i]!, i * 4);
  return key;
}

/** A Python string literal's escapes (snmprec `e` values): \n \r \t \\ \' \" \xHH \ooo. */
function unescapePython(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const e = text[++i]!;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
    if (e in simple) bytes.push(simple[e]!);
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i))![0];
      bytes.push(parseInt(digits, 8) & 0xff);
      i += digits.length - 1;
    } else bytes.push(92, ...Buffer.from(e, 'utf8'));
  }
  return Buffer.from(bytes);
}

function unsigned(text: string, max: bigint): bigint {
  if (!/^\d{1,20}$/.test(text)) throw new Error(`"${text.slice(0, 40)}" is not an unsigned number`);
  const n = BigInt(text);
  if (n > max) throw new Error(`${text} is too large`);
  return n;
}

/** The value's content bytes for a tag, from the recording's text (hex already decoded when `raw` is given). */
function valueContent(tag: number, text: string, raw: Buffer | null): Buffer {
  switch (tag) {
    case 2: {
      if (raw) return raw;
      if (!/^-?\d{1,11}$/.test(text)) throw new Error(`"${text.slice(0, 40)}" is not an integer`);
      const n = BigInt(text);
      if (n < -(2n ** 31n) || n >= 2n ** 31n) throw new Error(`${text} is not an Integer32`);
      return encodeIntegerContent(n);
    }
    case 4:
    case 68:
      return raw ?? Buffer.from(text, 'utf8');
    case 5:
      return Buffer.alloc(0);
    case 6:
      return encodeOidContent(parseOid(raw ? raw.toString('latin1') : text));
    case 64: {
      if (raw) {
        if (raw.length !== 4) throw new Error('an IpAddress needs 4 bytes');
        return raw;
      }
      const parts = text.split('.');
      if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`"${text.slice(0, 40)}" is not an IPv4 address`);
      return Buffer.from(parts.map(Number));
    }
    case 65:
    case 66:
    case 67:
      return raw ?? encodeIntegerContent(unsigned(text, 0xffffffffn));
    case 70:
      return raw ?? encodeIntegerContent(unsigned(text, 2n ** 64n - 1n));
    default:
      throw new Error(`tag ${tag} is not served`);
  }
}

/** What a variation-module line serves at first: `value=` or `hexvalue=` among its comma-separated options. */
function variationValue(text: string): { text: string; hex: boolean } | null {
  for (const option of text.split(',')) {
    const eq = option.indexOf('=');
    if (eq < 0) continue;
    const name = option.slice(0, eq).trim();
    if (name === 'value') return { text: option.slice(eq + 1), hex: false };
    if (name === 'hexvalue') return { text: option.slice(eq + 1), hex: true };
  }
  return null;
}

function parseLine(line: string, maxValueBytes: number): MibRecord {
  const first = line.indexOf('|');
  const second = first < 0 ? -1 : line.indexOf('|', first + 1);
  if (second < 0) throw new Error('not OID|tag|value');
  const oidText = line.slice(0, first);
  const tagText = line.slice(first + 1, second);
  let valueText = line.slice(second + 1);
  const tagMatch = /^(\d{1,3})([xe]?)(?::([A-Za-z0-9_-]+))?$/.exec(tagText);
  if (!tagMatch) throw new Error(`tag "${tagText.slice(0, 40)}" not understood`);
  const tag = Number(tagMatch[1]);
  let encoding = tagMatch[2]!;
  if (tagMatch[3] !== undefined) {
    const initial = variationValue(valueText);
    if (!initial) throw new Error(`variation module "${tagMatch[3]}" without an initial value`);
    valueText = initial.text;
    if (initial.hex) encoding = 'x';
  }
  const wireTag = WIRE_TAG[tag];
  if (wireTag === undefined) throw new Error(`tag ${tag} is not served`);
  if (valueText.length > maxValueBytes * 2 + 2) throw new Error('value too long');
  let raw: Buffer | null = null;
  if (encoding === 'x') {
    if (!HEX.test(valueText)) throw new Error('hex value is not hex');
    raw = Buffer.from(valueText, 'hex');
  } else if (encoding === 'e') {
    raw = unescapePython(valueText);
  }
  const content = valueContent(tag, valueText, raw);
  if (content.length > maxValueBytes) throw new Error('value too long');
  const arcs = parseOid(oidText);
  const oid = arcs.join('.');
  return { oid, arcs, key: oidKey(arcs), wireTag, varbind: tlvOf(TAG.sequence, [tlv(TAG.oid, encodeOidContent(arcs)), tlv(wireTag, content)]) };
}

/** A recording, sorted, ready for GET and GETNEXT. */
export class MibView {
  readonly records: readonly MibRecord[];
  readonly report: ParseReport;

  constructor(records: MibRecord[], report: ParseReport) {
    this.records = records;
    this.report = report;
  }

  /** Index of the first record whose OID is ≥ key (inclusive) or > key (exclusive); records.length if none. */
  seek(key: Buffer, inclusive: boolean): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = Buffer.compare(this.records[mid]!.key, key);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The record with exactly this OID, or undefined. */
  find(key: Buffer): MibRecord | undefined {
    const i = this.seek(key, true);
    const record = this.records[i];
    return record && record.key.equals(key) ? record : undefined;
  }

  /** Whether any record lies under this OID prefix (noSuchObject vs noSuchInstance). */
  hasUnder(key: Buffer): boolean {
    const record = this.records[this.seek(key, true)];
    return record !== undefined && record.key.length > key.length && record.key.subarray(0, key.length).equals(key);
  }
}

export function parseSnmprec(text: string, limits: SnmprecLimits = {}): MibView {
  const maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  const maxRecords = limits.maxRecords ?? 2_000_000;
  const maxValueBytes = limits.maxValueBytes ?? 65_535;
  if (text.length > maxBytes) throw new RangeError(`recording of ${text.length} bytes; at most ${maxBytes}`);
  const report: ParseReport = { records: 0, skipped: 0, duplicates: 0, problems: [] };
  const records: MibRecord[] = [];
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    lineNumber++;
    // snmpsim strips each line at both ends (`line.strip().split('|', 2)`), trailing spaces of values too.
    line = line.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    if (records.length >= maxRecords) throw new RangeError(`recording with more than ${maxRecords} records`);
    try {
      records.push(parseLine(line, maxValueBytes));
    } catch (error) {
      report.skipped++;
      if (report.problems.length < 10) report.problems.push(`line ${lineNumber}: ${(error as Error).message}`);
    }
  }
  // Stable sort: among repeated OIDs the first line stays first and is kept.
  records.sort((a, b) => Buffer.compare(a.key, b.key));
  const unique: MibRecord[] = [];
  for (const record of records) {
    const last = unique[unique.length - 1];
    if (last && last.key.equals(record.key)) report.duplicates++;
    else unique.push(record);
  }
  report.records = unique.length;
  return new MibView(unique, report);
}
