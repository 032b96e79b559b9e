#!/usr/bin/env node
// Writes the demo lab's three SNMP recordings, DERIVED from real ones, so that what the switches and the NAS
// report agrees with the inventory (resources/demo-lab.yaml) and with the pool's xapi dump
// (resources/demo-lab.xapi-db.xml, scripts/make-demo-xapi-db.mjs):
//
//   resources/snmp/demo-sw-a.derived.snmprec    DERIVED from procurve.snmprec (a real HP/Aruba ProCurve stack)
//   resources/snmp/demo-sw-b.derived.snmprec    DERIVED from dlink_dgs-1510-28.snmprec (a real D-Link DGS-1510-28)
//   resources/snmp/demo-syno-dr.derived.snmprec DERIVED from dsm.snmprec (a real Synology RS2212RP+ on DSM 6.1)
//
// The sources are LibreNMS's tests/snmpsim recordings (GPL-3.0, resources/snmp/LICENSE.librenms). What is kept:
// each recording's MIB structure, sysObjectID family, value encodings (tags, hex or text, the recorder's
// quirks such as LLDP capabilities written as text), the tables the SNMP driver reads, and every group the
// derived device still has (IP, ICMP, TCP, UDP and SNMP statistics, host resources, disks, RAID, sensors),
// with per-port values (counters, last-change times) copied from a recorded port in the same up/down state.
// What is changed, and why, is said where it is done below; in short: the ports, VLANs, LLDP neighbours,
// forwarding tables, MACs, names and addresses are rewritten to be exactly what the demo lab's cables and the
// pool's PIF MACs imply, and `<private>` placeholders become the inventory's names and locations.
//
// Two faults are planted on purpose (the audit must find them; test/unit/demo/demo-lab-consistency.test.ts
// names them): (1) sw-b eth1/0/6, cabled to xen2 eth2 (a member of xen2's bond0), carries VLAN 100 but not
// VLAN 101, which the inventory plans and xen2's bond carries; (2) the uplink cable was moved: the inventory
// says sw-a 24 <-> sw-b eth1/0/24, LLDP on both sides says sw-a 24 <-> sw-b eth1/0/23, and the trunk
// configuration moved with it (eth1/0/24 is down, untagged in VLAN 1 only). And the pool's own flaw shows:
// xen3 eth2 has no carrier, so sw-b eth1/0/7 is down, with no LLDP neighbour and no MAC learned.
//
// Deterministic: fixed values and hashes of fixed seeds, so running the script twice gives the same bytes.
// Run: node scripts/make-demo-snmp.mjs [--check]   (--check compares with the files on disk, exit 1 if they differ)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'snmp');

// ── the lab (resources/demo-lab.yaml is the source of truth; the test compares) ─────────────────────────
const HOSTS = [1, 2, 3, 4].map((n) => ({ n, name: `xen${n}`, ip: `10.10.10.1${n}` }));
const NICS = ['eth0', 'eth1', 'eth2', 'eth3'];
/** As scripts/make-demo-xapi-db.mjs: 78:e7:d1:5a:1N:4X for host xenN, NIC ethX; bond0 carries eth1's MAC. */
const hostMac = (host, nic) => `78:e7:d1:5a:${(0x10 + host.n).toString(16)}:${(0x40 + NICS.indexOf(nic)).toString(16)}`;
/** As scripts/make-demo-xapi-db.mjs FLAWS.downLink: this bond member has no carrier. */
const NO_CARRIER = { host: 'xen3', nic: 'eth2' };
/** What lldpd on a XenServer 6.2 dom0 sends as its system description (lsb_release + uname; hand-written). */
const XS_SYSDESC = 'XenServer release 6.2.0-70446c (xenenterprise) Linux 2.6.32.43-0.4.1.xs1.8.0.835.170778xen #1 SMP x86_64';

/** The D-Link SAN is not polled over SNMP; its ports' MACs (D-Link OUI 00:26:5a) are planned in demo-lab.yaml. */
const SAN = { lan1: '00:26:5a:15:50:01', lan2: '00:26:5a:15:50:02', ip: '10.10.10.20' };
/** The DSM simulator's SYNO.DSM.Network answer (src-main/simulators/dsm/apis.ts): the same MACs and addresses. */
const NAS = {
  name: 'syno-dr', location: 'Rack B, U4',
  eth0: { mac: '00:11:32:4a:5b:6c', ip: '10.10.10.30', mask: '255.255.255.0' },
  eth1: { mac: '00:11:32:4a:5b:6d', ip: '10.10.30.30', mask: '255.255.255.0' },
  /** SYNO.DSM.Info's serial and version (src-main/simulators/dsm): SNMP's version has no "Update N", as real DSM. */
  serial: '1270LWN012345',
  version: 'DSM 7.1.1-42962',
};

const VLANS = [
  { id: 1, a: 'DEFAULT_VLAN', b: 'default' },
  { id: 10, a: 'mgmt', b: 'mgmt' },
  { id: 20, a: 'iscsi', b: 'iscsi' },
  { id: 30, a: 'replication', b: 'replication' },
  { id: 100, a: 'vm-prod', b: 'vm-prod' },
  { id: 101, a: 'vm-lab', b: 'vm-lab' },
];
const TRUNK = [10, 20, 30, 100, 101];

// The switches: bridge MAC (dot1dBaseBridgeAddress, the LLDP chassis ID each sends) and per-port MACs as
// each vendor numbers them (ProCurve: base + 0x80 - port, as the recording; D-Link: base + port, as the recording).
const SW_A = {
  name: 'sw-a', location: 'Rack A, U1', ip: '10.10.10.2', base: '00:24:a8:5a:20:00', ports: 24,
  sysDescr: 'HP J9145A 2910al-24G Switch, revision W.15.08.0012, ROM W.14.06 (/ws/swbuildm/W_rel_galt_qaoff/code/build/sbm(W_rel_galt_qaoff)) (Formerly ProCurve)',
};
const SW_B = { name: 'sw-b', location: 'Rack A, U2', ip: '10.10.10.3', base: '10:62:eb:5a:30:00', ports: 28 };

