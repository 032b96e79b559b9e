/**
 * spof.storage-single-path on real dumps: the demo pool (every host one storage NIC, eth3, to one portal),
 * state4.xml (incubus multipathed [2, 2] to two portals, both sessions leaving by eth0, the only NIC with an
 * address) and boston-db.xml (one iSCSI session per host). The second storage address and the storage
 * manager's path counts where changed are DERIVED (with* copies).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, demoSnapshot, poolFrom, withHost } from '../graph/lab-fixtures';
import { findingOf, joined, withPool } from './joined-labs';

let state4: PoolObservation;
let boston: PoolObservation;
beforeAll(async () => {
  state4 = await poolFrom('state4.xml');
  boston = await poolFrom('boston-db.xml');
});

const SR = 'iSCSI virtual disk storage';

describe('spof.storage-single-path', () => {
  it('flags every demo host: one NIC (eth3) to one portal, for both SRs', async () => {
    const a = audit(await demoSnapshot());
    const f = findingOf(a.findings, 'spof.storage-single-path:xen1:VM store');
    expect(f).toMatchObject({ severity: 'warning', devices: ['xen1'], ports: ['xen1:eth3'], title: 'xen1 reaches VM store by one path (eth3 → 10.10.20.20:3260)' });
    expect(f.evidence).toEqual(['xen1 PBD of VM store: mpath [1, 1], iscsi_sessions 1', 'path eth3 10.10.20.11 → 10.10.20.20:3260']);
    expect(a.of('spof.storage-single-path')).toHaveLength(8);
  });

  it('flags state4 incubus although the storage manager counts [2, 2]: both paths leave by eth0', () => {
    const a = audit(joined({ pool: { name: 'hottub', observation: state4 } }));
    const f = findingOf(a.findings, `spof.storage-single-path:incubus:${SR}`);
    expect(f.title).toBe(`incubus reaches ${SR} by paths that share a NIC or portal (eth0 → 10.80.237.36:3260)`);
    expect(f.evidence).toEqual([
      `incubus PBD of ${SR}: mpath [2, 2], iscsi_sessions 2`,
      'path eth0 10.80.226.111 → 10.80.237.36:3260',
      'path eth0 10.80.226.111 → 10.80.238.198:3260',
    ]);
    expect(a.of('multipath.paths-down')).toEqual([]);
  });

  it('raises nothing once incubus has a second NIC on the second portal\'s subnet (DERIVED address on eth1)', () => {
    const derived = withHost(state4, 'incubus', (h) => Object.assign(h.nics.find((n) => n.device === 'eth1')!, { ipMode: 'Static', ip: '10.80.238.50', netmask: '255.255.255.0', disallowUnplug: true }));
    const a = audit(joined({ pool: { name: 'hottub', observation: derived } }));
    expect(a.ids).not.toContain(`spof.storage-single-path:incubus:${SR}`);
    expect(a.ids).toContain(`spof.storage-single-path:inflames:${SR}`);
  });

  it('falls back on the storage manager\'s count where no path can be worked out from addresses (DERIVED: routed storage)', () => {
    // The management address moved off the portal's subnet: the SR is reached through a router.
    const routed = withHost(boston, 'incubus', (h) => Object.assign(h.nics.find((n) => n.device === 'eth0')!, { ip: '192.168.7.11', netmask: '255.255.255.0' }));
    const a = audit(joined({ pool: { name: 'boston', observation: routed } }));
    expect(a.graph.paths.filter((p) => p.host === 'incubus')).toEqual([]);
    const f = findingOf(a.findings, `spof.storage-single-path:incubus:${SR}`);
    expect(f).toMatchObject({ ports: [], title: `incubus reaches ${SR} by one path` });
    expect(f.explanation).toContain('no second path can be seen');
    expect(f.evidence).toEqual([`incubus PBD of ${SR}: no mpath count, iscsi_sessions 1`]);

    const counted = withPool(routed, (p) => Object.assign(p.storage.find((s) => s.name === SR)!.attachments.find((x) => x.host === 'incubus')!, { multipathed: true, activePaths: 2, totalPaths: 2, iscsiSessions: 2 }));
    expect(audit(joined({ pool: { name: 'boston', observation: counted } })).ids).not.toContain(`spof.storage-single-path:incubus:${SR}`);
  });

  it('leaves local and ISO SRs alone', () => {
    const a = audit(joined({ pool: { name: 'boston', observation: boston } }));
    expect(a.of('spof.storage-single-path').map((f) => f.id)).toEqual([`spof.storage-single-path:incubus:${SR}`, `spof.storage-single-path:inflames:${SR}`]);
  });
});
