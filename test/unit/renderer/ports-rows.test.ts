import { describe, it, expect } from 'vitest';
import type { PortRow } from '../../../src-main/api/contract';
import { NO_PORT_FILTERS } from '../../../src-renderer/lib/routes';
import { filterRows, mismatchedCells, tableLines } from '../../../src-renderer/views/ports/rows';

/** A port row as lab.ports gives it; only what a test names differs from an up, cabled, healthy port. */
function row(port: string, fields: Partial<PortRow> = {}): PortRow {
  const [device, name] = [port.slice(0, port.indexOf(':')), port.slice(port.indexOf(':') + 1)];
  return {
    port, device, name, kind: 'switch-port', role: 'vm', peer: null, peerSource: null, peerAlsoSeenBy: [], conflict: null,
    bond: null, bondKey: null, bondMembers: [], lag: null, lagKey: null, lagMembers: [], vlans: { tagged: [], untagged: 10 }, peerVlans: null,
    mtu: 1500, peerMtu: null, speedMbps: 1000, peerSpeedMbps: null, duplex: 'full', peerDuplex: null, up: true, peerUp: null,
    state: 'up', observed: true, observedAt: '2026-01-01T00:00:00Z', mac: '', inInventory: true, paths: [], findings: [],
    severity: null, mismatches: [], group: null, ...fields,
  };
}

const rows = [
  row('sw-a:1', { peer: 'xen1:eth0', peerSource: 'lldp', peerAlsoSeenBy: ['cable'] }),
  row('sw-a:24', { peer: 'sw-b:eth1/0/23', peerSource: 'lldp', severity: 'warning', findings: ['link.conflict:sw-a:24'], mismatches: ['peer'] }),
  row('xen2:eth1', { group: 'xen2:bond0', bond: 'bond0', vlans: { tagged: [100, 101], untagged: null } }),
  row('xen2:eth2', { group: 'xen2:bond0', bond: 'bond0', vlans: { tagged: [100, 101], untagged: null }, severity: 'error', findings: ['vlan.missing-on-switch:xen2:eth2:101'], mismatches: ['vlans'] }),
  row('xen2:eth3', { role: 'storage', observed: false, state: 'unknown', inInventory: true }),
  row('xen2:eth4', { role: null, inInventory: false }),
];

describe("the Ports view's filters and lines", () => {
  it('filters by device, role, VLAN (here or at the peer), severity, port and finding', () => {
    const names = (f: Partial<typeof NO_PORT_FILTERS>) => filterRows(rows, { ...NO_PORT_FILTERS, ...f }).map((r) => r.port);
    expect(names({ device: 'XEN2' })).toEqual(['xen2:eth1', 'xen2:eth2', 'xen2:eth3', 'xen2:eth4']);
    expect(names({ role: 'storage' })).toEqual(['xen2:eth3']);
    expect(names({ role: 'none' })).toEqual(['xen2:eth4']);
    expect(names({ vlan: '101' })).toEqual(['xen2:eth1', 'xen2:eth2']);
    expect(names({ severity: 'error' })).toEqual(['xen2:eth2']);
    expect(names({ severity: 'any' })).toEqual(['sw-a:24', 'xen2:eth2']);
    expect(names({ port: 'xen2:bond0' })).toEqual(['xen2:eth1', 'xen2:eth2']);
    expect(names({ finding: 'link.conflict:sw-a:24' })).toEqual(['sw-a:24']);
    expect(names({ discovered: true })).toEqual(['sw-a:24']);
    expect(names({ text: 'eth1/0/23' })).toEqual(['sw-a:24']);
  });

  it('draws a header per device (with the ports it reports that the inventory lacks) and per bond', () => {
    const lines = tableLines(rows, rows, rows);
    expect(lines.map((l) => (l.line === 'port' ? l.row.port : l.line === 'group' ? `group ${l.group}` : `device ${l.device}`))).toEqual([
      'device sw-a', 'sw-a:1', 'sw-a:24', 'device xen2', 'group xen2:bond0', 'xen2:eth1', 'xen2:eth2', 'xen2:eth3', 'xen2:eth4',
    ]);
    expect(lines.find((l) => l.line === 'device' && l.device === 'xen2')).toMatchObject({ total: 4, unplanned: ['eth4'] });
  });

  it('lights the cell a mismatch names', () => {
    expect([...mismatchedCells(row('a:1', { mismatches: ['untagged', 'duplex', 'bond'] }))].sort()).toEqual(['aggregate', 'speed', 'vlans']);
  });
});
