/**
 * The audit's cost on a lab of the size the issue names (bench/generated-lab.ts, GENERATED: 5 pools of 10
 * hosts, 40 switches of 52 ports, 4 SANs), as ratios against references measured in the same run:
 *
 * (a) loading, the reference: LabAnalysis.snapshot() over the real collectors when none runs, so each answers
 *     from the store: readInventory and listDevices, then loadObservation (a SELECT and a JSON.parse) per
 *     pool, switch and SAN view and probe set, exactly what the CLI and the app before its first poll cost.
 *     Its parts are timed apart too (the inventory, the device list, the stored observations alone).
 * (b) the full audit of that freshly loaded snapshot: buildGraph (every device's part rebuilt, since every
 *     object is new) and runAudit; then the same snapshot again (parts cached: what a rebuild costs when
 *     nothing changed), and the screens' projections (ports rows, topology, the overview's host redundancy).
 * (c) one carrier change to the renderer: a LabAnalysis over collectors that hold the observations in memory
 *     (a stand-in with the state()/portalProbes()/nasState() the snapshot reads), behind the real WebSocket
 *     server (startServer) with the real handlers (createHandlers); a `ws` client on loopback does what the
 *     renderer does on `lab.changed`: asks lab.overview and lab.ports at once (and, in a second series,
 *     lab.overview alone). A host's bond member loses (or regains) carrier in a new pool observation, every
 *     record new as the XenAPI watcher publishes one (normalizePool builds them afresh; a third series shares
 *     the unchanged host records), the analysis is invalidated as the collector's change event does, and
 *     the clock runs until the client holds the overview showing the change (the bond.degraded finding there,
 *     or gone), and the ports rows. Reference: one app.info round trip on the same socket.
 *
 * Wall-clock figures come with the process's CPU time: on a busy machine the first grows, the second hardly.
 * Not included in (c): the pool collector's change event (collect/pools.ts notify), which tells a lone change
 * at once and throttles bursts to one every 100 ms. Prints figures; asserts nothing about speed.
 */
import { test } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { openDatabase } from '../src-main/store/db';
import { KeyFileBox } from '../src-main/store/keyfile-box';
import { readInventory, replaceInventory } from '../src-main/store/inventory';
import { listDevices } from '../src-main/store/devices';
import { loadObservation, saveObservation } from '../src-main/store/observations';
import { PoolCollector } from '../src-main/collect/pools';
import { StorageCollector } from '../src-main/collect/storage';
import { SnmpCollector } from '../src-main/collect/snmp';
import { LabAnalysis } from '../src-main/collect/lab-analysis';
import { createHandlers, labChanged } from '../src-main/api/service';
import { startServer, type RunningServer } from '../src-main/shells/server/server';
import { buildGraph } from '../src-main/domain/graph/build';
import { runAudit } from '../src-main/domain/audit';
import { portRows } from '../src-main/domain/graph/rows';
import { topology } from '../src-main/domain/graph/topology';
import { hostRedundancy } from '../src-main/domain/graph/redundancy';
import type { LabSnapshot } from '../src-main/domain/graph/snapshot';
import type { Acceptance } from '../src-main/domain/audit/finding';
import type { Device } from '../src-main/domain/model/devices';
import type { PoolObservation } from '../src-main/domain/model/pools';
import type { SwitchView } from '../src-main/domain/model/switches';
import type { PortalProbe } from '../src-main/domain/model/san';
import type { PollStatus } from '../src-main/domain/model/polling';
import { generateLab, hostName, poolName, FAULTS, HOSTS_PER_POOL } from './generated-lab';

const WARMUP = 5;
const RUNS = 30;
const CHANGES = 40;

interface Stats {
  median: number;
  p95: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
}

const ms = (s: Stats) => `${s.median.toFixed(1)} ms (p95 ${s.p95.toFixed(1)})`;