const host = (name) => HOSTS.find((h) => h.name === name);
const peerHost = (name, nic, { untagged = null, tagged = [] } = {}) => ({ device: name, port: nic, mac: hostMac(host(name), nic), untagged, tagged });
/** sw-a, by port: what is cabled there and the VLAN plan the switch carries (demo-lab.yaml). */
const A_PORTS = {
  1: { ...peerHost('xen1', 'eth0', { untagged: 10 }), alias: 'xen1 eth0' },
  2: { ...peerHost('xen2', 'eth0', { untagged: 10 }), alias: 'xen2 eth0' },
  3: { ...peerHost('xen3', 'eth0', { untagged: 10 }), alias: 'xen3 eth0' },
  4: { ...peerHost('xen4', 'eth0', { untagged: 10 }), alias: 'xen4 eth0' },
  5: { ...peerHost('xen1', 'eth1', { tagged: [100, 101] }), alias: 'xen1 eth1 (bond0)' },
  6: { ...peerHost('xen2', 'eth1', { tagged: [100, 101] }), alias: 'xen2 eth1 (bond0)' },
  7: { ...peerHost('xen3', 'eth1', { tagged: [100, 101] }), alias: 'xen3 eth1 (bond0)' },
  8: { ...peerHost('xen4', 'eth1', { tagged: [100, 101] }), alias: 'xen4 eth1 (bond0)' },
  20: { device: 'dlink-san', port: 'lan1', mac: SAN.lan1, untagged: 10, tagged: [], alias: 'dlink-san lan1' },
  21: { device: 'syno-dr', port: 'eth0', mac: NAS.eth0.mac, untagged: 10, tagged: [], alias: 'syno-dr eth0' },
  24: { device: 'sw-b', port: 'eth1/0/23', uplink: true, untagged: null, tagged: TRUNK, alias: 'to sw-b' },
};
/** sw-b, by port number (eth1/0/N). */
const B_PORTS = {
  1: { ...peerHost('xen1', 'eth3', { untagged: 20 }), alias: 'xen1 eth3' },
  2: { ...peerHost('xen2', 'eth3', { untagged: 20 }), alias: 'xen2 eth3' },
  3: { ...peerHost('xen3', 'eth3', { untagged: 20 }), alias: 'xen3 eth3' },
  4: { ...peerHost('xen4', 'eth3', { untagged: 20 }), alias: 'xen4 eth3' },
  5: { ...peerHost('xen1', 'eth2', { tagged: [100, 101] }), alias: 'xen1 eth2 (bond0)' },
  // PLANTED FAULT 1: VLAN 101 missing from the egress list of xen2 eth2's port.
  6: { ...peerHost('xen2', 'eth2', { tagged: [100] }), alias: 'xen2 eth2 (bond0)' },
  7: { ...peerHost('xen3', 'eth2', { tagged: [100, 101] }), alias: 'xen3 eth2 (bond0)' },
  8: { ...peerHost('xen4', 'eth2', { tagged: [100, 101] }), alias: 'xen4 eth2 (bond0)' },
  20: { device: 'dlink-san', port: 'lan2', mac: SAN.lan2, untagged: 20, tagged: [], alias: 'dlink-san lan2' },
  21: { device: 'syno-dr', port: 'eth1', mac: NAS.eth1.mac, untagged: 30, tagged: [], alias: 'syno-dr eth1' },
  // PLANTED FAULT 2: the uplink (and its trunk configuration) is on eth1/0/23; eth1/0/24, which the inventory
  // cables to sw-a 24, is down and untagged in VLAN 1 like any unused port.
  23: { device: 'sw-a', port: '24', uplink: true, untagged: null, tagged: TRUNK, alias: 'to sw-a' },
};
const carrier = (p) => p && !(p.device === NO_CARRIER.host && p.port === NO_CARRIER.nic);

// VMs: MACs as xapi makes them (Xapi_vif_helpers.gen_mac: MD5 chained over the VM's mac_seed, locally
// administered unicast), from a fixed seed; each leaves its host's bond0 through the member SLB hashed it to.
// No VM is in the xapi dump: these MACs exist only in the forwarding tables.
const VMS = [
  { name: 'web01', host: 'xen1', vlan: 100, via: 'eth1' },
  { name: 'build01', host: 'xen1', vlan: 101, via: 'eth2' },
  { name: 'db01', host: 'xen2', vlan: 100, via: 'eth2' },
  { name: 'lab03', host: 'xen2', vlan: 101, via: 'eth1' },
  { name: 'lab01', host: 'xen3', vlan: 101, via: 'eth1' },
  { name: 'web02', host: 'xen4', vlan: 100, via: 'eth1' },
  { name: 'lab02', host: 'xen4', vlan: 101, via: 'eth2' },
].map((vm) => ({ ...vm, mac: xapiVifMac(seedUuid(`mac_seed:${vm.name}`), 0) }));

