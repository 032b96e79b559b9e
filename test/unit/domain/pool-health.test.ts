import { describe, it, expect } from 'vitest';
import { bondHealth } from '../../../src-main/domain/health/bonds';
import { pathHealth, parsePathCounts } from '../../../src-main/domain/health/multipath';
import type { HostBond, HostNic, SrAttachment, XenHost, XenStorage } from '../../../src-main/domain/model/pools';

const nic = (device: string, carrier: boolean | null, bond: string | null = 'bond0'): HostNic => ({
  uuid: device, device, mac: '', physical: true, carrier, speedMbps: null, duplex: null, vendor: '', model: '',
  pciBusPath: '', mtu: 1500, management: false, ipMode: 'None', ip: '', netmask: '', gateway: '',
  disallowUnplug: false, attached: false, network: '', bond, purpose: '',
});
const bond = (members: string[], linksUp: number | null): HostBond => ({
  uuid: 'b', device: 'bond0', mode: 'active-backup', members, primaryMember: members[0] ?? null, linksUp, properties: {},
});

describe('a host bond is judged by its members, not by the bond interface', () => {
  it('is ok with every member up, even though members report "not attached"', () => {
    expect(bondHealth(bond(['eth0', 'eth1'], 2), [nic('eth0', true), nic('eth1', true)])).toMatchObject({ state: 'ok', text: '2 of 2 links up' });
  });
  it('is degraded when one member loses carrier, and names it', () => {
    const h = bondHealth(bond(['eth0', 'eth1'], 2), [nic('eth0', true), nic('eth1', false)]);
    expect(h).toMatchObject({ state: 'degraded', membersUp: 1, down: ['eth1'], text: '1 of 2 links up: eth1 down' });
  });
  it("trusts the host's links_up when it counts fewer than the carriers say", () => {
    expect(bondHealth(bond(['eth0', 'eth1'], 1), [nic('eth0', true), nic('eth1', true)]).state).toBe('degraded');
  });
  it('falls back to links_up where members have no metrics, and says unknown with neither', () => {
    expect(bondHealth(bond(['eth0', 'eth1'], 1), [nic('eth0', null), nic('eth1', null)]).state).toBe('degraded');
    expect(bondHealth(bond(['eth0', 'eth1'], null), [nic('eth0', null), nic('eth1', null)]).state).toBe('unknown');
  });
  it('is down with no member up, and a one-NIC bond is never whole', () => {
    expect(bondHealth(bond(['eth0', 'eth1'], 0), [nic('eth0', false), nic('eth1', false)]).state).toBe('down');
    expect(bondHealth(bond(['eth0'], 1), [nic('eth0', true)])).toMatchObject({ state: 'degraded', text: '1 of 1 links up: a bond of one NIC has no second path' });
  });
});

const sr = (multipathCapable = true): XenStorage => ({
  uuid: 's', name: 'VM store', type: 'lvmoiscsi', shared: true, multipathCapable, sizeBytes: null, haHeartbeat: false, attachments: [],
});
const at = (fields: Partial<SrAttachment>): SrAttachment => ({
  host: 'xen1', attached: true, multipathed: true, activePaths: 2, totalPaths: 2, iscsiSessions: 2, target: null, ...fields,
});
const host = { multipathing: true } as XenHost;

describe("multipath paths follow XenCenter's text and red rule", () => {
  it('parses SM\'s "[a, t]", including Python 2 longs, and rejects anything else', () => {
    expect(parsePathCounts('[2, 4]')).toEqual({ active: 2, total: 4 });
    expect(parsePathCounts('[1L, 2L]')).toEqual({ active: 1, total: 2 });
    expect(parsePathCounts('[2,2]')).toEqual({ active: 2, total: 2 });
    for (const bad of ['', '[2]', '2, 2', '[a, b]', '[1, 2, 3]', '[9999999, 1]']) expect(parsePathCounts(bad)).toBeNull();
  });
  it('is ok at 2 of 2 with 2 sessions', () => {
    expect(pathHealth(sr(), at({}), host)).toEqual({ state: 'ok', text: '2 of 2 paths active (2 iSCSI sessions)', red: false });
  });
  it('is red when fewer paths are active than exist', () => {
    expect(pathHealth(sr(), at({ activePaths: 1 }), host)).toMatchObject({ state: 'degraded', red: true, text: '1 of 2 paths active (2 iSCSI sessions)' });
  });
  it('is red when fewer paths exist than iSCSI sessions', () => {
    expect(pathHealth(sr(), at({ activePaths: 1, totalPaths: 1, iscsiSessions: 2 }), host).red).toBe(true);
  });
  it('calls a single healthy path a single point of failure, without XenCenter\'s red', () => {
    expect(pathHealth(sr(), at({ activePaths: 1, totalPaths: 1, iscsiSessions: 1 }), host)).toMatchObject({ state: 'single-path', red: false, text: '1 of 1 path active (1 iSCSI session)' });
  });
  it('says why there are no paths: multipathing off on the host, or detached', () => {
    const off = { multipathing: false } as XenHost;
    expect(pathHealth(sr(), at({ multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 }), off)).toMatchObject({
      state: 'not-multipathed', text: 'multipathing is off on this host (1 iSCSI session)', red: true,
    });
    expect(pathHealth(sr(), at({ attached: false }), host)).toMatchObject({ state: 'detached', red: true });
    expect(pathHealth(sr(false), at({}), host)).toMatchObject({ state: 'not-applicable', red: false });
  });
});
