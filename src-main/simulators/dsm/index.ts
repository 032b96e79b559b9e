/**
 * A stand-in for a Synology NAS's DSM Web API, for the client's tests and the demo lab's "syno-dr".
 * Hand-made from the field lists in san.md §3, not recorded from a device: API discovery (SYNO.API.Info),
 * login and logout (SYNO.API.Auth, sid), the iSCSI LUN and target lists (CHAP secrets in clear, as DSM sends
 * them), Snapshot Replication plans (SYNO.DR.Plan, only when the package is "installed"), SYNO.DSM.Info and
 * SYNO.DSM.Network; DSM's errors on HTTP 200; and a scripting side for sessions that expire, plans that change,
 * refusals and broken answers.
 *
 *   const nas = await startDsmSimulator({ tls: { key, cert } });
 *   // POST forms to `${nas.url}/webapi/query.cgi`, then entry.cgi
 *   nas.expireSessions();
 *   await nas.close();
 */
import { DEFAULT_API_TABLE, Sessions, type ApiEntry } from './apis';
import { defaultLuns, defaultPlans, defaultTargets, type DsmRecord, type DsmValue } from './data';
import { DSM_FAULT_KINDS, ScriptQueue, type DsmFaultKind, type DsmFaultOptions, type DsmRefusal, type ScheduledFault } from './faults';
import { startServer, type LoggedCall, type ServerState } from './server';

export { DEFAULT_API_TABLE, type ApiEntry } from './apis';
export { DEMO_CHAP, DEMO_PLAN_ID, DEMO_TARGET_IQN, defaultLuns, defaultPlans, defaultTargets, type DsmRecord, type DsmValue } from './data';
export { DSM_FAULT_KINDS, type DsmFaultKind, type DsmFaultOptions, type DsmRefusal } from './faults';
export type { LoggedCall } from './server';

export interface DsmSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM), as DSM does on 5001. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Accepted logins (default `{ monitor: 'dsm-password' }`). */
  users?: Readonly<Record<string, string>>;
  /** Users in the administrators group (default: every user). Others get 105 from the iSCSI and DR APIs. */
  admins?: readonly string[];
  /** Default "RS2212RP+". */
  model?: string;
  /** Default "syno-dr". */
  hostname?: string;
  /** Default "DSM 7.1.1-42962 Update 6". */
  dsmVersion?: string;
  /** LUN records in DSM's shape (default: one 1 TiB "xen-dr" on /volume1). */
  luns?: DsmRecord[];
  /** Target records in DSM's shape, CHAP secrets and all (default: Target-1, max_sessions 1). */
  targets?: DsmRecord[];
  /** SYNO.DR.Plan records in DSM's shape (default: DR site for "vm-backups", last good sync 30 h ago). */
  plans?: DsmRecord[];
  /** Snapshot Replication installed (default true); false leaves SYNO.DR.Plan out of API.Info. */
  drInstalled?: boolean;
  /** Changes to the API table: a new path or version range per API, or null to leave an API out. */
  apis?: Readonly<Record<string, Partial<ApiEntry> | null>>;
  /** The clock the default plan's times are built from (default: the real one). */
  now?: () => Date;
}

export interface DsmSimStats {
  /** HTTP requests received, whatever their fate. */
  requests: number;
  logins: number;
  failedLogins: number;
  logouts: number;
  /** Sessions open now (expired ones not counted). */
  sessions: number;
  /** Calls that passed DSM's checks, per "API method". */
  calls: Record<string, number>;
  /** The most recent requests (up to 500), oldest first. */
  log: LoggedCall[];
}

export interface DsmSimulator {
  /** `https://127.0.0.1:PORT` (http without `tls`); the API is under `${url}/webapi/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Ends every open session behind the clients' backs: their next call answers `code` (default 106, timeout). */
  expireSessions(code?: 106 | 107 | 119): void;
  /** Changes a plan's record: objects are merged deeply, anything else (lists too) replaced. */
  setPlan(planId: string, patch: Readonly<Record<string, DsmValue>>): void;
  /** Changes a target's record (by IQN) the same way. */
  setTarget(iqn: string, patch: Readonly<Record<string, DsmValue>>): void;
  /** Changes a LUN's record (by UUID) the same way. */
  setLun(uuid: string, patch: Readonly<Record<string, DsmValue>>): void;
  /** The next answers (see `options.count`, `options.api`) come back broken. */
  fault(kind: DsmFaultKind, options?: DsmFaultOptions): void;
  /** An API (or one method) answers DSM error `code` (`count` times, or until cleared); null clears it. */
  refuse(api: string, code: number | null, options?: { method?: string; count?: number }): void;
  clearFaults(): void;
  stats(): DsmSimStats;
}

