/**
 * GENERATED (hand-made, not from real gear): a lab of the size the audit's performance targets name, built
 * deterministically from a seed, for bench/audit.bench.ts.
 *
 * - 5 pools of 10 XenServer hosts (xen01…xen50). Each host: eth0 management, eth1 + eth2 bonded as bond0
 *   (balance-slb in pools 1–4, LACP in pool 5) carrying VLANs 100–103, eth3 storage on 10.20/16 and, on all
 *   but two hosts, eth4 storage on 10.21/16. Two iSCSI SRs per pool (a VM store and an HA heartbeat, each on
 *   one SAN's target with two portals), a local SR per host.
 * - 40 switches of 52 ports: core-a and core-b (an LACP LAG Trk1 between them on ports 49–50) and 38 access
 *   switches acc01…acc38 in 19 stacked pairs (rack01…rack19, stack link on port 49), each access switch
 *   uplinked on port 51 to core-a and on port 52 to core-b. Host h lands on pair (h−1) mod 19: eth0, eth1
 *   and eth3 on the pair's A switch, eth2 and eth4 on its B switch. Pool 5's LACP bonds meet a LAG spanning
 *   the pair (one member on each switch).
 * - 4 SANs (san1…san4), each a target with portal A (10.20.0.10k, lan1 → core-a) and portal B
 *   (10.21.0.10k, lan2 → core-b), answering SNMP (ports and addresses) and probed by the iSCSI collector.
 * - An inventory cable for every cable; LLDP neighbours for the host ports of most hosts and for every
 *   inter-switch link; forwarding tables with the hosts' MACs and a few VM MACs per host.
 *
 * Planted faults (so the audit has findings to make), each listed in FAULTS below; and every host's
 * management on one NIC, which the inventory accepts (50 accepted findings), as a lab owner would.
 */
import type { Inventory, InventoryDevice, InventoryLink, InventoryPort, InventoryTarget } from '../src-main/domain/model/inventory';
import type { HostBond, HostNic, HostVlan, PoolObservation, XenHost, XenNetwork, XenStorage } from '../src-main/domain/model/pools';
import type { FdbEntry, LacpState, LagMember, PortView, SnmpLag, SnmpNeighbor, SwitchView } from '../src-main/domain/model/switches';
import type { PortalProbe } from '../src-main/domain/model/san';
import type { PortRole } from '../src-main/domain/model/ports';
import { DEFAULT_SNMP } from '../src-main/domain/model/devices';
import { prng } from '../test/unit/helpers/prng';

const hex2 = (n: number) => (n & 255).toString(16).padStart(2, '0');
const mac = (a: number, b: number, c: number, d: number) => `02:${hex2(a)}:${hex2(b)}:${hex2(c)}:${hex2(d >> 8)}:${hex2(d)}`;
const uuid = (kind: number, n: number) => `00000000-0000-4000-8000-${kind.toString(16).padStart(4, '0')}${n.toString(16).padStart(8, '0')}`;
const pad2 = (n: number) => String(n).padStart(2, '0');

export const POOLS = 5;
export const HOSTS_PER_POOL = 10;
export const HOSTS = POOLS * HOSTS_PER_POOL;
export const ACCESS = 38;
export const PAIRS = ACCESS / 2;
export const SANS = 4;
export const SWITCH_PORTS = 52;

const VM_VLANS = [100, 101, 102, 103];
const ALL_VLANS = [10, 20, 21, ...VM_VLANS];

export const hostName = (i: number) => `xen${pad2(i)}`;
export const poolName = (p: number) => `pool${p}`;
export const accessName = (n: number) => `acc${pad2(n)}`;
export const sanName = (k: number) => `san${k}`;
const poolOfHost = (i: number) => Math.ceil(i / HOSTS_PER_POOL);
const portalA = (k: number) => `10.20.0.${100 + k}`;
const portalB = (k: number) => `10.21.0.${100 + k}`;
const iqnOf = (k: number) => `iqn.2026-01.lab.generated:san${k}.store`;
/** The SAN each pool's VM store and HA heartbeat SRs live on. */
const storeSan = (p: number) => ((p - 1) % SANS) + 1;
const heartbeatSan = (p: number) => (p % 3) + 1;

