import { readFileSync, writeFileSync, statSync, renameSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { parseArgs, UsageError } from './args';
import { openLab, LABWARDEN_VERSION, type OpenLab } from '../common/open-lab';
import { startServer, type RunningServer } from '../server/server';
import { MAX_IMPORT_BYTES } from '../../api/schemas';
import { pollCommand } from './poll';
import { probeCommand } from './probe';
import { call, CommandFailed } from './call';
import { dataDirOf } from './lab-session';
import { auditCommand } from './audit';
import { portsCommand } from './ports';
import { whatifCommand } from './whatif';
import { secretCommand } from './secret';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Where the built UI lives (out/renderer beside the bundle). */
  staticDir: string;
  /** Opens a URL in the user's browser, if there is one. */
  openBrowser?(url: string): void;
  /** Standard output is a terminal that takes ANSI colour (greyed accepted findings). */
  color?: boolean;
}

export const USAGE = `Labwarden ${LABWARDEN_VERSION}: the inventory and health of a small lab.

Usage:
  labwarden serve  [--port N] [--host ADDR] [--token T] [--open]   the app in a browser (default 127.0.0.1:4173)
  labwarden export [--csv] [--output FILE]                          the inventory as YAML (or the devices as CSV)
  labwarden import FILE [--csv] [--check]                           replace the inventory with FILE (YAML),
                                                                    or add/update the devices of a CSV
  labwarden poll xenapi://USER@HOST[:PORT] --password-file FILE     read a XenServer pool once (HTTPS;
        [--fingerprint SHA256] [--json] [--timeout SECONDS]         xenapi+http:// for plain HTTP)
  labwarden poll snmp://[COMMUNITY@]HOST[:PORT] [--v1]              read a switch, NAS or host over SNMP
        [--v3 user=U,auth=sha256,authKey=K,priv=aes,privKey=K] [--json] [--timeout SECONDS]
  labwarden probe iscsi://HOST[:PORT] [--chap USER:SECRET-FILE]     one iSCSI discovery probe
        [--json] [--timeout SECONDS]
  labwarden audit [--poll] [--json] [--timeout S]                   the lab against "no single point of failure";
        [--fail-on warning|error]                                   exit 3 when an open finding that bad exists
  labwarden audit --demo [--json]                                   the same for the built-in demo lab
  labwarden ports [--poll] [--json]                                 every physical port, both ends of its cable
  labwarden whatif DEVICE[:PORT]... [--poll] [--json]               what would be lost with these taken out
  labwarden secret set DEVICE NAME --file FILE                      store a device's secret, sealed; NAME is
        xenapi-password, snmp-community, snmp-auth-key, snmp-priv-key, dsm-password,
        or chap-secret / chap-target-secret with a target's IQN as DEVICE
  labwarden secret clear DEVICE NAME                                forget a stored secret
  --poll polls every device of the inventory once first (--timeout S for the whole round, default 30);
  --demo runs the demo lab's simulators, opens the demo in --data-dir (else a temporary folder) and polls it.
Common options:
  --data-dir DIR   where the inventory lives (default $LABWARDEN_DATA_DIR or ~/.config/Labwarden)
  --help, --version
Exit codes: 0 done, 1 could not, 2 a usage mistake, 3 audit --fail-on found an open finding that bad.
`;

function readImportFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new CommandFailed(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (size > MAX_IMPORT_BYTES) throw new CommandFailed(`${file} is ${Math.round(size / 1e6)} MB; an inventory is at most 5 MB`);
  return readFileSync(file, 'utf8');
}

/** Writes FILE through a temporary sibling and a rename, so an interrupted export never leaves half a file. */
function writeWhole(file: string, text: string): void {
  const temporary = join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
}

export interface CliResult {
  code: number;
  /** Set by serve: the running server, until the process is told to stop. */
  server?: RunningServer;
  lab?: OpenLab;
}

export async function runCli(argv: string[], io: CliIo): Promise<CliResult> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help' || command === '-h') {
      io.out(USAGE);
      return { code: command === undefined ? 2 : 0 };
    }
    if (command === '--version') {
      io.out(`${LABWARDEN_VERSION}\n`);
      return { code: 0 };
    }
    switch (command) {
      case 'serve':
        return await serve(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'import':
        return await importCommand(rest, io);
      case 'poll':
        return await pollCommand(rest, io);
      case 'probe':
        return await probeCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case 'ports':
        return await portsCommand(rest, io);
      case 'whatif':
        return await whatifCommand(rest, io);
      case 'secret':
        return await secretCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`labwarden: ${error.message}\n\n${USAGE}`);
      return { code: 2 };
    }
    io.err(`labwarden: ${(error as Error).message}\n`);
    return { code: 1 };
  }
}

