/**
 * The lab-graph methods: the overview, the audit document, the port rows, the topology, what-if, accepting a
 * finding, and adopting what discovery found (a link as a cable, a pool's host, a device's ports) into the
 * inventory. Everything reads the LabAnalysis's current result; every inventory change goes through the
 * store in one transaction and is announced like any other edit.
 */
import type { Handlers, LabOverview, AuditDocument, OverviewDevice, TopologyView, PortsDocument } from './contract';
import type { MethodName } from './method-names';
import type { Db } from '../store/db';
import { deviceIdsByName, insertDevice } from '../store/devices';
import { allPorts, insertPort } from '../store/ports';
import { listLinks, insertLink, deleteLink } from '../store/links';
import { listVlans, insertVlan } from '../store/vlans';
import { acceptFinding, unacceptFinding } from '../store/findings';
import { loadPositions, savePositions, clearPositions } from '../store/topology';
import type { LabAnalysis } from '../collect/lab-analysis';
import { InvalidInput, NotFound } from '../domain/errors';
import type { LabGraph, LabPort } from '../domain/graph/types';
import type { DeviceHealth } from '../domain/graph/types';
import { portRows } from '../domain/graph/rows';
import { topology } from '../domain/graph/topology';
import { hostRedundancy } from '../domain/graph/redundancy';
import { whatIf } from '../domain/whatif/whatif';
import { fold } from '../domain/graph/names';
import { severityRank } from '../domain/audit/finding';
import type { Finding } from '../domain/audit/finding';
import type { PortRole } from '../domain/model/ports';

type LabHandlers = Pick<
  Handlers,
  | 'lab.overview'
  | 'lab.audit'
  | 'lab.ports'
  | 'lab.topology'
  | 'lab.whatIf'
  | 'lab.acceptLink'
  | 'lab.adoptDevice'
  | 'lab.adoptPorts'
  | 'findings.accept'
  | 'findings.unaccept'
  | 'topology.savePositions'
  | 'topology.resetPositions'
>;

/** Open findings by severity, the newest first within one; accepted ones after, by id. */
export function overviewOrder(a: Finding, b: Finding): number {
  if (a.accepted !== b.accepted) return a.accepted ? 1 : -1;
  const bySeverity = severityRank(a.severity) - severityRank(b.severity);
  if (bySeverity !== 0) return bySeverity;
  const seen = (b.firstSeen ?? '').localeCompare(a.firstSeen ?? '');
  return seen !== 0 ? seen : a.id.localeCompare(b.id);
}

const countOpen = (findings: readonly Finding[]) => ({
  error: findings.filter((f) => !f.accepted && f.severity === 'error').length,
  warning: findings.filter((f) => !f.accepted && f.severity === 'warning').length,
  info: findings.filter((f) => !f.accepted && f.severity === 'info').length,
  accepted: findings.filter((f) => f.accepted).length,
});

