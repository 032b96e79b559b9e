import { describe, it, expect } from 'vitest';
import { inventoryIssues } from '../../../src-main/domain/checks/inventory';
import type { Inventory, InventoryDevice, InventoryPort } from '../../../src-main/domain/model/inventory';
import type { FieldIssue } from '../../../src-main/domain/errors';

// A small, consistent lab written by hand for these tests: a pool with two hosts, a switch, a SAN.
const port = (name: string, extra: Partial<InventoryPort> = {}): InventoryPort => ({
  name,
  role: 'vm',
  aggregate: '',
  mac: '',
  untaggedVlan: null,
  taggedVlans: [],
  notes: '',
  ...extra,
});

const device = (name: string, kind: InventoryDevice['kind'], extra: Partial<InventoryDevice> = {}): InventoryDevice => ({
  name,
  kind,
  address: '10.0.0.1',
  vendor: '',
  model: '',
  location: '',
  notes: '',
  memberOf: null,
  snmp: null,
  xenapi: null,
  dsm: null,
  ports: [],
  ...extra,
});

function lab(): Inventory {
  return {
    format: 1,
    name: 'test lab',
    vlans: [
      { id: 10, name: 'mgmt', purpose: 'management', notes: '' },
      { id: 20, name: 'iscsi', purpose: 'storage', notes: '' },
      { id: 100, name: 'vm', purpose: 'vm', notes: '' },
    ],
    devices: [
      device('pool', 'xen-pool'),
      device('xen1', 'xen-host', {
        memberOf: 'pool',
        ports: [port('eth0', { untaggedVlan: 10 }), port('eth1', { taggedVlans: [100] }), port('eth3', { untaggedVlan: 20 })],
      }),
      device('xen2', 'xen-host', { memberOf: 'pool', ports: [port('eth0', { untaggedVlan: 10 })] }),
      device('sw1', 'switch', {
        ports: [port('1', { untaggedVlan: 10 }), port('2', { taggedVlans: [100] }), port('3', { untaggedVlan: 20 }), port('4')],
      }),
      device('san', 'iscsi-san', { ports: [port('lan1', { untaggedVlan: 20 })] }),
    ],
    links: [
      { a: { device: 'xen1', port: 'eth0' }, b: { device: 'sw1', port: '1' }, source: 'manual', notes: '' },
      { a: { device: 'xen1', port: 'eth1' }, b: { device: 'sw1', port: '2' }, source: 'lldp', notes: '' },
      { a: { device: 'san', port: 'lan1' }, b: { device: 'sw1', port: '3' }, source: 'manual', notes: '' },
    ],
    targets: [
      {
        device: 'san',
        iqn: 'iqn.2013-03.com.dlink:vm-store',
        alias: '',
        portals: [{ address: '10.0.20.20', port: 3260 }],
        luns: [
          { lun: 0, name: 'a', sizeBytes: 1e12, use: 'vm-storage', scsiId: '' },
          { lun: 1, name: 'b', sizeBytes: 10e9, use: 'ha-heartbeat', scsiId: '' },
        ],
        notes: '',
        chap: null,
      },
    ],
  };
}

const devIndex = (inventory: Inventory, name: string) => inventory.devices.findIndex((d) => d.name === name);
const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);

