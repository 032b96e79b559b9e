/**
 * Seeded fuzz: real walks (every recording in test/fixtures/snmp/) mutated at random — values of the wrong
 * type, buffers truncated or swollen, indexes made garbage, varbinds dropped, duplicated or moved to
 * another root — must decode without throwing, without a decoder failing inside its guard, within a
 * bounded time, and into a well-formed observation. The same seed gives the same cases (helpers/prng).
 */
import { describe, expect, it } from 'vitest';
import { DECODER_FAILED, decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import type { SwitchObservation } from '../../../../src-main/domain/model/switches';
import type { Varbind, Walk } from '../../../../src-main/drivers/snmp/varbinds';
import * as O from '../../../../src-main/drivers/snmp/oids';
import { prng, type Prng } from '../../helpers/prng';
import { loadWalk } from './snmprec';

const RECORDINGS = [
  'arubaos-cx', 'dlink_dgs-1510-28', 'dlink_dgs-3627g', 'dsm', 'edgeswitch_us-8-v2', 'handmade-lacp-lag',
  'linux_lsi', 'netgear_3', 'procurve', 'tplink_sg2008',
  // The vendor tables (HP trunks, PAgP, CDP, FDP) and a stack exist only in these hand-made walks.
  'handmade-hp-stack-trunks', 'handmade-cisco-etherchannel', 'handmade-icx-fdp',
];
const CAPABILITIES = new Set(['other', 'repeater', 'bridge', 'wlan-access-point', 'router', 'telephone', 'docsis-cable-device', 'station', 'c-vlan', 's-vlan', 'tpmr']);
const MAC_OR_EMPTY = /^$|^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
/** Per decode, on a loaded two-core machine; an unbounded loop or a quadratic blow-up would exceed it. */
const MAX_MS = 1500;

function randomValue(r: Prng, old: Varbind['value']): Varbind['value'] {
  switch (r.int(0, 13)) {
    case 0: return null;
    case 1: return r.int(-2147483648, 2147483647);
    case 2: return r.pick([Number.NaN, Infinity, -Infinity, 2 ** 64, -0, 0.5, Number.MAX_SAFE_INTEGER + 2]);
    case 3: return BigInt(r.int(0, 2 ** 31)) * BigInt(r.int(0, 2 ** 31)) * (r.chance(0.2) ? -1n : 1n);
    case 4: return r.pick(['', '1.3.6', '.1.3.6.1.4.1.9', 'not an oid', '10.0.0.1', '999.1.1.1', 'x'.repeat(r.int(0, 5000))]);
    case 5: return Buffer.alloc(r.int(0, 20), r.int(0, 255));
    case 6: return Buffer.from(Array.from({ length: r.int(0, 64) }, () => r.int(0, 255)));
    case 7: return Buffer.isBuffer(old) ? old.subarray(0, r.int(0, old.length)) : Buffer.alloc(0);
    case 8: return Buffer.isBuffer(old) ? Buffer.concat([old, Buffer.alloc(r.int(1, 3000), 0xff)]) : Buffer.alloc(9, 0xff);
    case 9: return r.chance(0.05) ? Buffer.alloc(200_000, 0xff) : Buffer.from('\n00 00 00 ');
    case 10: return Buffer.from([0xc3, 0x28, 0xff, 0x00, 0xe2]);
    case 11: return typeof old === 'number' ? -old : 0;
    case 12: return Buffer.from('Bonding Mode: IEEE 802.3ad\nSlave Interface: ' + 'e'.repeat(r.int(0, 100)) + '\n'.repeat(r.int(0, 3)));
    default: return old;
  }
}

function randomOid(r: Prng, oid: string, root: string): string {
  switch (r.int(0, 9)) {
    case 0: return root;
    case 1: return `${oid}.${r.int(0, 4294967295)}`;
    case 2: return `${root}.99999999999`;
    case 3: return `${root}.-1`;
    case 4: return `${root}.x.1`;
    case 5: return `${oid}..1`;
    case 6: return `${root}.${Array.from({ length: r.int(100, 400) }, () => r.int(0, 9)).join('.')}`;
    case 7: return oid.slice(0, r.int(0, oid.length));
    case 8: return `${root}.0.0.0`;
    default: return `${root}.${r.int(0, 3)}.${r.int(0, 70000)}`;
  }
}

function mutate(walk: Walk, r: Prng): Walk {
  const roots = [...walk.keys(), ...O.WALK_ROOTS.slice(0, 3)];
  const out = new Map<string, Varbind[]>();
  const rate = r.pick([0.01, 0.05, 0.2, 0.6]);
  for (const [root, list] of walk) {
    const next: Varbind[] = [];
    for (const vb of list) {
      if (typeof vb.oid !== 'string' || !r.chance(rate)) {
        next.push(vb);
        continue;
      }
      switch (r.int(0, 6)) {
        case 0: break; // dropped
        case 1: next.push(vb, vb); break; // duplicated
        case 2: next.push({ ...vb, type: r.pick([2, 4, 5, 6, 64, 65, 66, 67, 68, 70, 99]) , value: randomValue(r, vb.value) }); break;
        case 3: next.push({ ...vb, oid: randomOid(r, vb.oid, root) }); break;
        case 4: {
          const other = r.pick(roots);
          out.set(other, [...(out.get(other) ?? []), { ...vb, oid: `${other}.${vb.oid.split('.').slice(-r.int(1, 4)).join('.')}` }]);
          break;
        }
        case 5: next.push({ oid: 42, type: 'x', value: {} } as unknown as Varbind); break;
        default: next.push({ ...vb, value: randomValue(r, vb.value) });
      }
    }
    if (r.chance(0.05)) next.reverse();
    out.set(root, [...(out.get(root) ?? []), ...next]);
  }
  return out;
}

function assertWellFormed(obs: SwitchObservation): void {
  expect(obs.gaps.filter((g) => g.includes(DECODER_FAILED))).toEqual([]);
  expect(obs.gaps.length).toBeLessThanOrEqual(201);
  for (const p of obs.ports) {
    expect(Number.isInteger(p.ifIndex) && p.ifIndex > 0).toBe(true);
    expect(typeof p.name).toBe('string');
    expect(p.speedMbps === null || Number.isFinite(p.speedMbps)).toBe(true);
    expect(p.inOctets === null || (typeof p.inOctets === 'bigint' && p.inOctets >= 0n)).toBe(true);
    for (const v of [...p.taggedVlans, ...p.untaggedVlans]) expect(v >= 1 && v <= 4094).toBe(true);
  }
  for (const lag of obs.lags) {
    expect(lag.memberIfIndexes.length).toBeGreaterThan(0);
    expect(lag.sources.length).toBeGreaterThan(0);
    expect([null, 'lacp', 'static', 'pagp']).toContain(lag.protocol);
    expect(lag.actorSystem).toMatch(MAC_OR_EMPTY);
    expect(lag.partnerSystem).toMatch(MAC_OR_EMPTY);
    for (const m of lag.members) for (const k of [m.actorKey, m.partnerKey, m.partnerPort]) expect(k === null || (Number.isInteger(k) && k >= 0 && k <= 65535)).toBe(true);
  }
  for (const e of obs.fdb) expect(e.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  for (const n of obs.neighbors) {
    expect(n.localIfIndex).toBeGreaterThan(0);
    for (const c of n.remoteCapabilities) expect(CAPABILITIES.has(c)).toBe(true);
    expect(n.remoteManagementAddress === '' || /^[0-9.]+$|:/.test(n.remoteManagementAddress)).toBe(true);
    expect(['lldp', 'lldp-v2', 'cdp', 'fdp']).toContain(n.source);
  }
  const members = new Set(obs.stackMembers.map((m) => m.index));
  for (const p of obs.ports) {
    expect(p.stackMember === null || members.has(p.stackMember)).toBe(true);
    expect(p.lldpPortId === undefined || typeof p.lldpPortId === 'string').toBe(true);
  }
  expect(obs.bridgeAddress).toMatch(MAC_OR_EMPTY);
  expect(typeof obs.localChassisId).toBe('string');
  expect(typeof obs.system.name).toBe('string');
}

describe('decodeObservation on mutated real walks', () => {
  it.each(RECORDINGS)('%s: 12 seeded mutations each return a well-formed observation in bounded time', (name) => {
    const walk = loadWalk(name);
    const seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    const r = prng(seed);
    for (let i = 0; i < 12; i++) {
      const mutated = mutate(walk, r);
      const t0 = performance.now();
      const obs = decodeObservation(mutated, 'now');
      expect(performance.now() - t0).toBeLessThan(MAX_MS);
      assertWellFormed(obs);
    }
  });

  it('the small hand-made walk survives 300 heavier mutations', () => {
    const walk = loadWalk('handmade-lacp-lag');
    const r = prng(20260101);
    for (let i = 0; i < 300; i++) assertWellFormed(decodeObservation(mutate(mutate(walk, r), r), 'now'));
  });

  it.each(['handmade-hp-stack-trunks', 'handmade-cisco-etherchannel', 'handmade-icx-fdp'])('%s (vendor LAG and neighbour tables, ENTITY stack) survives 150 heavier mutations', (name) => {
    const walk = loadWalk(name);
    const r = prng([...name].reduce((h, c) => (h * 33 + c.charCodeAt(0)) >>> 0, 11));
    for (let i = 0; i < 150; i++) assertWellFormed(decodeObservation(mutate(mutate(walk, r), r), 'now'));
  });
});

describe('bounds', () => {
  it('a column of 250,000 rows is cut at the bound and noted, in bounded time', () => {
    const rows: Varbind[] = Array.from({ length: 250_000 }, (_, i) => ({ oid: `${O.ifDescr}.${i + 1}`, type: 4, value: Buffer.from('p') }));
    const t0 = performance.now();
    const obs = decodeObservation(new Map([[O.ifDescr, rows]]), 'now');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(obs.ports).toHaveLength(100_000);
    expect(obs.gaps).toEqual(['ifDescr: more than 100000 rows; the rest were not read']);
  });

  it('what could grow quadratically does not: 60,000 like-named ports with LLDP rows, one LAG over 60,000 ports', () => {
    const n = 60_000;
    const rows = (root: string, make: (i: number) => Varbind) => [root, Array.from({ length: n }, (_, i) => make(i + 1))] as const;
    const walk: Walk = new Map<string, readonly Varbind[]>([
      rows(O.ifDescr, (i) => ({ oid: `${O.ifDescr}.${i}`, type: 4, value: Buffer.from('same') })),
      rows(O.ifType, (i) => ({ oid: `${O.ifType}.${i}`, type: 2, value: i === 1 ? 161 : 6 })),
      rows(O.ifStackStatus, (i) => ({ oid: `${O.ifStackStatus}.1.${i + 1}`, type: 2, value: 1 })),
      rows(O.lldpLocPortTable, (i) => ({ oid: `${O.lldpLocPortId}.${i}`, type: 4, value: Buffer.from('same') })),
      rows(O.lldpRemTable, (i) => ({ oid: `${O.lldpRemSysName}.0.${i}.1`, type: 4, value: Buffer.from(`n${i}`) })),
    ]);
    const t0 = performance.now();
    const obs = decodeObservation(walk, 'now');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(obs.lags[0]!.memberIfIndexes).toHaveLength(n - 1);
    expect(obs.neighbors).toHaveLength(n);
  });

  it('the new tables stay linear: 50,000 ports under one long containment chain, 50,000 CDP rows, 50,000 LLDP management addresses', () => {
    const n = 50_000;
    const E = '1.3.6.1.2.1.47.1.1.1.1';
    const rows = (root: string, make: (i: number) => Varbind) => [root, Array.from({ length: n }, (_, i) => make(i + 1))] as const;
    const walk: Walk = new Map<string, readonly Varbind[]>([
      rows(O.ifDescr, (i) => ({ oid: `${O.ifDescr}.${i}`, type: 4, value: Buffer.from(`p${i}`) })),
      // Entity i (≥ 2) sits in entity i − 1; 1 is the only chassis: every port's walk up is cut at the depth bound.
      rows(O.entPhysicalClass, (i) => ({ oid: `${E}.5.${i}`, type: 2, value: i === 1 ? 3 : 10 })),
      rows(O.entPhysicalContainedIn, (i) => ({ oid: `${E}.4.${i}`, type: 2, value: i - 1 })),
      rows(O.entAliasMappingIdentifier, (i) => ({ oid: `${O.entAliasMappingIdentifier}.${i}.0`, type: 6, value: `1.3.6.1.2.1.2.2.1.1.${i}` })),
      rows(O.cdpCacheTable, (i) => ({ oid: `${O.cdpCacheEntry}.6.${i}.1`, type: 4, value: Buffer.from(`dev${i}`) })),
      rows(O.lldpRemTable, (i) => ({ oid: `${O.lldpRemSysName}.0.${i}.1`, type: 4, value: Buffer.from(`n${i}`) })),
      rows(O.lldpRemManAddrTable, (i) => ({ oid: `${O.lldpRemManAddrTable}.1.3.0.${i}.1.1.4.192.0.2.${i % 250}`, type: 2, value: 2 })),
    ]);
    const t0 = performance.now();
    const obs = decodeObservation(walk, 'now');
    expect(performance.now() - t0).toBeLessThan(10_000);
    // Ports 1–65 are within 64 levels of the chassis; the other 49,935 are too deep to say.
    expect(obs.ports.filter((p) => p.stackMember === 1).length).toBe(65);
    expect(obs.neighbors.filter((x) => x.source === 'cdp')).toHaveLength(n);
    expect(obs.neighbors.filter((x) => x.source === 'lldp' && x.remoteManagementAddress !== '')).toHaveLength(n);
  });

  it('VLAN membership is capped: 4094 VLANs with every one of 8192 bridge ports set', () => {
    const full = Buffer.alloc(1024, 0xff);
    const walk: Walk = new Map<string, readonly Varbind[]>([
      [O.dot1dBasePortIfIndex, Array.from({ length: 8192 }, (_, i) => ({ oid: `${O.dot1dBasePortIfIndex}.${i + 1}`, type: 2, value: i + 1 }))],
      [O.dot1qVlanStaticEgressPorts, Array.from({ length: 4094 }, (_, i) => ({ oid: `${O.dot1qVlanStaticEgressPorts}.${i + 1}`, type: 4, value: full }))],
    ]);
    const t0 = performance.now();
    const obs = decodeObservation(walk, 'now');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(obs.gaps).toEqual(['VLAN membership: more than 500000 (VLAN, port) pairs; VLANs from 62 on were not read']);
    expect(obs.vlans).toHaveLength(4094);
  });

  it('gap notes are capped however many distinct problems there are', () => {
    const rows: Varbind[] = Array.from({ length: 500 }, (_, i) => ({ oid: `${O.ifDescr}.${i + 1}.${i}`, type: 4, value: Buffer.from('p') }));
    const walk = new Map(O.WALK_ROOTS.map((root) => [root, rows.map((vb) => ({ ...vb, oid: vb.oid.replace(O.ifDescr, root) }))]));
    const obs = decodeObservation(walk, 'now');
    // At most 100 counted notes, 100 free notes and the line saying how many more were left out.
    expect(obs.gaps.length).toBeLessThanOrEqual(201);
    expect(obs.gaps.filter((g) => / skipped \(/.test(g)).length).toBeGreaterThan(10);
  });

  it('an empty walk is an empty observation', () => {
    const obs = decodeObservation(new Map(), '2026-01-01T00:00:00Z');
    expect(obs).toMatchObject({ observedAt: '2026-01-01T00:00:00Z', bridgeAddress: '', localChassisId: '', stackMembers: [], ports: [], lags: [], vlans: [], neighbors: [], fdb: [], nas: null, hostBonds: [], gaps: [] });
  });
});
