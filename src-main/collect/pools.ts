/**
 * Runs one PoolWatcher per XenServer pool in the inventory that has a XenAPI URL and password, and keeps
 * their latest observation and status for the API. The inventory is the source of truth: `sync()` (called
 * on every inventory change) starts watchers for new pools, restarts those whose URL, user or password
 * changed, and stops those deleted. A certificate seen on first use is pinned into the inventory; a changed
 * one stops the watcher until the user accepts it.
 */
import type { Db } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { credentialsOf, revealCredential } from '../store/credentials';
import { listDevices } from '../store/devices';
import { loadObservation, pinCertificate, saveObservation } from '../store/observations';
import { PoolWatcher, type PoolWatchOptions } from '../drivers/xenapi/watch';
import type { Device } from '../domain/model/devices';
import type { PoolObservation } from '../domain/model/pools';
import type { PollStatus } from '../domain/model/polling';
import { NotFound, InvalidInput } from '../domain/errors';

/** Where a pool is really answered when it is not at its inventory URL: the demo lab's simulator. */
export interface PoolRedirect {
  url: string;
  username: string;
  password: string;
  /** Shown beside the status, e.g. "demo: answered by the built-in XenAPI simulator". */
  note: string;
}

export interface PoolCollectorDeps {
  db: Db;
  box: SecretBox;
  /** A pool's observation or status changed. */
  onPoolChanged(deviceId: number): void;
  /** The collector wrote to the inventory (a first-use certificate pin). */
  onInventoryChanged(): void;
  redirect?: (device: Device) => PoolRedirect | null;
  /** Test and bench tuning: backoff, event timeout. */
  watch?: Partial<Pick<PoolWatchOptions, 'backoff' | 'eventTimeoutSeconds' | 'callTimeoutMs' | 'transport'>>;
  /** How often an observation is written to the database at most; the screens read memory. */
  persistEveryMs?: number;
}

interface Running {
  key: string;
  watcher: PoolWatcher;
  note: string | null;
  observation: PoolObservation | null;
  persistTimer: NodeJS.Timeout | null;
  notifyTimer: NodeJS.Timeout | null;
  /** A change came while the notify timer ran: tell it when the timer ends. */
  notifyPending: boolean;
  /** Results reported since this run began: an observation, or a failure status. */
  results: number;
}

export interface PoolState {
  observation: PoolObservation | null;
  status: PollStatus;
  note: string | null;
}

export class PoolCollector {
  private readonly running = new Map<number, Running>();
  private stopped = false;

  constructor(private readonly deps: PoolCollectorDeps) {}

  /** Brings the set of watchers in line with the inventory. */
  sync(): void {
    if (this.stopped) return;
    const wanted = new Map<number, { key: string; options: Omit<PoolWatchOptions, 'onObservation' | 'onStatus'>; note: string | null }>();
    for (const device of listDevices(this.deps.db)) {
      if (device.kind !== 'xen-pool' || !device.xenapi) continue;
      const redirect = this.deps.redirect?.(device) ?? null;
      const password = redirect ? redirect.password : revealCredential(this.deps.db, this.deps.box, device.id, 'xenapi-password');
      if (password === null) continue;
      const url = redirect ? redirect.url : device.xenapi.url;
      const username = redirect ? redirect.username : device.xenapi.username || 'root';
      const fingerprint = redirect ? null : (device.xenapi.fingerprint ?? null);
      // The pin is not part of the key: a first-use pin must not restart the watcher that just pinned it.
      const key = JSON.stringify([url, username, password]); // held in memory only, like the watcher's copy
      wanted.set(device.id, { key, options: { url, username, password, fingerprint }, note: redirect?.note ?? null });
    }
    for (const [deviceId, run] of this.running) {
      const want = wanted.get(deviceId);
      if (!want || want.key !== run.key) this.stopOne(deviceId);
    }
    for (const [deviceId, want] of wanted) {
      const run = this.running.get(deviceId);
      if (run) run.watcher.setPin(want.options.fingerprint);
      else this.startOne(deviceId, want.key, want.options, want.note);
    }
  }

  private startOne(
    deviceId: number,
    key: string,
    options: Omit<PoolWatchOptions, 'onObservation' | 'onStatus'>,
    note: string | null,
  ): void {
    const stored = loadObservation<PoolObservation>(this.deps.db, deviceId, 'xenapi');
    const run: Running = { key, note, observation: stored?.body ?? null, persistTimer: null, notifyTimer: null, notifyPending: false, results: 0, watcher: null as unknown as PoolWatcher };
    run.watcher = new PoolWatcher({
      ...options,
      ...this.deps.watch,
      // What the screens keep showing until the first load: its time belongs in the status too.
      lastGoodAt: run.observation?.observedAt ?? null,
      onObservation: (observation) => {
        run.observation = observation;
        this.schedulePersist(deviceId, run);
        this.notify(deviceId, run);
      },
      onStatus: (status) => {
        // 'ok' follows each observation; a failure state is a result too. Connecting is still on the way.
        if (status.state !== 'connecting' && status.state !== 'idle') run.results++;
        this.notify(deviceId, run);
      },
      onFirstCertificate: (fingerprint) => {
        if (pinCertificate(this.deps.db, deviceId, 'xenapi', fingerprint)) this.deps.onInventoryChanged();
      },
    });
    this.running.set(deviceId, run);
    run.watcher.start();
  }