/** The faults planted, by what the audit should say about them. */
export const FAULTS = {
  /** xen07's eth2 has no carrier (bond.degraded). */
  bondMemberDown: 7,
  /** xen19 and xen39 have no eth4: one path per SR, and pool networks "iSCSI B" not on every host. */
  singleStorageNic: [19, 39],
  /** The switch port under xen12's eth2 lacks VLAN 103 (vlan.missing-on-switch, drift.vlan). */
  vlanMissing: 12,
  /** xen25's eth3 runs MTU 9000 on a switch port of MTU 1500 (link.mtu-mismatch). */
  mtuMismatch: 25,
  /** xen30's eth3 negotiated half duplex (link.duplex-mismatch). */
  duplexMismatch: 30,
  /** xen44's LACP bond lands on two switch ports that are no LAG (bond.switch-lag-mismatch). */
  lacpWithoutLag: 44,
  /** The inventory cables xen33's eth0 to a port two along from where LLDP and the MAC table see it (link.conflict). */
  wrongCable: 33,
  /** xen16's bond members are two ports of one NIC controller (spof.shared-nic-controller). */
  sharedController: 16,
  /** HA is off in pool3 (ha.off). */
  haOff: 3,
  /** san4's portal B does not answer; its hosts' PBDs count 1 of 2 paths active (multipath.paths-down). */
  portalDown: 4,
} as const;

export interface GeneratedLab {
  inventory: Inventory;
  /** Pool device name → its observation. */
  pools: Map<string, PoolObservation>;
  /** Switch or SAN device name → its SNMP view. */
  views: Map<string, SwitchView>;
  /** SAN device name → its portals' probes. */
  probes: Map<string, PortalProbe[]>;
  /** Physical ports the lab has (host NICs, switch and SAN ports). */
  physicalPorts: number;
}

/** Where each host NIC is cabled: device and port number on the switch. */
interface Placement {
  a: string;
  b: string;
  base: number;
  pair: number;
}

const placement = (i: number): Placement => {
  const idx = i - 1;
  const pair = idx % PAIRS;
  const slot = Math.floor(idx / PAIRS);
  return { a: accessName(pair * 2 + 1), b: accessName(pair * 2 + 2), base: slot * 6, pair };
};

const hasEth4 = (i: number) => !(FAULTS.singleStorageNic as readonly number[]).includes(i);
const lacpHost = (i: number) => poolOfHost(i) === POOLS;
const lldpdRuns = (rand: () => number) => rand() >= 0.15;

function nicMac(i: number, n: number): string {
  return mac(0x10, i, n, 0);
}

function switchMac(device: string, port: number): string {
  const id = device.startsWith('core-') ? (device === 'core-a' ? 1 : 2) : device.startsWith('san') ? 200 + Number(device.slice(3)) : 10 + Number(device.slice(3));
  return mac(0x20, id, 0, port);
}

const lacp = (up: boolean): LacpState => ({
  activity: true,
  timeout: false,
  aggregation: true,
  synchronization: up,
  collecting: up,
  distributing: up,
  defaulted: !up,
  expired: false,
});

