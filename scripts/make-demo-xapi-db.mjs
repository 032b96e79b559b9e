#!/usr/bin/env node
// Writes resources/demo-lab.xapi-db.xml: a HAND-MADE xapi database dump for the demo lab's pool "hp-pool"
// (four HP ProLiant hosts, XenServer 6.2.0, API 2.0), which the app's built-in XenAPI simulator serves.
// No real pool was recorded. The shapes (which attributes each row has, how maps and sets are written, the
// `__` in namespaced names) are copied from real dumps: XenCenter's test resources TampaTwoHostPoolSelectioniSCSI.xml
// (6.0.50/6.1-era lvmoiscsi PBDs, PIF_metrics, SM rows), state4.xml (multipathed PBD other_config)
// and cowley1.xml (Bond/VLAN rows); Bond rows carry the Boston+ fields (mode, primary_slave, properties,
// links_up). The schema minor version for 6.2 is assumed, not recorded.
//
// Deterministic: every uuid and ref is derived from a name through SHA-256, every timestamp is fixed, so
// running the script twice gives the same bytes. Run: node scripts/make-demo-xapi-db.mjs [--check]
// (--check compares with the file on disk and exits 1 when it differs).
//
// The layout is resources/demo-lab.yaml's (the source of truth): per host xenN, eth0 is management
// (10.10.10.1N, untagged VLAN 10 on the switch), eth1 + eth2 are bond0 (balance-slb, no IP) carrying the
// tagged VM VLANs 100 and 101, eth3 is storage (10.10.20.1N, untagged VLAN 20 on the switch); the SAN has
// one portal, 10.10.20.20:3260, so each host has exactly one path to each LUN ("[1, 1]"): the lab's real
// single point of failure, kept on purpose.
//
// The demo shows two deliberate flaws, one per layer: xen3's bond0 has lost eth2's carrier (links_up 1,
// with networkd's BOND_STATUS_CHANGED message), and xen4 has multipathing switched off while the rest of
// the pool has it on (its PBDs carry no mpath-* and no multipathed key).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'demo-lab.xapi-db.xml');

