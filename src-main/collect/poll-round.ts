/**
 * One poll round, for `labwarden audit|ports|whatif --poll`: the app's three collectors started over the
 * inventory exactly as the app runs them (same drivers, same secrets, same redirects for the demo), left to run
 * until every device they poll has had its first result — an observation, or a failure status — or the budget
 * runs out, then stopped. What they saw is in the store by then (the collectors write it; stopping flushes the
 * pool's), so the answer that follows is read from the store like any other.
 *
 * A device whose protocol is configured but whose secret is missing is reported as skipped, with the
 * collector's own reason; one that gave no result within the budget, as timed out.
 */
import type { Db } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { listDevices } from '../store/devices';
import { PoolCollector, type PoolRedirect } from './pools';
import { SnmpCollector, type SnmpRedirect } from './snmp';
import { StorageCollector, type StorageRedirects } from './storage';
import type { Device } from '../domain/model/devices';
import type { PollStatus } from '../domain/model/polling';

export type RoundProtocol = 'xenapi' | 'snmp' | 'iscsi' | 'dsm';

export const ROUND_PROTOCOL_LABELS: Record<RoundProtocol, string> = { xenapi: 'XenAPI', snmp: 'SNMP', iscsi: 'iSCSI discovery', dsm: 'DSM' };

export interface RoundResult {
  device: string;
  protocol: RoundProtocol;
  /** ok: it answered; failed: its first result was a failure; skipped: no secret to poll it with; timeout: no result in time. */
  outcome: 'ok' | 'failed' | 'skipped' | 'timeout';
  /** The collector's state word: ok, slow, unreachable, auth-failed, certificate-changed, error, … (idle when skipped). */
  state: string;
  /** The collector's sentence about it (never a secret). */
  message: string;
  /** From the start of the round to this result; null when skipped. */
  ms: number | null;
}

export interface PollRoundOptions {
  db: Db;
  box: SecretBox;
  /** The whole round's budget, in ms. */
  timeoutMs: number;
  /** Where devices are really answered (the demo lab's simulators), as the app's collectors are told. */
  redirects?: {
    pool?: (device: Device) => PoolRedirect | null;
    snmp?: (device: Device) => SnmpRedirect | null;
    storage?: StorageRedirects;
  };
  /** Each result as it comes: the skipped ones first, then as devices answer, the timed-out ones last. */
  onResult?: (result: RoundResult) => void;
}

export interface PollRound {
  results: RoundResult[];
  /** The budget ran out before every device had a result. */
  timedOut: boolean;
  ms: number;
}

interface Expected {
  device: Device;
  protocol: RoundProtocol;
  count(): number | null;
  judge(): { ok: boolean; state: string; message: string };
}

/** How long stopping may take after the round: a login in flight to an unreachable host is not waited out. */
const STOP_GRACE_MS = 3000;
/** Besides the collectors' change callbacks, the round looks every so often (the pool's are throttled). */
const LOOK_EVERY_MS = 100;

const fromStatus = (status: PollStatus) => ({ ok: status.state === 'ok' || status.state === 'slow', state: status.state, message: status.message });

