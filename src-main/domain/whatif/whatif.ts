/**
 * What if this failed? Take elements out of the lab (a switch, a port or NIC, a bond, a portal, a host, a
 * SAN) and answer what would be lost — which SRs lose every path on which hosts, which networks lose their
 * last uplink on a host, which hosts lose management — and which findings would be new. Batfish's
 * differential analysis is the model: the same questions asked of the lab with the element removed, and only
 * what changed reported.
 *
 * A removed element's ports go down, and so do the ports at the other end of their cables (they lose
 * carrier); a path, a network's uplink or the management interface dies when every way it can run crosses
 * something removed.
 */
import type { LabGraph, LabPath, PortKey } from '../graph/types';
import type { Finding } from '../audit/finding';
import { runAudit } from '../audit';
import { finish } from '../graph/build';
import { describeDomain, domainIndex, legDomains } from '../graph/domains';
import { fold, listText } from '../graph/names';

export interface WhatIfLoss {
  what: 'sr' | 'management' | 'network' | 'host' | 'replication';
  /** The SR, network or host lost. */
  name?: string;
  /** The host that loses it. */
  host?: string;
  /** A network's VLAN tag, when it is a VLAN. */
  vlan?: number | null;
  why: string;
}

export interface WhatIfResult {
  /** What was taken out, as given (DEVICE or DEVICE:PORT, or a portal address:port). */
  removed: string[];
  lost: WhatIfLoss[];
  /** Findings the lab would have with those elements gone that it does not have now. */
  newFindings: Finding[];
}

interface Removal {
  label: string;
  domains: Set<string>;
  devices: Set<string>;
  ports: Set<PortKey>;
}

/** Resolves "sw-a", "xen1:eth1", "xen1:bond0", "sw-a:Trk1", "10.10.20.20:3260" or "10.10.20.20"; an error names what is unknown. */
export function resolveTargets(graph: LabGraph, targets: readonly string[]): { removal: Removal; unknown: string[] } {
  const removal: Removal = { label: '', domains: new Set(), devices: new Set(), ports: new Set() };
  const unknown: string[] = [];
  for (const raw of targets) {
    const target = raw.trim();
    const portal = graph.portals.find((p) => p.key === target || p.address === target);
    if (portal) {
      removal.domains.add(`portal:${portal.key}`);
      continue;
    }
    const device = graph.devices.find((d) => fold(d.name) === fold(target));
    if (device) {
      removal.devices.add(device.name);
      removal.domains.add(device.kind === 'switch' ? `switch:${device.name}` : device.kind === 'xen-host' ? `host:${device.name}` : `device:${device.name}`);
      if (device.kind === 'xen-pool') graph.pools.find((p) => p.name === device.name)?.hosts.forEach((h) => removal.devices.add(h) && removal.domains.add(`host:${h}`));
      continue;
    }
    const colon = target.indexOf(':');
    const owner = colon > 0 ? graph.devices.find((d) => fold(d.name) === fold(target.slice(0, colon))) : undefined;
    const name = colon > 0 ? target.slice(colon + 1) : '';
    const key = owner ? `${owner.name}:${name}` : '';
    const port = owner ? graph.ports.find((p) => p.device === owner.name && (p.name === name || p.aliases.some((a) => fold(a) === fold(name)))) : undefined;
    const aggregate = owner ? (graph.bonds.find((b) => b.key === key) ?? graph.lags.find((l) => fold(l.key) === fold(key))) : undefined;
    if (port) {
      removal.ports.add(port.key);
      removal.domains.add(`port:${port.key}`);
    } else if (aggregate) {
      for (const member of aggregate.members) {
        removal.ports.add(member);
        removal.domains.add(`port:${member}`);
      }
    } else {
      unknown.push(target);
    }
  }
  for (const d of removal.devices) for (const id of graph.domains.map((x) => x.id)) if (id.startsWith(`switch:${d}#`)) removal.domains.add(id);
  removal.label = targets.join(', ');
  return { removal, unknown };
}

/** A copy of the graph whose parts this analysis changes (ports' observations, bonds, LAG members, paths, portals). */
function copy(graph: LabGraph): LabGraph {
  const ports = graph.ports.map((p) => ({ ...p, obs: p.obs ? { ...p.obs } : null }));
  return {
    ...graph,
    ports,
    bonds: graph.bonds.map((b) => ({ ...b })),
    lags: graph.lags.map((l) => ({ ...l, memberStates: l.memberStates.map((s) => ({ ...s })) })),
    paths: graph.paths.map((p) => ({ ...p })),
    portals: graph.portals.map((p) => ({ ...p })),
    srs: graph.srs.map((s) => ({ ...s, hosts: s.hosts.map((h) => ({ ...h })) })),
    removed: [...graph.removed],
  };
}

const cuts = (removal: Removal, domains: readonly string[]) => domains.filter((d) => removal.domains.has(d));

/** Whether a path survives: nothing it must cross is removed, and one of its ways avoids every loss. */
function survives(removal: Removal, path: LabPath): boolean {
  if (cuts(removal, path.domains).length > 0) return false;
  return path.ways.length === 0 || path.ways.some((way) => cuts(removal, way).length === 0);
}

