/**
 * Reads xapi's database dump (the state.db XML: `<database><manifest><pair …/></manifest>
 * <table name="PIF"><row ref="…" a="…"/></table>…</database>`) into plain rows of strings.
 * Field names come back as the API spells them: the dump writes `name__label` for the datamodel's
 * name/label namespace, the API says `name_label`. `ref`/`_ref` (the row's key) and `__ctime`/`__mtime`
 * (xapi's generation counters) are bookkeeping, not fields.
 *
 * The reader is strict and bounded: saxes in strict mode, no DOCTYPE (no entity tricks), at most three
 * levels of elements, a size cap, and nothing but the elements a dump has.
 */
import { SaxesParser } from 'saxes';

export interface DumpRow {
  ref: string;
  /** Field name (API spelling) → the value exactly as the dump holds it. */
  fields: Map<string, string>;
}

export interface RawDump {
  manifest: Map<string, string>;
  /** Table name as the dump spells it ('PIF', 'host', 'pool', …) → rows in dump order. */
  tables: Map<string, DumpRow[]>;
}

export const DUMP_LIMITS = {
  /** xapi's own dumps of big pools are a few MiB; 64 MiB leaves room and still bounds memory. */
  maxBytes: 64 * 1024 * 1024,
  maxRows: 2_000_000,
  maxAttributesPerRow: 2000,
} as const;

export class DumpError extends Error {
  override readonly name = 'DumpError';
}

const BOOKKEEPING = new Set(['ref', '_ref', '__ctime', '__mtime']);

/** `name__label` → `name_label`, `API_version__major` → `API_version_major`. */
export const apiFieldName = (dumpName: string) => dumpName.replaceAll('__', '_');

export function readDump(xml: string): RawDump {
  if (typeof xml !== 'string') throw new DumpError('the dump must be XML text');
  // Length first: a UTF-16 length over the cap is over it in bytes too, and this check costs nothing.
  if (xml.length > DUMP_LIMITS.maxBytes || Buffer.byteLength(xml, 'utf8') > DUMP_LIMITS.maxBytes) {
    throw new DumpError(`the dump is larger than ${DUMP_LIMITS.maxBytes} bytes`);
  }
  const manifest = new Map<string, string>();
  const tables = new Map<string, DumpRow[]>();
  const path: string[] = [];
  let rows: DumpRow[] | null = null;
  let tableName = '';
  let rowCount = 0;
  let sawRoot = false;

  const parser = new SaxesParser({ xmlns: false, position: true });
  const fail = (message: string): never => {
    throw new DumpError(`${message} (line ${parser.line})`);
  };
  parser.on('doctype', () => fail('a DOCTYPE is not allowed in a xapi dump'));
  parser.on('text', (text) => {
    if (text.trim() !== '') fail(`unexpected text ${JSON.stringify(text.trim().slice(0, 40))}`);
  });
  parser.on('cdata', () => fail('unexpected CDATA'));
  parser.on('opentag', (tag) => {
    const parent = path[path.length - 1];
    const attrs = tag.attributes as Record<string, string>;
    if (path.length === 0) {
      if (tag.name !== 'database') fail(`the root element is <${tag.name}>, expected <database>`);
      sawRoot = true;
    } else if (parent === 'database' && tag.name === 'manifest') {
      // pairs follow
    } else if (parent === 'manifest' && tag.name === 'pair') {
      if (typeof attrs.key !== 'string') fail('a manifest <pair> has no key');
      manifest.set(attrs.key!, attrs.value ?? '');
    } else if (parent === 'database' && tag.name === 'table') {
      tableName = attrs.name ?? fail('a <table> has no name');
      if (tables.has(tableName)) fail(`table ${tableName} appears twice`);
      rows = [];
      tables.set(tableName, rows);
    } else if (parent === 'table' && tag.name === 'row') {
      if (++rowCount > DUMP_LIMITS.maxRows) fail(`more than ${DUMP_LIMITS.maxRows} rows`);
      const ref = attrs.ref ?? attrs._ref ?? fail(`a row of ${tableName} has no ref`);
      const names = Object.keys(attrs);
      if (names.length > DUMP_LIMITS.maxAttributesPerRow) fail(`a row of ${tableName} has ${names.length} attributes`);
      const fields = new Map<string, string>();
      for (const name of names) if (!BOOKKEEPING.has(name)) fields.set(apiFieldName(name), attrs[name]!);
      rows!.push({ ref, fields });
    } else {
      fail(`unexpected <${tag.name}> inside <${parent}>`);
    }
    path.push(tag.name);
  });
  parser.on('closetag', () => {
    path.pop();
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof DumpError) throw error;
    throw new DumpError(`the dump is not well-formed XML: ${(error as Error).message}`);
  }
  if (!sawRoot) throw new DumpError('the dump has no <database> element');
  for (const [name, tableRows] of tables) {
    const seen = new Set<string>();
    for (const row of tableRows) {
      if (seen.has(row.ref)) throw new DumpError(`table ${name} holds ref ${row.ref} twice`);
      seen.add(row.ref);
    }
  }
  return { manifest, tables };
}
