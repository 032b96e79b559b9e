/**
 * The SNMP poll scheduler: every device in the inventory with SNMP settings and its secret (a community, or a
 * v3 user and keys) is polled every interval, with jitter so a rack of switches is not asked all at once,
 * a cap on polls in flight, and a backoff on failure. Each device has its own status (ok, slow, unreachable,
 * auth failed, error, with the time of the last good poll, and stale since that time once it is older than
 * three intervals); one device failing never holds up another. Counters become rates (domain/health/rates.ts),
 * samples go to the store for the sparklines, and the observation is kept as the JSON-safe SwitchView the
 * device page shows. A poll that could not read the device's system group or port list (an agent that loops,
 * or answers garbage part of the time) is a failure: the last good view stays, and the status says why.
 */
import type { Db } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { revealCredential } from '../store/credentials';
import { listDevices } from '../store/devices';
import { loadObservation, saveObservation } from '../store/observations';
import { addPortSamples, recentPortSamples } from '../store/samples';
import { pollSwitch } from '../drivers/snmp/poll';
import { ifDescr, SYSTEM } from '../drivers/snmp/oids';
import { SnmpFailure, type SnmpTarget } from '../drivers/snmp/session';
import type { Device } from '../domain/model/devices';
import type { SwitchObservation, SwitchView } from '../domain/model/switches';
import { withStaleness, type PollState, type PollStatus } from '../domain/model/polling';
import { portRates, rateSamples, switchView, withViewDefaults, type PortCounters } from '../domain/health/switch-view';

export interface SnmpRedirect {
  host: string;
  port: number;
  /** For the demo: the recording to answer with, as the community. */
  community: string;
  note: string;
}

export interface SnmpCollectorDeps {
  db: Db;
  box: SecretBox;
  onChanged(deviceId: number): void;
  redirect?: (device: Device) => SnmpRedirect | null;
  /** Between polls of one device; default 60 s. A device's data is stale after 3 of these without a good poll. */
  intervalMs?: number;
  /**
   * After a device's first good poll (no counters yet, so no rates), the next poll comes this soon instead of
   * an interval later, so traffic shows within seconds of adding a device or starting; default 10 s.
   */
  firstRateAfterMs?: number;
  /** Polls in flight at once, all devices together; default 16. */
  maxInFlight?: number;
  /** Per SNMP request try; default 2 s. */
  timeoutMs?: number;
  /** The longest wait after failures (the interval doubles per failure up to this); default 10 min. */
  maxBackoffMs?: number;
  /** The clock, in ms since the epoch: status times, poll durations, staleness. Default Date.now. */
  now?: () => number;
  /** 0 ≤ x < 1, for the first poll's spread and the ±10% jitter. Default Math.random. */
  random?: () => number;
}

interface Run {
  key: string;
  target: SnmpTarget;
  note: string | null;
  timer: NodeJS.Timeout | null;
  failures: number;
  /** Waiting for a slot under the in-flight cap. */
  queued: boolean;
  /** Holding a slot: the device is being asked now. */
  polling: boolean;
  /** Ends the poll in flight when the device is dropped or the collector stops. */
  abort: AbortController | null;
  view: SwitchView | null;
  status: PollStatus;
  counters: Map<number, PortCounters>;
  /** Good polls since this run started: the first only takes counters, the second gives the first rates. */
  goodPolls: number;
  /** Polls ended since this run started, good or failed. */
  results: number;
}

const MAX_BACKOFF_MS = 10 * 60_000;
const FIRST_RATE_AFTER_MS = 10_000;

/** A poll that returned, but without what makes it a picture of the device (its system group, its port list). */
class UnusablePoll extends Error {}

