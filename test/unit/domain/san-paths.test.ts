import { describe, it, expect } from 'vitest';
import { sanView, type SanInput } from '../../../src-main/domain/health/san';
import { replicationView } from '../../../src-main/domain/health/replication';
import { sameIPv4Subnet } from '../../../src-main/domain/checks/addresses';
import type { HostNic, PoolObservation, SrAttachment, XenHost, XenStorage } from '../../../src-main/domain/model/pools';
import type { PortalProbe } from '../../../src-main/domain/model/san';
import type { StorageTarget } from '../../../src-main/domain/model/storage';
import type { NasObservation } from '../../../src-main/domain/model/nas';

const IQN = 'iqn.2013-03.com.dlink:dns-1550-04.vm-store';
const GiB = 1024 ** 3;

const nic = (device: string, ip = '', netmask = '255.255.255.0'): HostNic => ({
  uuid: device, device, mac: '', physical: true, carrier: true, speedMbps: 1000, duplex: 'full', vendor: '', model: '',
  pciBusPath: '', mtu: 1500, management: false, ipMode: ip ? 'Static' : 'None', ip, netmask: ip ? netmask : '', gateway: '',
  disallowUnplug: !!ip, attached: true, network: '', bond: null, purpose: '',
});
const host = (name: string, nics: HostNic[], multipathing = true): XenHost => ({
  uuid: name, name, address: '', enabled: true, live: true, multipathing, multipathHandle: 'dmp', product: '',
  networkBackend: 'openvswitch', apiVersion: '2.0', nics, bonds: [], vlans: [],
});
const attach = (hostName: string, fields: Partial<SrAttachment> = {}): SrAttachment => ({
  host: hostName, attached: true, multipathed: true, activePaths: 2, totalPaths: 2, iscsiSessions: 2,
  target: { portals: ['10.10.20.20'], port: 3260, iqn: IQN, scsiId: '36001' }, ...fields,
});
const sr = (name: string, attachments: SrAttachment[], sizeBytes: number | null = 1024 * GiB, haHeartbeat = false): XenStorage => ({
  uuid: `${name}-uuid`, name, type: 'lvmoiscsi', shared: true, multipathCapable: true, sizeBytes, haHeartbeat, attachments,
});
const pool = (hosts: XenHost[], storage: XenStorage[]): PoolObservation => ({
  observedAt: '2026-11-25T10:00:00Z', pool: { uuid: 'p', name: 'hp-pool', master: hosts[0]!.name, haEnabled: false, haHeartbeatSr: null },
  hosts, networks: [], storage, alerts: [],
});
const target = (portals: string[], luns: StorageTarget['luns'] = [{ lun: 1, name: 'vm', sizeBytes: 1024 * GiB, use: 'vm-storage' }]): StorageTarget => ({
  id: 7, deviceId: 3, iqn: IQN, alias: 'vm-store', notes: '', luns,
  portals: portals.map((p) => ({ address: p.split(':')[0]!, port: Number(p.split(':')[1] ?? 3260) })),
});
const probe = (portal: string, ok: boolean, message = ok ? 'answered discovery: 1 target(s)' : 'connection refused', iqns = ok ? [IQN] : []): PortalProbe => ({
  portal, ok, failure: ok ? null : 'refused', message, iqns, probedAt: '2026-11-25T10:00:00Z',
});
const input = (t: StorageTarget, observation: PoolObservation, probes: PortalProbe[] = []): SanInput => ({
  device: { id: 3, name: 'dlink-san', kind: 'iscsi-san', address: '10.10.10.20' },
  targets: [t],
  probes: new Map(probes.map((p) => [p.portal, p])),
  pools: [{ deviceId: 1, name: 'hp-pool', observation }],
});

const twoSubnetHost = (name: string, multipathing = true) =>
  host(name, [nic('eth0', '10.10.10.11'), nic('eth2', '10.10.20.11'), nic('eth3', '10.10.21.11')], multipathing);

