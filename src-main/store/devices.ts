import type { Db } from './db';
import { rethrowConstraint, plural, listInWords, consequence } from './constraint-errors';
import { NotFound, InvalidInput } from '../domain/errors';
import { membershipIssue, stackIssue } from '../domain/checks/rules';
import { naturalOrder } from '../domain/checks/rules';
import type { Device, DeviceKind, SnmpSettings, ApiEndpoint } from '../domain/model/devices';
import type { CredentialPurpose } from '../domain/model/credentials';
import type { DeviceSummary, DeviceDetail, DeleteImpact } from '../domain/model/views';
import { portsOfDevice } from './ports';

/** The fields a user edits; id and derived values are the store's. */
export type DeviceFields = Omit<Device, 'id'>;

interface DeviceRow {
  id: number;
  name: string;
  kind: DeviceKind;
  address: string;
  vendor: string;
  model: string;
  location: string;
  notes: string;
  member_of: number | null;
  stack: string;
  snmp: string | null;
  xenapi: string | null;
  dsm: string | null;
}

// Each count goes through an index (ports by device, links by either end), so the list costs per device what
// that device has, not what the whole lab has.
const SUMMARY_SQL = `
  SELECT d.*,
    pool.name AS member_of_name,
    (SELECT count(*) FROM ports p WHERE p.device_id = d.id) AS port_count,
    (SELECT count(*) FROM links l
      WHERE l.a_port_id IN (SELECT id FROM ports WHERE device_id = d.id)
         OR l.b_port_id IN (SELECT id FROM ports WHERE device_id = d.id)) AS link_count,
    (SELECT group_concat(purpose) FROM credentials c WHERE c.device_id = d.id) AS credential_list
  FROM devices d LEFT JOIN devices pool ON pool.id = d.member_of`;

type SummaryRow = DeviceRow & {
  member_of_name: string | null;
  port_count: number;
  link_count: number;
  credential_list: string | null;
};

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    address: row.address,
    vendor: row.vendor,
    model: row.model,
    location: row.location,
    notes: row.notes,
    memberOf: row.member_of,
    stack: row.stack,
    snmp: row.snmp ? (JSON.parse(row.snmp) as SnmpSettings) : null,
    xenapi: row.xenapi ? (JSON.parse(row.xenapi) as ApiEndpoint) : null,
    dsm: row.dsm ? (JSON.parse(row.dsm) as ApiEndpoint) : null,
  };
}

function toSummary(row: SummaryRow): DeviceSummary {
  return {
    ...toDevice(row),
    credentials: (row.credential_list ? row.credential_list.split(',') : []).sort() as CredentialPurpose[],
    memberOfName: row.member_of_name,
    portCount: row.port_count,
    linkCount: row.link_count,
  };
}

export function listDevices(db: Db): DeviceSummary[] {
  const rows = db.prepare(SUMMARY_SQL).all() as SummaryRow[];
  return rows.map(toSummary).sort((a, b) => naturalOrder(a.name, b.name));
}

/**
 * Every device's id by name, in listDevices' order: what the lab screens link their rows with. One plain
 * read, without the summary's per-device counts (whose link count joins every link once per device).
 */
export function deviceIdsByName(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT id, name FROM devices').all() as { id: number; name: string }[];
  return Object.fromEntries(rows.sort((a, b) => naturalOrder(a.name, b.name)).map((d) => [d.name, d.id]));
}

export function getDevice(db: Db, id: number): DeviceDetail {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(id) as SummaryRow | undefined;
  if (!row) throw new NotFound(`Device #${id}`);
  const members = db.prepare('SELECT id, name FROM devices WHERE member_of = ?').all(id) as { id: number; name: string }[];
  const targets = db.prepare('SELECT id, iqn, alias FROM targets WHERE device_id = ? ORDER BY iqn').all(id) as DeviceDetail['targets'];
  return {
    ...toSummary(row),
    ports: portsOfDevice(db, id),
    members: members.sort((a, b) => naturalOrder(a.name, b.name)),
    targets,
  };
}

export function deviceKind(db: Db, id: number): DeviceKind | undefined {
  return (db.prepare('SELECT kind FROM devices WHERE id = ?').get(id) as { kind: DeviceKind } | undefined)?.kind;
}

export function deviceIdByName(db: Db, name: string): number | undefined {
  return (db.prepare('SELECT id FROM devices WHERE name = ?').get(name) as { id: number } | undefined)?.id;
}

const NAME_TAKEN = (name: string) => ({ 'devices.name': { path: ['name'], message: `a device named "${name}" already exists` } });

