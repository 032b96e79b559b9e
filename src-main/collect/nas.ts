/**
 * Reads every NAS that has a DSM URL and a stored password over the DSM Web API (LUNs, targets, replication
 * plans), one reader per NAS, every dsmEveryMs (sooner after a failure). It follows the inventory through
 * StorageCollector.sync(), keeps the latest observation per NAS for the API, writes it to the store, pins the
 * certificate on first use and refuses a changed one until the user accepts it (then reads at once).
 */
import type { Db } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { revealCredential } from '../store/credentials';
import { listDevices } from '../store/devices';
import { loadObservation, pinCertificate, saveObservation } from '../store/observations';
import { connectDsm, DsmError, DsmTransportError } from '../drivers/synology/client';
import { readNas } from '../drivers/synology/read';
import type { Device } from '../domain/model/devices';
import type { NasObservation } from '../domain/model/nas';
import type { PollState, PollStatus } from '../domain/model/polling';
import { InvalidInput, NotFound } from '../domain/errors';

/** Where a NAS is really answered (the demo lab's DSM simulator), with the credentials to use there. */
export interface NasRedirect {
  dsm?(device: Device): { url: string; username: string; password: string; note: string } | null;
}

export interface NasReaderDeps {
  db: Db;
  box: SecretBox;
  onChanged(deviceId: number): void;
  onInventoryChanged(): void;
  redirect?: NasRedirect;
  dsmEveryMs?: number;
}

export interface NasState {
  observation: NasObservation | null;
  status: PollStatus;
  /** Where the reading really came from, when not from the NAS itself (the demo lab). */
  note: string | null;
}

interface NasRun {
  key: string;
  url: string;
  username: string;
  password: string;
  note: string | null;
  pin: string | null;
  timer: NodeJS.Timeout | null;
  observation: NasObservation | null;
  status: PollStatus;
  presented: string | null;
  /** Readings ended since this run began, good or failed. */
  results: number;
  /** A reading is in flight. */
  reading: boolean;
  /** A reading was asked for while one was in flight: it runs as soon as that one ends. */
  again: boolean;
}

export class NasReader {
  private readonly runs = new Map<number, NasRun>();
  private stopped = false;

  constructor(private readonly deps: NasReaderDeps) {}

  /** The latest reading and status of a NAS; for one not read in this process, what the store has and why. */
  state(device: Device): NasState {
    const run = this.runs.get(device.id);
    if (run) return { observation: run.observation, status: run.status, note: run.note };
    const stored = loadObservation<NasObservation>(this.deps.db, device.id, 'dsm');
    const message = !device.dsm
      ? 'no DSM URL set'
      : revealCredential(this.deps.db, this.deps.box, device.id, 'dsm-password') === null
        ? 'no DSM password stored: set one on the device to read it'
        : 'not polled in this mode';
    return {
      observation: stored?.body ?? null,
      status: { state: 'idle', message, since: stored?.observedAt ?? new Date(0).toISOString(), lastGoodAt: stored?.observedAt ?? null },
      note: null,
    };
  }

  /** Follows the inventory: readers started for new NASes, restarted when URL, user or password changed. */
  sync(): void {
    if (this.stopped) return;
    const wanted = new Map<number, Omit<NasRun, 'timer' | 'observation' | 'status' | 'presented' | 'results' | 'reading' | 'again'>>();
    for (const device of listDevices(this.deps.db)) {
      if (device.kind !== 'nas' || !device.dsm) continue;
      const redirect = this.deps.redirect?.dsm?.(device) ?? null;
      const password = redirect ? redirect.password : revealCredential(this.deps.db, this.deps.box, device.id, 'dsm-password');
      if (password === null) continue;
      const url = redirect ? redirect.url : device.dsm.url;
      const username = redirect ? redirect.username : device.dsm.username;
      wanted.set(device.id, {
        key: JSON.stringify([url, username, password]),
        url,
        username,
        password,
        note: redirect?.note ?? null,
        pin: redirect ? null : (device.dsm.fingerprint ?? null),
      });
    }
    for (const [id, run] of this.runs) {
      const want = wanted.get(id);
      if (!want || want.key !== run.key) this.stopRun(id);
      else if (want.pin !== run.pin) {
        run.pin = want.pin;
        this.readSoon(id, 0);
      }
    }
    for (const [id, want] of wanted) {
      if (this.runs.has(id)) continue;
      const stored = loadObservation<NasObservation>(this.deps.db, id, 'dsm');
      this.runs.set(id, {
        ...want,
        timer: null,
        observation: stored?.body ?? null,
        presented: null,
        results: 0,
        reading: false,
        again: false,
        status: { state: 'connecting', message: `connecting to ${want.url}`, since: new Date().toISOString(), lastGoodAt: stored?.observedAt ?? null, endpoint: want.url },
      });
      this.readSoon(id, 0);
    }
  }

