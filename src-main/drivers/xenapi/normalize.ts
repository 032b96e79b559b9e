/**
 * xapi records → the lab's PoolObservation. Refs stay here: the result names things (host "xen1",
 * NIC "eth2", bond "bond0", SR "VM store") because refs change between sessions and mean nothing to people.
 * Reverse relations (host.PIFs, Bond.slaves, …) are recomputed from the forward refs, which every version
 * fills in; database dumps and old hosts leave the reverse sets empty (reference §2.13).
 */
import {
  BOND_MODES,
  IP_MODES,
  WATCHED_ALERTS,
  type BondMode,
  type HostBond,
  type HostNic,
  type HostVlan,
  type IpMode,
  type IscsiTargetRef,
  type PoolObservation,
  type SrAttachment,
  type XenAlert,
  type XenHost,
  type XenNetwork,
  type XenStorage,
} from '../../domain/model/pools';
import { parsePathCounts } from '../../domain/health/multipath';
import { bool, int, isoTime, mapValue, ref, str, strMap, strSet, type RawPool, type RawRecord } from './records';

/** Storage types that multipath when the host has it on, even without sm_config multipathable. */
const MULTIPATH_TYPES = new Set(['lvmoiscsi', 'lvmohba', 'gfs2', 'lvmofcoe', 'iscsi']);
const MAX_ALERTS = 50;
/** Old hosts report these when the speed is unknown (reference §2.4). */
const UNKNOWN_SPEEDS = new Set([0, 65535, 4294967295]);

/**
 * eth2 before eth10, xen9 before xen10, case ignored. Hand-written because Intl.Collator's numeric compare
 * was a third of the normaliser's time on a big pool (bench/xenapi-load.bench.ts).
 */
function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      const na = a.slice(i, ei).replace(/^0+(?=\d)/, '');
      const nb = b.slice(j, ej).replace(/^0+(?=\d)/, '');
      if (na.length !== nb.length) return na.length - nb.length;
      if (na !== nb) return na < nb ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    const la = lower(ca);
    const lb = lower(cb);
    if (la !== lb) return la - lb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}
const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const naturally = { compare: naturalCompare };
const byName = <T extends { name: string }>(a: T, b: T) => naturalCompare(a.name, b.name);
const byDevice = <T extends { device: string }>(a: T, b: T) => naturalCompare(a.device, b.device);

export function normalizePool(raw: RawPool, observedAt: string): PoolObservation {
  const hostName = (hostRef: string | null) => (hostRef ? str(raw.host.get(hostRef), 'name_label') : '');
  const networkName = (networkRef: string | null) =>
    networkRef ? str(raw.network.get(networkRef), 'name_label') || str(raw.network.get(networkRef), 'bridge') : '';

  // One pass over PIFs, grouped by host, so a pool of many hosts is not scanned once per host.
  const pifsByHost = new Map<string, [string, RawRecord][]>();
  for (const [pifRef, pif] of raw.PIF) {
    const hostRef = ref(pif, 'host');
    if (!hostRef) continue;
    let list = pifsByHost.get(hostRef);
    if (!list) pifsByHost.set(hostRef, (list = []));
    list.push([pifRef, pif]);
  }

  const bondsByHost = new Map<string, [string, RawRecord][]>();
  for (const [bondRef, bond] of raw.Bond) {
    const hostRef = ref(raw.PIF.get(ref(bond, 'master') ?? ''), 'host');
    if (!hostRef) continue;
    let list = bondsByHost.get(hostRef);
    if (!list) bondsByHost.set(hostRef, (list = []));
    list.push([bondRef, bond]);
  }

  const hosts: XenHost[] = [];
  for (const [hostRef, host] of raw.host) {
    hosts.push(readHost(raw, host, pifsByHost.get(hostRef) ?? [], bondsByHost.get(hostRef) ?? [], networkName));
  }
  hosts.sort(byName);

  const [poolRef, pool] = raw.pool.entries().next().value ?? [null, undefined];
  void poolRef;
  const masterName = hostName(ref(pool, 'master'));
  const heartbeatSrs = new Set<string>();
  for (const vdiRef of strSet(pool, 'ha_statefiles')) {
    const srRef = ref(raw.VDI.get(vdiRef), 'SR');
    if (srRef) heartbeatSrs.add(srRef);
  }
  const haEnabled = bool(pool, 'ha_enabled') === true;

  const storage = readStorage(raw, heartbeatSrs, hostName);
  const heartbeat = haEnabled ? storage.find((sr) => sr.haHeartbeat) : undefined;

  return {
    observedAt,
    pool: {
      uuid: str(pool, 'uuid'),
      name: str(pool, 'name_label') || masterName,
      master: masterName,
      haEnabled,
      haHeartbeatSr: heartbeat ? heartbeat.name : null,
    },
    hosts,
    networks: readNetworks(raw, hostName),
    storage,
    alerts: readAlerts(raw),
  };
}

