/**
 * The SNMP poller as the app runs it (openLab with collectors on): devices in the inventory polled from the
 * built-in responder replaying real recordings, each with its own status; a device that does not answer
 * never holds up another; the last good view survives a restart. Then the collector driven directly, with
 * short intervals and an injected clock: stale after three intervals, slow, backoff, the in-flight cap, the
 * last good view kept while a device that was ok starts failing (garbage, loops, truncated answers), and an
 * SNMPv3 wrong key against snmpsim's v3 user as 'auth-failed'.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLab, type OpenLab } from '../../src-main/shells/common/open-lab';
import { createHandlers } from '../../src-main/api/service';
import { dispatch } from '../../src-main/api/dispatch';
import type { MethodName } from '../../src-main/api/method-names';
import type { Args, Results, SnmpDeviceView } from '../../src-main/api/contract';
import { SnmpCollector, type SnmpCollectorDeps } from '../../src-main/collect/snmp';
import { getDevice } from '../../src-main/store/devices';
import { loadObservation } from '../../src-main/store/observations';
import type { PollStatus } from '../../src-main/domain/model/polling';
import type { SwitchView } from '../../src-main/domain/model/switches';
import { startSnmpResponder, type SnmpResponder } from '../../src-main/simulators/snmp';
import { makeHarness, type Harness } from '../unit/helpers/harness';
import { snmpsimUnavailable, startSnmpsim } from './helpers/snmpsim';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/snmp', name), 'utf8');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function lab(dataDir?: string, options: { demoPeers?: boolean; collect?: boolean } = {}): { lab: OpenLab; dataDir: string } {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'labwarden-snmp-'));
  if (!dataDir) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const opened = openLab({ dataDir: dir, mode: 'serve', collect: options.collect ?? true, ...(options.demoPeers ? { demoPeers: true } : {}) });
  cleanups.push(() => opened.close());
  return { lab: opened, dataDir: dir };
}

async function call<M extends MethodName>(l: OpenLab, method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await dispatch(l.handlers, method, args);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { body: envelope.error });
  return envelope.result as Results[M];
}

async function until(l: OpenLab, id: number, ok: (v: SnmpDeviceView) => boolean, what: string, ms = 10_000): Promise<SnmpDeviceView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const view = await call(l, 'snmp.device', id);
    if (ok(view)) return view;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(view.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('polling switches from the inventory', () => {
  it('reads a recorded ProCurve with its LAG, and a wrong community fails alone without holding up the other', async () => {
    const responder = await startSnmpResponder({ recordings: { procurve: fixture('procurve.snmprec') } });
    cleanups.push(() => responder.close());
    const { lab: l } = lab();
    const good = await call(l, 'devices.create', {
      name: 'sw-a', kind: 'switch', address: '127.0.0.1',
      snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'procurve' },
    });
    const bad = await call(l, 'devices.create', {
      name: 'sw-b', kind: 'switch', address: '127.0.0.1',
      snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'not-a-community' },
    });
    const view = await until(l, good.id, (v) => v.status.state === 'ok', 'sw-a polled');
    expect(view.ports).toBeGreaterThan(50);
    const trk = view.view!.lags.find((lag) => lag.name === 'Trk1')!;
    expect(trk.memberIfIndexes.length).toBe(2);
    const member = view.view!.ports.find((p) => p.ifIndex === trk.memberIfIndexes[0])!;
    expect(member.lagName).toBe('Trk1');
    expect(view.view!.vlans.length).toBeGreaterThan(10);

    const failed = await until(l, bad.id, (v) => v.status.state === 'unreachable', 'sw-b failing', 15_000);
    expect(failed.status.message).toMatch(/wrong community|no answer/);
    expect(failed.status.message).not.toContain('not-a-community');
    // The good one kept polling meanwhile.
    expect((await call(l, 'snmp.device', good.id)).status.state).toBe('ok');
    expect((await call(l, 'snmp.list')).map((d) => d.name).sort()).toEqual(['sw-a', 'sw-b']);
  });

  it('keeps the last good view across a restart, with its time', async () => {
    const responder = await startSnmpResponder({ recordings: { tplink: fixture('tplink_sg2008.snmprec') } });
    cleanups.push(() => responder.close());
    const first = lab();
    const sw = await call(first.lab, 'devices.create', {
      name: 'tp', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'tplink' },
    });
    const seen = await until(first.lab, sw.id, (v) => v.status.state === 'ok', 'polled');
    await first.lab.close();
    const again = lab(first.dataDir, { collect: false });
    const view = await call(again.lab, 'snmp.device', sw.id);
    expect(view.status).toMatchObject({ state: 'idle', lastGoodAt: seen.observedAt });
    expect(view.view).toEqual(seen.view);
  });
});

describe('the demo lab over SNMP', () => {
  it('its switches and NAS answer from the built-in responder with the derived recordings: the hosts as LLDP neighbours, the planned VLANs, Synology health', async () => {
    const { lab: l } = lab(undefined, { demoPeers: true });
    await call(l, 'app.chooseStart', 'demo');
    const devices = await call(l, 'devices.list');
    const id = (name: string) => devices.find((d) => d.name === name)!.id;
    const swA = await until(l, id('sw-a'), (v) => v.status.state === 'ok', 'sw-a');
    expect(swA.note).toMatch(/demo-sw-a\.derived\.snmprec/);
    expect(swA.note).toMatch(/procurve\.snmprec/);
    expect(swA.view!.lags).toEqual([]);
    expect(swA.view!.ports.filter((p) => p.type === 6).map((p) => p.name)).toEqual(Array.from({ length: 24 }, (_, i) => `${i + 1}`));
    expect(new Set(swA.view!.neighbors.map((n) => n.remoteSystemName))).toEqual(new Set(['xen1', 'xen2', 'xen3', 'xen4', 'sw-b']));
    const swB = await until(l, id('sw-b'), (v) => v.status.state === 'ok', 'sw-b');
    expect(swB.note).toMatch(/demo-sw-b\.derived\.snmprec/);
    expect(swB.view!.vlans.map((v) => v.id)).toEqual([1, 10, 20, 30, 100, 101]);
    const nas = await until(l, id('syno-dr'), (v) => v.status.state === 'ok', 'syno-dr');
    expect(nas.view!.nas).toMatchObject({ system: 'normal', model: 'RS2212RP+', version: 'DSM 7.1.1-42962' });
    expect(nas.view!.hostBonds).toEqual([]);
    // The SAN has no SNMP (no recording of a DNS-1550-04): it is not polled at all.
    expect((await call(l, 'snmp.list')).map((d) => d.name).sort()).toEqual(['sw-a', 'sw-b', 'syno-dr']);
  });
});

// ---- the collector driven directly ----

interface Driven {
  h: Harness;
  collector: SnmpCollector;
  /** Every onChanged, with the device's state at that moment. */
  changes: { at: number; id: number; polling: boolean; status: PollStatus }[];
  state(id: number): ReturnType<SnmpCollector['state']>;
  /** Adds a v2c switch on 127.0.0.1 and has the collector follow the inventory. */
  addSwitch(name: string, port: number, community: string): Promise<number>;
  until(id: number, ok: (s: ReturnType<SnmpCollector['state']>) => boolean, what: string, ms?: number): Promise<ReturnType<SnmpCollector['state']>>;
}

