/**
 * ha.off and ha.heartbeat-not-redundant on real dumps: the demo pool (four hosts, HA on, heartbeat SR "HA
 * heartbeat" reached by each host over eth3 alone), cowley1.xml (two hosts, HA off) and state4.xml (two
 * hosts, HA off, an iSCSI SR over two portals). HA switched on or off, and second storage addresses, are
 * DERIVED (withPool / withHost).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined, withPool } from './joined-labs';

let demo: PoolObservation;
let state4: PoolObservation;
beforeAll(async () => {
  demo = await poolFrom('demo');
  state4 = await poolFrom('state4.xml');
});

const demoAudit = async (observation: PoolObservation) => audit(await demoSnapshot({ pools: [{ device: 'hp-pool', observation, status: null }] }));
const SR = 'iSCSI virtual disk storage';
/** DERIVED: HA on in state4, its heartbeat on the iSCSI SR. */
const haOn = (pool: PoolObservation) =>
  withPool(pool, (p) => {
    Object.assign(p.pool, { haEnabled: true, haHeartbeatSr: SR });
    p.storage.find((s) => s.name === SR)!.haHeartbeat = true;
  });
/** DERIVED: a second storage address on eth1, and the host's PBD naming the second portal too (as incubus's does). */
const secondNic = (host: string, ip: string) => (pool: PoolObservation) =>
  withPool(withHost(pool, host, (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip, netmask: '255.255.255.0', disallowUnplug: true })), (p) => {
    const target = p.storage.find((s) => s.name === SR)!.attachments.find((a) => a.host === host)!.target!;
    if (!target.portals.includes('10.80.238.198')) target.portals.push('10.80.238.198');
  });

describe('ha.off', () => {
  it('flags HA off in a pool of four (DERIVED: the demo pool with HA off)', async () => {
    const f = findingOf((await demoAudit(withPool(demo, (p) => Object.assign(p.pool, { haEnabled: false, haHeartbeatSr: null })))).findings, 'ha.off:hp-pool');
    expect(f).toMatchObject({ severity: 'warning', devices: ['hp-pool'], ports: [], title: 'HA is off in hp-pool (4 hosts)' });
    expect(f.evidence).toEqual(['hp-pool pool.ha_enabled = false']);
  });

  it('raises nothing for the demo (HA on) nor for cowley1 (HA off, but two hosts have no quorum to give)', async () => {
    expect((await demoAudit(demo)).of('ha.off')).toEqual([]);
    expect(audit(joined({ pool: { name: 'grimsby-pool', observation: await poolFrom('cowley1.xml') } })).of('ha.off')).toEqual([]);
  });
});

describe('ha.heartbeat-not-redundant', () => {
  it('flags the demo: every host reaches the heartbeat SR by eth3 alone', async () => {
    const f = findingOf((await demoAudit(demo)).findings, 'ha.heartbeat-not-redundant:hp-pool');
    expect(f).toMatchObject({
      severity: 'warning',
      devices: ['hp-pool', 'xen1', 'xen2', 'xen3', 'xen4'],
      ports: ['xen1:eth3', 'xen2:eth3', 'xen3:eth3', 'xen4:eth3'],
      title: "hp-pool's HA heartbeat SR HA heartbeat has a single path from xen1, xen2, xen3 and xen4",
    });
    expect(f.evidence).toEqual(['xen1', 'xen2', 'xen3', 'xen4'].map((h) => `${h} PBD of HA heartbeat: one path`));
  });

  it('flags state4 with HA on: both hosts reach the heartbeat over eth0 alone, two portals or not', () => {
    const f = findingOf(audit(joined({ pool: { name: 'hottub', observation: haOn(state4) } })).findings, 'ha.heartbeat-not-redundant:hottub');
    expect(f.devices).toEqual(['hottub', 'incubus', 'inflames']);
    expect(f.evidence).toEqual([`incubus PBD of ${SR}: 2 paths, not independent`, `inflames PBD of ${SR}: one path`]);
  });

  it('raises nothing once every host has two independent paths to the heartbeat (DERIVED second NICs), nor with HA off', () => {
    const redundant = secondNic('inflames', '10.80.238.51')(secondNic('incubus', '10.80.238.50')(haOn(state4)));
    expect(audit(joined({ pool: { name: 'hottub', observation: redundant } })).of('ha.heartbeat-not-redundant')).toEqual([]);
    expect(audit(joined({ pool: { name: 'hottub', observation: state4 } })).of('ha.heartbeat-not-redundant')).toEqual([]);
  });
});