/** A client that behaves like the renderer's socket transport: requests matched by id, events delivered. */
class RendererClient {
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: { ok: boolean; result?: unknown; error?: unknown }) => void>();
  onEvent: (event: string, payload: unknown) => void = () => {};
  bytes = new Map<string, number>();

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      const frame = JSON.parse(text) as { id?: number; ok?: boolean; event?: string; payload?: unknown };
      if (frame.event !== undefined) return this.onEvent(frame.event, frame.payload);
      const resolve = this.pending.get(frame.id!);
      this.pending.delete(frame.id!);
      this.bytes.set(String(frame.id), text.length);
      resolve?.(frame as { ok: boolean });
    });
  }

  static open(port: number): Promise<RendererClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: `http://127.0.0.1:${port}`, maxPayload: 256 * 1024 * 1024 });
      socket.once('open', () => resolve(new RendererClient(socket)));
      socket.once('error', reject);
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<{ result: T; bytes: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (envelope) => {
        if (!envelope.ok) reject(new Error(`${method}: ${JSON.stringify(envelope.error)}`));
        else resolve({ result: envelope.result as T, bytes: this.bytes.get(String(id)) ?? 0 });
      });
      this.socket.send(JSON.stringify({ id, method, args }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

test('the audit of a generated 50-host, 40-switch, 4-SAN lab against loading it from SQLite; one carrier change to the renderer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'labwarden-bench-audit-'));
  let server: RunningServer | null = null;
  let client: RendererClient | null = null;
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    const box = new KeyFileBox(join(dir, 'bench.key'));
    const observedAt = new Date().toISOString();
    const lab = generateLab(observedAt);
    replaceInventory(db, box, lab.inventory, observedAt);
    const ids = new Map(listDevices(db).map((d) => [d.name, d.id]));
    for (const [device, observation] of lab.pools) saveObservation(db, ids.get(device)!, 'xenapi', observedAt, observation);
    for (const [device, view] of lab.views) saveObservation(db, ids.get(device)!, 'snmp', observedAt, view);
    for (const [device, probes] of lab.probes) saveObservation(db, ids.get(device)!, 'iscsi', observedAt, { probes });

    // ---- (a) loading and (b) the audit, interleaved run by run so both see the same machine state.
    const collectors = {
      pools: new PoolCollector({ db, box, onPoolChanged: () => {}, onInventoryChanged: () => {} }),
      storage: new StorageCollector({ db, box, onChanged: () => {}, onInventoryChanged: () => {} }),
      snmp: new SnmpCollector({ db, box, onChanged: () => {} }),
    };
    const fromStore = new LabAnalysis({ db, ...collectors });
    const acceptances: Acceptance[] = lab.inventory.acceptedFindings!.map((a) => ({ ...a, at: observedAt }));
    const load = (): LabSnapshot => {
      fromStore.invalidate('inventory');
      return fromStore.snapshot();
    };
    const samples = { load: [] as number[], build: [] as number[], audit: [] as number[], full: [] as number[], warmBuild: [] as number[], warmFull: [] as number[], rows: [] as number[], topology: [] as number[], redundancy: [] as number[], analysis: [] as number[], inventory: [] as number[], devices: [] as number[], observations: [] as number[] };
    const stored: [number, 'xenapi' | 'snmp' | 'iscsi'][] = [
      ...[...lab.pools.keys()].map((d) => [ids.get(d)!, 'xenapi'] as [number, 'xenapi']),
      ...[...lab.views.keys()].map((d) => [ids.get(d)!, 'snmp'] as [number, 'snmp']),
      ...[...lab.probes.keys()].map((d) => [ids.get(d)!, 'iscsi'] as [number, 'iscsi']),
    ];
    // The process's CPU time beside each wall-clock sample: other work on the machine inflates the one, not the other.
    const cpuSamples = new Map<number[], number[]>();
    const cpuOf = (wall: number[]) => cpuSamples.get(wall) ?? cpuSamples.set(wall, []).get(wall)!;
    let physical = 0;
    let findingCount = { open: 0, accepted: 0 };
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const keep = run >= WARMUP;
      const timed = <T>(into: number[], work: () => T): T => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = work();
        if (keep) {
          into.push(performance.now() - started);
          const used = process.cpuUsage(cpu);
          cpuOf(into).push((used.user + used.system) / 1000);
        }
        return result;
      };
      const snapshot = timed(samples.load, load);
      // Two parts of loading, apart: the inventory document, and the device list (its summary query) inside it.
      timed(samples.inventory, () => readInventory(db));
      timed(samples.devices, () => listDevices(db));
      timed(samples.observations, () => stored.map(([id, source]) => loadObservation(db, id, source)));
      const graph = timed(samples.build, () => buildGraph(snapshot));
      const findings = timed(samples.audit, () => runAudit(graph, acceptances));
      if (keep) {
        samples.full.push(samples.build.at(-1)! + samples.audit.at(-1)!);
        cpuOf(samples.full).push(cpuOf(samples.build).at(-1)! + cpuOf(samples.audit).at(-1)!);
      }
      const again = timed(samples.warmBuild, () => buildGraph(snapshot));
      timed(samples.warmFull, () => runAudit(again, acceptances));
      if (keep) {
        samples.warmFull.push(samples.warmFull.pop()! + samples.warmBuild.at(-1)!);
        cpuOf(samples.warmFull).push(cpuOf(samples.warmFull).pop()! + cpuOf(samples.warmBuild).at(-1)!);
      }
      timed(samples.rows, () => portRows(graph, findings));
      timed(samples.topology, () => topology(graph, findings));
      timed(samples.redundancy, () => hostRedundancy(graph));
      // What LabAnalysis.current() costs from the store: snapshot, graph, audit, acceptances and findings_seen.
      fromStore.invalidate('inventory');
      timed(samples.analysis, () => fromStore.current());
      physical = graph.ports.filter((p) => p.physical).length;
      findingCount = { open: findings.filter((f) => !f.accepted).length, accepted: findings.filter((f) => f.accepted).length };
    }
    fromStore.close();

    const loading = stats(samples.load);
    const full = stats(samples.full);
    const per1000 = (s: Stats) => `${((s.median / physical) * 1000).toFixed(1)} ms per 1,000 ports`;
    const ratio = (x: number[], reference: number[]) => (stats(x).median / stats(reference).median).toFixed(2);
    /** Wall clock, then the process's CPU time and its ratio to loading's CPU time. */
    const both = (x: number[]) => `${ms(stats(x))} [CPU ${ms(stats(cpuOf(x)))}]`;
    const ratios = (x: number[]) => `${ratio(x, samples.load)}× loading [CPU ${ratio(cpuOf(x), cpuOf(samples.load))}×]`;
    const lines = [
      `generated lab: ${lab.inventory.devices.length} devices, ${physical} physical ports, ${lab.inventory.links.length} cables; ${findingCount.open} open findings, ${findingCount.accepted} accepted`,
      `${RUNS} runs after ${WARMUP} warm-up, median (p95); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
      `(a) loading from SQLite (the reference): ${both(samples.load)}, ${per1000(loading)}`,
      `      of which: readInventory ${both(samples.inventory)}; listDevices ${both(samples.devices)}, read twice (inside readInventory, and by snapshot() itself); the ${stored.length} stored observations alone (SELECT + JSON.parse) ${both(samples.observations)}`,
      `(b) full audit of the loaded snapshot (buildGraph + runAudit): ${both(samples.full)}, ${per1000(full)} [CPU ${per1000(stats(cpuOf(samples.full)))}], ${ratios(samples.full)}; ${ratio(samples.full, samples.observations)}× the stored observations alone`,
      `      buildGraph ${both(samples.build)}, runAudit ${both(samples.audit)}`,
      `    the same snapshot again (per-device parts cached): ${both(samples.warmFull)}, ${ratios(samples.warmFull)} (buildGraph ${ms(stats(samples.warmBuild))})`,
      `    projections: ports rows ${both(samples.rows)}, ${ratios(samples.rows)}; topology ${both(samples.topology)}; host redundancy ${both(samples.redundancy)}`,
      `    LabAnalysis.current() from the store (load + audit + acceptances + findings_seen): ${both(samples.analysis)}, ${ratios(samples.analysis)}`,
    ];

    // ---- (c) one carrier change, through the WebSocket server, to a client that acts as the renderer.
    const memory = {
      pools: new Map(lab.pools),
      views: new Map<string, SwitchView>(lab.views),
      probes: new Map<number, PortalProbe[]>([...lab.probes].map(([device, probes]) => [ids.get(device)!, probes])),
    };
    const ok = (at: string): PollStatus => ({ state: 'ok', message: 'following', since: observedAt, lastGoodAt: at });
    // The methods LabAnalysis.snapshot() reads, answered from memory as running collectors answer.
    const standIn = {
      pools: { state: (d: Device) => ({ observation: memory.pools.get(d.name) ?? null, status: ok(memory.pools.get(d.name)?.observedAt ?? observedAt), note: null }) },
      snmp: { state: (d: Device) => ({ view: memory.views.get(d.name) ?? null, status: ok(observedAt), note: null, polling: false }) },
      storage: {
        portalProbes: (id: number) => new Map((memory.probes.get(id) ?? []).map((p) => [p.portal, p])),
        nasState: () => ({ observation: null, status: ok(observedAt), note: null }),
      },
    };
    let broadcast: RunningServer['broadcast'] = () => {};
    const analysis = new LabAnalysis({
      db,
      pools: standIn.pools as unknown as PoolCollector,
      storage: standIn.storage as unknown as StorageCollector,
      snmp: standIn.snmp as unknown as SnmpCollector,
      onChanged: ({ graph, findings }) => broadcast('lab.changed', labChanged(graph.builtAt, findings)),
    });
    const handlers = createHandlers({ db, box, databasePath: join(dir, 'bench.db'), mode: 'serve', version: 'bench', emit: (event, payload) => broadcast(event, payload), analysis });
    const staticDir = join(dir, 'ui');
    mkdirSync(staticDir);
    server = await startServer({ handlers, staticDir, host: '127.0.0.1', port: 0 });
    broadcast = server.broadcast.bind(server);
    client = await RendererClient.open(server.port);
    await client.call('lab.overview');

    const info: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      await client.call('app.info');
      if (i >= WARMUP) info.push(performance.now() - started);
    }

    // Hosts whose eth1 is healthy and not part of a planted fault; each change flips one of them.
    const planted = new Set<number>([FAULTS.bondMemberDown, FAULTS.sharedController, FAULTS.vlanMissing, ...FAULTS.singleStorageNic]);
    const candidates = Array.from({ length: 20 }, (_, n) => n + 1).filter((i) => !planted.has(i));
    type Change = { pool: string; host: string; down: boolean; observation: PoolObservation };
    /**
     * The next observation of a pool with one host's eth1 carrier flipped (down when it is up, up when down): a
     * whole new object, as normalizePool publishes. Always a change the screens show, which LabAnalysis announces.
     */
    const flip = (i: number, shareUnchanged: boolean): Change => {
      const pool = poolName(Math.ceil(i / HOSTS_PER_POOL));
      const host = hostName(i);
      const current = memory.pools.get(pool)!;
      const down = current.hosts.find((h) => h.name === host)!.nics.find((n) => n.device === 'eth1')!.carrier !== false;
      const next = shareUnchanged ? { ...current, hosts: current.hosts.map((h) => (h.name === host ? structuredClone(h) : h)) } : structuredClone(current);
      next.observedAt = new Date().toISOString();
      const record = next.hosts.find((h) => h.name === host)!;
      const nic = record.nics.find((n) => n.device === 'eth1')!;
      nic.carrier = !down;
      nic.speedMbps = down ? null : 10000;
      record.bonds[0]!.linksUp = down ? 1 : 2;
      return { pool, host, down, observation: next };
    };

    /** `withPorts`: the client asks lab.ports beside lab.overview, as a renderer with both screens' data loaded does. */
    const measure = async (shareUnchanged: boolean, withPorts: boolean) => {
      const overview: number[] = [];
      /** The same, for the changes that bring the finding (a bond member down) and those that clear it. */
      const appears: number[] = [];
      const clears: number[] = [];
      const ports: number[] = [];
      const rebuild: number[] = [];
      const cpu: number[] = [];
      const sizes = { overview: 0, ports: 0 };
      for (let n = 0; n < WARMUP + CHANGES * 2; n++) {
        const i = candidates[Math.floor(n / 2) % candidates.length]!;
        const change = flip(i, shareUnchanged);
        const finding = `bond.degraded:${change.host}:bond0`;
        const done = new Promise<{ overview: number; ports: number; buildMs: number }>((resolve, reject) => {
          const silence = setTimeout(() => reject(new Error(`no lab.changed within 10 s of ${change.host}'s carrier change`)), 10_000);
          client!.onEvent = (event) => {
            if (event !== 'lab.changed') return;
            clearTimeout(silence);
            client!.onEvent = () => {};
            const overviewAsked = client!.call<{ findings: { id: string }[]; buildMs: number }>('lab.overview').then(({ result, bytes }) => {
              const shown = result.findings.some((f) => f.id === finding);
              if (shown !== change.down) throw new Error(`the overview after the change ${change.down ? 'lacks' : 'still has'} ${finding}`);
              sizes.overview = bytes;
              return { at: performance.now(), buildMs: result.buildMs };
            });
            const portsAsked = withPorts
              ? client!.call<{ ports: unknown[] }>('lab.ports').then(({ bytes }) => {
                  sizes.ports = bytes;
                  return performance.now();
                })
              : Promise.resolve(NaN);
            void Promise.all([overviewAsked, portsAsked]).then(([o, p]) => resolve({ overview: o.at, ports: p, buildMs: o.buildMs }), reject);
          };
        });
        const cpuStarted = process.cpuUsage();
        const started = performance.now();
        memory.pools.set(change.pool, change.observation);
        analysis.invalidate('observation');
        const reached = await done;
        const used = process.cpuUsage(cpuStarted);
        if (n >= WARMUP) {
          overview.push(reached.overview - started);
          (change.down ? appears : clears).push(reached.overview - started);
          ports.push(reached.ports - started);
          rebuild.push(reached.buildMs);
          cpu.push((used.user + used.system) / 1000);
        }
      }
      return { overview: stats(overview), appears: stats(appears), clears: stats(clears), changes: { appears: appears.length, clears: clears.length }, ports: stats(ports), rebuild: stats(rebuild), cpu: stats(cpu), sizes };
    };
    const faithful = await measure(false, true);
    const overviewOnly = await measure(false, false);
    const shared = await measure(true, true);
    const round = stats(info);
    const times = (s: Stats) => `${(s.median / round.median).toFixed(0)}× the round trip`;
    lines.push(
      `(c) one carrier change to the renderer, ${CHANGES * 2} changes (a bond member down, then up again) over WebSocket on loopback:`,
      `    reference: one app.info round trip ${ms(round)}`,
      `    a new pool observation, every record new (as the watcher publishes); the client asks lab.overview and lab.ports on lab.changed:`,
      `      holding the overview with the new finding (${faithful.changes.appears} changes) ${ms(faithful.appears)} = ${times(faithful.appears)}; without it again (${faithful.changes.clears}) ${ms(faithful.clears)}`,
      `      holding the ports rows too (all ${faithful.changes.appears + faithful.changes.clears}) ${ms(faithful.ports)} = ${times(faithful.ports)}`,
      `      of which the rebuild (LabAnalysis buildMs: snapshot, graph, audit, findings_seen) ${ms(faithful.rebuild)}; CPU of the whole path (server and client, one process) ${ms(faithful.cpu)}`,
      `    the same, the client asking lab.overview only: the new finding ${ms(overviewOnly.appears)} = ${times(overviewOnly.appears)}, all changes ${ms(overviewOnly.overview)}; rebuild ${ms(overviewOnly.rebuild)}; CPU ${ms(overviewOnly.cpu)}`,
      `    only the changed host's record new (unchanged host records shared, which the per-host cache can use): the new finding ${ms(shared.appears)}, ports ${ms(shared.ports)}; rebuild ${ms(shared.rebuild)}; CPU ${ms(shared.cpu)}`,
      `    frames: overview ${(faithful.sizes.overview / 1024).toFixed(0)} KiB, ports ${(faithful.sizes.ports / 1024).toFixed(0)} KiB`,
    );
    analysis.close();
    console.log(lines.join('\n'));
  } finally {
    client?.close();
    await server?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
