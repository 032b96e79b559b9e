import type { Db } from './db';
import { rethrowConstraint, listInWords, consequence } from './constraint-errors';
import { NotFound } from '../domain/errors';
import type { Vlan, VlanPurpose } from '../domain/model/vlans';
import type { VlanSummary, DeleteImpact } from '../domain/model/views';

interface VlanRow {
  id: number;
  name: string;
  purpose: VlanPurpose;
  notes: string;
  untagged_ports: number;
  tagged_ports: number;
}

export function listVlans(db: Db): VlanSummary[] {
  const rows = db
    .prepare(
      `SELECT v.*,
         (SELECT count(*) FROM port_vlans pv WHERE pv.vlan_id = v.id AND pv.tagged = 0) AS untagged_ports,
         (SELECT count(*) FROM port_vlans pv WHERE pv.vlan_id = v.id AND pv.tagged = 1) AS tagged_ports
       FROM vlans v ORDER BY v.id`,
    )
    .all() as VlanRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    notes: row.notes,
    untaggedPorts: row.untagged_ports,
    taggedPorts: row.tagged_ports,
  }));
}

const TAKEN = (vlan: Vlan) => ({
  'vlans.id': { path: ['id'], message: `VLAN ${vlan.id} is already in the plan` },
  'vlans.name': { path: ['name'], message: `a VLAN named "${vlan.name}" is already in the plan` },
});

export function insertVlan(db: Db, vlan: Vlan): void {
  try {
    db.prepare('INSERT INTO vlans (id, name, purpose, notes) VALUES (@id, @name, @purpose, @notes)').run(vlan);
  } catch (error) {
    rethrowConstraint(error, TAKEN(vlan));
  }
}

/** The tag is the VLAN's identity; changing it is delete + add, so update edits the rest. */
export function updateVlan(db: Db, id: number, vlan: Omit<Vlan, 'id'>): void {
  try {
    const result = db.prepare('UPDATE vlans SET name = @name, purpose = @purpose, notes = @notes WHERE id = @id').run({ ...vlan, id });
    if (result.changes === 0) throw new NotFound(`VLAN ${id}`);
  } catch (error) {
    if (error instanceof NotFound) throw error;
    rethrowConstraint(error, TAKEN({ ...vlan, id }));
  }
}

export function vlanDeleteImpact(db: Db, id: number): DeleteImpact {
  const vlan = db.prepare('SELECT name FROM vlans WHERE id = ?').get(id) as { name: string } | undefined;
  if (!vlan) throw new NotFound(`VLAN ${id}`);
  const count = (tagged: number) =>
    (db.prepare('SELECT count(*) AS n FROM port_vlans WHERE vlan_id = ? AND tagged = ?').get(id, tagged) as { n: number }).n;
  const consequences = [
    consequence('port where it is untagged', count(0), 'ports where it is untagged'),
    consequence('port where it is tagged', count(1), 'ports where it is tagged'),
  ].filter((c) => c.count > 0);
  const parts = consequences.map((c) => c.text);
  return {
    summary: parts.length
      ? `Deleting VLAN ${id} (${vlan.name}) also removes it from ${listInWords(parts)}.`
      : `Deleting VLAN ${id} (${vlan.name}) removes nothing else: no port uses it.`,
    consequences,
  };
}

export function deleteVlan(db: Db, id: number): void {
  if (db.prepare('DELETE FROM vlans WHERE id = ?').run(id).changes === 0) throw new NotFound(`VLAN ${id}`);
}
