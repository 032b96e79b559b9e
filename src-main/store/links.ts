import type { Db } from './db';
import { rethrowConstraint } from './constraint-errors';
import { NotFound, InvalidInput, Conflict } from '../domain/errors';
import { naturalOrder } from '../domain/checks/rules';
import type { Link, LinkSource } from '../domain/model/links';
import type { LinkDetail, PortEnd } from '../domain/model/views';

export type LinkFields = Omit<Link, 'id'>;

interface LinkRow {
  id: number;
  a_port_id: number;
  b_port_id: number;
  source: LinkSource;
  notes: string;
  a_port: string;
  a_device_id: number;
  a_device: string;
  b_port: string;
  b_device_id: number;
  b_device: string;
}

const DETAIL_SQL = `
  SELECT l.*, pa.name AS a_port, da.id AS a_device_id, da.name AS a_device,
              pb.name AS b_port, db.id AS b_device_id, db.name AS b_device
  FROM links l
  JOIN ports pa ON pa.id = l.a_port_id JOIN devices da ON da.id = pa.device_id
  JOIN ports pb ON pb.id = l.b_port_id JOIN devices db ON db.id = pb.device_id`;

function toDetail(row: LinkRow): LinkDetail {
  const end = (deviceId: number, deviceName: string, portId: number, portName: string): PortEnd => ({
    deviceId,
    deviceName,
    portId,
    portName,
  });
  return {
    id: row.id,
    aPortId: row.a_port_id,
    bPortId: row.b_port_id,
    source: row.source,
    notes: row.notes,
    a: end(row.a_device_id, row.a_device, row.a_port_id, row.a_port),
    b: end(row.b_device_id, row.b_device, row.b_port_id, row.b_port),
  };
}

export function listLinks(db: Db): LinkDetail[] {
  return (db.prepare(DETAIL_SQL).all() as LinkRow[])
    .map(toDetail)
    .sort((x, y) => naturalOrder(x.a.deviceName, y.a.deviceName) || naturalOrder(x.a.portName, y.a.portName));
}

function describePort(db: Db, portId: number): string | undefined {
  const row = db
    .prepare('SELECT d.name AS device, p.name AS port FROM ports p JOIN devices d ON d.id = p.device_id WHERE p.id = ?')
    .get(portId) as { device: string; port: string } | undefined;
  return row ? `${row.device} ${row.port}` : undefined;
}

/** Name the cable already on a port, so the message says what to remove first. */
function checkFree(db: Db, portId: number, field: 'aPortId' | 'bPortId', exceptLinkId?: number): void {
  const cable = db
    .prepare('SELECT id, a_port_id, b_port_id FROM links WHERE ? IN (a_port_id, b_port_id) AND id IS NOT ?')
    .get(portId, exceptLinkId ?? null) as { id: number; a_port_id: number; b_port_id: number } | undefined;
  if (!cable) return;
  const other = cable.a_port_id === portId ? cable.b_port_id : cable.a_port_id;
  throw new Conflict([
    { path: [field], message: `${describePort(db, portId)} is already cabled to ${describePort(db, other)}; a port has one cable` },
  ]);
}

function checkEnds(db: Db, fields: LinkFields, exceptLinkId?: number): void {
  if (fields.aPortId === fields.bPortId) throw InvalidInput.field(['bPortId'], 'a cable joins two different ports');
  for (const field of ['aPortId', 'bPortId'] as const) {
    if (describePort(db, fields[field]) === undefined) throw InvalidInput.field([field], 'that port does not exist');
    checkFree(db, fields[field], field, exceptLinkId);
  }
}

export function insertLink(db: Db, fields: LinkFields): number {
  return db.transaction(() => {
    checkEnds(db, fields);
    try {
      return Number(
        db
          .prepare('INSERT INTO links (a_port_id, b_port_id, source, notes) VALUES (?, ?, ?, ?)')
          .run(fields.aPortId, fields.bPortId, fields.source, fields.notes).lastInsertRowid,
      );
    } catch (error) {
      rethrowConstraint(error, { 'port already cabled': { path: ['aPortId'], message: 'a port has one cable' } });
    }
  })();
}

export function updateLink(db: Db, id: number, fields: LinkFields): void {
  db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM links WHERE id = ?').get(id)) throw new NotFound(`Cable #${id}`);
    checkEnds(db, fields, id);
    db.prepare('UPDATE links SET a_port_id = ?, b_port_id = ?, source = ?, notes = ? WHERE id = ?').run(
      fields.aPortId,
      fields.bPortId,
      fields.source,
      fields.notes,
      id,
    );
  })();
}

export function deleteLink(db: Db, id: number): void {
  if (db.prepare('DELETE FROM links WHERE id = ?').run(id).changes === 0) throw new NotFound(`Cable #${id}`);
}