  private stopRun(id: number): void {
    const run = this.runs.get(id);
    if (run?.timer) clearTimeout(run.timer);
    this.runs.delete(id);
  }

  private readSoon(id: number, delayMs: number): void {
    const run = this.runs.get(id);
    if (!run || this.stopped) return;
    // A reading asked for now while one is in flight must not be lost to that one's next schedule.
    if (delayMs === 0 && run.reading) {
      run.again = true;
      return;
    }
    if (run.timer) clearTimeout(run.timer);
    run.timer = setTimeout(() => void this.readOnce(id, run), delayMs);
  }

  private async readOnce(id: number, run: NasRun): Promise<void> {
    run.timer = null;
    run.reading = true;
    try {
      await this.readOnceInner(id, run);
    } finally {
      run.reading = false;
      if (run.again && this.runs.get(id) === run) {
        run.again = false;
        this.readSoon(id, 0);
      }
    }
  }

  private async readOnceInner(id: number, run: NasRun): Promise<void> {
    const setStatus = (state: PollState, message: string) => {
      const since = run.status.state === state ? run.status.since : new Date().toISOString();
      run.status = {
        state,
        message,
        since,
        lastGoodAt: run.observation?.observedAt ?? null,
        certificate: { presented: run.presented, pinned: run.pin },
        endpoint: run.url,
      };
    };
    let retry = this.deps.dsmEveryMs ?? 300_000;
    try {
      const session = await connectDsm({
        url: run.url,
        username: run.username,
        password: run.password,
        fingerprint: run.pin,
        onCertificate: (fingerprint) => (run.presented = fingerprint),
      });
      try {
        const observation = await readNas(session);
        if (this.runs.get(id) !== run) return;
        if (run.pin === null && session.fingerprint) {
          run.pin = session.fingerprint;
          if (pinCertificate(this.deps.db, id, 'dsm', session.fingerprint)) this.deps.onInventoryChanged();
        }
        run.observation = observation;
        try {
          saveObservation(this.deps.db, id, 'dsm', observation.observedAt, observation);
        } catch {
          // deleted meanwhile
        }
        setStatus('ok', `read ${observation.hostname || 'the NAS'}: ${observation.luns.length} LUN(s), ${observation.replication.length} replication plan(s)`);
      } finally {
        await session.logout();
      }
    } catch (error) {
      if (this.runs.get(id) !== run) return;
      if (error instanceof DsmTransportError && error.kind === 'certificate-changed') {
        run.presented = error.presentedFingerprint ?? run.presented;
        setStatus('certificate-changed', `the certificate of ${run.url} changed; not connecting until you accept the new one`);
        retry = -1;
      } else if (error instanceof DsmError && error.code >= 400 && error.code < 412) {
        setStatus('auth-failed', error.message);
      } else if (error instanceof DsmTransportError && (error.kind === 'unreachable' || error.kind === 'timeout')) {
        setStatus('unreachable', error.message);
        retry = Math.min(retry, 60_000);
      } else {
        setStatus('error', error instanceof Error ? error.message : String(error));
        retry = Math.min(retry, 60_000);
      }
    }
    run.results++;
    this.deps.onChanged(id);
    if (retry >= 0) this.readSoon(id, retry);
  }

  /** The user compared the presented fingerprint and trusts it. */
  acceptCertificate(deviceId: number, fingerprint: string): void {
    const run = this.runs.get(deviceId);
    if (!run?.presented || run.presented !== fingerprint) {
      throw InvalidInput.field(
        ['fingerprint'],
        run?.presented ? `the NAS now presents ${run.presented}, not the certificate you accepted; compare again` : 'the NAS has not presented a certificate to accept',
      );
    }
    if (!pinCertificate(this.deps.db, deviceId, 'dsm', fingerprint)) throw new NotFound('this device has no DSM endpoint');
    run.pin = fingerprint;
    this.deps.onInventoryChanged();
    this.readSoon(deviceId, 0);
  }

  /** Readings of the NAS ended (good or failed) since its reader started; null when none reads it (no DSM URL or password). */
  resultCount(deviceId: number): number | null {
    return this.runs.get(deviceId)?.results ?? null;
  }

  /** Reads every NAS now. */
  readAllNow(): void {
    for (const id of this.runs.keys()) this.readSoon(id, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.runs.keys()]) this.stopRun(id);
  }
}
