/**
 * A private network (no PIF on any host: VMs talking among themselves, as a pipeline keeps) is private, not a
 * network missing its uplink. cowley1.xml has one, "New Private Network (host only)", beside a cross-host
 * "New Private Network" with PIFs on both hosts but no NIC or VLAN carrying it, and two host-internal
 * "Guest installer" networks. Cables to procurve are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { hostRedundancy } from '../../../../src-main/domain/graph/redundancy';
import { whatIf } from '../../../../src-main/domain/whatif/whatif';
import { networkHealth } from '../../../../src-main/domain/health/pool';
import { joined } from '../audit/joined-labs';
import { audit, poolFrom, viewFrom } from './lab-fixtures';

let cowley: PoolObservation;
beforeAll(async () => {
  cowley = await poolFrom('cowley1.xml');
});

describe('a private network', () => {
  it('is listed as private on the pool page, not missing on any host', () => {
    const networks = networkHealth(cowley);
    expect(networks.find((n) => n.name === 'New Private Network (host only)')).toMatchObject({ kind: 'private', missingOn: [] });
    expect(networks.filter((n) => n.kind === 'external').every((n) => n.missingOn.length === 0)).toBe(true);
    expect(networks.filter((n) => n.kind === 'internal').map((n) => n.name)).toEqual(['Guest installer network', 'Guest installer network']);
  });

  it('is marked private, with no host and no interface', () => {
    const { graph } = audit(joined({ pool: { name: 'grimsby-pool', observation: cowley } }));
    expect(graph.networks.find((n) => n.name === 'New Private Network (host only)')).toMatchObject({ private: true, internal: false, hosts: [], uses: [] });
    expect(graph.networks.find((n) => n.name === 'New Private Network')).toMatchObject({ private: false, hosts: ['chester', 'grimsby'], uses: [] });
    expect(graph.networks.filter((n) => n.internal).every((n) => !n.private)).toBe(true);
  });

  it("is no role a host's redundancy counts, and nothing an audit or a what-if says is lost", () => {
    const a = audit(joined({ pool: { name: 'grimsby-pool', observation: cowley }, views: { procurve: viewFrom('procurve') }, cables: [['chester:eth0', 'procurve:31'], ['chester:eth2', 'procurve:5']] }));
    const roles = hostRedundancy(a.graph).flatMap((h) => h.roles.map((r) => r.name));
    expect(roles).not.toContain('New Private Network (host only)');
    expect(roles).not.toContain('New Private Network');
    expect(roles).not.toContain('Guest installer network');
    expect(a.findings.filter((f) => f.title.includes('Private'))).toEqual([]);
    const lost = whatIf(a.graph, ['procurve']).lost;
    // chester's management and its iSCSI path (both on eth0); VLAN 2 on eth2 has no carrier, so it had nothing to lose.
    expect(lost.map((l) => `${l.what} ${l.host} ${l.name ?? ''}`.trim())).toEqual(['sr chester iSCSI virtual disk storage', 'management chester']);
  });
});
