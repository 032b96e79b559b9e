/**
 * Every XenAPI dump the normaliser tests read, served by the XAPI simulator and read once per wire protocol
 * before a test file's tests run. Shared by xenapi-normalize.test.ts (field by field against the dump) and
 * xenapi-normalize-values.test.ts (values looked up by hand), and the dump names by the event tests.
 */
import { beforeAll, afterAll, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { pollPoolOnce } from '../../../src-main/collect/poll-once';
import { connectXapi } from '../../../src-main/drivers/xenapi/client';
import { loadPool } from '../../../src-main/drivers/xenapi/load';
import { normalizePool } from '../../../src-main/drivers/xenapi/normalize';
import type { PoolObservation, XenHost } from '../../../src-main/domain/model/pools';
import { readDump, readFixture, type Dump } from './xapi-dump-reader';

export const USER = 'root';
export const PASSWORD = 'normalize-password';
const DEMO = join(__dirname, '../../../resources/demo-lab.xapi-db.xml');
export const DUMPS = ['cowley1.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'state4.xml', 'boston-db.xml', 'demo-lab.xapi-db.xml'] as const;
export type DumpName = (typeof DUMPS)[number];
export const TRANSPORTS = ['xml-rpc', 'json-rpc'] as const;
export type WireProtocol = (typeof TRANSPORTS)[number];

/** A real dump from test/fixtures/xapi/, or the demo lab's hand-made one from resources/. */
export const xmlOf = (name: DumpName) => (name === 'demo-lab.xapi-db.xml' ? readFileSync(DEMO, 'utf8') : readFixture(name));

/**
 * The same pool read over both wire protocols (ints are strings on XML-RPC, numbers on JSON-RPC). XML-RPC:
 * `labwarden poll`'s own read (pollPoolOnce) against a host without /jsonrpc. JSON-RPC: the same steps as
 * pollPoolOnce (connect, loadPool, normalizePool) with the protocol pinned, whatever 'auto' would choose.
 */
async function readPool(sim: XapiSimulator, transport: WireProtocol): Promise<PoolObservation> {
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

export interface ObservedDumps {
  /** Each dump's rows, read independently of the normaliser. */
  dumps: Map<DumpName, Dump>;
  /** The observation read from the dump over one protocol (JSON-RPC unless told). */
  get(name: DumpName, transport?: WireProtocol): PoolObservation;
}

/** Registers the file's beforeAll (serve and read every dump over both protocols) and afterAll. */
export function observeDumps(): ObservedDumps {
  const dumps = new Map<DumpName, Dump>();
  const observed = new Map<string, PoolObservation>();
  const simulators: XapiSimulator[] = [];
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
  return { dumps, get: (name, transport = 'json-rpc') => observed.get(`${name}/${transport}`)! };
}

export const hostOf = (o: PoolObservation, name: string) => {
  const host = o.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no host ${name} in the observation (${o.hosts.map((h) => h.name).join(', ')})`);
  return host;
};
export const nicOf = (host: XenHost, device: string) => {
  const nic = host.nics.find((n) => n.device === device);
  if (!nic) throw new Error(`no NIC ${device} on ${host.name} (${host.nics.map((n) => n.device).join(', ')})`);
  return nic;
};
export const srNamed = (o: PoolObservation, name: string) => o.storage.filter((sr) => sr.name === name);
