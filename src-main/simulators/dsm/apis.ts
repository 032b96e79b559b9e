/**
 * The DSM Web API as the simulator answers it: the API table SYNO.API.Info lists, the checks DSM makes before
 * a call runs (101 no api/method/version, 102 unknown API, 103 unknown method, 104 version out of range,
 * 119 no session, 105 not an administrator), and the calls themselves. Hand-made from the field lists in
 * san.md §3, not recorded from a device.
 */
import { randomBytes } from 'node:crypto';
import type { DsmRecord, DsmValue } from './data';

export interface ApiEntry {
  path: string;
  minVersion: number;
  maxVersion: number;
}

/** DSM 7's layout: everything on entry.cgi but the discovery itself. */
export const DEFAULT_API_TABLE: Readonly<Record<string, ApiEntry>> = {
  'SYNO.API.Info': { path: 'query.cgi', minVersion: 1, maxVersion: 1 },
  'SYNO.API.Auth': { path: 'entry.cgi', minVersion: 1, maxVersion: 7 },
  'SYNO.DSM.Info': { path: 'entry.cgi', minVersion: 1, maxVersion: 2 },
  'SYNO.DSM.Network': { path: 'entry.cgi', minVersion: 1, maxVersion: 2 },
  'SYNO.Core.ISCSI.LUN': { path: 'entry.cgi', minVersion: 1, maxVersion: 1 },
  'SYNO.Core.ISCSI.Target': { path: 'entry.cgi', minVersion: 1, maxVersion: 1 },
  'SYNO.DR.Plan': { path: 'entry.cgi', minVersion: 1, maxVersion: 1 },
};

/** Where else DSM answers an API: discovery on entry.cgi too, login on the older auth.cgi (DSM 6, synology-csi). */
const ALSO_AT: Readonly<Record<string, readonly string[]>> = {
  'SYNO.API.Info': ['query.cgi', 'entry.cgi'],
  'SYNO.API.Auth': ['auth.cgi', 'entry.cgi'],
};

/** The optional fields each list returns only when `additional` asks for them (additional name → field). */
const LUN_ADDITIONAL: Readonly<Record<string, string>> = {
  allocated_size: 'allocated_size',
  status: 'status',
  is_mapped: 'is_mapped',
  flashcache_status: 'flashcache_status',
  is_action_locked: 'is_action_locked',
  snapshot_info: 'snapshots',
};
const TARGET_ADDITIONAL: Readonly<Record<string, string>> = {
  mapped_lun: 'mapped_luns',
  connected_sessions: 'connected_sessions',
  acls: 'acls',
  status: 'status',
};

export type Answer = { ok: true; data: DsmValue | undefined; cookie?: string } | { ok: false; code: number };

const fail = (code: number): Answer => ({ ok: false, code });
const ok = (data?: DsmValue, cookie?: string): Answer => (cookie ? { ok: true, data, cookie } : { ok: true, data });

interface Session {
  user: string;
  /** Set when the session was ended behind the client's back: the code every later call gets. */
  goneCode: number | null;
}

/** At most this many sessions are kept; the oldest go first (a client that never logs out cannot fill memory). */
const MAX_SESSIONS = 1000;

export class Sessions {
  private readonly bySid = new Map<string, Session>();

  open(user: string): string {
    const sid = randomBytes(24).toString('base64url');
    this.bySid.set(sid, { user, goneCode: null });
    while (this.bySid.size > MAX_SESSIONS) this.bySid.delete(this.bySid.keys().next().value!);
    return sid;
  }

  get(sid: string): Session | undefined {
    return this.bySid.get(sid);
  }

  close(sid: string): void {
    this.bySid.delete(sid);
  }

  expireAll(code: number): void {
    for (const session of this.bySid.values()) session.goneCode ??= code;
  }

  get active(): number {
    let count = 0;
    for (const session of this.bySid.values()) if (session.goneCode === null) count += 1;
    return count;
  }
}

export interface Identity {
  model: string;
  hostname: string;
  dsmVersion: string;
  startedAt: number;
}

export interface ApiState {
  table: Map<string, ApiEntry>;
  users: Readonly<Record<string, string>>;
  /** Users allowed the administrator APIs (iSCSI, DR); null: everyone. */
  admins: ReadonlySet<string> | null;
  sessions: Sessions;
  identity: Identity;
  luns: DsmRecord[];
  targets: DsmRecord[];
  plans: DsmRecord[];
  onLogin(success: boolean): void;
  onLogout(): void;
}

export interface Call {
  cgi: string;
  params: URLSearchParams;
  /** The `id` cookie, DSM's other way of carrying the session. */
  cookieSid: string | null;
}

const ADMIN_APIS = new Set(['SYNO.Core.ISCSI.LUN', 'SYNO.Core.ISCSI.Target', 'SYNO.DR.Plan']);

