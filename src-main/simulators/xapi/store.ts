/**
 * The simulator's database: the served tables of a dump, typed, with xapi's generation counters so that
 * event.from can say what changed since a token. Every change bumps one database generation and stamps
 * the rows it touched (xapi's __mtime); created rows also get a ctime, removed rows leave a tombstone.
 * Messages live apart, as in xapi (they are not database rows), with their own generation.
 */
import { readDump, DumpError, type RawDump } from './dump';
import { declaredFields, declaredType, inferType, isServedClass, SERVED_CLASSES, type FieldType, type ServedClass } from './field-types';
import { mapOfSExpr, parseSExpr, setOfSExpr, SExprError } from './sexpr';
import { recomputeRelations } from './relations';
import { deriveUuid } from './ids';

/** A field's value as stored: scalars as the dump's text, sets as arrays, maps as Maps. */
export type DbValue = string | readonly string[] | ReadonlyMap<string, string>;

/** What scripts may pass for a field: text, a list for a set, an object or Map for a map. */
export type FieldInput = string | readonly string[] | Readonly<Record<string, string>> | ReadonlyMap<string, string>;

export interface Row {
  readonly ref: string;
  readonly fields: Map<string, DbValue>;
  ctime: number;
  mtime: number;
  /** Wall-clock time of the last change, for the event's timestamp. */
  changedAt: number;
}

interface Tombstone {
  ctime: number;
  dtime: number;
}

export interface Table {
  readonly cls: ServedClass;
  readonly rows: Map<string, Row>;
  readonly types: Map<string, FieldType>;
  readonly tombstones: Map<string, Tombstone>;
  /** The generation of the table's latest change (row or tombstone), to skip quiet tables quickly. */
  lastChange: number;
}

const MAX_TOMBSTONES = 10_000;

export class XapiStore {
  /** The last generation used (xapi's manifest generation count). */
  generation: number;
  readonly manifest: ReadonlyMap<string, string>;
  private readonly tables = new Map<ServedClass, Table>();
  private readonly listeners = new Set<() => void>();
  private messageSeq = 0;

  constructor(dump: RawDump, readonly startedAt = Date.now()) {
    this.manifest = dump.manifest;
    const fromManifest = Number(dump.manifest.get('generation_count') ?? '0');
    this.generation = Number.isSafeInteger(fromManifest) && fromManifest > 0 ? fromManifest : 1;
    for (const cls of SERVED_CLASSES) {
      const rows = dump.tables.get(cls) ?? [];
      const table: Table = { cls, rows: new Map(), types: new Map(), tombstones: new Map(), lastChange: this.generation };
      const names = new Set(rows.flatMap((row) => [...row.fields.keys()]));
      for (const name of names) {
        table.types.set(name, declaredType(cls, name) ?? inferType(rows.map((row) => row.fields.get(name) ?? '')));
      }
      for (const row of rows) {
        const fields = new Map<string, DbValue>();
        for (const [name, raw] of row.fields) {
          const type = table.types.get(name)!;
          if (type === 'internal') continue;
          fields.set(name, parseStored(cls, row.ref, name, type, raw));
        }
        const generation = cls === 'message' ? ++this.messageSeq : this.generation;
        table.rows.set(row.ref, { ref: row.ref, fields, ctime: generation, mtime: generation, changedAt: startedAt });
      }
      this.tables.set(cls, table);
    }
    recomputeRelations(this, this.generation);
  }

  static fromXml(xml: string): XapiStore {
    return new XapiStore(readDump(xml));
  }

  table(cls: ServedClass): Table {
    return this.tables.get(cls)!;
  }

  /** The served class with this name, exactly or ignoring case (event.inject, event.from). */
  classNamed(name: string, ignoreCase = false): ServedClass | undefined {
    if (isServedClass(name)) return name;
    if (!ignoreCase) return undefined;
    const lower = name.toLowerCase();
    return SERVED_CLASSES.find((cls) => cls.toLowerCase() === lower);
  }

  get(cls: ServedClass, ref: string): Row | undefined {
    return this.tables.get(cls)!.rows.get(ref);
  }

  byUuid(cls: ServedClass, uuid: string): Row | undefined {
    for (const row of this.tables.get(cls)!.rows.values()) if (row.fields.get('uuid') === uuid) return row;
    return undefined;
  }

  /** Fields a class answers get_<field> for: those its rows hold, or the declared ones for an empty table. */
  knownFields(cls: ServedClass): string[] {
    const table = this.tables.get(cls)!;
    if (table.rows.size === 0 && table.types.size === 0) return declaredFields(cls);
    return [...table.types].filter(([, type]) => type !== 'internal').map(([name]) => name);
  }

  typeOf(cls: ServedClass, field: string): FieldType {
    return this.tables.get(cls)!.types.get(field) ?? declaredType(cls, field) ?? 'string';
  }

