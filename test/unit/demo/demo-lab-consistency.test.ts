/**
 * The demo lab is one lab across its layers: the plan (resources/demo-lab.yaml), the pool's xapi dump
 * (resources/demo-lab.xapi-db.xml, served by the XAPI simulator), the SNMP recordings the switches and the NAS
 * answer with (resources/snmp/demo-*.derived.snmprec, decoded here by the app's own SNMP decoder) and the DSM
 * simulator. Cable by cable, discovery agrees with the plan: a host NIC with carrier is the LLDP neighbour of
 * the switch port it is cabled to (its own MAC as port ID), and its MAC, or its bond's on the bond's primary,
 * is learned on exactly that port and no other host-facing port; every planned port carries the planned
 * VLANs; speed, duplex and MTU agree at both ends. Except, by name, what the demo shows on purpose: xen3 eth2
 * without carrier (the dump's flaw), sw-b eth1/0/6 without VLAN 101 (planted fault 1) and the uplink found
 * on sw-b eth1/0/23 while the inventory cables it to eth1/0/24 (planted fault 2).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeObservation } from '../../../src-main/drivers/snmp/decode/observation';
import type { Varbind } from '../../../src-main/drivers/snmp/varbinds';
import type { SnmpPort, SwitchObservation } from '../../../src-main/domain/model/switches';
import type { Inventory, InventoryDevice } from '../../../src-main/domain/model/inventory';
import { parseInventoryYaml } from '../../../src-main/api/interchange/yaml';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { startDsmSimulator, type DsmSimulator } from '../../../src-main/simulators/dsm';
import { connectDsm } from '../../../src-main/drivers/synology/client';
import { readNas } from '../../../src-main/drivers/synology/read';
import { parseSnmprec as parseForResponder } from '../../../src-main/simulators/snmp/snmprec';
import { parseSnmprec, walkOf } from '../drivers/snmp/snmprec';
import { demoDump } from '../simulators/wire';

const resource = (path: string) => readFileSync(fileURLToPath(new URL(`../../../resources/${path}`, import.meta.url)), 'utf8');
const script = fileURLToPath(new URL('../../../scripts/make-demo-snmp.mjs', import.meta.url));

/** Which recording answers for which device (as src-main/shells/common/demo-peers.ts says). */
const RECORDINGS = { 'sw-a': 'demo-sw-a.derived.snmprec', 'sw-b': 'demo-sw-b.derived.snmprec', 'syno-dr': 'demo-syno-dr.derived.snmprec' } as const;
type Polled = keyof typeof RECORDINGS;

// What the demo shows on purpose, by name.
const NO_CARRIER = { device: 'xen3', port: 'eth2', switchPort: { device: 'sw-b', port: 'eth1/0/7' } };
const VLAN_101_MISSING = { device: 'sw-b', port: 'eth1/0/6', host: 'xen2', nic: 'eth2' };
const UPLINK_MOVED = { a: { device: 'sw-a', port: '24' }, planned: { device: 'sw-b', port: 'eth1/0/24' }, found: { device: 'sw-b', port: 'eth1/0/23' } };
const DEFAULT_VLAN_NAME: Record<string, string> = { 'sw-a': 'DEFAULT_VLAN', 'sw-b': 'default' };

let inventory: Inventory;
const texts = {} as Record<Polled, string>;
const varbinds = {} as Record<Polled, Varbind[]>;
const observed = {} as Record<Polled, SwitchObservation>;
let xapi: XapiSimulator;
let dsm: DsmSimulator;