function driven(deps: Partial<Omit<SnmpCollectorDeps, 'db' | 'box' | 'onChanged'>> = {}): Driven {
  const h = makeHarness();
  cleanups.push(() => h.close());
  const changes: Driven['changes'] = [];
  const state = (id: number) => collector.state(getDevice(h.db, id));
  const collector: SnmpCollector = new SnmpCollector({
    db: h.db,
    box: h.box,
    onChanged: (id) => {
      const now = state(id);
      changes.push({ at: performance.now(), id, polling: now.polling, status: now.status });
    },
    ...deps,
  });
  cleanups.push(() => collector.stop());
  return {
    h,
    collector,
    changes,
    state,
    async addSwitch(name, port, community) {
      const { id } = await h.api['devices.create']({ name, kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port }, secrets: { 'snmp-community': community } });
      collector.sync();
      return id;
    },
    async until(id, ok, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const now = state(id);
        if (ok(now)) return now;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(now.status)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

async function tplinkResponder(): Promise<SnmpResponder> {
  const responder = await startSnmpResponder({ recordings: { tplink: fixture('tplink_sg2008.snmprec') } });
  cleanups.push(() => responder.close());
  return responder;
}

describe('the SNMP collector, driven directly', () => {
  it("a device whose polls silently stopped is stale 3 intervals after its last good poll, though it still says 'ok'", async () => {
    const responder = await tplinkResponder();
    let frozen: number | null = null;
    // A minute's interval: after the first poll nothing more happens in this test, as if polling had stopped.
    const d = driven({ intervalMs: 60_000, random: () => 0, now: () => frozen ?? Date.now() });
    const id = await d.addSwitch('tp', responder.port, 'tplink');
    const ok = await d.until(id, (s) => s.status.state === 'ok', 'first poll');
    const lastGoodAt = ok.view!.observedAt;
    expect(ok.status).toMatchObject({ lastGoodAt, staleAt: new Date(Date.parse(lastGoodAt) + 180_000).toISOString() });
    expect(ok.status.staleSince).toBeUndefined();

    frozen = Date.parse(lastGoodAt) + 180_000; // exactly 3 intervals after the last good poll
    expect(d.state(id).status.staleSince).toBeUndefined();
    frozen += 1;
    expect(d.state(id).status).toMatchObject({ state: 'ok', lastGoodAt, staleSince: lastGoodAt });
    expect(d.state(id).view!.observedAt).toBe(lastGoodAt); // still on screen, now marked

    // Through the API as the screens read it (snmp.list for the list, snmp.device for the page).
    const handlers = createHandlers({ db: d.h.db, box: d.h.box, databasePath: d.h.dbPath, mode: 'cli', version: 'test', emit: () => {}, snmp: d.collector });
    const listed = await dispatch(handlers, 'snmp.list', []);
    expect(listed.ok && (listed.result as Results['snmp.list'])[0]!.status.staleSince).toBe(lastGoodAt);

    // A device not polled (collector stopped) with a stored view is stale by the same rule.
    await d.collector.stop();
    expect(d.state(id).status).toMatchObject({ state: 'idle', lastGoodAt, staleSince: lastGoodAt });
  });

  it('polls a new device again soon after its first good poll, so rates show within seconds, then keeps the interval', async () => {
    const responder = await tplinkResponder();
    const d = driven({ intervalMs: 60_000, firstRateAfterMs: 300, random: () => 0.5 }); // 0.5: no jitter
    const id = await d.addSwitch('tp', responder.port, 'tplink');
    const polls = () => d.changes.filter((c) => c.id === id && c.polling).length;
    const first = await d.until(id, (s) => s.status.state === 'ok' && !s.polling, 'the first poll');
    // One reading of the counters gives no rate yet.
    expect(first.view!.ports.every((p) => p.inBps === null && p.outBps === null)).toBe(true);
    const second = await d.until(id, (s) => s.view!.observedAt !== first.view!.observedAt && !s.polling, 'the second poll', 5_000);
    // The recording's counters stand still: a rate of 0, not "no rate".
    expect(second.view!.ports.filter((p) => p.inBps !== null).length).toBeGreaterThan(0);
    expect(polls()).toBe(2);
    // From then on, the interval (a minute here): no third poll soon after.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(polls()).toBe(2);
  });

  it("'slow' when a poll takes over half the interval; the poll is still used", async () => {
    const responder = await tplinkResponder();
    responder.fault('slow', { delayMs: 60 });
    const d = driven({ intervalMs: 400, random: () => 0.5 });
    const id = await d.addSwitch('tp', responder.port, 'tplink');
    const slow = await d.until(id, (s) => s.status.state === 'slow', 'slow');
    expect(slow.status.message).toMatch(/^a poll takes \d+\.\d s, over half the 0\.4 s interval$/);
    expect(slow.view!.ports.length).toBe(11);
    responder.fault(null);
    await d.until(id, (s) => s.status.state === 'ok', 'ok again once the agent is quick');
  });

  it('backs off after failures: the interval doubles per failure, up to the cap, and starts over after a good poll', async () => {
    const responder = await tplinkResponder();
    responder.fault('silent');
    const d = driven({ intervalMs: 100, timeoutMs: 40, maxBackoffMs: 800, random: () => 0.5 }); // 0.5: no jitter
    const id = await d.addSwitch('tp', responder.port, 'tplink');
    const failed = () => d.changes.filter((c) => c.id === id && !c.polling && c.status.state === 'unreachable');
    await d.until(id, () => failed().length >= 5, 'five failed polls', 15_000);
    responder.fault(null);
    const messages = failed().slice(0, 5).map((c) => /next try in ([\d.]+ s)$/.exec(c.status.message)?.[1]);
    expect(messages).toEqual(['0.2 s', '0.4 s', '0.8 s', '0.8 s', '0.8 s']);
    // And the waits really are those: from the end of one poll to the start of the next.
    const changes = d.changes.filter((c) => c.id === id);
    const waits: number[] = [];
    for (let i = 0; i + 1 < changes.length && waits.length < 4; i++) {
      if (!changes[i]!.polling && changes[i]!.status.state === 'unreachable' && changes[i + 1]!.polling) waits.push(changes[i + 1]!.at - changes[i]!.at);
    }
    expect(waits).toHaveLength(4);
    [200, 400, 800, 800].forEach((want, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(want - 5);
      expect(waits[i]).toBeLessThan(want + 400); // a loaded two-core machine
    });
    const ok = await d.until(id, (s) => s.status.state === 'ok', 'recovered', 10_000);
    expect(ok.status.message).toMatch(/^11 ports read in /);
    const before = d.changes.length;
    await d.until(id, () => d.changes.slice(before).some((c) => c.id === id && c.polling), 'the next poll after a good one');
    const endOk = d.changes.filter((c) => c.id === id && !c.polling && c.status.state === 'ok').at(-1)!;
    const nextStart = d.changes.slice(before).find((c) => c.id === id && c.polling)!;
    expect(nextStart.at - endOk.at).toBeLessThan(100 + 300); // back to the interval, not 0.8 s
  });

  it('never has more polls in flight than the cap; the devices over it wait their turn and are all polled', async () => {
    const responder = await tplinkResponder();
    responder.fault('slow', { delayMs: 15 });
    const d = driven({ intervalMs: 60_000, maxInFlight: 2, random: () => 0 });
    const ids: number[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const { id } = await d.h.api['devices.create']({ name, kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'tplink' } });
      ids.push(id);
    }
    const inFlight: number[] = [];
    d.changes.length = 0;
    const watch = d.changes.push.bind(d.changes);
    d.changes.push = (...items) => {
      inFlight.push(ids.filter((id) => d.state(id).polling).length);
      return watch(...items);
    };
    d.collector.sync();
    for (const id of ids) await d.until(id, (s) => s.status.state === 'ok', `device ${id}`, 20_000);
    expect(Math.max(...inFlight)).toBe(2);
    expect(inFlight.filter((n) => n === 2).length).toBeGreaterThan(1);
    // Each device was asked once, one after another in pairs: five starts, five ends.
    expect(d.changes.filter((c) => c.polling)).toHaveLength(5);
  });

  it.each([
    ['garbage', /^127\.0\.0\.1:\d+ \(SNMPv2c\): answered only with datagrams that are not SNMP \(\d+ undecodable: garbage or truncated\)/],
    ['non-increasing', /^127\.0\.0\.1:\d+: its system group and port list could not be read \(1\.3\.6\.1\.2\.1\.1: loop: the agent returned .* \(OIDs not increasing; the walk would never end\)\); \d+ tables not read in all/],
    ['truncated', /^127\.0\.0\.1:\d+: its (system group and )?port list could not be read \(.*: protocol: .*truncated\)\); \d+ tables not read in all/],
  ] as const)('a device that was ok and starts answering %s keeps its last good view on screen, the status naming the problem', async (fault, message) => {
    const responder = await tplinkResponder();
    const d = driven({ intervalMs: 60_000, timeoutMs: 300, random: () => 0 });
    const id = await d.addSwitch('tp', responder.port, 'tplink');
    const good = await d.until(id, (s) => s.status.state === 'ok', 'first poll');
    expect(good.view!.ports).toHaveLength(11);

    responder.fault(fault);
    d.collector.pollNow(id);
    const failing = await d.until(id, (s) => s.status.state === 'error', `${fault} noticed`);
    expect(failing.status.message).toMatch(message);
    expect(failing.status.message).toMatch(/; the last good poll stays on screen; next try in 2 min$/);
    expect(failing.status.lastGoodAt).toBe(good.view!.observedAt);
    expect(failing.view).toEqual(good.view); // not replaced by an empty or nameless port table
    expect(loadObservation<SwitchView>(d.h.db, id, 'snmp')!.body).toEqual(good.view);

    responder.fault(null);
    d.collector.pollNow(id);
    const back = await d.until(id, (s) => s.status.state === 'ok', 'recovered');
    expect(back.view!.ports).toHaveLength(11);
    expect(back.view!.observedAt > good.view!.observedAt).toBe(true);
  });
});

