/**
 * multipath.disabled, multipath.paths-down, multipath.same-subnet and multipath.storage-on-bond on real
 * dumps: state4.xml (incubus multipathing on, its PBD mpath [2, 2] with 2 iSCSI sessions over two portals;
 * inflames multipathing off, 1 session), the demo pool (xen4 off, the rest on), TampaTwoHostPoolSelectioniSCSI
 * (every host off) and cowley1.xml (its lvmoiscsi SR reached by eth0, bond0 with no address). The second
 * addresses, the path counts and the address on the bond are DERIVED (with* copies).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined, withPool } from './joined-labs';

let state4: PoolObservation;
let cowley: PoolObservation;
let tampa: PoolObservation;
beforeAll(async () => {
  state4 = await poolFrom('state4.xml');
  cowley = await poolFrom('cowley1.xml');
  tampa = await poolFrom('TampaTwoHostPoolSelectioniSCSI.xml');
});

const SR = 'iSCSI virtual disk storage';
const hottub = (observation: PoolObservation) => audit(joined({ pool: { name: 'hottub', observation } }));
const address = (device: string, ip: string, netmask = '255.255.255.0') => (h: PoolObservation['hosts'][number]) =>
  Object.assign(h.nics.find((n) => n.device === device)!, { ipMode: 'Static', ip, netmask, disallowUnplug: true });

describe('multipath.disabled', () => {
  it('flags state4 inflames: off while incubus has it on (a warning: one interface only)', () => {
    const f = findingOf(hottub(state4).findings, 'multipath.disabled:inflames');
    expect(f).toMatchObject({ severity: 'warning', devices: ['inflames'], ports: ['inflames:eth0'], title: 'multipathing is off on inflames, on in the rest of hottub (incubus)' });
    expect(f.evidence).toEqual(['inflames: multipathing = false, multipathhandle = dmp', 'incubus: multipathing = true']);
  });

  it('flags it as an error once inflames reaches the SR over two NICs (DERIVED address on eth1)', () => {
    // DERIVED too: inflames's PBD names the second portal, as incubus's does.
    const second = withPool(withHost(state4, 'inflames', address('eth1', '10.80.238.51')), (p) =>
      p.storage.find((s) => s.name === SR)!.attachments.find((a) => a.host === 'inflames')!.target!.portals.push('10.80.238.198'),
    );
    const f = findingOf(hottub(second).findings, 'multipath.disabled:inflames');
    expect(f.severity).toBe('error');
    expect(f.title).toBe(`multipathing is off on inflames, which reaches ${SR} over eth0 and eth1`);
    expect(f.evidence).toContain(`${SR}: path eth1 → 10.80.238.198:3260`);
  });

  it('flags the demo xen4, off in a pool that has it on', async () => {
    expect(audit(await demoSnapshot()).of('multipath.disabled').map((f) => f.id)).toEqual(['multipath.disabled:xen4']);
  });

  it('raises nothing for incubus (on), nor for a pool where every host is off and has one storage interface (Tampa)', () => {
    expect(hottub(state4).ids).not.toContain('multipath.disabled:incubus');
    expect(audit(joined({ pool: { name: 'tampa', observation: tampa } })).of('multipath.disabled')).toEqual([]);
  });
});

describe('multipath.paths-down', () => {
  it("raises nothing for state4 incubus's [2, 2] with 2 sessions", () => {
    expect(hottub(state4).of('multipath.paths-down')).toEqual([]);
  });

  it('flags 1 of 2 paths active (DERIVED)', () => {
    const down = withPool(state4, (p) => (p.storage.find((s) => s.name === SR)!.attachments.find((a) => a.host === 'incubus')!.activePaths = 1));
    const f = findingOf(hottub(down).findings, `multipath.paths-down:incubus:${SR}`);
    expect(f).toMatchObject({ severity: 'error', devices: ['incubus'], ports: ['incubus:eth0'], title: `incubus: 1 of 2 paths to ${SR} active` });
    expect(f.evidence).toEqual([`incubus PBD of ${SR}: mpath [1, 2], iscsi_sessions 2`]);
  });

  it('flags fewer known paths than iSCSI sessions, XenCenter\'s other red mark (DERIVED [1, 1] for 2 sessions)', () => {
    const fewer = withPool(state4, (p) => Object.assign(p.storage.find((s) => s.name === SR)!.attachments.find((a) => a.host === 'incubus')!, { activePaths: 1, totalPaths: 1 }));
    const f = findingOf(hottub(fewer).findings, `multipath.paths-down:incubus:${SR}`);
    expect(f.title).toBe(`incubus: 1 path to ${SR} for 2 iSCSI sessions`);
  });

  it('says nothing of a PBD that is not multipathed (inflames: no mpath count)', () => {
    expect(hottub(state4).ids).not.toContain(`multipath.paths-down:inflames:${SR}`);
  });
});

describe('multipath.same-subnet', () => {
  it('flags two storage addresses of one host on one subnet (DERIVED: chester eth1 and eth2 on 10.80.224.0/20)', () => {
    const same = withHost(cowley, 'chester', (h) => {
      address('eth1', '10.80.230.1', '255.255.240.0')(h);
      address('eth2', '10.80.230.2', '255.255.240.0')(h);
    });
    const f = findingOf(audit(joined({ pool: { name: 'grimsby-pool', observation: same } })).findings, 'multipath.same-subnet:chester:10.80.224.0/20');
    expect(f).toMatchObject({ severity: 'warning', devices: ['chester'], ports: ['chester:eth1', 'chester:eth2'], title: 'chester has eth1 and eth2 on one subnet (10.80.224.0/20)' });
    expect(f.evidence).toEqual(['chester eth1: 10.80.230.1/255.255.240.0', 'chester eth2: 10.80.230.2/255.255.240.0']);
  });

  it('raises nothing for storage addresses on two subnets, nor for one beside the management address on its subnet', () => {
    const apart = withHost(cowley, 'chester', (h) => {
      address('eth1', '10.90.1.1')(h);
      address('eth2', '10.90.2.1')(h);
    });
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: apart } })).of('multipath.same-subnet')).toEqual([]);
    const besideManagement = withHost(cowley, 'chester', address('eth1', '10.80.230.1', '255.255.240.0'));
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: besideManagement } })).of('multipath.same-subnet')).toEqual([]);
  });
});

describe('multipath.storage-on-bond', () => {
  it("flags iSCSI leaving by a bond (DERIVED: an address on cowley1's bond0, on the portal's subnet)", () => {
    const onBond = withHost(cowley, 'chester', address('bond0', '10.80.224.50', '255.255.240.0'));
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: onBond } }));
    const f = findingOf(a.findings, 'multipath.storage-on-bond:chester:bond0');
    expect(f).toMatchObject({ severity: 'info', devices: ['chester'], ports: ['chester:eth3', 'chester:eth4'], title: 'chester sends iSCSI over bond0 (bond0), a bond' });
    expect(f.evidence).toEqual(['chester PIF bond0: 10.80.224.50, on bond bond0 (balance-slb)']);
  });

  it("raises nothing for cowley1 as dumped: its iSCSI SR is reached by eth0, a plain NIC", () => {
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: cowley } }));
    expect(a.graph.paths.filter((p) => p.host === 'chester').map((p) => p.interface)).toEqual(['eth0']);
    expect(a.of('multipath.storage-on-bond')).toEqual([]);
  });
});
