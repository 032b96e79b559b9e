/**
 * The lab as one graph, kept current: the inventory and every collector's latest observation assembled into
 * a snapshot, joined into the graph (domain/graph), audited (domain/audit), and rebuilt when something
 * changes. A change (a pool's observation, an SNMP poll, a probe sweep, an inventory edit) marks the result
 * stale and schedules one rebuild on the next turn of the event loop, so a burst of changes costs one
 * rebuild, and the screens hear `onChanged` once it is done. Without running collectors (the CLI), the
 * collectors answer from the store and the same code gives the same answer.
 *
 * The inventory is read from the store only after it changed; each device's observation object is handed to
 * the graph as the collector holds it, so the graph's per-device parts are rebuilt only for devices whose
 * observation changed.
 */
import type { Db } from '../store/db';
import { readInventory } from '../store/inventory';
import { listDevices } from '../store/devices';
import { getSetting } from '../store/settings';
import { listAcceptances, recordOpenFindings } from '../store/findings';
import type { PoolCollector } from './pools';
import type { StorageCollector } from './storage';
import type { SnmpCollector } from './snmp';
import type { Inventory } from '../domain/model/inventory';
import type { Device } from '../domain/model/devices';
import { DEFAULT_RECOVERY_POINT_HOURS } from '../domain/model/san';
import type { LabSnapshot } from '../domain/graph/snapshot';
import type { LabGraph } from '../domain/graph/types';
import { buildGraph } from '../domain/graph/build';
import { runAudit } from '../domain/audit';
import type { Finding } from '../domain/audit/finding';

export const recoveryPointKey = (deviceId: number) => `replication.recoveryPointHours.${deviceId}`;

export function recoveryPointHours(db: Db, deviceId: number): number {
  const stored = Number(getSetting(db, recoveryPointKey(deviceId)));
  return Number.isFinite(stored) && stored > 0 ? stored : DEFAULT_RECOVERY_POINT_HOURS;
}

export interface LabResult {
  graph: LabGraph;
  findings: Finding[];
  /** How long the last rebuild took (snapshot, graph, audit), for the status line and the bench. */
  buildMs: number;
}

export interface LabAnalysisDeps {
  db: Db;
  pools: PoolCollector;
  storage: StorageCollector;
  snmp: SnmpCollector;
  now?: () => number;
  /** Called after a rebuild that a change scheduled (not after one a reader forced). */
  onChanged?: (result: LabResult) => void;
}

export class LabAnalysis {
  private inventory: Inventory | null = null;
  private devices: Device[] | null = null;
  private result: LabResult | null = null;
  private scheduled = false;
  private closed = false;
  /** What the last `onChanged` told of (signatureOf), so an unchanged rebuild is not announced again. */
  private announced: string | null = null;

  constructor(private readonly deps: LabAnalysisDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Something changed: the inventory (re-read it) or an observation. The rebuild runs once, soon. */
  invalidate(what: 'inventory' | 'observation'): void {
    if (what === 'inventory') {
      this.inventory = null;
      this.devices = null;
    }
    this.result = null;
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // The database may be closed by now (the CLI closes the lab right after its last call).
      if (this.closed || !this.deps.onChanged || !this.deps.db.open) return;
      const result = this.current();
      // A poll that moved only counters and times changes nothing the screens show: they are not told.
      const signature = signatureOf(result);
      if (signature === this.announced) return;
      this.announced = signature;
      this.deps.onChanged(result);
    });
  }

  /** The graph and findings as of now, rebuilt first when something changed since the last build. */
  current(): LabResult {
    if (this.result) return this.result;
    const started = performance.now();
    const snapshot = this.snapshot();
    const graph = buildGraph(snapshot);
    const findings = runAudit(graph, listAcceptances(this.deps.db));
    // Accepted findings are still there: accepting one keeps its first-seen time.
    const firstSeen = recordOpenFindings(
      this.deps.db,
      findings.map((f) => f.id),
      snapshot.at,
    );
    for (const finding of findings) {
      const seen = firstSeen.get(finding.id);
      if (seen) finding.firstSeen = seen;
    }
    this.result = { graph, findings, buildMs: performance.now() - started };
    return this.result;
  }

  /** What the graph is built from, as the collectors hold it now. */
  snapshot(): LabSnapshot {
    const { db, pools, storage, snmp } = this.deps;
    this.inventory ??= readInventory(db);
    this.devices ??= listDevices(db);
    const devices = this.devices;
    const targetsOn = new Set(this.inventory.targets.map((t) => t.device));
    return {
      at: new Date(this.now()).toISOString(),
      inventory: this.inventory,
      pools: devices
        .filter((d) => d.kind === 'xen-pool')
        .map((d) => {
          const state = pools.state(d);
          return { device: d.name, observation: state.observation, status: state.status };
        }),
      snmp: devices
        .filter((d) => d.snmp !== null)
        .map((d) => {
          const state = snmp.state(d);
          return { device: d.name, view: state.view, status: state.status };
        }),
      probes: devices.filter((d) => targetsOn.has(d.name)).map((d) => ({ device: d.name, probes: [...storage.portalProbes(d.id).values()] })),
      nases: devices
        .filter((d) => d.kind === 'nas')
        .map((d) => {
          const state = storage.nasState(d);
          return { device: d.name, observation: state.observation, status: state.status, recoveryPointHours: recoveryPointHours(db, d.id) };
        }),
    };
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * What the screens show of a result, as one string: findings (with their acceptance), devices' health, each
 * port's state, peer and link figures. Two results with the same signature look the same.
 */
export function signatureOf({ graph, findings }: Pick<LabResult, 'graph' | 'findings'>): string {
  const parts: string[] = [];
  for (const f of findings) parts.push(`${f.id}|${f.severity}|${f.accepted}|${f.acceptedNote ?? ''}|${f.title}`);
  for (const d of graph.devices) parts.push(`${d.name}|${d.health}|${d.stale}|${d.sources.map((s) => s.state).join(',')}`);
  for (const p of graph.ports) {
    const o = p.obs;
    parts.push(`${p.key}|${graph.peers.get(p.key)?.peer ?? ''}|${o ? `${o.up}|${o.stale}|${o.speedMbps}|${o.mtu}|${o.duplex}|${o.tagged.join(',')}|${o.untagged}` : '-'}`);
  }
  return parts.join('\n');
}
