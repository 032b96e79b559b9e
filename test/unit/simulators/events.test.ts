/**
 * event.from as xapi answers it: token "" lists everything as `add`, a token blocks until a change,
 * several changes of one object collapse into one event with the latest snapshot, removals are `del`
 * without a snapshot, EVENTS_LOST and SESSION_INVALID when scripted, and a blocked call ends promptly
 * when the server closes. Timings are bounds on waits, kept well under a second where nothing should wait.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { asStruct, call, fixture, login, x, type Decoded } from './wire';

let sim: XapiSimulator;
let session: string;

beforeEach(async () => {
  sim = await startXapiSimulator({ dump: fixture('cowley1.xml') });
  session = await login(sim.url);
});
afterEach(() => sim.close());

interface EventBatch {
  events: { id: string; timestamp: string; class: string; operation: string; ref: string; snapshot?: Record<string, Decoded> }[];
  valid_ref_counts: Record<string, { i4: number }>;
  token: string;
}

async function eventFrom(classes: string[], token: string, timeout: string = x.double(2.0), who = session) {
  const envelope = await call(sim.url, 'event.from', x.str(who), x.array(...classes.map(x.str)), x.str(token), timeout);
  return envelope;
}

async function events(classes: string[], token: string, timeout?: string): Promise<EventBatch> {
  const envelope = await eventFrom(classes, token, timeout);
  if (envelope.Status !== 'Success') throw new Error(JSON.stringify(envelope.ErrorDescription));
  return envelope.Value as unknown as EventBatch;
}

const tokenShape = /^\d{20},\d{20}$/;

describe('event.from with token ""', () => {
  it('returns every object of the classes asked for as an add with a snapshot, and the counts', async () => {
    const batch = await events(['PIF', 'bond'], '');
    expect(batch.token).toMatch(tokenShape);
    const pifs = batch.events.filter((e) => e.class === 'pif');
    const bonds = batch.events.filter((e) => e.class === 'bond');
    expect(pifs).toHaveLength(16);
    expect(bonds).toHaveLength(2);
    expect(batch.events.every((e) => e.operation === 'add' && e.snapshot !== undefined)).toBe(true);
    expect(bonds[0]!.snapshot!.slaves).toHaveLength(2);
    expect(batch.valid_ref_counts).toEqual({ pif: { i4: 16 }, bond: { i4: 2 } });
  });

  it('takes "*" for every class and "class/ref" for one object', async () => {
    const all = await events(['*'], '');
    expect(new Set(all.events.map((e) => e.class))).toEqual(new Set(['pool', 'host', 'host_metrics', 'pif', 'pif_metrics', 'bond', 'vlan', 'tunnel', 'network', 'sr', 'pbd', 'vdi', 'sm', 'vm']));
    const pif = sim.records('PIF')[3]!.ref;
    const one = await events([`pif/${pif}`], '');
    expect(one.events.map((e) => e.ref)).toEqual([pif]);
  });
});

describe('event.from with a token', () => {
  it('blocks until a link changes, then returns the mods (and the bond alert) well before the timeout', async () => {
    // The dump recorded both bond slaves without carrier; cable them first.
    sim.setCarrier('grimsby', 'eth3', true);
    sim.setCarrier('grimsby', 'eth4', true);
    const { token } = await events(['pif_metrics', 'message'], '');
    const started = Date.now();
    setTimeout(() => sim.setCarrier('grimsby', 'eth3', false), 150);
    const batch = await events(['pif_metrics', 'message'], token, x.double(4));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2000);
    const eth3 = sim.get('PIF', sim.findPif('grimsby', 'eth3')!)!;
    const mods = batch.events.filter((e) => e.class === 'pif_metrics');
    const slave = mods.find((e) => e.ref === eth3.metrics)!;
    expect(slave.operation).toBe('mod');
    expect(slave.snapshot!.carrier).toBe(false);
    expect(slave.snapshot!.speed).toBe('65535');
    const bondMaster = sim.get('PIF', sim.findPif('grimsby', 'bond0')!)!;
    expect(mods.some((e) => e.ref === bondMaster.metrics && e.snapshot!.carrier === true)).toBe(true); // eth4 still up
    const alert = batch.events.find((e) => e.class === 'message')!;
    expect(alert.operation).toBe('add');
    expect(alert.snapshot!.name).toBe('BOND_STATUS_CHANGED');
    expect(alert.snapshot!.body).toBe('The status of the eth3+eth4 bond changed: 1/2 up (was 2/2)');
    expect(batch.token > token).toBe(true);
    // A pre-Boston Bond has no links_up, and the simulator does not invent one.
    expect(sim.get('Bond', sim.records('Bond')[0]!.ref)!.links_up).toBeUndefined();
  });

  it('collapses several changes of one object into one event carrying the latest snapshot', async () => {
    const { token } = await events(['host'], '');
    const host = sim.findHost('chester')!;
    sim.update('host', host, { name_description: 'first' });
    sim.update('host', host, { name_description: 'second' });
    const batch = await events(['host'], token);
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]).toMatchObject({ class: 'host', operation: 'mod', ref: host });
    expect(batch.events[0]!.snapshot!.name_description).toBe('second');
  });

  it('reports a removed object as del without a snapshot, and the reverse-set change as a mod', async () => {
    const { token } = await events(['vlan', 'pif'], '');
    const vlan = sim.records('VLAN')[0]!;
    sim.remove('VLAN', vlan.ref);
    const batch = await events(['vlan', 'pif'], token);
    const del = batch.events.find((e) => e.class === 'vlan')!;
    expect(del).toMatchObject({ operation: 'del', ref: vlan.ref });
    expect(del.snapshot).toBeUndefined();
    const tagged = batch.events.find((e) => e.ref === vlan.fields.tagged_PIF)!;
    expect(tagged.operation).toBe('mod');
    expect(tagged.snapshot!.VLAN_slave_of).toEqual([]);
    expect(batch.valid_ref_counts.vlan).toEqual({ i4: 1 });
  });

  it('returns an empty batch with a fresh token when the timeout passes quietly (int or double timeout)', async () => {
    const { token } = await events(['vlan'], '');
    sim.update('host', sim.findHost('chester')!, { name_description: 'not watched' });
    for (const timeout of [x.double(0.3), x.int(0), x.str('0.2')]) {
      const started = Date.now();
      const batch = await events(['vlan'], token, timeout);
      expect(batch.events).toEqual([]);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(batch.token > token).toBe(true);
    }
  });

  it('event.inject returns a token from which the next event.from sees the injected object at once', async () => {
    const pool = sim.records('pool')[0]!.ref;
    const injected = await call(sim.url, 'event.inject', x.str(session), x.str('pool'), x.str(pool));
    expect(injected.Value).toMatch(tokenShape);
    const started = Date.now();
    const batch = await events(['pool'], injected.Value as string, x.double(3));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(batch.events.map((e) => [e.class, e.operation, e.ref])).toEqual([['pool', 'mod', pool]]);
  });
});

describe('event.from errors', () => {
  it('EVENT_FROM_TOKEN_PARSE_FAILURE [token] for a token that is not two numbers', async () => {
    for (const token of ['garbage', '1,2,3', '12']) {
      expect((await eventFrom(['pif'], token)).ErrorDescription).toEqual(['EVENT_FROM_TOKEN_PARSE_FAILURE', token]);
    }
  });

  it('EVENTS_LOST once after loseEvents, also waking a call that was blocked; then events flow again', async () => {
    const { token } = await events(['pif'], '');
    const blocked = eventFrom(['pif'], token, x.double(4));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    sim.loseEvents();
    expect((await blocked).ErrorDescription).toEqual(['EVENTS_LOST']);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await eventFrom(['pif'], token, x.double(0.1))).Status).toBe('Success');
  });

  it('SESSION_INVALID for a blocked call when the sessions are invalidated', async () => {
    const { token } = await events(['pif'], '');
    const blocked = eventFrom(['pif'], token, x.double(4));
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim.invalidateSessions();
    expect((await blocked).ErrorDescription).toEqual(['SESSION_INVALID', session]);
  });

  it('ends a blocked call promptly when the server closes', async () => {
    const { token } = await events(['pif'], '');
    const blocked = eventFrom(['pif'], token, x.double(30)).then(
      () => 'answered',
      () => 'connection dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.stats().waitingEventCalls).toBe(1);
    const started = Date.now();
    await sim.close();
    expect(await blocked).toBe('connection dropped');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('messages', () => {
  it('message.get_all_records and message.get_since list what the pool raised', async () => {
    sim.addMessage({ name: 'OLD', priority: 5, cls: 'Pool', obj_uuid: 'x', body: 'old', timestamp: new Date('2020-01-01T00:00:00Z') });
    sim.setCarrier('chester', 'eth3', true); // recorded down in the dump
    const all = asStruct((await call(sim.url, 'message.get_all_records', x.str(session))).Value);
    expect(Object.values(all).map((m) => asStruct(m).name)).toEqual(['OLD', 'BOND_STATUS_CHANGED']);
    const recent = asStruct(
      (await call(sim.url, 'message.get_since', x.str(session), '<value><dateTime.iso8601>20210101T00:00:00Z</dateTime.iso8601></value>')).Value,
    );
    const [message] = Object.values(recent).map(asStruct);
    expect(Object.keys(recent)).toHaveLength(1);
    expect(message!.priority).toBe('3');
    expect(message!.cls).toBe('Host');
    expect(message!.obj_uuid).toBe(sim.get('host', sim.findHost('chester')!)!.uuid);
    expect(message!.timestamp).toMatchObject({ dateTime: expect.stringMatching(/^\d{8}T/) });
  });
});
