/**
 * The demo lab's peers answer from Labwarden's own simulators on loopback, over the real protocols:
 * - the pool (hp-pool) from the XAPI simulator, serving a hand-made xapi database shaped like the demo lab
 *   (resources/demo-lab.xapi-db.xml), over XML-RPC as XenServer 6.2 would;
 * - the SAN's portal (dlink-san) from an iSCSI discovery responder listing the demo's two targets;
 * - the NAS (syno-dr) from the DSM simulator, whose replication plan is older than a day;
 * - the switches (sw-a, sw-b) and the NAS over SNMP from a responder replaying recordings DERIVED from real
 *   devices' (resources/snmp/, scripts/make-demo-snmp.mjs): the real walks with the demo's ports, VLANs, LLDP
 *   neighbours and MAC tables, so that what they report matches the inventory's cables and the pool's MACs.
 * The inventory keeps the lab's real-looking addresses; only the collectors are pointed at the simulators,
 * and the screens say so. Started on first need, so a lab that is not the demo never opens these ports.
 */
import { startXapiSimulator, type XapiSimulator } from '../../simulators/xapi';
import { startIscsiResponder } from '../../simulators/iscsi';
import { startDsmSimulator } from '../../simulators/dsm';
import { startSnmpResponder } from '../../simulators/snmp';
import type { PoolRedirect } from '../../collect/pools';
import type { Device } from '../../domain/model/devices';
import demoPoolDump from '../../../resources/demo-lab.xapi-db.xml?raw';
import swAWalk from '../../../resources/snmp/demo-sw-a.derived.snmprec?raw';
import swBWalk from '../../../resources/snmp/demo-sw-b.derived.snmprec?raw';
import synoDrWalk from '../../../resources/snmp/demo-syno-dr.derived.snmprec?raw';

const DEMO_POOL = 'hp-pool';
const DEMO_SAN = 'dlink-san';
const DEMO_NAS = 'syno-dr';
const DEMO_USER = 'root';
const DEMO_PASSWORD = 'demo-lab-password';
const DEMO_DSM_USER = 'labwarden';
const DEMO_DSM_PASSWORD = 'demo-dsm-password';
/**
 * Which recording (resources/snmp/) answers for which demo device: the community picks it, as in snmpsim.
 * Each is DERIVED from a real device's walk (`from`, LibreNMS's recording beside it) by scripts/make-demo-snmp.mjs.
 */
const DEMO_SNMP: Record<string, { community: string; file: string; from: string; walk: string }> = {
  'sw-a': { community: 'demo-sw-a', file: 'demo-sw-a.derived.snmprec', from: 'an HP ProCurve, procurve.snmprec', walk: swAWalk },
  'sw-b': { community: 'demo-sw-b', file: 'demo-sw-b.derived.snmprec', from: 'a D-Link DGS-1510-28, dlink_dgs-1510-28.snmprec', walk: swBWalk },
  'syno-dr': { community: 'demo-syno-dr', file: 'demo-syno-dr.derived.snmprec', from: 'a Synology RS2212RP+, dsm.snmprec', walk: synoDrWalk },
};

/** The demo SAN's targets as resources/demo-lab.yaml plans them, on its one portal. */
const DEMO_TARGETS = [
  { iqn: 'iqn.2013-03.com.dlink:dns-1550-04.ha-heartbeat', alias: 'ha-heartbeat', portals: ['10.10.20.20:3260,1'] },
  { iqn: 'iqn.2013-03.com.dlink:dns-1550-04.vm-store', alias: 'vm-store', portals: ['10.10.20.20:3260,1'] },
];

interface Running {
  snmp: { host: string; port: number; close(): Promise<void> };
  xapi: XapiSimulator;
  iscsi: { host: string; port: number; close(): Promise<void> };
  dsm: { url: string; close(): Promise<void> };
}