function params(fields: DeviceFields) {
  return {
    name: fields.name,
    kind: fields.kind,
    address: fields.address,
    vendor: fields.vendor,
    model: fields.model,
    location: fields.location,
    notes: fields.notes,
    member_of: fields.memberOf,
    stack: fields.stack,
    snmp: fields.snmp ? JSON.stringify(fields.snmp) : null,
    xenapi: fields.xenapi ? JSON.stringify(fields.xenapi) : null,
    dsm: fields.dsm ? JSON.stringify(fields.dsm) : null,
  };
}

function checkMembership(db: Db, fields: DeviceFields, selfId?: number): void {
  if (fields.memberOf !== null && fields.memberOf === selfId) {
    throw InvalidInput.field(['memberOf'], 'a device cannot be a member of itself');
  }
  const issue = membershipIssue(fields.kind, fields.memberOf, fields.memberOf === null ? undefined : deviceKind(db, fields.memberOf));
  if (issue) throw new InvalidInput([issue]);
  // The validators say so first; this keeps a kind changed by a CSV from leaving a stack on a non-switch.
  const stack = stackIssue(fields);
  if (stack) throw new InvalidInput([stack]);
}

export function insertDevice(db: Db, fields: DeviceFields): number {
  checkMembership(db, fields);
  try {
    const result = db
      .prepare(
        `INSERT INTO devices (name, kind, address, vendor, model, location, notes, member_of, stack, snmp, xenapi, dsm)
         VALUES (@name, @kind, @address, @vendor, @model, @location, @notes, @member_of, @stack, @snmp, @xenapi, @dsm)`,
      )
      .run(params(fields));
    return Number(result.lastInsertRowid);
  } catch (error) {
    rethrowConstraint(error, NAME_TAKEN(fields.name));
  }
}

export function updateDevice(db: Db, id: number, fields: DeviceFields): void {
  const before = deviceKind(db, id);
  if (before === undefined) throw new NotFound(`Device #${id}`);
  checkMembership(db, fields, id);
  if (before === 'xen-pool' && fields.kind !== 'xen-pool') {
    const members = (db.prepare('SELECT count(*) AS n FROM devices WHERE member_of = ?').get(id) as { n: number }).n;
    if (members > 0) {
      throw InvalidInput.field(['kind'], `this pool still has ${plural(members, 'member host')}; move them out first`);
    }
  }
  if (before !== fields.kind && fields.kind !== 'iscsi-san' && fields.kind !== 'nas') {
    const targets = (db.prepare('SELECT count(*) AS n FROM targets WHERE device_id = ?').get(id) as { n: number }).n;
    if (targets > 0) {
      throw InvalidInput.field(['kind'], `this device serves ${plural(targets, 'iSCSI target')}; only a SAN or NAS can`);
    }
  }
  try {
    db.prepare(
      `UPDATE devices SET name=@name, kind=@kind, address=@address, vendor=@vendor, model=@model, location=@location,
         notes=@notes, member_of=@member_of, stack=@stack, snmp=@snmp, xenapi=@xenapi, dsm=@dsm WHERE id=@id`,
    ).run({ ...params(fields), id });
  } catch (error) {
    rethrowConstraint(error, NAME_TAKEN(fields.name));
  }
}

export function deviceDeleteImpact(db: Db, id: number): DeleteImpact {
  const device = db.prepare('SELECT name FROM devices WHERE id = ?').get(id) as { name: string } | undefined;
  if (!device) throw new NotFound(`Device #${id}`);
  const count = (sql: string) => (db.prepare(sql).get(id) as { n: number }).n;
  const consequences = [
    consequence('port', count('SELECT count(*) AS n FROM ports WHERE device_id = ?')),
    consequence(
      'cable',
      count('SELECT count(DISTINCT l.id) AS n FROM links l JOIN ports p ON p.id IN (l.a_port_id, l.b_port_id) WHERE p.device_id = ?'),
    ),
    consequence('iSCSI target', count('SELECT count(*) AS n FROM targets WHERE device_id = ?')),
    consequence('LUN', count('SELECT count(*) AS n FROM luns JOIN targets t ON t.id = luns.target_id WHERE t.device_id = ?')),
    consequence('stored credential', count('SELECT count(*) AS n FROM credentials WHERE device_id = ?')),
  ].filter((c) => c.count > 0);
  const members = count('SELECT count(*) AS n FROM devices WHERE member_of = ?');
  const parts = consequences.map((c) => c.text);
  let summary = parts.length
    ? `Deleting ${device.name} also deletes ${listInWords(parts)}.`
    : `Deleting ${device.name} removes nothing else.`;
  if (members > 0) {
    const left = { what: 'host left without a pool', count: members, text: `${plural(members, 'host')} left without a pool` };
    summary += ` ${plural(members, 'host')} will no longer belong to a pool.`;
    consequences.push(left);
  }
  return { summary, consequences };
}

export function deleteDevice(db: Db, id: number): void {
  const result = db.prepare('DELETE FROM devices WHERE id = ?').run(id);
  if (result.changes === 0) throw new NotFound(`Device #${id}`);
}
