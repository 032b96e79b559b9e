/**
 * A throw-away snmpsim (Debian's snmpsimd 0.4.5, reference snmp.md §4b) for integration tests: recordings
 * written to a temp data dir (the community is the file's base name), a cache dir beside it, both owned by
 * nobody because snmpsimd refuses to run as root without --process-user; a free 127.0.0.1 UDP port; the
 * variation modules dir, so `:writecache` lines take SETs. start() returns once the agent answers a GET;
 * stop() ends it (SIGTERM, then SIGKILL) and removes the temp dir. Nothing is bound outside loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, chmodSync, chownSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';

const SNMPSIMD = '/usr/bin/snmpsimd';
const VARIATION_DIR = '/usr/share/snmpsim/variation';

/** Why snmpsim tests cannot run here, or null. */
export function snmpsimUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  try {
    accessSync(SNMPSIMD, constants.X_OK);
  } catch {
    return `${SNMPSIMD} is missing (apt-get install snmpsim)`;
  }
  if (process.getuid?.() !== 0) return 'needs root (snmpsimd data and cache dirs are handed to nobody:nogroup)';
  return null;
}

/** snmpsimd's built-in SNMPv3 user (snmp.md §4b). */
export const SIMULATOR_USER = { user: 'simulator', authProtocol: 'md5', authKey: 'auctoritas', privProtocol: 'des', privKey: 'privatus' } as const;

export interface SnmpsimV3User {
  user: string;
  authProtocol: 'MD5' | 'SHA' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';
  authKey: string;
  /** AES256 is pysnmp's Reeder key localization (net-snmp aes256r), AES256BLMT Blumenthal's (aes256b). */
  privProtocol?: 'DES' | '3DES' | 'AES' | 'AES128' | 'AES192' | 'AES192BLMT' | 'AES256' | 'AES256BLMT';
  privKey?: string;
}

export interface SnmpsimOptions {
  /** file base name (= community) → .snmprec text. */
  recordings: Record<string, string>;
  /** Users besides the built-in one (snmpsimd takes several --v3-user groups). */
  v3Users?: SnmpsimV3User[];
  /** Default 64 (snmpsimd's own default). */
  maxVarbinds?: number;
}

export interface Snmpsim {
  host: string;
  port: number;
  /** snmpsimd's log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

function userId(name: string): number {
  return Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
}

function groupId(name: string): number {
  const line = execFileSync('getent', ['group', name], { encoding: 'utf8' }).trim();
  return Number(line.split(':')[2]);
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function answers(port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', community, { port, version: snmp.Version2c, timeout: 300, retries: 0 });
    session.on('error', () => {});
    session.get(['1.3.6.1.2.1.1.1.0'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

function v3Args(users: readonly SnmpsimV3User[]): string[] {
  const args: string[] = [];
  for (const u of users) {
    args.push(`--v3-user=${u.user}`, `--v3-auth-key=${u.authKey}`, `--v3-auth-proto=${u.authProtocol}`);
    if (u.privProtocol && u.privKey) args.push(`--v3-priv-key=${u.privKey}`, `--v3-priv-proto=${u.privProtocol}`);
  }
  return args;
}

export async function startSnmpsim(options: SnmpsimOptions): Promise<Snmpsim> {
  const names = Object.keys(options.recordings);
  if (names.length === 0) throw new Error('snmpsim needs at least one recording');
  const uid = userId('nobody');
  const gid = groupId('nogroup');
  const root = mkdtempSync(join(tmpdir(), 'lw-snmpsim-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const cacheDir = join(root, 'cache');
  mkdirSync(dataDir);
  mkdirSync(cacheDir);
  for (const [name, text] of Object.entries(options.recordings)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`"${name}" cannot be a recording name`);
    writeFileSync(join(dataDir, `${name}.snmprec`), text);
  }
  const logFile = join(root, 'snmpsimd.log');
  writeFileSync(logFile, '');
  for (const path of [dataDir, cacheDir, logFile, ...names.map((n) => join(dataDir, `${n}.snmprec`))]) chownSync(path, uid, gid);

  const builtIn: SnmpsimV3User = { user: SIMULATOR_USER.user, authProtocol: 'MD5', authKey: SIMULATOR_USER.authKey, privProtocol: 'DES', privKey: SIMULATOR_USER.privKey };
  let child: ChildProcess | null = null;
  let port = 0;
  let output = '';
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    // The port is free when asked, but another process may take it before snmpsimd binds: try a few.
    for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
      const candidate = await freeUdpPort();
      output = '';
      child = spawn(
        SNMPSIMD,
        [
          `--data-dir=${dataDir}`,
          `--cache-dir=${cacheDir}`,
          `--agent-udpv4-endpoint=127.0.0.1:${candidate}`,
          '--process-user=nobody',
          '--process-group=nogroup',
          `--variation-modules-dir=${VARIATION_DIR}`,
          `--logging-method=file:${logFile}`,
          `--max-varbinds=${options.maxVarbinds ?? 64}`,
          ...v3Args([builtIn, ...(options.v3Users ?? [])]),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && child.exitCode === null) {
        if (await answers(candidate, names[0]!)) {
          port = candidate;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (port === 0) await kill();
    }
    if (port === 0) throw new Error(`snmpsimd did not start: ${output.slice(-2_000)}`);
  } catch (error) {
    await kill();
    cleanup();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    log: () => {
      try {
        return `${output}${readFileSync(logFile, 'utf8')}`;
      } catch {
        return output;
      }
    },
    stop: async () => {
      await kill();
      cleanup();
    },
  };
}

/** Lines of a recording sorted by OID, numerically (snmpsim needs its data files sorted). */
export function sortSnmprec(lines: readonly string[]): string[] {
  const key = (line: string) => line.slice(0, line.indexOf('|')).split('.').map(Number);
  return [...lines].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
}