  private stopOne(deviceId: number): void {
    const run = this.running.get(deviceId);
    if (!run) return;
    this.running.delete(deviceId);
    if (run.notifyTimer) clearTimeout(run.notifyTimer);
    this.flush(deviceId, run);
    void run.watcher.stop();
  }

  /**
   * Screens hear of a change at once, then at most every 100 ms per pool while changes keep coming: a lone
   * carrier drop reaches them without waiting, an event storm does not become a reload storm, and the last
   * change of a burst is always told.
   */
  private notify(deviceId: number, run: Running): void {
    if (run.notifyTimer) {
      run.notifyPending = true;
      return;
    }
    this.deps.onPoolChanged(deviceId);
    run.notifyTimer = setTimeout(() => {
      run.notifyTimer = null;
      if (!run.notifyPending) return;
      run.notifyPending = false;
      if (this.running.get(deviceId) === run) this.notify(deviceId, run);
    }, 100);
  }

  private schedulePersist(deviceId: number, run: Running): void {
    if (run.persistTimer) return;
    run.persistTimer = setTimeout(() => this.flush(deviceId, run), this.deps.persistEveryMs ?? 2000);
  }

  private flush(deviceId: number, run: Running): void {
    if (run.persistTimer) clearTimeout(run.persistTimer);
    run.persistTimer = null;
    if (!run.observation) return;
    try {
      saveObservation(this.deps.db, deviceId, 'xenapi', run.observation.observedAt, run.observation);
    } catch {
      // The device was deleted meanwhile (foreign key): nothing left to keep.
    }
  }

  /** The latest observation and status of a pool, from memory, else the last one stored. */
  state(device: Device): PoolState {
    const run = this.running.get(device.id);
    if (run) return { observation: run.observation, status: run.watcher.current, note: run.note };
    const stored = loadObservation<PoolObservation>(this.deps.db, device.id, 'xenapi');
    return { observation: stored?.body ?? null, status: idleStatus(device, stored?.observedAt ?? null, this.deps.db), note: null };
  }

  /**
   * How many results (an observation, or a failure status) the pool's watcher has reported since this collector
   * started it; null when it does not watch the pool (no XenAPI URL or password). A poll round waits for the first.
   */
  resultCount(deviceId: number): number | null {
    return this.running.get(deviceId)?.results ?? null;
  }

  /**
   * The user compared the presented fingerprint and trusts it: pin it and reconnect. The inventory's pin is the
   * certificate of the host at the pool's URL; when that host is a member, the master it named is pinned by the
   * watcher for its run only (drivers/xenapi/watch.ts), so accepting the master's new certificate changes
   * nothing stored.
   */
  acceptCertificate(deviceId: number, fingerprint: string): void {
    const run = this.running.get(deviceId);
    const presented = run?.watcher.current.certificate?.presented ?? null;
    if (presented !== fingerprint) {
      throw InvalidInput.field(
        ['fingerprint'],
        presented
          ? `the pool now presents ${presented}, not the certificate you accepted; compare again`
          : 'the pool has not presented a certificate to accept',
      );
    }
    if (run?.watcher.refused?.host === 'master') {
      run.watcher.trustMaster(fingerprint);
      this.notify(deviceId, run);
      return;
    }
    if (!pinCertificate(this.deps.db, deviceId, 'xenapi', fingerprint)) throw new NotFound('this device has no XenAPI endpoint');
    run?.watcher.setPin(fingerprint);
    this.deps.onInventoryChanged();
  }

  /** Reconnect now instead of waiting out the backoff. */
  refresh(deviceId: number): void {
    const run = this.running.get(deviceId);
    if (!run) return;
    this.stopOne(deviceId);
    this.sync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const ids = [...this.running.keys()];
    const stopping = ids.map((id) => {
      const run = this.running.get(id)!;
      this.stopOne(id);
      return run.watcher.stop();
    });
    await Promise.all(stopping);
  }
}

function idleStatus(device: Device, observedAt: string | null, db: Db): PollStatus {
  const since = observedAt ?? new Date(0).toISOString();
  // Whether a password is stored, without decrypting it.
  const hasPassword = credentialsOf(db, device.id).some((credential) => credential.purpose === 'xenapi-password');
  const message = !device.xenapi
    ? 'no XenAPI URL set'
    : !hasPassword
      ? 'no XenAPI password stored: set one on the device to start polling'
      : 'not polled in this mode';
  return { state: 'idle', message, since, lastGoodAt: observedAt };
}
