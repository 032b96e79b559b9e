import type { Db } from './db';
import { rethrowConstraint, plural, listInWords, consequence } from './constraint-errors';
import { NotFound, InvalidInput, type FieldIssue } from '../domain/errors';
import { naturalOrder } from '../domain/checks/rules';
import type { Port, PortRole } from '../domain/model/ports';
import type { PortDetail, DeleteImpact } from '../domain/model/views';
import type { LinkSource } from '../domain/model/links';

export type PortFields = Omit<Port, 'id' | 'deviceId'>;

interface PortRow {
  id: number;
  device_id: number;
  name: string;
  role: PortRole;
  aggregate: string;
  mac: string;
  notes: string;
}

interface VlanMembershipRow {
  port_id: number;
  vlan_id: number;
  tagged: 0 | 1;
}

interface LinkEndRow {
  port_id: number;
  link_id: number;
  source: LinkSource;
  peer_port_id: number;
  peer_port_name: string;
  peer_device_id: number;
  peer_device_name: string;
}

function attachVlans(rows: PortRow[], memberships: VlanMembershipRow[]): Port[] {
  const byPort = new Map<number, VlanMembershipRow[]>();
  for (const m of memberships) {
    const list = byPort.get(m.port_id) ?? [];
    list.push(m);
    byPort.set(m.port_id, list);
  }
  return rows.map((row) => {
    const vlans = byPort.get(row.id) ?? [];
    return {
      id: row.id,
      deviceId: row.device_id,
      name: row.name,
      role: row.role,
      aggregate: row.aggregate,
      mac: row.mac,
      untaggedVlan: vlans.find((v) => v.tagged === 0)?.vlan_id ?? null,
      taggedVlans: vlans.filter((v) => v.tagged === 1).map((v) => v.vlan_id).sort((a, b) => a - b),
      notes: row.notes,
    };
  });
}

/** Every port of every device (for the whole-inventory export), in natural order per device. */
export function allPorts(db: Db): Port[] {
  const rows = db.prepare('SELECT * FROM ports').all() as PortRow[];
  const memberships = db.prepare('SELECT * FROM port_vlans').all() as VlanMembershipRow[];
  return attachVlans(rows, memberships).sort((a, b) => a.deviceId - b.deviceId || naturalOrder(a.name, b.name));
}

export function portsOfDevice(db: Db, deviceId: number): PortDetail[] {
  const rows = db.prepare('SELECT * FROM ports WHERE device_id = ?').all(deviceId) as PortRow[];
  const memberships = db
    .prepare('SELECT pv.* FROM port_vlans pv JOIN ports p ON p.id = pv.port_id WHERE p.device_id = ?')
    .all(deviceId) as VlanMembershipRow[];
  const ends = db
    .prepare(
      `SELECT p.id AS port_id, l.id AS link_id, l.source,
              peer.id AS peer_port_id, peer.name AS peer_port_name, d.id AS peer_device_id, d.name AS peer_device_name
       FROM ports p
       JOIN links l ON p.id IN (l.a_port_id, l.b_port_id)
       JOIN ports peer ON peer.id = CASE WHEN l.a_port_id = p.id THEN l.b_port_id ELSE l.a_port_id END
       JOIN devices d ON d.id = peer.device_id
       WHERE p.device_id = ?`,
    )
    .all(deviceId) as LinkEndRow[];
  const linkByPort = new Map(ends.map((end) => [end.port_id, end]));
  return attachVlans(rows, memberships)
    .map((port) => {
      const end = linkByPort.get(port.id);
      return {
        ...port,
        link: end
          ? {
              id: end.link_id,
              source: end.source,
              peer: {
                deviceId: end.peer_device_id,
                deviceName: end.peer_device_name,
                portId: end.peer_port_id,
                portName: end.peer_port_name,
              },
            }
          : null,
      };
    })
    .sort((a, b) => naturalOrder(a.name, b.name));
}

