/**
 * The demo lab's hand-made dump (resources/demo-lab.xapi-db.xml): generated deterministically by its
 * script and up to date, shaped like resources/demo-lab.yaml (4 hosts, eth0 management, bond0 = eth1+eth2
 * balance-slb for VM VLANs 100 and 101, eth3 storage, two iSCSI SRs over one portal so one path each, HA on
 * the heartbeat SR), with exactly the two flaws it is meant to show, and the scripted repairs a demo's
 * "things happen" button would use.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { asStruct, call, demoDump, login, x } from './wire';

const script = fileURLToPath(new URL('../../../scripts/make-demo-xapi-db.mjs', import.meta.url));
let sim: XapiSimulator;

beforeAll(async () => {
  sim = await startXapiSimulator({ dump: demoDump(), users: { root: 'demo' } });
});
afterAll(() => sim.close());

const HOSTS = ['xen1', 'xen2', 'xen3', 'xen4'];
const pif = (host: string, device: string, vlan = -1) => sim.get('PIF', sim.findPif(host, device, vlan)!)!;
const metrics = (host: string, device: string) => sim.get('PIF_metrics', pif(host, device).metrics as string)!;
const bondOf = (host: string) => sim.get('Bond', (pif(host, 'bond0').bond_master_of as string[])[0]!)!;

describe('the demo dump file', () => {
  it('is what the generator writes today (deterministic, up to date) and says it is hand-made', () => {
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('up to date');
    expect(demoDump().slice(0, 200)).toContain('HAND-MADE, not recorded from a real pool');
  });
});

describe('the demo pool', () => {
  it('is a XenServer 6.2 (API 2.0) pool of xen1–xen4 at 10.10.10.11–14 with xen1 as master and HA on', async () => {
    const session = await login(sim.url, 'root', 'demo');
    const pool = asStruct(Object.values(asStruct((await call(sim.url, 'pool.get_all_records', x.str(session))).Value))[0]);
    expect(pool.name_label).toBe('hp-pool');
    expect(pool.ha_enabled).toBe(true);
    expect(pool.master).toBe(sim.findHost('xen1'));
    const hosts = sim.records('host');
    expect(hosts.map((h) => [h.fields.name_label, h.fields.address])).toEqual(HOSTS.map((name, i) => [name, `10.10.10.1${i + 1}`]));
    for (const host of hosts) {
      expect(host.fields.API_version_major).toBe('2');
      expect(host.fields.API_version_minor).toBe('0');
      expect(host.fields.software_version).toMatchObject({ product_version: '6.2.0', product_brand: 'XenServer' });
    }
    const [statefile] = pool.ha_statefiles as string[];
    const heartbeat = sim.get('SR', sim.get('VDI', statefile!)!.SR as string)!;
    expect(heartbeat.name_label).toBe('HA heartbeat');
  });

  it('gives every host eth0 for management at 10.10.10.1N, on the pool-wide eth0 network, not bonded', () => {
    for (const host of HOSTS) {
      const eth0 = pif(host, 'eth0');
      expect(eth0).toMatchObject({
        management: 'true',
        physical: 'true',
        bond_slave_of: 'OpaqueRef:NULL',
        ip_configuration_mode: 'Static',
        IP: `10.10.10.1${host.slice(3)}`,
        netmask: '255.255.255.0',
        gateway: '10.10.10.1',
      });
      expect(sim.get('network', eth0.network as string)).toMatchObject({ name_label: 'Pool-wide network associated with eth0', bridge: 'xenbr0' });
    }
    expect(HOSTS.flatMap((h) => ['eth1', 'eth2', 'eth3', 'bond0'].map((d) => pif(h, d).management))).not.toContain('true');
  });

  it('gives every host bond0 (balance-slb over eth1+eth2, primary eth1, no IP) with VLANs 100 and 101 on it', () => {
    for (const host of HOSTS) {
      const bond = bondOf(host);
      expect(bond.mode).toBe('balance-slb');
      expect((bond.slaves as string[]).map((ref) => sim.get('PIF', ref)!.device).sort()).toEqual(['eth1', 'eth2']);
      expect(bond.primary_slave).toBe(sim.findPif(host, 'eth1'));
      expect(pif(host, 'bond0')).toMatchObject({ management: 'false', ip_configuration_mode: 'None', IP: '', currently_attached: 'true' });
      expect(pif(host, 'eth1').currently_attached).toBe('false');
      expect(pif(host, 'eth2').currently_attached).toBe('false');
      expect(metrics(host, 'bond0').carrier).toBe('true');
      expect(sim.get('network', pif(host, 'bond0').network as string)).toMatchObject({ name_label: 'Bond 1+2', bridge: 'xapi1' });
      const vlans = (pif(host, 'bond0').VLAN_slave_of as string[]).map((ref) => sim.get('VLAN', ref)!);
      expect(vlans.map((vlan) => vlan.tag).sort()).toEqual(['100', '101']);
      expect(vlans.every((vlan) => vlan.tagged_PIF === sim.findPif(host, 'bond0'))).toBe(true);
      expect(new Set([100, 101].map((tag) => sim.get('network', pif(host, 'bond0', tag).network as string)!.bridge))).toEqual(new Set(['xapi2', 'xapi3']));
      expect(pif(host, 'bond0', 100).metrics).toBe(pif(host, 'bond0').metrics);
    }
    // VLANs 10 and 20 are untagged on the switch ports: no xapi VLAN objects for them.
    expect(sim.records('VLAN').map((vlan) => vlan.fields.tag).sort()).toEqual([...Array(4).fill('100'), ...Array(4).fill('101')]);
  });

  it('gives every host eth3 for storage at 10.10.20.1N, no gateway, kept plugged (disallow_unplug)', () => {
    for (const host of HOSTS) {
      const n = host.slice(3);
      const eth3 = pif(host, 'eth3');
      expect(eth3).toMatchObject({
        IP: `10.10.20.1${n}`,
        ip_configuration_mode: 'Static',
        gateway: '',
        management: 'false',
        bond_slave_of: 'OpaqueRef:NULL',
        disallow_unplug: 'true',
        other_config: { management_purpose: 'Storage' },
      });
      expect(sim.get('network', eth3.network as string)).toMatchObject({ name_label: 'iSCSI (VLAN 20)', bridge: 'xenbr3' });
      expect(metrics(host, 'eth3')).toMatchObject({ vendor_name: 'Broadcom Corporation', speed: '1000', carrier: 'true' });
    }
  });

  it('attaches both iSCSI SRs on every host over one portal without CHAP, one session and one path each, with a local SR per host', () => {
    for (const name of ['HA heartbeat', 'VM store']) {
      const sr = sim.get('SR', sim.findSr(name)!)!;
      expect(sr).toMatchObject({ type: 'lvmoiscsi', shared: 'true' });
      const pbds = (sr.PBDs as string[]).map((ref) => sim.get('PBD', ref)!);
      expect(pbds).toHaveLength(4);
      for (const pbd of pbds) {
        const config = pbd.device_config as Record<string, string>;
        expect(Object.keys(config).sort()).toEqual(['SCSIid', 'port', 'target', 'targetIQN']);
        expect(config).toMatchObject({ target: '10.10.20.20', port: '3260', targetIQN: expect.stringMatching(/^iqn\.2013-03\.com\.dlink:dns-1550-04\./) });
        expect(pbd.other_config).toMatchObject({ iscsi_sessions: '1' });
      }
    }
    expect(sim.records('SR').filter((sr) => sr.fields.type === 'lvm')).toHaveLength(4);
  });
});

describe('the two flaws the demo shows, and their repair by script', () => {
  it('xen3: eth2 has no carrier and the bond counts 1 link up; cabling it brings 2/2 and a bond alert', () => {
    expect(metrics('xen3', 'eth2')).toMatchObject({ carrier: 'false', speed: '65535' });
    expect(metrics('xen3', 'eth1')).toMatchObject({ carrier: 'true', speed: '1000' });
    expect(metrics('xen3', 'bond0').carrier).toBe('true');
    expect(bondOf('xen3').links_up).toBe('1');
    expect(HOSTS.filter((h) => h !== 'xen3').every((h) => bondOf(h).links_up === '2')).toBe(true);
    expect(HOSTS.flatMap((h) => ['eth0', 'eth1', 'eth2', 'eth3'].filter((d) => metrics(h, d).carrier !== 'true').map((d) => `${h} ${d}`))).toEqual(['xen3 eth2']);
    const [already] = sim.records('message').map((m) => m.fields);
    expect(already).toMatchObject({
      name: 'BOND_STATUS_CHANGED',
      cls: 'Host',
      obj_uuid: sim.get('host', sim.findHost('xen3')!)!.uuid,
      body: 'The status of the eth1+eth2 bond changed: 1/2 up (was 2/2)',
    });
    sim.setCarrier('xen3', 'eth2', true);
    expect(bondOf('xen3').links_up).toBe('2');
    expect(metrics('xen3', 'eth2')).toMatchObject({ carrier: 'true', speed: '1000' });
    const alert = sim.records('message').at(-1)!.fields;
    expect(alert).toMatchObject({ name: 'BOND_STATUS_CHANGED', body: 'The status of the eth1+eth2 bond changed: 2/2 up (was 1/2)' });
  });

  it('xen4: multipathing off while xen1–xen3 have it on, one path each ([1, 1]); a path lost elsewhere raises a multipath alert', () => {
    const store = sim.get('SR', sim.findSr('VM store')!)!;
    const scsiId = (sim.get('PBD', (store.PBDs as string[])[0]!)!.device_config as Record<string, string>).SCSIid!;
    const pbdOf = (sr: string, host: string) => {
      const pbds = (sim.get('SR', sim.findSr(sr)!)!.PBDs as string[]).map((ref) => sim.get('PBD', ref)!);
      return pbds.find((pbd) => pbd.host === sim.findHost(host))!;
    };
    const otherConfig = (host: string) => sim.get('host', sim.findHost(host)!)!.other_config as Record<string, string>;
    for (const host of ['xen1', 'xen2', 'xen3']) {
      expect(otherConfig(host)).toMatchObject({ multipathing: 'true', multipathhandle: 'dmp' });
      for (const sr of ['HA heartbeat', 'VM store']) {
        const pbd = pbdOf(sr, host);
        const id = (pbd.device_config as Record<string, string>).SCSIid!;
        expect(pbd.other_config).toMatchObject({ [`mpath-${id}`]: '[1, 1]', multipathed: 'true', iscsi_sessions: '1' });
      }
    }
    expect(otherConfig('xen4').multipathing).toBe('false');
    expect(otherConfig('xen4')).not.toHaveProperty('multipathhandle');
    for (const sr of ['HA heartbeat', 'VM store']) {
      const keys = Object.keys(pbdOf(sr, 'xen4').other_config as Record<string, string>);
      expect(keys.sort()).toEqual(['iscsi_sessions', 'storage_driver_domain']);
    }

    sim.setPaths('VM store', 'xen2', 0);
    expect((pbdOf('VM store', 'xen2').other_config as Record<string, string>)[`mpath-${scsiId}`]).toBe('[0, 1]'); // the total never drops below the highest seen
    const alert = sim.records('message').at(-1)!.fields;
    expect(alert.name).toBe('MULTIPATH_PERIODIC_ALERT');
    expect(alert.body).toMatch(/^Unhealthy paths:\n/);
    expect(alert.body).toMatch(new RegExp(`host-name="xen2"; pbd=[0-9a-f-]{36}; scsi_id=${scsiId}; current=0; max=1`));
    sim.setPaths('VM store', 'xen2', 1);
    expect((pbdOf('VM store', 'xen2').other_config as Record<string, string>)[`mpath-${scsiId}`]).toBe('[1, 1]');
  });
});