export class SnmpCollector {
  private readonly runs = new Map<number, Run>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly deps: SnmpCollectorDeps) {}

  private get interval(): number {
    return this.deps.intervalMs ?? 60_000;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private random(): number {
    return this.deps.random?.() ?? Math.random();
  }

  sync(): void {
    if (this.stopped) return;
    const wanted = new Map<number, { key: string; target: SnmpTarget; note: string | null }>();
    for (const device of listDevices(this.deps.db)) {
      const built = this.targetOf(device);
      if (built) wanted.set(device.id, built);
    }
    for (const [id, run] of this.runs) {
      const want = wanted.get(id);
      if (!want || want.key !== run.key) this.stopOne(id);
    }
    for (const [id, want] of wanted) {
      if (this.runs.has(id)) continue;
      const stored = loadObservation<SwitchView>(this.deps.db, id, 'snmp');
      const run: Run = {
        ...want,
        timer: null,
        failures: 0,
        queued: false,
        polling: false,
        abort: null,
        view: stored ? withViewDefaults(stored.body) : null,
        counters: new Map(),
        goodPolls: 0,
        results: 0,
        status: { state: 'connecting', message: `first poll of ${want.target.host}`, since: new Date(this.now()).toISOString(), lastGoodAt: stored?.observedAt ?? null },
      };
      this.runs.set(id, run);
      // The first poll within two seconds (or an interval, if shorter), spread so a whole lab does not start in the same instant.
      this.schedule(id, run, Math.round(this.random() * Math.min(2000, this.interval)));
    }
  }

  private targetOf(device: Device): { key: string; target: SnmpTarget; note: string | null } | null {
    if (!device.snmp) return null;
    const redirect = this.deps.redirect?.(device) ?? null;
    const timeoutMs = this.deps.timeoutMs ?? 2000;
    let target: SnmpTarget;
    if (redirect) {
      target = { host: redirect.host, port: redirect.port, version: 'v2c', community: redirect.community, timeoutMs };
    } else if (device.snmp.version === 'v3') {
      const auth = revealCredential(this.deps.db, this.deps.box, device.id, 'snmp-auth-key');
      const priv = revealCredential(this.deps.db, this.deps.box, device.id, 'snmp-priv-key');
      const level = device.snmp.v3Level;
      if (!device.snmp.v3User || (level !== 'noAuthNoPriv' && auth === null) || (level === 'authPriv' && priv === null)) return null;
      target = {
        host: device.address,
        port: device.snmp.port,
        version: 'v3',
        timeoutMs,
        v3: {
          user: device.snmp.v3User,
          level,
          authProtocol: device.snmp.v3AuthProtocol,
          ...(auth !== null ? { authKey: auth } : {}),
          privProtocol: device.snmp.v3PrivProtocol,
          ...(priv !== null ? { privKey: priv } : {}),
        },
      };
    } else {
      const community = revealCredential(this.deps.db, this.deps.box, device.id, 'snmp-community');
      if (community === null) return null;
      target = { host: device.address, port: device.snmp.port, version: device.snmp.version, community, timeoutMs };
    }
    return { key: JSON.stringify(target), target, note: redirect?.note ?? null };
  }

  private schedule(id: number, run: Run, delayMs: number): void {
    if (this.stopped || this.runs.get(id) !== run) return;
    if (run.timer) clearTimeout(run.timer);
    run.timer = setTimeout(() => void this.pollOnce(id, run), delayMs);
  }

  private async slot(): Promise<void> {
    if (this.inFlight < (this.deps.maxInFlight ?? 16)) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  private async pollOnce(id: number, run: Run): Promise<void> {
    run.timer = null;
    if (run.polling || run.queued) return;
    run.queued = true;
    await this.slot();
    run.queued = false;
    let next = this.interval;
    try {
      if (this.stopped || this.runs.get(id) !== run) return;
      // Screens show "polling…" from here until the answer, so a slow device visibly is being asked (a device
      // waiting for a slot under the in-flight cap is not being asked yet).
      run.polling = true;
      run.abort = new AbortController();
      this.deps.onChanged(id);
      const started = this.now();
      const { observation } = await pollSwitch(run.target, { signal: run.abort.signal });
      if (this.runs.get(id) !== run) return;
      const wall = this.now() - started;
      const unusable = unusableBecause(observation);
      if (unusable) throw new UnusablePoll(unusable);
      if (run.goodPolls++ === 0) next = Math.min(this.interval, this.deps.firstRateAfterMs ?? FIRST_RATE_AFTER_MS);
      this.accept(id, run, observation);
      run.failures = 0;
      const ports = observation.ports.length;
      if (wall > this.interval / 2) this.setStatus(run, 'slow', `a poll takes ${(wall / 1000).toFixed(1)} s, over half the ${duration(this.interval)} interval`);
      else this.setStatus(run, 'ok', `${ports} port${ports === 1 ? '' : 's'} read in ${(wall / 1000).toFixed(1)} s${observation.gaps.length ? `; ${observation.gaps.length} table(s) not read` : ''}`);
    } catch (error) {
      if (this.runs.get(id) !== run) return;
      run.failures++;
      next = Math.max(this.interval, Math.min(this.interval * 2 ** run.failures, this.deps.maxBackoffMs ?? MAX_BACKOFF_MS));
      const { state, message } = describe(error, run.target);
      const kept = run.view ? '; the last good poll stays on screen' : '';
      this.setStatus(run, state, `${message}${kept}; next try in ${duration(next)}`);
    } finally {
      this.release();
      run.polling = false;
      run.abort = null;
      // A device dropped (or the collector stopped) meanwhile is not announced nor polled again.
      if (!this.stopped && this.runs.get(id) === run) {
        run.results++;
        this.deps.onChanged(id);
        // Jitter of ±10% keeps devices that started together from staying in step.
        this.schedule(id, run, Math.round(next * (0.9 + this.random() * 0.2)));
      }
    }
  }

  private accept(id: number, run: Run, observation: SwitchObservation): void {
    const { rates, counters } = portRates(run.counters, observation);
    run.counters = counters;
    const samples = rateSamples(observation.observedAt, rates);
    try {
      if (samples.length) addPortSamples(this.deps.db, id, samples, new Date(this.now()));
      run.view = switchView(observation, rates, recentPortSamples(this.deps.db, id));
      saveObservation(this.deps.db, id, 'snmp', observation.observedAt, run.view);
    } catch {
      run.view = switchView(observation, rates, new Map()); // the device was deleted meanwhile
    }
  }

  private setStatus(run: Run, state: PollState, message: string): void {
    const since = run.status.state === state ? run.status.since : new Date(this.now()).toISOString();
    run.status = { state, message, since, lastGoodAt: run.view?.observedAt ?? null, endpoint: `${run.target.host}:${run.target.port ?? 161}` };
  }

  /** The device's view and status as of now: the status marked stale (staleSince) once the view is 3 intervals old. */
  state(device: Device): { view: SwitchView | null; status: PollStatus; note: string | null; polling: boolean } {
    const run = this.runs.get(device.id);
    if (run) return { view: run.view, status: withStaleness(run.status, this.interval, this.now()), note: run.note, polling: run.polling };
    const stored = loadObservation<SwitchView>(this.deps.db, device.id, 'snmp');
    const message = !device.snmp
      ? 'SNMP is not set for this device'
      : device.snmp.version === 'v3'
        ? 'the SNMPv3 user or its keys are not stored'
        : 'no SNMP community stored: set one on the device to poll it';
    const status: PollStatus = { state: 'idle', message, since: stored?.observedAt ?? new Date(0).toISOString(), lastGoodAt: stored?.observedAt ?? null };
    return { view: stored ? withViewDefaults(stored.body) : null, status: withStaleness(status, this.interval, this.now()), note: null, polling: false };
  }

  /**
   * How many polls of the device have ended (with a view or a failure status) since this collector began polling
   * it; null when it does not poll it (no SNMP settings or secret). A poll round waits for the first.
   */
  resultCount(deviceId: number): number | null {
    return this.runs.get(deviceId)?.results ?? null;
  }

  /** Polls one device (or all) now instead of at its next turn. */
  pollNow(deviceId?: number): void {
    for (const [id, run] of this.runs) if (deviceId === undefined || id === deviceId) this.schedule(id, run, 0);
  }

  private stopOne(id: number): void {
    const run = this.runs.get(id);
    if (run?.timer) clearTimeout(run.timer);
    run?.abort?.abort();
    this.runs.delete(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.runs.keys()]) this.stopOne(id);
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** "0.4 s", "45 s", "4 min". */
function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

const WALK_GAP = /^\d+(?:\.\d+)+: /;

/**
 * Why a returned poll is no picture of the device, or null when it is one: the walk could not read the system
 * group or the port list (ifDescr). Other tables missing (VLANs, a MAC table over the cap, LLDP) leave a
 * usable observation with gaps; these two missing would replace the last good view with an empty or a
 * nameless port table. The sentence quotes the walk's own gap line (its kind: loop, protocol, timeout, …).
 */
function unusableBecause(observation: SwitchObservation): string | null {
  const walkGaps = observation.gaps.filter((gap) => WALK_GAP.test(gap));
  const system = walkGaps.find((gap) => gap.startsWith(`${SYSTEM}: `));
  const portList = walkGaps.find((gap) => gap.startsWith(`${ifDescr}: `));
  const first = system ?? portList;
  if (!first) return null;
  const what = system && portList ? 'its system group and port list' : system ? 'its system group' : 'its port list';
  return `${what} could not be read (${first}); ${walkGaps.length} table${walkGaps.length === 1 ? '' : 's'} not read in all`;
}

function describe(error: unknown, target: SnmpTarget): { state: PollState; message: string } {
  const where = `${target.host}:${target.port ?? 161}`;
  if (error instanceof UnusablePoll) return { state: 'error', message: `${where}: ${error.message}` };
  if (error instanceof SnmpFailure) {
    switch (error.kind) {
      case 'timeout':
        return { state: 'unreachable', message: target.version === 'v3' ? error.message : `${error.message} (no answer: unreachable, or a wrong community)` };
      case 'unreachable':
        return { state: 'unreachable', message: error.message };
      case 'auth':
        return { state: 'auth-failed', message: error.message };
      default:
        return { state: 'error', message: error.message };
    }
  }
  return { state: 'error', message: `${where}: ${error instanceof Error ? error.message : String(error)}` };
}