/** VLANs a port refers to must be in the plan; say which are missing instead of a foreign-key error. */
function checkVlansPlanned(db: Db, fields: PortFields): void {
  const planned = new Set((db.prepare('SELECT id FROM vlans').all() as { id: number }[]).map((r) => r.id));
  const issues: FieldIssue[] = [];
  if (fields.untaggedVlan !== null && !planned.has(fields.untaggedVlan)) {
    issues.push({ path: ['untaggedVlan'], message: `VLAN ${fields.untaggedVlan} is not in the VLAN plan; add it there first` });
  }
  fields.taggedVlans.forEach((vlan, index) => {
    if (!planned.has(vlan)) {
      issues.push({ path: ['taggedVlans', index], message: `VLAN ${vlan} is not in the VLAN plan; add it there first` });
    }
  });
  if (issues.length) throw new InvalidInput(issues);
}

function writeVlans(db: Db, portId: number, fields: PortFields): void {
  db.prepare('DELETE FROM port_vlans WHERE port_id = ?').run(portId);
  const insert = db.prepare('INSERT INTO port_vlans (port_id, vlan_id, tagged) VALUES (?, ?, ?)');
  if (fields.untaggedVlan !== null) insert.run(portId, fields.untaggedVlan, 0);
  for (const vlan of fields.taggedVlans) insert.run(portId, vlan, 1);
}

const NAME_TAKEN = (name: string) => ({
  'ports.device_id, ports.name': { path: ['name'], message: `this device already has a port named "${name}"` },
});

export function insertPort(db: Db, deviceId: number, fields: PortFields): number {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM devices WHERE id = ?').get(deviceId)) throw new NotFound(`Device #${deviceId}`);
    checkVlansPlanned(db, fields);
    let id: number;
    try {
      id = Number(
        db
          .prepare('INSERT INTO ports (device_id, name, role, aggregate, mac, notes) VALUES (?, ?, ?, ?, ?, ?)')
          .run(deviceId, fields.name, fields.role, fields.aggregate, fields.mac, fields.notes).lastInsertRowid,
      );
    } catch (error) {
      rethrowConstraint(error, NAME_TAKEN(fields.name));
    }
    writeVlans(db, id, fields);
    return id;
  })();
}

export function updatePort(db: Db, portId: number, fields: PortFields): void {
  db.transaction(() => {
    checkVlansPlanned(db, fields);
    try {
      const result = db
        .prepare('UPDATE ports SET name = ?, role = ?, aggregate = ?, mac = ?, notes = ? WHERE id = ?')
        .run(fields.name, fields.role, fields.aggregate, fields.mac, fields.notes, portId);
      if (result.changes === 0) throw new NotFound(`Port #${portId}`);
    } catch (error) {
      if (error instanceof NotFound) throw error;
      rethrowConstraint(error, NAME_TAKEN(fields.name));
    }
    writeVlans(db, portId, fields);
  })();
}

export function portDeleteImpact(db: Db, portId: number): DeleteImpact {
  const port = db
    .prepare('SELECT p.name, d.name AS device FROM ports p JOIN devices d ON d.id = p.device_id WHERE p.id = ?')
    .get(portId) as { name: string; device: string } | undefined;
  if (!port) throw new NotFound(`Port #${portId}`);
  const cable = db
    .prepare(
      `SELECT d.name AS device, peer.name AS port FROM links l
       JOIN ports peer ON peer.id = CASE WHEN l.a_port_id = ? THEN l.b_port_id ELSE l.a_port_id END
       JOIN devices d ON d.id = peer.device_id
       WHERE ? IN (l.a_port_id, l.b_port_id)`,
    )
    .get(portId, portId) as { device: string; port: string } | undefined;
  const vlans = (db.prepare('SELECT count(*) AS n FROM port_vlans WHERE port_id = ?').get(portId) as { n: number }).n;
  const consequences = [consequence('cable', cable ? 1 : 0), consequence('VLAN membership', vlans)].filter((c) => c.count > 0);
  const parts: string[] = [];
  if (cable) parts.push(`its cable to ${cable.device} ${cable.port}`);
  if (vlans) parts.push(plural(vlans, 'VLAN membership'));
  const name = `${port.device} ${port.name}`;
  return {
    summary: parts.length ? `Deleting port ${name} also removes ${listInWords(parts)}.` : `Deleting port ${name} removes nothing else.`,
    consequences,
  };
}

export function deletePort(db: Db, portId: number): void {
  if (db.prepare('DELETE FROM ports WHERE id = ?').run(portId).changes === 0) throw new NotFound(`Port #${portId}`);
}
