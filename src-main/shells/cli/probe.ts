/**
 * `labwarden probe iscsi://host[:port] [--chap user:secret-file] [--json] [--timeout S]`: one iSCSI
 * discovery probe (a Discovery session only, never a normal login), for scripts and cron. The JSON document
 * is a stable contract (README, "labwarden probe"): fields are added, never renamed.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, UsageError } from './args';
import { probePortal, type ProbeResult } from '../../drivers/iscsi/probe';
import type { CliIo, CliResult } from './commands';

export class ProbeFailed extends Error {}

/** iscsi://host[:port] → host, port (3260 by default); IPv6 in brackets. */
export function parseIscsiTarget(text: string): { host: string; port: number } {
  const match = /^iscsi:\/\/(\[[0-9a-fA-F:.]+\]|[^/:@\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not iscsi://host[:port]`);
  const port = match[2] === undefined ? 3260 : Number(match[2]);
  if (port < 1 || port > 65535) throw new UsageError(`port ${match[2]} is outside 1–65535`);
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { host, port };
}

function readSecret(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new ProbeFailed(`cannot read the CHAP secret file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (size > 1024) throw new ProbeFailed(`${file} is ${size} bytes; a CHAP secret file holds one line`);
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

export async function probeCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, ['chap', 'timeout', 'initiator'], ['json']);
  if (positionals.length !== 1) throw new UsageError('probe takes one target: iscsi://host[:port]');
  const { host, port } = parseIscsiTarget(positionals[0]!);
  let chap = null;
  const chapText = options.get('chap');
  if (typeof chapText === 'string') {
    const colon = chapText.indexOf(':');
    if (colon <= 0 || colon === chapText.length - 1) throw new UsageError('--chap takes USER:SECRET-FILE (the secret is never taken on the command line)');
    chap = { user: chapText.slice(0, colon), secret: readSecret(chapText.slice(colon + 1)) };
  }
  const timeoutText = options.get('timeout') ?? '5';
  const seconds = Number(timeoutText);
  if (!(seconds > 0 && seconds <= 120)) throw new UsageError(`--timeout ${String(timeoutText)} is not 1–120 seconds`);
  const initiator = options.get('initiator');
  const result = await probePortal({
    host,
    port,
    chap,
    connectTimeoutMs: Math.min(3000, seconds * 1000),
    responseTimeoutMs: seconds * 1000,
    ...(typeof initiator === 'string' ? { initiatorName: initiator } : {}),
  });
  if (options.has('json')) io.out(`${JSON.stringify(probeReport(result), null, 2)}\n`);
  else io.out(probeText(result));
  if (!result.ok && !options.has('json')) io.err(`labwarden: ${result.error?.message ?? 'the probe failed'}\n`);
  return { code: result.ok ? 0 : 1 };
}

/** The documented JSON contract. */
export function probeReport(result: ProbeResult) {
  return {
    portal: result.portal,
    ok: result.ok,
    error: result.error?.message ?? null,
    errorKind: result.error?.kind ?? null,
    authMethod: result.authMethod,
    targets: result.targets.map((target) => ({
      iqn: target.iqn,
      alias: target.alias,
      portals: target.portals.map((p) => (p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`)),
    })),
    timings: result.timings,
  };
}

function probeText(result: ProbeResult): string {
  if (!result.ok) return `${result.portal}: no answer to discovery\n`;
  const lines = [`${result.portal}: ${result.targets.length} target(s)${result.authMethod === 'CHAP' ? ' (CHAP)' : ''}`];
  for (const target of result.targets) {
    lines.push(`  ${target.iqn}${target.alias ? ` (${target.alias})` : ''}`);
    for (const p of target.portals) lines.push(`    ${p.address}:${p.port}${p.tpgt !== null ? `,${p.tpgt}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
