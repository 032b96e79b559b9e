/**
 * The pool watcher against the XAPI simulator: it follows changes through event.from, recovers from what a
 * real pool does to a long-lived client (lost events, expired sessions, a restart, a member instead of the
 * master), and turns bad answers into a clear status while the last good observation stays.
 */
import { describe, it, expect, afterEach, beforeAll, afterAll } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { PoolWatcher } from '../../src-main/drivers/xenapi/watch';
import { pollPoolOnce } from '../../src-main/collect/poll-once';
import { bondHealth } from '../../src-main/domain/health/bonds';
import type { PoolObservation } from '../../src-main/domain/model/pools';
import type { PollStatus } from '../../src-main/domain/model/polling';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFixture } from './helpers/xapi-dump-reader';
import { makeCertificate, type Certificate } from '../unit/drivers/xenapi/local-servers';
import { startMemberAndMaster, MASTER_ADDRESS, MEMBER_ADDRESS } from '../unit/simulators/xapi-member';
import { tempDirs } from '../unit/helpers/temp-dir';

const USER = 'root';
const PASSWORD = 'watch-password';
const cowley = readFixture('cowley1.xml');
const demo = readFileSync(join(__dirname, '../../resources/demo-lab.xapi-db.xml'), 'utf8');

/**
 * Hand-made variant, labelled as such: a real dump with its hosts' API version rewritten in memory, because no
 * dump in test/fixtures/xapi/ comes from a host of API 2.8 (XenServer 7.3) or later.
 */
function relabelled(dump: string, major: number, minor: number): string {
  const out = dump.replace(/API_version__major="\d+"/g, `API_version__major="${major}"`).replace(/API_version__minor="\d+"/g, `API_version__minor="${minor}"`);
  if (out === dump) throw new Error('the dump holds no API version to rewrite');
  return out;
}

