/**
 * A Linux bond over SNMP (LibreNMS's recording of a Synology RS2212RP+ on DSM 6.1: bond0 over eth0 and eth1,
 * a plain ethernetCsmacd row in ifTable) is the NAS's bond, not a port a cable plugs into.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { AT, emptyInventory, viewFrom } from './lab-fixtures';

describe('a Linux bond reported over SNMP', () => {
  it('is a bond of the NAS, and only its members are physical ports', () => {
    const view = viewFrom('dsm');
    expect(view.hostBonds.map((b) => b.name)).toContain('bond0');
    const inventory = emptyInventory();
    inventory.devices.push({ name: 'syno', kind: 'nas', address: '10.0.0.5', vendor: '', model: '', location: '', notes: '', memberOf: null, snmp: null, xenapi: null, dsm: null, ports: [] });
    const graph = buildGraph({ at: AT, inventory, pools: [], snmp: [{ device: 'syno', view, status: null }], probes: [], nases: [] });
    expect(graph.ports.filter((p) => p.device === 'syno').map((p) => p.name)).not.toContain('bond0');
    expect(graph.bonds.find((b) => b.key === 'syno:bond0')).toMatchObject({ host: 'syno', observed: true });
  });
});
