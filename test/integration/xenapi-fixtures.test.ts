/**
 * Every real xapi dump in test/fixtures/xapi/, served by the XAPI simulator over XML-RPC and JSON-RPC, read by
 * Labwarden's client and normaliser, must come out as the dump itself says: hosts, NICs with MAC and carrier,
 * bonds with their members, VLANs on their devices, and per SR and host the multipath counts and sessions.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { pollPoolOnce } from '../../src-main/collect/poll-once';
import { pollReport } from '../../src-main/shells/cli/poll';
import type { PoolObservation } from '../../src-main/domain/model/pools';
import { readDump, readFixture, rows, sexprMap, type Dump } from './helpers/xapi-dump-reader';

const DUMPS = ['cowley1.xml', 'state4.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'boston-db.xml'] as const;
const TRANSPORTS = ['xml-rpc', 'json-rpc'] as const;
const USER = 'root';
const PASSWORD = 'fixture-password';

const observed = new Map<string, PoolObservation>();
const dumps = new Map<string, Dump>();
const simulators: XapiSimulator[] = [];

beforeAll(async () => {
  for (const name of DUMPS) {
    const xml = readFixture(name);
    dumps.set(name, readDump(xml));
    for (const transport of TRANSPORTS) {
      const sim = await startXapiSimulator({ dump: xml, users: { [USER]: PASSWORD }, jsonRpc: transport === 'json-rpc' });
      simulators.push(sim);
      const result = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null, transport });
      expect(result.transport).toBe(transport);
      observed.set(`${name}/${transport}`, result.observation);
    }
  }
});

afterAll(async () => {
  await Promise.all(simulators.map((sim) => sim.close()));
});

describe.each(DUMPS)('%s, as the dump itself says', (name) => {
  const dump = () => dumps.get(name)!;
  const hostName = (ref: string) => dump().host?.get(ref)?.['name_label'] ?? '';
  const pifDevice = (ref: string) => dump().PIF?.get(ref)?.['device'] ?? '';

  it.each(TRANSPORTS)('gives the same observation over %s as over the other protocol', (transport) => {
    const other = TRANSPORTS.find((t) => t !== transport)!;
    const strip = (o: PoolObservation) => ({ ...o, observedAt: '' });
    expect(strip(observed.get(`${name}/${transport}`)!)).toEqual(strip(observed.get(`${name}/${other}`)!));
  });

  it('has every host, by name and address, with the pool master named', () => {
    const o = observed.get(`${name}/xml-rpc`)!;
    const hosts = rows(dump(), 'host');
    expect(o.hosts.map((h) => h.name).sort()).toEqual(hosts.map((h) => h['name_label']).sort());
    for (const h of hosts) expect(o.hosts.find((x) => x.name === h['name_label'])!.address).toBe(h['address']);
    const pool = rows(dump(), 'pool')[0]!;
    expect(o.pool.master).toBe(hostName(pool['master']!));
    expect(o.pool.haEnabled).toBe(pool['ha_enabled'] === 'true');
  });

  it('has every untagged interface of each host with its MAC, management flag, IP and carrier', () => {
    const o = observed.get(`${name}/json-rpc`)!;
    const metrics = dump().PIF_metrics ?? new Map();
    // A tunnel's access interface (cowley1's tunnel0 on each host) is not a port: XenCenter leaves it out too.
    const tunnelAccess = new Set(rows(dump(), 'tunnel').map((t) => t['access_PIF']));
    const pifs = rows(dump(), 'PIF').filter((p) => p['VLAN'] === '-1' && !tunnelAccess.has(p['ref']));
    expect(pifs.length).toBeGreaterThan(0);
    for (const pif of pifs) {
      const host = o.hosts.find((h) => h.name === hostName(pif['host']!))!;
      const nic = host.nics.find((n) => n.device === pif['device']);
      expect(nic, `${host.name} ${pif['device']}`).toBeDefined();
      expect(nic!.mac).toBe(pif['MAC']!.toLowerCase());
      expect(nic!.management).toBe(pif['management'] === 'true');
      expect(nic!.ip).toBe(pif['IP'] ?? '');
      const m = metrics.get(pif['metrics']!);
      expect(nic!.carrier).toBe(m ? m['carrier'] === 'true' : null);
      if (m) expect(nic!.vendor).toBe(m['vendor_name'] ?? '');
    }
    const total = o.hosts.reduce((n, h) => n + h.nics.length, 0);
    expect(total).toBe(pifs.length);
    for (const host of o.hosts) for (const ref of tunnelAccess) expect(host.nics.map((n) => n.device)).not.toContain(dump().PIF!.get(ref!)!['device']);
  });

  it('has every bond with the members whose bond_slave_of names it', () => {
    const o = observed.get(`${name}/xml-rpc`)!;
    const bonds = rows(dump(), 'Bond');
    expect(o.hosts.reduce((n, h) => n + h.bonds.length, 0)).toBe(bonds.length);
    for (const bond of bonds) {
      const master = dump().PIF!.get(bond['master']!)!;
      const host = o.hosts.find((h) => h.name === hostName(master['host']!))!;
      const members = rows(dump(), 'PIF').filter((p) => p['bond_slave_of'] === bond['ref']).map((p) => p['device']).sort();
      expect(host.bonds.find((b) => b.device === master['device'])!.members).toEqual(members);
      for (const device of members) expect(host.nics.find((n) => n.device === device)!.bond).toBe(master['device']);
    }
  });

  it('has every VLAN with its tag and the device it rides on', () => {
    const o = observed.get(`${name}/json-rpc`)!;
    const vlans = rows(dump(), 'VLAN');
    expect(o.hosts.reduce((n, h) => n + h.vlans.length, 0)).toBe(vlans.length);
    for (const vlan of vlans) {
      const tagged = dump().PIF!.get(vlan['tagged_PIF']!)!;
      const host = o.hosts.find((h) => h.name === hostName(tagged['host']!))!;
      expect(host.vlans.some((v) => v.tag === Number(vlan['tag']) && v.on === pifDevice(vlan['tagged_PIF']!))).toBe(true);
    }
  });

  it("has each SR's attachment per host with the multipath counts and sessions of its PBD", () => {
    const o = observed.get(`${name}/xml-rpc`)!;
    for (const pbd of rows(dump(), 'PBD')) {
      const sr = dump().SR!.get(pbd['SR']!)!;
      const seen = o.storage.find((s) => s.uuid === sr['uuid'])!;
      const attachment = seen.attachments.find((a) => a.host === hostName(pbd['host']!))!;
      expect(attachment.attached).toBe(pbd['currently_attached'] === 'true');
      const other = sexprMap(pbd['other_config']);
      const mpath = Object.entries(other).find(([k]) => k.startsWith('mpath-'));
      const counts = mpath ? /\[(\d+), (\d+)\]/.exec(mpath[1])! : null;
      expect(attachment.activePaths).toBe(counts ? Number(counts[1]) : null);
      expect(attachment.totalPaths).toBe(counts ? Number(counts[2]) : null);
      expect(attachment.iscsiSessions).toBe(other['iscsi_sessions'] !== undefined ? Number(other['iscsi_sessions']) : null);
      expect(attachment.multipathed).toBe(other['multipathed'] === 'true');
      const config = sexprMap(pbd['device_config']);
      if (config['targetIQN']) expect(attachment.target).toMatchObject({ iqn: config['targetIQN'], scsiId: config['SCSIid'] ?? '' });
    }
  });

  it('never carries a PBD secret (CHAP password) out of the driver', () => {
    const text = JSON.stringify(observed.get(`${name}/xml-rpc`));
    expect(text).not.toMatch(/chappassword|chapuser|incoming_chap/i);
    for (const pbd of rows(dump(), 'PBD')) {
      const secret = sexprMap(pbd['device_config'])['chappassword'];
      if (secret) expect(text).not.toContain(secret);
    }
  });
});

describe('the facts the fixtures are known for', () => {
  it('cowley1: two hosts, each with bond0 over eth3+eth4 and VLAN 2 on eth2', () => {
    const o = observed.get('cowley1.xml/xml-rpc')!;
    expect(o.hosts).toHaveLength(2);
    for (const host of o.hosts) {
      expect(host.bonds).toEqual([expect.objectContaining({ device: 'bond0', members: ['eth3', 'eth4'] })]);
      expect(host.vlans).toEqual([expect.objectContaining({ tag: 2, on: 'eth2' })]);
      // Members say "not attached" while the bond is up: the observation keeps that, the rules ignore it.
      expect(host.nics.filter((n) => n.bond === 'bond0').every((n) => n.attached === false)).toBe(true);
    }
  });

  it('state4: a multipathed iSCSI PBD at 2 of 2 paths with 2 sessions, over two portals', () => {
    const o = observed.get('state4.xml/json-rpc')!;
    const multipathed = o.storage.flatMap((sr) => sr.attachments.map((a) => ({ sr, a }))).filter(({ a }) => a.multipathed);
    expect(multipathed.length).toBeGreaterThan(0);
    expect(multipathed[0]!.a).toMatchObject({ activePaths: 2, totalPaths: 2, iscsiSessions: 2 });
    expect(multipathed[0]!.a.target!.portals).toEqual(['10.80.237.36', '10.80.238.198']);
  });

  it('TampaTwoHostPoolSelectioniSCSI: iSCSI PBDs name their target IQN, portal and LUN', () => {
    const o = observed.get('TampaTwoHostPoolSelectioniSCSI.xml/xml-rpc')!;
    const iscsi = o.storage.filter((sr) => sr.type === 'lvmoiscsi');
    expect(iscsi.length).toBeGreaterThan(0);
    const targets = iscsi.flatMap((sr) => sr.attachments.map((a) => a.target)).filter(Boolean);
    expect(targets).toContainEqual(
      expect.objectContaining({ iqn: 'iqn.2004-04.com.qnap:ts-859uplus:iscsi.chrishard01.000000', portals: ['10.80.228.43'], port: 3260, scsiId: '3600140548f4bb09dfa01d40c6d93d6de' }),
    );
  });

  it("the demo lab's hand-made dump: HA on with its heartbeat SR found through the statefile VDI", async () => {
    const sim = await startXapiSimulator({ dump: readFileSync(join(__dirname, '../../resources/demo-lab.xapi-db.xml'), 'utf8'), users: { [USER]: PASSWORD } });
    simulators.push(sim);
    const { observation } = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null });
    expect(observation.pool).toMatchObject({ name: 'hp-pool', master: 'xen1', haEnabled: true, haHeartbeatSr: 'HA heartbeat' });
    expect(observation.storage.find((sr) => sr.name === 'HA heartbeat')!.haHeartbeat).toBe(true);
    expect(observation.storage.filter((sr) => sr.haHeartbeat)).toHaveLength(1);
  });

  it('the CLI report carries the documented fields, NICs and VLAN interfaces included', () => {
    const report = pollReport(observed.get('cowley1.xml/xml-rpc')!);
    expect(Object.keys(report)).toEqual(['pool', 'hosts', 'bonds', 'vlans', 'networks', 'storage']);
    expect(Object.keys(report.hosts[0]!.nics[0]!)).toEqual(['device', 'mac', 'carrier', 'speedMbps', 'mtu', 'management', 'ip', 'vlan', 'bond']);
    expect(report.bonds).toHaveLength(2);
    expect(report.vlans).toEqual(expect.arrayContaining([expect.objectContaining({ tag: 2, on: 'eth2' })]));
    expect(report.hosts[0]!.nics.filter((n) => n.vlan === 2)).toHaveLength(1);
    expect(Object.keys(report.storage[0]!)).toEqual(['sr', 'type', 'shared', 'host', 'attached', 'multipathed', 'activePaths', 'totalPaths', 'iscsiSessions']);
  });
});
