/**
 * Stored values → wire values, by field type: what turns the dump's "1500" into an int, "true" into a
 * bool and "(('k' 'v'))" into a struct on the way out. Values a broken dump holds in the wrong shape are
 * sent as their text rather than made up (an int field holding "" goes out as "").
 */
import type { FieldType, ServedClass } from './field-types';
import type { DbValue, Row, XapiStore } from './store';
import { WireDateTime, WireDouble, WireInt, type WireStruct, type WireValue } from './wire-value';

export function wireValueOf(type: FieldType, value: DbValue): WireValue {
  if (typeof value !== 'string') {
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, v]));
    return [...(value as readonly string[])];
  }
  switch (type) {
    case 'int':
      return /^-?\d+$/.test(value) ? new WireInt(value) : value;
    case 'float': {
      const number = Number(value.endsWith('.') ? value.slice(0, -1) : value); // OCaml prints 0. for 0.0
      return value.trim() !== '' && Number.isFinite(number) ? new WireDouble(number) : value;
    }
    case 'bool':
      return value === 'true';
    case 'datetime':
      return new WireDateTime(value);
    default:
      return value; // strings, refs, and a set or map the dump held as unreadable text
  }
}

/** A row as get_record answers it (and as event snapshots carry it). */
export function recordOf(store: XapiStore, cls: ServedClass, row: Row): WireStruct {
  const record: WireStruct = new Map();
  for (const [name, value] of row.fields) record.set(name, wireValueOf(store.typeOf(cls, name), value));
  return record;
}

/** The value get_<field> answers. */
export function fieldOf(store: XapiStore, cls: ServedClass, row: Row, field: string): WireValue {
  const value = row.fields.get(field);
  const type = store.typeOf(cls, field);
  if (value === undefined) return emptyOf(type);
  return wireValueOf(type, value);
}

/** The default a row without the field answers (a row of a dump whose rows differ in shape). */
function emptyOf(type: FieldType): WireValue {
  switch (type) {
    case 'int':
      return new WireInt('0');
    case 'float':
      return new WireDouble(0);
    case 'bool':
      return false;
    case 'datetime':
      return new WireDateTime('19700101T00:00:00Z');
    case 'ref':
      return 'OpaqueRef:NULL';
    case 'set':
      return [];
    case 'map':
      return new Map();
    default:
      return '';
  }
}
