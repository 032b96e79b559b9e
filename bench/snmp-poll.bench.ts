/**
 * Polling switches over SNMP, against net-snmp's C `snmpbulkwalk` (5.9.3, -Cr25) on the same agent in the
 * same run. The agent is our responder replaying a hand-made 52-port switch (full IF-MIB tables, VLANs, LLDP,
 * a MAC table; src-main/simulators/snmp/synthetic.ts), in a child process with a 2 ms-each-way relay in front
 * of it, so the CPU measured here is the client's alone. Three figures, printed, asserting nothing:
 *  1. client CPU per 10,000 varbinds walked and decoded into the model (pollSwitch, JIT warm) vs snmpbulkwalk's
 *     CPU walking (bash `times` over its runs, its process start-up subtracted), best of a few rounds each —
 *     target ≤ 3×;
 *  2. latency hiding: one full poll through the 2 ms relay, Labwarden's wall vs snmpbulkwalk walking the same
 *     subtrees one after another — target ≤ 0.5×;
 *  3. scale: client CPU per polled switch in a cycle of 200 such switches (200 communities) — target ≤ 20 ms.
 */
import { execFile, spawn, type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import snmp from 'net-snmp';
import { test } from 'vitest';
import { WALK_ROOTS } from '../src-main/drivers/snmp/oids';
import { pollSwitch } from '../src-main/drivers/snmp/poll';
import type { SnmpTarget } from '../src-main/drivers/snmp/session';
import { buildCommonJs } from '../test/integration/helpers/commonjs-build';

const ROOT = resolve(__dirname, '..');
const DEVICES = 200;
const CYCLE_IN_FLIGHT = 16; // polls at once in the 200-switch cycle, as a collector would cap them
const WARM_UP = 20; // polls before measuring, so the JIT has compiled the walker and decoders
const CPU_ROUNDS = 5;
const POLLS_PER_ROUND = 10;
const LATENCY_RUNS = 5;
const RELAY_DELAY_MS = 2;

/** The agent process: one responder with DEVICES communities over one parsed synthetic switch, a relay in front. */
const AGENT = `
const { startSnmpResponder, parseSnmprec } = require(process.argv[2]);
const { syntheticSwitchSnmprec } = require(process.argv[3]);
const { startLossyLink } = require(process.argv[4]);
(async () => {
  const view = parseSnmprec(syntheticSwitchSnmprec({ ports: 52 }));
  const recordings = {};
  for (let i = 0; i < ${DEVICES}; i++) recordings['sw-' + i] = view;
  const responder = await startSnmpResponder({ recordings });
  const relay = await startLossyLink({ target: { host: '127.0.0.1', port: responder.port }, delayMs: ${RELAY_DELAY_MS} });
  console.log(JSON.stringify({ port: responder.port, relay: relay.port, records: view.records.length }));
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
})();
`;

interface Agent {
  port: number;
  relay: number;
  records: number;
  child: ChildProcess;
  dir: string;
}

async function startAgent(): Promise<Agent> {
  const dir = mkdtempSync(join(tmpdir(), 'lw-snmp-bench-'));
  const build = (file: string) => buildCommonJs(join(ROOT, 'src-main/simulators/snmp', file), join(ROOT, 'src-main'), join(dir, 'code'));
  const script = join(dir, 'agent.cjs');
  writeFileSync(script, AGENT);
  const child = spawn(process.execPath, [script, build('index.ts'), build('synthetic.ts'), build('proxy.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`agent exited (${code})`)));
  });
  return { ...(JSON.parse(line) as { port: number; relay: number; records: number }), child, dir };
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) =>
    execFile(command, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolveRun({ stdout, stderr }))),
  );
}

