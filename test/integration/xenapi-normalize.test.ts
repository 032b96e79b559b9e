/**
 * The XenAPI normaliser, field by field, against what each dump itself says. Every real dump in
 * test/fixtures/xapi/ and the demo lab's hand-made one is served by the XAPI simulator, read over the wire by
 * the real client (login, get_all_records, normalizePool; pollPoolOnce for XML-RPC) and compared with an independent
 * reading of the same XML (helpers/xapi-dump-reader.ts, regexes over the rows; nothing from normalize.ts):
 * per NIC speed, duplex, vendor, PCI path, MTU, IP, flags and carrier; bonds; VLANs; networks; SRs and each
 * host's PBD with its multipath counts; host multipathing; HA; alerts. Concrete values looked up in the dumps
 * are asserted as well, so an expectation computed wrongly from the dump cannot hide a wrong observation.
 * Last, changes scripted on the simulator (a lost path, a lost link, a posted message, a bond mode) must
 * reach a watcher's observation through event.from.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { pollPoolOnce } from '../../src-main/collect/poll-once';
import { PoolWatcher } from '../../src-main/drivers/xenapi/watch';
import { connectXapi } from '../../src-main/drivers/xenapi/client';
import { loadPool } from '../../src-main/drivers/xenapi/load';
import { normalizePool } from '../../src-main/drivers/xenapi/normalize';
import { WATCHED_ALERTS, type HostNic, type PoolObservation, type XenHost } from '../../src-main/domain/model/pools';
import { readDump, readFixture, rows, sexprMap, type Dump, type Row } from './helpers/xapi-dump-reader';

const USER = 'root';
const PASSWORD = 'normalize-password';
const DEMO = join(__dirname, '../../resources/demo-lab.xapi-db.xml');
const DUMPS = ['cowley1.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'state4.xml', 'boston-db.xml', 'demo-lab.xapi-db.xml'] as const;
type DumpName = (typeof DUMPS)[number];
const TRANSPORTS = ['xml-rpc', 'json-rpc'] as const;

const xmlOf = (name: DumpName) => (name === 'demo-lab.xapi-db.xml' ? readFileSync(DEMO, 'utf8') : readFixture(name));

const dumps = new Map<DumpName, Dump>();
const observed = new Map<string, PoolObservation>();
const simulators: XapiSimulator[] = [];

/**
 * The same pool read over both wire protocols (ints are strings on XML-RPC, numbers on JSON-RPC). XML-RPC:
 * `labwarden poll`'s own read (pollPoolOnce) against a host without /jsonrpc. JSON-RPC: the same steps as
 * pollPoolOnce (connect, loadPool, normalizePool) with the protocol pinned, whatever 'auto' would choose.
 */
async function readPool(sim: XapiSimulator, transport: (typeof TRANSPORTS)[number]): Promise<PoolObservation> {
  if (transport === 'xml-rpc') {
    const result = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null });
    expect(result.transport).toBe('xml-rpc');
    return result.observation;
  }
  const session = await connectXapi({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null, transport: 'json-rpc' });
  try {
    expect(session.transport).toBe('json-rpc');
    const { raw } = await loadPool(session);
    return normalizePool(raw, new Date().toISOString());
  } finally {
    await session.logout();
    session.close();
  }
}

beforeAll(async () => {
  for (const name of DUMPS) {
    const xml = xmlOf(name);
    dumps.set(name, readDump(xml));
    for (const transport of TRANSPORTS) {
      const sim = await startXapiSimulator({ dump: xml, users: { [USER]: PASSWORD }, jsonRpc: transport === 'json-rpc' });
      simulators.push(sim);
      observed.set(`${name}/${transport}`, await readPool(sim, transport));
    }
  }
});