const isObject = (value: DsmValue | undefined): value is { [key: string]: DsmValue } => typeof value === 'object' && value !== null && !Array.isArray(value);

function mergeInto(target: DsmRecord, patch: Readonly<Record<string, DsmValue>>): void {
  for (const [key, value] of Object.entries(patch)) {
    // The key is data: no prototype of the record changes, whatever it is called.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = target[key];
    if (isObject(current) && isObject(value)) mergeInto(current, value);
    else target[key] = structuredClone(value);
  }
}

export async function startDsmSimulator(options: DsmSimulatorOptions = {}): Promise<DsmSimulator> {
  const now = options.now ?? (() => new Date());
  const startedAt = Math.floor(now().getTime() / 1000);
  const table = new Map<string, ApiEntry>(Object.entries(DEFAULT_API_TABLE).map(([name, entry]) => [name, { ...entry }]));
  if (options.drInstalled === false) table.delete('SYNO.DR.Plan');
  for (const [name, change] of Object.entries(options.apis ?? {})) {
    if (change === null) table.delete(name);
    else table.set(name, { path: 'entry.cgi', minVersion: 1, maxVersion: 1, ...table.get(name), ...change });
  }
  const stats = { logins: 0, failedLogins: 0, logouts: 0 };
  const state: ServerState = {
    table,
    users: { ...(options.users ?? { monitor: 'dsm-password' }) },
    admins: options.admins ? new Set(options.admins) : null,
    sessions: new Sessions(),
    identity: {
      model: options.model ?? 'RS2212RP+',
      hostname: options.hostname ?? 'syno-dr',
      dsmVersion: options.dsmVersion ?? 'DSM 7.1.1-42962 Update 6',
      startedAt,
    },
    luns: structuredClone(options.luns ?? defaultLuns()),
    targets: structuredClone(options.targets ?? defaultTargets()),
    plans: structuredClone(options.plans ?? defaultPlans(startedAt)),
    onLogin: (success) => (success ? (stats.logins += 1) : (stats.failedLogins += 1)),
    onLogout: () => (stats.logouts += 1),
    faults: new ScriptQueue<ScheduledFault>(),
    refusals: new ScriptQueue<DsmRefusal>(),
    counters: { requests: 0, calls: {} },
    log: [],
  };
  const host = options.host ?? '127.0.0.1';
  const running = await startServer(state, { host, port: options.port ?? 0, ...(options.tls ? { tls: options.tls } : {}) });
  const shownHost = host.includes(':') ? `[${host}]` : host;

  const patchRecord = (list: DsmRecord[], field: string, key: string, patch: Readonly<Record<string, DsmValue>>, what: string) => {
    const record = list.find((item) => item[field] === key);
    if (!record) throw new Error(`no ${what} ${key}`);
    mergeInto(record, patch);
  };

  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${running.port}`,
    port: running.port,
    close: () => running.close(),
    expireSessions: (code = 106) => state.sessions.expireAll(code),
    setPlan: (planId, patch) => patchRecord(state.plans, 'plan_id', planId, patch, 'replication plan'),
    setTarget: (iqn, patch) => patchRecord(state.targets, 'iqn', iqn, patch, 'target'),
    setLun: (uuid, patch) => patchRecord(state.luns, 'uuid', uuid, patch, 'LUN'),
    fault: (kind, faultOptions = {}) => {
      if (!DSM_FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind ${String(kind)}`);
      state.faults.add({ ...faultOptions, kind }, faultOptions.count ?? 1);
    },
    refuse: (api, code, refuseOptions = {}) => {
      if (code === null) {
        state.refusals.remove((r) => r.api === api && (refuseOptions.method === undefined || r.method === refuseOptions.method));
        return;
      }
      if (!Number.isSafeInteger(code)) throw new Error('a DSM error code is an integer');
      state.refusals.add({ api, code, ...(refuseOptions.method ? { method: refuseOptions.method } : {}) }, refuseOptions.count ?? Infinity);
    },
    clearFaults: () => {
      state.faults.clear();
      state.refusals.clear();
    },
    stats: () => ({ requests: state.counters.requests, ...stats, sessions: state.sessions.active, calls: { ...state.counters.calls }, log: state.log.map((entry) => ({ ...entry })) }),
  };
}