function readHost(
  raw: RawPool,
  host: RawRecord,
  pifs: [string, RawRecord][],
  hostBonds: [string, RawRecord][],
  networkName: (ref: string | null) => string,
): XenHost {
  const config = (key: string) => mapValue(host, 'other_config', key);
  const software = (key: string) => mapValue(host, 'software_version', key);
  const metrics = raw.host_metrics.get(ref(host, 'metrics') ?? '');
  // The field exists from 7.5; before, other_config carries the flag (reference §2.1).
  const multipathing = bool(host, 'multipathing') ?? config('multipathing') === 'true';
  const deviceOf = (pifRef: string | null) => (pifRef ? str(raw.PIF.get(pifRef), 'device') : '');

  const nics: HostNic[] = [];
  const vlans: HostVlan[] = [];
  for (const [pifRef, pif] of pifs) {
    const tag = int(pif, 'VLAN') ?? -1;
    if (strSet(pif, 'tunnel_access_PIF_of').length > 0) continue; // a tunnel's interface, not a port
    if (tag >= 0) {
      vlans.push(readVlan(raw, pifRef, pif, tag, networkName, deviceOf));
      continue;
    }
    nics.push(readNic(raw, pif, networkName, deviceOf));
  }

  const bonds: HostBond[] = [];
  for (const [bondRef, bond] of hostBonds) {
    const masterRef = ref(bond, 'master');
    const members = new Set(strSet(bond, 'slaves'));
    for (const [pifRef, pif] of pifs) if (ref(pif, 'bond_slave_of') === bondRef) members.add(pifRef);
    const mode = str(bond, 'mode');
    bonds.push({
      uuid: str(bond, 'uuid'),
      device: deviceOf(masterRef),
      mode: (BOND_MODES as readonly string[]).includes(mode) ? (mode as BondMode) : null,
      members: [...members].map(deviceOf).filter(Boolean).sort(naturally.compare),
      primaryMember: deviceOf(ref(bond, 'primary_slave')) || null,
      linksUp: int(bond, 'links_up'),
      properties: strMap(bond, 'properties'),
    });
  }

  const brand = software('product_brand') ?? '';
  const version = software('product_version') ?? software('platform_version') ?? '';
  const major = int(host, 'API_version_major');
  const minor = int(host, 'API_version_minor');
  return {
    uuid: str(host, 'uuid'),
    name: str(host, 'name_label') || str(host, 'hostname'),
    address: str(host, 'address'),
    enabled: bool(host, 'enabled') ?? true,
    live: metrics ? bool(metrics, 'live') : null,
    multipathing,
    multipathHandle: config('multipathhandle') ?? '',
    product: [brand, version].filter(Boolean).join(' '),
    networkBackend: software('network_backend') ?? '',
    apiVersion: major !== null && minor !== null ? `${major}.${minor}` : '',
    nics: nics.sort(byDevice),
    bonds: bonds.sort(byDevice),
    vlans: vlans.sort((a, b) => byDevice({ device: a.on }, { device: b.on }) || a.tag - b.tag),
  };
}

function ipMode(record: RawRecord): IpMode {
  const mode = str(record, 'ip_configuration_mode');
  return (IP_MODES as readonly string[]).includes(mode) ? (mode as IpMode) : 'None';
}