export function generateLab(observedAt: string, seed = 20261207): GeneratedLab {
  const rand = prng(seed).next;
  const devices: InventoryDevice[] = [];
  const links: InventoryLink[] = [];
  const targets: InventoryTarget[] = [];
  const cable = (a: string, ap: string, b: string, bp: string, notes = '') => links.push({ a: { device: a, port: ap }, b: { device: b, port: bp }, source: 'manual', notes });
  // Filled while hosts are placed, read when the switch views are built.
  const lagFdb = new Map<string, { mac: string; vlan: number | null }[]>();
  const lagPartner = new Map<string, string>();
  const coreFdb: { core: string; port: number; mac: string; vlan: number | null }[] = [];
  const port = (name: string, role: PortRole, extra: Partial<InventoryPort> = {}): InventoryPort => ({ name, role, aggregate: '', mac: '', untaggedVlan: null, taggedVlans: [], notes: '', ...extra });

  // ---- switch ports, filled in as hosts and SANs are placed: what each port is, as both sides see it.
  interface SwitchPort {
    role: PortRole;
    up: boolean;
    untagged: number | null;
    tagged: number[];
    mtu: number;
    duplex: 'full' | 'half' | null;
    lag: string | null;
    neighbor: Omit<SnmpNeighbor, 'localIfIndex'> | null;
    fdb: { mac: string; vlan: number | null }[];
    plannedTagged?: number[];
  }
  const switches = new Map<string, Map<number, SwitchPort>>();
  const switchNames = ['core-a', 'core-b', ...Array.from({ length: ACCESS }, (_, n) => accessName(n + 1))];
  for (const name of switchNames) switches.set(name, new Map());
  const at = (device: string, n: number, value: Partial<SwitchPort> & { role: PortRole }) => {
    const existing = switches.get(device)!.get(n);
    switches.get(device)!.set(n, { up: true, untagged: null, tagged: [], mtu: 9216, duplex: 'full', lag: null, neighbor: null, fdb: [], ...existing, ...value });
  };
  const lldpFrom = (system: string, portId: string, portDescr: string, chassis: string, address: string, caps: string[]): Omit<SnmpNeighbor, 'localIfIndex'> => ({
    remoteSystemName: system,
    remoteSystemDescr: system.startsWith('xen') ? 'XenServer release 8.2.1 (xenenterprise)' : 'HAND-MADE generated switch',
    remotePortId: portId,
    remotePortDescr: portDescr,
    remoteChassisId: chassis,
    remoteManagementAddress: address,
    remoteCapabilities: caps,
    remotePlatform: '',
    source: 'lldp',
  });

  // ---- the pools and their hosts
  const pools = new Map<string, PoolObservation>();
  const acceptedFindings: { id: string; note: string }[] = [];
  for (let p = 1; p <= POOLS; p++) {
    devices.push({
      name: poolName(p),
      kind: 'xen-pool',
      address: `10.0.0.${p}`,
      vendor: 'XCP-ng',
      model: '',
      location: '',
      notes: 'GENERATED',
      memberOf: null,
      stack: '',
      snmp: null,
      xenapi: { url: `https://10.0.0.${p}`, username: 'root' },
      dsm: null,
      ports: [],
    });
    const hosts: XenHost[] = [];
    for (let h = 1; h <= HOSTS_PER_POOL; h++) {
      const i = (p - 1) * HOSTS_PER_POOL + h;
      const name = hostName(i);
      const place = placement(i);
      const lacpBond = lacpHost(i);
      const lldp = lldpdRuns(rand);
      const address = `10.1.0.${i}`;
      const chassis = nicMac(i, 0);
      const nic = (n: number, extra: Partial<HostNic>): HostNic => ({
        uuid: uuid(1, i * 16 + n),
        device: `eth${n}`,
        mac: nicMac(i, n),
        physical: true,
        carrier: true,
        speedMbps: 10000,
        duplex: 'full',
        vendor: 'Intel Corporation',
        model: 'Ethernet Controller X710 for 10GbE SFP+',
        pciBusPath: ['0000:01:00.0', '0000:01:00.1', '0000:03:00.0', '0000:03:00.1', '0000:04:00.0'][n]!,
        mtu: 1500,
        management: false,
        ipMode: 'None',
        ip: '',
        netmask: '',
        gateway: '',
        disallowUnplug: false,
        attached: true,
        network: `Pool-wide network associated with eth${n}`,
        bond: null,
        purpose: '',
        ...extra,
      });
      const nics: HostNic[] = [
        nic(0, { management: true, ipMode: 'Static', ip: address, netmask: '255.255.0.0', gateway: '10.1.255.254', network: 'Management' }),
        nic(1, { bond: 'bond0', attached: false }),
        nic(2, {
          bond: 'bond0',
          attached: false,
          ...(i === FAULTS.bondMemberDown ? { carrier: false, speedMbps: null, duplex: null } : {}),
          ...(i === FAULTS.sharedController ? { pciBusPath: '0000:01:00.2' } : {}),
        }),
        nic(3, {
          ipMode: 'Static',
          ip: `10.20.1.${i}`,
          netmask: '255.255.0.0',
          disallowUnplug: true,
          network: 'iSCSI A',
          purpose: 'Storage',
          mtu: i === FAULTS.mtuMismatch ? 9000 : 1500,
          ...(i === FAULTS.duplexMismatch ? { duplex: 'half' as const, speedMbps: 1000 } : {}),
        }),
        ...(hasEth4(i) ? [nic(4, { ipMode: 'Static', ip: `10.21.1.${i}`, netmask: '255.255.0.0', disallowUnplug: true, network: 'iSCSI B', purpose: 'Storage' })] : []),
      ];
      const membersUp = nics.filter((n) => n.bond === 'bond0' && n.carrier).length;
      nics.unshift({ ...nic(9, {}), uuid: uuid(1, i * 16 + 9), device: 'bond0', mac: nicMac(i, 1), physical: false, pciBusPath: '', vendor: '', model: '', speedMbps: membersUp * 10000, network: 'Bond 0+1', attached: true });
      const bonds: HostBond[] = [
        {
          uuid: uuid(2, i),
          device: 'bond0',
          mode: lacpBond ? 'lacp' : 'balance-slb',
          members: ['eth1', 'eth2'],
          primaryMember: 'eth1',
          linksUp: membersUp,
          properties: lacpBond ? { hashing_algorithm: 'tcpudp_ports', 'lacp-time': 'slow' } : {},
        },
      ];
      const vlans: HostVlan[] = VM_VLANS.map((tag) => ({ uuid: uuid(3, i * 16 + tag - 100), tag, on: 'bond0', network: `VM ${tag}`, management: false, ipMode: 'None', ip: '', netmask: '', mtu: 1500, attached: true }));
      hosts.push({
        uuid: uuid(4, i),
        name,
        address,
        enabled: true,
        live: true,
        multipathing: true,
        multipathHandle: 'dmp',
        product: 'XCP-ng 8.2.1',
        networkBackend: 'openvswitch',
        apiVersion: '2.16',
        nics,
        bonds,
        vlans,
      });

      // The inventory's side of the host.
      devices.push({
        name,
        kind: 'xen-host',
        address,
        vendor: 'Dell',
        model: 'PowerEdge R640',
        location: `rack${pad2(place.pair + 1)}`,
        notes: 'GENERATED',
        memberOf: poolName(p),
        stack: '',
        snmp: null,
        xenapi: null,
        dsm: null,
        ports: [
          port('eth0', 'management', { mac: nicMac(i, 0), untaggedVlan: 10 }),
          port('eth1', 'vm', { mac: nicMac(i, 1), aggregate: 'bond0', taggedVlans: VM_VLANS }),
          port('eth2', 'vm', { mac: nicMac(i, 2), aggregate: 'bond0', taggedVlans: VM_VLANS }),
          port('eth3', 'storage', { mac: nicMac(i, 3), untaggedVlan: 20 }),
          ...(hasEth4(i) ? [port('eth4', 'storage', { mac: nicMac(i, 4), untaggedVlan: 21 })] : []),
        ],
      });
      acceptedFindings.push({ id: `spof.management-single-nic:${name}`, note: 'GENERATED: management stays on eth0 until the next maintenance window' });

      // Where its cables land, and what the switch sees there.
      const hear = (n: number) => (lldp && !(i === FAULTS.bondMemberDown && n === 2) ? lldpFrom(name, nicMac(i, n), `eth${n}`, chassis, address, ['bridge', 'station']) : null);
      const eth0Port = place.base + 1;
      at(place.a, eth0Port, { role: 'management', untagged: 10, mtu: 1500, neighbor: hear(0), fdb: [{ mac: nicMac(i, 0), vlan: 10 }] });
      cable(name, 'eth0', place.a, String(i === FAULTS.wrongCable ? eth0Port + 3 : eth0Port), i === FAULTS.wrongCable ? 'GENERATED: the wrong port, on purpose' : '');
      if (i === FAULTS.wrongCable) at(place.a, eth0Port + 3, { role: 'management', up: false, untagged: 10, mtu: 1500 });
      const lag = lacpBond && i !== FAULTS.lacpWithoutLag ? `Trk${Math.floor(place.base / 6) + 1}` : null;
      const memberVlans = lag ? [] : VM_VLANS;
      const vmMacs = Array.from({ length: 3 + Math.floor(rand() * 6) }, (_, v) => ({ mac: mac(0x30, i, v, 0), vlan: VM_VLANS[Math.floor(rand() * VM_VLANS.length)]!, on: rand() < 0.5 ? 1 : 2 }));
      const memberFdb = (n: 1 | 2) => [...(n === 1 ? [{ mac: nicMac(i, 1), vlan: null }] : []), ...vmMacs.filter((v) => v.on === n).map((v) => ({ mac: v.mac, vlan: v.vlan }))];
      at(place.a, place.base + 2, { role: 'vm', tagged: memberVlans, plannedTagged: VM_VLANS, lag, neighbor: hear(1), fdb: lag ? [] : memberFdb(1) });
      at(place.b, place.base + 2, {
        role: 'vm',
        tagged: i === FAULTS.vlanMissing ? VM_VLANS.filter((v) => v !== 103) : memberVlans,
        plannedTagged: VM_VLANS,
        lag,
        up: i !== FAULTS.bondMemberDown,
        neighbor: hear(2),
        fdb: lag || i === FAULTS.bondMemberDown ? [] : memberFdb(2),
      });
      if (lag) {
        // Learned on the LAG interface, which the view builder below lists under the LAG's ifIndex.
        lagFdb.set(`${place.a}/${lag}`, [...(lagFdb.get(`${place.a}/${lag}`) ?? []), { mac: nicMac(i, 1), vlan: null }, ...vmMacs.filter((v) => v.on === 1).map((v) => ({ mac: v.mac, vlan: v.vlan }))]);
        lagFdb.set(`${place.b}/${lag}`, [...(lagFdb.get(`${place.b}/${lag}`) ?? []), ...vmMacs.filter((v) => v.on === 2).map((v) => ({ mac: v.mac, vlan: v.vlan }))]);
        lagPartner.set(`${place.a}/${lag}`, nicMac(i, 1));
        lagPartner.set(`${place.b}/${lag}`, nicMac(i, 1));
      }
      cable(name, 'eth1', place.a, String(place.base + 2));
      cable(name, 'eth2', place.b, String(place.base + 2));
      at(place.a, place.base + 3, {
        role: 'storage',
        untagged: 20,
        mtu: i === FAULTS.mtuMismatch ? 1500 : 9216,
        neighbor: hear(3),
        fdb: [{ mac: nicMac(i, 3), vlan: 20 }],
      });
      cable(name, 'eth3', place.a, String(place.base + 3));
      if (hasEth4(i)) {
        at(place.b, place.base + 3, { role: 'storage', untagged: 21, neighbor: hear(4), fdb: [{ mac: nicMac(i, 4), vlan: 21 }] });
        cable(name, 'eth4', place.b, String(place.base + 3));
      }
      // The cores learn every host MAC behind each access switch's uplink.
      const pairA = place.pair * 2 + 1;
      for (const [core, n, macs] of [
        ['core-a', pairA, [nicMac(i, 0), nicMac(i, 1), nicMac(i, 3)]],
        ['core-b', pairA + 1, hasEth4(i) ? [nicMac(i, 4)] : []],
      ] as const) {
        for (const m of macs) coreFdb.push({ core, port: n, mac: m, vlan: null });
      }
    }

    // Networks and SRs of the pool.
    const names = hosts.map((h) => h.name);
    const network = (n: number, name: string, bridge: string, on: string[], extra: Partial<XenNetwork> = {}): XenNetwork => ({ uuid: uuid(5, p * 64 + n), name, bridge, mtu: 1500, hosts: on, internal: false, ...extra });
    const networks: XenNetwork[] = [
      network(0, 'Management', 'xenbr0', names),
      network(1, 'Pool-wide network associated with eth1', 'xenbr1', names),
      network(2, 'Pool-wide network associated with eth2', 'xenbr2', names),
      network(3, 'Bond 0+1', 'xapi1', names),
      network(4, 'iSCSI A', 'xenbr3', names),
      network(5, 'iSCSI B', 'xenbr4', hosts.filter((h) => h.nics.some((n) => n.device === 'eth4')).map((h) => h.name)),
      network(6, 'Host internal management network', 'xenapi', [], { internal: true }),
      ...VM_VLANS.map((tag, v) => network(10 + v, `VM ${tag}`, `xapi${2 + v}`, names)),
    ];
    const iscsiSr = (n: number, name: string, san: number, heartbeat: boolean): XenStorage => ({
      uuid: uuid(6, p * 16 + n),
      name,
      type: 'lvmoiscsi',
      shared: true,
      multipathCapable: true,
      sizeBytes: 2 * 1024 ** 4,
      haHeartbeat: heartbeat,
      attachments: hosts.map((h) => {
        const paths = h.nics.some((x) => x.device === 'eth4') ? 2 : 1;
        const active = san === FAULTS.portalDown && paths === 2 ? 1 : paths;
        return {
          host: h.name,
          attached: true,
          multipathed: true,
          activePaths: active,
          totalPaths: paths,
          iscsiSessions: paths,
          target: { portals: [portalA(san), portalB(san)], port: 3260, iqn: iqnOf(san), scsiId: `36001405${hex2(p)}${hex2(n)}${'0'.repeat(22)}`, lunId: (p - 1) * 2 + n },
        };
      }),
    });
    const haOn = p !== FAULTS.haOff;
    const storage: XenStorage[] = [
      iscsiSr(0, `VM store ${p}`, storeSan(p), false),
      iscsiSr(1, `HA heartbeat ${p}`, heartbeatSan(p), haOn),
      ...hosts.map((h, n) => ({
        uuid: uuid(7, p * 16 + n),
        name: `Local storage on ${h.name}`,
        type: 'lvm',
        shared: false,
        multipathCapable: false,
        sizeBytes: 500 * 1024 ** 3,
        haHeartbeat: false,
        attachments: [{ host: h.name, attached: true, multipathed: false, activePaths: null, totalPaths: null, iscsiSessions: null, target: null }],
      })),
    ];
    pools.set(poolName(p), {
      observedAt,
      pool: { uuid: uuid(8, p), name: poolName(p), master: hosts[0]!.name, haEnabled: haOn, haHeartbeatSr: haOn ? `HA heartbeat ${p}` : null },
      hosts,
      networks,
      storage,
      alerts: [],
    });
  }

  // ---- the switch fabric: uplinks, stack links, the core LAG, the SANs
  for (let n = 1; n <= ACCESS; n++) {
    const acc = accessName(n);
    const trunk = { role: 'uplink' as PortRole, tagged: ALL_VLANS, untagged: 1 };
    at(acc, 51, { ...trunk, neighbor: lldpFrom('core-a', String(n), String(n), switchMac('core-a', 0), '10.2.0.1', ['bridge']) });
    at('core-a', n, { ...trunk, neighbor: lldpFrom(acc, '51', '51', switchMac(acc, 0), `10.2.1.${n}`, ['bridge']) });
    cable(acc, '51', 'core-a', String(n));
    at(acc, 52, { ...trunk, neighbor: lldpFrom('core-b', String(n), String(n), switchMac('core-b', 0), '10.2.0.2', ['bridge']) });
    at('core-b', n, { ...trunk, neighbor: lldpFrom(acc, '52', '52', switchMac(acc, 0), `10.2.1.${n}`, ['bridge']) });
    cable(acc, '52', 'core-b', String(n));
    const partner = n % 2 === 1 ? accessName(n + 1) : accessName(n - 1);
    at(acc, 49, { ...trunk, neighbor: lldpFrom(partner, '49', '49', switchMac(partner, 0), '', ['bridge']) });
    if (n % 2 === 1) cable(acc, '49', partner, '49', 'stack link');
  }
  for (const [core, other] of [['core-a', 'core-b'], ['core-b', 'core-a']] as const) {
    for (const n of [49, 50]) at(core, n, { role: 'uplink', tagged: [], untagged: null, lag: 'Trk1', neighbor: lldpFrom(other, String(n), String(n), switchMac(other, 0), '', ['bridge']) });
    lagPartner.set(`${core}/Trk1`, switchMac(other, 0));
  }
  cable('core-a', '49', 'core-b', '49');
  cable('core-a', '50', 'core-b', '50');

  const views = new Map<string, SwitchView>();
  const probes = new Map<string, PortalProbe[]>();
  for (let k = 1; k <= SANS; k++) {
    const san = sanName(k);
    const ports = [
      { n: 1, name: 'mgmt', role: 'management' as PortRole, vlan: 10, core: 'core-a', corePort: 44 + k, address: `10.3.0.${k}` },
      { n: 2, name: 'lan1', role: 'storage' as PortRole, vlan: 20, core: 'core-a', corePort: 40 + k, address: portalA(k) },
      { n: 3, name: 'lan2', role: 'storage' as PortRole, vlan: 21, core: 'core-b', corePort: 40 + k, address: portalB(k) },
    ];
    devices.push({
      name: san,
      kind: 'iscsi-san',
      address: `10.3.0.${k}`,
      vendor: 'Generated',
      model: 'GEN-SAN 2',
      location: 'core rack',
      notes: 'GENERATED',
      memberOf: null,
      stack: '',
      snmp: { ...DEFAULT_SNMP },
      xenapi: null,
      dsm: null,
      ports: ports.map((x) => port(x.name, x.role, { mac: switchMac(san, x.n), untaggedVlan: x.vlan })),
    });
    for (const x of ports) {
      at(x.core, x.corePort, {
        role: x.role,
        untagged: x.vlan,
        up: !(k === FAULTS.portalDown && x.name === 'lan2'),
        neighbor: lldpFrom(san, x.name, x.name, switchMac(san, 0), `10.3.0.${k}`, ['station']),
        fdb: [{ mac: switchMac(san, x.n), vlan: x.vlan }],
      });
      cable(san, x.name, x.core, String(x.corePort));
    }
    views.set(
      san,
      viewOf(observedAt, san, 'GEN-SAN 2', switchMac(san, 0), [
        ...ports.map((x) =>
          portView(x.n, x.name, {
            mac: switchMac(san, x.n),
            operUp: !(k === FAULTS.portalDown && x.name === 'lan2'),
            mtu: x.role === 'storage' ? 9000 : 1500,
            untaggedVlans: [],
            pvid: null,
          }),
        ),
      ], [], [], [], ports.map((x) => ({ address: x.address, ifIndex: x.n, prefixLength: 16 }))),
    );
    targets.push({
      device: san,
      iqn: iqnOf(k),
      alias: `store ${k}`,
      portals: [
        { address: portalA(k), port: 3260 },
        { address: portalB(k), port: 3260 },
      ],
      luns: [],
      notes: 'GENERATED',
      chap: null,
    });
    probes.set(
      san,
      [portalA(k), portalB(k)].map((address, side) => {
        const down = k === FAULTS.portalDown && side === 1;
        return {
          portal: `${address}:3260`,
          targetId: null,
          ok: !down,
          failure: down ? 'timeout' : null,
          message: down ? `${address}:3260: no answer within 2 s` : `lists ${iqnOf(k)}`,
          connected: !down,
          auth: 'none',
          loginStatus: null,
          credentialProblem: null,
          iqns: down ? [] : [iqnOf(k)],
          probedAt: observedAt,
        };
      }),
    );
  }
  // The cores' forwarding tables: every host MAC on the port to its access switch.
  for (const entry of coreFdb) {
    const p = switches.get(entry.core)!.get(entry.port)!;
    p.fdb.push({ mac: entry.mac, vlan: entry.vlan });
  }
  // Each access switch learns, on its uplinks, the SANs and a handful of other hosts' management MACs.
  for (let n = 1; n <= ACCESS; n++) {
    const acc = switches.get(accessName(n))!;
    for (let k = 1; k <= SANS; k++) {
      acc.get(51)!.fdb.push({ mac: switchMac(sanName(k), 2), vlan: 20 }, { mac: switchMac(sanName(k), 1), vlan: 10 });
      acc.get(52)!.fdb.push({ mac: switchMac(sanName(k), 3), vlan: 21 });
    }
    for (let m = 0; m < 12; m++) {
      const other = 1 + Math.floor(rand() * HOSTS);
      const place = placement(other);
      if (place.a === accessName(n)) continue;
      acc.get(51)!.fdb.push({ mac: nicMac(other, 0), vlan: 10 });
    }
  }

  // ---- the switches' views and inventory entries
  for (const [name, ports] of switches) {
    const isCore = name.startsWith('core-');
    const n = isCore ? (name === 'core-a' ? 1 : 2) : Number(name.slice(3));
    const lagNames = [...new Set([...ports.values()].map((p) => p.lag).filter((l): l is string => l !== null))].sort();
    const lagIndex = (lag: string) => 1000 + Number(lag.slice(3));
    const rows: PortView[] = [];
    const neighbors: SnmpNeighbor[] = [];
    const fdb: FdbEntry[] = [];
    const plannedPorts: InventoryPort[] = [];
    for (let i = 1; i <= SWITCH_PORTS; i++) {
      const p = ports.get(i);
      const up = p?.up ?? false;
      const neighbor = p?.neighbor && up ? { localIfIndex: i, ...p.neighbor } : null;
      if (neighbor) neighbors.push(neighbor);
      if (up) for (const entry of p?.fdb ?? []) fdb.push({ mac: entry.mac, vlan: entry.vlan, ifIndex: i });
      const untagged = p?.untagged ?? 1;
      rows.push(
        portView(i, String(i), {
          alias: p ? `${p.role}` : '',
          operUp: up,
          speedMbps: up ? 10000 : null,
          duplex: up ? (p?.duplex ?? 'full') : null,
          mtu: p?.mtu ?? 9216,
          mac: switchMac(name, i),
          pvid: untagged,
          untaggedVlans: p?.lag ? [] : [untagged],
          taggedVlans: p?.tagged ?? [],
          lagIfIndex: p?.lag ? lagIndex(p.lag) : null,
          lagName: p?.lag ?? null,
          macCount: up ? (p?.fdb.length ?? 0) : 0,
          neighbor,
        }),
      );
      plannedPorts.push(
        port(String(i), p?.role ?? 'unused', {
          aggregate: p?.lag ?? '',
          untaggedVlan: p && !p.lag && p.role !== 'vm' && p.role !== 'uplink' ? p.untagged : null,
          taggedVlans: p?.plannedTagged ?? (p && !p.lag ? p.tagged : []),
        }),
      );
    }
    const lags: SnmpLag[] = lagNames.map((lag) => {
      const memberIfIndexes = [...ports].filter(([, p]) => p.lag === lag).map(([i]) => i).sort((a, b) => a - b);
      const partner = lagPartner.get(`${name}/${lag}`) ?? '';
      const members: LagMember[] = memberIfIndexes.map((ifIndex) => {
        const up = ports.get(ifIndex)!.up;
        return { ifIndex, actor: lacp(up), partner: lacp(up), partnerSystem: up ? partner : '', actorKey: lagIndex(lag), partnerKey: up ? 9 : 0, partnerPort: up ? ifIndex : 0, attached: up };
      });
      return { ifIndex: lagIndex(lag), name: lag, memberIfIndexes, members, source: 'both', sources: ['ifStack', 'lag-mib'], protocol: 'lacp', actorSystem: switchMac(name, 0), partnerSystem: partner };
    });
    for (const lag of lags) {
      const ifIndex = lag.ifIndex;
      rows.push(
        portView(ifIndex, lag.name, {
          type: 161,
          descr: `Link aggregation ${lag.name}`,
          mac: switchMac(name, ifIndex),
          taggedVlans: lag.name === 'Trk1' ? ALL_VLANS : VM_VLANS,
          untaggedVlans: [1],
          pvid: 1,
          macCount: (lagFdb.get(`${name}/${lag.name}`) ?? []).length,
        }),
      );
      for (const entry of lagFdb.get(`${name}/${lag.name}`) ?? []) fdb.push({ mac: entry.mac, vlan: entry.vlan, ifIndex });
      for (const member of lag.members) {
        const row = rows.find((r) => r.ifIndex === member.ifIndex)!;
        row.lacp = member;
      }
    }
    const address = isCore ? `10.2.0.${n}` : `10.2.1.${n}`;
    views.set(name, viewOf(observedAt, name, isCore ? 'GEN-CORE 52' : 'GEN-ACCESS 52', switchMac(name, 0), rows, lags, neighbors, fdb, [{ address, ifIndex: 4010, prefixLength: 16 }]));
    devices.push({
      name,
      kind: 'switch',
      address,
      vendor: 'Generated',
      model: isCore ? 'GEN-CORE 52' : 'GEN-ACCESS 52',
      location: isCore ? 'core rack' : `rack${pad2(Math.ceil(n / 2))}`,
      notes: 'GENERATED',
      memberOf: null,
      stack: isCore ? '' : `rack${pad2(Math.ceil(n / 2))}`,
      snmp: { ...DEFAULT_SNMP },
      xenapi: null,
      dsm: null,
      ports: plannedPorts,
    });
  }

  const inventory: Inventory = {
    format: 1,
    name: 'GENERATED bench lab',
    vlans: [
      { id: 10, name: 'mgmt', purpose: 'management', notes: '' },
      { id: 20, name: 'iscsi-a', purpose: 'storage', notes: '' },
      { id: 21, name: 'iscsi-b', purpose: 'storage', notes: '' },
      ...VM_VLANS.map((id) => ({ id, name: `vm${id}`, purpose: 'vm' as const, notes: '' })),
    ],
    devices,
    links,
    targets,
    acceptedFindings: acceptedFindings.sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
  const physicalPorts = devices.reduce((sum, d) => sum + (d.kind === 'xen-pool' ? 0 : d.ports.length), 0);
  return { inventory, pools, views, probes, physicalPorts };
}

function portView(ifIndex: number, name: string, extra: Partial<PortView>): PortView {
  return {
    ifIndex,
    name,
    descr: name,
    alias: '',
    type: 6,
    adminUp: true,
    operUp: true,
    speedMbps: 10000,
    mtu: 1500,
    mac: '',
    duplex: 'full',
    pvid: 1,
    taggedVlans: [],
    untaggedVlans: [1],
    lagIfIndex: null,
    stackMember: null,
    lldpPortId: name,
    inErrors: 0,
    outErrors: 0,
    inBps: 1_000_000,
    outBps: 2_000_000,
    macCount: 0,
    neighbor: null,
    lagName: null,
    lacp: null,
    samples: [],
    ...extra,
  };
}

function viewOf(
  observedAt: string,
  name: string,
  model: string,
  bridge: string,
  ports: PortView[],
  lags: SnmpLag[],
  neighbors: SnmpNeighbor[],
  fdb: FdbEntry[],
  addresses: SwitchView['addresses'],
): SwitchView {
  return {
    observedAt,
    system: { name, descr: `HAND-MADE generated ${model}`, objectId: '1.3.6.1.4.1.99999.1', location: '', contact: '', uptimeTicks: 123456 },
    model,
    serial: `GEN${name.toUpperCase()}`,
    ports,
    lags,
    vlans: [{ id: 1, name: 'default' }, ...ALL_VLANS.map((id) => ({ id, name: `vlan${id}` }))],
    neighbors,
    fdbCount: fdb.length,
    fdb,
    bridgeAddress: bridge,
    localChassisId: bridge,
    stackMembers: [{ index: 1, name: '', model, serial: `GEN${name.toUpperCase()}`, position: null }],
    addresses,
    nas: null,
    hostBonds: [],
    gaps: [],
  };
}
