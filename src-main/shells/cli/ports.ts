/**
 * `labwarden ports [--poll] [--json] [--data-dir DIR]`: every physical port with both ends of its cable. The
 * JSON document is `lab.ports`'s result (`{ ports: [...] }`), a stable contract (README, "labwarden ports").
 */
import { parseArgs, UsageError } from './args';
import { call } from './call';
import { SESSION_FLAGS, SESSION_VALUED, withAnsweringLab } from './lab-session';
import type { PortsDocument } from '../../api/contract';
import type { PortRow, VlanSet } from '../../domain/graph/rows';
import type { CliIo, CliResult } from './commands';

export async function portsCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, [...SESSION_VALUED], [...SESSION_FLAGS, 'json']);
  if (positionals.length) throw new UsageError(`ports takes no argument "${positionals[0]}"`);
  const document = await withAnsweringLab(options, io, (lab) => call(lab, 'lab.ports'));
  io.out(options.has('json') ? `${JSON.stringify(document, null, 2)}\n` : portsText(document));
  return { code: 0 };
}

/** "u10 t100,101", or "-" for none. */
export function vlanText(vlans: VlanSet | null): string {
  if (!vlans) return '-';
  const parts = [vlans.untagged !== null ? `u${vlans.untagged}` : '', vlans.tagged.length ? `t${vlans.tagged.join(',')}` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '-';
}

/** 1000 → "1G", 100 → "100M", 2500 → "2.5G". */
export function speedText(mbps: number | null): string {
  if (mbps === null) return '-';
  if (mbps >= 1000) return `${Number((mbps / 1000).toFixed(1))}G`;
  return `${mbps}M`;
}

function mtuText(row: PortRow): string {
  if (row.mtu === null) return '-';
  return row.peerMtu !== null && row.peerMtu !== row.mtu ? `${row.mtu}/${row.peerMtu}` : String(row.mtu);
}

const COLUMNS = ['PORT', 'ROLE', 'PEER (SOURCE)', 'BOND/LAG', 'VLANS HERE | THERE', 'MTU', 'SPEED', 'STATE', 'FINDINGS'] as const;

function cells(row: PortRow): string[] {
  return [
    row.port,
    row.role ?? '-',
    row.peer ? `${row.peer} (${row.peerSource ?? '?'})${row.conflict ? ' !' : ''}` : '-',
    [row.bond, row.lag].filter(Boolean).join(' / ') || '-',
    `${vlanText(row.vlans)} | ${vlanText(row.peerVlans)}`,
    mtuText(row),
    speedText(row.speedMbps),
    row.state,
    row.findings.length ? `${row.findings.length}${row.severity ? ` ${row.severity}` : ''}` : '-',
  ];
}

/** One aligned line per port, grouped by device as the rows come (bond and LAG members together). */
export function portsText(document: PortsDocument): string {
  if (document.ports.length === 0) return 'No ports: the inventory has none and no device reported any.\n';
  const table = [COLUMNS as readonly string[], ...document.ports.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  const devices = new Set(document.ports.map((row) => row.device)).size;
  const flagged = document.ports.filter((row) => row.severity !== null).length;
  lines.push(`${document.ports.length} port${document.ports.length === 1 ? '' : 's'} on ${devices} device${devices === 1 ? '' : 's'}; ${flagged} with open findings.`);
  return `${lines.join('\n')}\n`;
}
