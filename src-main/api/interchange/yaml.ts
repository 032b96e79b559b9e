import { parseDocument, LineCounter, Document, isMap, isSeq, isScalar, isPair, visit, type Node } from 'yaml';
import { InventoryDocument } from './inventory-document';
import { fieldIssues } from '../issues';
import { inventoryIssues } from '../../domain/checks/inventory';
import { formatSize } from '../../domain/checks/sizes';
import { hostForUrl } from '../../domain/checks/addresses';
import { formatPath, type FieldIssue } from '../../domain/errors';
import type { Inventory } from '../../domain/model/inventory';
import { DEFAULT_SNMP, type SnmpSettings } from '../../domain/model/devices';

export interface YamlProblem {
  line: number | null;
  path: string;
  message: string;
}

/** Problems shown at once; past this, a file is wrong in a way one more line will not explain. */
const MAX_PROBLEMS = 20;

const HEADER = [
  ' Labwarden inventory: the intended lab. Edit it and import it again (Import / export page, or',
  ' `labwarden import FILE`). Passwords, communities, keys and CHAP secrets are never written here;',
  ' importing keeps those already stored for devices of the same name and targets of the same IQN.',
].join('\n');

/** Drops empty values so the file reads like a hand-written one; the import restores them as defaults. */
function compact<T extends Record<string, unknown>>(record: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}

export function inventoryToYaml(inventory: Inventory): string {
  const data = {
    format: inventory.format,
    ...compact({ name: inventory.name }),
    vlans: inventory.vlans.map((v) => compact({ ...v })),
    devices: inventory.devices.map((d) =>
      compact({
        ...d,
        snmp: d.snmp && compactSnmp(d.snmp),
        ports: d.ports.map((p) => compact({ ...p })),
      }),
    ),
    links: inventory.links.map((l) => compact({ ...l, source: l.source === 'manual' ? '' : l.source })),
    targets: inventory.targets.map((t) =>
      compact({
        device: t.device,
        iqn: t.iqn,
        alias: t.alias,
        portals: t.portals.map((p) => `${hostForUrl(p.address)}:${p.port}`),
        luns: t.luns.map(({ sizeBytes, ...lun }) =>
          compact({ lun: lun.lun, name: lun.name, size: formatSize(sizeBytes), use: lun.use, scsiId: lun.scsiId }),
        ),
        chap: t.chap && compact({ ...t.chap }),
        notes: t.notes,
      }),
    ),
    // Only when there are some, so a lab without acceptances exports as it always did.
    ...(inventory.acceptedFindings?.length
      ? { acceptedFindings: inventory.acceptedFindings.map(({ id, note }) => compact({ id, note })) }
      : {}),
  };
  const doc = new Document(data);
  doc.commentBefore = HEADER;
  flowStyle(doc.contents as Node | null);
  quoteWhatBlocksLose(doc);
  return doc.toString({ lineWidth: 0 });
}

/** SNMP settings without the v3 fields that hold their defaults (the import restores them). */
function compactSnmp(snmp: SnmpSettings): Partial<SnmpSettings> {
  const out: Partial<SnmpSettings> = { version: snmp.version, port: snmp.port };
  for (const key of ['v3User', 'v3Level', 'v3AuthProtocol', 'v3PrivProtocol'] as const) {
    if (snmp[key] !== DEFAULT_SNMP[key]) Object.assign(out, { [key]: snmp[key] });
  }
  return out;
}

/** Short records read best on one line, as people write them: `- {name: eth0, role: management}`. */
const ONE_LINE_ITEMS = new Set(['vlans', 'ports', 'links', 'luns']);
const ONE_LINE_VALUES = new Set(['taggedVlans', 'portals', 'snmp', 'xenapi', 'dsm', 'chap']);

function flowStyle(node: Node | null, parentKey?: string): void {
  if (isSeq(node)) {
    if (parentKey !== undefined && ONE_LINE_VALUES.has(parentKey)) node.flow = true;
    for (const item of node.items) {
      if (parentKey !== undefined && ONE_LINE_ITEMS.has(parentKey) && isMap(item)) item.flow = true;
      // An acceptance is one line too, unless its note spans lines: that reads better as a block.
      if (parentKey === 'acceptedFindings' && isMap(item) && !item.items.some((p) => isScalar(p.value) && String(p.value.value).includes('\n'))) {
        item.flow = true;
      }
      flowStyle(item as Node, undefined);
    }
  } else if (isMap(node)) {
    if (parentKey !== undefined && ONE_LINE_VALUES.has(parentKey)) node.flow = true;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      flowStyle(pair.value as Node, key);
    }
  }
}

