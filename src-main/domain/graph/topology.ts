/**
 * The graph as the Topology screen draws it: a node per device (hosts inside their pool), an edge per cable
 * between two devices, and a bond ↔ LAG bundle (or a bond spread over plain ports of one switch) as one
 * grouped edge that expands to its member cables. Each edge carries its state (up, degraded, down, unknown,
 * conflict) for colour, and the source that found it.
 */
import type { Finding } from '../audit/finding';
import type { DeviceHealth, LabGraph, LinkSource, PortKey } from './types';
import { LINK_SOURCE_ORDER } from './types';
import { deviceOfKey } from './domains';

export type EdgeState = 'up' | 'degraded' | 'down' | 'unknown' | 'conflict';

export interface TopologyNode {
  id: string;
  label: string;
  kind: string;
  /** The pool a host is drawn inside; null for others. */
  parent: string | null;
  health: DeviceHealth | 'pool';
  /** The worst open finding about it. */
  severity: Finding['severity'] | null;
  inInventory: boolean;
}

export interface TopologyCable {
  a: PortKey;
  b: PortKey;
  source: LinkSource;
  alsoSeenBy: LinkSource[];
  state: EdgeState;
  inInventory: boolean;
  conflict: string | null;
}

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  /** "xen1 bond0 ↔ sw-a Trk1", "xen1 eth3 ↔ sw-b eth1/0/1". */
  label: string;
  /** A bond or LAG bundle of several cables, drawn as one edge that expands. */
  bundle: { bond: string | null; lag: string | null } | null;
  cables: TopologyCable[];
  state: EdgeState;
  /** The most trusted source among its cables. */
  linkSource: LinkSource;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

const short = (key: PortKey) => key.slice(key.indexOf(':') + 1);

export function topology(graph: LabGraph, findings: readonly Finding[]): Topology {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const worst = new Map<string, Finding['severity']>();
  for (const f of findings) {
    if (f.accepted) continue;
    for (const d of f.devices) {
      const now = worst.get(d);
      if (now === undefined || rank[f.severity] < rank[now]) worst.set(d, f.severity);
    }
  }
  const nodes: TopologyNode[] = [];
  for (const pool of graph.pools) nodes.push({ id: pool.name, label: pool.name, kind: 'xen-pool', parent: null, health: 'pool', severity: worst.get(pool.name) ?? null, inInventory: true });
  for (const d of graph.devices) {
    if (d.kind === 'xen-pool') continue;
    nodes.push({ id: d.name, label: d.name, kind: d.kind, parent: d.pool && graph.pools.some((p) => p.name === d.pool) ? d.pool : null, health: d.health, severity: worst.get(d.name) ?? null, inInventory: d.inInventory });
  }
  const known = new Set(nodes.map((n) => n.id));
  const portOf = new Map(graph.ports.map((p) => [p.key, p]));
  // The first bond or LAG (in graph order) that is, or has as a member, each interface; built once, not per link.
  const firstBy = <T>(items: readonly T[], keysOf: (item: T) => readonly PortKey[]) => {
    const out = new Map<PortKey, T>();
    for (const item of items) for (const key of keysOf(item)) if (!out.has(key)) out.set(key, item);
    return out;
  };
  const lagNamed = firstBy(graph.lags, (l) => [l.key]);
  const bondNamed = firstBy(graph.bonds, (b) => [b.key]);
  const bondAt = firstBy(graph.bonds, (b) => [b.key, ...b.members]);
  const lagAt = firstBy(graph.lags, (l) => [l.key, ...l.members]);
  const deviceOf = (key: PortKey) => portOf.get(key)?.device ?? lagNamed.get(key)?.device ?? bondNamed.get(key)?.host ?? deviceOfKey(key);
  const bondOf = (key: PortKey) => bondAt.get(key);
  const lagOf = (key: PortKey) => lagAt.get(key);
  const upOf = (key: PortKey) => portOf.get(key)?.obs?.up ?? null;

  const edges = new Map<string, TopologyEdge>();
  for (const link of graph.links) {
    const [da, db] = [deviceOf(link.a), deviceOf(link.b)];
    if (da === db || !known.has(da) || !known.has(db)) continue;
    const bond = bondOf(link.a) ?? bondOf(link.b);
    const lag = lagOf(link.a) ?? lagOf(link.b);
    const bundled = bond !== undefined || lag !== undefined;
    const id = bundled ? `${[da, db].sort().join('|')}|${bond?.key ?? ''}|${lag?.key ?? ''}` : `${[da, db].sort().join('|')}|${link.a}|${link.b}`;
    const [ua, ub] = [upOf(link.a), upOf(link.b)];
    const state: EdgeState = link.conflict ? 'conflict' : ua === false || ub === false ? 'down' : ua === true && (ub === true || !portOf.has(link.b)) ? 'up' : 'unknown';
    const cable: TopologyCable = { a: link.a, b: link.b, source: link.source, alsoSeenBy: link.alsoSeenBy, state, inInventory: link.inInventory, conflict: link.conflict };
    const edge = edges.get(id) ?? {
      id,
      source: da,
      target: db,
      label: bundled ? `${bond ? `${bond.host} ${bond.device}` : da}${lag ? ` ↔ ${lag.device} ${lag.name}` : ` ↔ ${db}`}` : `${da} ${short(link.a)} ↔ ${db} ${short(link.b)}`,
      bundle: bundled ? { bond: bond?.key ?? null, lag: lag?.key ?? null } : null,
      cables: [],
      state,
      linkSource: link.source,
    };
    edge.cables.push(cable);
    edges.set(id, edge);
  }
  for (const edge of edges.values()) {
    const states = edge.cables.map((c) => c.state);
    edge.state = states.includes('conflict')
      ? 'conflict'
      : states.every((s) => s === 'up')
        ? 'up'
        : states.every((s) => s === 'down')
          ? 'down'
          : states.some((s) => s === 'down')
            ? 'degraded'
            : states.some((s) => s === 'up')
              ? 'up'
              : 'unknown';
    edge.linkSource = [...edge.cables.map((c) => c.source)].sort((x, y) => LINK_SOURCE_ORDER.indexOf(x) - LINK_SOURCE_ORDER.indexOf(y))[0]!;
    // One cable of a bond is a cable, not a bundle (a bond split over two switches is one cable to each).
    if (edge.bundle && edge.cables.length === 1) {
      edge.label = `${edge.source} ${short(edge.cables[0]!.a)} ↔ ${edge.target} ${short(edge.cables[0]!.b)}`;
      edge.bundle = null;
    }
  }
  return { nodes, edges: [...edges.values()] };
}
