/**
 * The storage side's collectors: every portal of every iSCSI target in the inventory gets a discovery probe
 * each sweep (all portals at once, so a sweep takes about one timeout however many portals are down), and
 * every NAS with a DSM URL and password is read over the DSM Web API by the NasReader (nas.ts). Like the pool
 * collector, it follows the inventory, keeps the latest observation per device for the API and writes it to
 * the store.
 *
 * A target with discovery CHAP has its portals probed with its own credentials (revealed from the store for
 * the probe, never kept in an observation or a message); portals of targets without CHAP are probed once,
 * shared. A CHAP setting whose secret is missing is probed without CHAP and says so.
 */
import { createHash } from 'node:crypto';
import { revealTargetCredential, targetCredentialsOf, CredentialUnavailable } from '../store/credentials';
import { listDevices } from '../store/devices';
import { listTargets } from '../store/targets';
import { loadObservation, saveObservation } from '../store/observations';
import { probePortals, type ChapCredentials, type ProbeOptions, type ProbeResult } from '../drivers/iscsi/probe';
import type { Device } from '../domain/model/devices';
import { probeKey, type DiscoveryAuth, type PortalProbe } from '../domain/model/san';
import type { TargetDetail } from '../domain/model/views';
import { NasReader, type NasReaderDeps, type NasRedirect, type NasState } from './nas';

/** Where a device is really answered when it is not at its inventory address: the demo lab's simulators. */
export interface StorageRedirects extends NasRedirect {
  portal?(device: Device, address: string, port: number): { host: string; port: number } | null;
}

/** What the NAS reader needs (nas.ts), and the probes' own settings. */
export interface StorageCollectorDeps extends NasReaderDeps {
  /** A sweep started or ended, for the progress line. */
  onSweep?(running: boolean): void;
  redirect?: StorageRedirects;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
  /**
   * Runs the probes (default: drivers/iscsi probePortals in this process). The tgtd tests pass one that runs
   * the same probe inside a network namespace.
   */
  probe?(list: ProbeOptions[]): Promise<ProbeResult[]>;
}

/** How one target's portals are probed: its discovery CHAP as stored, or why that could not be used. */
interface ProbeAuth {
  /** The target whose credentials these are; null for the shared probe without CHAP. */
  targetId: number | null;
  chap: ChapCredentials | null;
  offered: DiscoveryAuth;
  credentialProblem: string | null;
}