/** The lab with the removal applied: ports down at both ends of every cut cable, paths and bonds re-judged. */
export function withRemoval(graph: LabGraph, removal: Removal): LabGraph {
  const after = copy(graph);
  after.removed = [...removal.devices, ...removal.ports, ...[...removal.domains].filter((d) => d.startsWith('portal:')).map((d) => d.slice(7))];
  const index = domainIndex(graph);
  const down = new Set<PortKey>();
  for (const port of after.ports) {
    if (removal.devices.has(port.device) || removal.ports.has(port.key)) down.add(port.key);
  }
  for (const key of [...down]) {
    const peer = graph.peers.get(key)?.peer;
    if (peer && index.ports.has(peer)) down.add(peer);
    // A LAG peer: every member is cabled to this aggregate's far side, so only the member itself goes.
  }
  for (const port of after.ports) {
    if (!down.has(port.key)) continue;
    if (port.obs) Object.assign(port.obs, { up: false, speedMbps: null });
  }
  const portOf = new Map(after.ports.map((p) => [p.key, p]));
  for (const bond of after.bonds) {
    if (!bond.observed) continue;
    const states = bond.members.map((m) => portOf.get(m)?.obs?.up ?? null);
    const lost = bond.members.filter((m) => down.has(m)).length;
    bond.membersUp = states.some((s) => s === null) ? (bond.membersUp === null ? null : Math.max(0, bond.membersUp - lost)) : states.filter((s) => s === true).length;
    // The host would count the lost links too: bond.degraded's evidence quotes its links_up.
    if (bond.linksUp !== null && bond.membersUp !== null) bond.linksUp = Math.min(bond.linksUp, bond.membersUp);
  }
  for (const lag of after.lags) {
    for (const state of lag.memberStates) if (down.has(state.port)) Object.assign(state, { up: false, collecting: state.collecting === null ? null : false });
  }
  for (const portal of after.portals) {
    if (removal.domains.has(`portal:${portal.key}`) || (portal.device && removal.devices.has(portal.device))) portal.state = 'down';
  }
  // Judged on the ways the lab had (a cut cable is gone from the ways the lab has after), then re-joined.
  for (const path of after.paths) if (!survives(removal, path)) path.state = 'down';
  finish(after);
  for (const sr of after.srs) for (const h of sr.hosts) if (removal.devices.has(h.host)) h.attached = false;
  return after;
}

function labels(removal: Removal, domains: Iterable<string>): string {
  const hit = [...new Set(domains)].filter((d) => removal.domains.has(d)).map((d) => describeDomain(d).label);
  return listText(hit.length ? hit : [removal.label]);
}

export function whatIf(graph: LabGraph, targets: readonly string[], acceptances: Parameters<typeof runAudit>[1] = []): WhatIfResult & { unknown: string[] } {
  const { removal, unknown } = resolveTargets(graph, targets);
  const after = withRemoval(graph, removal);
  const index = domainIndex(graph);
  const lost: WhatIfLoss[] = [];

  for (const device of removal.devices) {
    const d = graph.devices.find((x) => x.name === device);
    if (d?.kind === 'xen-host') lost.push({ what: 'host', name: device, why: `${device} itself is removed` });
    if (d?.kind === 'nas' && graph.replication.some((r) => r.nas === device)) lost.push({ what: 'replication', name: device, why: `the replica on ${device} is out of reach` });
  }

  for (const sr of graph.srs) {
    for (const h of sr.hosts) {
      if (!h.attached || removal.devices.has(h.host)) continue;
      const before = graph.paths.filter((p) => p.host === h.host && p.sr === sr.name && p.state !== 'down');
      if (before.length === 0) continue;
      if (before.some((p) => survives(removal, p))) continue;
      const crossed = before.flatMap((p) => [...p.domains, ...p.ways.flat()]);
      lost.push({ what: 'sr', name: sr.name, host: h.host, why: `${before.length === 1 ? 'its only path' : before.length === 2 ? 'both paths' : `all ${before.length} paths`} ran through ${labels(removal, crossed)}` });
    }
  }

  /** Whether one of these legs still has link and crosses nothing removed, before or after. */
  const alive = (legs: readonly PortKey[], removed: boolean) =>
    legs.some((leg) => {
      const port = graph.ports.find((p) => p.key === leg);
      if (port?.obs?.up === false) return false;
      return !removed || cuts(removal, legDomains(index, leg)).length === 0;
    });
  const legsOf = (host: string, on: string) => graph.bonds.find((b) => b.host === host && b.device === on)?.members ?? [graph.ports.find((p) => p.device === host && p.aliases.includes(on))?.key ?? `${host}:${on}`];

  for (const host of graph.hosts) {
    if (removal.devices.has(host.name) || !host.management) continue;
    const legs = legsOf(host.name, host.management.on);
    if (alive(legs, false) && !alive(legs, true)) {
      lost.push({ what: 'management', host: host.name, why: `${host.management.on} ran through ${labels(removal, legs.flatMap((l) => legDomains(index, l)))}` });
    }
  }
  for (const network of graph.networks) {
    if (network.private || network.internal) continue;
    for (const use of network.uses) {
      if (removal.devices.has(use.host)) continue;
      const legs = legsOf(use.host, use.on);
      const others = network.uses.filter((u) => u !== use && u.host === use.host);
      if (!alive(legs, false) || alive(legs, true) || others.some((u) => alive(legsOf(u.host, u.on), true))) continue;
      // The management network's loss is the host's management loss, already listed.
      if (lost.some((l) => l.what === 'management' && l.host === use.host) && graph.hosts.find((h) => h.name === use.host)?.management?.on === use.on) continue;
      lost.push({ what: 'network', name: network.name, host: use.host, vlan: use.tag, why: `its uplink ${use.on} ran through ${labels(removal, legs.flatMap((l) => legDomains(index, l)))}` });
    }
  }

  const beforeIds = new Set(runAudit(graph, acceptances).map((f) => f.id));
  // A finding about a removed device itself (its bond with no link left, its LAG's members down) is no news.
  const newFindings = runAudit(after, acceptances).filter((f) => !beforeIds.has(f.id) && !removal.devices.has(f.devices[0] ?? ''));
  return { removed: [...targets], lost, newFindings, unknown };
}