beforeAll(async () => {
  const parsed = parseInventoryYaml(resource('demo-lab.yaml'));
  if (!parsed.ok) throw new Error(`demo-lab.yaml does not parse: ${JSON.stringify(parsed.problems)}`);
  inventory = parsed.inventory;
  for (const [device, file] of Object.entries(RECORDINGS) as [Polled, string][]) {
    texts[device] = resource(`snmp/${file}`);
    varbinds[device] = parseSnmprec(texts[device], file);
    observed[device] = decodeObservation(walkOf(varbinds[device]), '2024-03-15T10:00:00.000Z');
  }
  xapi = await startXapiSimulator({ dump: demoDump(), users: { root: 'demo' } });
  dsm = await startDsmSimulator({ users: { monitor: 'dsm-password' } });
});
afterAll(async () => {
  await xapi?.close();
  await dsm?.close();
});

const device = (name: string): InventoryDevice => inventory.devices.find((d) => d.name === name)!;
const isSwitch = (name: string) => device(name).kind === 'switch';
const portOf = (sw: Polled, name: string): SnmpPort | undefined => observed[sw].ports.find((p) => p.name === name);
const neighborsAt = (sw: Polled, port: SnmpPort) => observed[sw].neighbors.filter((n) => n.localIfIndex === port.ifIndex);
const bridgeMac = (sw: Polled) => {
  const vb = varbinds[sw].find((v) => v.oid === '1.3.6.1.2.1.17.1.1.0')!;
  return [...(vb.value as Buffer)].map((b) => b.toString(16).padStart(2, '0')).join(':');
};

// The pool as the XAPI simulator serves the dump.
const pif = (host: string, nic: string) => xapi.get('PIF', xapi.findPif(host, nic)!)!;
const carrier = (host: string, nic: string) => xapi.get('PIF_metrics', pif(host, nic).metrics as string)!.carrier === 'true';
const bondOf = (host: string, nic: string) => {
  const ref = pif(host, nic).bond_slave_of as string;
  return ref === 'OpaqueRef:NULL' ? null : xapi.get('Bond', ref)!;
};
/** The MAC a device's port has: the dump's PIF MAC for a host, the inventory's `mac` for anything else. */
const macOf = (name: string, port: string) => (device(name).kind === 'xen-host' ? String(pif(name, port).MAC) : device(name).ports.find((p) => p.name === port)!.mac);

/** Host-facing ports: all but the ones where the other switch is heard by LLDP. */
function uplinks(sw: 'sw-a' | 'sw-b'): Set<number> {
  return new Set(observed[sw].neighbors.filter((n) => n.remoteSystemName === 'sw-a' || n.remoteSystemName === 'sw-b').map((n) => n.localIfIndex));
}
/** Every (switch, port) where a MAC is learned on a host-facing port. */
function learnedOnHostPorts(mac: string): { sw: string; port: string; vlan: number | null }[] {
  return (['sw-a', 'sw-b'] as const).flatMap((sw) =>
    observed[sw].fdb
      .filter((e) => e.mac === mac && !uplinks(sw).has(e.ifIndex))
      .map((e) => ({ sw, port: observed[sw].ports.find((p) => p.ifIndex === e.ifIndex)!.name, vlan: e.vlan })),
  );
}

