import { describe, it, expect } from 'vitest';
import type { TopologyView } from '../../../src-main/api/contract';
import { elementsOf, layerConstraints, seeded, EDGE_COLOUR, SOURCE_LINE } from '../../../src-renderer/views/topology/graph';

const cable = (a: string, b: string, state: 'up' | 'down', source: 'lldp' | 'fdb' | 'cable' = 'lldp') => ({ a, b, source, alsoSeenBy: [], state, inInventory: true, conflict: null });

const view: TopologyView = {
  nodes: [
    { id: 'pool', label: 'pool', kind: 'xen-pool', parent: null, health: 'pool', severity: null, inInventory: true },
    { id: 'xen1', label: 'xen1', kind: 'xen-host', parent: 'pool', health: 'up', severity: 'error', inInventory: true },
    { id: 'xen2', label: 'xen2', kind: 'xen-host', parent: 'pool', health: 'stale', severity: null, inInventory: false },
    { id: 'sw', label: 'sw', kind: 'switch', parent: null, health: 'up', severity: null, inInventory: true },
    { id: 'san', label: 'san', kind: 'iscsi-san', parent: null, health: 'not-polled', severity: null, inInventory: true },
  ],
  edges: [
    { id: 'b1', source: 'xen1', target: 'sw', label: 'xen1 bond0 ↔ sw Trk1', bundle: { bond: 'xen1:bond0', lag: 'sw:Trk1' }, cables: [cable('xen1:eth1', 'sw:1', 'up'), cable('xen1:eth2', 'sw:2', 'down')], state: 'degraded', linkSource: 'lldp' },
    { id: 'c1', source: 'san', target: 'sw', label: 'san lan1 ↔ sw 20', bundle: null, cables: [cable('san:lan1', 'sw:20', 'up', 'fdb')], state: 'up', linkSource: 'fdb' },
  ],
  positions: {},
  portals: [],
  deviceIds: {},
  builtAt: '2026-01-01T00:00:00Z',
};

describe('the topology drawing', () => {
  it('draws a bond ↔ LAG bundle as one edge, and its member cables once expanded', () => {
    const collapsed = elementsOf(view, new Set()).filter((e) => e.group === 'edges');
    expect(collapsed.map((e) => [e.data.id, e.classes])).toEqual([['b1', 'bundle'], ['c1', '']]);
    expect(collapsed[0]!.data).toMatchObject({ colour: EDGE_COLOUR.degraded, label: '2 cables' });
    const expanded = elementsOf(view, new Set(['b1'])).filter((e) => e.group === 'edges');
    expect(expanded.map((e) => [e.data.id, e.classes, e.data.colour])).toEqual([
      ['b1#0', 'member', EDGE_COLOUR.up],
      ['b1#1', 'member', EDGE_COLOUR.down],
      ['c1', '', EDGE_COLOUR.up],
    ]);
    expect(expanded[2]!.data.line).toBe(SOURCE_LINE.fdb);
  });

  it('puts hosts inside their pool and marks health, worst finding and hosts the inventory lacks', () => {
    const nodes = elementsOf(view, new Set()).filter((e) => e.group === 'nodes');
    expect(nodes.find((n) => n.data.id === 'xen1')!.data).toMatchObject({ parent: 'pool', severity: 'error', planned: 'yes' });
    expect(nodes.find((n) => n.data.id === 'xen2')!.data).toMatchObject({ health: 'stale', planned: 'no' });
    expect(nodes.find((n) => n.data.id === 'pool')!.data.parent).toBeUndefined();
  });

  it('lays out in rows (storage, switches, hosts) and leaves placed nodes alone', () => {
    const c = layerConstraints(view, new Set());
    expect(c.alignmentConstraint).toEqual({ horizontal: [['xen1', 'xen2']] });
    expect(c.relativePlacementConstraint).toEqual(expect.arrayContaining([{ top: 'san', bottom: 'sw', gap: 110 }, { top: 'sw', bottom: 'xen1', gap: 150 }, { left: 'xen1', right: 'xen2', gap: 40 }]));
    expect(layerConstraints(view, new Set(['xen1', 'xen2', 'san', 'sw']))).toEqual({ alignmentConstraint: undefined, relativePlacementConstraint: undefined });
  });

  it('seeds the layout so the same lab comes out the same', () => {
    const a = seeded(42);
    const b = seeded(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
