import type { Db } from './db';
import { rethrowConstraint, listInWords, consequence } from './constraint-errors';
import { NotFound, InvalidInput } from '../domain/errors';
import { targetDeviceIssue } from '../domain/checks/rules';
import type { StorageTarget, Portal, Lun, LunUse, DiscoveryChap, TargetCredentialPurpose } from '../domain/model/storage';
import type { TargetDetail, DeleteImpact } from '../domain/model/views';
import { deviceKind } from './devices';

export type TargetFields = Omit<StorageTarget, 'id'>;

interface TargetRow {
  id: number;
  device_id: number;
  iqn: string;
  alias: string;
  notes: string;
  chap: string | null;
  device_name: string;
  credential_list: string | null;
}

export function listTargets(db: Db): TargetDetail[] {
  const targets = db
    .prepare(
      `SELECT t.*, d.name AS device_name,
         (SELECT group_concat(purpose) FROM target_credentials c WHERE c.target_id = t.id) AS credential_list
       FROM targets t JOIN devices d ON d.id = t.device_id ORDER BY d.name, t.iqn`,
    )
    .all() as TargetRow[];
  const portals = db.prepare('SELECT * FROM target_portals ORDER BY target_id, position').all() as (Portal & {
    target_id: number;
  })[];
  const luns = db.prepare('SELECT * FROM luns ORDER BY target_id, lun').all() as {
    target_id: number;
    lun: number;
    name: string;
    size_bytes: number;
    use: LunUse;
    scsi_id: string;
  }[];
  return targets.map((row) => ({
    id: row.id,
    deviceId: row.device_id,
    deviceName: row.device_name,
    iqn: row.iqn,
    alias: row.alias,
    notes: row.notes,
    portals: portals.filter((p) => p.target_id === row.id).map(({ address, port }) => ({ address, port })),
    luns: luns
      .filter((l) => l.target_id === row.id)
      .map((l): Lun => ({ lun: l.lun, name: l.name, sizeBytes: l.size_bytes, use: l.use, scsiId: l.scsi_id })),
    chap: row.chap ? (JSON.parse(row.chap) as DiscoveryChap) : null,
    credentials: (row.credential_list ? row.credential_list.split(',') : []).sort() as TargetCredentialPurpose[],
  }));
}

function writeChildren(db: Db, targetId: number, fields: TargetFields): void {
  db.prepare('DELETE FROM target_portals WHERE target_id = ?').run(targetId);
  db.prepare('DELETE FROM luns WHERE target_id = ?').run(targetId);
  const portal = db.prepare('INSERT INTO target_portals (target_id, position, address, port) VALUES (?, ?, ?, ?)');
  fields.portals.forEach((p, index) => {
    try {
      portal.run(targetId, index, p.address, p.port);
    } catch (error) {
      rethrowConstraint(error, {
        'target_portals.target_id, target_portals.address': { path: ['portals', index], message: 'this portal is listed twice' },
      });
    }
  });
  const lun = db.prepare('INSERT INTO luns (target_id, lun, name, size_bytes, use, scsi_id) VALUES (?, ?, ?, ?, ?, ?)');
  fields.luns.forEach((l, index) => {
    try {
      lun.run(targetId, l.lun, l.name, l.sizeBytes, l.use, l.scsiId);
    } catch (error) {
      rethrowConstraint(error, {
        'luns.target_id, luns.lun': { path: ['luns', index, 'lun'], message: `LUN ${l.lun} is listed twice` },
      });
    }
  });
}

function checkDevice(db: Db, fields: TargetFields): void {
  const issue = targetDeviceIssue(deviceKind(db, fields.deviceId));
  if (issue) throw new InvalidInput([issue]);
}

const chapJson = (chap: DiscoveryChap | null) => (chap ? JSON.stringify({ user: chap.user, targetUser: chap.targetUser }) : null);

const IQN_TAKEN = (iqn: string) => ({ 'targets.iqn': { path: ['iqn'], message: `target ${iqn} is already in the inventory` } });

export function insertTarget(db: Db, fields: TargetFields): number {
  return db.transaction(() => {
    checkDevice(db, fields);
    let id: number;
    try {
      id = Number(
        db
          .prepare('INSERT INTO targets (device_id, iqn, alias, notes, chap) VALUES (?, ?, ?, ?, ?)')
          .run(fields.deviceId, fields.iqn, fields.alias, fields.notes, chapJson(fields.chap)).lastInsertRowid,
      );
    } catch (error) {
      rethrowConstraint(error, IQN_TAKEN(fields.iqn));
    }
    writeChildren(db, id, fields);
    return id;
  })();
}

export function updateTarget(db: Db, id: number, fields: TargetFields): void {
  db.transaction(() => {
    checkDevice(db, fields);
    try {
      const result = db
        .prepare('UPDATE targets SET device_id = ?, iqn = ?, alias = ?, notes = ?, chap = ? WHERE id = ?')
        .run(fields.deviceId, fields.iqn, fields.alias, fields.notes, chapJson(fields.chap), id);
      if (result.changes === 0) throw new NotFound(`Target #${id}`);
    } catch (error) {
      if (error instanceof NotFound) throw error;
      rethrowConstraint(error, IQN_TAKEN(fields.iqn));
    }
    writeChildren(db, id, fields);
  })();
}

export function targetDeleteImpact(db: Db, id: number): DeleteImpact {
  const target = db.prepare('SELECT iqn FROM targets WHERE id = ?').get(id) as { iqn: string } | undefined;
  if (!target) throw new NotFound(`Target #${id}`);
  const count = (sql: string) => (db.prepare(sql).get(id) as { n: number }).n;
  const consequences = [
    consequence('LUN', count('SELECT count(*) AS n FROM luns WHERE target_id = ?')),
    consequence('portal', count('SELECT count(*) AS n FROM target_portals WHERE target_id = ?')),
    consequence('stored CHAP secret', count('SELECT count(*) AS n FROM target_credentials WHERE target_id = ?')),
  ].filter((c) => c.count > 0);
  const parts = consequences.map((c) => c.text);
  return {
    summary: parts.length
      ? `Deleting target ${target.iqn} also deletes its ${listInWords(parts)}.`
      : `Deleting target ${target.iqn} removes nothing else.`,
    consequences,
  };
}

export function deleteTarget(db: Db, id: number): void {
  if (db.prepare('DELETE FROM targets WHERE id = ?').run(id).changes === 0) throw new NotFound(`Target #${id}`);
}
