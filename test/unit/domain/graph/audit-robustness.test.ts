/**
 * buildGraph + runAudit (and the views built on them: port rows, topology, redundancy, what-if) are total:
 * whatever the snapshot holds they answer, and no finding has a hole in its prose. The snapshots are the
 * real labs of the other tests (the demo; cowley1, state4, Tampa and boston-db joined to procurve,
 * arubaos-cx, dlink_dgs-3627g and the hand-made recordings), broken at random by a seeded generator: every
 * mutation below is DERIVED and deliberately bad — observations missing, stale and failing statuses,
 * empty inventories, inventories naming ports no device reports, duplicate names, views with zero ports,
 * dangling LAG members, bond members and SR attachments, garbled addresses and times.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabSnapshot } from '../../../../src-main/domain/graph/snapshot';
import type { PollStatus } from '../../../../src-main/domain/model/polling';
import type { Finding } from '../../../../src-main/domain/audit/finding';
import { buildGraph } from '../../../../src-main/domain/graph/build';
import { runAudit } from '../../../../src-main/domain/audit';
import { portRows } from '../../../../src-main/domain/graph/rows';
import { topology } from '../../../../src-main/domain/graph/topology';
import { hostRedundancy } from '../../../../src-main/domain/graph/redundancy';
import { whatIf } from '../../../../src-main/domain/whatif/whatif';
import { cable, cleanProse, device, hoursAgo, joined, port } from '../audit/joined-labs';
import { AT, demoSnapshot, emptyInventory, nasReading, poolFrom, viewFrom } from './lab-fixtures';

/** mulberry32: a small seeded generator, so a failure names the seed that reproduces it. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)],
    int: (n: number) => Math.floor(next() * n),
  };
}
type Random = ReturnType<typeof random>;

const bases: (() => LabSnapshot)[] = [];
beforeAll(async () => {
  const demo = await demoSnapshot({ nases: [{ device: 'syno-dr', observation: nasReading(hoursAgo(30)), status: null, recoveryPointHours: 24 }] });
  const [cowley, state4, tampa, boston] = await Promise.all([poolFrom('cowley1.xml'), poolFrom('state4.xml'), poolFrom('TampaTwoHostPoolSelectioniSCSI.xml'), poolFrom('boston-db.xml')]);
  bases.push(
    () => structuredClone(demo),
    () => joined({ pool: { name: 'grimsby-pool', observation: structuredClone(cowley) }, views: { procurve: viewFrom('procurve'), 'sw-lacp': viewFrom('handmade-lacp-lag') }, cables: [['chester:eth3', 'procurve:A1'], ['chester:eth4', 'procurve:A2'], ['grimsby:eth3', 'sw-lacp:ge1/0/7'], ['grimsby:eth4', 'sw-lacp:ge1/0/8'], ['chester:eth2', 'procurve:5']] }),
    () => joined({ pool: { name: 'hottub', observation: structuredClone(state4) }, views: { dgs: viewFrom('dlink_dgs-3627g'), aruba: viewFrom('arubaos-cx') }, cables: [['incubus:eth0', 'dgs:1/1'], ['incubus:eth1', 'aruba:1/1/4'], ['inflames:eth0', 'dgs:1/2']] }),
    () => joined({ pool: { name: 'tampa', observation: structuredClone(tampa) }, views: { hp: viewFrom('handmade-hp-stack-trunks') }, devices: [device('hp', 'switch', { stack: 'core' })], cables: [['dt16:eth0', 'hp:1/1'], ['dt16:eth1', 'hp:2/1'], ['dt23:eth0', 'hp:1/3']] }),
    () => joined({ pool: { name: 'boston', observation: structuredClone(boston) }, views: { procurve: viewFrom('procurve') }, cables: [['incubus:eth0', 'procurve:3'], ['inflames:eth0', 'procurve:3']] }),
  );
});

const badStatus = (r: Random): PollStatus => {
  const state = r.pick(['ok', 'unreachable', 'auth-failed', 'idle', 'certificate-changed', 'error'] as const)!;
  return { state, message: r.chance(0.5) ? '' : 'the device did not answer', since: AT, lastGoodAt: r.chance(0.5) ? null : '2026-12-01T00:00:00.000Z', ...(r.chance(0.5) ? { staleSince: '2026-12-01T00:00:00.000Z' } : {}) };
};

const BREAKS = 16;

/** One way of breaking the snapshot (`kind` < BREAKS), its details picked at random. */
function breakOnce(s: LabSnapshot, r: Random, kind = r.int(BREAKS)): void {
  const pool = r.pick(s.pools);
  const snmp = r.pick(s.snmp.filter((x) => x.view)) ?? r.pick(s.snmp);
  const inv = s.inventory;
  switch (kind) {
    case 0: // an observation missing
      if (pool) pool.observation = null;
      else if (snmp) snmp.view = null;
      break;
    case 1: // stale or failing statuses
      for (const p of s.pools) p.status = badStatus(r);
      for (const v of s.snmp) v.status = badStatus(r);
      break;
    case 2: // an empty inventory: every observed device is unknown to it
      s.inventory = emptyInventory();
      break;
    case 3: // the inventory names ports (and cables between them) that nobody reports
      for (const d of inv.devices.slice(0, 3)) d.ports.push({ name: `ghost${r.int(9)}`, role: r.pick(['storage', 'vm', 'uplink', 'management'] as const)!, aggregate: r.chance(0.5) ? 'bond7' : '', mac: r.chance(0.5) ? '02:00:00:00:99:99' : '', untaggedVlan: r.chance(0.5) ? 77 : null, taggedVlans: r.chance(0.5) ? [78, 79] : [], notes: '' });
      inv.links.push(cable(`${inv.devices[0]?.name ?? 'nobody'}:ghost1`, 'nowhere:1'), cable('nowhere:2', `${inv.devices[1]?.name ?? 'nobody'}:ghost2`));
      break;
    case 4: // duplicate names: a device twice, a switch with a host's name
      if (inv.devices[0]) inv.devices.push(structuredClone(inv.devices[0]));
      if (pool?.observation?.hosts[0]) inv.devices.push(device(pool.observation.hosts[0].name, 'switch'));
      break;
    case 5: // two pools reporting the same hosts
      if (pool) s.pools.push({ device: `${pool.device}-again`, observation: structuredClone(pool.observation), status: null });
      break;
    case 6: // a view with zero ports (its LAGs, FDB and neighbours left dangling)
      if (snmp?.view) snmp.view.ports = [];
      break;
    case 7: // LAG members that are not ports
      for (const lag of snmp?.view?.lags ?? []) lag.memberIfIndexes.push(424242);
      break;
    case 8: // bond members, VLANs and SR attachments that name nothing
      for (const h of pool?.observation?.hosts ?? []) {
        if (r.chance(0.5)) h.nics = h.nics.filter((n) => n.physical === false || r.chance(0.5));
        h.bonds.push({ uuid: 'x', device: 'bond9', mode: r.pick(['lacp', 'active-backup', null] as const)!, members: ['eth8', 'eth9'], primaryMember: null, linksUp: r.chance(0.5) ? 1 : null, properties: {} });
        h.vlans.push({ uuid: 'y', tag: 42, on: 'eth9', network: 'nowhere', management: r.chance(0.2), ipMode: 'Static', ip: '10.80.238.9', netmask: '255.255.255.0', mtu: null, attached: true });
      }
      for (const sr of pool?.observation?.storage ?? []) sr.attachments.push({ host: 'nobody', attached: true, multipathed: true, activePaths: 0, totalPaths: 2, iscsiSessions: 3, target: null });
      break;
    case 9: // garbled addresses
      for (const h of pool?.observation?.hosts ?? []) for (const n of h.nics) Object.assign(n, r.pick([{ ip: 'not-an-ip' }, { netmask: '' }, { netmask: '255.0.255.0' }, { ip: '10.10.20.11', netmask: '/33' }, { gateway: '' }]));
      break;
    case 10: // metrics gone or odd
      for (const h of pool?.observation?.hosts ?? []) for (const n of h.nics) Object.assign(n, r.pick([{ carrier: null }, { speedMbps: null, duplex: null }, { mtu: null }, { mtu: 0 }, { pciBusPath: 'N/A' }]));
      for (const p of snmp?.view?.ports ?? []) Object.assign(p, r.pick([{ mtu: null }, { speedMbps: null }, { duplex: 'half' }, { pvid: null, untaggedVlans: [] }, { mac: '' }, { stackMember: 99 }]));
      break;
    case 11: // storage oddities: no portals, an empty IQN, portals by name
      for (const sr of pool?.observation?.storage ?? []) for (const a of sr.attachments) if (a.target) Object.assign(a.target, r.pick([{ portals: [] }, { iqn: '' }, { portals: ['san.example', '10.10.20.20'] }, { port: 0 }]));
      break;
    case 12: // HA on with a heartbeat SR nobody has, or the pool master unknown
      if (pool?.observation) Object.assign(pool.observation.pool, r.pick([{ haEnabled: true, haHeartbeatSr: 'gone' }, { master: 'nobody' }, { name: '' }]));
      break;
    case 13: // a NAS read oddly: no plans, a garbled time, not installed, never read
      s.nases = [{ device: r.pick(['syno-dr', 'nas-nobody-has'])!, observation: r.pick([nasReading('yesterday-ish'), nasReading(null, false), { ...nasReading(null), replication: [] }, null])!, status: r.chance(0.5) ? null : badStatus(r), recoveryPointHours: r.pick([24, 0, 1])! }];
      break;
    case 14: // probes of portals, failing or of portals nobody has
      s.probes = [{ device: r.pick(['dlink-san', 'nobody'])!, probes: [{ portal: r.pick(['10.10.20.20:3260', '10.0.0.1:3260'])!, ok: r.chance(0.5), failure: 'refused', message: 'connection refused', iqns: [], probedAt: AT }] }];
      break;
    default: // a stack, and a switch nobody polls, with planned LAGs over ports it does not have
      inv.devices.push(device('sw-ghost', 'switch', { stack: 'core', ports: [port('1', { aggregate: 'Po1' }), port('2', { aggregate: 'Po1', role: 'uplink' })] }));
      for (const d of inv.devices) if (d.kind === 'switch') d.stack = 'core';
      break;
  }
}

