/**
 * The XenAPI normaliser, field by field, against what each dump itself says. Every real dump in
 * test/fixtures/xapi/ and the demo lab's hand-made one is served by the XAPI simulator, read over the wire by
 * the real client (login, get_all_records, normalizePool; pollPoolOnce for XML-RPC) and compared with an independent
 * reading of the same XML (helpers/xapi-dump-reader.ts, regexes over the rows; nothing from normalize.ts):
 * per NIC speed, duplex, vendor, PCI path, MTU, IP, flags and carrier; bonds; VLANs; networks; SRs and each
 * host's PBD with its multipath counts; host multipathing; HA; alerts. Concrete values looked up in the dumps
 * are asserted in xenapi-normalize-values.test.ts, so an expectation computed wrongly from the dump cannot hide
 * a wrong observation; changes scripted on the simulator are in xenapi-normalize-events.test.ts.
 */
import { describe, it, expect } from 'vitest';
import { WATCHED_ALERTS, type HostNic } from '../../src-main/domain/model/pools';
import { rows, sexprMap, type Dump, type Row } from './helpers/xapi-dump-reader';
import { DUMPS, TRANSPORTS, observeDumps, hostOf, nicOf } from './helpers/xapi-observed';

const { dumps, get } = observeDumps();

/** What the dump says, read straight from its rows. */
function dumpView(d: Dump) {
  const NULL = 'OpaqueRef:NULL';
  const row = (table: string, ref: string | undefined) => (ref && ref !== NULL ? d[table]?.get(ref) : undefined);
  const hostName = (ref: string | undefined) => row('host', ref)?.['name_label'] ?? '';
  const deviceOf = (pifRef: string | undefined) => row('PIF', pifRef)?.['device'] ?? '';
  const networkName = (ref: string | undefined) => row('network', ref)?.['name_label'] ?? '';
  // A tunnel's access PIF (cowley1's tunnel0) is a virtual interface, not a port: the tunnel table says which.
  // xapi derives PIF.tunnel_access_PIF_of from it (the dump does not store it), and so does the simulator.
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
    for (const ref of view.tunnelAccess) {
      const pif = view.row('PIF', ref)!;
      expect(hostOf(o, view.hostName(pif['host'])).nics.map((n) => n.device), 'a tunnel is not a NIC').not.toContain(pif['device']);
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
        // xapi's '20240315T09:41:52Z' as ISO 8601 extended, which the screens parse.
        timestamp: m['timestamp']!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2}:\d{2}:\d{2})Z$/, '$1-$2-$3T$4.000Z'),
        body: m['body'],
      })),
    );
  });
});
