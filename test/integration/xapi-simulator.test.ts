/**
 * A whole watch session against the simulator serving the demo dump, over JSON-RPC with raw fetch, the
 * way Xen Orchestra's loop runs (reference xenapi.md §4.1): inject a token, load the classes, loop on
 * event.from; a link fails and comes back, events get lost (the client reloads, and the simulator's stats
 * prove it), the session dies (the client logs in again). The client here is a dozen lines of test code,
 * on purpose: the simulator is checked against the protocol, not against the app's own client.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';

const dump = readFileSync(fileURLToPath(new URL('../../resources/demo-lab.xapi-db.xml', import.meta.url)), 'utf8');
const CLASSES = ['host', 'host_metrics', 'PIF', 'PIF_metrics', 'Bond', 'VLAN', 'network', 'SR', 'PBD', 'pool', 'message'];

let sim: XapiSimulator;
let nextId = 1;

async function rpc(method: string, ...params: unknown[]): Promise<unknown> {
  const response = await fetch(`${sim.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: nextId++ }),
  });
  expect(response.headers.get('content-type')).toBe('application/json');
  const answer = (await response.json()) as { result?: unknown; error?: { message: string; data: string[] } };
  if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.message, data: answer.error.data });
  return answer.result;
}

/** The client's view: class → ref → record, kept current by events. */
type Cache = Map<string, Map<string, Record<string, unknown>>>;

async function load(session: string): Promise<{ cache: Cache; token: string }> {
  const pool = ((await rpc('pool.get_all', session)) as string[])[0]!;
  const token = (await rpc('event.inject', session, 'pool', pool)) as string;
  const cache: Cache = new Map();
  for (const cls of CLASSES) {
    const records = (await rpc(`${cls}.get_all_records`, session)) as Record<string, Record<string, unknown>>;
    cache.set(cls.toLowerCase(), new Map(Object.entries(records)));
  }
  return { cache, token };
}

interface Event {
  class: string;
  operation: string;
  ref: string;
  snapshot?: Record<string, unknown>;
}

async function next(session: string, cache: Cache, token: string, timeout = 3.0): Promise<{ token: string; events: Event[] }> {
  const result = (await rpc('event.from', session, CLASSES, token, timeout)) as { events: Event[]; token: string };
  for (const event of result.events) {
    const table = cache.get(event.class) ?? cache.set(event.class, new Map()).get(event.class)!;
    if (event.operation === 'del') table.delete(event.ref);
    else table.set(event.ref, event.snapshot!);
  }
  return { token: result.token, events: result.events };
}

beforeAll(async () => {
  sim = await startXapiSimulator({ dump, users: { root: 'demo' } });
});
afterAll(() => sim.close());

describe('an XO-style watch loop against the demo pool', () => {
  it('follows a link failure and its repair, reloads after EVENTS_LOST, and logs in again after SESSION_INVALID', async () => {
    let session = (await rpc('session.login_with_password', 'root', 'demo')) as string;
    let { cache, token } = await load(session);
    expect(cache.get('host')!.size).toBe(4);
    ({ token } = await next(session, cache, token)); // the injected pool event

    const xen2 = sim.get('PIF', sim.findPif('xen2', 'eth1')!)!;
    setTimeout(() => sim.setCarrier('xen2', 'eth1', false), 100);
    let batch = await next(session, cache, token);
    token = batch.token;
    expect(cache.get('pif_metrics')!.get(xen2.metrics as string)!.carrier).toBe(false);
    const bond = [...cache.get('bond')!.values()].find((b) => (b.slaves as string[]).includes(sim.findPif('xen2', 'eth1')!))!;
    expect(bond.links_up).toBe(1);
    expect(batch.events.some((e) => e.class === 'message' && e.snapshot!.name === 'BOND_STATUS_CHANGED')).toBe(true);

    sim.setCarrier('xen2', 'eth1', true);
    batch = await next(session, cache, token);
    token = batch.token;
    expect(cache.get('pif_metrics')!.get(xen2.metrics as string)!.carrier).toBe(true);

    const loadsBefore = sim.stats().calls['PIF.get_all_records'] ?? 0;
    sim.loseEvents();
    await expect(next(session, cache, token)).rejects.toMatchObject({ code: 'EVENTS_LOST' });
    ({ cache, token } = await load(session));
    expect(sim.stats().calls['PIF.get_all_records']).toBe(loadsBefore + 1);

    sim.invalidateSessions();
    await expect(next(session, cache, token)).rejects.toMatchObject({ code: 'SESSION_INVALID', data: [session] });
    const loginsBefore = sim.stats().logins;
    session = (await rpc('session.login_with_password', 'root', 'demo')) as string;
    ({ cache, token } = await load(session));
    expect(sim.stats().logins).toBe(loginsBefore + 1);
    const quiet = await next(session, cache, token, 0.2);
    // The injected pool event, and the three bond alerts again (xen3's from the dump, xen2's two):
    // event.inject's token carries message generation 0, as xapi's does, so messages come back as adds
    // and a client must upsert them.
    expect(quiet.events.map((e) => `${e.class} ${e.operation}`)).toEqual(['pool mod', 'message add', 'message add', 'message add']);
  });
});