describe('the derived recordings', () => {
  it('are what scripts/make-demo-snmp.mjs writes today, say they are DERIVED and from which real recording', () => {
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('up to date');
    expect(texts['sw-a'].split('\n')[0]).toMatch(/^# DERIVED recording/);
    expect(texts['sw-a'].slice(0, 400)).toContain('procurve.snmprec');
    expect(texts['sw-b'].slice(0, 400)).toContain('dlink_dgs-1510-28.snmprec');
    expect(texts['syno-dr'].slice(0, 400)).toContain('dsm.snmprec');
  });

  it('have no <private> placeholder, replay and decode without a skipped line or a gap, and name each device as the inventory does', () => {
    for (const name of Object.keys(RECORDINGS) as Polled[]) {
      expect(texts[name]).not.toContain('<private>');
      expect(parseForResponder(texts[name]).report, name).toMatchObject({ skipped: 0, duplicates: 0 });
      expect(observed[name].gaps).toEqual([]);
      expect(observed[name].system).toMatchObject({ name, location: device(name).location });
      for (const n of observed[name].neighbors) expect(n.remoteSystemName).not.toBe('');
    }
  });

  it('are the planned models: a single ProCurve 2910al-24G chassis, a DGS-1510-28, an RS2212RP+', () => {
    expect(observed['sw-a'].system.descr).toContain('J9145A 2910al-24G');
    expect(observed['sw-a'].model).toBe('J9145A');
    expect(varbinds['sw-a'].filter((v) => v.oid.startsWith('1.3.6.1.2.1.47.1.1.1.1.5.') && v.value === 3)).toHaveLength(1);
    expect(observed['sw-a'].lags).toEqual([]);
    expect(observed['sw-b'].model).toBe(device('sw-b').model);
    expect(observed['syno-dr'].nas?.model).toBe('RS2212RP+');
    expect(device('syno-dr').model).toContain('RS2212RP+');
  });

  it('have ports 1–24 on sw-a and eth1/0/1–28 on sw-b (ifIndex = port number), ethernetCsmacd, up at 1000 Mb/s full duplex', () => {
    const physical = (sw: Polled) => observed[sw].ports.filter((p) => p.type === 6);
    expect(physical('sw-a').map((p) => [p.ifIndex, p.name, p.descr])).toEqual(Array.from({ length: 24 }, (_, i) => [i + 1, `${i + 1}`, `${i + 1}`]));
    expect(physical('sw-b').map((p) => [p.ifIndex, p.name])).toEqual(Array.from({ length: 28 }, (_, i) => [i + 1, `eth1/0/${i + 1}`]));
    for (const sw of ['sw-a', 'sw-b'] as const) {
      for (const p of physical(sw)) {
        expect(p.mtu, `${sw} ${p.name}`).toBeGreaterThanOrEqual(1500);
        if (p.operUp) expect([p.speedMbps, p.duplex], `${sw} ${p.name}`).toEqual([1000, 'full']);
      }
      expect(observed[sw].vlans).toEqual(
        [1, ...inventory.vlans.map((v) => v.id)].map((id) => ({ id, name: id === 1 ? DEFAULT_VLAN_NAME[sw] : inventory.vlans.find((v) => v.id === id)!.name })),
      );
    }
  });

  it('show syno-dr with eth0 and eth1 as two ports with their own Synology MACs, no bond, as planned and as DSM says', async () => {
    const nas = observed['syno-dr'];
    expect(nas.ports.map((p) => p.name)).toEqual(['lo', 'sit0', 'eth0', 'eth1']);
    expect(nas.hostBonds).toEqual([]);
    const session = await connectDsm({ url: dsm.url, username: 'monitor', password: 'dsm-password', timeoutMs: 5000 });
    try {
      const network = await session.call<{ hostname: string; interfaces: { id: string; mac: string; ip: { address: string }[] }[] }>('SYNO.DSM.Network', 'list');
      for (const nic of ['eth0', 'eth1']) {
        const port = nas.ports.find((p) => p.name === nic)!;
        const dsmNic = network.interfaces.find((i) => i.id === nic)!;
        expect(port.mac).toMatch(/^00:11:32:/);
        expect([port.mac, port.mac]).toEqual([dsmNic.mac, macOf('syno-dr', nic)]);
        expect(port).toMatchObject({ operUp: true, speedMbps: 1000, mtu: 1500 });
        expect(nas.addresses.find((a) => a.ifIndex === port.ifIndex)?.address).toBe(dsmNic.ip[0]!.address);
      }
      expect(network.hostname).toBe(nas.system.name);
    } finally {
      await session.logout();
    }
  });

  it('give one DSM version across SNMP and the DSM API (the MIB carries no update level), and one serial', async () => {
    const session = await connectDsm({ url: dsm.url, username: 'monitor', password: 'dsm-password', timeoutMs: 5000 });
    try {
      const api = await readNas(session);
      const info = await session.call<{ serial: string }>('SYNO.DSM.Info', 'getinfo');
      const snmp = observed['syno-dr'].nas!;
      expect(api.dsmVersion).toBe('DSM 7.1.1-42962 Update 6');
      expect(snmp.version).toBe(api.dsmVersion.replace(/ Update \d+$/, ''));
      expect(observed['syno-dr'].system.descr).toMatch(/^Linux syno-dr 3\.10\.108 #42962 /);
      expect([snmp.model, snmp.serial]).toEqual([api.model, info.serial]);
      expect(api.hostname).toBe(observed['syno-dr'].system.name);
    } finally {
      await session.logout();
    }
  });
});

describe('every cable of the inventory, found by discovery', () => {
  it('each cable to a host NIC with carrier: the port exists, LLDP hears that NIC there, and the FDB learns its MAC (or its bond\'s) on that port alone', () => {
    let checked = 0;
    for (const link of inventory.links) {
      const [sw, other] = isSwitch(link.a.device) ? [link.a, link.b] : [link.b, link.a];
      if (isSwitch(other.device)) continue; // the uplink: below
      const port = portOf(sw.device as Polled, sw.port);
      expect(port, `${sw.device} ${sw.port} exists`).toBeDefined();
      const at = `${sw.device} ${sw.port} (${other.device} ${other.port})`;
      const mac = macOf(other.device, other.port);
      expect(mac, `${other.device} ${other.port} has a MAC`).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      const isHost = device(other.device).kind === 'xen-host';

      if (isHost && !carrier(other.device, other.port)) {
        // The dump's flaw, and only that one: the switch sees the link down, no neighbour, nothing learned.
        expect({ device: other.device, port: other.port, switchPort: sw }).toEqual(NO_CARRIER);
        expect(port!.operUp).toBe(false);
        expect(neighborsAt(sw.device as Polled, port!)).toEqual([]);
        expect(observed[sw.device as Polled].fdb.filter((e) => e.ifIndex === port!.ifIndex)).toEqual([]);
        checked++;
        continue;
      }
      expect(port!.operUp, at).toBe(true);
      expect([port!.speedMbps, port!.duplex], at).toEqual([1000, 'full']);

      if (isHost) {
        const nic = pif(other.device, other.port);
        const metrics = xapi.get('PIF_metrics', nic.metrics as string)!;
        expect([metrics.speed, metrics.duplex], at).toEqual(['1000', 'true']);
        expect(port!.mtu, at).toBeGreaterThanOrEqual(Number(nic.MTU));
        // lldpd on the host: chassis = its eth0 MAC, port ID = this NIC's own MAC, description = the NIC's name.
        expect(neighborsAt(sw.device as Polled, port!), at).toEqual([
          expect.objectContaining({
            remoteSystemName: other.device,
            remoteChassisId: macOf(other.device, 'eth0'),
            remotePortId: mac,
            remotePortDescr: other.port,
            remoteSystemDescr: expect.stringMatching(/^XenServer release 6\.2\.0/),
          }),
        ]);
        // The ProCurve keeps the management address each LLDPDU carries (lldpRemManAddrTable): the host's.
        if (sw.device === 'sw-a') expect(neighborsAt('sw-a', port!)[0], at).toMatchObject({ remoteManagementAddress: device(other.device).address });
        const bond = bondOf(other.device, other.port);
        if (bond) {
          const bondMac = String(xapi.get('PIF', bond.master as string)!.MAC);
          if (bond.primary_slave === xapi.findPif(other.device, other.port)) {
            expect(bondMac, `${at}: the bond takes its primary's MAC`).toBe(mac);
            expect(learnedOnHostPorts(bondMac), at).toEqual([{ sw: sw.device, port: sw.port, vlan: 100 }]);
          } else {
            // The other member: its own MAC is never a source, the bond's is learned on the primary's port.
            expect(learnedOnHostPorts(mac), at).toEqual([]);
            expect(learnedOnHostPorts(bondMac).map((e) => e.port)).not.toContain(sw.port);
          }
        } else {
          expect(learnedOnHostPorts(mac), at).toEqual([{ sw: sw.device, port: sw.port, vlan: device(other.device).ports.find((p) => p.name === other.port)!.untaggedVlan }]);
        }
      } else {
        // The SAN and the NAS run no LLDP; their MACs (planned in the inventory) are learned on their ports.
        const planned = device(other.device).ports.find((p) => p.name === other.port)!;
        expect(learnedOnHostPorts(mac), at).toEqual([{ sw: sw.device, port: sw.port, vlan: planned.untaggedVlan }]);
        expect(port!.mtu, at).toBeGreaterThanOrEqual(1500);
      }
      checked++;
    }
    expect(checked).toBe(inventory.links.length - 1);
  });

  it('planted fault 2: the uplink is cabled to sw-b eth1/0/24 in the inventory, but LLDP on both sides finds sw-a 24 ↔ sw-b eth1/0/23', () => {
    const uplink = inventory.links.filter((l) => isSwitch(l.a.device) && isSwitch(l.b.device));
    expect(uplink).toHaveLength(1);
    expect([uplink[0]!.a, uplink[0]!.b]).toEqual([UPLINK_MOVED.a, UPLINK_MOVED.planned]);

    const a24 = portOf('sw-a', UPLINK_MOVED.a.port)!;
    const b23 = portOf('sw-b', UPLINK_MOVED.found.port)!;
    const b24 = portOf('sw-b', UPLINK_MOVED.planned.port)!;
    // Each switch sends its bridge MAC as chassis ID; a ProCurve its port number, a D-Link its interface name.
    expect(neighborsAt('sw-a', a24)).toEqual([expect.objectContaining({ remoteSystemName: 'sw-b', remoteChassisId: bridgeMac('sw-b'), remotePortId: 'eth1/0/23' })]);
    expect(neighborsAt('sw-b', b23)).toEqual([expect.objectContaining({ remoteSystemName: 'sw-a', remoteChassisId: bridgeMac('sw-a'), remotePortId: '24' })]);
    expect(neighborsAt('sw-b', b24)).toEqual([]);
    expect([observed['sw-a'].localChassisId, observed['sw-b'].localChassisId]).toEqual([bridgeMac('sw-a'), bridgeMac('sw-b')]);
    // What sw-b hears from sw-a 24 is the port ID sw-a says it sends there. The D-Link, as the recorded one,
    // lists "1/23" as its own port ID but sends its interface name (what the recorded one's DGS-1510 neighbour
    // sent): the graph knows the port by both.
    expect(a24.lldpPortId).toBe('24');
    expect([b23.lldpPortId, b23.name]).toEqual(['1/23', 'eth1/0/23']);
    expect([a24.operUp, b23.operUp, b24.operUp]).toEqual([true, true, false]);
    expect([a24.speedMbps, a24.duplex, b23.speedMbps, b23.duplex]).toEqual([1000, 'full', 1000, 'full']);
    // The trunk's configuration moved with the cable.
    expect([b23.taggedVlans, b23.untaggedVlans]).toEqual([[10, 20, 30, 100, 101], []]);
    expect([b24.taggedVlans, b24.untaggedVlans]).toEqual([[], [1]]);
    expect(uplinks('sw-a')).toEqual(new Set([a24.ifIndex]));
    expect(uplinks('sw-b')).toEqual(new Set([b23.ifIndex]));
    // Each switch learns the other's bridge MAC across the uplink.
    expect(observed['sw-a'].fdb).toContainEqual({ mac: bridgeMac('sw-b'), vlan: 10, ifIndex: a24.ifIndex });
    expect(observed['sw-b'].fdb).toContainEqual({ mac: bridgeMac('sw-a'), vlan: 10, ifIndex: b23.ifIndex });
  });

  it('no host NIC\'s MAC is learned on two host-facing ports, and what each side learns the other learns across the uplink', () => {
    const hostPortEntries = (['sw-a', 'sw-b'] as const).flatMap((sw) => observed[sw].fdb.filter((e) => !uplinks(sw).has(e.ifIndex)).map((e) => `${e.vlan} ${e.mac}`));
    expect(new Set(hostPortEntries).size).toBe(hostPortEntries.length);
    for (const [here, there] of [['sw-a', 'sw-b'], ['sw-b', 'sw-a']] as const) {
      const local = observed[here].fdb.filter((e) => !uplinks(here).has(e.ifIndex)).map((e) => [e.vlan, e.mac]);
      const acrossThere = observed[there].fdb.filter((e) => uplinks(there).has(e.ifIndex)).map((e) => [e.vlan, e.mac]);
      expect(acrossThere.filter(([, mac]) => mac !== bridgeMac(here)).sort()).toEqual(local.sort());
    }
  });
});

describe('VLANs end to end', () => {
  it('every planned switch port carries the planned VLANs (untagged = PVID, tagged = egress − untagged), except planted fault 1 and the moved uplink', () => {
    for (const sw of ['sw-a', 'sw-b'] as const) {
      for (const planned of device(sw).ports) {
        const port = portOf(sw, planned.name)!;
        const seen = { untagged: port.untaggedVlans, tagged: port.taggedVlans };
        if (sw === VLAN_101_MISSING.device && planned.name === VLAN_101_MISSING.port) {
          expect(planned.taggedVlans).toEqual([100, 101]);
          expect(seen).toEqual({ untagged: [], tagged: [100] });
          continue;
        }
        if (sw === UPLINK_MOVED.planned.device && planned.name === UPLINK_MOVED.planned.port) continue; // the test above
        expect(seen, `${sw} ${planned.name}`).toEqual({ untagged: planned.untaggedVlan === null ? [] : [planned.untaggedVlan], tagged: planned.taggedVlans });
        if (planned.untaggedVlan !== null) expect(port.pvid, `${sw} ${planned.name}`).toBe(planned.untaggedVlan);
      }
    }
  });

  it('planted fault 1: xen2\'s bond carries VLANs 100 and 101, but its member eth2\'s switch port only 100', () => {
    const bond = bondOf(VLAN_101_MISSING.host, VLAN_101_MISSING.nic)!;
    const tags = ((xapi.get('PIF', bond.master as string)!.VLAN_slave_of as string[]).map((ref) => Number(xapi.get('VLAN', ref)!.tag))).sort((x, y) => x - y);
    expect(tags).toEqual([100, 101]);
    const link = inventory.links.find((l) => [l.a, l.b].some((e) => e.device === VLAN_101_MISSING.host && e.port === VLAN_101_MISSING.nic))!;
    expect([link.a, link.b]).toContainEqual({ device: VLAN_101_MISSING.device, port: VLAN_101_MISSING.port });
    expect(portOf('sw-b', VLAN_101_MISSING.port)!.taggedVlans).toEqual([100]);
    // Its other member's port carries both.
    expect(portOf('sw-a', '6')!.taggedVlans).toEqual([100, 101]);
  });

  it('unplanned ports are unused: down, untagged in VLAN 1 only (but eth1/0/23, where the uplink moved)', () => {
    for (const sw of ['sw-a', 'sw-b'] as const) {
      const planned = new Set(device(sw).ports.map((p) => p.name));
      for (const port of observed[sw].ports.filter((p) => p.type === 6 && !planned.has(p.name))) {
        if (sw === UPLINK_MOVED.found.device && port.name === UPLINK_MOVED.found.port) continue;
        expect({ up: port.operUp, untagged: port.untaggedVlans, tagged: port.taggedVlans, pvid: port.pvid }, `${sw} ${port.name}`).toEqual({ up: false, untagged: [1], tagged: [], pvid: 1 });
        expect(neighborsAt(sw, port)).toEqual([]);
      }
    }
  });
});