interface Watched {
  watcher: PoolWatcher;
  observations: PoolObservation[];
  statuses: PollStatus[];
  /** What onFirstCertificate handed over for the caller to pin. */
  firstCertificates: string[];
  latest(): PoolObservation | undefined;
  until(predicate: () => boolean, what: string, ms?: number): Promise<void>;
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: Partial<Parameters<typeof startXapiSimulator>[0]> = {}): Promise<XapiSimulator> {
  const sim = await startXapiSimulator({ dump: cowley, users: { [USER]: PASSWORD }, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

interface WatchTuning {
  password?: string;
  fingerprint?: string | null;
  transport?: 'xml-rpc' | 'json-rpc';
  backoff?: { initialMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

function watch(url: string, options: WatchTuning = {}): Watched {
  const observations: PoolObservation[] = [];
  const statuses: PollStatus[] = [];
  const firstCertificates: string[] = [];
  const watcher = new PoolWatcher({
    url,
    username: USER,
    password: options.password ?? PASSWORD,
    fingerprint: options.fingerprint ?? null,
    ...(options.transport ? { transport: options.transport } : {}),
    eventTimeoutSeconds: 5,
    callTimeoutMs: 3000,
    backoff: options.backoff ?? { initialMs: 50, maxMs: 200 },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    onObservation: (o) => observations.push(o),
    onStatus: (s) => statuses.push(s),
    onFirstCertificate: (f) => firstCertificates.push(f),
  });
  cleanups.push(() => watcher.stop());
  watcher.start();
  return {
    watcher,
    observations,
    statuses,
    firstCertificates,
    latest: () => observations.at(-1),
    async until(predicate, what, ms = 3000) {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(watcher.current)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

const firstHost = (o: PoolObservation | undefined) => o?.hosts[0];
const bondState = (o: PoolObservation | undefined) => {
  const host = firstHost(o);
  return host ? bondHealth(host.bonds[0]!, host.nics).state : undefined;
};

describe('following a pool', () => {
  it.each(['xml-rpc', 'json-rpc'] as const)('shows a bond member losing carrier within a second, over %s', async (transport) => {
    const sim = await simulator();
    const w = watch(sim.url, { transport });
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const host = firstHost(w.latest())!;
    // cowley1's members report no carrier (the recording was made with cables out): bring both up first.
    sim.setCarrier(host.name, 'eth3', true);
    sim.setCarrier(host.name, 'eth4', true);
    await w.until(() => bondState(w.latest()) === 'ok', 'the bond whole');
    const loads = sim.stats().calls['PIF.get_all_records'] ?? 0;
    const started = Date.now();
    sim.setCarrier(host.name, 'eth4', false);
    await w.until(() => bondState(w.latest()) === 'degraded', 'the bond degraded', 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    const health = bondHealth(firstHost(w.latest())!.bonds[0]!, firstHost(w.latest())!.nics);
    expect(health.down).toEqual(['eth4']);
    // It came as an event, not a reload.
    expect(sim.stats().calls['PIF.get_all_records'] ?? 0).toBe(loads);
  });

  it('reloads everything when the pool says EVENTS_LOST, and stays ok', async () => {
    const sim = await simulator();
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const loads = sim.stats().calls['PIF.get_all_records'] ?? 0;
    const logins = sim.stats().logins;
    sim.loseEvents();
    sim.setCarrier(firstHost(w.latest())!.name, 'eth3', true);
    await w.until(() => (sim.stats().calls['PIF.get_all_records'] ?? 0) > loads, 'a reload');
    await w.until(() => firstHost(w.latest())!.nics.find((n) => n.device === 'eth3')!.carrier === true, 'the change seen');
    expect(w.watcher.current.state).toBe('ok');
    expect(sim.stats().logins).toBe(logins); // same session: EVENTS_LOST is not a login problem
  });

  it('starts over from a full read when the pool no longer accepts its event token', async () => {
    const sim = await simulator();
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const loads = sim.stats().calls['PIF.get_all_records'] ?? 0;
    sim.rejectTokens();
    await w.until(() => (sim.stats().calls['PIF.get_all_records'] ?? 0) > loads, 'a reload');
    sim.setCarrier(firstHost(w.latest())!.name, 'eth4', true);
    await w.until(() => firstHost(w.latest())!.nics.find((n) => n.device === 'eth4')!.carrier === true, 'events again');
    expect(w.statuses.some((s) => s.state === 'error')).toBe(false);
  });

  it('logs in again when its session expires', async () => {
    const sim = await simulator();
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const logins = sim.stats().logins;
    sim.invalidateSessions();
    sim.setCarrier(firstHost(w.latest())!.name, 'eth3', true);
    await w.until(() => sim.stats().logins > logins && w.watcher.current.state === 'ok', 'a new session');
  });

  it('keeps the last good observation while the pool is away, and recovers when it is back', async () => {
    const sim = await simulator();
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const port = sim.port;
    await sim.close();
    await w.until(() => w.watcher.current.state === 'unreachable', 'unreachable');
    // The status points at the last observation published, which the screens keep showing.
    const good = w.latest()!;
    expect(w.watcher.current.lastGoodAt).toBe(good.observedAt);
    expect(good.hosts).toHaveLength(2);
    expect(w.watcher.current.message).toMatch(/127\.0\.0\.1/);
    const count = w.observations.length;
    await simulator({ port });
    await w.until(() => w.watcher.current.state === 'ok' && w.observations.length > count, 'recovery');
  });
});

describe('which protocol a pool is read over', () => {
  it.each([
    ['cowley1 (XenServer 5.6 FP1, API 1.7)', cowley],
    ["the demo lab's dump (XenServer 6.2, API 2.0)", demo],
  ])('%s: XML-RPC, though the simulator answers /jsonrpc', async (_name, dump) => {
    const sim = await simulator({ dump });
    // The simulator does answer JSON-RPC: choosing XML-RPC is the client's decision, by the API version.
    const probe = await fetch(`${sim.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'pool.get_all', params: ['OpaqueRef:none'], id: 1 }),
    });
    expect(probe.headers.get('content-type')).toBe('application/json');
    const before = sim.stats().jsonRpcRequests;

    const once = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null });
    expect(once.transport).toBe('xml-rpc');
    expect(once.observation.hosts.length).toBeGreaterThan(0);
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    expect(w.watcher.current.message).toContain('over XML-RPC');
    expect(sim.stats().jsonRpcRequests).toBe(before); // not one JSON-RPC request went to the old host
  });

  it('a pool of API 2.8 or later (hand-made variant of cowley1 relabelled as 2.8 and 2.12): JSON-RPC', async () => {
    for (const minor of [8, 12]) {
      const sim = await simulator({ dump: relabelled(cowley, 2, minor) });
      const once = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null });
      expect(once.transport).toBe('json-rpc');
      const w = watch(sim.url);
      await w.until(() => w.watcher.current.state === 'ok', 'the first load');
      expect(w.watcher.current.message).toContain('over JSON-RPC');
      // Loaded, and followed, over JSON-RPC: the login and version went over XML-RPC, all else over JSON.
      expect(sim.stats().jsonRpcRequests).toBeGreaterThan(2 * 12);
    }
  });

  it('the same variant, relabelled 2.7 (XenServer 7.2), stays on XML-RPC', async () => {
    const sim = await simulator({ dump: relabelled(cowley, 2, 7) });
    expect((await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null })).transport).toBe('xml-rpc');
    expect(sim.stats().jsonRpcRequests).toBe(0);
  });

  it('a host of API 2.8 or later without /jsonrpc: XML-RPC', async () => {
    const sim = await simulator({ dump: relabelled(cowley, 2, 12), jsonRpc: false });
    expect((await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null })).transport).toBe('xml-rpc');
  });

  it('an explicit transport is used whatever the version', async () => {
    const sim = await simulator();
    const once = await pollPoolOnce({ url: sim.url, username: USER, password: PASSWORD, fingerprint: null, transport: 'json-rpc' });
    expect(once.transport).toBe('json-rpc');
    const w = watch(sim.url, { transport: 'json-rpc' });
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    expect(w.watcher.current.message).toContain('over JSON-RPC');
  });
});

describe('a pool given by a member\'s https URL: trust on first use across re-logins and redirects', () => {
  const dirs = tempDirs('labwarden-watch-certs-');
  let memberCert: Certificate;
  let masterCert: Certificate;
  let impostorCert: Certificate;
  beforeAll(() => {
    const dir = dirs.make();
    memberCert = makeCertificate(dir, 'member');
    masterCert = makeCertificate(dir, 'master');
    impostorCert = makeCertificate(dir, 'impostor');
  }, 60_000);
  afterAll(() => dirs.cleanup());

  async function pool() {
    const users = { [USER]: PASSWORD };
    const started = await startMemberAndMaster({ dump: cowley, users, tls: memberCert }, { dump: cowley, users, tls: masterCert });
    cleanups.push(() => started.member.close(), () => started.master.close());
    return started;
  }

  /** A simulator on `address`:`port` (where another one was just closed). */
  async function restartAt(address: string, port: number, tls: Certificate, memberOf?: string): Promise<XapiSimulator> {
    return simulator({ host: address, port, tls, ...(memberOf ? { memberOf } : {}) });
  }

  it("pins the member's own certificate, and keeps following through re-logins, straight at the master it learned", async () => {
    const { member, master } = await pool();
    const w = watch(member.url);
    await w.until(() => w.watcher.current.state === 'ok', 'ok through the master');
    expect(w.watcher.current.endpoint).toContain(MASTER_ADDRESS);
    // The certificate pinned is the one of the host at the URL given: the inventory's one pin per pool.
    expect(w.firstCertificates).toEqual([memberCert.fingerprint256]);
    expect(w.watcher.current.certificate).toEqual({ presented: memberCert.fingerprint256, pinned: memberCert.fingerprint256 });
    const memberRequests = member.stats().requests;
    for (let round = 1; round <= 2; round++) {
      const logins = master.stats().logins;
      master.invalidateSessions();
      await w.until(() => master.stats().logins > logins && w.watcher.current.state === 'ok', `re-login ${round}`);
    }
    expect(w.statuses.map((s) => s.state)).not.toContain('certificate-changed');
    expect(member.stats().requests).toBe(memberRequests); // it logged in again at the master, not via the member
    expect(w.firstCertificates).toHaveLength(1);
  });

  it('goes through the member again with the pin it handed over, as after an app restart', async () => {
    const { member } = await pool();
    const first = watch(member.url);
    await first.until(() => first.watcher.current.state === 'ok', 'the first run');
    await first.watcher.stop();
    const again = watch(member.url, { fingerprint: first.firstCertificates[0]! });
    await again.until(() => again.watcher.current.state === 'ok', 'ok after the restart');
    expect(again.watcher.current.endpoint).toContain(MASTER_ADDRESS);
    expect(again.firstCertificates).toEqual([]); // nothing new to pin
  });

  it('follows a failover: when the master it learned is gone, the host at the URL given names the new one', async () => {
    const { member, master } = await pool();
    const w = watch(member.url);
    await w.until(() => w.watcher.current.state === 'ok', 'ok through the master');
    const port = master.port;
    await master.close();
    await member.close();
    // The member took over as master, with its own certificate (still the pinned one).
    const promoted = await restartAt(MEMBER_ADDRESS, port, memberCert);
    await w.until(() => w.watcher.current.state === 'ok' && promoted.stats().logins > 0, 'ok at the new master');
    expect(w.watcher.current.endpoint).toContain(MEMBER_ADDRESS);
    expect(w.statuses.map((s) => s.state)).not.toContain('certificate-changed');
  });

  it("refuses the master's changed certificate mid-run, naming the master, and sends it no password; accepting it resumes", async () => {
    const { member, master } = await pool();
    const w = watch(member.url);
    await w.until(() => w.watcher.current.state === 'ok', 'ok through the master');
    const port = master.port;
    await master.close();
    const impostor = await restartAt(MASTER_ADDRESS, port, impostorCert);
    await w.until(() => w.watcher.current.state === 'certificate-changed', 'certificate-changed');
    const status = w.watcher.current;
    expect(status.message).toContain(`https://${MASTER_ADDRESS}:${port}`);
    expect(status.message).toContain('master');
    expect(status.certificate).toEqual({ presented: impostorCert.fingerprint256, pinned: masterCert.fingerprint256 });
    expect(w.watcher.refused).toMatchObject({ host: 'master', presented: impostorCert.fingerprint256 });
    expect(impostor.stats().requests).toBe(0); // the handshake only: no request, no password
    expect(w.firstCertificates).toEqual([memberCert.fingerprint256]); // the member's pin is untouched

    w.watcher.trustMaster(impostorCert.fingerprint256);
    await w.until(() => w.watcher.current.state === 'ok', 'ok after accepting');
    expect(impostor.stats().logins).toBe(1);
    expect(w.watcher.refused).toBeNull();
  });

  it("refuses a changed certificate at the member's URL, naming it, and the master gets no login", async () => {
    const { member, master } = await pool();
    const port = member.port;
    await member.close();
    const impostor = await restartAt(MEMBER_ADDRESS, port, impostorCert, MASTER_ADDRESS);
    const w = watch(impostor.url, { fingerprint: memberCert.fingerprint256 });
    await w.until(() => w.watcher.current.state === 'certificate-changed', 'certificate-changed');
    expect(w.watcher.current.message).toContain(`https://${MEMBER_ADDRESS}:${port}`);
    expect(w.watcher.current.certificate).toEqual({ presented: impostorCert.fingerprint256, pinned: memberCert.fingerprint256 });
    expect(w.watcher.refused).toMatchObject({ host: 'configured' });
    expect(impostor.stats().requests).toBe(0);
    expect(master.stats().requests).toBe(0);
  });
});

describe('a clear status for what goes wrong', () => {
  it('a wrong password is auth-failed, naming the host, and never shows the password', async () => {
    const sim = await simulator();
    const w = watch(sim.url, { password: 'not-the-password' });
    await w.until(() => w.watcher.current.state === 'auth-failed', 'auth-failed');
    expect(w.watcher.current.message).toContain('refused the user name or password');
    expect(JSON.stringify(w.statuses)).not.toContain('not-the-password');
    expect(w.observations).toHaveLength(0);
  });

  it('an address where nothing listens is unreachable, retried after 1 s, 2 s, 4 s … up to 60 s, and from 1 s again after a success', async () => {
    const sim = await simulator();
    const { url, port } = sim;
    await sim.close();
    // The delays are read, not waited: the injected sleep records each and returns at once, except the fourth,
    // which the test holds while it brings the pool back.
    const delays: number[] = [];
    let release: (() => void) | null = null;
    const sleep = (ms: number) => {
      delays.push(ms);
      if (delays.length === 4) return new Promise<void>((resolve) => (release = resolve));
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    const w = watch(url, { backoff: { initialMs: 1000, maxMs: 60_000 }, sleep, random: () => 0.5 }); // 0.5: no spread
    await w.until(() => release !== null, 'four failed attempts');
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(w.watcher.current.state).toBe('unreachable');
    expect(w.statuses.filter((s) => s.state === 'connecting')).toHaveLength(4);

    const back = await simulator({ port });
    release!();
    await w.until(() => w.watcher.current.state === 'ok', 'ok once the pool is back');
    await back.close();
    await w.until(() => delays.length >= 13, 'nine more attempts');
    await w.watcher.stop();
    // A success starts the backoff over; it doubles to the cap and stays there.
    expect(delays.slice(4, 13)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('spreads each retry delay by ±20 %, never beyond the 60 s cap', async () => {
    const sim = await simulator();
    const url = sim.url;
    await sim.close();
    const delays: number[] = [];
    const w = watch(url, {
      backoff: { initialMs: 1000, maxMs: 60_000 },
      sleep: (ms) => (delays.push(ms), new Promise<void>((resolve) => setImmediate(resolve))),
    });
    await w.until(() => delays.length >= 12, 'twelve attempts');
    await w.watcher.stop();
    delays.slice(0, 12).forEach((ms, attempt) => {
      const nominal = Math.min(1000 * 2 ** attempt, 60_000);
      expect(ms).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(ms).toBeLessThanOrEqual(Math.min(nominal * 1.2, 60_000));
    });
  });

  it("a pool member redirects to its master (HOST_IS_SLAVE), and the status names the master's address", async () => {
    const users = { [USER]: PASSWORD };
    // Always runs: should the master's port be taken on 127.0.0.1, the pair starts again on another.
    const { member, master } = await startMemberAndMaster({ dump: cowley, users }, { dump: cowley, users });
    cleanups.push(() => member.close(), () => master.close());
    expect(member.url).toBe(`http://${MEMBER_ADDRESS}:${master.port}`);
    const w = watch(member.url);
    await w.until(() => w.watcher.current.state === 'ok', 'ok through the master');
    expect(w.watcher.current.endpoint).toBe(`http://${MASTER_ADDRESS}:${master.port}`);
    expect(master.stats().logins).toBe(1);
    expect(member.stats().logins + member.stats().failedLogins).toBe(0); // it answered HOST_IS_SLAVE, no session
    expect(member.stats().requests).toBe(1);
    expect(w.latest()!.hosts).toHaveLength(2);
  });

  it.each([
    ['garbage', 'json-rpc', /malformed JSON-RPC/i],
    ['garbage', 'xml-rpc', /malformed XML-RPC/i],
    ['truncate', 'json-rpc', /cut off|malformed|closed/i],
    ['truncate', 'xml-rpc', /cut off|malformed|closed/i],
    ['xml-bomb', 'xml-rpc', /DOCTYPE/i],
    ['deep', 'xml-rpc', /deeper than/i],
    ['deep', 'json-rpc', /event.from answered without events or token/],
    ['http-500', 'xml-rpc', /500/],
  ] as const)('a %s answer over %s gives a clear error, keeps the last good state, and recovers', async (kind, protocol, message) => {
    const sim = await simulator({ jsonRpc: protocol === 'json-rpc' });
    const w = watch(sim.url, { transport: protocol });
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const good = w.latest()!;
    // A fault is taken by the next request: the event.from that follows this change gets the bad answer
    // (a truncated one after the API has answered it, so a second change makes it answer).
    sim.fault({ kind, count: 1 });
    sim.setCarrier(firstHost(good)!.name, 'eth3', true);
    await w.until(() => firstHost(w.latest())!.nics.find((n) => n.device === 'eth3')!.carrier === true, 'the first change');
    const seen = w.latest()!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    sim.setCarrier(firstHost(good)!.name, 'eth4', true);
    await w.until(() => w.statuses.some((s) => s.state === 'error' || s.state === 'unreachable'), `an error status for ${kind}`);
    const bad = w.statuses.find((s) => s.state === 'error' || s.state === 'unreachable')!;
    expect(bad.message).toMatch(message);
    // The status points at the last observation published before the failure, which stays on screen.
    expect(w.observations.map((o) => o.observedAt)).toContain(bad.lastGoodAt);
    expect(bad.lastGoodAt! >= good.observedAt && bad.lastGoodAt! <= seen.observedAt).toBe(true);
    await w.until(() => w.watcher.current.state === 'ok', 'recovery');
  });

  it('a 500 MB answer over XML-RPC is cut off at the size cap without being held in memory', async () => {
    const sim = await simulator({ jsonRpc: false });
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    const before = process.memoryUsage().rss;
    // Chunked: no Content-Length to refuse up front, so the cap must cut the stream itself.
    sim.fault({ kind: 'huge', count: 1, bytes: 500 * 1024 * 1024, chunked: true });
    sim.setCarrier(firstHost(w.latest())!.name, 'eth3', true);
    await w.until(() => w.statuses.some((s) => s.state === 'error'), 'too-large', 15_000);
    expect(w.statuses.find((s) => s.state === 'error')!.message).toMatch(/larger than|too large/i);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
    await w.until(() => w.watcher.current.state === 'ok', 'recovery', 15_000);
  }, 40_000);

  it('a 500 MB answer over JSON-RPC is refused as too large at the cap, never held whole', async () => {
    // A pool of API 2.8 or later (hand-made relabelled variant), so the watcher reads it over JSON-RPC by itself.
    const sim = await simulator({ dump: relabelled(cowley, 2, 12) });
    const w = watch(sim.url);
    await w.until(() => w.watcher.current.state === 'ok', 'the first load');
    expect(w.watcher.current.message).toContain('over JSON-RPC');
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.rss - before.rss, now.arrayBuffers - before.arrayBuffers);
    }, 5);
    try {
      // Chunked: no Content-Length to refuse up front, so the cap (the watcher's 64 MiB) must cut the stream itself.
      sim.fault({ kind: 'huge', count: 1, bytes: 500 * 1024 * 1024, chunked: true });
      sim.setCarrier(firstHost(w.latest())!.name, 'eth3', true);
      await w.until(() => w.statuses.some((s) => s.state === 'error'), 'too-large', 15_000);
    } finally {
      clearInterval(sampler);
    }
    expect(w.statuses.find((s) => s.state === 'error')!.message).toBe('the response is larger than 64 MiB');
    // JSON.parse needs the whole text, so up to the cap is kept; the 500 MB never is.
    expect(peak).toBeLessThan(250 * 1024 * 1024);
    expect(sim.stats().jsonRpcRequests).toBeGreaterThan(0);
    await w.until(() => w.watcher.current.state === 'ok', 'recovery', 15_000);
  }, 40_000);
});
