/**
 * The SNMP poll scheduler: every device in the inventory with SNMP settings and its secret (a community, or a
 * v3 user and keys) is polled every interval, with jitter so a rack of switches is not asked all at once,
 * a cap on polls in flight, and a backoff on failure. Each device has its own status (ok, slow, unreachable,
 * auth failed, error, with the time of the last good poll); one device failing never holds up another.
 * Counters become rates (domain/health/rates.ts), samples go to the store for the sparklines, and the
 * observation is kept as the JSON-safe SwitchView the device page shows.
 */
import type { Db } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { revealCredential } from '../store/credentials';
import { listDevices } from '../store/devices';
import { loadObservation, saveObservation } from '../store/observations';
import { addPortSamples, recentPortSamples } from '../store/samples';
import { pollSwitch } from '../drivers/snmp/poll';
import { SnmpFailure, type SnmpTarget } from '../drivers/snmp/session';
import type { Device } from '../domain/model/devices';
import type { SwitchObservation, SwitchView } from '../domain/model/switches';
import type { PollState, PollStatus } from '../domain/model/polling';
import { octetRate, type CounterReading } from '../domain/health/rates';
import { switchView } from '../domain/health/switch-view';

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
  intervalMs?: number;
  maxInFlight?: number;
  timeoutMs?: number;
}

interface Run {
  key: string;
  target: SnmpTarget;
  note: string | null;
  timer: NodeJS.Timeout | null;
  failures: number;
  polling: boolean;
  view: SwitchView | null;
  status: PollStatus;
  counters: Map<number, { in: CounterReading | undefined; out: CounterReading | undefined }>;
}

const MAX_BACKOFF_MS = 10 * 60_000;

export class SnmpCollector {
  private readonly runs = new Map<number, Run>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly deps: SnmpCollectorDeps) {}

  private get interval(): number {
    return this.deps.intervalMs ?? 60_000;
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
        polling: false,
        view: stored?.body ?? null,
        counters: new Map(),
        status: { state: 'connecting', message: `first poll of ${want.target.host}`, since: new Date().toISOString(), lastGoodAt: stored?.observedAt ?? null },
      };
      this.runs.set(id, run);
      // The first poll within two seconds, spread so a whole lab does not start in the same instant.
      this.schedule(id, run, Math.round(Math.random() * 2000));
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
    if (run.polling) return;
    run.polling = true;
    await this.slot();
    // Screens show "polling…" from here until the answer, so a slow device visibly is being asked.
    this.deps.onChanged(id);
    const started = Date.now();
    let next = this.interval;
    try {
      if (this.stopped || this.runs.get(id) !== run) return;
      const { observation } = await pollSwitch(run.target);
      if (this.runs.get(id) !== run) return;
      const wall = Date.now() - started;
      this.accept(id, run, observation);
      run.failures = 0;
      const ports = observation.ports.length;
      if (wall > this.interval / 2) this.setStatus(run, 'slow', `a poll takes ${(wall / 1000).toFixed(1)} s, over half the ${this.interval / 1000} s interval`);
      else this.setStatus(run, 'ok', `${ports} port${ports === 1 ? '' : 's'} read in ${(wall / 1000).toFixed(1)} s${observation.gaps.length ? `; ${observation.gaps.length} table(s) not read` : ''}`);
    } catch (error) {
      if (this.runs.get(id) !== run) return;
      run.failures++;
      next = Math.min(this.interval * 2 ** run.failures, MAX_BACKOFF_MS);
      const { state, message } = describe(error, run.target);
      this.setStatus(run, state, `${message}; next try in ${Math.round(next / 1000)} s`);
    } finally {
      this.release();
      run.polling = false;
      this.deps.onChanged(id);
      // Jitter of ±10% keeps devices that started together from staying in step.
      this.schedule(id, run, Math.round(next * (0.9 + Math.random() * 0.2)));
    }
  }

  private accept(id: number, run: Run, observation: SwitchObservation): void {
    const atMs = Date.parse(observation.observedAt);
    const rates = new Map<number, { inBps: number | null; outBps: number | null }>();
    for (const port of observation.ports) {
      if (port.inOctets === null || port.outOctets === null || port.counterBits === null) continue;
      const previous = run.counters.get(port.ifIndex);
      const uptimeTicks = observation.system.uptimeTicks;
      const current = {
        in: { value: port.inOctets, bits: port.counterBits, atMs, uptimeTicks },
        out: { value: port.outOctets, bits: port.counterBits, atMs, uptimeTicks },
      };
      rates.set(port.ifIndex, {
        inBps: octetRate(previous?.in, current.in, port.speedMbps),
        outBps: octetRate(previous?.out, current.out, port.speedMbps),
      });
      run.counters.set(port.ifIndex, current);
    }
    const samples = [...rates].filter(([, r]) => r.inBps !== null || r.outBps !== null).map(([ifIndex, r]) => ({ ifIndex, at: observation.observedAt, ...r }));
    try {
      if (samples.length) addPortSamples(this.deps.db, id, samples);
      run.view = switchView(observation, rates, recentPortSamples(this.deps.db, id));
      saveObservation(this.deps.db, id, 'snmp', observation.observedAt, run.view);
    } catch {
      run.view = switchView(observation, rates, new Map()); // the device was deleted meanwhile
    }
  }

  private setStatus(run: Run, state: PollState, message: string): void {
    const since = run.status.state === state ? run.status.since : new Date().toISOString();
    run.status = { state, message, since, lastGoodAt: run.view?.observedAt ?? null, endpoint: `${run.target.host}:${run.target.port ?? 161}` };
  }

  state(device: Device): { view: SwitchView | null; status: PollStatus; note: string | null; polling: boolean } {
    const run = this.runs.get(device.id);
    if (run) return { view: run.view, status: run.status, note: run.note, polling: run.polling };
    const stored = loadObservation<SwitchView>(this.deps.db, device.id, 'snmp');
    const message = !device.snmp
      ? 'SNMP is not set for this device'
      : device.snmp.version === 'v3'
        ? 'the SNMPv3 user or its keys are not stored'
        : 'no SNMP community stored: set one on the device to poll it';
    return {
      view: stored?.body ?? null,
      status: { state: 'idle', message, since: stored?.observedAt ?? new Date(0).toISOString(), lastGoodAt: stored?.observedAt ?? null },
      note: null,
      polling: false,
    };
  }

  /** Polls one device (or all) now instead of at its next turn. */
  pollNow(deviceId?: number): void {
    for (const [id, run] of this.runs) if (deviceId === undefined || id === deviceId) this.schedule(id, run, 0);
  }

  private stopOne(id: number): void {
    const run = this.runs.get(id);
    if (run?.timer) clearTimeout(run.timer);
    this.runs.delete(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.runs.keys()]) this.stopOne(id);
    for (const wake of this.waiting.splice(0)) wake();
  }
}

function describe(error: unknown, target: SnmpTarget): { state: PollState; message: string } {
  const where = `${target.host}:${target.port ?? 161}`;
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
