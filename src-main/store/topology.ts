import type { Db } from './db';
import { InvalidInput } from '../domain/errors';

/** Where the user dragged topology nodes, by node id; nodes not listed are laid out by the drawing. */
export type NodePositions = Record<string, { x: number; y: number }>;

export function loadPositions(db: Db): NodePositions {
  const rows = db.prepare('SELECT node, x, y FROM topology_positions ORDER BY node').all() as { node: string; x: number; y: number }[];
  const positions: NodePositions = {};
  for (const { node, x, y } of rows) positions[node] = { x, y };
  return positions;
}

/**
 * Stores the positions of the nodes given (others keep theirs), in one transaction. A coordinate that is not
 * a finite number is refused, naming the node, and nothing is written. The API's TopologyPositions validator
 * bounds counts and sizes first.
 */
export function savePositions(db: Db, positions: NodePositions): void {
  const entries = Object.entries(positions);
  for (const [node, position] of entries) {
    for (const axis of ['x', 'y'] as const) {
      const value = (position as Partial<Record<'x' | 'y', unknown>> | null)?.[axis];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw InvalidInput.field([node, axis], `the position of node "${node}" needs a finite number for ${axis}`);
      }
    }
  }
  const upsert = db.prepare(
    'INSERT INTO topology_positions (node, x, y) VALUES (?, ?, ?) ON CONFLICT (node) DO UPDATE SET x = excluded.x, y = excluded.y',
  );
  db.transaction(() => {
    for (const [node, { x, y }] of entries) upsert.run(node, x, y);
  })();
}

/** Forgets every dragged position: the drawing lays everything out again. */
export function clearPositions(db: Db): void {
  db.prepare('DELETE FROM topology_positions').run();
}
