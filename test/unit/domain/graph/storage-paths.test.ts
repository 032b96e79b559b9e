/**
 * Storage paths on a real dump (XenCenter's state4.xml): incubus multipaths an iSCSI SR over two portals
 * (its PBD names 10.80.237.36 and 10.80.238.198, mpath [2, 2]); inflames, with multipathing off, names only
 * the first. Each host's paths go to the portals its own PBD names (and those the inventory lists for the
 * target), not to every portal of the SR's first PBD.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { AT, emptyInventory, poolFrom } from './lab-fixtures';

describe('storage paths', () => {
  it("follow each host's own PBD: incubus to both portals, inflames to the one it names", async () => {
    const observation = await poolFrom('state4.xml');
    const graph = buildGraph({ at: AT, inventory: emptyInventory(), pools: [{ device: 'state4', observation, status: null }], snmp: [], probes: [], nases: [] });
    const portalsOf = (host: string) => [...new Set(graph.paths.filter((p) => p.host === host && p.sr === 'iSCSI virtual disk storage').map((p) => p.portal))].sort();
    expect(portalsOf('incubus')).toEqual(['10.80.237.36:3260', '10.80.238.198:3260']);
    expect(portalsOf('inflames')).toEqual(['10.80.237.36:3260']);
    // Both of incubus's paths leave by eth0, the management NIC on 10.80.224.0/20: one NIC, so one cut.
    expect(graph.paths.filter((p) => p.host === 'incubus').every((p) => p.interface === 'eth0')).toBe(true);
  });
});
