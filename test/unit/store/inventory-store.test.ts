import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import type { Args } from '../../../src-main/api/contract';
import type { DeleteImpact } from '../../../src-main/domain/model/views';

let h: Harness;
afterEach(() => h?.close());

type DeviceArg = Args<'devices.create'>[0];

/** The built-in demo lab (hp-pool with 4 hosts, 2 switches, a SAN, a NAS: 9 devices, 42 ports, 21 cables), events cleared. */
async function demoLab(): Promise<void> {
  h = makeHarness();
  await h.api['inventory.openDemo']();
  h.events.length = 0;
}

async function deviceId(name: string): Promise<number> {
  const device = (await h.api['devices.list']()).find((d) => d.name === name);
  if (!device) throw new Error(`no device ${name} in the test lab`);
  return device.id;
}

async function portId(device: string, port: string): Promise<number> {
  const found = (await h.api['devices.get'](await deviceId(device))).ports.find((p) => p.name === port);
  if (!found) throw new Error(`no port ${device} ${port} in the test lab`);
  return found.id;
}

/** What a delete dialog lists, as (thing, count) pairs; the wording is checked through `summary`. */
const goesAlong = (impact: DeleteImpact) => impact.consequences.map(({ what, count }) => ({ what, count }));

const count = (sql: string, ...params: unknown[]) => (h.db.prepare(sql).get(...params) as { n: number }).n;

const host = (name: string, extra: Partial<DeviceArg> = {}): DeviceArg => ({ name, kind: 'xen-host', address: '10.10.10.50', ...extra });

describe('devices', () => {
  it('are created, read back with defaults filled in, updated and deleted', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create']({
      name: 'sw1',
      kind: 'switch',
      address: 'sw1.lab',
      vendor: 'HP',
      snmp: { version: 'v2c' },
    });
    const created = await h.api['devices.get'](id);
    expect(created).toMatchObject({ id, name: 'sw1', kind: 'switch', address: 'sw1.lab', vendor: 'HP', model: '', memberOf: null });
    expect(created.snmp).toEqual({
      version: 'v2c',
      port: 161,
      v3User: '',
      v3Level: 'authPriv',
      v3AuthProtocol: 'sha256',
      v3PrivProtocol: 'aes',
    });
    expect(created).toMatchObject({ ports: [], members: [], targets: [], credentials: [], portCount: 0, linkCount: 0 });

    await h.api['devices.update'](id, { name: 'sw-core', kind: 'switch', address: '10.0.0.2', location: 'Rack A' });
    expect(await h.api['devices.get'](id)).toMatchObject({ name: 'sw-core', address: '10.0.0.2', location: 'Rack A', snmp: null, vendor: '' });

    await h.api['devices.delete'](id);
    expect(await h.api['devices.list']()).toEqual([]);
    expect((await failure(h.api['devices.get'](id))).code).toBe('not-found');
    expect((await failure(h.api['devices.delete'](id))).code).toBe('not-found');
  });

  it('lists devices in natural name order (xen2 before xen10)', async () => {
    h = makeHarness();
    for (const name of ['xen10', 'xen2', 'Xen1']) await h.api['devices.create']({ name, kind: 'linux-host', address: '10.0.0.1' });
    expect((await h.api['devices.list']()).map((d) => d.name)).toEqual(['Xen1', 'xen2', 'xen10']);
  });

  it('refuses a device name already taken in another case, as a conflict at name', async () => {
    h = makeHarness();
    await h.api['devices.create'](host('xen1'));
    const error = await failure(h.api['devices.create'](host('XEN1')));
    expect(error.code).toBe('conflict');
    expect(error.issues).toEqual([{ path: ['name'], message: 'a device named "XEN1" already exists' }]);
    expect((await h.api['devices.list']()).map((d) => d.name)).toEqual(['xen1']);
  });

  it('refuses renaming a device to another device’s name, but allows changing the case of its own', async () => {
    h = makeHarness();
    const xen1 = await h.api['devices.create'](host('xen1'));
    const xen2 = await h.api['devices.create'](host('xen2'));
    const error = await failure(h.api['devices.update'](xen2.id, host('Xen1')));
    expect(error.code).toBe('conflict');
    expect(error.issues?.[0]?.path).toEqual(['name']);
    await h.api['devices.update'](xen1.id, host('XEN1'));
    expect((await h.api['devices.list']()).map((d) => d.name)).toEqual(['XEN1', 'xen2']);
  });

  it('refuses a bad address at its field before anything is stored', async () => {
    h = makeHarness();
    const error = await failure(h.api['devices.create'](host('xen1', { address: '10.0.0.256' })));
    expect(error.code).toBe('bad-arguments');
    expect(error.issues).toEqual([
      { arg: 0, path: ['address'], message: '"10.0.0.256" is not a valid IPv4 address (four numbers 0–255 separated by dots)' },
    ]);
    expect(await h.api['devices.list']()).toEqual([]);
  });
});