/**
 * Text over several lines that the yaml library would write in a form it cannot read back exactly: inside
 * a one-line record (`note: -\n-a` comes back as something else) or made only of blanks (`"  \n"` comes back
 * as "\n"). Those are written double-quoted with \n escapes, which always read back as written.
 */
function quoteWhatBlocksLose(doc: Document): void {
  visit(doc, {
    Scalar(_, scalar, path) {
      if (typeof scalar.value !== 'string' || !scalar.value.includes('\n')) return;
      const inFlow = path.some((node) => (isMap(node) || isSeq(node)) && node.flow === true);
      if (inFlow || scalar.value.trim() === '') scalar.type = 'QUOTE_DOUBLE';
    },
  });
}

export type YamlResult = { ok: true; inventory: Inventory } | { ok: false; problems: YamlProblem[] };

/**
 * Parses and validates a whole inventory. Syntax, field and cross-reference problems come back with
 * their line. YAML aliases are capped (a "billion laughs" file is refused, not expanded).
 */
export function parseInventoryYaml(text: string): YamlResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const lineAt = (offset: number) => lines.linePos(offset).line;

  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.slice(0, MAX_PROBLEMS).map((e) => ({
        line: lineAt(e.pos[0]),
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  keepTextAsWritten(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ line: null, path: '', message: `YAML: ${(error as Error).message}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      problems: [{ line: 1, path: '', message: 'an inventory file is a mapping with format, vlans, devices, links and targets' }],
    };
  }

  const parsed = InventoryDocument.safeParse(data);
  const issues: FieldIssue[] = parsed.success ? inventoryIssues(parsed.data as Inventory) : fieldIssues(parsed.error, data);
  if (issues.length === 0 && parsed.success) return { ok: true, inventory: parsed.data as Inventory };

  const problems = issues
    .map((issue) => ({ line: lineOf(doc, issue.path, lineAt), path: formatPath(issue.path), message: issue.message }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .slice(0, MAX_PROBLEMS);
  return { ok: false, problems };
}

/** Keys whose values are names or prose, however much they look like numbers. */
const TEXT_KEYS = new Set([
  'name',
  'device',
  'memberOf',
  'stack',
  'vendor',
  'model',
  'location',
  'notes',
  'aggregate',
  'alias',
  'scsiId',
  'user',
  'targetUser',
  'note',
]);

/**
 * A hand-written `name: 01` or `model: 1e3` is a name, not a number: keep the text as typed instead of
 * YAML's reading (1, 1000). Exports quote such values, so this matters for files people write.
 */
function keepTextAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair, path) {
      if (!isScalar(pair.key)) return;
      const key = String(pair.key.value);
      // `port` names a port only in a cable's end (a:/b:); elsewhere (snmp, portals) it is a TCP/UDP port.
      const owner = path[path.length - 2];
      const inCableEnd = isPair(owner) && isScalar(owner.key) && (owner.key.value === 'a' || owner.key.value === 'b');
      // `id` is a finding's id (text) in acceptedFindings; a VLAN's id is a number.
      const list = path[path.length - 3];
      const inAcceptances = isPair(list) && isScalar(list.key) && list.key.value === 'acceptedFindings';
      if (!TEXT_KEYS.has(key) && !(key === 'port' && inCableEnd) && !(key === 'id' && inAcceptances)) return;
      const value = pair.value;
      if (isScalar(value) && typeof value.value === 'number' && typeof value.source === 'string') value.value = value.source;
    },
  });
}

/** The line of the deepest node on `path` that exists (for an unknown key, the key's own line). */
function lineOf(doc: Document, path: (string | number)[], lineAt: (offset: number) => number): number | null {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      if (isScalar(node) && node.range) offset = node.range[0];
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return lineAt(offset);
}

export function describeProblem(problem: YamlProblem): string {
  const where = [problem.line !== null ? `line ${problem.line}` : '', problem.path].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}