export async function pollRound(options: PollRoundOptions): Promise<PollRound> {
  const { db, box } = options;
  const budget = Math.max(1, Math.round(options.timeoutMs));
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let finished = false;
  let look = () => {};
  // A collector may call back after the round ended (a login finishing late): by then the store may be closed.
  const changed = () => {
    if (!finished) look();
  };
  const redirects = options.redirects ?? {};

  const pools = new PoolCollector({
    db,
    box,
    onPoolChanged: changed,
    onInventoryChanged: () => {},
    ...(redirects.pool ? { redirect: redirects.pool } : {}),
    watch: { callTimeoutMs: Math.min(30_000, budget) },
  });
  const storage = new StorageCollector({
    db,
    box,
    onChanged: changed,
    onInventoryChanged: () => {},
    ...(redirects.storage ? { redirect: redirects.storage } : {}),
    probeTimeoutMs: Math.min(5000, budget),
  });
  // No spread of first polls: the round wants every answer now (the in-flight cap still holds).
  const snmp = new SnmpCollector({ db, box, onChanged: changed, ...(redirects.snmp ? { redirect: redirects.snmp } : {}), timeoutMs: Math.min(2000, budget), random: () => 0 });

  const results: RoundResult[] = [];
  const report = (result: RoundResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  const stopAll = async () => {
    await Promise.race([
      Promise.all([pools.stop(), storage.stop(), snmp.stop()]),
      new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref()),
    ]);
  };

  let timedOut = false;
  try {
    pools.sync();
    storage.sync();
    snmp.sync();

    const expected: Expected[] = [];
    for (const device of listDevices(db)) {
      const candidates: (Expected & { configured: boolean; idle(): PollStatus })[] = [
        {
          device,
          protocol: 'xenapi',
          configured: device.kind === 'xen-pool' && device.xenapi !== null,
          count: () => pools.resultCount(device.id),
          judge: () => fromStatus(pools.state(device).status),
          idle: () => pools.state(device).status,
        },
        {
          device,
          protocol: 'snmp',
          configured: device.snmp !== null,
          count: () => snmp.resultCount(device.id),
          judge: () => fromStatus(snmp.state(device).status),
          idle: () => snmp.state(device).status,
        },
        {
          device,
          protocol: 'iscsi',
          // Portals need no secret (CHAP without one is probed without and says so): never skipped.
          configured: false,
          count: () => storage.probeResultCount(device.id),
          judge: () => judgeProbes(storage, device),
          idle: () => ({ state: 'idle', message: '', since: '', lastGoodAt: null }),
        },
        {
          device,
          protocol: 'dsm',
          configured: device.kind === 'nas' && device.dsm !== null,
          count: () => storage.nasResultCount(device.id),
          judge: () => fromStatus(storage.nasState(device).status),
          idle: () => storage.nasState(device).status,
        },
      ];
      for (const candidate of candidates) {
        if (candidate.count() !== null) expected.push(candidate);
        else if (candidate.configured) {
          const status = candidate.idle();
          report({ device: device.name, protocol: candidate.protocol, outcome: 'skipped', state: status.state, message: status.message, ms: null });
        }
      }
    }

    const pending = new Set(expected);
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        timedOut = pending.size > 0;
        done();
      }, budget);
      const ticker = setInterval(() => look(), LOOK_EVERY_MS);
      const done = () => {
        clearTimeout(deadline);
        clearInterval(ticker);
        look = () => {};
        resolve();
      };
      look = () => {
        for (const entry of pending) {
          if ((entry.count() ?? 0) < 1) continue;
          pending.delete(entry);
          const { ok, state, message } = entry.judge();
          report({ device: entry.device.name, protocol: entry.protocol, outcome: ok ? 'ok' : 'failed', state, message, ms: elapsed() });
        }
        if (pending.size === 0) done();
      };
      look();
    });
    for (const entry of pending) {
      report({
        device: entry.device.name,
        protocol: entry.protocol,
        outcome: 'timeout',
        state: 'connecting',
        message: `no result within ${(budget / 1000).toFixed(budget < 10_000 ? 1 : 0)} s`,
        ms: elapsed(),
      });
    }
  } finally {
    finished = true;
    await stopAll();
  }
  return { results, timedOut, ms: elapsed() };
}

/** The portals' answers for a device: ok when every portal answered discovery. */
function judgeProbes(storage: StorageCollector, device: Device): { ok: boolean; state: string; message: string } {
  const probes = [...storage.portalProbes(device.id).values()];
  const failed = probes.filter((probe) => !probe.ok);
  const problem = probes.find((probe) => probe.credentialProblem)?.credentialProblem;
  if (probes.length > 0 && failed.length === 0) {
    return { ok: true, state: 'ok', message: `${probes.length} portal probe${probes.length === 1 ? '' : 's'} answered discovery${problem ? ` (${problem})` : ''}` };
  }
  const first = failed[0];
  return {
    ok: false,
    state: first?.failure ?? 'error',
    message: first ? `${failed.length} of ${probes.length} portal probe${probes.length === 1 ? '' : 's'} failed: ${first.message}` : 'no portal was probed',
  };
}
