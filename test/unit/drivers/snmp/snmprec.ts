/**
 * Test helper: a `.snmprec` recording (snmpsim's format, one `OID|tag|value` per line) → the Walk the SNMP
 * walker would hand the decoders after walking WALK_ROOTS against snmpsim replaying that file.
 *
 * Values come out as npm net-snmp delivers them: OctetString/Opaque → Buffer (tag suffix `x` = hex),
 * Counter64 → the BER content octets (big-endian, minimal, a leading 0x00 when the top bit is set: what
 * net-snmp's readUint64 returns), OID → dotted string without the leading dot some files carry,
 * IpAddress → dotted quad (also from `64x` hex), Integer32/Counter32/Gauge32/TimeTicks → number, Null → null.
 * Anything else (`e` Python literals, `:variation` modules) is refused loudly: a test must not silently
 * read something other than what snmpsim would serve.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Varbind, Walk } from '../../../../src-main/drivers/snmp/varbinds';
import { WALK_ROOTS } from '../../../../src-main/drivers/snmp/oids';

export const FIXTURES = join(__dirname, '../../../fixtures/snmp');

/** Numeric OID order, as an agent walks. */
export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Counter64 as BER content octets. */
export function counter64Octets(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let buf = Buffer.from(hex, 'hex');
  if (buf[0]! & 0x80) buf = Buffer.concat([Buffer.from([0]), buf]);
  return buf;
}

function valueOf(tag: string, raw: string, where: string): Varbind['value'] {
  const hex = tag.endsWith('x');
  const base = Number(hex ? tag.slice(0, -1) : tag);
  if (!/^\d+x?$/.test(tag)) throw new Error(`${where}: unsupported snmprec tag "${tag}"`);
  const octets = () => (hex ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'utf8'));
  switch (base) {
    case 2:
    case 65:
    case 66:
    case 67: {
      const n = Number(hex ? BigInt('0x' + raw) : raw);
      if (!Number.isSafeInteger(n)) throw new Error(`${where}: not an integer: ${raw}`);
      return n;
    }
    case 4:
    case 68:
      return octets();
    case 5:
      return null;
    case 6:
      return raw.startsWith('.') ? raw.slice(1) : raw;
    case 64: {
      const b = hex ? Buffer.from(raw, 'hex') : null;
      if (b) {
        if (b.length !== 4) throw new Error(`${where}: IpAddress of ${b.length} octets`);
        return [...b].join('.');
      }
      return raw;
    }
    case 70:
      return counter64Octets(hex ? BigInt('0x' + raw) : BigInt(raw));
    default:
      throw new Error(`${where}: unsupported BER tag ${base}`);
  }
}

/**
 * Every record of a recording, in numeric OID order. As snmpsim reads it: each line stripped of surrounding
 * whitespace, and of an OID listed twice (procurve has such lines) only the first served.
 */
export function parseSnmprec(text: string, name = 'snmprec'): Varbind[] {
  const out: Varbind[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const first = line.indexOf('|');
    const second = line.indexOf('|', first + 1);
    if (first < 0 || second < 0) throw new Error(`${name}:${i + 1}: not OID|tag|value`);
    const oid = line.slice(0, first).replace(/^\./, '');
    const tag = line.slice(first + 1, second);
    const raw = line.slice(second + 1);
    if (seen.has(oid)) return;
    seen.add(oid);
    const hexless = tag.endsWith('x') ? tag.slice(0, -1) : tag;
    out.push({ oid, type: Number(hexless), value: valueOf(tag, raw, `${name}:${i + 1}`) });
  });
  return out.sort((a, b) => compareOids(a.oid, b.oid));
}

/** The varbinds under each root, as walking each root would return them. */
export function walkOf(varbinds: readonly Varbind[], roots: readonly string[] = WALK_ROOTS): Walk {
  const walk = new Map<string, Varbind[]>();
  for (const root of roots) walk.set(root, []);
  for (const vb of varbinds) {
    for (const root of roots) {
      if (vb.oid.startsWith(root + '.')) {
        walk.get(root)!.push(vb);
        break;
      }
    }
  }
  for (const [root, list] of walk) if (list.length === 0) walk.delete(root);
  return walk;
}

export function readRecording(name: string): Varbind[] {
  return parseSnmprec(readFileSync(join(FIXTURES, `${name}.snmprec`), 'utf8'), `${name}.snmprec`);
}

/** The Walk of test/fixtures/snmp/<name>.snmprec. */
export function loadWalk(name: string): Walk {
  return walkOf(readRecording(name));
}

/** The LibreNMS expectation beside a recording (test/fixtures/snmp/<name>.json). */
export function loadLibreNms(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}