export class DemoPeers {
  private peers: Running | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  /** `onReady` runs once the simulators listen, so the caller can point its collectors at them. */
  constructor(private readonly onReady: () => void) {}

  redirect(device: Device): PoolRedirect | null {
    if (device.kind !== 'xen-pool' || device.name !== DEMO_POOL) return null;
    const peers = this.ready();
    if (!peers) return null;
    return {
      url: peers.xapi.url,
      username: DEMO_USER,
      password: DEMO_PASSWORD,
      note: `demo lab: answered by Labwarden's built-in XenAPI simulator at ${peers.xapi.url}`,
    };
  }

  redirectPortal(device: Device, _address: string, _port: number): { host: string; port: number } | null {
    if (device.name !== DEMO_SAN) return null;
    const peers = this.ready();
    return peers ? { host: peers.iscsi.host, port: peers.iscsi.port } : null;
  }

  redirectDsm(device: Device): { url: string; username: string; password: string; note: string } | null {
    if (device.kind !== 'nas' || device.name !== DEMO_NAS) return null;
    const peers = this.ready();
    if (!peers) return null;
    return {
      url: peers.dsm.url,
      username: DEMO_DSM_USER,
      password: DEMO_DSM_PASSWORD,
      note: `demo lab: answered by Labwarden's built-in DSM simulator at ${peers.dsm.url}`,
    };
  }

  redirectSnmp(device: Device): { host: string; port: number; community: string; note: string } | null {
    const demo = Object.hasOwn(DEMO_SNMP, device.name) ? DEMO_SNMP[device.name] : undefined;
    if (!demo) return null;
    const peers = this.ready();
    if (!peers) return null;
    return {
      host: peers.snmp.host,
      port: peers.snmp.port,
      community: demo.community,
      note: `demo lab: answered by Labwarden's built-in SNMP responder, replaying ${demo.file} (derived from a real recording of ${demo.from})`,
    };
  }

  /**
   * Starts the simulators (if not started yet) and waits until they listen: true then, false when they could not
   * start. The CLI's poll round waits for this before its first poll, so no probe goes to the lab's real addresses.
   */
  async whenReady(): Promise<boolean> {
    this.start();
    await this.starting;
    return this.peers !== null;
  }

  /** The simulators listen (false while they start, and when they could not). */
  get listening(): boolean {
    return this.peers !== null;
  }

  /** The running simulators, or null while they start (the first call starts them). */
  private ready(): Running | null {
    if (!this.peers) this.start();
    return this.peers;
  }

  private start(): void {
    if (this.starting || this.closed) return;
    this.starting = (async () => {
      const started: { close(): Promise<void> }[] = [];
      try {
        // XenServer 6.2 predates reliable JSON-RPC (reference §1.3): the demo pool speaks XML-RPC only.
        const xapi = await startXapiSimulator({ dump: demoPoolDump, users: { [DEMO_USER]: DEMO_PASSWORD }, jsonRpc: false });
        started.push(xapi);
        const iscsi = await startIscsiResponder({ targets: DEMO_TARGETS });
        started.push(iscsi);
        const dsm = await startDsmSimulator({ users: { [DEMO_DSM_USER]: DEMO_DSM_PASSWORD } });
        started.push(dsm);
        const recordings = Object.fromEntries(Object.values(DEMO_SNMP).map((demo) => [demo.community, demo.walk]));
        const snmp = await startSnmpResponder({ recordings, traffic: true });
        started.push(snmp);
        if (this.closed) throw new Error('closed while starting');
        this.peers = { xapi, iscsi, dsm, snmp };
      } catch {
        // The status lines show the devices as not polled; the next sync tries again.
        await Promise.all(started.map((peer) => peer.close()));
        this.starting = null;
        return;
      }
      this.onReady();
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    const peers = this.peers;
    this.peers = null;
    if (peers) await Promise.all([peers.xapi.close(), peers.iscsi.close(), peers.dsm.close(), peers.snmp.close()]);
  }
}