describe('the expected paths of a host: its NICs on a portal subnet × those portals', () => {
  it('two NICs on two subnets and two portals that answer, 2 of 2 active: both paths up', () => {
    const view = sanView(input(target(['10.10.20.20:3260', '10.10.21.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1')])]), [
      probe('10.10.20.20:3260', true),
      probe('10.10.21.20:3260', true),
    ]));
    const paths = view.targets[0]!.paths;
    expect(paths).toHaveLength(1);
    expect(paths[0]!.expected).toBe(2);
    expect(paths[0]!.cells.map((c) => [c.nic, c.state])).toEqual([
      ['eth2 10.10.20.11', 'up'],
      ['eth3 10.10.21.11', 'up'],
    ]);
    expect(paths[0]!.notes).toEqual([]);
    expect(view.targets[0]!.portals.map((p) => [p.state, p.listsTarget])).toEqual([['up', true], ['up', true]]);
  });

  it('says the portal is down where the probe failed, and keeps the other path', () => {
    const view = sanView(input(target(['10.10.20.20:3260', '10.10.21.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1', { activePaths: 1 })])]), [
      probe('10.10.20.20:3260', true),
      probe('10.10.21.20:3260', false, 'connect ECONNREFUSED 10.10.21.20:3260'),
    ]));
    const cells = view.targets[0]!.paths[0]!.cells;
    expect(cells[0]).toMatchObject({ state: 'up' });
    expect(cells[1]).toMatchObject({ state: 'down', reason: 'portal down: connect ECONNREFUSED 10.10.21.20:3260' });
  });

  it('says no NIC is on a portal subnet, and that one path is no redundancy', () => {
    const view = sanView(input(target(['10.10.20.20:3260', '10.10.21.20:3260']), pool([host('xen2', [nic('eth0', '10.10.10.12'), nic('eth3', '10.10.20.12')])], [sr('VM store', [attach('xen2', { activePaths: 1, totalPaths: 1, iscsiSessions: 1 })])])));
    const row = view.targets[0]!.paths[0]!;
    expect(row.cells[1]).toMatchObject({ nic: '', state: 'no-nic', reason: "no NIC of xen2 has an address on 10.10.21.20's subnet" });
    expect(row.expected).toBe(1);
    expect(row.notes).toContain('a single path: no redundancy');
  });

  it('with multipathing off, one path is used and the others are inactive, saying why', () => {
    const view = sanView(input(target(['10.10.20.20:3260', '10.10.21.20:3260']), pool([twoSubnetHost('xen4', false)], [sr('VM store', [attach('xen4', { multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 })])])));
    const row = view.targets[0]!.paths[0]!;
    expect(row.cells.map((c) => c.state)).toEqual(['up', 'inactive']);
    expect(row.cells[1]!.reason).toBe('multipathing is off on xen4: one path is used');
    expect(row.notes).toContain('multipathing is off: 1 of 2 possible paths is used');
  });

  it('fewer active paths than reachable ones: degraded, and XenAPI cannot say which', () => {
    const view = sanView(input(target(['10.10.20.20:3260', '10.10.21.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1', { activePaths: 1, iscsiSessions: 1 })])])));
    const row = view.targets[0]!.paths[0]!;
    expect(row.cells.every((c) => c.state === 'degraded')).toBe(true);
    expect(row.cells[0]!.reason).toBe('1 of 2 reachable paths active; XenAPI does not say which one is down');
    expect(row.notes).toContain('1 iSCSI session for 2 expected paths');
  });

  it('a detached SR makes every path down on that host', () => {
    const view = sanView(input(target(['10.10.20.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1', { attached: false })])])));
    expect(view.targets[0]!.paths[0]!.cells[0]).toMatchObject({ state: 'down', reason: 'the SR is not attached on xen1' });
  });

  it('a portal that answers without listing the target, and targets the plan does not know, are reported', () => {
    const view = sanView(input(target(['10.10.20.20:3260']), pool([twoSubnetHost('xen1')], []), [
      probe('10.10.20.20:3260', true, 'answered', ['iqn.2013-03.com.dlink:other']),
    ]));
    expect(view.targets[0]!.notListed).toEqual(['10.10.20.20:3260']);
    expect(view.extraIqns).toEqual(['iqn.2013-03.com.dlink:other']);
    expect(view.targets[0]!.paths).toEqual([]); // no SR on it: no path rows
  });
});

