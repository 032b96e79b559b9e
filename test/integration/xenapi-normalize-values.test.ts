/**
 * The XenAPI normaliser against values looked up by hand in each dump (the comments quote the rows), over the
 * XAPI simulator and the real client. xenapi-normalize.test.ts compares every field with an independent reading
 * of the dump; this file makes sure that reading is not wrong in the same way as the normaliser.
 */
import { describe, it, expect } from 'vitest';
import { observeDumps, hostOf, nicOf, srNamed } from './helpers/xapi-observed';

const { get } = observeDumps();

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
        timestamp: '2024-03-15T09:41:52.000Z', // the dump's 20240315T09:41:52Z
        body: 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)',
      },
    ]);
    expect(hostOf(get('demo-lab.xapi-db.xml'), 'xen3').uuid).toBe('cc0fde0f-e190-4584-98fb-7296270224de');
    // None of the real dumps holds a watched message.
    for (const name of ['cowley1.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'state4.xml', 'boston-db.xml'] as const) expect(get(name).alerts).toEqual([]);
  });
});
