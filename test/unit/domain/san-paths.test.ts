import { describe, it, expect } from 'vitest';
import { sanView, type SanInput } from '../../../src-main/domain/health/san';
import { replicationView } from '../../../src-main/domain/health/replication';
import { sameIPv4Subnet } from '../../../src-main/domain/checks/addresses';
import type { HostNic, PoolObservation, SrAttachment, XenHost, XenStorage } from '../../../src-main/domain/model/pools';
import { probeKey, type PortalProbe } from '../../../src-main/domain/model/san';
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
  target: { portals: ['10.10.20.20'], port: 3260, iqn: IQN, scsiId: '36001', lunId: null }, ...fields,
});
const sr = (name: string, attachments: SrAttachment[], sizeBytes: number | null = 1024 * GiB, haHeartbeat = false): XenStorage => ({
  uuid: `${name}-uuid`, name, type: 'lvmoiscsi', shared: true, multipathCapable: true, sizeBytes, haHeartbeat, attachments,
});
const pool = (hosts: XenHost[], storage: XenStorage[]): PoolObservation => ({
  observedAt: '2026-11-25T10:00:00Z', pool: { uuid: 'p', name: 'hp-pool', master: hosts[0]!.name, haEnabled: false, haHeartbeatSr: null },
  hosts, networks: [], storage, alerts: [],
});
const lun = (n: number, name: string, sizeBytes: number, use: StorageTarget['luns'][number]['use'] = 'vm-storage', scsiId = '') => ({ lun: n, name, sizeBytes, use, scsiId });
const target = (portals: string[], luns: StorageTarget['luns'] = [lun(1, 'vm', 1024 * GiB)], chap: StorageTarget['chap'] = null): StorageTarget => ({
  id: 7, deviceId: 3, iqn: IQN, alias: 'vm-store', notes: '', luns, chap,
  portals: portals.map((p) => ({ address: p.split(':')[0]!, port: Number(p.split(':')[1] ?? 3260) })),
});
const probe = (portal: string, ok: boolean, message = ok ? 'answered discovery: 1 target(s)' : 'connection refused', iqns = ok ? [IQN] : []): PortalProbe => ({
  portal, ok, failure: ok ? null : 'refused', message, iqns, probedAt: '2026-11-25T10:00:00Z',
});
/** A probe that got a TCP connection and then failed as `failure` says. */
const refusedDiscovery = (portal: string, failure: string, message: string, extra: Partial<PortalProbe> = {}): PortalProbe => ({
  portal, ok: false, failure, message, connected: true, auth: 'none', loginStatus: null, iqns: [], probedAt: '2026-11-25T10:00:00Z', ...extra,
});
const input = (t: StorageTarget, observation: PoolObservation, probes: PortalProbe[] = []): SanInput => ({
  device: { id: 3, name: 'dlink-san', kind: 'iscsi-san', address: '10.10.10.20' },
  targets: [t],
  probes: new Map(probes.map((p) => [probeKey(p.portal, p.targetId), p])),
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
  it('one LUN: the SR on the target, matched as the only LUN', () => {
    const view = sanView(input(target(['10.10.20.20:3260']), pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1')])])));
    expect(view.targets[0]!.luns[0]!.sr).toMatchObject({ name: 'VM store', pool: 'hp-pool', poolDeviceId: 1 });
    expect(view.targets[0]!.luns[0]!.matchedBy).toBe('only-lun');
  });

  it('several LUNs: the heartbeat SR to the heartbeat LUN, the others by nearest size', () => {
    const luns: StorageTarget['luns'] = [lun(1, 'small', 100 * GiB), lun(2, 'hb', 10 * GiB, 'ha-heartbeat'), lun(3, 'big', 1000 * GiB)];
    const observation = pool([twoSubnetHost('xen1')], [
      sr('Big SR', [attach('xen1')], 990 * GiB),
      sr('Heartbeat', [attach('xen1')], 11 * GiB, true),
      sr('Small SR', [attach('xen1')], 98 * GiB),
    ]);
    const view = sanView(input(target(['10.10.20.20:3260'], luns), observation));
    expect(view.targets[0]!.luns.map((l) => [l.name, l.sr?.name, l.matchedBy])).toEqual([
      ['small', 'Small SR', 'size'],
      ['hb', 'Heartbeat', 'ha-heartbeat'],
      ['big', 'Big SR', 'size'],
    ]);
  });
});

/** A PBD pointing at LUN `scsiId` of the target, with device_config LUNid where given. */
const onLun = (scsiId: string, lunId: number | null = null) => ({
  target: { portals: ['10.10.20.20'], port: 3260, iqn: IQN, scsiId, lunId },
});

describe('which SR sits on which LUN: the strongest evidence first', () => {
  const threeLuns = (scsiIds: [string, string, string] = ['', '', '']): StorageTarget['luns'] => [
    lun(0, 'hb', 10 * GiB, 'ha-heartbeat', scsiIds[0]),
    lun(1, 'vm-a', 500 * GiB, 'vm-storage', scsiIds[1]),
    lun(2, 'vm-b', 510 * GiB, 'vm-storage', scsiIds[2]),
  ];
  const matches = (luns: StorageTarget['luns'], srs: XenStorage[]) =>
    sanView(input(target(['10.10.20.20:3260'], luns), pool([twoSubnetHost('xen1')], srs))).targets[0]!.luns.map((l) => [l.name, l.sr?.name ?? null, l.matchedBy]);

  it('rung 1: the LUN number from the PBD device_config (LUNid) beats sizes that say otherwise', () => {
    // By size, "Store B" (500 GiB) would go to vm-a; its PBD says LUN 2.
    const srs = [sr('Store B', [attach('xen1', onLun('3600a', 2))], 500 * GiB), sr('Store A', [attach('xen1', onLun('3600b', 1))], 510 * GiB)];
    expect(matches(threeLuns(), srs)).toEqual([
      ['hb', null, null],
      ['vm-a', 'Store A', 'lun-id'],
      ['vm-b', 'Store B', 'lun-id'],
    ]);
  });

  it('rung 2: a SCSI id the inventory records, compared without regard to case, beats size and the heartbeat flag', () => {
    const srs = [
      sr('Store B', [attach('xen1', onLun('36001405BBBB'))], 500 * GiB),
      sr('Store A', [attach('xen1', onLun('36001405aaaa'))], 510 * GiB),
      sr('Heartbeat', [attach('xen1', onLun('36001405cccc'))], 10 * GiB, true),
    ];
    expect(matches(threeLuns(['', '36001405AAAA', '36001405bbbb']), srs)).toEqual([
      ['hb', 'Heartbeat', 'ha-heartbeat'],
      ['vm-a', 'Store A', 'scsi-id'],
      ['vm-b', 'Store B', 'scsi-id'],
    ]);
  });

  it('rung 2 takes a comma-separated SCSIid list (SR.sm_config) too', () => {
    const srs = [sr('Store', [attach('xen1', onLun('3600x,36001405dddd'))], 1 * GiB)];
    expect(matches(threeLuns(['', '', '36001405dddd']), srs)).toEqual([
      ['hb', null, null],
      ['vm-a', null, null],
      ['vm-b', 'Store', 'scsi-id'],
    ]);
  });

  it('rung 3: the only LUN of a target takes its SR when nothing says otherwise', () => {
    expect(matches([lun(4, 'only', 1 * GiB)], [sr('Anything', [attach('xen1', onLun('3600e'))], 900 * GiB)])).toEqual([['only', 'Anything', 'only-lun']]);
  });

  it('rungs 4 and 5: the heartbeat flag, then the nearest size, for what the evidence left', () => {
    const srs = [sr('Big', [attach('xen1')], 509 * GiB), sr('HB', [attach('xen1')], 12 * GiB, true), sr('Small', [attach('xen1')], 499 * GiB)];
    expect(matches(threeLuns(), srs)).toEqual([
      ['hb', 'HB', 'ha-heartbeat'],
      ['vm-a', 'Small', 'size'],
      ['vm-b', 'Big', 'size'],
    ]);
  });

  it('never guesses against the evidence: an SR on a LUN the inventory does not list, a LUN whose SCSI id no SR has', () => {
    // LUNid 7 is not in the inventory; SCSIid 3600f is recorded for no LUN while vm-a records another.
    const srs = [sr('On LUN 7', [attach('xen1', onLun('3600a', 7))], 500 * GiB), sr('Other', [attach('xen1', onLun('3600f'))], 500 * GiB)];
    expect(matches(threeLuns(['', '36001405aaaa', '']), srs)).toEqual([
      ['hb', null, null],
      ['vm-a', null, null],
      ['vm-b', 'Other', 'size'],
    ]);
    expect(matches([lun(0, 'only', 1 * GiB, 'vm-storage', '3600b')], [sr('Elsewhere', [attach('xen1', onLun('3600c'))])])).toEqual([['only', null, null]]);
  });
});

describe('portal states: up, answers TCP but refuses discovery, down', () => {
  const portalOf = (t: StorageTarget, probes: PortalProbe[], observation = pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1', { activePaths: 1, totalPaths: 1 })])])) =>
    sanView(input(t, observation, probes)).targets[0]!;

  it('a SAN that wants CHAP for discovery, probed without: refuses discovery, "CHAP required", not down', () => {
    const view = portalOf(target(['10.10.20.20:3260']), [
      refusedDiscovery('10.10.20.20:3260', 'auth-failed', '10.10.20.20:3260: iSCSI login rejected: authentication failed (status 0x0201)', { loginStatus: '0x0201' }),
    ]);
    expect(view.portals[0]).toMatchObject({
      state: 'discovery-failed',
      failure: 'auth-failed',
      problem: 'CHAP required',
      auth: 'none',
      hint: 'the SAN requires CHAP for discovery: set discovery CHAP on this target',
      listsTarget: null,
    });
    // The host logs in with its own credentials: its path is judged from XenAPI, with what the monitor could not check.
    expect(view.paths[0]!.cells[0]).toEqual({
      portal: '10.10.20.20:3260',
      nic: 'eth2 10.10.20.11',
      state: 'up',
      reason: 'portal refuses discovery (CHAP required): judged from XenAPI alone',
    });
  });

  it("a target's own CHAP probe speaks for it: 'CHAP refused' with a wrong secret, mutual CHAP failures named", () => {
    const chap = target(['10.10.20.20:3260'], undefined, { user: 'monitor', targetUser: '' });
    const shared = probe('10.10.20.20:3260', true);
    const own = refusedDiscovery('10.10.20.20:3260', 'auth-failed', '10.10.20.20:3260: iSCSI login rejected: authentication failed (status 0x0201)', {
      targetId: 7,
      auth: 'chap',
      loginStatus: '0x0201',
    });
    const view = portalOf(chap, [shared, own]);
    expect(view.portals[0]).toMatchObject({ state: 'discovery-failed', problem: 'CHAP refused', auth: 'chap', hint: "check this target's CHAP user and secret" });

    const mutual = target(['10.10.20.20:3260'], undefined, { user: 'monitor', targetUser: 'san' });
    const impostor = refusedDiscovery('10.10.20.20:3260', 'auth-failed', "10.10.20.20:3260: mutual CHAP failed: the target's answer to the probe's challenge is wrong", {
      targetId: 7,
      auth: 'mutual-chap',
    });
    expect(portalOf(mutual, [impostor]).portals[0]).toMatchObject({ problem: 'mutual CHAP failed', auth: 'mutual-chap' });
    const acl = refusedDiscovery('10.10.20.20:3260', 'auth-failed', 'not authorized', { loginStatus: '0x0202' });
    expect(portalOf(target(['10.10.20.20:3260']), [acl]).portals[0]!.problem).toBe('initiator not allowed');
  });

  it('a CHAP target without its secret is probed without CHAP and says so', () => {
    const chap = target(['10.10.20.20:3260'], undefined, { user: 'monitor', targetUser: '' });
    const own = refusedDiscovery('10.10.20.20:3260', 'auth-failed', 'authentication failed (status 0x0201)', {
      targetId: 7,
      auth: 'none',
      credentialProblem: 'no CHAP secret is stored for this target',
    });
    expect(portalOf(chap, [own]).portals[0]).toMatchObject({
      problem: 'CHAP required',
      hint: 'the SAN requires CHAP for discovery: set discovery CHAP on this target (no CHAP secret is stored for this target)',
    });
  });

  it('a frozen target (TCP accepted, no iSCSI answer) and a protocol error refuse discovery; refused or unreachable TCP is down', () => {
    const t = target(['10.10.20.20:3260', '10.10.21.20:3260']);
    const view = portalOf(t, [
      refusedDiscovery('10.10.20.20:3260', 'timeout', '10.10.20.20:3260: no answer to the first Login Request within 5 s'),
      { ...probe('10.10.21.20:3260', false, '10.10.21.20:3260: connect EHOSTUNREACH'), failure: 'unreachable', connected: false },
    ]);
    expect(view.portals.map((p) => [p.state, p.problem])).toEqual([
      ['discovery-failed', 'no iSCSI answer'],
      ['down', 'unreachable'],
    ]);
    expect(view.paths[0]!.cells.map((c) => [c.state, c.reason])).toEqual([
      ['up', 'portal refuses discovery (no iSCSI answer): judged from XenAPI alone'],
      ['down', 'portal down: 10.10.21.20:3260: connect EHOSTUNREACH'],
    ]);
    expect(portalOf(target(['10.10.20.20:3260']), [refusedDiscovery('10.10.20.20:3260', 'protocol', 'bad PDU')]).portals[0]!.problem).toBe('protocol error');
  });

  it('reads probes stored before the distinction: failure kinds after a connection still refuse discovery', () => {
    const old: PortalProbe = { portal: '10.10.20.20:3260', ok: false, failure: 'login-rejected', message: 'target not found (status 0x0203)', iqns: [], probedAt: '2026-11-25T10:00:00Z' };
    const down: PortalProbe = { ...old, failure: 'timeout', message: 'no answer' };
    expect(portalOf(target(['10.10.20.20:3260']), [old]).portals[0]).toMatchObject({ state: 'discovery-failed', problem: 'login rejected' });
    expect(portalOf(target(['10.10.20.20:3260']), [down]).portals[0]).toMatchObject({ state: 'down', problem: 'no answer' });
  });

  it('a degraded path on a portal that refuses discovery keeps its XenAPI reason and adds the portal', () => {
    const view = portalOf(
      target(['10.10.20.20:3260', '10.10.21.20:3260']),
      [refusedDiscovery('10.10.20.20:3260', 'login-rejected', 'rejected'), probe('10.10.21.20:3260', true)],
      pool([twoSubnetHost('xen1')], [sr('VM store', [attach('xen1', { activePaths: 1, iscsiSessions: 1 })])]),
    );
    expect(view.paths[0]!.cells[0]!.reason).toBe('1 of 2 reachable paths active; XenAPI does not say which one is down; portal refuses discovery (login rejected)');
    expect(view.paths[0]!.cells[1]!.reason).toBe('1 of 2 reachable paths active; XenAPI does not say which one is down');
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