describe('which SR sits on which LUN', () => {
  it('one LUN: the SR on the target', () => {
    const view = sanView(input(target(['10.10.20.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1')])])));
    expect(view.targets[0]!.luns[0]!.sr).toMatchObject({ name: 'VM store', pool: 'hp-pool', poolDeviceId: 1 });
  });

  it('several LUNs: the heartbeat SR to the heartbeat LUN, the others by nearest size', () => {
    const luns: StorageTarget['luns'] = [
      { lun: 1, name: 'small', sizeBytes: 100 * GiB, use: 'vm-storage' },
      { lun: 2, name: 'hb', sizeBytes: 10 * GiB, use: 'ha-heartbeat' },
      { lun: 3, name: 'big', sizeBytes: 1000 * GiB, use: 'vm-storage' },
    ];
    const observation = pool([twoSubnetHost('xen1')], [
      sr('Big SR', [attach('xen1')], 990 * GiB),
      sr('Heartbeat', [attach('xen1')], 11 * GiB, true),
      sr('Small SR', [attach('xen1')], 98 * GiB),
    ]);
    const view = sanView(input(target(['10.10.20.20:3260'], luns), observation));
    expect(view.targets[0]!.luns.map((l) => [l.name, l.sr?.name])).toEqual([
      ['small', 'Small SR'],
      ['hb', 'Heartbeat'],
      ['big', 'Big SR'],
    ]);
  });
});

describe('subnets', () => {
  it('compares IPv4 addresses under a dotted mask or a prefix length', () => {
    expect(sameIPv4Subnet('10.10.20.11', '255.255.255.0', '10.10.20.20')).toBe(true);
    expect(sameIPv4Subnet('10.10.20.11', '255.255.255.0', '10.10.21.20')).toBe(false);
    expect(sameIPv4Subnet('10.10.20.11', '/23', '10.10.21.20')).toBe(true);
    expect(sameIPv4Subnet('10.10.20.11', '0', '192.0.2.1')).toBe(true);
    expect(sameIPv4Subnet('10.10.20.11', 'nonsense', '10.10.20.20')).toBe(false);
    expect(sameIPv4Subnet('fe80::1', '64', 'fe80::2')).toBe(false);
  });
});

describe('replication against the recovery point', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const nas = (plans: NasObservation['replication'], available = true): NasObservation => ({
    observedAt: now.toISOString(), model: 'RS2212RP+', dsmVersion: '6.2', hostname: 'syno-dr', luns: [], targets: [], replication: plans, replicationAvailable: available,
  });
  const plan = (lastSuccessAt: string | null): NasObservation['replication'][number] => ({
    id: '1', role: 'dr', status: 1, targetName: 'vm-backups', targetType: 'share', lastSuccessAt, failCount: 1, successCount: 9,
    syncing: false, nextSyncAt: null, lastError: null, enabled: true, remoteHost: 'syno-main',
  });

  it('is late when the newest replica is older than the recovery point, and says by how much', () => {
    const view = replicationView({ id: 5, name: 'syno-dr' }, nas([plan('2026-11-24T06:00:00Z')]), 24, now);
    expect(view).toMatchObject({ late: true, summary: 'newest replica 30 h old, recovery point 24 h' });
    expect(view.plans[0]).toMatchObject({ ageHours: 30, late: true });
    expect(replicationView({ id: 5, name: 'syno-dr' }, nas([plan('2026-11-24T06:00:00Z')]), 48, now).late).toBe(false);
  });

  it('is late with no plan, no successful replica, or no replication package', () => {
    expect(replicationView({ id: 5, name: 'n' }, nas([]), 24, now)).toMatchObject({ late: true, summary: 'no replication plan' });
    expect(replicationView({ id: 5, name: 'n' }, nas([plan(null)]), 24, now)).toMatchObject({ late: true, summary: 'no successful replica yet (recovery point 24 h)' });
    expect(replicationView({ id: 5, name: 'n' }, nas([], false), 24, now)).toMatchObject({ late: true, summary: 'Snapshot Replication is not installed on this NAS' });
    expect(replicationView({ id: 5, name: 'n' }, null, 24, now)).toMatchObject({ late: false, summary: 'not read yet' });
  });
});
