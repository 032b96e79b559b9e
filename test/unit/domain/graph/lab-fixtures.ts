/**
 * Labs for the graph, audit and what-if tests, built from real data:
 * - pools read over the real wire protocol from the XAPI simulator serving a real xapi dump
 *   (test/fixtures/xapi/, XenCenter's, BSD-2-Clause) or the demo lab's hand-made dump (resources/);
 * - switches decoded by the SNMP driver from real recordings (test/fixtures/snmp/, LibreNMS's, GPL-3.0) or
 *   the demo lab's recordings derived from them (resources/snmp/*.derived.snmprec);
 * - an inventory the test declares: the cables and MACs that join a dump's hosts to a recording's ports are
 *   DERIVED (the two were never one lab), and each test that joins them says so.
 * Mutations of an observation (a bond mode changed, a VLAN taken off a port) are derived too: `with*`
 * helpers copy, never change the cached originals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startXapiSimulator } from '../../../../src-main/simulators/xapi';
import { pollPoolOnce } from '../../../../src-main/collect/poll-once';
import { parseInventoryYaml } from '../../../../src-main/api/interchange/yaml';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { switchView } from '../../../../src-main/domain/health/switch-view';
import type { PoolObservation, XenHost } from '../../../../src-main/domain/model/pools';
import type { PortView, SwitchView } from '../../../../src-main/domain/model/switches';
import type { Inventory } from '../../../../src-main/domain/model/inventory';
import type { NasObservation } from '../../../../src-main/domain/model/nas';
import type { LabSnapshot } from '../../../../src-main/domain/graph/snapshot';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import type { LabGraph } from '../../../../src-main/domain/graph/types';
import { runAudit } from '../../../../src-main/domain/audit';
import type { Finding } from '../../../../src-main/domain/audit/finding';
import { parseSnmprec, walkOf } from '../../drivers/snmp/snmprec';

const ROOT = join(__dirname, '../../../..');
export const AT = '2026-12-07T12:00:00.000Z';

const pools = new Map<string, Promise<PoolObservation>>();

/** A pool read from a dump by the XenAPI driver, through the simulator: 'demo' or a file in test/fixtures/xapi/. */
export function poolFrom(dump: 'demo' | 'cowley1.xml' | 'TampaTwoHostPoolSelectioniSCSI.xml' | 'state4.xml' | 'boston-db.xml'): Promise<PoolObservation> {
  let read = pools.get(dump);
  if (!read) {
    read = (async () => {
      const path = dump === 'demo' ? join(ROOT, 'resources/demo-lab.xapi-db.xml') : join(ROOT, 'test/fixtures/xapi', dump);
      const sim = await startXapiSimulator({ dump: readFileSync(path, 'utf8'), users: { root: 'fixture' }, jsonRpc: false });
      try {
        return (await pollPoolOnce({ url: sim.url, username: 'root', password: 'fixture', fingerprint: null })).observation;
      } finally {
        await sim.close();
      }
    })();
    pools.set(dump, read);
  }
  return read.then((o) => structuredClone(o));
}

const views = new Map<string, SwitchView>();

/** A switch as the SNMP driver decodes a recording: `demo-sw-a` (resources/snmp/…derived) or a fixture name. */
export function viewFrom(name: string): SwitchView {
  let view = views.get(name);
  if (!view) {
    const path = name.startsWith('demo-') ? join(ROOT, 'resources/snmp', `${name}.derived.snmprec`) : join(ROOT, 'test/fixtures/snmp', `${name}.snmprec`);
    const observation = decodeObservation(walkOf(parseSnmprec(readFileSync(path, 'utf8'), name)), AT);
    view = switchView(observation, new Map(), new Map());
    views.set(name, view);
  }
  return structuredClone(view);
}

let demoPlan: Inventory | undefined;

/** The demo's inventory, parsed once per test file; each call gets its own copy to change. */
export function demoInventory(): Inventory {
  if (!demoPlan) {
    const parsed = parseInventoryYaml(readFileSync(join(ROOT, 'resources/demo-lab.yaml'), 'utf8'));
    if (!parsed.ok) throw new Error(`demo-lab.yaml does not parse: ${JSON.stringify(parsed.problems)}`);
    demoPlan = parsed.inventory;
  }
  return structuredClone(demoPlan);
}

/** The demo lab as the app sees it with every simulator answering (no probes or NAS reading unless given). */
export async function demoSnapshot(extra: Partial<LabSnapshot> = {}): Promise<LabSnapshot> {
  return {
    at: AT,
    inventory: demoInventory(),
    pools: [{ device: 'hp-pool', observation: await poolFrom('demo'), status: null }],
    snmp: [
      { device: 'sw-a', view: viewFrom('demo-sw-a'), status: null },
      { device: 'sw-b', view: viewFrom('demo-sw-b'), status: null },
      { device: 'syno-dr', view: viewFrom('demo-syno-dr'), status: null },
    ],
    probes: [],
    nases: [],
    ...extra,
  };
}

export function emptyInventory(): Inventory {
  return { format: 1, name: 'test lab', vlans: [], devices: [], links: [], targets: [] };
}

export interface Audited {
  graph: LabGraph;
  findings: Finding[];
  ids: string[];
  /** The findings of one rule. */
  of(rule: string): Finding[];
}

export function audit(snapshot: LabSnapshot): Audited {
  const graph = buildGraph(snapshot);
  const findings = runAudit(graph);
  return { graph, findings, ids: findings.map((f) => f.id), of: (rule) => findings.filter((f) => f.rule === rule) };
}

/** DERIVED: a copy of a pool with one host changed. */
export function withHost(pool: PoolObservation, host: string, change: (h: XenHost) => void): PoolObservation {
  const copy = structuredClone(pool);
  const found = copy.hosts.find((h) => h.name === host);
  if (!found) throw new Error(`no host ${host} in the pool`);
  change(found);
  return copy;
}

/** DERIVED: a copy of a switch view with one port (by ifName) changed. */
export function withPort(view: SwitchView, name: string, change: (p: PortView) => void): SwitchView {
  const copy = structuredClone(view);
  const found = copy.ports.find((p) => p.name === name);
  if (!found) throw new Error(`no port ${name} in the view`);
  change(found);
  return copy;
}

/** The demo's DSM simulator's reading, replaced by a hand-made one where a test needs a replica of a given age. */
export function nasReading(lastSuccessAt: string | null, replicationAvailable = true): NasObservation {
  return {
    observedAt: AT,
    model: 'RS2212RP+',
    dsmVersion: 'DSM 7.1.1-42962 Update 6',
    hostname: 'syno-dr',
    luns: [],
    targets: [],
    replicationAvailable,
    replication: [
      {
        id: 'plan-1',
        role: 'dr',
        status: 1,
        targetName: 'vm-store',
        targetType: 'lun',
        lastSuccessAt,
        failCount: 0,
        successCount: 10,
        syncing: false,
        nextSyncAt: null,
        lastError: null,
        enabled: true,
        remoteHost: 'dlink-san',
      },
    ],
  };
}