export function createLabHandlers(db: Db, analysis: LabAnalysis, changed: (method: MethodName) => void): LabHandlers {
  const deviceIds = () => deviceIdsByName(db);
  const split = (key: string) => ({ device: key.slice(0, key.indexOf(':')), port: key.slice(key.indexOf(':') + 1) });

  const overview = (): LabOverview => {
    const { graph, findings, buildMs } = analysis.current();
    const ids = deviceIds();
    const devices: OverviewDevice[] = graph.devices.map((d) => ({ name: d.name, id: ids[d.name] ?? null, kind: d.kind, health: d.health, sources: d.sources, pool: d.pool }));
    const deviceCounts: Record<DeviceHealth, number> = { up: 0, stale: 0, unreachable: 0, 'not-polled': 0 };
    for (const d of graph.devices) if (d.kind !== 'xen-pool' || d.sources.length) deviceCounts[d.health]++;
    return {
      builtAt: graph.builtAt,
      buildMs,
      counts: countOpen(findings),
      findings: [...findings].sort(overviewOrder),
      devices,
      deviceCounts,
      redundancy: hostRedundancy(graph),
      replication: graph.replication,
      discovered: { hosts: graph.devices.filter((d) => !d.inInventory).map((d) => d.name), links: discoveredLinks(graph).length },
      deviceIds: ids,
    };
  };

  const audit = (): AuditDocument => {
    const { graph, findings } = analysis.current();
    const open = countOpen(findings);
    return {
      findings,
      links: graph.links.map((l) => ({ a: split(l.a), b: split(l.b), source: l.source, alsoSeenBy: l.alsoSeenBy, conflict: l.conflict, inInventory: l.inInventory, evidence: l.evidence })),
      summary: {
        devices: graph.devices.filter((d) => d.kind !== 'xen-pool').length,
        ports: graph.ports.filter((p) => p.physical).length,
        links: graph.links.length,
        errors: open.error,
        warnings: open.warning,
        info: open.info,
        accepted: open.accepted,
      },
      builtAt: graph.builtAt,
    };
  };

  /** An inventory port for a graph port: its own, or a new one from what the device reports. */
  const ensurePort = (graph: LabGraph, key: string, vlansPlanned: Set<number>): { id: number; added: boolean } => {
    const { device, port: name } = split(key);
    const deviceId = deviceIds()[device];
    if (deviceId === undefined) throw NotFound.saying(`${device} is not in the inventory; adopt it first`);
    const existing = allPorts(db).find((p) => p.deviceId === deviceId && fold(p.name) === fold(name));
    if (existing) return { id: existing.id, added: false };
    const port = graph.ports.find((p) => p.key === key);
    if (!port) throw NotFound.saying(`${key} is not a port the lab reports`);
    return { id: insertPort(db, deviceId, portFields(port, vlansPlanned, db)), added: true };
  };

  return {
    'lab.overview': overview,
    'lab.audit': audit,
    'lab.ports': (): PortsDocument => {
      const { graph, findings } = analysis.current();
      return { ports: portRows(graph, findings), deviceIds: deviceIds(), builtAt: graph.builtAt };
    },
    'lab.topology': (): TopologyView => {
      const { graph, findings } = analysis.current();
      return {
        ...topology(graph, findings),
        positions: loadPositions(db),
        deviceIds: deviceIds(),
        portals: graph.portals.map((p) => ({ key: p.key, device: p.device, state: p.state })),
        builtAt: graph.builtAt,
      };
    },
    'lab.whatIf': (targets) => {
      const { graph } = analysis.current();
      const { unknown, ...result } = whatIf(graph, targets);
      if (unknown.length) {
        throw NotFound.saying(`${unknown.map((u) => `"${u}"`).join(', ')}: no such device, port or portal in the lab (a port is DEVICE:PORT, e.g. sw-a:5)`);
      }
      return result;
    },
    'lab.acceptLink': (a, b) => {
      const { graph } = analysis.current();
      const keys = [`${a.device}:${a.port}`, `${b.device}:${b.port}`];
      const link = graph.links.find((l) => (l.a === keys[0] && l.b === keys[1]) || (l.a === keys[1] && l.b === keys[0]));
      if (!link) throw NotFound.saying(`no link between ${keys[0]} and ${keys[1]} was discovered`);
      if (!graph.ports.some((p) => p.key === keys[0] && p.physical) || !graph.ports.some((p) => p.key === keys[1] && p.physical)) {
        throw InvalidInput.field([], 'only a link between two ports can become a cable; this one names a bond or LAG');
      }
      const result = db.transaction(() => {
        const planned = new Set(listVlans(db).map((v) => v.id));
        const ends = keys.map((k) => ensurePort(graph, k, planned));
        // A port has one cable: accepting what discovery saw replaces what the inventory said.
        let replaced = 0;
        for (const cable of listLinks(db)) {
          if (ends.some((e) => e.id === cable.aPortId || e.id === cable.bPortId)) {
            deleteLink(db, cable.id);
            replaced++;
          }
        }
        const source = link.source === 'lldp' ? 'lldp' : link.source === 'fdb' ? 'mac-table' : 'manual';
        const cableId = insertLink(db, { aPortId: ends[0]!.id, bPortId: ends[1]!.id, source, notes: `accepted from ${link.source}` });
        return { cableId, replaced, portsAdded: ends.filter((e) => e.added).length };
      })();
      analysis.invalidate('inventory');
      changed('lab.acceptLink');
      return result;
    },
    'lab.adoptDevice': (name) => {
      const { graph } = analysis.current();
      const device = graph.devices.find((d) => fold(d.name) === fold(name));
      if (!device) throw NotFound.saying(`${name} is not a device the lab reports`);
      if (device.inInventory) throw InvalidInput.field([], `${device.name} is already in the inventory`);
      const id = db.transaction(() => {
        const poolId = device.pool ? deviceIds()[device.pool] : undefined;
        const host = graph.hosts.find((h) => h.name === device.name);
        const newId = insertDevice(db, {
          name: device.name,
          kind: device.kind,
          address: device.address,
          vendor: '',
          model: host?.product ?? '',
          location: '',
          notes: `adopted from ${device.pool ?? 'discovery'}`,
          memberOf: poolId ?? null,
          stack: '',
          snmp: null,
          xenapi: null,
          dsm: null,
        });
        const planned = new Set(listVlans(db).map((v) => v.id));
        for (const port of graph.ports.filter((p) => p.device === device.name && p.physical)) insertPort(db, newId, portFields(port, planned, db));
        return newId;
      })();
      analysis.invalidate('inventory');
      changed('lab.adoptDevice');
      return { id };
    },
    'lab.adoptPorts': (name) => {
      const { graph } = analysis.current();
      const deviceId = deviceIds()[graph.devices.find((d) => fold(d.name) === fold(name))?.name ?? name];
      if (deviceId === undefined) throw NotFound.saying(`${name} is not in the inventory`);
      const added = db.transaction(() => {
        const planned = new Set(listVlans(db).map((v) => v.id));
        let count = 0;
        for (const port of graph.ports.filter((p) => fold(p.device) === fold(name) && p.physical && p.obs && !p.plan)) {
          insertPort(db, deviceId, portFields(port, planned, db));
          count++;
        }
        return count;
      })();
      analysis.invalidate('inventory');
      changed('lab.adoptPorts');
      return { added };
    },
    'findings.accept': (id, note) => {
      const { findings } = analysis.current();
      if (!findings.some((f) => f.id === id)) throw NotFound.saying(`no open finding ${id}`);
      acceptFinding(db, id, note, new Date().toISOString());
      analysis.invalidate('observation');
      changed('findings.accept');
    },
    'findings.unaccept': (id) => {
      if (!unacceptFinding(db, id)) throw NotFound.saying(`finding ${id} is not accepted`);
      analysis.invalidate('observation');
      changed('findings.unaccept');
    },
    'topology.savePositions': (positions) => {
      savePositions(db, positions);
    },
    'topology.resetPositions': () => {
      clearPositions(db);
    },
  };
}