function readNic(
  raw: RawPool,
  pif: RawRecord,
  networkName: (ref: string | null) => string,
  deviceOf: (ref: string | null) => string,
): HostNic {
  const metrics = raw.PIF_metrics.get(ref(pif, 'metrics') ?? '');
  const carrier = metrics ? bool(metrics, 'carrier') : null;
  const speed = metrics ? int(metrics, 'speed') : null;
  const duplex = metrics ? bool(metrics, 'duplex') : null;
  const mtu = int(pif, 'MTU');
  const bondRef = ref(pif, 'bond_slave_of');
  return {
    uuid: str(pif, 'uuid'),
    device: str(pif, 'device'),
    mac: str(pif, 'MAC').toLowerCase(),
    physical: bool(pif, 'physical') ?? true,
    carrier,
    // XenCenter shows speed and duplex only with link; without it the number is stale or a placeholder.
    speedMbps: carrier === true && speed !== null && !UNKNOWN_SPEEDS.has(speed) ? speed : null,
    duplex: carrier === true && duplex !== null ? (duplex ? 'full' : 'half') : null,
    vendor: str(metrics, 'vendor_name'),
    model: str(metrics, 'device_name'),
    pciBusPath: str(metrics, 'pci_bus_path'),
    mtu: mtu !== null && mtu > 0 ? mtu : null,
    management: bool(pif, 'management') === true,
    ipMode: ipMode(pif),
    ip: str(pif, 'IP'),
    netmask: str(pif, 'netmask'),
    gateway: str(pif, 'gateway'),
    disallowUnplug: bool(pif, 'disallow_unplug') === true,
    attached: bool(pif, 'currently_attached') === true,
    network: networkName(ref(pif, 'network')),
    bond: bondRef ? deviceOf(ref(raw.Bond.get(bondRef), 'master')) || null : null,
    purpose: mapValue(pif, 'other_config', 'management_purpose') ?? '',
  };
}

function readVlan(
  raw: RawPool,
  pifRef: string,
  pif: RawRecord,
  tag: number,
  networkName: (ref: string | null) => string,
  deviceOf: (ref: string | null) => string,
): HostVlan {
  // The VLAN row names the tagged PIF; without one, a VLAN PIF shares its tagged PIF's device name.
  let vlan = raw.VLAN.get(ref(pif, 'VLAN_master_of') ?? '');
  if (!vlan) for (const row of raw.VLAN.values()) if (ref(row, 'untagged_PIF') === pifRef) vlan = row;
  return {
    uuid: str(vlan, 'uuid') || str(pif, 'uuid'),
    tag: int(vlan, 'tag') ?? tag,
    on: deviceOf(ref(vlan, 'tagged_PIF')) || str(pif, 'device'),
    network: networkName(ref(pif, 'network')),
    management: bool(pif, 'management') === true,
    ipMode: ipMode(pif),
    ip: str(pif, 'IP'),
    netmask: str(pif, 'netmask'),
    mtu: positive(int(pif, 'MTU')),
    attached: bool(pif, 'currently_attached') === true,
  };
}

const positive = (n: number | null) => (n !== null && n > 0 ? n : null);

function readNetworks(raw: RawPool, hostName: (ref: string | null) => string): XenNetwork[] {
  const hostsOf = new Map<string, Set<string>>();
  for (const pif of raw.PIF.values()) {
    const networkRef = ref(pif, 'network');
    if (!networkRef) continue;
    let set = hostsOf.get(networkRef);
    if (!set) hostsOf.set(networkRef, (set = new Set()));
    const name = hostName(ref(pif, 'host'));
    if (name) set.add(name);
  }
  const networks: XenNetwork[] = [];
  for (const [networkRef, network] of raw.network) {
    const flag = (key: string) => mapValue(network, 'other_config', key) === 'true';
    const mtu = int(network, 'MTU');
    networks.push({
      uuid: str(network, 'uuid'),
      name: str(network, 'name_label') || str(network, 'bridge'),
      bridge: str(network, 'bridge'),
      mtu: mtu !== null && mtu > 0 ? mtu : null,
      hosts: [...(hostsOf.get(networkRef) ?? [])].sort(naturally.compare),
      internal: flag('is_host_internal_management_network') || flag('is_guest_installer_network'),
    });
  }
  return networks.sort(byName);
}

