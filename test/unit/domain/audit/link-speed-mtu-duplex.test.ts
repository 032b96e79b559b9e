/**
 * link.speed-mismatch, link.mtu-mismatch and link.duplex-mismatch on live links only: both ends reported and
 * up. Real ends: TampaTwoHostPoolSelectioniSCSI.xml's NICs (dt16 eth0 1000 Mb/s full, MTU 1500; dt23 eth1
 * without carrier), procurve's ports (3: 100 Mb/s up, 31: 1000 up, 1: down; ifMtu 1526, a switch counting
 * the header) and arubaos-cx (1/1/4: 10 Gb/s, ifMtu 9198). The cables, and the jumbo MTU and half duplex
 * where set, are DERIVED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolObservation } from '../../../../src-main/domain/model/pools';
import { audit, poolFrom, viewFrom, withHost, withPort } from '../graph/lab-fixtures';
import { findingOf, joined } from './joined-labs';

let tampa: PoolObservation;
beforeAll(async () => {
  tampa = await poolFrom('TampaTwoHostPoolSelectioniSCSI.xml');
});

const lab = (cables: string[][], observation = tampa, procurve = viewFrom('procurve')) =>
  audit(joined({ pool: { name: 'tampa', observation }, views: { procurve, aruba: viewFrom('arubaos-cx') }, cables }));
const linkRules = (a: ReturnType<typeof audit>) => a.findings.filter((f) => f.rule.startsWith('link.') && f.rule !== 'link.conflict').map((f) => f.id);

describe('link.speed-mismatch (DERIVED cables)', () => {
  it('flags dt16 eth0 at 1000 Mb/s on procurve port 3 at 100 Mb/s', () => {
    const f = findingOf(lab([['dt16:eth0', 'procurve:3']]).findings, 'link.speed-mismatch:dt16:eth0');
    expect(f).toMatchObject({ severity: 'warning', devices: ['dt16', 'procurve'], ports: ['dt16:eth0', 'procurve:3'], title: 'dt16:eth0 runs at 1000 Mb/s, procurve:3 at 100 Mb/s' });
    expect(f.evidence).toEqual(['dt16:eth0 speed 1000 Mb/s', 'procurve:3 speed 100 Mb/s', 'link cable']);
  });

  it('raises nothing on procurve port 31 (1000 Mb/s full, MTU 1526 ≥ the host 1500)', () => {
    expect(linkRules(lab([['dt16:eth0', 'procurve:31']]))).toEqual([]);
  });

  it('says nothing about a link with an end down: dt23 eth1 has no carrier, procurve port 1 no link', () => {
    const jumbo = withHost(tampa, 'dt16', (h) => (h.nics.find((n) => n.device === 'eth0')!.mtu = 9000));
    expect(linkRules(lab([['dt23:eth1', 'procurve:3'], ['dt16:eth0', 'procurve:1']], jumbo))).toEqual([]);
  });
});

describe('link.mtu-mismatch', () => {
  it('flags two switches whose MTUs differ by more than a header (procurve 31 at 1526, arubaos-cx 1/1/4 at 9198; DERIVED cable)', () => {
    const f = findingOf(lab([['procurve:31', 'aruba:1/1/4']]).findings, 'link.mtu-mismatch:procurve:31');
    expect(f).toMatchObject({ severity: 'error', devices: ['procurve', 'aruba'], ports: ['procurve:31', 'aruba:1/1/4'], title: 'MTU 9198 on aruba:1/1/4 but 1526 on procurve:31' });
    expect(f.evidence).toEqual(['procurve:31 MTU 1526 (ifMtu)', 'aruba:1/1/4 MTU 9198 (ifMtu)', 'link cable']);
  });

  it('flags a host MTU above the switch port\'s (DERIVED: dt16 eth0 at 9000 on procurve port 31)', () => {
    const jumbo = withHost(tampa, 'dt16', (h) => (h.nics.find((n) => n.device === 'eth0')!.mtu = 9000));
    const f = findingOf(lab([['dt16:eth0', 'procurve:31']], jumbo).findings, 'link.mtu-mismatch:dt16:eth0');
    expect(f.title).toBe('MTU 9000 on dt16:eth0 but 1526 on procurve:31');
    expect(f.evidence).toEqual(['dt16:eth0 MTU 9000 (PIF.MTU)', 'procurve:31 MTU 1526 (ifMtu)', 'link cable']);
  });

  it('raises nothing for a host MTU below the switch port\'s (1500 on 9198)', () => {
    expect(lab([['dt16:eth0', 'aruba:1/1/4']]).of('link.mtu-mismatch')).toEqual([]);
  });
});

describe('link.duplex-mismatch', () => {
  it('flags half duplex at one end (DERIVED: procurve port 31 forced half) as an error, both ends half as a warning', () => {
    const half = withPort(viewFrom('procurve'), '31', (p) => (p.duplex = 'half'));
    const f = findingOf(lab([['dt16:eth0', 'procurve:31']], tampa, half).findings, 'link.duplex-mismatch:dt16:eth0');
    expect(f).toMatchObject({ severity: 'error', ports: ['dt16:eth0', 'procurve:31'], title: 'duplex mismatch: procurve:31 is half duplex, dt16:eth0 full' });
    expect(f.evidence).toEqual(['dt16:eth0 duplex full', 'procurve:31 duplex half', 'link cable']);

    const bothHalf = withHost(tampa, 'dt16', (h) => (h.nics.find((n) => n.device === 'eth0')!.duplex = 'half'));
    expect(findingOf(lab([['dt16:eth0', 'procurve:31']], bothHalf, half).findings, 'link.duplex-mismatch:dt16:eth0')).toMatchObject({ severity: 'warning', title: 'dt16:eth0 ↔ procurve:31 runs half duplex' });
  });

  it('raises nothing for full duplex at both ends, nor when an end does not say (arubaos-cx reports no duplex)', () => {
    expect(lab([['dt16:eth0', 'procurve:31'], ['dt23:eth0', 'aruba:1/1/4']]).of('link.duplex-mismatch')).toEqual([]);
  });
});