/** Links discovery found (LLDP, FDB, LACP) between two ports that the inventory has no cable for. */
export function discoveredLinks(graph: LabGraph) {
  const physical = new Set(graph.ports.filter((p) => p.physical).map((p) => p.key));
  return graph.links.filter((l) => !l.inInventory && physical.has(l.a) && physical.has(l.b));
}

/** What the device reports about a port, as inventory fields; VLANs it carries join the VLAN plan first. */
function portFields(port: LabPort, planned: Set<number>, db: Db) {
  const tagged = port.obs?.tagged ?? [];
  const untagged = port.kind === 'host-nic' ? null : (port.obs?.untagged ?? null);
  for (const vlan of [...tagged, ...(untagged !== null ? [untagged] : [])]) {
    if (planned.has(vlan)) continue;
    insertVlan(db, { id: vlan, name: `vlan${vlan}`, purpose: 'other', notes: `added when ${port.key} was adopted` });
    planned.add(vlan);
  }
  const role: PortRole = port.role ?? 'unused';
  return {
    name: port.name,
    role,
    aggregate: port.obs?.aggregate ?? '',
    mac: port.obs?.mac ?? '',
    untaggedVlan: untagged,
    taggedVlans: tagged.filter((v) => v !== untagged),
    notes: `adopted from ${port.obs?.source === 'xenapi' ? 'XenAPI' : 'SNMP'}`,
  };
}