describe('whole-inventory rules (what an import is checked against)', () => {
  it('finds nothing wrong with a consistent lab', () => {
    expect(inventoryIssues(lab())).toEqual([]);
  });

  it('reports a device name used twice, ignoring case, at the second one', () => {
    const inventory = lab();
    inventory.devices.push(device('XEN1', 'linux-host'));
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['devices', inventory.devices.length - 1, 'name'], message: 'a device named "XEN1" is listed twice' },
    ]);
  });

  it('reports a cable to a port the device does not have, at that end of the cable', () => {
    const inventory = lab();
    inventory.links.push({ a: { device: 'xen2', port: 'eth0' }, b: { device: 'sw1', port: '48' }, source: 'manual', notes: '' });
    expect(inventoryIssues(inventory)).toEqual([{ path: ['links', 3, 'b', 'port'], message: 'sw1 has no port named "48"' }]);
  });

  it('reports a cable to a device that is not in the inventory', () => {
    const inventory = lab();
    inventory.links.push({ a: { device: 'xen9', port: 'eth0' }, b: { device: 'sw1', port: '4' }, source: 'manual', notes: '' });
    expect(inventoryIssues(inventory)).toEqual([{ path: ['links', 3, 'a', 'device'], message: 'no device named "xen9"' }]);
  });

  it('reports a port cabled twice (names compared without case), naming the earlier cable', () => {
    const inventory = lab();
    inventory.links.push({ a: { device: 'xen2', port: 'eth0' }, b: { device: 'SW1', port: '1' }, source: 'manual', notes: '' });
    const issues = inventoryIssues(inventory);
    expect(paths(issues)).toEqual([['links', 3, 'b']]);
    expect(issues[0]?.message).toBe('SW1 1 is already cabled (links[0]); a port has one cable');
  });

  it('reports a cable from a port to itself', () => {
    const inventory = lab();
    inventory.links.push({ a: { device: 'xen2', port: 'eth0' }, b: { device: 'xen2', port: 'eth0' }, source: 'manual', notes: '' });
    const issues = inventoryIssues(inventory);
    expect(issues).toContainEqual({ path: ['links', 3, 'b'], message: 'a cable joins two different ports' });
  });

  it('reports a host that is a member of something other than a pool, at its memberOf', () => {
    const inventory = lab();
    inventory.devices[devIndex(inventory, 'xen2')]!.memberOf = 'sw1';
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['devices', devIndex(inventory, 'xen2'), 'memberOf'], message: 'a host can only be a member of a XenServer pool' },
    ]);
  });

  it('reports a pool that does not exist, by its name', () => {
    const inventory = lab();
    inventory.devices[devIndex(inventory, 'xen2')]!.memberOf = 'other-pool';
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['devices', devIndex(inventory, 'xen2'), 'memberOf'], message: '"other-pool" does not exist' },
    ]);
  });

  it('reports a switch that claims to be a pool member, and a host that is its own pool', () => {
    const inventory = lab();
    inventory.devices[devIndex(inventory, 'sw1')]!.memberOf = 'pool';
    inventory.devices[devIndex(inventory, 'xen2')]!.memberOf = 'XEN2';
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['devices', devIndex(inventory, 'xen2'), 'memberOf'], message: 'a device cannot be a member of itself' },
      { path: ['devices', devIndex(inventory, 'sw1'), 'memberOf'], message: 'only a XenServer host can be a member of a pool' },
    ]);
  });

  it('reports VLANs a port uses that are not in the plan, at the untagged VLAN and at the tagged entry', () => {
    const inventory = lab();
    const sw = devIndex(inventory, 'sw1');
    inventory.devices[sw]!.ports[3] = port('4', { untaggedVlan: 30, taggedVlans: [100, 200] });
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['devices', sw, 'ports', 3, 'untaggedVlan'], message: 'VLAN 30 is not in the vlans list' },
      { path: ['devices', sw, 'ports', 3, 'taggedVlans', 1], message: 'VLAN 200 is not in the vlans list' },
    ]);
  });

  it('reports a VLAN both untagged and tagged on one port, and a port name used twice on a device', () => {
    const inventory = lab();
    const sw = devIndex(inventory, 'sw1');
    inventory.devices[sw]!.ports[3] = port('4', { untaggedVlan: 10, taggedVlans: [10] });
    inventory.devices[sw]!.ports.push(port('4'));
    const issues = inventoryIssues(inventory);
    expect(paths(issues)).toEqual([
      ['devices', sw, 'ports', 3, 'taggedVlans'],
      ['devices', sw, 'ports', 4, 'name'],
    ]);
  });

  it('reports a VLAN id or name listed twice in the plan', () => {
    const inventory = lab();
    inventory.vlans.push({ id: 10, name: 'MGMT', purpose: 'management', notes: '' });
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['vlans', 3, 'id'], message: 'VLAN 10 is listed twice' },
      { path: ['vlans', 3, 'name'], message: 'VLAN name "MGMT" is used twice' },
    ]);
  });

  it('reports an iSCSI target served by a switch, at the target device', () => {
    const inventory = lab();
    inventory.targets[0]!.device = 'sw1';
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['targets', 0, 'device'], message: 'an iSCSI target is served by an iSCSI SAN or a NAS, not a Switch' },
    ]);
  });

  it('reports a target on a device that is not in the inventory', () => {
    const inventory = lab();
    inventory.targets[0]!.device = 'nas9';
    expect(inventoryIssues(inventory)).toEqual([{ path: ['targets', 0, 'device'], message: 'no device named "nas9"' }]);
  });

  it('reports a LUN number used twice in one target, at the second LUN', () => {
    const inventory = lab();
    inventory.targets[0]!.luns.push({ lun: 1, name: 'c', sizeBytes: 1e9, use: 'backup', scsiId: '' });
    expect(inventoryIssues(inventory)).toEqual([{ path: ['targets', 0, 'luns', 2, 'lun'], message: 'LUN 1 is listed twice' }]);
  });

  it('reports a target listed twice and a portal listed twice', () => {
    const inventory = lab();
    const target = inventory.targets[0]!;
    target.portals.push({ address: '10.0.20.20', port: 3260 });
    inventory.targets.push({ ...target, portals: [{ address: '10.0.20.21', port: 3260 }], luns: [] });
    expect(inventoryIssues(inventory)).toEqual([
      { path: ['targets', 0, 'portals', 1], message: 'this portal is listed twice' },
      { path: ['targets', 1, 'iqn'], message: 'target iqn.2013-03.com.dlink:vm-store is listed twice' },
    ]);
  });

  it('reports a protocol a device kind cannot speak, at that device', () => {
    const inventory = lab();
    const sw = devIndex(inventory, 'sw1');
    inventory.devices[sw]!.xenapi = { url: 'https://10.0.0.1', username: 'root' };
    expect(inventoryIssues(inventory)).toEqual([{ path: ['devices', sw, 'xenapi'], message: 'a Switch has no XenAPI' }]);
  });

  it('reports every problem of a document at once, each at its own path', () => {
    const inventory = lab();
    inventory.devices.push(device('Pool', 'xen-pool'));
    inventory.links.push({ a: { device: 'xen2', port: 'eth9' }, b: { device: 'sw1', port: '4' }, source: 'manual', notes: '' });
    inventory.targets[0]!.luns.push({ lun: 0, name: 'dup', sizeBytes: 1, use: 'other', scsiId: '' });
    expect(paths(inventoryIssues(inventory))).toEqual([
      ['devices', 5, 'name'],
      ['links', 3, 'a', 'port'],
      ['targets', 0, 'luns', 2, 'lun'],
    ]);
  });
});
