import type { Db } from '../../store/db';
import { getDevice, insertDevice, updateDevice, deviceIdByName } from '../../store/devices';
import { parseDevicesCsv, CsvProblem, type CsvDevice } from './csv';
import { InvalidInput, Conflict } from '../../domain/errors';
import { protocolIssues } from '../../domain/checks/rules';
import type { CsvImportSummary } from '../contract';

/**
 * Adds the devices a CSV lists and updates those it names that exist (only the columns the file has;
 * protocols, ports and credentials are kept). All rows or none: the first problem rolls back the lot and
 * is reported with its line and column.
 */
export function importDevicesCsv(db: Db, text: string): CsvImportSummary {
  try {
    const rows = parseDevicesCsv(text);
    return db.transaction(() => {
      const summary = { added: 0, updated: 0 };
      // Pools first, so a host may name a pool listed further down the file.
      const ordered = [...rows].sort((a, b) => Number(b.kind === 'xen-pool') - Number(a.kind === 'xen-pool'));
      for (const row of ordered) {
        try {
          if (upsert(db, row) === 'added') summary.added++;
          else summary.updated++;
        } catch (error) {
          if (error instanceof InvalidInput || error instanceof Conflict) {
            const issue = error.issues[0];
            throw new CsvProblem(row.line, String(issue?.path[0] ?? ''), issue?.message ?? error.message);
          }
          throw error;
        }
      }
      return summary;
    })();
  } catch (error) {
    if (error instanceof CsvProblem) {
      throw new InvalidInput([{ path: [], message: error.message }], `the devices were not imported, nothing changed: ${error.message}`);
    }
    throw error;
  }
}

function upsert(db: Db, row: CsvDevice): 'added' | 'updated' {
  let poolId: number | null = null;
  if (row.memberOf) {
    const id = deviceIdByName(db, row.memberOf);
    if (id === undefined) throw new CsvProblem(row.line, 'memberOf', `no pool named "${row.memberOf}"`);
    poolId = id;
  }
  const existingId = deviceIdByName(db, row.name);
  if (existingId === undefined) {
    const { name, kind, address, vendor, model, location, notes, stack } = row;
    insertDevice(db, { name, kind, address, vendor, model, location, notes, memberOf: poolId, stack, snmp: null, xenapi: null, dsm: null });
    return 'added';
  }
  const current = getDevice(db, existingId);
  const [protocolIssue] = protocolIssues({ ...current, kind: row.kind });
  if (protocolIssue) {
    throw new CsvProblem(row.line, 'kind', `${protocolIssue.message}; change its protocols first (device page)`);
  }
  const pick = <K extends 'vendor' | 'model' | 'location' | 'notes' | 'stack'>(k: K) => (row.columns.has(k) ? row[k] : current[k]);
  updateDevice(db, existingId, {
    name: row.name,
    kind: row.kind,
    address: row.address,
    vendor: pick('vendor'),
    model: pick('model'),
    location: pick('location'),
    notes: pick('notes'),
    memberOf: row.memberOf === undefined ? current.memberOf : poolId,
    stack: pick('stack'),
    snmp: current.snmp,
    xenapi: current.xenapi,
    dsm: current.dsm,
  });
  return 'updated';
}