/** Milliseconds from bash `times` (its second line: the children's user and system time). */
function childrenCpuMs(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').at(-1)!;
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((ms, m) => ms + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
}

/**
 * snmpbulkwalk over every root, `repeat` times, in one bash: its CPU per run (the children's, from `times`)
 * and the varbinds it printed per run. Its stderr is dropped, so a warning cannot spoil the count.
 */
async function bulkwalkCpu(port: number, community: string, roots: readonly string[], repeat: number): Promise<{ cpuMs: number; lines: number }> {
  const list = roots.join(' ');
  const script = `for n in $(seq ${repeat}); do for r in ${list}; do snmpbulkwalk -v2c -c ${community} -Cr25 -On -t 5 -r 1 127.0.0.1:${port} $r 2>/dev/null; done; done | wc -l; times`;
  const { stdout } = await run('bash', ['-c', script]);
  const lines = Number(stdout.trim().split('\n')[0]);
  if (!Number.isFinite(lines)) throw new Error(`could not count snmpbulkwalk's output: ${stdout.slice(0, 200)}`);
  return { cpuMs: childrenCpuMs(stdout) / repeat, lines: lines / repeat };
}

/** net-snmp's own subtree walk (GetBulk, 25 repetitions) over every root, one after another: varbinds read. */
function netSnmpSubtrees(port: number, community: string, roots: readonly string[]): Promise<number> {
  const session = snmp.createSession('127.0.0.1', community, { port, version: snmp.Version2c, timeout: 5_000, retries: 1 });
  let varbinds = 0;
  const walkFrom = (i: number, done: (error?: Error) => void): void => {
    if (i === roots.length) return done();
    session.subtree(roots[i]!, 25, (vbs: unknown[]) => void (varbinds += vbs.length), (error?: Error | null) => (error ? done(error) : walkFrom(i + 1, done)));
  };
  return new Promise((resolveWalk, reject) =>
    walkFrom(0, (error) => {
      session.close();
      if (error) reject(error);
      else resolveWalk(varbinds);
    }),
  );
}

/** snmpbulkwalk over the roots one after another: wall time. */
async function bulkwalkWall(port: number, community: string, roots: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const root of roots) await run('snmpbulkwalk', ['-v2c', '-c', community, '-Cr25', '-On', '-t', '5', '-r', '1', `127.0.0.1:${port}`, root]);
  return performance.now() - started;
}

/** Whether net-snmp's command-line tools are here (Debian's `snmp` package): the comparisons need snmpbulkwalk. */
function haveBulkwalk(): boolean {
  return spawnSync('snmpbulkwalk', ['-V'], { stdio: 'ignore' }).error === undefined;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, figure: string) => `  ${label.padEnd(58)}${figure}`;

