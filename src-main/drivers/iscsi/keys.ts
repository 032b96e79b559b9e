/**
 * Text keys (RFC 7143 §6.1): a data segment of `key=value\0` strings in UTF-8. Keys are case-sensitive names of
 * at most 63 characters (letters, digits, `.-+@_`, and `#` for `X#` names, starting with a capital letter).
 * A list value is comma-separated, a number decimal or `0x` hex (§6.1, §13). Parsing is bounded in pairs and in
 * bytes per key and value, refuses invalid UTF-8, and never builds an object keyed by peer text, so a key named
 * `__proto__` is only a string.
 */
import { ProbeError, protocolError } from './errors/probe-error';

export type KeyPair = readonly [key: string, value: string];

export interface KeyLimits {
  /** Pairs per answer. SendTargets repeats TargetName/TargetAddress, so this is large. */
  maxPairs: number;
  /** §6.1: 63. */
  maxKeyBytes: number;
  /** §6.1 caps a value at 255 bytes unless a key says otherwise; CHAP_C/CHAP_R in hex and long aliases need more. */
  maxValueBytes: number;
}

export const DEFAULT_KEY_LIMITS: Readonly<KeyLimits> = { maxPairs: 65_536, maxKeyBytes: 63, maxValueBytes: 8_192 };

const KEY_NAME = /^[A-Z][A-Za-z0-9.\-+@_#]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `key=value\0` for each pair, validated so the probe never sends something it would refuse to read. */
export function encodeKeys(pairs: readonly KeyPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of pairs) {
    if (!KEY_NAME.test(key) || Buffer.byteLength(key) > DEFAULT_KEY_LIMITS.maxKeyBytes) throw new RangeError(`"${key}" is not an iSCSI key name`);
    if (value.includes('\0')) throw new RangeError(`the value of ${key} contains a NUL byte`);
    parts.push(Buffer.from(`${key}=${value}\0`, 'utf8'));
  }
  return Buffer.concat(parts);
}

/**
 * The pairs of a data segment (or of several concatenated, §6.2: a pair may straddle PDUs, so callers join
 * the data before parsing). Empty strings between NULs are skipped, since some targets pad with NULs; data
 * that does not end in NUL is a truncated pair. Duplicates are kept; see uniqueKeys.
 */
export function parseKeys(data: Uint8Array, limits: KeyLimits = DEFAULT_KEY_LIMITS): KeyPair[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0) {
    throw protocolError(`a key=value pair is not NUL-terminated (the text ends with "${preview(bytes.subarray(Math.max(0, bytes.length - 24)))}")`);
  }
  const pairs: KeyPair[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0, start);
    if (end > start) {
      if (pairs.length >= limits.maxPairs) throw new ProbeError('too-large', `more than ${limits.maxPairs} key=value pairs in one answer`);
      pairs.push(parsePair(bytes.subarray(start, end), limits));
    }
    start = end + 1;
  }
  return pairs;
}

function parsePair(record: Buffer, limits: KeyLimits): KeyPair {
  const equals = record.indexOf(0x3d); // '='
  if (equals < 0) throw protocolError(`"${preview(record)}" is not a key=value pair`);
  if (equals === 0) throw protocolError(`"${preview(record)}" has no key name`);
  if (equals > limits.maxKeyBytes) throw protocolError(`a key name of ${equals} bytes is longer than the ${limits.maxKeyBytes} allowed (RFC 7143 §6.1)`);
  const valueBytes = record.length - equals - 1;
  if (valueBytes > limits.maxValueBytes) throw new ProbeError('too-large', `the value of ${preview(record.subarray(0, equals))} is ${valueBytes} bytes, above the ${limits.maxValueBytes} accepted`);
  let key: string;
  let value: string;
  try {
    key = utf8.decode(record.subarray(0, equals));
    value = utf8.decode(record.subarray(equals + 1));
  } catch {
    throw protocolError(`a key=value pair is not valid UTF-8 ("${preview(record)}")`);
  }
  if (!KEY_NAME.test(key)) throw protocolError(`"${preview(record.subarray(0, equals))}" is not a key name (RFC 7143 §6.1)`);
  return [key, value];
}

/**
 * One answer's keys as a map. In a negotiation a key may be offered or answered only once (§6.2), so a second
 * occurrence is a protocol error.
 */
export function uniqueKeys(pairs: readonly KeyPair[], where: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of pairs) {
    if (map.has(key)) throw protocolError(`${where}: the key ${key} was sent twice`);
    map.set(key, value);
  }
  return map;
}

/** A numerical value (§6.1: decimal, or hex with 0x) within [min, max], or null. */
export function parseNumber(value: string, min: number, max: number): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]{1,8}$/.test(value)) n = Number.parseInt(value.slice(2), 16);
  else if (/^[0-9]{1,10}$/.test(value)) n = Number.parseInt(value, 10);
  else return null;
  return n >= min && n <= max ? n : null;
}

/** Peer text shown in an error: printable ASCII only, at most 40 characters. */
export function preview(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes.subarray(0, 40)) out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 ? String.fromCharCode(byte) : '.';
  return bytes.length > 40 ? `${out}…` : out;
}