const HOLE = /\bundefined\b|\bnull\b|\bNaN\b|\[object /;

function check(seed: number, snapshot: LabSnapshot, r: Random): Finding[] {
  const graph = buildGraph(snapshot);
  const findings = runAudit(graph);
  const crashed = findings.filter((f) => f.title.endsWith('check could not run'));
  expect(crashed.map((f) => `${f.title}: ${f.explanation}`), `seed ${seed}`).toEqual([]);
  const holes = findings.filter((f) => !cleanProse(f));
  expect(holes.map((f) => `${f.id} | ${f.title} | ${f.explanation} | ${f.evidence.join(' ; ')}`), `seed ${seed}`).toEqual([]);
  for (const f of findings) expect(f.id.startsWith(`${f.rule}:`), `seed ${seed}`).toBe(true);
  for (const row of portRows(graph, findings)) expect(HOLE.test(`${row.port} ${row.peer ?? ''} ${row.paths.join(' ')}`), `seed ${seed} ${row.port}`).toBe(false);
  const drawn = topology(graph, findings);
  for (const edge of drawn.edges) expect(HOLE.test(edge.label), `seed ${seed} ${edge.label}`).toBe(false);
  for (const h of hostRedundancy(graph)) for (const role of h.roles) expect(HOLE.test(`${role.name} ${role.weakest ?? ''}`), `seed ${seed}`).toBe(false);
  const targets = [r.pick(graph.devices)?.name, r.pick(graph.ports)?.key, r.pick(graph.portals)?.key, 'no-such-thing'].filter((t): t is string => !!t);
  const result = whatIf(graph, targets);
  for (const loss of result.lost) expect(HOLE.test(loss.why), `seed ${seed} ${loss.why}`).toBe(false);
  for (const f of result.newFindings) expect(cleanProse(f), `seed ${seed} ${f.id}`).toBe(true);
  return findings;
}

describe('the graph and the audit on broken snapshots', () => {
  it('never throw, never crash a rule, never print a hole, on the labs as they are', () => {
    for (const [i, base] of bases.entries()) check(-i, base(), random(i));
  });

  it('never throw, never crash a rule, never print a hole, with each way of breaking each lab', () => {
    for (const [i, base] of bases.entries()) {
      for (let kind = 0; kind < BREAKS; kind++) {
        const seed = 1000 + i * BREAKS + kind;
        const r = random(seed);
        const snapshot = base();
        breakOnce(snapshot, r, kind);
        check(seed, snapshot, r);
      }
    }
  });

  it('never throw, never crash a rule, never print a hole, on 40 labs broken several ways at once', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = random(seed);
      const snapshot = bases[seed % bases.length]!();
      for (let n = 2 + r.int(3); n > 0; n--) breakOnce(snapshot, r);
      check(seed, snapshot, r);
    }
  });

  it('answer for a lab with nothing in it', () => {
    const empty: LabSnapshot = { at: AT, inventory: emptyInventory(), pools: [], snmp: [], probes: [], nases: [] };
    expect(check(0, empty, random(0))).toEqual([]);
  });
});
