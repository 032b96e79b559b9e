/**
 * A throw-away SAN for integration tests (reference san.md §2.3): two network namespaces made by the test,
 * `lwtest-<id>-san` running a real tgtd and `lwtest-<id>-host` running the probe, joined by two veth pairs on
 * two subnets, with no default route in either. Nothing is addressed in the root namespace. The subnets are
 * the documentation ranges of san.md §2.3, checked first against the root namespace's routes and addresses
 * (the machine's own uplink is 192.0.2.0/24, so that range is never a candidate).
 *
 * The probe runs in the host namespace as a child Node process (`ip netns exec … node runner.cjs`) on
 * CommonJS transpiled from src-main by commonjs-build.ts: a process can only open sockets in the namespace
 * it lives in, and vitest's in-process TypeScript cannot be carried there.
 *
 * teardown() undoes everything even after a failed setup: targets deleted, tgtd asked to exit (it ignores
 * SIGTERM, san.md §2.1) and killed if it does not, namespaces (and with them the veths) deleted.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCommonJs } from './commonjs-build';

const ROOT = resolve(__dirname, '../../..');
const TOOLS = ['/usr/sbin/tgtd', '/usr/sbin/tgtadm'];

/** Why these tests cannot run here, or null. */
export function tgtdLabUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root (ip netns, tgtd)';
  for (const tool of TOOLS) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      return `${tool} is missing (apt-get install tgt)`;
    }
  }
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'the ip command (iproute2) is missing';
  }
  return null;
}

/** First three octets of the /24s tried, in order: san.md §2.3's two, then two from the benchmarking range. */
const CANDIDATE_SUBNETS = ['198.51.100', '203.0.113', '198.18.51', '198.19.113'];

const toInt = (dotted: string) => dotted.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** The /24s among the candidates that no route or address of the root namespace overlaps (default aside). */
export function freeSubnets(routesAndAddresses: string): string[] {
  const used = [...routesAndAddresses.matchAll(/(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)]
    .map((m) => ({ base: toInt(m[1]!), bits: m[2] === undefined ? 32 : Number(m[2]) }))
    .filter((net) => net.bits > 0);
  return CANDIDATE_SUBNETS.filter((candidate) => {
    const start = toInt(`${candidate}.0`);
    return used.every(({ base, bits }) => {
      const size = 2 ** (32 - bits);
      const netStart = Math.floor(base / size) * size;
      return netStart + size <= start || netStart >= start + 256;
    });
  });
}

function run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { env: env ?? process.env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolvePromise(stdout);
    });
  });
}

export interface TgtdLab {
  san: string;
  host: string;
  /** Portal addresses of tgtd (x.x.x.10), one per subnet, and the host's own (x.x.x.1). */
  portalA: string;
  portalB: string;
  /** The SAN-side veth of path B, for link-down tests. */
  sanLinkB: string;
  tgtadm(...args: string[]): Promise<string>;
  newTarget(tid: number, iqn: string): Promise<void>;
  deleteTarget(tid: number): Promise<void>;
  ipInSan(...args: string[]): Promise<string>;
  /** Runs probePortals(list) in the host namespace, in a child Node process; returns its results. */
  probe<T = unknown>(list: readonly Record<string, unknown>[]): Promise<T[]>;
  tgtdPid(): number;
  teardown(): Promise<string[]>;
}