function seedUuid(seed) {
  const h = createHash('sha256').update(`labwarden-demo:${seed}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function xapiVifMac(seed, device) {
  const md5 = (b) => createHash('md5').update(b).digest();
  let acc = Buffer.from(seed);
  for (let i = 0; i < device * 2; i++) acc = md5(acc);
  const first = md5(acc);
  const second = md5(first);
  const bytes = [first[0], first[1], first[2], first[3], second[1], second[2]];
  bytes[0] = (bytes[0] | 0x02) & 0xfe;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

// ── MACs, PortLists, OIDs ───────────────────────────────────────────────────────────────────────────────
const macHex = (mac, upper = false) => (upper ? mac.replace(/:/g, '').toUpperCase() : mac.replace(/:/g, ''));
const macDec = (mac) => mac.split(':').map((h) => parseInt(h, 16)).join('.');
/** D-Link's ipNetToMedia text form: no leading zeros ("2:3:4e:4:99:be", as the recording). */
const macShort = (mac) => mac.split(':').map((h) => parseInt(h, 16).toString(16)).join(':');
function macAdd(mac, delta) {
  const n = BigInt(`0x${macHex(mac)}`) + BigInt(delta);
  return n.toString(16).padStart(12, '0').match(/../g).join(':');
}
function portList(ports, octets) {
  const b = Buffer.alloc(octets);
  for (const p of ports) b[(p - 1) >> 3] |= 0x80 >> ((p - 1) & 7);
  return b.toString('hex').toUpperCase();
}
const cmpOid = (a, b) => {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

// ── recordings in and out ───────────────────────────────────────────────────────────────────────────────
/** OID → {tag, value}, as snmpsim serves it: lines stripped, the first of a repeated OID kept. */
function readRecording(name) {
  const records = new Map();
  for (const raw of readFileSync(join(DIR, name), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [oid, tag, ...rest] = line.split('|');
    if (!records.has(oid)) records.set(oid, { tag, value: rest.join('|') });
  }
  return records;
}

class Out {
  constructor(src) {
    this.src = src;
    this.rows = new Map();
  }
  put(oid, tag, value) {
    this.rows.set(oid, { tag, value: String(value) });
  }
  /** Everything the recording has under these prefixes, unchanged. */
  keep(...prefixes) {
    for (const [oid, r] of this.src) if (prefixes.some((p) => oid.startsWith(`${p}.`))) this.rows.set(oid, r);
  }
  /** Every column of a table row of the recording (entry.column.index), copied to another index. */
  row(entry, fromIndex, toIndex, except = []) {
    for (const [oid, r] of this.src) {
      if (!oid.startsWith(`${entry}.`)) continue;
      const rest = oid.slice(entry.length + 1);
      const dot = rest.indexOf('.');
      const column = Number(rest.slice(0, dot));
      if (rest.slice(dot + 1) !== String(fromIndex) || except.includes(column)) continue;
      this.rows.set(`${entry}.${column}.${toIndex}`, r);
    }
  }
  value(oid) {
    const r = this.src.get(oid);
    if (!r) throw new Error(`the recording has no ${oid}`);
    return r.value;
  }
  text(header) {
    const lines = header.map((h) => `# ${h}`.trimEnd());
    for (const oid of [...this.rows.keys()].sort(cmpOid)) {
      const r = this.rows.get(oid);
      lines.push(`${oid}|${r.tag}|${r.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** For each derived port, the recorded port whose per-port values (counters, last change, STP row) it takes:
 * the recorded ports in the same up/down state, in order, each used once before any is used again. */
function templatePorts(src, recorded, derived, up) {
  const state = (p) => src.get(`1.3.6.1.2.1.2.2.1.8.${p}`)?.value === '1';
  const pools = { true: recorded.filter(state), false: recorded.filter((p) => !state(p)) };
  const used = { true: 0, false: 0 };
  return new Map(derived.map((p) => {
    const pool = pools[up(p)];
    if (pool.length === 0) throw new Error(`no recorded port that is ${up(p) ? 'up' : 'down'}`);
    return [p, pool[used[up(p)]++ % pool.length]];
  }));
}

const IF = '1.3.6.1.2.1.2.2.1';
const IFX = '1.3.6.1.2.1.31.1.1.1';
const DOT3 = '1.3.6.1.2.1.10.7.2.1';
const LLDP_LOC_PORT = '1.0.8802.1.1.2.1.3.7.1';
const LLDP_REM = '1.0.8802.1.1.2.1.4.1.1';
const LLDP_MAN = '1.0.8802.1.1.2.1.4.2.1';
const QB_CUR = '1.3.6.1.2.1.17.7.1.4.2.1';
const QB_STATIC_NAME = '1.3.6.1.2.1.17.7.1.4.3.1.1';
const QB_PVID = '1.3.6.1.2.1.17.7.1.4.5.1.1';
const TP_FDB_PORT = '1.3.6.1.2.1.17.7.1.2.2.1.2';
const ENT = '1.3.6.1.2.1.47.1.1.1.1';

/** Per switch: the VLANs' member ports from the plan above (unused ports untagged in VLAN 1). */
function memberships(plan, portCount) {
  const egress = new Map(VLANS.map((v) => [v.id, []]));
  const untagged = new Map(VLANS.map((v) => [v.id, []]));
  const pvid = new Map();
  for (let p = 1; p <= portCount; p++) {
    const planned = plan[p];
    if (!planned) {
      egress.get(1).push(p);
      untagged.get(1).push(p);
      pvid.set(p, 1);
      continue;
    }
    if (planned.untagged !== null) {
      egress.get(planned.untagged).push(p);
      untagged.get(planned.untagged).push(p);
    }
    for (const v of planned.tagged) egress.get(v).push(p);
    // A port with no untagged VLAN keeps PVID 1 without being a member of VLAN 1, as the recorded D-Link's
    // trunk ports do: untagged frames are dropped.
    pvid.set(p, planned.untagged ?? 1);
  }
  return { egress, untagged, pvid };
}

/** Who is learned where: [vlan, mac, port] for each switch (the uplink carries what the other side has). */
function forwarding() {
  const a = [];
  const b = [];
  for (const [port, p] of Object.entries(A_PORTS)) {
    if (p.uplink || !carrier(p)) continue;
    // A bond member's own MAC is not seen: the bond's (eth1's) MAC is, on the primary; eth0 in VLAN 10.
    a.push([p.untagged ?? 100, p.mac, Number(port)]);
  }
  for (const [port, p] of Object.entries(B_PORTS)) {
    if (p.uplink || !carrier(p) || p.untagged === null) continue;
    b.push([p.untagged, p.mac, Number(port)]);
  }
  const aPort = (h, nic) => Number(Object.entries(A_PORTS).find(([, p]) => p.device === h && p.port === nic)?.[0]);
  const bPort = (h, nic) => Number(Object.entries(B_PORTS).find(([, p]) => p.device === h && p.port === nic)?.[0]);
  for (const vm of VMS) {
    if (vm.via === 'eth1') a.push([vm.vlan, vm.mac, aPort(vm.host, 'eth1')]);
    else b.push([vm.vlan, vm.mac, bPort(vm.host, 'eth2')]);
  }
  const A_UP = 24;
  const B_UP = 23;
  const fromA = a.map(([v, m]) => [v, m, B_UP]);
  const fromB = b.map(([v, m]) => [v, m, A_UP]);
  // Each switch's own management MAC, heard by the other in VLAN 10.
  return {
    a: [...a, ...fromB, [10, SW_B.base, A_UP]],
    b: [...b, ...fromA, [10, SW_A.base, B_UP]],
  };
}
const FDB = forwarding();

/** LLDP neighbours of the hosts' NICs: what lldpd sends for each NIC with carrier. */
function hostNeighbor(p) {
  const h = host(p.device);
  return {
    chassisSubtype: 4, chassisId: hostMac(h, 'eth0'), portSubtype: 3, portId: macHex(p.mac, true), portIdTag: '4x',
    portDesc: p.port, sysName: h.name, sysDesc: XS_SYSDESC,
    capSupported: '39 2 3 4 7', capEnabled: '20 2', manAddr: h.ip,
  };
}

// ── sw-a: HP ProCurve 2910al-24G, from procurve.snmprec ─────────────────────────────────────────────────
// The recording is a ProCurve stack (KA firmware): 48 + A1–A4 ports, Trk1, 15 VLAN interfaces, a 3810M
// member in ENTITY-MIB. The derived switch is one J9145A chassis with ports 1–24 (ifIndex = bridge port =
// port number), a VLAN interface per VLAN (ifIndex 1249 + VID: the recording's DEFAULT_VLAN is 1250) stacked
// over its member ports as the recording stacks them, the recording's eight loopbacks, no LAG, no OOBM port.
// Where the recording is a stack's, a real standalone 2910al is followed (LibreNMS tests/snmpsim/
// procurve_e2910.snmprec, a J9146A: its sysDescr format, ENTITY layout, 35-octet PortLists, ifMtu 1500 on
// gigabit ports; not copied into this repository).
function swA() {
  const src = readRecording('procurve.snmprec');
  const out = new Out(src);
  const plan = A_PORTS;
  const ports = Array.from({ length: SW_A.ports }, (_, i) => i + 1);
  const up = (p) => Boolean(plan[p]) && carrier(plan[p]);
  const portMac = (p) => macAdd(SW_A.base, 0x80 - p);
  const vlanIf = (vid) => 1249 + vid;
  const { egress, untagged, pvid } = memberships(plan, SW_A.ports);
  const OCTETS = 35;
  const sysDescr = SW_A.sysDescr;

  // Unchanged groups: 802.1X, IP/ICMP/TCP/UDP/SNMP statistics, OSPF and BGP scalars, IP system stats, the
  // loopbacks, the SNMP engine; HP-ICF chassis sensors, memory and CPU.
  out.keep('1.0.8802.1.1.1', '1.3.6.1.2.1.5', '1.3.6.1.2.1.6', '1.3.6.1.2.1.7', '1.3.6.1.2.1.11', '1.3.6.1.2.1.14', '1.3.6.1.2.1.15', '1.3.6.1.6.3');
  out.keep('1.3.6.1.2.1.4.31', '1.3.6.1.2.1.4.24', '1.3.6.1.2.1.4.34');
  for (let s = 3; s <= 19; s++) if (src.has(`1.3.6.1.2.1.4.${s}.0`)) out.keep(`1.3.6.1.2.1.4.${s}`);
  out.keep('1.3.6.1.4.1.11.2.14.11.1.2.6', '1.3.6.1.4.1.11.2.14.11.5.1.1.2', '1.3.6.1.4.1.11.2.14.11.5.1.9');
  out.put('1.3.6.1.4.1.11.2.14.11.5.1.1.3.0', '4', 'W.15.08.0012');
  // Dropped, as they describe the recorded stack's hardware: the member table (1001), PSU models, stacking,
  // transceivers, a download table, the web-management URL row (a `<private>`).

  // system
  out.put('1.3.6.1.2.1.1.1.0', '4', sysDescr);
  out.put('1.3.6.1.2.1.1.2.0', '6', '1.3.6.1.4.1.11.2.3.7.11.86'); // hpSwitchJ9145A (HP-ICF-OID)
  out.put('1.3.6.1.2.1.1.3.0', '67', out.value('1.3.6.1.2.1.1.3.0'));
  out.put('1.3.6.1.2.1.1.4.0', '4', '');
  out.put('1.3.6.1.2.1.1.5.0', '4', SW_A.name);
  out.put('1.3.6.1.2.1.1.6.0', '4', SW_A.location);

  // ports 1–24
  const template = templatePorts(src, Array.from({ length: 48 }, (_, i) => i + 1), ports, up);
  for (const p of ports) {
    const t = template.get(p);
    out.row(IF, t, p);
    out.row(IFX, t, p);
    out.put(`${IF}.2.${p}`, '4', String(p));
    out.put(`${IF}.3.${p}`, '2', '6');
    out.put(`${IF}.4.${p}`, '2', '1500');
    out.put(`${IF}.6.${p}`, '4x', macHex(portMac(p)));
    out.put(`${IF}.7.${p}`, '2', '1');
    out.put(`${IF}.8.${p}`, '2', up(p) ? '1' : '2');
    out.put(`${IFX}.1.${p}`, '4', String(p));
    out.put(`${IFX}.15.${p}`, '66', '1000');
    out.put(`${IFX}.18.${p}`, '4', plan[p]?.alias ?? '');
    out.put(`${DOT3}.19.${p}`, '2', '3'); // full duplex, as the recording reports every gigabit port
    out.put(`1.3.6.1.2.1.31.1.2.1.3.${p}.0`, '2', '1');
    out.put(`1.3.6.1.2.1.17.1.4.1.2.${p}`, '2', String(p));
    out.put(`${LLDP_LOC_PORT}.3.${p}`, '4', String(p));
    out.put(`${QB_PVID}.${p}`, '66', String(pvid.get(p)));
  }
  // VLAN interfaces (ifType 53), each stacked over its member ports, up when one of them is.
  for (const v of VLANS) {
    const i = vlanIf(v.id);
    out.row(IF, 1250, i);
    out.row(IFX, 1250, i);
    out.put(`${IF}.2.${i}`, '4', v.a);
    out.put(`${IF}.6.${i}`, '4x', macHex(SW_A.base));
    out.put(`${IF}.8.${i}`, '2', egress.get(v.id).some(up) ? '1' : '2');
    out.put(`${IFX}.1.${i}`, '4', v.a);
    out.put(`${IFX}.18.${i}`, '4', v.a);
    out.put(`1.3.6.1.2.1.31.1.2.1.3.0.${i}`, '2', '1');
    for (const p of egress.get(v.id)) out.put(`1.3.6.1.2.1.31.1.2.1.3.${i}.${p}`, '2', '1');
  }
  for (let lo = 5473; lo <= 5480; lo++) {
    out.row(IF, lo, lo);
    out.row(IFX, lo, lo);
  }

  // BRIDGE-MIB and Q-BRIDGE-MIB: clean 35-octet PortLists (the recording's were mangled after octet 16);
  // the filtering database of each VLAN is numbered in creation order, as the switch does (dot1qVlanFdbId).
  out.put('1.3.6.1.2.1.17.1.1.0', '4x', macHex(SW_A.base, true));
  out.keep('1.3.6.1.2.1.17.7.1.1');
  const fdbId = new Map(VLANS.map((v, k) => [v.id, k + 1]));
  for (const v of VLANS) {
    out.put(`${QB_CUR}.3.0.${v.id}`, '66', String(fdbId.get(v.id)));
    out.put(`${QB_CUR}.4.0.${v.id}`, '4x', portList(egress.get(v.id), OCTETS));
    out.put(`${QB_CUR}.5.0.${v.id}`, '4x', portList(untagged.get(v.id), OCTETS));
    out.put(`${QB_STATIC_NAME}.${v.id}`, '4', v.a);
    // The switch's own MAC is in every filtering database, on port 0 (as recorded).
    out.put(`${TP_FDB_PORT}.${fdbId.get(v.id)}.${macDec(SW_A.base)}`, '2', '0');
  }
  for (const [vlan, mac, port] of FDB.a) out.put(`${TP_FDB_PORT}.${fdbId.get(vlan)}.${macDec(mac)}`, '2', String(port));

  // LLDP-MIB: the chassis ID sw-a sends, its bridge MAC (the recording has no lldpLocChassisId: LibreNMS does
  // not walk it); remote rows with timeMark 0 and remIndex 1, as the recording; management addresses with
  // ifIndex subtype.
  out.put('1.0.8802.1.1.2.1.3.1.0', '2', '4');
  out.put('1.0.8802.1.1.2.1.3.2.0', '4x', macHex(SW_A.base, true));
  for (const p of ports) {
    const planned = plan[p];
    if (!planned || !carrier(planned) || !(planned.uplink || host(planned.device))) continue; // only the hosts run lldpd
    const n = planned.uplink
      ? {
          chassisSubtype: 4, chassisId: SW_B.base, portSubtype: 7, portId: 'eth1/0/23', portIdTag: '4',
          portDesc: 'D-Link Corporation DGS-1510-28 HW A1 firmware 1.50.021 Port 23 on Unit 1', sysName: SW_B.name,
          // What the recorded DGS-1510-28's own neighbour (the same model and firmware) sent: see swB().
          sysDesc: 'Gigabit Ethernet SmartPro Switch', capSupported: '60 1 2', capEnabled: '60 1 2', manAddr: SW_B.ip,
        }
      : hostNeighbor(planned);
    const idx = `0.${p}.1`;
    out.put(`${LLDP_REM}.4.${idx}`, '2', String(n.chassisSubtype));
    out.put(`${LLDP_REM}.5.${idx}`, '4x', macHex(n.chassisId, true));
    out.put(`${LLDP_REM}.6.${idx}`, '2', String(n.portSubtype));
    out.put(`${LLDP_REM}.7.${idx}`, n.portIdTag, n.portId);
    out.put(`${LLDP_REM}.8.${idx}`, '4', n.portDesc);
    out.put(`${LLDP_REM}.9.${idx}`, '4', n.sysName);
    out.put(`${LLDP_REM}.10.${idx}`, '4', n.sysDesc);
    out.put(`${LLDP_REM}.11.${idx}`, '4', n.capSupported);
    out.put(`${LLDP_REM}.12.${idx}`, '4', n.capEnabled);
    out.put(`${LLDP_MAN}.3.${idx}.1.4.${n.manAddr}`, '2', '2');
  }

  // ENTITY-MIB: one J9145A chassis, laid out as a standalone 2910al lists itself; columns and encodings as
  // the recording's 3810M member; ENTITY-STATE and ENTITY-SENSOR rows moved onto the matching entities.
  const HPV = '1.3.6.1.4.1.11.2.3.7';
  const ROM = 'W.14.06';
  const SW = 'W.15.08.0012';
  const entities = [
    [1, 1001, ['HP J9145A 2910al-24G Switch', `${HPV}.11.86`, 0, 3, -1, 'Chassis', 'Rev 0', ROM, SW, 'SG0DEMO01A', 'J9145A', 1]],
    [2, 2001, ['HP J9145A Switch backplane', `${HPV}.8.6.4`, 1, 4, 1, 'Backplane', '3', '', '', '', 'J9145A', 2]],
    [5, 11001, ['HP J9145A Switch fan', `${HPV}.8.3.2`, 1, 7, 1, 'Fan', '', '', '', '', '', 2]],
    [11, 12001, ['HP J9145A Switch temperature sensor', `${HPV}.8.3.3`, 1, 8, 1, 'Chassis Temperature', '', '', '', '', '', 2]],
    [21, 14001, ['HP J9145A Switch power supply', `${HPV}.8.3.1`, 1, 6, 1, 'Power Supply', '', '', '', '', '', 2]],
    [28, 20001, ['HP J9145A Switch port module slot', `${HPV}.8.7.34`, 1, 5, 1, 'Ports Co-processor', '', '', '', '', '', 2]],
    [29, 20002, ['HP J9145A Switch port module slot', `${HPV}.8.7.34`, 1, 5, 2, 'Slot A', '', '', '', '', '', 2]],
    [30, 20003, ['HP J9145A Switch port module slot', `${HPV}.8.7.34`, 1, 5, 3, 'Slot B', '', '', '', '', '', 2]],
    [35, 25001, ['HP J9145A al Fixed 24p Gig-T/SFP', `${HPV}.11.86.1`, 28, 9, 1, 'Co-processor', '3', ROM, SW, '', 'J9145A', 2]],
    ...ports.map((p) => [37 + p, 27000 + p, ['HP J9145A 100/1000BASE-T Port', `${HPV}.8.10.7`, 35, 10, p, `Port ${p}`, '', '', '', '', '', 2]]),
    ...['A1', 'A2', 'B1', 'B2'].map((name, k) => [62 + k, 27049 + k, ['HP J9145A No Card', '0.0', 35, 10, 25 + k, `Port ${name}`, '', '', '', '', '', 2]]),
  ];
  for (const [index, from, [descr, vendorType, containedIn, cls, pos, name, hw, fw, sw, serial, model, fru]] of entities) {
    const col = (c, tag, v) => out.put(`${ENT}.${c}.${index}`, tag, v);
    col(2, '4', descr);
    col(3, '6', vendorType);
    col(4, '2', containedIn);
    col(5, '2', cls);
    col(6, '2', pos);
    col(7, '4', name);
    col(8, '4', hw);
    col(9, '4', fw);
    col(10, '4', sw);
    col(11, '4', serial);
    col(12, '4', 'Hewlett-Packard');
    col(13, '4', model);
    col(14, '4', '');
    col(15, '4', '');
    col(16, '2', fru);
    out.row('1.3.6.1.2.1.131.1.1.1', from, index);
    out.row('1.3.6.1.2.1.99.1.1.1', from, index);
  }
  for (const p of ports) out.put(`1.3.6.1.2.1.47.1.3.2.1.2.${37 + p}.0`, '6', `1.3.6.1.2.1.2.2.1.1.${p}`);

  // IP-MIB: the management address on the mgmt VLAN's interface; ARP entries for the lab's VLAN 10.
  const mgmt = vlanIf(10);
  out.put(`1.3.6.1.2.1.4.20.1.2.${SW_A.ip}`, '2', String(mgmt));
  out.put(`1.3.6.1.2.1.4.20.1.3.${SW_A.ip}`, '64', '255.255.255.0');
  out.put('1.3.6.1.2.1.4.20.1.2.127.0.0.1', '2', '5473');
  out.put('1.3.6.1.2.1.4.20.1.3.127.0.0.1', '64', '255.255.255.255');
  for (const [ip, mac] of arpVlan10().filter(([ip]) => ip !== SW_A.ip)) {
    out.put(`1.3.6.1.2.1.4.22.1.2.${mgmt}.${ip}`, '4x', macHex(mac, true));
    out.put(`1.3.6.1.2.1.4.35.1.4.${mgmt}.1.4.${ip}`, '4x', macHex(mac, true));
  }

  return out.text([
    'DERIVED recording: the demo lab\'s sw-a, an HP ProCurve 2910al-24G (J9145A). Generated by',
    'scripts/make-demo-snmp.mjs (edit the script, not this file) from resources/snmp/procurve.snmprec,',
    'LibreNMS tests/snmpsim/procurve.snmprec (GPL-3.0, LICENSE.librenms), a walk of a real ProCurve stack.',
    'Changed: one chassis with ports 1-24, the demo\'s VLANs, LLDP neighbours, MAC table, names and addresses.',
  ]);
}

/** VLAN 10's hosts as a switch's ARP table holds them: [ip, mac]. */
function arpVlan10() {
  return [
    [SW_A.ip, SW_A.base],
    [SW_B.ip, SW_B.base],
    ...HOSTS.map((h) => [h.ip, hostMac(h, 'eth0')]),
    [SAN.ip, SAN.lan1],
    [NAS.eth0.ip, NAS.eth0.mac],
  ];
}

// ── sw-b: D-Link DGS-1510-28, from dlink_dgs-1510-28.snmprec ────────────────────────────────────────────
// The recording is the same model and firmware (1.50.021): ports eth1/0/1–28 (ifIndex = bridge port), an
// L2VLAN interface per VLAN (ifIndex 1023 + VID, as recorded), the routed management interface rif0
// (ifIndex 5121), the CPU port. Its lldpLocPortId rows read "1/N" and are kept; what a DGS-1510-28 sends as
// its port ID is the interface name with subtype local(7): the recorded neighbour (a DGS-1510-28 on 1.50.021,
// by its port description) sent "eth1/0/24", so sw-a hears "eth1/0/23" from sw-b.
function swB() {
  const src = readRecording('dlink_dgs-1510-28.snmprec');
  const out = new Out(src);
  const plan = B_PORTS;
  const ports = Array.from({ length: SW_B.ports }, (_, i) => i + 1);
  const up = (p) => Boolean(plan[p]) && carrier(plan[p]);
  const { egress, untagged, pvid } = memberships(plan, SW_B.ports);
  const OCTETS = 48; // the recorded PortLists' real length: 16 octets, then two more lines of the recorder's hex dump
  const TIME_MARK = 6527; // the recording's dot1qVlanTimeMark
  const sysUpTime = Number(out.value('1.3.6.1.2.1.1.3.0'));
  // xen3 lost eth2 at 09:41:52, the dump's clock says 10:00:00 (make-demo-xapi-db.mjs): 1088 s before now.
  const lostCarrierAt = sysUpTime - 1088 * 100;

  out.keep('1.3.6.1.2.1.5', '1.3.6.1.2.1.6', '1.3.6.1.2.1.7', '1.3.6.1.2.1.11', '1.3.6.1.2.1.16', '1.3.6.1.2.1.47');
  out.keep('1.3.6.1.2.1.4.31', LLDP_LOC_PORT, '1.3.6.1.2.1.17.1.4', '1.3.6.1.2.1.17.7.1.1', '1.3.6.1.4.1.171');
  for (let s = 1; s <= 14; s++) out.keep(`1.3.6.1.2.1.17.2.${s}`);
  for (let s = 3; s <= 19; s++) if (src.has(`1.3.6.1.2.1.4.${s}.0`)) out.keep(`1.3.6.1.2.1.4.${s}`);

  out.put('1.3.6.1.2.1.1.1.0', '4', out.value('1.3.6.1.2.1.1.1.0'));
  out.put('1.3.6.1.2.1.1.2.0', '6', out.value('1.3.6.1.2.1.1.2.0'));
  out.put('1.3.6.1.2.1.1.3.0', '67', String(sysUpTime));
  out.put('1.3.6.1.2.1.1.4.0', '4', '');
  out.put('1.3.6.1.2.1.1.5.0', '4', SW_B.name);
  out.put('1.3.6.1.2.1.1.6.0', '4', SW_B.location);

  const descr = (what) => `D-Link Corporation DGS-1510-28 HW A1 firmware 1.50.021 ${what}`;
  const template = templatePorts(src, ports, ports, up);
  for (const p of ports) {
    const t = template.get(p);
    out.row(IF, t, p);
    out.row(IFX, t, p);
    out.row('1.3.6.1.2.1.17.2.15.1', t, p);
    out.put(`${IF}.2.${p}`, '4', descr(`Port ${p} on Unit 1`));
    out.put(`${IF}.4.${p}`, '2', '1500');
    out.put(`${IF}.6.${p}`, '4x', macHex(macAdd(SW_B.base, p)));
    out.put(`${IF}.7.${p}`, '2', '1');
    out.put(`${IF}.8.${p}`, '2', up(p) ? '1' : '2');
    if (plan[p] && !carrier(plan[p])) out.put(`${IF}.9.${p}`, '67', String(lostCarrierAt));
    out.put(`${IFX}.1.${p}`, '4', `eth1/0/${p}`);
    out.put(`${IFX}.15.${p}`, '66', up(p) ? '1000' : '0'); // a down port reports 0, as recorded
    out.put(`${IFX}.18.${p}`, '4', plan[p]?.alias ?? '');
    if (plan[p] && !carrier(plan[p])) out.put(`${IFX}.19.${p}`, '67', String(lostCarrierAt));
    out.put(`${DOT3}.19.${p}`, '2', up(p) ? '3' : '1'); // full when up, unknown when down, as recorded
    out.put(`1.3.6.1.2.1.17.2.15.1.1.${p}`, '2', String(p));
    out.put(`1.3.6.1.2.1.17.2.15.1.3.${p}`, '2', up(p) ? '5' : '1'); // forwarding / disabled
    out.put(`${QB_PVID}.${p}`, '66', String(pvid.get(p)));
  }
  // L2VLAN interfaces (ifType 135) at 1023 + VID, up when a member port is; rif0 routes the mgmt VLAN.
  for (const v of VLANS) {
    const i = 1023 + v.id;
    out.row(IF, 1453, i);
    out.row(IFX, 1453, i);
    out.put(`${IF}.2.${i}`, '4', descr(`L2VLAN ${v.id}`));
    out.put(`${IF}.8.${i}`, '2', egress.get(v.id).some(up) ? '1' : '2');
    out.put(`${IFX}.1.${i}`, '4', `L2VLAN ${v.id}`);
  }
  out.row(IF, 5121, 5121);
  out.row(IFX, 5121, 5121);
  out.put(`${IF}.2.5121`, '4', descr(`rif0(${SW_B.ip})`));
  out.put(`${IF}.6.5121`, '4x', macHex(SW_B.base));
  out.put(`${IFX}.1.5121`, '4', 'Interface vlan10');
  out.row(IF, 40000, 40000);
  out.row(IFX, 40000, 40000);

  // BRIDGE-MIB and Q-BRIDGE-MIB: clean 48-octet PortLists under the recorded time mark; no dot1qVlanFdbId, so
  // the filtering database id is the VID (as the recording's FDB indexes are).
  out.put('1.3.6.1.2.1.17.1.1.0', '4x', macHex(SW_B.base, true));
  for (const v of VLANS) {
    out.put(`${QB_CUR}.4.${TIME_MARK}.${v.id}`, '4x', portList(egress.get(v.id), OCTETS));
    out.put(`${QB_CUR}.5.${TIME_MARK}.${v.id}`, '4x', portList(untagged.get(v.id), OCTETS));
    out.put(`${QB_STATIC_NAME}.${v.id}`, '4', v.b);
  }
  out.put(`${TP_FDB_PORT}.10.${macDec(SW_B.base)}`, '2', '0'); // its own MAC in the management VLAN, as recorded
  for (const [vlan, mac, port] of FDB.b) out.put(`${TP_FDB_PORT}.${vlan}.${macDec(mac)}`, '2', String(port));

  // LLDP-MIB: the chassis ID sw-b sends, its bridge MAC (not in the recording, which LibreNMS walked without
  // it); the local port table as recorded ("1/N", though the port ID a DGS-1510 sends is its interface name:
  // both as real DGS-1510-28s on 1.50.021 have it); the remote table with time marks and remote indexes as the
  // D-Link numbers them (time of insertion, a running count); no management address table, as recorded.
  out.put('1.0.8802.1.1.2.1.3.1.0', '2', '4');
  out.put('1.0.8802.1.1.2.1.3.2.0', '4x', macHex(SW_B.base, true));
  let remIndex = 15;
  for (const p of ports) {
    const planned = plan[p];
    if (!planned || !carrier(planned) || !(planned.uplink || host(planned.device))) continue; // only the hosts run lldpd
    const n = planned.uplink
      ? {
          chassisSubtype: 4, chassisId: SW_A.base, portSubtype: 7, portId: '24', portIdTag: '4', portDesc: '24',
          // A ProCurve sends its port number as a local port ID and its sysDescr (procurve_e2910's neighbour).
          sysName: SW_A.name, sysDesc: SW_A.sysDescr,
          capSupported: '28 2 4', capEnabled: '20 2',
        }
      : hostNeighbor(planned);
    const idx = `${161012998 + p * 1000}.${p}.${remIndex++}`;
    out.put(`${LLDP_REM}.4.${idx}`, '2', String(n.chassisSubtype));
    out.put(`${LLDP_REM}.5.${idx}`, '4x', macHex(n.chassisId, true));
    out.put(`${LLDP_REM}.6.${idx}`, '2', String(n.portSubtype));
    out.put(`${LLDP_REM}.7.${idx}`, n.portIdTag, n.portId);
    out.put(`${LLDP_REM}.8.${idx}`, '4', n.portDesc);
    out.put(`${LLDP_REM}.9.${idx}`, '4', n.sysName);
    out.put(`${LLDP_REM}.10.${idx}`, '4', n.sysDesc);
    out.put(`${LLDP_REM}.11.${idx}`, '4', n.capSupported);
    out.put(`${LLDP_REM}.12.${idx}`, '4', n.capEnabled);
  }

  // IP-MIB: the management address on rif0; ARP as the recording writes it (text MACs, network and broadcast).
  out.put(`1.3.6.1.2.1.4.20.1.2.${SW_B.ip}`, '2', '5121');
  out.put(`1.3.6.1.2.1.4.20.1.3.${SW_B.ip}`, '64', '255.255.255.0');
  const arp = [['10.10.10.0', 'ff:ff:ff:ff:ff:ff'], ...arpVlan10(), ['10.10.10.255', 'ff:ff:ff:ff:ff:ff']];
  for (const [ip, mac] of arp) {
    out.put(`1.3.6.1.2.1.4.22.1.2.5121.${ip}`, '4', macShort(mac));
    out.put(`1.3.6.1.2.1.4.35.1.4.5121.1.4.${ip}`, '4', macShort(mac));
  }

  return out.text([
    'DERIVED recording: the demo lab\'s sw-b, a D-Link DGS-1510-28. Generated by scripts/make-demo-snmp.mjs',
    '(edit the script, not this file) from resources/snmp/dlink_dgs-1510-28.snmprec, LibreNMS',
    'tests/snmpsim/dlink_dgs-1510-28.snmprec (GPL-3.0, LICENSE.librenms), a walk of a real DGS-1510-28.',
    'Changed: the demo\'s VLANs (clean PortLists), LLDP neighbours, MAC table, port states, names and addresses.',
  ]);
}

// ── syno-dr: Synology RS2212RP+, from dsm.snmprec ───────────────────────────────────────────────────────
// The recording bonds eth0 and eth1 into bond0 (one MAC, 2000 Mb/s) on DSM 6.1-15217. The demo plans eth0
// for management and eth1 for replication: two ports, their own MACs and addresses (the DSM simulator's),
// no bond0; and one DSM version across SNMP and the DSM API: 7.1.1-42962, the last major DSM for this model,
// which the DSM simulator reports as "DSM 7.1.1-42962 Update 6" (SYNOLOGY-SYSTEM-MIB's version carries no
// update level: LibreNMS's DSM 7 recording dsm_ds214se-dsm7 reads "DSM 7.1-42962"). The kernel in sysDescr
// is DSM 7.1.1's for this platform, 3.10.108, with build 42962 as DSM 7 writes it (date from that recording).
function synoDr() {
  const src = readRecording('dsm.snmprec');
  const out = new Out(src);
  const notBond0 = (oid) => !/^1\.3\.6\.1\.2\.1\.(2\.2\.1|31\.1\.1\.1)\.\d+\.7$/.test(oid) && !/^1\.3\.6\.1\.2\.1\.25\.3\.2\.1\.\d+\.262151$/.test(oid);
  for (const [oid, r] of src) {
    if (oid.startsWith('1.3.6.1.2.1.1.') || oid.startsWith('1.3.6.1.2.1.4.20.') || oid.startsWith('1.3.6.1.2.1.4.22.')) continue;
    if (notBond0(oid)) out.rows.set(oid, r);
  }
  out.put('1.3.6.1.2.1.1.1.0', '4', `Linux ${NAS.name} 3.10.108 #42962 SMP Mon May 29 14:34:16 CST 2023 x86_64`);
  out.put('1.3.6.1.2.1.1.2.0', '6', out.value('1.3.6.1.2.1.1.2.0'));
  out.put('1.3.6.1.2.1.1.3.0', '67', out.value('1.3.6.1.2.1.1.3.0'));
  out.put('1.3.6.1.2.1.1.4.0', '4', '');
  out.put('1.3.6.1.2.1.1.5.0', '4', NAS.name);
  out.put('1.3.6.1.2.1.1.6.0', '4', NAS.location);
  for (const [i, nic] of [[3, NAS.eth0], [4, NAS.eth1]]) {
    out.put(`${IF}.6.${i}`, '4x', macHex(nic.mac, true));
    out.put(`${IF}.7.${i}`, '2', '1');
    out.put(`${IF}.8.${i}`, '2', '1');
    out.put(`${IFX}.15.${i}`, '66', '1000');
    out.put(`1.3.6.1.2.1.4.20.1.2.${nic.ip}`, '2', String(i));
    out.put(`1.3.6.1.2.1.4.20.1.3.${nic.ip}`, '64', nic.mask);
  }
  out.put('1.3.6.1.2.1.4.20.1.2.127.0.0.1', '2', '1');
  out.put('1.3.6.1.2.1.4.20.1.3.127.0.0.1', '64', '255.0.0.0');
  // ARP: the iSCSI initiator the DSM simulator shows connected (xen1, 10.10.10.11) on eth0.
  out.put(`1.3.6.1.2.1.4.22.1.2.3.${HOSTS[0].ip}`, '4x', macHex(hostMac(HOSTS[0], 'eth0'), true));
  out.put('1.3.6.1.4.1.6574.1.5.2.0', '4', NAS.serial);
  out.put('1.3.6.1.4.1.6574.1.5.3.0', '4', NAS.version);
  return out.text([
    'DERIVED recording: the demo lab\'s syno-dr, a Synology RS2212RP+. Generated by scripts/make-demo-snmp.mjs',
    '(edit the script, not this file) from resources/snmp/dsm.snmprec, LibreNMS tests/snmpsim/dsm.snmprec',
    '(GPL-3.0, LICENSE.librenms), a walk of a real RS2212RP+ on DSM 6.1.',
    'Changed: eth0 and eth1 as two ports (no bond0) with their MACs and addresses, DSM 7.1.1-42962, names.',
  ]);
}

// ── write ───────────────────────────────────────────────────────────────────────────────────────────────
const FILES = [
  ['demo-sw-a.derived.snmprec', swA()],
  ['demo-sw-b.derived.snmprec', swB()],
  ['demo-syno-dr.derived.snmprec', synoDr()],
];
for (const [name, text] of FILES) if (text.includes('<private>')) throw new Error(`${name} still has a <private> placeholder`);

if (process.argv.includes('--check')) {
  const stale = FILES.filter(([name, text]) => {
    try {
      return readFileSync(join(DIR, name), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    process.stderr.write(`${stale.map(([name]) => join(DIR, name)).join(', ')} out of date: run node scripts/make-demo-snmp.mjs\n`);
    process.exit(1);
  }
  process.stdout.write(`${FILES.map(([name]) => name).join(', ')} are up to date\n`);
} else {
  for (const [name, text] of FILES) {
    writeFileSync(join(DIR, name), text);
    process.stdout.write(`wrote ${join(DIR, name)} (${text.length} bytes)\n`);
  }
}