/** The checks before a call: returns the refusal, or null when the call may run. */
export function precheck(state: ApiState, call: Call): Answer | null {
  const api = call.params.get('api');
  const method = call.params.get('method');
  const version = call.params.get('version');
  if (!api || !method || !version) return fail(101);
  const entry = state.table.get(api);
  if (!entry) return fail(102);
  const servedAt = ALSO_AT[api] ?? [entry.path];
  if (call.cgi !== entry.path && !servedAt.includes(call.cgi)) return fail(102);
  const number = /^\d{1,6}$/.test(version) ? Number(version) : NaN;
  if (!(number >= entry.minVersion && number <= entry.maxVersion)) return fail(104);
  if (!HANDLERS[api]?.[method]) return fail(103);
  if (api === 'SYNO.API.Info' || (api === 'SYNO.API.Auth' && method === 'login')) return null;
  const sid = call.params.get('_sid') ?? call.cookieSid;
  const session = sid ? state.sessions.get(sid) : undefined;
  if (api === 'SYNO.API.Auth' && method === 'logout') return null;
  if (!session) return fail(119);
  if (session.goneCode !== null) return fail(session.goneCode);
  if (ADMIN_APIS.has(api) && state.admins !== null && !state.admins.has(session.user)) return fail(105);
  return null;
}

type Handler = (state: ApiState, call: Call) => Answer;

function parseList(value: string | null): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return value.split(',').map((item) => item.trim());
  }
}

/** A copy of `record` without the optional fields that `additional` did not ask for. */
function withAdditional(record: DsmRecord, optional: Readonly<Record<string, string>>, asked: readonly string[]): DsmRecord {
  const copy: DsmRecord = structuredClone(record);
  for (const [name, field] of Object.entries(optional)) if (!asked.includes(name)) delete copy[field];
  return copy;
}

const HANDLERS: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  'SYNO.API.Info': {
    query: (state, call) => {
      const query = call.params.get('query') ?? 'all';
      const wanted = query === 'all' ? null : new Set(query.split(',').map((name) => name.trim()));
      const data: DsmRecord = {};
      for (const [name, entry] of state.table) if (!wanted || wanted.has(name)) data[name] = { ...entry };
      return ok(data);
    },
  },
  'SYNO.API.Auth': {
    login: (state, call) => {
      const account = call.params.get('account') ?? '';
      const password = call.params.get('passwd') ?? '';
      const expected = Object.hasOwn(state.users, account) ? state.users[account] : undefined;
      if (expected === undefined || expected !== password) {
        state.onLogin(false);
        return fail(400);
      }
      state.onLogin(true);
      const sid = state.sessions.open(account);
      const data: DsmRecord = { sid, is_portal_port: false };
      if (call.params.get('enable_syno_token') === 'yes') data.synotoken = randomBytes(8).toString('hex');
      return ok(data, call.params.get('format') === 'cookie' ? sid : undefined);
    },
    logout: (state, call) => {
      const sid = call.params.get('_sid') ?? call.cookieSid;
      if (sid) state.sessions.close(sid);
      state.onLogout();
      return ok();
    },
  },
  'SYNO.DSM.Info': {
    getinfo: (state) =>
      ok({
        model: state.identity.model,
        ram: 2048,
        serial: '1270LWN012345',
        temperature: 38,
        temperature_warn: false,
        time: new Date().toUTCString(),
        uptime: Math.floor(Date.now() / 1000) - state.identity.startedAt + 3 * 86_400,
        version: state.identity.dsmVersion.match(/-(\d+)/)?.[1] ?? '42962',
        version_string: state.identity.dsmVersion,
      }),
  },
  'SYNO.DSM.Network': {
    list: (state) =>
      ok({
        hostname: state.identity.hostname,
        dns: ['10.10.10.1'],
        gateway: '10.10.10.1',
        workgroup: 'WORKGROUP',
        interfaces: [
          { id: 'eth0', ip: [{ address: '10.10.10.30', netmask: '255.255.255.0' }], mac: '00:11:32:4a:5b:6c', type: 'lan' },
          { id: 'eth1', ip: [{ address: '10.10.30.30', netmask: '255.255.255.0' }], mac: '00:11:32:4a:5b:6d', type: 'lan' },
        ],
      }),
  },
  'SYNO.Core.ISCSI.LUN': {
    list: (state, call) => {
      const asked = parseList(call.params.get('additional'));
      const types = parseList(call.params.get('types'));
      const luns = state.luns.filter((lun) => types.length === 0 || typeof lun.type_str !== 'string' || types.includes(lun.type_str));
      return ok({ luns: luns.map((lun) => withAdditional(lun, LUN_ADDITIONAL, asked)) });
    },
  },
  'SYNO.Core.ISCSI.Target': {
    // DSM returns the CHAP user names and secrets in clear here (san.md §3.3); so does the simulator.
    list: (state, call) => {
      const asked = parseList(call.params.get('additional'));
      return ok({ targets: state.targets.map((target) => withAdditional(target, TARGET_ADDITIONAL, asked)) });
    },
  },
  'SYNO.DR.Plan': {
    list: (state, call) => {
      const asked = parseList(call.params.get('additional'));
      const plans = state.plans.map((plan) => {
        const { additional, ...base } = structuredClone(plan);
        if (asked.length === 0 || typeof additional !== 'object' || additional === null || Array.isArray(additional)) return base;
        const chosen: DsmRecord = {};
        for (const name of asked) if (Object.hasOwn(additional, name)) chosen[name] = additional[name]!;
        return { ...base, additional: chosen };
      });
      return ok({ plans, total: plans.length });
    },
  },
};

/** Runs an already checked call. */
export function handle(state: ApiState, call: Call): Answer {
  const handler = HANDLERS[call.params.get('api')!]![call.params.get('method')!]!;
  return handler(state, call);
}