const portalKey = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export class StorageCollector {
  private readonly probes = new Map<number, Map<string, PortalProbe>>();
  /** Sweeps that probed each device's portals, since this collector started. */
  private readonly sweepsOf = new Map<number, number>();
  private readonly nas: NasReader;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweep: Promise<void> | null = null;
  private abort = new AbortController();
  private stopped = false;
  private lastSweepAt: string | null = null;
  private lastSignature = '';
  private again = false;

  constructor(private readonly deps: StorageCollectorDeps) {
    this.nas = new NasReader(deps);
  }

  get sweeping(): boolean {
    return this.sweep !== null;
  }

  get lastProbeAt(): string | null {
    return this.lastSweepAt;
  }

  /** Follows the inventory: a sweep when portals changed, DSM readers started, restarted or stopped. */
  sync(): void {
    if (this.stopped) return;
    this.nas.sync();
    // A new or changed portal is probed at once, not at the next sweep.
    const signature = this.portalSignature();
    if (signature !== this.lastSignature || (!this.sweepTimer && !this.sweep)) {
      this.lastSignature = signature;
      this.probeNow();
    }
  }

  /** What the probes depend on: portals, where they are answered, and each target's CHAP (a new secret too). */
  private portalSignature(): string {
    const devices = new Map(listDevices(this.deps.db).map((d) => [d.id, d]));
    return listTargets(this.deps.db)
      .flatMap((target) => {
        const device = devices.get(target.deviceId);
        const redirected = device ? target.portals.map((p) => JSON.stringify(this.deps.redirect?.portal?.(device, p.address, p.port) ?? null)) : [];
        const chap = target.chap ? ` chap ${target.id} ${JSON.stringify(target.chap)} ${this.sealedDigest(target.id)}` : '';
        return target.portals.map((p, i) => `${target.deviceId} ${portalKey(p.address, p.port)} ${redirected[i] ?? ''}${chap}`);
      })
      .sort()
      .join('\n');
  }

  /** Changes whenever a secret is set again (each sealing is fresh), without opening it. */
  private sealedDigest(targetId: number): string {
    const hash = createHash('sha256');
    for (const credential of targetCredentialsOf(this.deps.db, targetId).sort((a, b) => a.purpose.localeCompare(b.purpose))) {
      hash.update(credential.purpose).update(credential.sealed);
    }
    return hash.digest('hex').slice(0, 16);
  }

  /** The latest probe of each portal of a device (memory, else the store), by probeKey. */
  portalProbes(deviceId: number): Map<string, PortalProbe> {
    const inMemory = this.probes.get(deviceId);
    if (inMemory) return inMemory;
    const stored = loadObservation<{ probes: PortalProbe[] }>(this.deps.db, deviceId, 'iscsi');
    return new Map((stored?.body.probes ?? []).map((probe) => [probeKey(probe.portal, probe.targetId), probe]));
  }

  /** The credentials a target's probes use. Secrets are revealed here, for the probe, and go no further. */
  private probeAuth(target: TargetDetail): ProbeAuth {
    const shared: ProbeAuth = { targetId: null, chap: null, offered: 'none', credentialProblem: null };
    if (!target.chap) return shared;
    const reveal = (purpose: 'chap-secret' | 'chap-target-secret'): { secret: string | null; problem: string | null } => {
      try {
        return { secret: revealTargetCredential(this.deps.db, this.deps.box, target.id, purpose), problem: null };
      } catch (error) {
        return { secret: null, problem: error instanceof CredentialUnavailable ? `the stored secret cannot be read here: ${error.message}` : 'the stored secret does not open' };
      }
    };
    const own = reveal('chap-secret');
    if (own.secret === null) {
      return { targetId: target.id, chap: null, offered: 'none', credentialProblem: own.problem ?? 'no CHAP secret is stored for this target: enter it in the target form; probed without CHAP' };
    }
    const chap: ChapCredentials = { user: target.chap.user, secret: own.secret };
    if (target.chap.targetUser === '') return { targetId: target.id, chap, offered: 'chap', credentialProblem: null };
    const theirs = reveal('chap-target-secret');
    if (theirs.secret === null) {
      return {
        targetId: target.id,
        chap,
        offered: 'chap',
        credentialProblem: theirs.problem ?? 'no mutual CHAP target secret is stored: probed with one-way CHAP, the target was not asked to prove itself',
      };
    }
    return { targetId: target.id, chap: { ...chap, targetUser: target.chap.targetUser, targetSecret: theirs.secret }, offered: 'mutual-chap', credentialProblem: null };
  }

  /** Probes every portal now (a sweep already running is not doubled), then every probeEveryMs. */
  probeNow(): void {
    if (this.stopped) return;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    if (this.sweep) {
      // What changed during a sweep gets a sweep of its own right after.
      this.again = true;
      return;
    }
    this.sweep = this.runSweep().finally(() => {
      this.sweep = null;
      this.deps.onSweep?.(false);
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.probeNow();
      } else {
        this.sweepTimer = setTimeout(() => this.probeNow(), this.deps.probeEveryMs ?? 60_000);
      }
    });
  }

  private async runSweep(): Promise<void> {
    const devices = listDevices(this.deps.db).filter((d) => d.kind === 'iscsi-san' || d.kind === 'nas');
    const byDevice = new Map(devices.map((d) => [d.id, d]));
    const jobs: { deviceId: number; portal: string; auth: ProbeAuth; options: ProbeOptions }[] = [];
    const seen = new Set<string>();
    for (const target of listTargets(this.deps.db)) {
      const device = byDevice.get(target.deviceId);
      if (!device) continue;
      const auth = this.probeAuth(target);
      for (const portal of target.portals) {
        const key = probeKey(portalKey(portal.address, portal.port), auth.targetId);
        if (seen.has(`${device.id} ${key}`)) continue;
        seen.add(`${device.id} ${key}`);
        const where = this.deps.redirect?.portal?.(device, portal.address, portal.port) ?? { host: portal.address, port: portal.port };
        jobs.push({
          deviceId: device.id,
          portal: portalKey(portal.address, portal.port),
          auth,
          options: {
            host: where.host,
            port: where.port,
            chap: auth.chap,
            signal: this.abort.signal,
            responseTimeoutMs: this.deps.probeTimeoutMs ?? 5000,
            connectTimeoutMs: Math.min(3000, this.deps.probeTimeoutMs ?? 3000),
          },
        });
      }
    }
    if (jobs.length === 0) return;
    this.deps.onSweep?.(true);
    const results = await (this.deps.probe ?? probePortals)(jobs.map((job) => job.options));
    if (this.stopped) return;
    const now = new Date().toISOString();
    const touched = new Map<number, Map<string, PortalProbe>>();
    jobs.forEach((job, i) => {
      let probes = touched.get(job.deviceId);
      if (!probes) touched.set(job.deviceId, (probes = new Map()));
      probes.set(probeKey(job.portal, job.auth.targetId), toPortalProbe(job.portal, job.auth, results[i]!, now));
    });
    for (const device of devices) {
      const probes = touched.get(device.id) ?? new Map<string, PortalProbe>();
      this.probes.set(device.id, probes);
      if (touched.has(device.id)) this.sweepsOf.set(device.id, (this.sweepsOf.get(device.id) ?? 0) + 1);
      try {
        saveObservation(this.deps.db, device.id, 'iscsi', now, { probes: [...probes.values()] });
      } catch {
        // deleted meanwhile
      }
      this.deps.onChanged(device.id);
    }
    this.lastSweepAt = now;
  }

  /**
   * How many sweeps have probed the device's portals since this collector started; null when it has none to
   * probe (no target with a portal). A poll round waits for the first.
   */
  probeResultCount(deviceId: number): number | null {
    const swept = this.sweepsOf.get(deviceId);
    if (swept !== undefined) return swept;
    return listTargets(this.deps.db).some((t) => t.deviceId === deviceId && t.portals.length > 0) ? 0 : null;
  }

  /** Readings of the NAS over DSM ended since its reader started; null when none reads it (collect/nas.ts). */
  nasResultCount(deviceId: number): number | null {
    return this.nas.resultCount(deviceId);
  }

  /** The NAS's DSM reading, or why there is none (collect/nas.ts). */
  nasState(device: Device): NasState {
    return this.nas.state(device);
  }

  /** The user compared the NAS's presented fingerprint and trusts it. */
  acceptCertificate(deviceId: number, fingerprint: string): void {
    this.nas.acceptCertificate(deviceId, fingerprint);
  }

  /** Reads every NAS now. */
  readNasesNow(): void {
    this.nas.readAllNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.nas.stop();
    await this.sweep;
  }
}

function toPortalProbe(portal: string, auth: ProbeAuth, result: ProbeResult, probedAt: string): PortalProbe {
  const { statusClass, statusDetail } = result.error ?? {};
  const chap = result.authMethod !== 'CHAP' ? '' : auth.offered === 'mutual-chap' ? ', mutual CHAP' : ', CHAP';
  return {
    portal,
    targetId: auth.targetId,
    ok: result.ok,
    failure: result.error?.kind ?? null,
    message: result.ok ? `answered discovery: ${result.targets.length} target(s)${chap}` : (result.error?.message ?? 'no answer'),
    connected: result.timings.connectMs !== null,
    auth: auth.offered,
    loginStatus:
      statusClass === undefined || statusDetail === undefined ? null : `0x${((statusClass << 8) | statusDetail).toString(16).padStart(4, '0')}`,
    credentialProblem: auth.credentialProblem,
    iqns: result.targets.map((target) => target.iqn),
    probedAt,
  };
}