// ── identifiers ────────────────────────────────────────────────────────────────────────────────────────
const hex = (seed) => createHash('sha256').update(`labwarden-demo:${seed}`).digest('hex');
function uuid(seed) {
  const h = hex(seed);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const ref = (seed) => `OpaqueRef:${uuid(`ref:${seed}`)}`;
const NULL = 'OpaqueRef:NULL';

// ── values as xapi writes them ────────────────────────────────────────────────────────────────────────
const quote = (s) => `'${String(s).replace(/[\\'"]/g, (c) => `\\${c}`)}'`;
const set = (items) => `(${items.map(quote).join(' ')})`;
const map = (entries) => `(${Object.entries(entries).map(([k, v]) => `(${quote(k)} ${quote(v)})`).join(' ')})`;
const bool = (b) => (b ? 'true' : 'false');

// ── the lab ───────────────────────────────────────────────────────────────────────────────────────────
const HOSTS = [1, 2, 3, 4].map((n) => ({ n, name: `xen${n}`, ip: `10.10.10.1${n}` }));
const SAN = { portal: '10.10.20.20', port: '3260' };
const LUNS = [
  { key: 'ha', label: 'HA heartbeat', iqn: 'iqn.2013-03.com.dlink:dns-1550-04.ha-heartbeat', bytes: 10 * 1024 ** 3 },
  { key: 'vm', label: 'VM store', iqn: 'iqn.2013-03.com.dlink:dns-1550-04.vm-store', bytes: 1024 ** 4 },
].map((lun) => ({ ...lun, scsiId: `36001405${hex(`scsi:${lun.key}`).slice(0, 24)}` }));
const FLAWS = {
  /** [host, device]: a bond member without carrier. */
  downLink: ['xen3', 'eth2'],
  /** A host with multipathing switched off, unlike the rest of the pool. */
  noMultipath: 'xen4',
};
const NICS = [
  // HP NC382i: the DL360 G7's embedded Broadcom BCM5709 ports.
  { device: 'eth0', pci: '0000:02:00.0' },
  { device: 'eth1', pci: '0000:02:00.1' },
  { device: 'eth2', pci: '0000:03:00.0' },
  { device: 'eth3', pci: '0000:03:00.1' },
];
const MANAGEMENT = { eth0: { subnet: '10.10.10', gateway: '10.10.10.1' } };
const STORAGE = { eth3: { net: 'iscsi', subnet: '10.10.20' } };
const BOND = { device: 'bond0', slaves: ['eth1', 'eth2'], primary: 'eth1', mode: 'balance-slb' };
const VLANS = [
  { tag: 100, net: 'vm-prod', label: 'VM prod (VLAN 100)', bridge: 'xapi2' },
  { tag: 101, net: 'vm-lab', label: 'VM lab (VLAN 101)', bridge: 'xapi3' },
];
const NOW = '20240315T10:00:00Z';
const mac = (host, nic) => `78:e7:d1:5a:${(0x10 + host.n).toString(16)}:${(0x40 + nic).toString(16)}`;

// ── the dump ──────────────────────────────────────────────────────────────────────────────────────────
const tables = new Map(
  [
    'Bond', 'DR_task', 'GPU_group', 'PBD', 'PCI', 'PGPU', 'PIF', 'PIF_metrics', 'SM', 'SR', 'VBD', 'VBD_metrics', 'VDI',
    'VGPU', 'VIF', 'VIF_metrics', 'VLAN', 'VM', 'VMPP', 'VM_appliance', 'VM_guest_metrics', 'VM_metrics', 'VTPM', 'auth',
    'blob', 'console', 'crashdump', 'data_source', 'event', 'host', 'host_cpu', 'host_crashdump', 'host_metrics',
    'host_patch', 'message', 'network', 'pool', 'pool_patch', 'role', 'secret', 'session', 'subject', 'task', 'tunnel', 'user',
  ].map((name) => [name, []]),
);
let generation = 40;
function row(table, seed, fields) {
  const r = ref(seed);
  const ctime = (generation += 7);
  tables.get(table).push({ ref: r, ctime, mtime: ctime + 3, fields: { uuid: uuid(seed), ...fields } });
  return r;
}
const refs = (table, pick) => tables.get(table).filter((r) => pick(r.fields)).map((r) => r.ref);

const hostRef = (h) => ref(`host:${h.name}`);
const dom0Ref = (h) => ref(`dom0:${h.name}`);
const pifRef = (h, device, vlan = -1) => ref(`pif:${h.name}:${device}:${vlan}`);
const bondRef = (h) => ref(`bond:${h.name}`);
const netRef = (key) => ref(`network:${key}`);
const srRef = (key) => ref(`sr:${key}`);
const vdiRef = (key) => ref(`vdi:${key}`);

// networks: the per-NIC pool-wide networks xapi makes at install (eth3's renamed for storage), the bond's,
// the two VLANs'. VLANs 10 and 20 are untagged on the switch ports, so xapi has no VLAN object for them.
const NETWORKS = [
  { key: 'eth0', label: 'Pool-wide network associated with eth0', bridge: 'xenbr0' },
  { key: 'eth1', label: 'Pool-wide network associated with eth1', bridge: 'xenbr1' },
  { key: 'eth2', label: 'Pool-wide network associated with eth2', bridge: 'xenbr2' },
  { key: 'iscsi', label: 'iSCSI (VLAN 20)', bridge: 'xenbr3' },
  { key: 'bond0', label: 'Bond 1+2', bridge: 'xapi1' },
  ...VLANS.map((v) => ({ key: v.net, label: v.label, bridge: v.bridge })),
];
const nicNetwork = { eth0: 'eth0', eth1: 'eth1', eth2: 'eth2', eth3: 'iscsi' };

// The attributes every 6.2 PIF row has (TampaTwoHostPoolSelectioniSCSI.xml's shape; `managed` came with 6.2 SP1).
function pif(seed, fields) {
  return row('PIF', seed, {
    DNS: '',
    IP: '',
    IPv6: '()',
    MTU: '1500',
    VLAN: '-1',
    VLAN_master_of: NULL,
    VLAN_slave_of: '()',
    bond_master_of: '()',
    bond_slave_of: NULL,
    currently_attached: 'true',
    device_name: fields.device,
    disallow_unplug: 'false',
    gateway: '',
    ip_configuration_mode: 'None',
    ipv6_configuration_mode: 'None',
    ipv6_gateway: '',
    management: 'false',
    netmask: '',
    other_config: '()',
    physical: 'false',
    primary_address_type: 'IPv4',
    tunnel_access_PIF_of: '()',
    tunnel_transport_PIF_of: '()',
    ...fields,
  });
}

function pifMetrics(seed, fields) {
  return row('PIF_metrics', seed, {
    carrier: 'true',
    device_id: '',
    device_name: '',
    duplex: 'true',
    io__read_kbs: '0',
    io__write_kbs: '0',
    last_updated: NOW,
    other_config: '()',
    pci_bus_path: '',
    speed: '1000',
    vendor_id: '',
    vendor_name: '',
    ...fields,
  });
}

for (const h of HOSTS) {
  const metrics = (device) => ref(`pif_metrics:${h.name}:${device}`);
  const down = FLAWS.downLink[0] === h.name;
  for (const [i, nic] of NICS.entries()) {
    const isDown = down && FLAWS.downLink[1] === nic.device;
    pifMetrics(`pif_metrics:${h.name}:${nic.device}`, {
      carrier: bool(!isDown),
      device_id: '1639',
      device_name: 'NetXtreme II BCM5709 Gigabit Ethernet',
      duplex: bool(!isDown),
      pci_bus_path: nic.pci,
      speed: isDown ? '65535' : '1000',
      vendor_id: '14e4',
      vendor_name: 'Broadcom Corporation',
    });
    const management = MANAGEMENT[nic.device];
    const storage = STORAGE[nic.device];
    const addressed = management ?? storage;
    const slave = BOND.slaves.includes(nic.device);
    pif(`pif:${h.name}:${nic.device}:-1`, {
      DNS: management ? management.gateway : '',
      IP: addressed ? `${addressed.subnet}.1${h.n}` : '',
      MAC: mac(h, i),
      bond_slave_of: slave ? bondRef(h) : NULL,
      currently_attached: bool(!slave), // a bond's slaves are down while its master is up
      device: nic.device,
      disallow_unplug: bool(Boolean(storage)),
      gateway: management ? management.gateway : '',
      host: hostRef(h),
      ip_configuration_mode: addressed ? 'Static' : 'None',
      management: bool(Boolean(management)),
      metrics: metrics(nic.device),
      netmask: addressed ? '255.255.255.0' : '',
      network: netRef(nicNetwork[nic.device]),
      other_config: storage ? map({ management_purpose: 'Storage' }) : '()',
      physical: 'true',
    });
  }
  // bond0 over eth1+eth2, balance-slb, VM traffic only (no IP); its metrics are networkd's bond view:
  // carrier while any slave has one, speed the sum of the slaves that carry traffic (both, in balance-slb).
  const slavesUp = BOND.slaves.filter((device) => !(down && FLAWS.downLink[1] === device)).length;
  pifMetrics(`pif_metrics:${h.name}:${BOND.device}`, { speed: String(slavesUp * 1000) });
  const bondPif = pif(`pif:${h.name}:${BOND.device}:-1`, {
    MAC: mac(h, NICS.findIndex((nic) => nic.device === BOND.primary)), // the bond takes its primary slave's MAC
    device: BOND.device,
    host: hostRef(h),
    metrics: metrics(BOND.device),
    network: netRef('bond0'),
  });
  row('Bond', `bond:${h.name}`, {
    links_up: String(slavesUp),
    master: bondPif,
    mode: BOND.mode,
    other_config: '()',
    primary_slave: pifRef(h, BOND.primary),
    properties: '()',
  });
  if (down) {
    // networkd's alert when the link went; real xapi keeps messages outside the database, the simulator
    // reads them from the dump's message table.
    row('message', `message:bond:${h.name}`, {
      body: `The status of the ${BOND.slaves.join('+')} bond changed: ${slavesUp}/${BOND.slaves.length} up (was ${BOND.slaves.length}/${BOND.slaves.length})`,
      cls: 'Host',
      name: 'BOND_STATUS_CHANGED',
      obj_uuid: uuid(`host:${h.name}`),
      priority: '3',
      timestamp: '20240315T09:41:52Z',
    });
  }
  for (const v of VLANS) {
    // A VLAN PIF has its tagged PIF's device, a dummy MAC, and shares the tagged PIF's metrics.
    const untagged = pif(`pif:${h.name}:${BOND.device}:${v.tag}`, {
      MAC: 'fe:ff:ff:ff:ff:ff',
      VLAN: String(v.tag),
      VLAN_master_of: ref(`vlan:${h.name}:${v.tag}`),
      device: BOND.device,
      host: hostRef(h),
      metrics: metrics(BOND.device),
      network: netRef(v.net),
    });
    row('VLAN', `vlan:${h.name}:${v.tag}`, { other_config: '()', tag: String(v.tag), tagged_PIF: bondPif, untagged_PIF: untagged });
  }
}

const network = (seed, fields) =>
  row('network', seed, {
    MTU: '1500',
    PIFs: '()',
    VIFs: '()',
    allowed_operations: '()',
    blobs: '()',
    current_operations: '()',
    default_locking_mode: 'unlocked',
    name__description: '',
    other_config: '()',
    tags: '()',
    ...fields,
  });
for (const net of NETWORKS) {
  network(`network:${net.key}`, {
    PIFs: set(refs('PIF', (f) => f.network === netRef(net.key))),
    bridge: net.bridge,
    name__label: net.label,
    other_config: net.key === 'iscsi' || net.key === 'bond0' ? map({ automatic: 'false' }) : '()',
  });
}
network('network:internal', {
  bridge: 'xenapi',
  name__description: 'Network on which guests will be assigned a private link-local IP address which can be used to talk XenAPI',
  name__label: 'Host internal management network',
  other_config: map({
    is_guest_installer_network: 'true',
    is_host_internal_management_network: 'true',
    ip_begin: '169.254.0.1',
    ip_end: '169.254.255.254',
    netmask: '255.255.0.0',
  }),
});

// ── storage ───────────────────────────────────────────────────────────────────────────────────────────
const SM_ROWS = [
  {
    type: 'lvmoiscsi',
    name: 'LVHD over iSCSI',
    description: 'SR plugin which represents disks as Logical Volumes within a Volume Group created on an iSCSI LUN',
    driver: 'LVMoISCSISR',
    capabilities: ['SR_PROBE', 'SR_UPDATE', 'SR_METADATA', 'VDI_CREATE', 'VDI_DELETE', 'VDI_ATTACH', 'VDI_DETACH', 'VDI_GENERATE_CONFIG', 'VDI_CLONE', 'VDI_SNAPSHOT', 'VDI_RESIZE', 'VDI_RESET_ON_BOOT', 'VDI_UPDATE', 'VDI_ACTIVATE', 'VDI_DEACTIVATE'],
    configuration: {
      SCSIid: 'The scsi_id of the destination LUN',
      target: 'IP address or hostname of the iSCSI target',
      targetIQN: 'The IQN of the target LUN group to be attached',
      chapuser: 'The username to be used during CHAP authentication',
      chappassword: 'The password to be used during CHAP authentication',
      incoming_chapuser: 'The incoming username to be used during bi-directional CHAP authentication (optional)',
      incoming_chappassword: 'The incoming password to be used during bi-directional CHAP authentication (optional)',
      port: 'The network port number on which to query the target',
      multihomed: 'Enable multi-homing to this target, true or false (optional, defaults to same value as host.other_config:multipathing)',
      usediscoverynumber: 'The specific iscsi record index to use. (optional)',
      allocation: 'Valid values are thick or thin (optional, defaults to thick)',
    },
  },
  {
    type: 'lvm',
    name: 'Local VHD on LVM',
    description: 'SR plugin which represents disks as VHD disks on Logical Volumes within a locally-attached Volume Group',
    driver: 'LVMSR',
    vendor: 'XenSource Inc',
    capabilities: ['SR_PROBE', 'SR_UPDATE', 'VDI_CREATE', 'VDI_DELETE', 'VDI_ATTACH', 'VDI_DETACH', 'VDI_CLONE', 'VDI_SNAPSHOT', 'VDI_RESIZE', 'VDI_RESET_ON_BOOT', 'VDI_UPDATE', 'VDI_ACTIVATE', 'VDI_DEACTIVATE'],
    configuration: { device: 'local device path (required) (e.g. /dev/sda3)' },
  },
  {
    type: 'iso',
    name: 'ISO',
    description: 'Handles CD images stored as files in iso format',
    driver: 'ISOSR',
    capabilities: ['VDI_CREATE', 'VDI_DELETE', 'VDI_ATTACH', 'VDI_DETACH'],
    configuration: {
      location: 'path to mount (required) (e.g. server:/path)',
      options: "extra options to pass to mount (deprecated) (e.g. '-o ro')",
      type: 'cifs or nfs',
    },
  },
];
for (const sm of SM_ROWS) {
  row('SM', `sm:${sm.type}`, {
    capabilities: set(sm.capabilities),
    configuration: map(sm.configuration),
    copyright: sm.vendor === 'XenSource Inc' ? '(C) 2008 XenSource Inc' : '(C) 2008 Citrix Systems Inc',
    driver_filename: `/opt/xensource/sm/${sm.driver}`,
    name__description: sm.description,
    name__label: sm.name,
    other_config: '()',
    required_api_version: '1.0',
    type: sm.type,
    vendor: sm.vendor ?? 'Citrix Systems Inc',
    version: '1.0',
  });
}

function vdi(key, sr, fields) {
  return row('VDI', `vdi:${key}`, {
    SR: sr,
    VBDs: '()',
    allow_caching: 'false',
    allowed_operations: set(['clone', 'snapshot']),
    crash_dumps: '()',
    current_operations: '()',
    is_a_snapshot: 'false',
    location: uuid(`vdi:${key}`),
    managed: 'true',
    metadata_latest: 'false',
    metadata_of_pool: NULL,
    missing: 'false',
    on_boot: 'persist',
    other_config: '()',
    parent: NULL,
    read_only: 'false',
    sharable: 'false',
    sm_config: map({ vdi_type: 'vhd' }),
    snapshot_of: NULL,
    snapshot_time: '19700101T00:00:00Z',
    snapshots: '()',
    storage_lock: 'false',
    tags: '()',
    xenstore_data: '()',
    ...fields,
  });
}

// HA puts two volumes on the heartbeat SR: the statefile and the pool database's redo log.
vdi('ha-statefile', srRef('ha'), {
  allowed_operations: '()',
  name__description: 'Used for storage heartbeating',
  name__label: 'Statefile for HA',
  physical_utilisation: '4194304',
  sm_config: map({ vdi_type: 'aio' }),
  type: 'ha_statefile',
  virtual_size: '4194304',
});
vdi('ha-metadata', srRef('ha'), {
  allowed_operations: '()',
  name__description: 'Used for master failover',
  name__label: 'Metadata for HA',
  physical_utilisation: '268435456',
  sm_config: map({ vdi_type: 'aio' }),
  type: 'redo_log',
  virtual_size: '268435456',
});
for (const [name, gib] of [['web01 disk 0', 40], ['db01 disk 0', 120], ['db01 disk 1', 200]]) {
  vdi(name, srRef('vm'), {
    name__description: 'Created by template provisioner',
    name__label: name,
    physical_utilisation: String(gib * 1024 ** 3 + 8388608),
    type: 'user',
    virtual_size: String(gib * 1024 ** 3),
  });
}

const sr = (seed, fields) =>
  row('SR', seed, {
    PBDs: '()', // filled below, once the PBDs exist
    VDIs: '()',
    allowed_operations: set(['vdi_create', 'vdi_snapshot', 'pbd_create', 'pbd_destroy', 'plug', 'update', 'vdi_destroy', 'scan', 'vdi_clone', 'vdi_resize', 'unplug']),
    blobs: '()',
    content_type: '',
    current_operations: '()',
    default_vdi_visibility: 'true',
    introduced_by: NULL,
    local_cache_enabled: 'false',
    name__description: '',
    other_config: '()',
    sm_config: '()',
    tags: '()',
    ...fields,
  });
const lvmOverhead = 4194304;
for (const lun of LUNS) {
  const used = tables.get('VDI').filter((r) => r.fields.SR === srRef(lun.key)).reduce((sum, r) => sum + Number(r.fields.physical_utilisation), 0);
  sr(`sr:${lun.key}`, {
    VDIs: set(refs('VDI', (f) => f.SR === srRef(lun.key))),
    name__description: `iSCSI SR [${SAN.portal} (${lun.iqn}; LUN 0: ${lun.scsiId.slice(8)}: ${lun.key === 'ha' ? '10 GB' : '1 TB'} (D-Link))]`,
    name__label: lun.label,
    other_config: map({ 'auto-scan': 'false' }),
    physical_size: String(lun.bytes - lvmOverhead),
    physical_utilisation: String(used),
    shared: 'true',
    sm_config: map({ allocation: 'thick', use_vhd: 'true', multipathable: 'true', devserial: `scsi-${lun.scsiId}` }),
    type: 'lvmoiscsi',
    virtual_allocation: String(used),
  });
}
sr('sr:tools', {
  allowed_operations: set(['forget', 'vdi_introduce', 'plug', 'update', 'destroy', 'scan', 'vdi_clone', 'unplug']),
  content_type: 'iso',
  name__description: 'XenServer Tools ISOs',
  name__label: 'XenServer Tools',
  other_config: map({ 'xensource_internal': 'true', 'xenserver_tools_sr': 'true', 'i18n-key': 'xenserver-tools', 'i18n-original-value-name_label': 'XenServer Tools', 'i18n-original-value-name_description': 'XenServer Tools ISOs' }),
  physical_size: '-1',
  physical_utilisation: '-1',
  shared: 'true',
  type: 'iso',
  virtual_allocation: '0',
});

for (const h of HOSTS) {
  const disk = `3600508b1001c${hex(`disk:${h.name}`).slice(0, 19)}`;
  sr(`sr:local:${h.name}`, {
    content_type: 'user',
    name__label: 'Local storage',
    other_config: map({ 'i18n-original-value-name_label': 'Local storage', 'i18n-key': 'local-storage' }),
    physical_size: '287900106752',
    physical_utilisation: '4194304',
    shared: 'false',
    sm_config: map({ allocation: 'thick', use_vhd: 'true', devserial: `scsi-${disk}` }),
    type: 'lvm',
    virtual_allocation: '0',
  });
  row('PBD', `pbd:local:${h.name}`, {
    SR: srRef(`local:${h.name}`),
    currently_attached: 'true',
    device_config: map({ device: `/dev/disk/by-id/scsi-${disk}-part3` }),
    host: hostRef(h),
    other_config: map({ storage_driver_domain: dom0Ref(h) }),
  });
  row('PBD', `pbd:tools:${h.name}`, {
    SR: srRef('tools'),
    currently_attached: 'true',
    device_config: map({ location: '/opt/xensource/packages/iso', legacy_mode: 'true' }),
    host: hostRef(h),
    other_config: map({ storage_driver_domain: dom0Ref(h) }),
  });
  const multipath = FLAWS.noMultipath !== h.name;
  for (const lun of LUNS) {
    row('PBD', `pbd:${lun.key}:${h.name}`, {
      SR: srRef(lun.key),
      currently_attached: 'true',
      // No CHAP on this SAN, and no multihomelist: there is one portal to discover.
      device_config: map({ port: SAN.port, target: SAN.portal, SCSIid: lun.scsiId, targetIQN: lun.iqn }),
      host: hostRef(h),
      // One storage NIC, one portal: one session and one path per LUN. Without multipathing, SM's mpathcount
      // writes no mpath-* key and no multipathed flag.
      other_config: map({
        storage_driver_domain: dom0Ref(h),
        ...(multipath ? { [`mpath-${lun.scsiId}`]: '[1, 1]', multipathed: 'true' } : {}),
        iscsi_sessions: '1',
      }),
    });
  }
}
for (const r of tables.get('SR')) r.fields.PBDs = set(refs('PBD', (f) => f.SR === r.ref));

// ── hosts, their control domains, the pool ────────────────────────────────────────────────────────────
const statefile = vdiRef('ha-statefile');
for (const h of HOSTS) {
  row('host_metrics', `host_metrics:${h.name}`, {
    last_updated: NOW,
    live: 'true',
    memory__free: String(51539607552 - h.n * 1073741824),
    memory__total: '68718940160',
    other_config: '()',
  });
  row('VM_metrics', `vm_metrics:dom0:${h.name}`, {
    VCPUs__CPU: '()',
    VCPUs__flags: '()',
    VCPUs__number: '4',
    VCPUs__params: '()',
    VCPUs__utilisation: map({ 0: '0', 1: '0', 2: '0', 3: '0' }),
    install_time: '19700101T00:00:00Z',
    last_updated: '19700101T00:00:00Z',
    memory__actual: '788529152',
    other_config: '()',
    start_time: '19700101T00:00:00Z',
    state: '()',
  });
  row('VM', `dom0:${h.name}`, {
    HVM__boot_params: '()',
    HVM__boot_policy: '',
    HVM__shadow_multiplier: '1',
    PCI_bus: '',
    PV__args: '',
    PV__bootloader: '',
    PV__bootloader_args: '',
    PV__kernel: '',
    PV__legacy_args: '',
    PV__ramdisk: '',
    VBDs: '()',
    VCPUs__at_startup: '4',
    VCPUs__max: '4',
    VCPUs__params: '()',
    VGPUs: '()',
    VIFs: '()',
    VTPMs: '()',
    actions__after_crash: 'destroy',
    actions__after_reboot: 'destroy',
    actions__after_shutdown: 'destroy',
    affinity: hostRef(h),
    allowed_operations: set(['changing_dynamic_range']),
    appliance: NULL,
    attached_PCIs: '()',
    bios_strings: '()',
    blobs: '()',
    blocked_operations: '()',
    children: '()',
    consoles: '()',
    crash_dumps: '()',
    current_operations: '()',
    domarch: 'x64',
    domid: '0',
    guest_metrics: NULL,
    ha_always_run: 'false',
    ha_restart_priority: '',
    is_a_snapshot: 'false',
    is_a_template: 'false',
    is_control_domain: 'true',
    is_snapshot_from_vmpp: 'false',
    last_boot_CPU_flags: '()',
    last_booted_record: '',
    memory__dynamic_max: '788529152',
    memory__dynamic_min: '788529152',
    memory__overhead: '11534336',
    memory__static_max: '788529152',
    memory__static_min: '788529152',
    memory__target: '788529152',
    metrics: ref(`vm_metrics:dom0:${h.name}`),
    name__description: 'The domain which manages physical devices and manages other domains',
    name__label: `Control domain on host: ${h.name}`,
    order: '0',
    other_config: map({ storage_driver_domain: dom0Ref(h), is_system_domain: 'true' }),
    parent: NULL,
    platform: '()',
    power_state: 'Running',
    protection_policy: NULL,
    recommendations: '',
    resident_on: hostRef(h),
    scheduled_to_be_resident_on: NULL,
    shutdown_delay: '0',
    snapshot_info: '()',
    snapshot_metadata: '',
    snapshot_of: NULL,
    snapshot_time: '19700101T00:00:00Z',
    snapshots: '()',
    start_delay: '0',
    suspend_SR: NULL,
    suspend_VDI: NULL,
    tags: '()',
    transportable_snapshot_id: '',
    user_version: '1',
    version: '0',
    xenstore_data: '()',
  });
  row('host', `host:${h.name}`, {
    API_version__major: '2',
    API_version__minor: '0',
    API_version__vendor: 'XenSource',
    API_version__vendor_implementation: '()',
    PBDs: set(refs('PBD', (f) => f.host === hostRef(h))),
    PCIs: '()',
    PGPUs: '()',
    PIFs: set(refs('PIF', (f) => f.host === hostRef(h))),
    address: h.ip,
    allowed_operations: set(['vm_migrate', 'evacuate', 'provision', 'vm_resume', 'vm_start']),
    bios_strings: map({
      'bios-vendor': 'HP',
      'bios-version': 'P68',
      'system-manufacturer': 'HP',
      'system-product-name': 'ProLiant DL360 G7',
      'system-version': '',
      'system-serial-number': `CZJ12${30 + h.n}DEMO`,
      'hp-rombios': 'COMPAQ',
    }),
    blobs: '()',
    boot_free_mem: '67108864000',
    capabilities: set(['xen-3.0-x86_64', 'xen-3.0-x86_32p', 'hvm-3.0-x86_32', 'hvm-3.0-x86_32p', 'hvm-3.0-x86_64', '']),
    chipset_info: map({ iommu: 'true' }),
    cpu_configuration: '()',
    cpu_info: map({
      cpu_count: '16',
      vendor: 'GenuineIntel',
      speed: '2399.998',
      modelname: 'Intel(R) Xeon(R) CPU           E5620  @ 2.40GHz',
      family: '6',
      model: '44',
      stepping: '2',
      features: '029ee3ff-bfebfbff-00000001-2c100800',
      features_after_reboot: '029ee3ff-bfebfbff-00000001-2c100800',
      physical_features: '029ee3ff-bfebfbff-00000001-2c100800',
      maskable: 'full',
    }),
    crash_dump_sr: srRef(`local:${h.name}`),
    crashdumps: '()',
    current_operations: '()',
    edition: 'per-socket',
    enabled: 'true',
    external_auth_configuration: '()',
    external_auth_service_name: '',
    external_auth_type: '',
    ha_network_peers: set(HOSTS.map((peer) => uuid(`host:${peer.name}`))),
    ha_statefiles: set([statefile]),
    host_CPUs: '()',
    hostname: h.name,
    license_params: map({ sku_type: 'per-socket', version: '6.2.0', sockets: '2', expiry: '20300101T00:00:00Z', grace: 'no', sku_marketing_name: 'Citrix XenServer Per-Socket Edition', enable_xha: 'true', restrict_vlan: 'false', restrict_pooling: 'false' }),
    license_server: map({ port: '27000', address: 'localhost' }),
    local_cache_sr: NULL,
    logging: '()',
    memory__overhead: '1153433600',
    metrics: ref(`host_metrics:${h.name}`),
    name__description: 'Default install of XenServer',
    name__label: h.name,
    other_config: map({
      agent_start_time: '1710495000.',
      boot_time: '1710494940.',
      iscsi_iqn: `iqn.2013-06.lab.demo:${h.name}`,
      ...(FLAWS.noMultipath === h.name ? { multipathing: 'false' } : { multipathing: 'true', multipathhandle: 'dmp' }),
    }),
    patches: '()',
    power_on_config: '()',
    power_on_mode: '',
    resident_VMs: set([dom0Ref(h)]),
    sched_policy: 'credit',
    software_version: map({
      product_version: '6.2.0',
      product_version_text: '6.2',
      product_version_text_short: '6.2',
      platform_name: 'XCP',
      platform_version: '1.8.0',
      product_brand: 'XenServer',
      build_number: '70446c',
      hostname: h.name,
      date: '2013-06-14',
      dbv: '2013.0621',
      xapi: '1.3',
      xen: '4.1.5',
      xencenter_min: '2.0',
      xencenter_max: '2.0',
      network_backend: 'openvswitch',
    }),
    supported_bootloaders: set(['pygrub', 'eliloader']),
    suspend_image_sr: srRef(`local:${h.name}`),
    tags: '()',
  });
}

row('pool', 'pool', {
  blobs: '()',
  crash_dump_SR: srRef('vm'),
  default_SR: srRef('vm'),
  gui_config: '()',
  ha_allow_overcommit: 'false',
  ha_configuration: '()',
  ha_enabled: 'true',
  ha_host_failures_to_tolerate: '1',
  ha_overcommitted: 'false',
  ha_plan_exists_for: '1',
  ha_statefiles: set([statefile]),
  master: hostRef(HOSTS[0]),
  metadata_VDIs: '()',
  name__description: 'Four HP ProLiant DL360 G7, HA on the D-Link SAN',
  name__label: 'hp-pool',
  other_config: map({ cpuid_feature_mask: 'ffffff7f-ffffffff-ffffffff-ffffffff', 'memory-ratio-hvm': '0.25', 'memory-ratio-pv': '0.25' }),
  redo_log_enabled: 'false',
  redo_log_vdi: NULL,
  restrictions: map({ restrict_vlan: 'false', restrict_pooling: 'false', enable_xha: 'true', restrict_marathon: 'false', restrict_dmc: 'false' }),
  suspend_image_SR: srRef('vm'),
  tags: '()',
  vswitch_controller: '',
  wlb_enabled: 'false',
  wlb_password: NULL,
  wlb_url: '',
  wlb_username: '',
  wlb_verify_cert: 'false',
});

// ── write ─────────────────────────────────────────────────────────────────────────────────────────────
const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const manifest = {
  installation_uuid: uuid('host:xen1'),
  control_domain_uuid: uuid('dom0:xen1'),
  pool_conf: 'master',
  pool_token: `${uuid('token:1')}/${uuid('token:2')}/${uuid('token:3')}`,
  schema_major_vsn: '5',
  schema_minor_vsn: '67',
  product_version: '6.2.0',
  product_brand: 'XenServer',
  build_number: '70446c',
  xapi_major_vsn: '1',
  xapi_minor_vsn: '3',
  generation_count: String(generation + 10),
};
const lines = [
  '<!-- HAND-MADE, not recorded from a real pool: the demo lab\'s XenServer 6.2 pool "hp-pool", generated by',
  '     scripts/make-demo-xapi-db.mjs (edit the script, not this file). Shaped on real xapi dumps from',
  '     XenCenter\'s test resources (TampaTwoHostPoolSelectioniSCSI.xml, state4.xml, cowley1.xml; see',
  '     test/fixtures/xapi/README.md). Layout as resources/demo-lab.yaml: eth0 management, eth1+eth2 bond0',
  '     (balance-slb, VLANs 100/101), eth3 iSCSI, one SAN portal so one path per LUN. Deliberate flaws: xen3',
  '     bond0 has lost eth2 (links_up 1); xen4 has multipathing off (the rest of the pool has it on). -->',
  `<database><manifest>${Object.entries(manifest).map(([k, v]) => `<pair key="${k}" value="${attr(v)}"/>`).join('')}</manifest>`,
];
for (const [name, rows] of [...tables].sort(([a], [b]) => byName(a, b))) {
  if (rows.length === 0) {
    lines.push(`<table name="${name}"/>`);
    continue;
  }
  lines.push(`<table name="${name}">`);
  for (const r of rows) {
    const fields = Object.entries({ ...r.fields, _ref: r.ref }).sort(([a], [b]) => byName(a, b));
    lines.push(`<row ref="${r.ref}" __ctime="${r.ctime}" __mtime="${r.mtime}" ${fields.map(([k, v]) => `${k}="${attr(v)}"`).join(' ')}/>`);
  }
  lines.push('</table>');
}
lines.push('</database>', '');
const text = lines.join('\n');

if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== text) {
    process.stderr.write(`${OUT} is out of date: run node scripts/make-demo-xapi-db.mjs\n`);
    process.exit(1);
  }
  process.stdout.write(`${OUT} is up to date\n`);
} else {
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT} (${text.length} bytes)\n`);
}
