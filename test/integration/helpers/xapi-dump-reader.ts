/**
 * A deliberately small, separate reading of a xapi database dump, for tests to state what the dump itself
 * says: the expectations come from here, the observation under test from simulator → wire → client →
 * normaliser. Regexes over the rows are enough for the real dumps in test/fixtures/xapi/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, string>;
export type Dump = Record<string, Map<string, Row>>;

export const FIXTURES = join(__dirname, '../../fixtures/xapi');
export const readFixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const unescape = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function readDump(xml: string): Dump {
  const dump: Dump = {};
  for (const table of xml.matchAll(/<table name="([^"]+)"(?:\/>|>([\s\S]*?)<\/table>)/g)) {
    const rows = new Map<string, Row>();
    for (const row of (table[2] ?? '').matchAll(/<row ([^>]*?)\/>/g)) {
      const fields: Row = {};
      for (const attr of row[1]!.matchAll(/([\w]+)="([^"]*)"/g)) fields[attr[1]!.replace(/__/g, '_')] = unescape(attr[2]!);
      rows.set(fields['ref'] ?? fields['_ref']!, fields);
    }
    dump[table[1]!] = rows;
  }
  return dump;
}

/** `(('k' 'v') …)` → { k: v }, for the simple values the tests look at. */
export function sexprMap(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').matchAll(/\('((?:[^'\\]|\\.)*)' '((?:[^'\\]|\\.)*)'\)/g)) out[pair[1]!] = pair[2]!;
  return out;
}

export const rows = (dump: Dump, table: string) => [...(dump[table]?.values() ?? [])];
