/**
 * xapi's records as they arrive, before they mean anything: objects keyed by ref, per class. Values are
 * read leniently because the two wire protocols disagree (XML-RPC sends ints as decimal strings, JSON-RPC as
 * numbers; reference §1.4) and old hosts lack fields newer ones have (absent ⇒ the documented default).
 */

/** The classes the pool collector reads, with xapi's spelling (get_all_records, event.from answers lower-case). */
export const POOL_CLASSES = [
  'pool',
  'host',
  'host_metrics',
  'PIF',
  'PIF_metrics',
  'Bond',
  'VLAN',
  'network',
  'SR',
  'PBD',
  'message',
] as const;
export type PoolClass = (typeof POOL_CLASSES)[number];

const BY_LOWER = new Map<string, PoolClass>(POOL_CLASSES.map((cls) => [cls.toLowerCase(), cls]));
/** event.from names classes in lower case; maps them back, or null for one we do not keep. */
export const poolClassOf = (lower: string): PoolClass | null => BY_LOWER.get(lower.toLowerCase()) ?? null;

export type RawRecord = Readonly<Record<string, unknown>>;
/** One class's records by ref. */
export type RawTable = Map<string, RawRecord>;
/** Everything read from a pool, by class; `VDI` holds only the HA statefile VDIs. */
export type RawPool = Record<PoolClass | 'VDI', RawTable>;

export const emptyRawPool = (): RawPool => ({
  pool: new Map(),
  host: new Map(),
  host_metrics: new Map(),
  PIF: new Map(),
  PIF_metrics: new Map(),
  Bond: new Map(),
  VLAN: new Map(),
  network: new Map(),
  SR: new Map(),
  PBD: new Map(),
  message: new Map(),
  VDI: new Map(),
});

export const NULL_REF = 'OpaqueRef:NULL';

export function str(record: RawRecord | undefined, field: string): string {
  const value = record?.[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * A datetime field as ISO 8601 UTC ('2024-03-15T09:41:52.000Z'), which screens and sorting understand. xapi
 * writes the XML-RPC basic form '20240315T09:41:52Z' on both protocols (no zone means UTC); the extended
 * form and zone offsets are read too. Text that is no datetime is kept as it is, so nothing is lost.
 */
export function isoTime(record: RawRecord | undefined, field: string): string {
  const text = str(record, field).trim();
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return text;
  const zone = m[8] === undefined || m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
  const fraction = m[7] === undefined ? '' : m[7].slice(0, 4);
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${zone}`);
  return Number.isNaN(at.getTime()) ? text : at.toISOString();
}

/** An int field: a JSON number or an XML-RPC decimal string; null when absent or not a number. */
export function int(record: RawRecord | undefined, field: string): number | null {
  const value = record?.[field];
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value.trim())) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

export function bool(record: RawRecord | undefined, field: string): boolean | null {
  const value = record?.[field];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return null;
}

/** A ref field; '' , 'OpaqueRef:NULL' and the odd 'Ref:*' seen in the wild all mean "none" (reference §1.4). */
export function ref(record: RawRecord | undefined, field: string): string | null {
  const value = record?.[field];
  if (typeof value !== 'string' || value === '' || value === NULL_REF || !value.startsWith('OpaqueRef:')) return null;
  return value;
}

export function strMap(record: RawRecord | undefined, field: string): Record<string, string> {
  const value = record?.[field];
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
  }
  return out;
}

/** One key of a map field, without copying the map (a host's other_config can hold dozens of keys). */
export function mapValue(record: RawRecord | undefined, field: string, key: string): string | undefined {
  const value = record?.[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
  const item = (value as Record<string, unknown>)[key];
  return typeof item === 'string' ? item : typeof item === 'number' || typeof item === 'boolean' ? String(item) : undefined;
}

export function strSet(record: RawRecord | undefined, field: string): string[] {
  const value = record?.[field];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