describe('pool membership', () => {
  it('a host joins a pool and the pool lists it', async () => {
    h = makeHarness();
    const pool = await h.api['devices.create']({ name: 'pool', kind: 'xen-pool', address: '10.0.0.10' });
    const xen1 = await h.api['devices.create'](host('xen1', { memberOf: pool.id }));
    expect((await h.api['devices.get'](pool.id)).members).toEqual([{ id: xen1.id, name: 'xen1' }]);
    expect((await h.api['devices.get'](xen1.id)).memberOfName).toBe('pool');
  });

  it('a switch cannot be a member of a pool', async () => {
    h = makeHarness();
    const pool = await h.api['devices.create']({ name: 'pool', kind: 'xen-pool', address: '10.0.0.10' });
    const error = await failure(h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2', memberOf: pool.id }));
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([{ path: ['memberOf'], message: 'only a XenServer host can be a member of a pool' }]);
    expect((await h.api['devices.list']()).map((d) => d.name)).toEqual(['pool']);
  });

  it('a host can only join a pool that exists and is a pool, and not itself', async () => {
    h = makeHarness();
    const sw = await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2' });
    expect((await failure(h.api['devices.create'](host('xen1', { memberOf: sw.id })))).issues).toEqual([
      { path: ['memberOf'], message: 'a host can only be a member of a XenServer pool' },
    ]);
    expect((await failure(h.api['devices.create'](host('xen1', { memberOf: 999 })))).issues).toEqual([
      { path: ['memberOf'], message: 'that pool does not exist' },
    ]);
    const xen1 = await h.api['devices.create'](host('xen1'));
    expect((await failure(h.api['devices.update'](xen1.id, host('xen1', { memberOf: xen1.id })))).issues).toEqual([
      { path: ['memberOf'], message: 'a device cannot be a member of itself' },
    ]);
  });

  it('a pool that still has members cannot become another kind', async () => {
    await demoLab();
    const pool = await deviceId('hp-pool');
    const error = await failure(
      h.api['devices.update'](pool, { name: 'hp-pool', kind: 'xen-host', address: '10.10.10.11', xenapi: { url: 'https://10.10.10.11' } }),
    );
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([{ path: ['kind'], message: 'this pool still has 4 member hosts; move them out first' }]);
    const after = await h.api['devices.get'](pool);
    expect(after.kind).toBe('xen-pool');
    expect(after.members).toHaveLength(4);
  });

  it('a device that serves iSCSI targets cannot become a kind that cannot', async () => {
    await demoLab();
    const san = await deviceId('dlink-san');
    const error = await failure(h.api['devices.update'](san, { name: 'dlink-san', kind: 'switch', address: '10.10.10.20' }));
    expect(error.issues).toEqual([{ path: ['kind'], message: 'this device serves 2 iSCSI targets; only a SAN or NAS can' }]);
    expect((await h.api['devices.get'](san)).kind).toBe('iscsi-san');
  });
});

describe('ports', () => {
  it('are created with their VLANs, MAC in the stored spelling, tagged VLANs ascending; updated and deleted', async () => {
    h = makeHarness();
    for (const [id, name] of [[10, 'mgmt'], [100, 'vm-a'], [101, 'vm-b']] as const) {
      await h.api['vlans.create']({ id, name, purpose: 'vm' });
    }
    const dev = await h.api['devices.create'](host('xen1'));
    const { id } = await h.api['ports.create'](dev.id, {
      name: 'eth1',
      role: 'vm',
      aggregate: 'bond0',
      mac: '00-1B-21-3A-4F-10',
      untaggedVlan: 10,
      taggedVlans: [101, 100],
    });
    let [port] = (await h.api['devices.get'](dev.id)).ports;
    expect(port).toMatchObject({ id, name: 'eth1', aggregate: 'bond0', mac: '00:1b:21:3a:4f:10', untaggedVlan: 10, taggedVlans: [100, 101], link: null });

    await h.api['ports.update'](id, { name: 'eth1', role: 'vm', taggedVlans: [101] });
    [port] = (await h.api['devices.get'](dev.id)).ports;
    expect(port).toMatchObject({ untaggedVlan: null, taggedVlans: [101], aggregate: '', mac: '' });
    expect(count('SELECT count(*) AS n FROM port_vlans WHERE port_id = ?', id)).toBe(1);

    await h.api['ports.delete'](id);
    expect((await h.api['devices.get'](dev.id)).ports).toEqual([]);
    expect(count('SELECT count(*) AS n FROM port_vlans')).toBe(0);
  });

  it('a VLAN that is not in the plan is refused at untaggedVlan and at the tagged entry, and nothing is stored', async () => {
    h = makeHarness();
    await h.api['vlans.create']({ id: 100, name: 'vm', purpose: 'vm' });
    const dev = await h.api['devices.create'](host('xen1'));
    const error = await failure(h.api['ports.create'](dev.id, { name: 'eth1', role: 'vm', untaggedVlan: 30, taggedVlans: [100, 200] }));
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([
      { path: ['untaggedVlan'], message: 'VLAN 30 is not in the VLAN plan; add it there first' },
      { path: ['taggedVlans', 1], message: 'VLAN 200 is not in the VLAN plan; add it there first' },
    ]);
    expect(count('SELECT count(*) AS n FROM ports')).toBe(0);

    const { id } = await h.api['ports.create'](dev.id, { name: 'eth1', role: 'vm', taggedVlans: [100] });
    const update = await failure(h.api['ports.update'](id, { name: 'eth1', role: 'vm', taggedVlans: [100, 300] }));
    expect(update.issues).toEqual([{ path: ['taggedVlans', 1], message: 'VLAN 300 is not in the VLAN plan; add it there first' }]);
    expect((await h.api['devices.get'](dev.id)).ports[0]?.taggedVlans).toEqual([100]);
  });

  it('a port name already on the device, in any case, is a conflict at name', async () => {
    h = makeHarness();
    const dev = await h.api['devices.create'](host('xen1'));
    await h.api['ports.create'](dev.id, { name: 'eth0', role: 'management' });
    const error = await failure(h.api['ports.create'](dev.id, { name: 'ETH0', role: 'vm' }));
    expect(error.code).toBe('conflict');
    expect(error.issues).toEqual([{ path: ['name'], message: 'this device already has a port named "ETH0"' }]);
    // The same name on another device is fine.
    const other = await h.api['devices.create'](host('xen2'));
    await h.api['ports.create'](other.id, { name: 'eth0', role: 'management' });
  });

  it('a port cannot be added to a device that does not exist', async () => {
    h = makeHarness();
    expect((await failure(h.api['ports.create'](42, { name: 'eth0', role: 'vm' }))).code).toBe('not-found');
  });
});

describe('links (cables)', () => {
  it('join two free ports; each end shows the other; moving and deleting a cable works', async () => {
    await demoLab();
    const xen1 = await deviceId('xen1');
    const sw = await deviceId('sw-a');
    const extra = await h.api['ports.create'](xen1, { name: 'eth4', role: 'vm' });
    const free = await h.api['ports.create'](sw, { name: '9', role: 'vm' });
    const { id } = await h.api['links.create']({ aPortId: extra.id, bPortId: free.id, source: 'lldp' });
    const eth4 = (await h.api['devices.get'](xen1)).ports.find((p) => p.name === 'eth4');
    expect(eth4?.link).toEqual({ id, source: 'lldp', peer: { deviceId: sw, deviceName: 'sw-a', portId: free.id, portName: '9' } });
    expect((await h.api['links.list']()).find((l) => l.id === id)).toMatchObject({ a: { deviceName: 'xen1', portName: 'eth4' }, b: { portName: '9' } });

    const other = await h.api['ports.create'](sw, { name: '10', role: 'vm' });
    await h.api['links.update'](id, { aPortId: extra.id, bPortId: other.id });
    expect((await h.api['devices.get'](xen1)).ports.find((p) => p.name === 'eth4')?.link?.peer.portName).toBe('10');
    await h.api['links.delete'](id);
    expect((await h.api['devices.get'](xen1)).ports.find((p) => p.name === 'eth4')?.link).toBeNull();
  });

  it('a port already cabled is a conflict that names the other end of its cable', async () => {
    await demoLab();
    const spare = await h.api['ports.create'](await deviceId('sw-a'), { name: '9', role: 'vm' });
    const eth0 = await portId('xen1', 'eth0');
    const asA = await failure(h.api['links.create']({ aPortId: eth0, bPortId: spare.id }));
    expect(asA.code).toBe('conflict');
    expect(asA.issues).toEqual([{ path: ['aPortId'], message: 'xen1 eth0 is already cabled to sw-a 1; a port has one cable' }]);
    const asB = await failure(h.api['links.create']({ aPortId: spare.id, bPortId: eth0 }));
    expect(asB.issues).toEqual([{ path: ['bPortId'], message: 'xen1 eth0 is already cabled to sw-a 1; a port has one cable' }]);
    expect(count('SELECT count(*) AS n FROM links')).toBe(21);
  });

  it('a cable from a port to itself is refused at bPortId', async () => {
    await demoLab();
    const spare = await h.api['ports.create'](await deviceId('sw-a'), { name: '9', role: 'vm' });
    const error = await failure(h.api['links.create']({ aPortId: spare.id, bPortId: spare.id }));
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([{ path: ['bPortId'], message: 'a cable joins two different ports' }]);
  });

  it('moving a cable onto a port that has one is refused, and the cable stays where it was', async () => {
    await demoLab();
    const cable = (await h.api['devices.get'](await deviceId('xen1'))).ports.find((p) => p.name === 'eth0')!.link!;
    const error = await failure(h.api['links.update'](cable.id, { aPortId: await portId('xen1', 'eth0'), bPortId: await portId('sw-a', '2') }));
    expect(error.code).toBe('conflict');
    expect(error.issues?.[0]?.message).toBe('sw-a 2 is already cabled to xen2 eth0; a port has one cable');
    expect((await h.api['devices.get'](await deviceId('xen1'))).ports.find((p) => p.name === 'eth0')?.link?.peer.portName).toBe('1');
  });

  it('a cable between two ports of one device counts once in the device list, as in the delete dialog', async () => {
    h = makeHarness();
    const sw = await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2' });
    const p1 = await h.api['ports.create'](sw.id, { name: '1', role: 'uplink' });
    const p2 = await h.api['ports.create'](sw.id, { name: '2', role: 'uplink' });
    await h.api['links.create']({ aPortId: p1.id, bPortId: p2.id });
    expect(goesAlong(await h.api['devices.deleteImpact'](sw.id))).toContainEqual({ what: 'cable', count: 1 });
    expect((await h.api['devices.list']())[0]?.linkCount).toBe(1);
  });
});

describe('VLANs', () => {
  it('are created, listed with their port counts, renamed and deleted', async () => {
    await demoLab();
    const vlans = await h.api['vlans.list']();
    expect(vlans.map((v) => v.id)).toEqual([10, 20, 30, 100, 101]);
    expect(vlans.find((v) => v.id === 20)).toMatchObject({ name: 'iscsi', untaggedPorts: 10, taggedPorts: 2 });
    await h.api['vlans.create']({ id: 40, name: 'backup', purpose: 'other', notes: 'nightly' });
    await h.api['vlans.update'](40, { name: 'backups', purpose: 'replication' });
    expect((await h.api['vlans.list']()).find((v) => v.id === 40)).toEqual({
      id: 40,
      name: 'backups',
      purpose: 'replication',
      notes: '',
      untaggedPorts: 0,
      taggedPorts: 0,
    });
    await h.api['vlans.delete'](40);
    expect((await h.api['vlans.list']()).some((v) => v.id === 40)).toBe(false);
  });

  it('a tag or a name (in any case) already in the plan is a conflict at that field', async () => {
    await demoLab();
    const byId = await failure(h.api['vlans.create']({ id: 20, name: 'other', purpose: 'storage' }));
    expect(byId.code).toBe('conflict');
    expect(byId.issues).toEqual([{ path: ['id'], message: 'VLAN 20 is already in the plan' }]);
    const byName = await failure(h.api['vlans.create']({ id: 21, name: 'ISCSI', purpose: 'storage' }));
    expect(byName.issues).toEqual([{ path: ['name'], message: 'a VLAN named "ISCSI" is already in the plan' }]);
    expect((await failure(h.api['vlans.update'](10, { name: 'iscsi', purpose: 'management' }))).issues?.[0]?.path).toEqual(['name']);
    expect((await failure(h.api['vlans.update'](55, { name: 'x', purpose: 'vm' }))).code).toBe('not-found');
  });
});

describe('iSCSI targets', () => {
  const target = (deviceId: number, extra: Partial<Args<'targets.create'>[0]> = {}): Args<'targets.create'>[0] => ({
    deviceId,
    iqn: 'iqn.2013-03.com.dlink:dns-1550-04.backup',
    portals: [{ address: '10.10.20.20' }],
    luns: [{ lun: 0, name: 'backup', sizeBytes: 2e12, use: 'backup' }],
    ...extra,
  });

  it('are created on a SAN with portals and LUNs, updated and deleted', async () => {
    await demoLab();
    const san = await deviceId('dlink-san');
    const { id } = await h.api['targets.create'](target(san));
    expect((await h.api['targets.list']()).find((t) => t.id === id)).toMatchObject({
      deviceName: 'dlink-san',
      portals: [{ address: '10.10.20.20', port: 3260 }],
      luns: [{ lun: 0, name: 'backup', sizeBytes: 2e12, use: 'backup' }],
    });
    await h.api['targets.update'](id, target(san, { luns: [{ lun: 3, sizeBytes: 1e9 }, { lun: 1, sizeBytes: 2e9 }] }));
    expect((await h.api['targets.list']()).find((t) => t.id === id)?.luns.map((l) => l.lun)).toEqual([1, 3]);
    await h.api['targets.delete'](id);
    expect(count('SELECT count(*) AS n FROM luns WHERE target_id = ?', id)).toBe(0);
    expect(count('SELECT count(*) AS n FROM target_portals WHERE target_id = ?', id)).toBe(0);
  });

  it('a target on a switch is refused at deviceId', async () => {
    await demoLab();
    const error = await failure(h.api['targets.create'](target(await deviceId('sw-a'))));
    expect(error.code).toBe('invalid');
    expect(error.issues).toEqual([{ path: ['deviceId'], message: 'an iSCSI target is served by an iSCSI SAN or a NAS, not a Switch' }]);
    expect(await h.api['targets.list']()).toHaveLength(2);
  });

  it('a LUN number used twice is refused at luns[i].lun, and nothing of the target is stored', async () => {
    await demoLab();
    const luns = [
      { lun: 0, sizeBytes: 1e9 },
      { lun: 1, sizeBytes: 1e9 },
      { lun: 1, sizeBytes: 2e9 },
    ];
    const error = await failure(h.api['targets.create'](target(await deviceId('dlink-san'), { luns })));
    expect(error.code).toBe('conflict');
    expect(error.issues).toEqual([{ path: ['luns', 2, 'lun'], message: 'LUN 1 is listed twice' }]);
    expect(await h.api['targets.list']()).toHaveLength(2);
    expect(count('SELECT count(*) AS n FROM luns')).toBe(2);
  });

  it('a refused edit of a target keeps the LUNs and portals it had', async () => {
    await demoLab();
    const [first] = await h.api['targets.list']();
    const error = await failure(
      h.api['targets.update'](first!.id, {
        deviceId: first!.deviceId,
        iqn: first!.iqn,
        portals: first!.portals,
        luns: [
          { lun: 5, sizeBytes: 1e9 },
          { lun: 5, sizeBytes: 1e9 },
        ],
      }),
    );
    expect(error.issues?.[0]?.path).toEqual(['luns', 1, 'lun']);
    expect((await h.api['targets.list']()).find((t) => t.id === first!.id)).toEqual(first);
  });

  it('an IQN already in the inventory is a conflict at iqn', async () => {
    await demoLab();
    const error = await failure(h.api['targets.create'](target(await deviceId('syno-dr'), { iqn: 'iqn.2013-03.com.dlink:dns-1550-04.vm-store' })));
    expect(error.code).toBe('conflict');
    expect(error.issues).toEqual([{ path: ['iqn'], message: 'target iqn.2013-03.com.dlink:dns-1550-04.vm-store is already in the inventory' }]);
  });
});

describe('deleting, with the impact stated first', () => {
  it('a host: the dialog says its 4 ports and 4 cables go; after delete they are gone and the switches are intact', async () => {
    await demoLab();
    const xen1 = await deviceId('xen1');
    const impact = await h.api['devices.deleteImpact'](xen1);
    expect(impact.summary).toBe('Deleting xen1 also deletes 4 ports and 4 cables.');
    expect(goesAlong(impact)).toEqual([
      { what: 'port', count: 4 },
      { what: 'cable', count: 4 },
    ]);
    await h.api['devices.delete'](xen1);
    expect(count('SELECT count(*) AS n FROM ports WHERE device_id = ?', xen1)).toBe(0);
    expect(await h.api['inventory.counts']()).toEqual({ devices: 8, ports: 38, links: 17, vlans: 5, targets: 2, luns: 2 });
    expect(count('SELECT count(*) AS n FROM port_vlans WHERE port_id NOT IN (SELECT id FROM ports)')).toBe(0);
    const swA = (await h.api['devices.get'](await deviceId('sw-a'))).ports;
    expect(swA).toHaveLength(11);
    expect(swA.find((p) => p.name === '1')?.link).toBeNull();
    expect(swA.find((p) => p.name === '2')?.link?.peer.deviceName).toBe('xen2');
    expect((await h.api['devices.get'](await deviceId('xen2'))).linkCount).toBe(4);
  });

  it('a pool: the dialog says its hosts are left without a pool; after delete the hosts remain, in no pool', async () => {
    await demoLab();
    const pool = await deviceId('hp-pool');
    const impact = await h.api['devices.deleteImpact'](pool);
    expect(impact.summary).toBe('Deleting hp-pool removes nothing else. 4 hosts will no longer belong to a pool.');
    expect(goesAlong(impact)).toEqual([{ what: 'host left without a pool', count: 4 }]);
    await h.api['devices.delete'](pool);
    const hosts = (await h.api['devices.list']()).filter((d) => d.kind === 'xen-host');
    expect(hosts.map((d) => [d.name, d.memberOf, d.memberOfName, d.portCount])).toEqual([
      ['xen1', null, null, 4],
      ['xen2', null, null, 4],
      ['xen3', null, null, 4],
      ['xen4', null, null, 4],
    ]);
  });

  it('a SAN: the dialog counts its ports, cables, targets and LUNs; after delete its targets are gone too', async () => {
    await demoLab();
    const san = await deviceId('dlink-san');
    expect((await h.api['devices.deleteImpact'](san)).summary).toBe(
      'Deleting dlink-san also deletes 2 ports, 2 cables, 2 iSCSI targets and 2 LUNs.',
    );
    await h.api['devices.delete'](san);
    expect(await h.api['targets.list']()).toEqual([]);
    expect(count('SELECT count(*) AS n FROM luns')).toBe(0);
    expect(count('SELECT count(*) AS n FROM target_portals')).toBe(0);
    expect((await h.api['inventory.counts']()).links).toBe(19);
  });

  it('a VLAN: the dialog counts the ports that use it; after delete the ports remain without it', async () => {
    await demoLab();
    const impact = await h.api['vlans.deleteImpact'](20);
    expect(impact.summary).toBe(
      'Deleting VLAN 20 (iscsi) also removes it from 10 ports where it is untagged and 2 ports where it is tagged.',
    );
    expect(goesAlong(impact)).toEqual([
      { what: 'port where it is untagged', count: 10 },
      { what: 'port where it is tagged', count: 2 },
    ]);
    await h.api['vlans.delete'](20);
    expect(count('SELECT count(*) AS n FROM port_vlans WHERE vlan_id = 20')).toBe(0);
    expect((await h.api['inventory.counts']()).ports).toBe(42);
    const eth3 = (await h.api['devices.get'](await deviceId('xen1'))).ports.find((p) => p.name === 'eth3');
    expect(eth3).toMatchObject({ untaggedVlan: null, taggedVlans: [] });
    const uplink = (await h.api['devices.get'](await deviceId('sw-a'))).ports.find((p) => p.name === '24');
    expect(uplink?.taggedVlans).toEqual([10, 30, 100, 101]);
    expect((await h.api['vlans.deleteImpact'](30)).summary).toBe(
      'Deleting VLAN 30 (replication) also removes it from 2 ports where it is untagged and 2 ports where it is tagged.',
    );
  });

  it('a port: the dialog names the other end of its cable; after delete the peer port is free', async () => {
    await demoLab();
    const eth3 = await portId('xen1', 'eth3');
    const impact = await h.api['ports.deleteImpact'](eth3);
    expect(impact.summary).toBe('Deleting port xen1 eth3 also removes its cable to sw-b eth1/0/1 and 1 VLAN membership.');
    expect(goesAlong(impact)).toEqual([
      { what: 'cable', count: 1 },
      { what: 'VLAN membership', count: 1 },
    ]);
    await h.api['ports.delete'](eth3);
    expect((await h.api['devices.get'](await deviceId('sw-b'))).ports.find((p) => p.name === 'eth1/0/1')?.link).toBeNull();
    expect((await h.api['inventory.counts']()).links).toBe(20);
  });

  it('a target: the dialog counts its LUNs and portals', async () => {
    await demoLab();
    const [first] = await h.api['targets.list']();
    expect((await h.api['targets.deleteImpact'](first!.id)).summary).toBe(`Deleting target ${first!.iqn} also deletes its 1 LUN and 1 portal.`);
  });

  it('a record with nothing attached says so', async () => {
    h = makeHarness();
    const { id } = await h.api['devices.create'](host('xen1'));
    const impact = await h.api['devices.deleteImpact'](id);
    expect(impact.summary).toBe('Deleting xen1 removes nothing else.');
    expect(impact.consequences).toEqual([]);
    await h.api['vlans.create']({ id: 5, name: 'spare', purpose: 'other' });
    expect((await h.api['vlans.deleteImpact'](5)).summary).toBe('Deleting VLAN 5 (spare) removes nothing else: no port uses it.');
  });
});

describe('inventory.changed events', () => {
  it('reads announce nothing', async () => {
    await demoLab();
    const xen1 = await deviceId('xen1');
    await h.api['devices.list']();
    await h.api['devices.get'](xen1);
    await h.api['devices.deleteImpact'](xen1);
    await h.api['ports.deleteImpact'](await portId('xen1', 'eth0'));
    await h.api['links.list']();
    await h.api['vlans.list']();
    await h.api['vlans.deleteImpact'](10);
    await h.api['targets.list']();
    await h.api['inventory.counts']();
    const yaml = await h.api['inventory.exportYaml']();
    await h.api['inventory.checkYaml'](yaml);
    await h.api['devices.exportCsv']();
    await h.api['app.info']();
    expect(h.events).toEqual([]);
  });

  it('every change announces itself once, naming the method', async () => {
    h = makeHarness();
    await h.api['vlans.create']({ id: 10, name: 'mgmt', purpose: 'management' });
    await h.api['vlans.update'](10, { name: 'management', purpose: 'management' });
    const dev = await h.api['devices.create'](host('xen1'));
    await h.api['devices.update'](dev.id, host('xen1', { notes: 'rack A' }));
    const sw = await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2' });
    const a = await h.api['ports.create'](dev.id, { name: 'eth0', role: 'management', untaggedVlan: 10 });
    await h.api['ports.update'](a.id, { name: 'eth0', role: 'management' });
    const b = await h.api['ports.create'](sw.id, { name: '1', role: 'management' });
    const link = await h.api['links.create']({ aPortId: a.id, bPortId: b.id });
    await h.api['links.update'](link.id, { aPortId: a.id, bPortId: b.id, notes: 'patch 12' });
    await h.api['links.delete'](link.id);
    await h.api['ports.delete'](b.id);
    await h.api['vlans.delete'](10);
    await h.api['devices.delete'](sw.id);
    expect(h.events.map((e) => [e.event, 'method' in e.payload ? e.payload.method : null])).toEqual(
      [
        'vlans.create',
        'vlans.update',
        'devices.create',
        'devices.update',
        'devices.create',
        'ports.create',
        'ports.update',
        'ports.create',
        'links.create',
        'links.update',
        'links.delete',
        'ports.delete',
        'vlans.delete',
        'devices.delete',
      ].map((method) => ['inventory.changed', method]),
    );
  });

  it('a refused change announces nothing', async () => {
    await demoLab();
    await failure(h.api['devices.create'](host('XEN1')));
    await failure(h.api['devices.create'](host('bad', { address: '999.1.1.1' })));
    await failure(h.api['links.create']({ aPortId: await portId('xen1', 'eth0'), bPortId: await portId('xen2', 'eth0') }));
    await failure(h.api['vlans.create']({ id: 10, name: 'again', purpose: 'management' }));
    await failure(h.api['devices.delete'](9999));
    expect(h.events).toEqual([]);
  });
});