const noSnmpsim = snmpsimUnavailable();
if (noSnmpsim !== null) console.warn(`snmp-collector.test.ts: the SNMPv3 block skipped: ${noSnmpsim}`);

describe.skipIf(noSnmpsim !== null)('the SNMP collector against snmpsim over SNMPv3', () => {
  it("a wrong v3 key is 'auth-failed', naming the user but not the key; the right key polls", async () => {
    // snmpsim picks a v3 request's recording by its context name; the collector sends none (''), which snmpsim
    // resolves to the transport domain's name: a recording named 1.3.6.1.6.1.1.0 answers it.
    const sim = await startSnmpsim({
      recordings: { '1.3.6.1.6.1.1.0': fixture('tplink_sg2008.snmprec') },
      v3Users: [{ user: 'labv3', authProtocol: 'SHA512', authKey: 'auth-key-512', privProtocol: 'AES', privKey: 'priv-key-128' }],
    });
    cleanups.push(() => sim.stop());
    const d = driven({ intervalMs: 60_000, timeoutMs: 1_000, random: () => 0 });
    const v3 = (name: string, authKey: string) =>
      d.h.api['devices.create']({
        name, kind: 'switch', address: '127.0.0.1',
        snmp: { version: 'v3', port: sim.port, v3User: 'labv3', v3Level: 'authPriv', v3AuthProtocol: 'sha512', v3PrivProtocol: 'aes' },
        secrets: { 'snmp-auth-key': authKey, 'snmp-priv-key': 'priv-key-128' },
      });
    const wrong = await v3('sw-wrong-key', 'not-the-auth-key');
    const right = await v3('sw-right-key', 'auth-key-512');
    d.collector.sync();
    const failed = await d.until(wrong.id, (s) => s.status.state === 'auth-failed', 'auth failure', 15_000);
    expect(failed.status.message).toMatch(/^127\.0\.0\.1:\d+ \(SNMPv3 user labv3\): SNMPv3 authentication failed \(usmStats wrongDigests\).*; next try in 2 min$/);
    expect(failed.status.message).not.toContain('not-the-auth-key');
    expect(failed.view).toBeNull();
    const ok = await d.until(right.id, (s) => s.status.state === 'ok', 'the right key', 15_000);
    expect(ok.view!.ports).toHaveLength(11);
  }, 60_000);
});