test('SNMP poll: CPU per varbind, latency hiding, a 200-switch cycle — vs snmpbulkwalk', async () => {
  const agent = await startAgent();
  try {
    const target = (community: string, port = agent.port): SnmpTarget => ({ host: '127.0.0.1', port, version: 'v2c', community, timeoutMs: 5_000, retries: 1 });

    // 1. CPU per 10,000 varbinds, steady state (JIT warm), best of a few rounds on both sides, so a busy
    // moment of the machine (the agent shares its two cores) does not decide the figure.
    for (let i = 0; i < WARM_UP; i++) await pollSwitch(target('sw-0'));
    const oursRounds: number[] = [];
    let varbindsPerPoll = 0;
    for (let round = 0; round < CPU_ROUNDS; round++) {
      let varbinds = 0;
      const cpu = cpuNow();
      for (let i = 0; i < POLLS_PER_ROUND; i++) varbinds += (await pollSwitch(target('sw-0'))).stats.varbinds;
      oursRounds.push(((cpuNow() - cpu) / varbinds) * 10_000);
      varbindsPerPoll = varbinds / POLLS_PER_ROUND;
    }
    const oursPer10k = Math.min(...oursRounds);
    // The library underneath on its own: net-snmp's subtree() over the same roots, one after another, nothing
    // decoded. What lies between this and our figure is the walker and the decoders.
    const libraryRounds: number[] = [];
    for (let round = 0; round < CPU_ROUNDS; round++) {
      let varbinds = 0;
      const cpu = cpuNow();
      for (let i = 0; i < POLLS_PER_ROUND; i++) varbinds += await netSnmpSubtrees(agent.port, 'sw-0', WALK_ROOTS);
      libraryRounds.push(((cpuNow() - cpu) / varbinds) * 10_000);
    }
    const libraryPer10k = Math.min(...libraryRounds);
    // snmpbulkwalk's walking alone: the whole device in two runs ('1.0', '1.3'), less the CPU of two runs
    // that walk nothing (its process start-up and MIB loading, which would otherwise be most of its figure).
    // Without net-snmp's tools the comparisons are left out, and the run says what to install.
    const bulkwalk = haveBulkwalk();
    const theirsRounds: number[] = [];
    let wholeLines = 0;
    for (let round = 0; bulkwalk && round < CPU_ROUNDS; round++) {
      const whole = await bulkwalkCpu(agent.port, 'sw-0', ['1.0', '1.3'], 10);
      const startup = await bulkwalkCpu(agent.port, 'sw-0', ['1.3.6.1.2.1.9999', '1.3.6.1.2.1.9999'], 10);
      theirsRounds.push(((whole.cpuMs - startup.cpuMs) / whole.lines) * 10_000);
      wholeLines = whole.lines;
    }
    const theirsPer10k = bulkwalk ? Math.min(...theirsRounds) : NaN;
    // For scale: the same 53 subtrees as 53 runs, start-up included, as a script calling it would pay.
    const perRoot = bulkwalk ? await bulkwalkCpu(agent.port, 'sw-0', WALK_ROOTS, 2) : { cpuMs: NaN, lines: 1 };

    // 2. Latency hiding through the 2 ms relay.
    const oursWall: number[] = [];
    const oursSerialWall: number[] = [];
    const theirsWall: number[] = [];
    await pollSwitch(target('sw-0', agent.relay));
    for (let i = 0; i < LATENCY_RUNS; i++) {
      oursWall.push((await pollSwitch(target('sw-0', agent.relay))).stats.wallMs);
      oursSerialWall.push((await pollSwitch(target('sw-0', agent.relay), { concurrency: 1 })).stats.wallMs);
    }
    for (let i = 0; bulkwalk && i < 2; i++) theirsWall.push(await bulkwalkWall(agent.relay, 'sw-0', WALK_ROOTS));
    const theirsDirect = bulkwalk ? await bulkwalkWall(agent.port, 'sw-0', WALK_ROOTS) : NaN;
    const requests = (await pollSwitch(target('sw-0', agent.relay))).stats.requests;

    // 3. A cycle over 200 switches, CYCLE_IN_FLIGHT at a time.
    const cycleCpuStart = cpuNow();
    const cycleStarted = performance.now();
    let next = 0;
    let cycleVarbinds = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: CYCLE_IN_FLIGHT }, async () => {
        while (next < DEVICES) {
          const community = `sw-${next++}`;
          try {
            const { observation, stats } = await pollSwitch(target(community));
            cycleVarbinds += stats.varbinds;
            if (observation.gaps.length > 0) failures++;
          } catch {
            failures++;
          }
        }
      }),
    );
    const cycleCpu = cpuNow() - cycleCpuStart;
    const cycleWall = performance.now() - cycleStarted;

    console.log(
      [
        `SNMP poll of a hand-made 52-port switch (${agent.records} OIDs in its recording; a poll walks ${WALK_ROOTS.length} subtrees, ${varbindsPerPoll} varbinds, ${requests} requests), agent in its own process:`,
        ` 1. client CPU per 10,000 varbinds (best of ${CPU_ROUNDS} rounds)`,
        line(`Labwarden pollSwitch (walk + decode), ${POLLS_PER_ROUND} polls a round:`, `${ms(oursPer10k)} (rounds: ${oursRounds.map((r) => r.toFixed(0)).join(', ')})`),
        line('net-snmp alone (subtree(), same roots, not decoded):', ms(libraryPer10k)),
        ...(bulkwalk
          ? [
              line(`snmpbulkwalk -Cr25, start-up subtracted (${wholeLines} lines):`, `${ms(theirsPer10k)} (rounds: ${theirsRounds.map((r) => r.toFixed(0)).join(', ')})`),
              line('ratio (target ≤ 3×):', `${(oursPer10k / theirsPer10k).toFixed(2)}×`),
              line(`(snmpbulkwalk once per subtree, start-up included:`, `${ms((perRoot.cpuMs / perRoot.lines) * 10_000)})`),
            ]
          : ['    snmpbulkwalk is not installed (apt install snmp): the comparisons with it are left out']),
        ` 2. one full poll through a relay adding ${RELAY_DELAY_MS} ms each way (median of ${LATENCY_RUNS})`,
        line('Labwarden, 4 subtrees in flight:', ms(median(oursWall))),
        line('Labwarden, one subtree after another:', ms(median(oursSerialWall))),
        ...(bulkwalk
          ? [
              line('snmpbulkwalk, one subtree after another:', `${ms(median(theirsWall))} (${ms(theirsDirect)} without the relay)`),
              line('ratio Labwarden / snmpbulkwalk (target ≤ 0.5×):', `${(median(oursWall) / median(theirsWall)).toFixed(2)}×`),
            ]
          : []),
        ` 3. a cycle over ${DEVICES} such switches, ${CYCLE_IN_FLIGHT} polls in flight`,
        line('client CPU per switch (target ≤ 20 ms):', `${ms(cycleCpu / DEVICES)} (${(cycleCpu / 1000).toFixed(2)} s CPU, ${(cycleWall / 1000).toFixed(2)} s wall, ${cycleVarbinds} varbinds, ${failures} with gaps or failed)`),
      ].join('\n'),
    );
  } finally {
    agent.child.stdin!.end();
    agent.child.kill();
    rmSync(agent.dir, { recursive: true, force: true });
  }
});
