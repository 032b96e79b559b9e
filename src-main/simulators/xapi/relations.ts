/**
 * The reverse side of xapi's one-to-many relations. xapi never stores these sets in its dump (they are
 * `()` or missing there) and computes them from the forward refs; so does the simulator, after loading and
 * after every change. A row whose computed set changes gets the change's generation, as in xapi, where
 * creating a PIF is also a `mod` of its host (host.PIFs) and of its network (network.PIFs).
 */
import type { ServedClass } from './field-types';
import type { XapiStore } from './store';

interface Relation {
  /** The class and field that hold the computed set (or single ref). */
  cls: ServedClass;
  field: string;
  /** The class whose rows point here, and the field that points. */
  from: ServedClass;
  via: string;
  /** VLAN_master_of is a single ref (the one VLAN whose untagged PIF this is), the others sets. */
  single?: true;
}

const RELATIONS: readonly Relation[] = [
  { cls: 'host', field: 'PIFs', from: 'PIF', via: 'host' },
  { cls: 'host', field: 'PBDs', from: 'PBD', via: 'host' },
  { cls: 'network', field: 'PIFs', from: 'PIF', via: 'network' },
  { cls: 'SR', field: 'PBDs', from: 'PBD', via: 'SR' },
  { cls: 'Bond', field: 'slaves', from: 'PIF', via: 'bond_slave_of' },
  { cls: 'PIF', field: 'bond_master_of', from: 'Bond', via: 'master' },
  { cls: 'PIF', field: 'VLAN_slave_of', from: 'VLAN', via: 'tagged_PIF' },
  { cls: 'PIF', field: 'VLAN_master_of', from: 'VLAN', via: 'untagged_PIF', single: true },
  { cls: 'PIF', field: 'tunnel_access_PIF_of', from: 'tunnel', via: 'access_PIF' },
  { cls: 'PIF', field: 'tunnel_transport_PIF_of', from: 'tunnel', via: 'transport_PIF' },
];

/** Recomputes every reverse relation; rows whose value changed are stamped with `generation`. */
export function recomputeRelations(store: XapiStore, generation: number): void {
  for (const relation of RELATIONS) {
    const target = store.table(relation.cls);
    if (target.rows.size === 0) continue;
    const pointing = new Map<string, string[]>();
    for (const row of store.table(relation.from).rows.values()) {
      const to = row.fields.get(relation.via);
      if (typeof to !== 'string' || !target.rows.has(to)) continue;
      const list = pointing.get(to);
      if (list) list.push(row.ref);
      else pointing.set(to, [row.ref]);
    }
    if (!target.types.has(relation.field)) target.types.set(relation.field, relation.single ? 'ref' : 'set');
    for (const row of target.rows.values()) {
      const refs = pointing.get(row.ref) ?? [];
      const before = row.fields.get(relation.field);
      if (relation.single) {
        const value = refs[0] ?? 'OpaqueRef:NULL';
        if (before === value) continue;
        row.fields.set(relation.field, value);
      } else {
        if (Array.isArray(before) && before.length === refs.length && before.every((ref, i) => ref === refs[i])) continue;
        row.fields.set(relation.field, refs);
      }
      if (before !== undefined) store.touch(row, target, generation);
    }
  }
}