function readStorage(raw: RawPool, heartbeatSrs: Set<string>, hostName: (ref: string | null) => string): XenStorage[] {
  const pbdsBySr = new Map<string, RawRecord[]>();
  for (const pbd of raw.PBD.values()) {
    const srRef = ref(pbd, 'SR');
    if (!srRef) continue;
    let list = pbdsBySr.get(srRef);
    if (!list) pbdsBySr.set(srRef, (list = []));
    list.push(pbd);
  }
  const storage: XenStorage[] = [];
  for (const [srRef, sr] of raw.SR) {
    const type = str(sr, 'type');
    const srScsiId = mapValue(sr, 'sm_config', 'SCSIid');
    const attachments = (pbdsBySr.get(srRef) ?? []).map((pbd) => readAttachment(pbd, srScsiId, hostName));
    attachments.sort((a, b) => naturally.compare(a.host, b.host));
    storage.push({
      uuid: str(sr, 'uuid'),
      name: str(sr, 'name_label') || str(sr, 'uuid'),
      type,
      shared: bool(sr, 'shared') === true,
      multipathCapable: mapValue(sr, 'sm_config', 'multipathable') === 'true' || MULTIPATH_TYPES.has(type),
      sizeBytes: int(sr, 'physical_size'),
      haHeartbeat: heartbeatSrs.has(srRef),
      attachments,
    });
  }
  return storage.sort(byName);
}

function readAttachment(pbd: RawRecord, srScsiId: string | undefined, hostName: (ref: string | null) => string): SrAttachment {
  const otherConfig = strMap(pbd, 'other_config');
  const deviceConfig = strMap(pbd, 'device_config');
  const scsiId = deviceConfig['SCSIid'] ?? srScsiId ?? '';
  // XenCenter takes the first mpath key; the one named after this LUN's SCSIid is the exact one.
  const mpathKey =
    scsiId && `mpath-${scsiId}` in otherConfig
      ? `mpath-${scsiId}`
      : Object.keys(otherConfig)
          .filter((key) => key.startsWith('mpath-'))
          .sort()[0];
  const counts = mpathKey ? parsePathCounts(otherConfig[mpathKey]!) : null;
  const sessions = otherConfig['iscsi_sessions'];
  return {
    host: hostName(ref(pbd, 'host')),
    attached: bool(pbd, 'currently_attached') === true,
    multipathed: otherConfig['multipathed'] === 'true',
    activePaths: counts ? counts.active : null,
    totalPaths: counts ? counts.total : null,
    iscsiSessions: sessions !== undefined && /^\d{1,6}$/.test(sessions) ? Number(sessions) : null,
    target: readTarget(deviceConfig, scsiId),
  };
}

/** Only the addressing keys are copied: device_config also carries CHAP secrets, which must go no further. */
function readTarget(deviceConfig: Record<string, string>, scsiId: string): IscsiTargetRef | null {
  const target = deviceConfig['target'];
  const iqn = deviceConfig['targetIQN'];
  if (target === undefined && iqn === undefined) return null;
  const portals = new Set<string>();
  for (const address of (target ?? '').split(',')) if (address.trim()) portals.add(address.trim());
  for (const entry of (deviceConfig['multihomelist'] ?? '').split(',')) {
    const address = entry.trim().replace(/:\d+$/, '');
    if (address) portals.add(address);
  }
  const port = Number(deviceConfig['port'] ?? '3260');
  const lun = deviceConfig['LUNid'];
  const lunId = lun !== undefined && /^\d{1,5}$/.test(lun.trim()) ? Number(lun.trim()) : null;
  return { portals: [...portals], port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 3260, iqn: iqn ?? '', scsiId, lunId };
}

function readAlerts(raw: RawPool): XenAlert[] {
  const alerts: XenAlert[] = [];
  for (const message of raw.message.values()) {
    const name = str(message, 'name');
    if (!(WATCHED_ALERTS as readonly string[]).includes(name)) continue;
    alerts.push({
      uuid: str(message, 'uuid'),
      name,
      priority: int(message, 'priority') ?? 0,
      about: { cls: str(message, 'cls'), uuid: str(message, 'obj_uuid') },
      timestamp: isoTime(message, 'timestamp'),
      body: str(message, 'body'),
    });
  }
  alerts.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
  return alerts.slice(0, MAX_ALERTS);
}
