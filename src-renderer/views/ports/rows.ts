/**
 * The Ports view's table, as data: the rows a filter keeps, and the lines the table draws (a device's header,
 * a bond's or LAG's header, its member rows). Pure, so tests under Node import it; the component only draws.
 */
import type { PortRow } from '../../../src-main/api/contract';
import type { PortFilters } from '../../lib/routes';
import { discoveredNotCabled } from '../../lib/lab';

const fold = (text: string) => text.trim().toLowerCase();

/** Whether a row carries a VLAN, at this end or at the peer. */
function carries(row: PortRow, vlan: number): boolean {
  const sets = [row.vlans, row.peerVlans];
  return sets.some((set) => !!set && (set.untagged === vlan || set.tagged.includes(vlan)));
}

/** The rows the filters keep, in the order given (by device, bond and LAG members together, then name). */
export function filterRows(rows: readonly PortRow[], filters: PortFilters): PortRow[] {
  const device = fold(filters.device);
  const port = filters.port.trim();
  const text = fold(filters.text);
  const vlan = /^\d+$/.test(filters.vlan.trim()) ? Number(filters.vlan.trim()) : null;
  return rows.filter((row) => {
    if (device && fold(row.device) !== device) return false;
    if (filters.role && (row.role ?? 'none') !== filters.role) return false;
    if (vlan !== null && !carries(row, vlan)) return false;
    if (filters.severity === 'any' ? row.severity === null : filters.severity && row.severity !== filters.severity) return false;
    if (port && row.port !== port && row.group !== port) return false;
    if (filters.finding && !row.findings.includes(filters.finding)) return false;
    if (filters.discovered && !discoveredNotCabled(row)) return false;
    if (text) {
      const haystack = [row.port, row.peer ?? '', row.bond ?? '', row.lag ?? '', row.role ?? '', row.mac, ...row.paths].join(' ').toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
}

export type TableLine =
  | { line: 'device'; device: string; shown: number; total: number; unplanned: string[] }
  | { line: 'group'; group: string; row: PortRow; members: number }
  | { line: 'port'; row: PortRow; grouped: boolean };

/**
 * The lines to draw for `shown` (a slice of the filtered rows): a header where the device changes, with how
 * many of its ports are shown and which it reports that the inventory lacks; a header where a bond or LAG
 * starts; then the rows.
 */
export function tableLines(shown: readonly PortRow[], all: readonly PortRow[], filtered: readonly PortRow[]): TableLine[] {
  const totals = new Map<string, { total: number; unplanned: string[] }>();
  for (const row of all) {
    const entry = totals.get(row.device) ?? { total: 0, unplanned: [] };
    entry.total++;
    if (row.observed && !row.inInventory) entry.unplanned.push(row.name);
    totals.set(row.device, entry);
  }
  const shownPerDevice = new Map<string, number>();
  const membersPerGroup = new Map<string, number>();
  for (const row of filtered) {
    shownPerDevice.set(row.device, (shownPerDevice.get(row.device) ?? 0) + 1);
    if (row.group) membersPerGroup.set(row.group, (membersPerGroup.get(row.group) ?? 0) + 1);
  }
  const lines: TableLine[] = [];
  let device: string | null = null;
  let group: string | null = null;
  for (const row of shown) {
    if (row.device !== device) {
      device = row.device;
      group = null;
      const entry = totals.get(row.device) ?? { total: 0, unplanned: [] };
      lines.push({ line: 'device', device, shown: shownPerDevice.get(device) ?? 0, total: entry.total, unplanned: entry.unplanned });
    }
    if (row.group && row.group !== group) lines.push({ line: 'group', group: row.group, row, members: membersPerGroup.get(row.group) ?? 1 });
    group = row.group;
    lines.push({ line: 'port', row, grouped: row.group !== null });
  }
  return lines;
}

/** The distinct values of a column, in first-seen order (the rows come sorted). */
export function distinct(rows: readonly PortRow[], pick: (row: PortRow) => string | null): string[] {
  return [...new Set(rows.map(pick).filter((v): v is string => v !== null && v !== ''))];
}

/** Which cell a mismatch word lights. */
export const MISMATCH_CELL: Record<string, 'peer' | 'aggregate' | 'vlans' | 'speed' | 'mtu'> = {
  peer: 'peer',
  lag: 'aggregate',
  bond: 'aggregate',
  vlans: 'vlans',
  untagged: 'vlans',
  speed: 'speed',
  duplex: 'speed',
  mtu: 'mtu',
};

export function mismatchedCells(row: PortRow): Set<string> {
  return new Set(row.mismatches.map((m) => MISMATCH_CELL[m]).filter((c): c is NonNullable<typeof c> => c !== undefined));
}
