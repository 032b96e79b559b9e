/**
 * `labwarden whatif DEVICE[:PORT]... [--poll] [--json] [--data-dir DIR]`: what the lab would lose with these
 * taken out (a switch, a port or NIC, a bond or LAG, a host, a SAN, a portal address:port). The JSON document is
 * `lab.whatIf`'s result (`{ removed, lost, newFindings }`), a stable contract (README, "labwarden whatif").
 */
import { parseArgs, UsageError } from './args';
import { call } from './call';
import { SESSION_FLAGS, SESSION_VALUED, withAnsweringLab } from './lab-session';
import type { WhatIfResult } from '../../api/contract';
import type { WhatIfLoss } from '../../domain/whatif/whatif';
import type { CliIo, CliResult } from './commands';

export async function whatifCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, [...SESSION_VALUED], [...SESSION_FLAGS, 'json']);
  if (positionals.length === 0) throw new UsageError('whatif takes what to take out: DEVICE, DEVICE:PORT or a portal ADDRESS:PORT, one or more');
  const result = await withAnsweringLab(options, io, (lab) => call(lab, 'lab.whatIf', positionals));
  io.out(options.has('json') ? `${JSON.stringify(result, null, 2)}\n` : whatifText(result));
  return { code: 0 };
}

export function lossText(loss: WhatIfLoss): string {
  switch (loss.what) {
    case 'sr':
      return `storage ${loss.name} on ${loss.host}: ${loss.why}`;
    case 'management':
      return `management of ${loss.host}: ${loss.why}`;
    case 'network':
      // A VLAN network's name usually says its tag already ("VM lab (VLAN 101)").
      return `network ${loss.name}${loss.vlan != null && !loss.name?.includes(`VLAN ${loss.vlan}`) ? ` (VLAN ${loss.vlan})` : ''} on ${loss.host}: ${loss.why}`;
    case 'host':
      return `host ${loss.name}: ${loss.why}`;
    case 'replication':
      return `replication to ${loss.name}: ${loss.why}`;
  }
}

export function whatifText(result: WhatIfResult): string {
  const lines = [`Without ${result.removed.join(', ')}:`];
  if (result.lost.length) for (const loss of result.lost) lines.push(`  lost: ${lossText(loss)}`);
  else lines.push('  nothing would be lost');
  if (result.newFindings.length) {
    lines.push('New findings:');
    const width = Math.min(60, Math.max(...result.newFindings.map((f) => f.id.length)));
    for (const f of result.newFindings) lines.push(`  ${f.severity.padEnd(7)}  ${f.id.padEnd(width)}  ${f.title}`);
  } else {
    lines.push('No new findings.');
  }
  return `${lines.join('\n')}\n`;
}