afterAll(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

/** What the dump says, read straight from its rows. */
function dumpView(d: Dump) {
  const NULL = 'OpaqueRef:NULL';
  const row = (table: string, ref: string | undefined) => (ref && ref !== NULL ? d[table]?.get(ref) : undefined);
  const hostName = (ref: string | undefined) => row('host', ref)?.['name_label'] ?? '';
  const deviceOf = (pifRef: string | undefined) => row('PIF', pifRef)?.['device'] ?? '';
  const networkName = (ref: string | undefined) => row('network', ref)?.['name_label'] ?? '';
  // A tunnel's access PIF (cowley1's tunnel0) is a virtual interface, not a port: the tunnel table says which.
  // Not compared here: the simulator does not rebuild PIF.tunnel_access_PIF_of (xapi sends it), so through the
  // simulator tunnel0 still shows up as a NIC, which a real cowley1 pool would not make the normaliser do.
  const tunnelAccess = new Set(rows(d, 'tunnel').map((t) => t['access_PIF']));
  const untaggedPifs = rows(d, 'PIF').filter((p) => p['VLAN'] === '-1' && !tunnelAccess.has(p['ref']));
  return { d, row, hostName, deviceOf, networkName, tunnelAccess, untaggedPifs };
}
type DumpView = ReturnType<typeof dumpView>;

const positiveOrNull = (text: string | undefined) => (text !== undefined && Number(text) > 0 ? Number(text) : null);
/** The README's rule: speed is null without link, and 0 / 65535 are what old hosts say for "unknown". */
const UNKNOWN_SPEEDS = ['0', '65535'];

function expectedNic(v: DumpView, pif: Row): HostNic {
  const m = v.row('PIF_metrics', pif['metrics']);
  const carrier = m ? m['carrier'] === 'true' : null;
  const speed = m?.['speed'];
  const bond = v.row('Bond', pif['bond_slave_of']);
  return {
    uuid: pif['uuid']!,
    device: pif['device']!,
    mac: pif['MAC']!.toLowerCase(),
    physical: pif['physical'] === 'true',
    carrier,
    speedMbps: carrier === true && speed !== undefined && !UNKNOWN_SPEEDS.includes(speed) ? Number(speed) : null,
    duplex: carrier === true && m ? (m['duplex'] === 'true' ? 'full' : 'half') : null,
    vendor: m?.['vendor_name'] ?? '',
    model: m?.['device_name'] ?? '',
    pciBusPath: m?.['pci_bus_path'] ?? '',
    mtu: positiveOrNull(pif['MTU']),
    management: pif['management'] === 'true',
    ipMode: (pif['ip_configuration_mode'] ?? 'None') as HostNic['ipMode'],
    ip: pif['IP'] ?? '',
    netmask: pif['netmask'] ?? '',
    gateway: pif['gateway'] ?? '',
    disallowUnplug: pif['disallow_unplug'] === 'true',
    attached: pif['currently_attached'] === 'true',
    network: v.networkName(pif['network']),
    bond: bond ? v.deviceOf(bond['master']) : null,
    purpose: sexprMap(pif['other_config'])['management_purpose'] ?? '',
  };
}

/** `[active, total]` of the PBD's `mpath-<SCSIid>`, as SM's mpathcount writes it. */
function mpathOf(pbd: Row): [number, number] | null {
  const other = sexprMap(pbd['other_config']);
  const scsiId = sexprMap(pbd['device_config'])['SCSIid'];
  const value = scsiId ? other[`mpath-${scsiId}`] : Object.entries(other).find(([k]) => k.startsWith('mpath-'))?.[1];
  const m = value ? /^\[(\d+)L?, (\d+)L?\]$/.exec(value) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

const get = (name: DumpName, transport: (typeof TRANSPORTS)[number] = 'json-rpc') => observed.get(`${name}/${transport}`)!;
const hostOf = (o: PoolObservation, name: string) => {
  const host = o.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no host ${name} in the observation (${o.hosts.map((h) => h.name).join(', ')})`);
  return host;
};
const nicOf = (host: XenHost, device: string) => {
  const nic = host.nics.find((n) => n.device === device);
  if (!nic) throw new Error(`no NIC ${device} on ${host.name} (${host.nics.map((n) => n.device).join(', ')})`);
  return nic;
};
const srNamed = (o: PoolObservation, name: string) => o.storage.filter((sr) => sr.name === name);

describe.each(DUMPS)('%s: the observation says what the dump says', (name) => {
  const v = () => dumpView(dumps.get(name)!);

  it.each(TRANSPORTS)('every NIC (PIF with VLAN -1), over %s: speed, duplex, vendor, PCI path, MTU, IP, flags, carrier', (transport) => {
    const o = get(name, transport);
    const view = v();
    expect(view.untaggedPifs.length).toBeGreaterThan(0);
    for (const pif of view.untaggedPifs) {
      const nic = nicOf(hostOf(o, view.hostName(pif['host'])), pif['device']!);
      expect(nic, `${view.hostName(pif['host'])} ${pif['device']}`).toEqual(expectedNic(view, pif));
    }
  });

  it.each(TRANSPORTS)('every bond, over %s: mode, members, links up, primary member, properties', (transport) => {
    const o = get(name, transport);
    const view = v();
    const bonds = rows(view.d, 'Bond');
    expect(o.hosts.flatMap((h) => h.bonds)).toHaveLength(bonds.length);
    for (const bond of bonds) {
      const master = view.row('PIF', bond['master'])!;
      const host = hostOf(o, view.hostName(master['host']));
      const members = rows(view.d, 'PIF').filter((p) => p['bond_slave_of'] === bond['ref']).map((p) => p['device']!).sort();
      expect(host.bonds.find((b) => b.uuid === bond['uuid'])).toEqual({
        uuid: bond['uuid'],
        device: master['device'],
        mode: bond['mode'] || null,
        members,
        primaryMember: view.deviceOf(bond['primary_slave']) || null,
        linksUp: bond['links_up'] !== undefined ? Number(bond['links_up']) : null,
        properties: sexprMap(bond['properties']),
      });
    }
  });

  it.each(TRANSPORTS)('every VLAN, over %s: its tag, the device under it and its own interface', (transport) => {
    const o = get(name, transport);
    const view = v();
    const vlans = rows(view.d, 'VLAN');
    expect(o.hosts.flatMap((h) => h.vlans)).toHaveLength(vlans.length);
    for (const vlan of vlans) {
      const tagged = view.row('PIF', vlan['tagged_PIF'])!;
      const untagged = view.row('PIF', vlan['untagged_PIF'])!;
      const host = hostOf(o, view.hostName(tagged['host']));
      expect(host.vlans.find((x) => x.uuid === vlan['uuid'])).toEqual({
        uuid: vlan['uuid'],
        tag: Number(vlan['tag']),
        on: tagged['device'],
        network: view.networkName(untagged['network']),
        management: untagged['management'] === 'true',
        ipMode: untagged['ip_configuration_mode'] ?? 'None',
        ip: untagged['IP'] ?? '',
        netmask: untagged['netmask'] ?? '',
        mtu: positiveOrNull(untagged['MTU']),
        attached: untagged['currently_attached'] === 'true',
      });
      // The device under the VLAN is one of the host's NICs: a physical one or a bond's interface.
      expect(host.nics.map((n) => n.device)).toContain(tagged['device']);
      if (rows(view.d, 'Bond').some((b) => b['master'] === tagged['ref'])) expect(host.bonds.map((b) => b.device)).toContain(tagged['device']);
    }
  });

  it.each(TRANSPORTS)('every network, over %s: bridge, MTU, and the hosts with a PIF on it', (transport) => {
    const o = get(name, transport);
    const view = v();
    const networks = rows(view.d, 'network');
    expect(o.networks).toHaveLength(networks.length);
    for (const network of networks) {
      const hosts = [...new Set(rows(view.d, 'PIF').filter((p) => p['network'] === network['ref']).map((p) => view.hostName(p['host'])))].sort();
      const flags = sexprMap(network['other_config']);
      expect(o.networks.find((n) => n.uuid === network['uuid'])).toEqual({
        uuid: network['uuid'],
        name: network['name_label'],
        bridge: network['bridge'],
        mtu: positiveOrNull(network['MTU']),
        hosts,
        internal: flags['is_host_internal_management_network'] === 'true' || flags['is_guest_installer_network'] === 'true',
      });
    }
  });

  it.each(TRANSPORTS)('every SR and each host PBD, over %s: type, shared, attached, multipathed, [active, total], sessions', (transport) => {
    const o = get(name, transport);
    const view = v();
    const srs = rows(view.d, 'SR');
    expect(o.storage).toHaveLength(srs.length);
    for (const sr of srs) {
      const seen = o.storage.find((s) => s.uuid === sr['uuid'])!;
      expect(seen, sr['name_label']).toMatchObject({ name: sr['name_label'], type: sr['type'], shared: sr['shared'] === 'true' });
      const pbds = rows(view.d, 'PBD').filter((p) => p['SR'] === sr['ref']);
      expect(seen.attachments.map((a) => a.host).sort()).toEqual(pbds.map((p) => view.hostName(p['host'])).sort());
      for (const pbd of pbds) {
        const other = sexprMap(pbd['other_config']);
        const paths = mpathOf(pbd);
        expect(seen.attachments.find((a) => a.host === view.hostName(pbd['host'])), `${sr['name_label']} on ${view.hostName(pbd['host'])}`).toMatchObject({
          attached: pbd['currently_attached'] === 'true',
          multipathed: other['multipathed'] === 'true',
          activePaths: paths ? paths[0] : null,
          totalPaths: paths ? paths[1] : null,
          iscsiSessions: other['iscsi_sessions'] !== undefined ? Number(other['iscsi_sessions']) : null,
        });
      }
    }
  });

  it.each(TRANSPORTS)('every host, over %s: multipathing and multipathhandle from other_config', (transport) => {
    const o = get(name, transport);
    const view = v();
    for (const host of rows(view.d, 'host')) {
      const config = sexprMap(host['other_config']);
      expect(hostOf(o, host['name_label']!)).toMatchObject({
        uuid: host['uuid'],
        address: host['address'],
        // None of these dumps is from 7.5 or later, so none has the host.multipathing field.
        multipathing: config['multipathing'] === 'true',
        multipathHandle: config['multipathhandle'] ?? '',
      });
      expect(host['multipathing']).toBeUndefined();
    }
  });

  it.each(TRANSPORTS)('the pool, over %s: HA and its heartbeat SR (the SR of the statefile VDI)', (transport) => {
    const o = get(name, transport);
    const view = v();
    const pool = rows(view.d, 'pool')[0]!;
    const haEnabled = pool['ha_enabled'] === 'true';
    const statefiles = [...(pool['ha_statefiles'] ?? '').matchAll(/'(OpaqueRef:[^']+)'/g)].map((m) => m[1]!);
    const heartbeatSrs = statefiles.map((vdi) => view.row('SR', view.row('VDI', vdi)?.['SR'])).filter((sr): sr is Row => !!sr);
    expect(o.pool).toMatchObject({
      uuid: pool['uuid'],
      name: pool['name_label'],
      master: view.hostName(pool['master']),
      haEnabled,
      haHeartbeatSr: haEnabled && heartbeatSrs[0] ? heartbeatSrs[0]['name_label'] : null,
    });
    for (const sr of o.storage) expect(sr.haHeartbeat, sr.name).toBe(heartbeatSrs.some((h) => h['uuid'] === sr.uuid));
  });

  it.each(TRANSPORTS)('the alerts, over %s: the watched messages of the dump and no other', (transport) => {
    const o = get(name, transport);
    const view = v();
    const watched = rows(view.d, 'message').filter((m) => (WATCHED_ALERTS as readonly string[]).includes(m['name']!));
    expect(o.alerts).toEqual(
      watched.map((m) => ({
        uuid: m['uuid'],
        name: m['name'],
        priority: Number(m['priority']),
        about: { cls: m['cls'], uuid: m['obj_uuid'] },
        timestamp: m['timestamp'],
        body: m['body'],
      })),
    );
  });
});

describe('values looked up in the dumps', () => {
  it('cowley1 (5.6 FP1): NIC metrics, unknown speeds, DHCP and disallow_unplug as recorded', () => {
    const o = get('cowley1.xml');
    const grimsby = hostOf(o, 'grimsby');
    // cowley1: grimsby eth0 PIF management=true DHCP 10.80.226.1/255.255.240.0; PIF_metrics carrier=true speed=1000 duplex=true,
    // Broadcom Corporation "NetXtreme BCM5751 Gigabit Ethernet PCI Express" at 0000:07:00.0.
    expect(nicOf(grimsby, 'eth0')).toMatchObject({
      carrier: true,
      speedMbps: 1000,
      duplex: 'full',
      vendor: 'Broadcom Corporation',
      model: 'NetXtreme BCM5751 Gigabit Ethernet PCI Express',
      pciBusPath: '0000:07:00.0',
      mtu: 1500,
      management: true,
      ipMode: 'DHCP',
      ip: '10.80.226.1',
      netmask: '255.255.240.0',
      gateway: '',
      physical: true,
      network: 'Pool-wide network associated with eth0',
    });
    // cowley1: grimsby eth3 is a bond0 member: currently_attached=false; PIF_metrics carrier=false speed=65535 duplex=false,
    // Intel Corporation 82571EB at 0000:05:00.0. 65535 is "unknown": no speed, no duplex.
    expect(nicOf(grimsby, 'eth3')).toMatchObject({
      carrier: false,
      speedMbps: null,
      duplex: null,
      vendor: 'Intel Corporation',
      model: '82571EB Gigabit Ethernet Controller (Copper)',
      pciBusPath: '0000:05:00.0',
      mtu: 1500,
      attached: false,
      bond: 'bond0',
      ipMode: 'None',
    });
    // cowley1: grimsby eth1 ip_configuration_mode=DHCP with no IP yet, disallow_unplug=true, management_purpose "Interface 1".
    expect(nicOf(grimsby, 'eth1')).toMatchObject({ ipMode: 'DHCP', ip: '', disallowUnplug: true, purpose: 'Interface 1', management: false });
    // cowley1: chester eth2 the same with "Interface 2"; chester eth0 is its management NIC at 10.80.227.23.
    const chester = hostOf(o, 'chester');
    expect(nicOf(chester, 'eth2')).toMatchObject({ ipMode: 'DHCP', disallowUnplug: true, purpose: 'Interface 2', pciBusPath: '0000:04:00.1' });
    expect(nicOf(chester, 'eth0')).toMatchObject({ management: true, ip: '10.80.227.23', speedMbps: 1000, duplex: 'full' });
    // cowley1: bond0's own PIF has MTU=-1 (not yet known) and PIF_metrics speed=0 carrier=false pci_bus_path=N/A.
    expect(nicOf(grimsby, 'bond0')).toMatchObject({ physical: false, mtu: null, speedMbps: null, carrier: false, pciBusPath: 'N/A', network: 'Bond 3+4' });
    // The management NIC is the only one per host.
    for (const host of o.hosts) expect(host.nics.filter((n) => n.management).map((n) => n.device)).toEqual(['eth0']);
  });

  it('cowley1: bond0 over eth3+eth4, pre-6.0 (no mode, no links_up, no primary), members not attached; VLAN 2 on eth2', () => {
    const o = get('cowley1.xml');
    for (const name of ['grimsby', 'chester']) {
      const host = hostOf(o, name);
      expect(host.bonds).toEqual([
        expect.objectContaining({ device: 'bond0', mode: null, members: ['eth3', 'eth4'], linksUp: null, primaryMember: null, properties: {} }),
      ]);
      for (const device of ['eth3', 'eth4']) expect(nicOf(host, device)).toMatchObject({ bond: 'bond0', attached: false });
      // cowley1: VLAN tag=2, tagged_PIF eth2 (the physical NIC), untagged PIF on network "VLAN 2" MTU 1500.
      expect(host.vlans).toEqual([expect.objectContaining({ tag: 2, on: 'eth2', network: 'VLAN 2', mtu: 1500, attached: true, ipMode: 'None' })]);
      expect(host.multipathing).toBe(false);
      expect(host.multipathHandle).toBe('');
    }
  });

  it('cowley1: networks with their bridges and hosts; the iSCSI SR with one session and no multipath', () => {
    const o = get('cowley1.xml');
    const network = (name: string) => o.networks.filter((n) => n.name === name);
    // cowley1: "Bond 3+4" bridge xapi5 MTU 1500 on both hosts; "New Private Network (host only)" xapi9 has no PIF.
    expect(network('Bond 3+4')).toEqual([expect.objectContaining({ bridge: 'xapi5', mtu: 1500, hosts: ['chester', 'grimsby'], internal: false })]);
    expect(network('VLAN 2')).toEqual([expect.objectContaining({ bridge: 'xapi10', mtu: 1500, hosts: ['chester', 'grimsby'] })]);
    expect(network('New Private Network (host only)')).toEqual([expect.objectContaining({ bridge: 'xapi9', hosts: [] })]);
    // cowley1: two "Guest installer network" rows (xapi0, xapi1), is_guest_installer_network=true.
    expect(network('Guest installer network').map((n) => [n.bridge, n.internal]).sort()).toEqual([['xapi0', true], ['xapi1', true]]);
    // cowley1: SR "iSCSI virtual disk storage" lvmoiscsi shared; both PBDs other_config iscsi_sessions=1, no mpath key.
    const [iscsi] = srNamed(o, 'iSCSI virtual disk storage');
    expect(iscsi).toMatchObject({ type: 'lvmoiscsi', shared: true, haHeartbeat: false });
    expect(iscsi!.attachments).toEqual([
      expect.objectContaining({ host: 'chester', attached: true, multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 }),
      expect.objectContaining({ host: 'grimsby', attached: true, multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 }),
    ]);
    // cowley1: "Local storage" lvm, not shared, one per host; no sessions on a local disk.
    expect(srNamed(o, 'Local storage').map((sr) => [sr.type, sr.shared, sr.attachments[0]!.iscsiSessions])).toEqual([
      ['lvm', false, null],
      ['lvm', false, null],
    ]);
    expect(o.pool).toMatchObject({ name: 'Grimsby Pool', master: 'grimsby', haEnabled: false, haHeartbeatSr: null });
    expect(o.alerts).toEqual([]);
  });

  it('state4 (6.0): multipathing on for incubus and off for inflames; the multipathed PBD at [2, 2] with 2 sessions', () => {
    const o = get('state4.xml');
    // state4: host incubus other_config multipathing=true multipathhandle=dmp; inflames multipathing=false multipathhandle=dmp.
    expect(hostOf(o, 'incubus')).toMatchObject({ multipathing: true, multipathHandle: 'dmp' });
    expect(hostOf(o, 'inflames')).toMatchObject({ multipathing: false, multipathHandle: 'dmp' });
    const [iscsi] = srNamed(o, 'iSCSI virtual disk storage');
    expect(iscsi).toMatchObject({ uuid: 'a99c62eb-5e09-edb3-752b-e93c5c996de0', type: 'lvmoiscsi', shared: true });
    // state4: incubus's PBD other_config mpath-S161b6ac7VIRTUAL-DISK="[2, 2]" multipathed=true iscsi_sessions=2;
    // inflames's PBD only iscsi_sessions=1.
    expect(iscsi!.attachments).toEqual([
      expect.objectContaining({ host: 'incubus', attached: true, multipathed: true, activePaths: 2, totalPaths: 2, iscsiSessions: 2 }),
      expect.objectContaining({ host: 'inflames', attached: true, multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 }),
    ]);
    // state4: the NetApp SR on incubus says multipathed=true iscsi_sessions=2 but has no mpath- key: no counts.
    const [netapp] = srNamed(o, 'NetApp virtual disk storage');
    expect(netapp).toMatchObject({ type: 'netapp', shared: true });
    expect(netapp!.attachments).toEqual([
      expect.objectContaining({ host: 'incubus', multipathed: true, activePaths: null, totalPaths: null, iscsiSessions: 2 }),
      expect.objectContaining({ host: 'inflames', multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 }),
    ]);
  });

  it('state4: no PIF_metrics rows, so carrier, speed, duplex and vendor are unknown; networks have no MTU', () => {
    const o = get('state4.xml');
    for (const host of o.hosts) {
      expect(host.nics.map((n) => n.device)).toEqual(['eth0', 'eth1']);
      for (const nic of host.nics) expect(nic).toMatchObject({ carrier: null, speedMbps: null, duplex: null, vendor: '', pciBusPath: '', mtu: 1500 });
    }
    // state4: incubus eth0 management DHCP 10.80.226.111; inflames eth0 10.80.224.75; the master is inflames.
    expect(nicOf(hostOf(o, 'incubus'), 'eth0')).toMatchObject({ management: true, ipMode: 'DHCP', ip: '10.80.226.111', netmask: '255.255.240.0' });
    expect(nicOf(hostOf(o, 'inflames'), 'eth0')).toMatchObject({ management: true, ip: '10.80.224.75' });
    expect(o.pool).toMatchObject({ name: 'Hottub', master: 'inflames', haEnabled: false, haHeartbeatSr: null });
    // state4 (schema 5.57): network rows carry no MTU field.
    expect(o.networks.map((n) => [n.bridge, n.mtu]).sort()).toEqual([['xapi0', null], ['xenbr0', null], ['xenbr1', null]]);
  });

  it('TampaTwoHostPoolSelectioniSCSI (6.1 beta): dt23 eth1 without link reports speed 0 → unknown; dt16 eth1 1000 full', () => {
    const o = get('TampaTwoHostPoolSelectioniSCSI.xml');
    // Tampa: dt23 eth1 PIF_metrics carrier=false speed=0 duplex=false, Broadcom "NetXtreme II BCM5716 Gigabit Ethernet" 0000:02:00.1.
    expect(nicOf(hostOf(o, 'dt23'), 'eth1')).toMatchObject({
      carrier: false,
      speedMbps: null,
      duplex: null,
      vendor: 'Broadcom Corporation',
      model: 'NetXtreme II BCM5716 Gigabit Ethernet',
      pciBusPath: '0000:02:00.1',
    });
    // Tampa: dt16 eth1 carrier=true speed=1000 duplex=true, same card.
    expect(nicOf(hostOf(o, 'dt16'), 'eth1')).toMatchObject({ carrier: true, speedMbps: 1000, duplex: 'full', pciBusPath: '0000:02:00.1', management: false, ipMode: 'None' });
    // Tampa: dt23 eth0 management DHCP 10.80.227.184 at 0000:02:00.0.
    expect(nicOf(hostOf(o, 'dt23'), 'eth0')).toMatchObject({ management: true, ipMode: 'DHCP', ip: '10.80.227.184', speedMbps: 1000, pciBusPath: '0000:02:00.0' });
    expect(o.pool).toMatchObject({ name: 'Pool', master: 'dt23', haEnabled: false });
    // Tampa: three lvmoiscsi SRs, each PBD iscsi_sessions=1 and no mpath key; neither host multipaths.
    const iscsi = o.storage.filter((sr) => sr.type === 'lvmoiscsi').map((sr) => sr.name).sort();
    expect(iscsi).toEqual(['large iSCSI', 'medium iSCSI', 'small iSCSI']);
    for (const sr of o.storage.filter((s) => s.type === 'lvmoiscsi')) {
      expect(sr.shared).toBe(true);
      for (const a of sr.attachments) expect(a).toMatchObject({ attached: true, multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: 1 });
    }
    for (const host of o.hosts) expect(host.multipathing).toBe(false);
    // Tampa: "Host internal management network" bridge xenapi, is_host_internal_management_network=true, no PIF.
    expect(o.networks.find((n) => n.bridge === 'xenapi')).toMatchObject({ name: 'Host internal management network', internal: true, hosts: [], mtu: 1500 });
  });

  it('boston-db (6.0): eth1 without link at 65535 → unknown; eth0 1000 full on Intel 82566DC; the CHAP iSCSI SR', () => {
    const o = get('boston-db.xml');
    for (const name of ['incubus', 'inflames']) {
      const host = hostOf(o, name);
      // boston: eth1 PIF_metrics carrier=false speed=65535, Intel "82541PI Gigabit Ethernet Controller" 0000:06:01.0.
      expect(nicOf(host, 'eth1')).toMatchObject({ carrier: false, speedMbps: null, duplex: null, vendor: 'Intel Corporation', model: '82541PI Gigabit Ethernet Controller', pciBusPath: '0000:06:01.0' });
      // boston: eth0 carrier=true speed=1000 duplex=true, Intel "82566DC Gigabit Network Connection" 0000:00:19.0, management.
      expect(nicOf(host, 'eth0')).toMatchObject({ carrier: true, speedMbps: 1000, duplex: 'full', model: '82566DC Gigabit Network Connection', pciBusPath: '0000:00:19.0', management: true });
      expect(host.bonds).toEqual([]);
      expect(host.vlans).toEqual([]);
    }
    const [iscsi] = srNamed(o, 'iSCSI virtual disk storage');
    expect(iscsi).toMatchObject({ uuid: '4a1da700-b04a-e95e-27cb-4aed721e99e6', type: 'lvmoiscsi', shared: true });
    for (const a of iscsi!.attachments) expect(a).toMatchObject({ attached: true, multipathed: false, activePaths: null, iscsiSessions: 1 });
    // boston: two network rows both named "Host internal management network"; both are kept.
    expect(o.networks.filter((n) => n.name === 'Host internal management network')).toHaveLength(2);
    expect(o.pool).toMatchObject({ name: 'New Pool', master: 'inflames' });
  });

  it('demo lab (hand-made 6.2): bonds balance-slb with links_up and primary eth1; xen3 lost eth2; members up yet not attached', () => {
    const o = get('demo-lab.xapi-db.xml');
    // demo: Bond rows mode=balance-slb primary_slave=eth1 properties=(); links_up 2, 2, 1, 2 for xen1..xen4.
    const linksUp: Record<string, number> = { xen1: 2, xen2: 2, xen3: 1, xen4: 2 };
    for (const [name, up] of Object.entries(linksUp)) {
      const host = hostOf(o, name);
      expect(host.bonds).toEqual([
        expect.objectContaining({ device: 'bond0', mode: 'balance-slb', members: ['eth1', 'eth2'], primaryMember: 'eth1', linksUp: up, properties: {} }),
      ]);
      // demo: eth1 PIF currently_attached=false but PIF_metrics carrier=true speed=1000: a member is up, not "unplugged".
      expect(nicOf(host, 'eth1')).toMatchObject({ bond: 'bond0', attached: false, carrier: true, speedMbps: 1000, duplex: 'full' });
    }
    // demo: xen3 eth2 PIF_metrics carrier=false speed=65535 duplex=false; xen3 bond0 metrics speed=1000 (one member left).
    const xen3 = hostOf(o, 'xen3');
    expect(nicOf(xen3, 'eth2')).toMatchObject({ bond: 'bond0', attached: false, carrier: false, speedMbps: null, duplex: null, pciBusPath: '0000:03:00.0' });
    expect(nicOf(xen3, 'bond0')).toMatchObject({ physical: false, carrier: true, speedMbps: 1000, mtu: 1500, attached: true, network: 'Bond 1+2' });
    // demo: xen1 bond0 metrics carrier=true speed=2000 (both members).
    expect(nicOf(hostOf(o, 'xen1'), 'bond0')).toMatchObject({ carrier: true, speedMbps: 2000, duplex: 'full' });
  });

  it('demo lab: static management and storage NICs, VLANs 100 and 101 on bond0, xen4 without multipathing, HA on', () => {
    const o = get('demo-lab.xapi-db.xml');
    const xen1 = hostOf(o, 'xen1');
    // demo: xen1 eth0 management Static 10.10.10.11/255.255.255.0 gateway 10.10.10.1, Broadcom BCM5709 0000:02:00.0.
    expect(nicOf(xen1, 'eth0')).toMatchObject({
      management: true,
      ipMode: 'Static',
      ip: '10.10.10.11',
      netmask: '255.255.255.0',
      gateway: '10.10.10.1',
      vendor: 'Broadcom Corporation',
      model: 'NetXtreme II BCM5709 Gigabit Ethernet',
      pciBusPath: '0000:02:00.0',
    });
    // demo: xen1 eth3 Static 10.10.20.11, disallow_unplug=true, management_purpose Storage, network "iSCSI (VLAN 20)".
    expect(nicOf(xen1, 'eth3')).toMatchObject({ ipMode: 'Static', ip: '10.10.20.11', gateway: '', disallowUnplug: true, purpose: 'Storage', network: 'iSCSI (VLAN 20)', management: false });
    for (const host of o.hosts) {
      // demo: VLAN rows tag 100 and 101, tagged_PIF the bond0 PIF, networks "VM prod (VLAN 100)" and "VM lab (VLAN 101)".
      expect(host.vlans.map((vl) => [vl.tag, vl.on, vl.network])).toEqual([
        [100, 'bond0', 'VM prod (VLAN 100)'],
        [101, 'bond0', 'VM lab (VLAN 101)'],
      ]);
    }
    // demo: xen1-3 other_config multipathing=true multipathhandle=dmp; xen4 multipathing=false and no handle.
    expect(o.hosts.map((h) => [h.name, h.multipathing, h.multipathHandle])).toEqual([
      ['xen1', true, 'dmp'],
      ['xen2', true, 'dmp'],
      ['xen3', true, 'dmp'],
      ['xen4', false, ''],
    ]);
    // demo: PBDs of "VM store" mpath-36001405194731d05d28b3bfb8b985cb="[1, 1]" on xen1-3; xen4 only iscsi_sessions=1.
    const [vmStore] = srNamed(o, 'VM store');
    expect(vmStore!.attachments.map((a) => [a.host, a.multipathed, a.activePaths, a.totalPaths, a.iscsiSessions])).toEqual([
      ['xen1', true, 1, 1, 1],
      ['xen2', true, 1, 1, 1],
      ['xen3', true, 1, 1, 1],
      ['xen4', false, null, null, 1],
    ]);
    // demo: pool ha_enabled=true, ha_statefiles → a VDI on SR "HA heartbeat".
    expect(o.pool).toMatchObject({ name: 'hp-pool', master: 'xen1', haEnabled: true, haHeartbeatSr: 'HA heartbeat' });
    expect(o.storage.filter((sr) => sr.haHeartbeat).map((sr) => [sr.name, sr.type, sr.shared])).toEqual([['HA heartbeat', 'lvmoiscsi', true]]);
    // demo: network "Bond 1+2" bridge xapi1 MTU 1500 on all four hosts.
    expect(o.networks.find((n) => n.name === 'Bond 1+2')).toMatchObject({ bridge: 'xapi1', mtu: 1500, hosts: ['xen1', 'xen2', 'xen3', 'xen4'] });
  });

  it("demo lab: its one message, BOND_STATUS_CHANGED about xen3's bond", () => {
    // demo: message 42e4c891-… BOND_STATUS_CHANGED priority 3 cls Host obj_uuid cc0fde0f-… (xen3) at 20240315T09:41:52Z.
    expect(get('demo-lab.xapi-db.xml').alerts).toEqual([
      {
        uuid: '42e4c891-c115-4534-9d13-af91529e5644',
        name: 'BOND_STATUS_CHANGED',
        priority: 3,
        about: { cls: 'Host', uuid: 'cc0fde0f-e190-4584-98fb-7296270224de' },
        timestamp: '20240315T09:41:52Z',
        body: 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)',
      },
    ]);
    expect(hostOf(get('demo-lab.xapi-db.xml'), 'xen3').uuid).toBe('cc0fde0f-e190-4584-98fb-7296270224de');
    // None of the real dumps holds a watched message.
    for (const name of ['cowley1.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'state4.xml', 'boston-db.xml'] as const) expect(get(name).alerts).toEqual([]);
  });
});

describe('changes scripted on the simulator reach the observation through event.from', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function follow(name: DumpName) {
    const sim = await startXapiSimulator({ dump: xmlOf(name), users: { [USER]: PASSWORD } });
    cleanups.push(() => sim.close());
    const observations: PoolObservation[] = [];
    const watcher = new PoolWatcher({
      url: sim.url,
      username: USER,
      password: PASSWORD,
      fingerprint: null,
      eventTimeoutSeconds: 5,
      callTimeoutMs: 3000,
      backoff: { initialMs: 50, maxMs: 200 },
      onObservation: (o) => observations.push(o),
      onStatus: () => {},
    });
    cleanups.push(() => watcher.stop());
    watcher.start();
    const latest = () => observations.at(-1)!;
    const until = async (predicate: (o: PoolObservation) => boolean, what: string, ms = 3000) => {
      const deadline = Date.now() + ms;
      while (!(observations.length > 0 && predicate(latest()))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; status ${JSON.stringify(watcher.current)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return latest();
    };
    await until(() => watcher.current.state === 'ok', 'the first load');
    const loads = () => sim.stats().calls['PIF.get_all_records'] ?? 0;
    return { sim, latest, until, loads, loadsAtStart: loads() };
  }

  it('state4: a lost path on incubus becomes [1, 2] and mpathalert\'s MULTIPATH_PERIODIC_ALERT arrives, without a reload', async () => {
    const { sim, until, loads, loadsAtStart } = await follow('state4.xml');
    const paths = (o: PoolObservation) => srNamed(o, 'iSCSI virtual disk storage')[0]!.attachments.find((a) => a.host === 'incubus')!;
    sim.setPaths('a99c62eb-5e09-edb3-752b-e93c5c996de0', 'incubus', 1);
    const o = await until((x) => paths(x).activePaths === 1 && x.alerts.length > 0, 'the lost path and its alert');
    expect(paths(o)).toMatchObject({ attached: true, multipathed: true, activePaths: 1, totalPaths: 2, iscsiSessions: 2 });
    // The simulator wrote what SM's mpathcount writes: the PBD's own other_config now says [1, 2].
    const pbd = sim.records('PBD').find((r) => (r.fields['other_config'] as Record<string, string>)['mpath-S161b6ac7VIRTUAL-DISK'] !== undefined)!;
    expect((pbd.fields['other_config'] as Record<string, string>)['mpath-S161b6ac7VIRTUAL-DISK']).toBe('[1, 2]');
    // state4: pool uuid 2c4640e4-…, incubus's PBD uuid in the body, as mpathalert words it.
    expect(o.alerts).toHaveLength(1);
    expect(o.alerts[0]).toMatchObject({ name: 'MULTIPATH_PERIODIC_ALERT', priority: 3, about: { cls: 'Pool', uuid: '2c4640e4-6f54-e694-3434-ec87a13443af' } });
    expect(o.alerts[0]!.body).toContain('Unhealthy paths:');
    expect(o.alerts[0]!.body).toContain(`host-name="incubus"; pbd=${pbd.fields['uuid']}; scsi_id=S161b6ac7VIRTUAL-DISK; current=1; max=2`);
    expect(o.alerts[0]!.timestamp).toMatch(/^\d{8}T\d{2}:\d{2}:\d{2}Z$/);
    // The other host's PBD is untouched.
    expect(srNamed(o, 'iSCSI virtual disk storage')[0]!.attachments.find((a) => a.host === 'inflames')).toMatchObject({ activePaths: null, iscsiSessions: 1 });
    expect(loads()).toBe(loadsAtStart);

    // The path comes back: [2, 2] again, and a second alert, newest first.
    sim.setPaths('a99c62eb-5e09-edb3-752b-e93c5c996de0', 'incubus', 2);
    const back = await until((x) => paths(x).activePaths === 2 && x.alerts.length === 2, 'the path back');
    expect(paths(back)).toMatchObject({ activePaths: 2, totalPaths: 2 });
    expect(back.alerts.every((a) => a.name === 'MULTIPATH_PERIODIC_ALERT')).toBe(true);
    expect(back.alerts[0]!.timestamp >= back.alerts[1]!.timestamp).toBe(true);
  });

  it("demo lab: xen1 loses eth2: carrier off, links_up 1, and networkd's BOND_STATUS_CHANGED ahead of the dump's older one", async () => {
    const { sim, until, loads, loadsAtStart } = await follow('demo-lab.xapi-db.xml');
    sim.setCarrier('xen1', 'eth2', false);
    const o = await until((x) => hostOf(x, 'xen1').bonds[0]!.linksUp === 1 && x.alerts.length === 2, 'the bond change and its message');
    const xen1 = hostOf(o, 'xen1');
    expect(nicOf(xen1, 'eth2')).toMatchObject({ carrier: false, speedMbps: null, duplex: null, attached: false, bond: 'bond0' });
    expect(nicOf(xen1, 'eth1')).toMatchObject({ carrier: true, speedMbps: 1000 });
    // The bond's own interface: still up on the remaining member, its speed that member's.
    expect(nicOf(xen1, 'bond0')).toMatchObject({ carrier: true, speedMbps: 1000 });
    expect(o.alerts.map((a) => [a.name, a.about.uuid, a.body])).toEqual([
      ['BOND_STATUS_CHANGED', xen1.uuid, 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)'],
      ['BOND_STATUS_CHANGED', 'cc0fde0f-e190-4584-98fb-7296270224de', 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)'],
    ]);
    expect(loads()).toBe(loadsAtStart);
  });

  it('cowley1: a watched message posted with addMessage reaches the alerts; an unwatched one does not', async () => {
    const { sim, until } = await follow('cowley1.xml');
    const grimsby = sim.get('host', sim.findHost('grimsby')!)!;
    sim.addMessage({ name: 'VM_STARTED', priority: 5, cls: 'VM', obj_uuid: '00000000-0000-0000-0000-000000000001', body: 'not watched' });
    sim.addMessage({
      name: 'MULTIPATH_PERIODIC_ALERT',
      priority: 3,
      cls: 'Host',
      obj_uuid: grimsby['uuid'] as string,
      body: 'Unhealthy paths:\nscripted',
      timestamp: new Date(Date.UTC(2024, 5, 1, 12, 0, 0)),
    });
    const o = await until((x) => x.alerts.length > 0, 'the posted alert');
    expect(o.alerts).toEqual([
      {
        uuid: expect.any(String),
        name: 'MULTIPATH_PERIODIC_ALERT',
        priority: 3,
        about: { cls: 'Host', uuid: 'a5100052-d873-4a19-8f2e-d13064cd10a6' },
        timestamp: '20240601T12:00:00Z',
        body: 'Unhealthy paths:\nscripted',
      },
    ]);
  });

  it('demo lab: bond modes lacp and active-backup with properties; speeds 0 / 65535 with link unknown; half duplex', async () => {
    const { sim, until } = await follow('demo-lab.xapi-db.xml');
    const bondOf = (host: string) => sim.records('Bond').find((b) => b.fields['master'] === sim.findPif(host, 'bond0'))!.ref;
    sim.update('Bond', bondOf('xen2'), { mode: 'lacp', properties: { hashing_algorithm: 'tcpudp_ports', 'lacp-time': 'fast' } });
    sim.update('Bond', bondOf('xen4'), { mode: 'active-backup', properties: {} });
    const metricsOf = (host: string, device: string) => sim.get('PIF', sim.findPif(host, device)!)!['metrics'] as string;
    sim.update('PIF_metrics', metricsOf('xen2', 'eth1'), { carrier: 'true', speed: '0' });
    sim.update('PIF_metrics', metricsOf('xen2', 'eth2'), { carrier: 'true', speed: '65535' });
    sim.update('PIF_metrics', metricsOf('xen2', 'eth0'), { carrier: 'true', speed: '10000' });
    // No dump has a link up at half duplex: a 100 Mbit/s half-duplex link on the storage NIC.
    sim.update('PIF_metrics', metricsOf('xen2', 'eth3'), { carrier: 'true', speed: '100', duplex: 'false' });
    const o = await until((x) => hostOf(x, 'xen4').bonds[0]!.mode === 'active-backup' && nicOf(hostOf(x, 'xen2'), 'eth3').speedMbps === 100, 'the changes');
    expect(hostOf(o, 'xen2').bonds[0]).toMatchObject({ mode: 'lacp', properties: { hashing_algorithm: 'tcpudp_ports', 'lacp-time': 'fast' } });
    expect(hostOf(o, 'xen4').bonds[0]).toMatchObject({ mode: 'active-backup', properties: {} });
    expect(hostOf(o, 'xen1').bonds[0]!.mode).toBe('balance-slb');
    const xen2 = hostOf(o, 'xen2');
    expect(nicOf(xen2, 'eth1')).toMatchObject({ carrier: true, speedMbps: null, duplex: 'full' });
    expect(nicOf(xen2, 'eth2')).toMatchObject({ carrier: true, speedMbps: null, duplex: 'full' });
    expect(nicOf(xen2, 'eth0')).toMatchObject({ carrier: true, speedMbps: 10000 });
    expect(nicOf(xen2, 'eth3')).toMatchObject({ carrier: true, speedMbps: 100, duplex: 'half' });
  });

  it("state4: a PBD's device_config LUNid reaches the attachment's target as a number; none gives null", async () => {
    const { sim, until } = await follow('state4.xml');
    // No dump has LUNid (SRs made by XenCenter name the LUN by SCSIid); older CLIs wrote it: script one.
    const pbd = sim.records('PBD').find((p) => typeof (p.fields['device_config'] as Record<string, string>)['targetIQN'] === 'string')!;
    const config = pbd.fields['device_config'] as Record<string, string>;
    const before = await until((x) => x.storage.some((s) => s.attachments.some((a) => a.target !== null)), 'an iSCSI attachment');
    expect(before.storage.flatMap((s) => s.attachments).every((a) => a.target === null || a.target.lunId === null)).toBe(true);
    sim.update('PBD', pbd.ref, { device_config: { ...config, LUNid: '3' } });
    const o = await until((x) => x.storage.some((s) => s.attachments.some((a) => a.target?.lunId === 3)), 'the LUNid');
    expect(o.storage.flatMap((s) => s.attachments).filter((a) => a.target?.lunId === 3)).toHaveLength(1);
  });
});