  /**
   * Starts a change: the next generation, shared by every row the change touches. Messages count on
   * their own counter, as in xapi, where they are not database rows and event tokens carry both.
   */
  private nextGeneration(cls: ServedClass): number {
    if (cls === 'message') return ++this.messageSeq;
    this.generation += 1;
    return this.generation;
  }

  touch(row: Row, table: Table, generation: number): void {
    row.mtime = generation;
    row.changedAt = Date.now();
    table.lastChange = generation;
  }

  update(cls: ServedClass, ref: string, changes: Readonly<Record<string, FieldInput>>): void {
    const table = this.tables.get(cls)!;
    const row = table.rows.get(ref);
    if (!row) throw new Error(`${cls} ${ref} does not exist`);
    if (cls === 'message') throw new Error('messages cannot be changed, only added or removed');
    const generation = this.nextGeneration(cls);
    for (const [name, input] of Object.entries(changes)) this.setField(table, row, name, input);
    this.touch(row, table, generation);
    recomputeRelations(this, generation);
    this.changed();
  }

  /** Adds a row; the ref and uuid are made up (deterministically) when not given. Returns the ref. */
  add(cls: ServedClass, fields: Readonly<Record<string, FieldInput>>, ref?: string): string {
    const table = this.tables.get(cls)!;
    const generation = this.nextGeneration(cls);
    const newRef = ref ?? `OpaqueRef:${deriveUuid(`sim-ref:${cls}:${generation}:${table.rows.size}`)}`;
    if (table.rows.has(newRef)) throw new Error(`${cls} ${newRef} already exists`);
    const row: Row = { ref: newRef, fields: new Map(), ctime: generation, mtime: generation, changedAt: Date.now() };
    if (!('uuid' in fields)) row.fields.set('uuid', deriveUuid(`sim-uuid:${newRef}`));
    for (const [name, input] of Object.entries(fields)) this.setField(table, row, name, input);
    table.rows.set(newRef, row);
    table.tombstones.delete(newRef);
    table.lastChange = generation;
    if (cls !== 'message') recomputeRelations(this, generation);
    this.changed();
    return newRef;
  }

  remove(cls: ServedClass, ref: string): void {
    const table = this.tables.get(cls)!;
    const row = table.rows.get(ref);
    if (!row) throw new Error(`${cls} ${ref} does not exist`);
    const generation = this.nextGeneration(cls);
    table.rows.delete(ref);
    table.tombstones.set(ref, { ctime: row.ctime, dtime: generation });
    if (table.tombstones.size > MAX_TOMBSTONES) table.tombstones.delete(table.tombstones.keys().next().value!);
    table.lastChange = generation;
    recomputeRelations(this, generation);
    this.changed();
  }

  /** Bumps a row's generation without changing it (event.inject). Returns the generation used. */
  touchRow(cls: ServedClass, ref: string): number {
    const table = this.tables.get(cls)!;
    const row = table.rows.get(ref);
    if (!row) throw new Error(`${cls} ${ref} does not exist`);
    const generation = this.nextGeneration(cls);
    this.touch(row, table, generation);
    this.changed();
    return generation;
  }

  get messageGeneration(): number {
    return this.messageSeq;
  }

  private setField(table: Table, row: Row, name: string, input: FieldInput): void {
    let type = table.types.get(name);
    if (type === undefined) {
      type = declaredType(table.cls, name) ?? (typeof input === 'string' ? inferType([input]) : isList(input) ? 'set' : 'map');
      table.types.set(name, type);
    }
    if (type === 'internal') return;
    row.fields.set(name, toStored(table.cls, row.ref, name, type, input));
  }

  /** Called after every change: event.from waiters look again. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const isList = (input: FieldInput): input is readonly string[] => Array.isArray(input);

function parseStored(cls: string, ref: string, name: string, type: FieldType, raw: string): DbValue {
  if (type !== 'set' && type !== 'map') return raw;
  try {
    const sexpr = parseSExpr(raw);
    return type === 'set' ? setOfSExpr(sexpr) : mapOfSExpr(sexpr);
  } catch (error) {
    if (!(error instanceof SExprError)) throw error;
    if (declaredType(cls as ServedClass, name) === undefined) return raw; // an inferred shape that was wrong: keep the text
    throw new DumpError(`${cls} ${ref} field ${name}: ${error.message}`);
  }
}

function toStored(cls: string, ref: string, name: string, type: FieldType, input: FieldInput): DbValue {
  if (typeof input === 'string') return parseStored(cls, ref, name, type, input);
  if (type === 'set') {
    if (!isList(input)) throw new Error(`${cls}.${name} is a set: pass a list of strings`);
    return input.map(String);
  }
  if (type === 'map') {
    if (isList(input)) throw new Error(`${cls}.${name} is a map: pass an object or a Map`);
    const entries = input instanceof Map ? [...input] : Object.entries(input as Record<string, string>);
    return new Map(entries.map(([k, v]) => [String(k), String(v)]));
  }
  throw new Error(`${cls}.${name} is a ${type}: pass its text`);
}
