/**
 * The topology as cytoscape draws it: a node per device (hosts inside their pool as a compound node), an edge
 * per cable, a bond ↔ LAG bundle as one thick edge until it is expanded to its member cables. Colour says
 * state (edges) and health (nodes, with the worst open finding as the border); the line's style says how the
 * link was found. Only cytoscape's types are imported here: the library itself is loaded by the view.
 */
import type { ElementDefinition, StylesheetJson } from 'cytoscape';
import type { TopologyView } from '../../../src-main/api/contract';
import type { EdgeState, TopologyCable, TopologyEdge, TopologyNode } from '../../../src-main/domain/graph/topology';
import type { LinkSource } from '../../../src-main/domain/graph/types';

export const EDGE_COLOUR: Record<EdgeState, string> = {
  up: '#16a34a',
  degraded: '#d97706',
  down: '#dc2626',
  unknown: '#94a3b8',
  conflict: '#7c3aed',
};

export const EDGE_STATE_TEXT: Record<EdgeState, string> = {
  up: 'up',
  degraded: 'degraded (some cables down)',
  down: 'down',
  unknown: 'unknown (no observation)',
  conflict: 'conflict (sources disagree)',
};

/** Line style per source: seen by a protocol (solid), inferred from a MAC table (dashed), only planned (dotted). */
export const SOURCE_LINE: Record<LinkSource, 'solid' | 'dashed' | 'dotted'> = { lldp: 'solid', lacp: 'solid', fdb: 'dashed', cable: 'dotted' };

export const HEALTH_FILL: Record<TopologyNode['health'], string> = {
  up: '#dcfce7',
  stale: '#fef3c7',
  unreachable: '#fee2e2',
  'not-polled': '#eef1f4',
  pool: '#f8fafc',
};

export const SEVERITY_BORDER: Record<'error' | 'warning' | 'info' | 'none', string> = {
  error: '#dc2626',
  warning: '#d97706',
  info: '#2563eb',
  none: '#94a3b8',
};

const SHAPE: Record<string, string> = {
  switch: 'round-rectangle',
  'xen-host': 'ellipse',
  'linux-host': 'ellipse',
  'iscsi-san': 'barrel',
  nas: 'barrel',
  'xen-pool': 'round-rectangle',
};

const KIND_WORD: Record<string, string> = { switch: 'switch', 'xen-host': 'host', 'linux-host': 'host', 'iscsi-san': 'SAN', nas: 'NAS', 'xen-pool': 'pool' };

/** A bundle of several cables is drawn as one edge until expanded. */
export const isBundle = (edge: TopologyEdge) => edge.bundle !== null && edge.cables.length > 1;

export const cableEdgeId = (edge: TopologyEdge, index: number) => `${edge.id}#${index}`;

const short = (key: string) => key.slice(key.indexOf(':') + 1);

function cableLabel(cable: TopologyCable) {
  return `${short(cable.a)} ↔ ${short(cable.b)}`;
}

/** The elements to draw, with the bundles in `expanded` drawn as their member cables. */
export function elementsOf(view: TopologyView, expanded: ReadonlySet<string>): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  const hasChildren = new Set(view.nodes.map((n) => n.parent).filter((p): p is string => p !== null));
  for (const node of view.nodes) {
    elements.push({
      group: 'nodes',
      data: {
        id: node.id,
        label: hasChildren.has(node.id) ? node.label : `${node.label}\n${KIND_WORD[node.kind] ?? node.kind}`,
        ...(node.parent ? { parent: node.parent } : {}),
        kind: node.kind,
        health: node.health,
        severity: node.severity ?? 'none',
        fill: HEALTH_FILL[node.health],
        border: SEVERITY_BORDER[node.severity ?? 'none'],
        shape: SHAPE[node.kind] ?? 'ellipse',
        planned: node.inInventory ? 'yes' : 'no',
      },
    });
  }
  for (const edge of view.edges) {
    if (isBundle(edge) && !expanded.has(edge.id)) {
      elements.push({
        group: 'edges',
        data: { id: edge.id, edge: edge.id, source: edge.source, target: edge.target, label: `${edge.cables.length} cables`, colour: EDGE_COLOUR[edge.state], line: SOURCE_LINE[edge.linkSource], state: edge.state, width: 5 },
        classes: 'bundle',
      });
      continue;
    }
    edge.cables.forEach((cable, i) => {
      elements.push({
        group: 'edges',
        data: {
          id: isBundle(edge) ? cableEdgeId(edge, i) : edge.id,
          edge: edge.id,
          cable: i,
          source: edge.source,
          target: edge.target,
          label: cableLabel(cable),
          colour: EDGE_COLOUR[cable.state],
          line: SOURCE_LINE[cable.source],
          state: cable.state,
          width: edge.bundle ? 3 : 2,
        },
        classes: isBundle(edge) ? 'member' : edge.bundle ? 'bonded' : '',
      });
    });
  }
  return elements;
}