export async function startTgtdLab(): Promise<TgtdLab> {
  const id = randomBytes(3).toString('hex');
  const san = `lwtest-${id}-san`;
  const host = `lwtest-${id}-host`;
  const links = { a0: `lw${id}a0`, a1: `lw${id}a1`, b0: `lw${id}b0`, b1: `lw${id}b1` };
  const dir = mkdtempSync(join(tmpdir(), 'lwtest-tgtd-'));
  const env = { ...process.env, TGT_IPC_SOCKET: join(dir, 'tgtd.sock') };
  const createdNamespaces: string[] = [];
  const tids = new Set<number>();
  let tgtd: ChildProcess | null = null;
  let tgtdExited: Promise<void> = Promise.resolve();
  let tgtdLog = '';

  /** The last resort if the test process dies before teardown: synchronous, silent. */
  const onExit = () => {
    if (tgtd?.pid !== undefined && tgtd.exitCode === null) {
      try {
        process.kill(tgtd.pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    for (const ns of createdNamespaces) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        /* gone already */
      }
    }
  };
  process.once('exit', onExit);

  const tgtadm = (...args: string[]) => run('/usr/sbin/tgtadm', ['-C', '0', '--lld', 'iscsi', ...args], env);

  const teardown = async (): Promise<string[]> => {
    const problems: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (tgtd?.pid !== undefined && tgtd.exitCode === null && tgtd.signalCode === null) {
      const pid = tgtd.pid;
      await attempt('SIGCONT tgtd', async () => process.kill(pid, 'SIGCONT'));
      for (const tid of tids) await attempt(`delete target ${tid}`, () => tgtadm('--op', 'delete', '--mode', 'target', '--tid', String(tid), '--force'));
      await attempt('stop tgtd', () => tgtadm('--op', 'delete', '--mode', 'system'));
      const exited = await Promise.race([tgtdExited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3_000))]);
      if (!exited) {
        problems.push('tgtd did not exit on "delete --mode system"; killed');
        process.kill(pid, 'SIGKILL');
        await tgtdExited;
      }
    }
    for (const ns of createdNamespaces.splice(0)) await attempt(`delete ${ns}`, () => run('ip', ['netns', 'del', ns]));
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', onExit);
    return problems;
  };

  try {
    const [routes, addresses] = await Promise.all([run('ip', ['-4', 'route', 'show', 'table', 'all']), run('ip', ['-4', '-o', 'addr', 'show'])]);
    const free = freeSubnets(`${routes}\n${addresses}`);
    if (free.length < 2) throw new Error(`no two free test subnets among ${CANDIDATE_SUBNETS.join(', ')} (root namespace routes: ${routes.trim()})`);
    const [netA, netB] = free as [string, string];

    for (const ns of [san, host]) {
      await run('ip', ['netns', 'add', ns]);
      createdNamespaces.push(ns);
    }
    await run('ip', ['-n', host, 'link', 'add', links.a0, 'type', 'veth', 'peer', 'name', links.a1, 'netns', san]);
    await run('ip', ['-n', host, 'link', 'add', links.b0, 'type', 'veth', 'peer', 'name', links.b1, 'netns', san]);
    const plan: [string, string, string][] = [
      [san, links.a1, `${netA}.10/24`],
      [san, links.b1, `${netB}.10/24`],
      [host, links.a0, `${netA}.1/24`],
      [host, links.b0, `${netB}.1/24`],
    ];
    for (const [ns, link, address] of plan) {
      await run('ip', ['-n', ns, 'addr', 'add', address, 'dev', link]);
      await run('ip', ['-n', ns, 'link', 'set', link, 'up']);
    }
    for (const ns of [san, host]) {
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const nsRoutes = await run('ip', ['-n', ns, 'route', 'show', 'default']);
      if (nsRoutes.trim() !== '') throw new Error(`${ns} has a default route: ${nsRoutes.trim()}`);
    }

    const child = spawn('ip', ['netns', 'exec', san, '/usr/sbin/tgtd', '-f', '-C', '0', '--iscsi', `portal=${netA}.10:3260`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    tgtd = child;
    tgtdExited = new Promise((r) => child.once('exit', () => r()));
    const keepLog = (chunk: Buffer) => (tgtdLog = (tgtdLog + chunk.toString()).slice(-4000));
    child.stdout!.on('data', keepLog);
    child.stderr!.on('data', keepLog);
    const deadline = Date.now() + 5_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tgtd exited at start: ${tgtdLog}`);
      try {
        if ((await tgtadm('--op', 'show', '--mode', 'system')).includes('State: ready')) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`tgtd did not come up within 5 s: ${tgtdLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await tgtadm('--op', 'new', '--mode', 'portal', '--param', `portal=${netB}.10:3260`);

    const runner = join(dir, 'run-probe.cjs');
    const probeModule = buildCommonJs(join(ROOT, 'src-main/drivers/iscsi/probe.ts'), join(ROOT, 'src-main'), join(dir, 'code'));
    writeFileSync(
      runner,
      `const { probePortals } = require(${JSON.stringify(probeModule)});\n` +
        `probePortals(JSON.parse(process.argv[2])).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });\n`,
    );

    return {
      san,
      host,
      portalA: `${netA}.10`,
      portalB: `${netB}.10`,
      sanLinkB: links.b1,
      tgtadm,
      async newTarget(tid, iqn) {
        await tgtadm('--op', 'new', '--mode', 'target', '--tid', String(tid), '-T', iqn);
        tids.add(tid);
        await tgtadm('--op', 'bind', '--mode', 'target', '--tid', String(tid), '-I', 'ALL'); // ACL: any initiator
      },
      async deleteTarget(tid) {
        await tgtadm('--op', 'delete', '--mode', 'target', '--tid', String(tid), '--force');
        tids.delete(tid);
      },
      ipInSan: (...args) => run('ip', ['-n', san, ...args]),
      async probe<T>(list: readonly Record<string, unknown>[]) {
        const out = await run('ip', ['netns', 'exec', host, process.execPath, runner, JSON.stringify(list)], undefined, 30_000);
        return JSON.parse(out) as T[];
      },
      tgtdPid: () => child.pid!,
      teardown,
    };
  } catch (error) {
    const problems = await teardown();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${problems.length ? ` (and while cleaning up: ${problems.join('; ')})` : ''}`);
  }
}