async function withLab<T>(options: Map<string, string | true>, io: CliIo, work: (lab: OpenLab) => Promise<T>): Promise<T> {
  const lab = openLab({ dataDir: dataDirOf(options, io), mode: 'cli' });
  try {
    return await work(lab);
  } finally {
    await lab.close();
  }
}

async function exportCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, ['output', 'data-dir'], ['csv']);
  if (positionals.length) throw new UsageError(`export takes no file argument; use --output ${positionals[0]}`);
  const text = await withLab(options, io, (lab) =>
    options.has('csv') ? call(lab, 'devices.exportCsv') : call(lab, 'inventory.exportYaml'),
  );
  const output = options.get('output');
  if (typeof output === 'string') {
    writeWhole(output, text);
    io.err(`Wrote ${output}\n`);
  } else {
    io.out(text);
  }
  return { code: 0 };
}

async function importCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, ['data-dir'], ['csv', 'check']);
  if (positionals.length !== 1) throw new UsageError('import takes one FILE');
  const file = positionals[0]!;
  const text = readImportFile(file);
  const asCsv = options.has('csv') || file.toLowerCase().endsWith('.csv');
  return withLab(options, io, async (lab) => {
    if (asCsv) {
      if (options.has('check')) throw new UsageError('--check is for YAML inventories');
      const summary = await call(lab, 'devices.importCsv', text);
      io.out(`Imported ${file}: ${summary.added} device(s) added, ${summary.updated} updated.\n`);
      return { code: 0 };
    }
    if (options.has('check')) {
      const check = await call(lab, 'inventory.checkYaml', text);
      if (!check.ok) {
        for (const p of check.problems) io.err(`${file}:${p.line ?? '?'}: ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
        return { code: 1 };
      }
      io.out(`${file} is a valid inventory: ${describeCounts(check.counts!)}.\n`);
      return { code: 0 };
    }
    const summary = await call(lab, 'inventory.importYaml', text);
    io.out(
      `Imported ${file}: ${describeCounts(summary.counts)}` +
        ` (replaced ${summary.replaced.devices} device(s); ${summary.keptCredentials} stored credential(s) kept).\n`,
    );
    return { code: 0 };
  });
}

function describeCounts(c: { devices: number; ports: number; links: number; vlans: number; targets: number; luns: number }): string {
  return `${c.devices} devices, ${c.ports} ports, ${c.links} cables, ${c.vlans} VLANs, ${c.targets} targets, ${c.luns} LUNs`;
}

async function serve(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, ['port', 'host', 'token', 'data-dir'], ['open']);
  if (positionals.length) throw new UsageError(`serve takes no argument "${positionals[0]}"`);
  const portText = options.get('port') ?? io.env.LABWARDEN_PORT ?? '4173';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${portText} is not a port number (0–65535)`);
  const host = (options.get('host') as string | undefined) ?? '127.0.0.1';
  const token = (options.get('token') as string | undefined) ?? io.env.LABWARDEN_TOKEN;

  const lab = openLab({ dataDir: dataDirOf(options, io), mode: 'serve', collect: true, demoPeers: true });
  let server: RunningServer;
  try {
    server = await startServer({
      handlers: lab.handlers,
      staticDir: io.staticDir,
      host,
      port,
      ...(token ? { token } : {}),
      log: { info: (m) => io.err(`${m}\n`), error: (m, e) => io.err(`${m}: ${(e as Error)?.message ?? e}\n`) },
    });
  } catch (error) {
    await lab.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CommandFailed(`port ${port} on ${host} is in use; pick another with --port`);
    if (code === 'EADDRNOTAVAIL') throw new CommandFailed(`${host} is not an address of this machine`);
    throw error;
  }
  lab.onEvent((event, payload) => server.broadcast(event, payload));
  io.out(`Labwarden is serving at ${server.url}\n`);
  io.out(`Inventory: ${lab.databasePath}\n`);
  if (server.token !== null && !token) io.out('A token was generated for this run; it is in the URL above. Set --token to keep one.\n');
  io.out('Press Ctrl+C to stop.\n');
  if (options.has('open')) io.openBrowser?.(server.url);
  return { code: 0, server, lab };
}