export const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-valign': 'center',
      'text-halign': 'center',
      'font-size': 11,
      'font-family': 'system-ui, sans-serif',
      color: '#1d2330',
      'background-color': 'data(fill)',
      'border-color': 'data(border)',
      'border-width': 2,
      shape: 'data(shape)' as never,
      width: 74,
      height: 40,
    },
  },
  { selector: 'node[severity = "error"]', style: { 'border-width': 4 } },
  { selector: 'node[severity = "warning"]', style: { 'border-width': 3 } },
  { selector: 'node[planned = "no"]', style: { 'border-style': 'dashed' } },
  { selector: 'node[kind = "switch"]', style: { width: 96, height: 38 } },
  {
    selector: ':parent',
    style: {
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -3,
      'text-background-color': '#f6f7f9',
      'text-background-opacity': 1,
      'text-background-padding': '2px',
      'font-weight': 'bold',
      'background-color': '#f1f5f9',
      'background-opacity': 0.6,
      'border-style': 'dashed',
      padding: '16px',
      shape: 'round-rectangle',
    },
  },
  {
    selector: 'edge',
    style: {
      'curve-style': 'bezier',
      width: 'data(width)',
      'line-color': 'data(colour)',
      'line-style': 'data(line)' as never,
      'font-size': 9,
      color: '#3b4452',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'text-rotation': 'autorotate',
    },
  },
  { selector: 'edge.bundle', style: { label: 'data(label)', 'line-cap': 'round' } },
  { selector: 'edge:selected, edge.hover', style: { label: 'data(label)', 'underlay-color': '#5eead4', 'underlay-opacity': 0.5, 'underlay-padding': 3 } },
  { selector: 'node:selected', style: { 'overlay-color': '#0f766e', 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
];

/** A small PRNG, so the automatic layout comes out the same every time for the same lab. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** What the view exposes as `window.__labwardenTopology`, so end-to-end tests check the drawing, not pixels. */
export interface TopologyProbe {
  ready: boolean;
  layoutRuns: number;
  lastLayout: 'preset' | 'fcose' | null;
  /** How the page's first drawing was laid out (later drawings keep the nodes where they are). */
  firstLayout: 'preset' | 'fcose' | null;
  saves: number;
  nodes(): { id: string; parent: string | null; kind: string; health: string; severity: string; x: number; y: number; box: { x1: number; y1: number; x2: number; y2: number; w: number; h: number }; visible: boolean }[];
  edges(): { id: string; source: string; target: string; state: string; bundle: boolean; member: boolean }[];
  /** The canvas's size in CSS pixels. */
  viewport(): { width: number; height: number };
  tap(id: string): void;
  /** Moves a node as a drag would, and ends the drag (which saves the positions). */
  drag(id: string, x: number, y: number): void;
}

declare global {
  interface Window {
    __labwardenTopology?: TopologyProbe;
  }
}

/** What is selected on the drawing: a device, or a link (one cable of it when a bundle is expanded). */
export type Selection = { type: 'node'; id: string } | { type: 'edge'; edge: string; cable: number | null };

/**
 * Rows for the automatic layout, as fCoSE constraints: SANs and NASes on top, switches in the middle, hosts
 * (in their pools) below, each row aligned. Nodes the user placed are left out: their position is fixed.
 */
export function layerConstraints(view: TopologyView, fixed: ReadonlySet<string>) {
  const parents = new Set(view.nodes.map((n) => n.parent).filter((p): p is string => p !== null));
  const free = view.nodes.filter((n) => !parents.has(n.id) && !fixed.has(n.id));
  const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const row = (kinds: string[]) => free.filter((n) => kinds.includes(n.kind)).map((n) => n.id).sort(byName);
  const storage = row(['iscsi-san', 'nas']);
  const switches = row(['switch']);
  const hosts = row(['xen-host', 'linux-host']);
  const horizontal = [storage, switches, hosts].filter((r) => r.length > 1);
  type Relative = { top: string; bottom: string; gap: number } | { left: string; right: string; gap: number };
  const relative: Relative[] = [];
  // Within a row, by name (sw-a left of sw-b, xen1 … xen4), hosts of one pool side by side.
  for (const r of [storage, switches]) for (let i = 1; i < r.length; i++) relative.push({ left: r[i - 1]!, right: r[i]!, gap: 60 });
  const hostsByPool = new Map<string, string[]>();
  for (const id of hosts) {
    const pool = view.nodes.find((n) => n.id === id)?.parent ?? '';
    hostsByPool.set(pool, [...(hostsByPool.get(pool) ?? []), id]);
  }
  for (const r of hostsByPool.values()) for (let i = 1; i < r.length; i++) relative.push({ left: r[i - 1]!, right: r[i]!, gap: 40 });
  const anchor = switches[0];
  if (anchor) {
    if (storage[0]) relative.push({ top: storage[0], bottom: anchor, gap: 110 });
    if (hosts[0]) relative.push({ top: anchor, bottom: hosts[0], gap: 150 });
  } else if (storage[0] && hosts[0]) {
    relative.push({ top: storage[0], bottom: hosts[0], gap: 150 });
  }
  return {
    alignmentConstraint: horizontal.length ? { horizontal } : undefined,
    relativePlacementConstraint: relative.length ? relative : undefined,
  };
}
