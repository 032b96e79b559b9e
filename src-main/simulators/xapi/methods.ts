/**
 * The XenAPI methods the simulator answers, with xapi's checks in xapi's order: an unknown name is
 * MESSAGE_METHOD_UNKNOWN, a wrong number of parameters MESSAGE_PARAMETER_COUNT_MISMATCH (counting the
 * session), then the session (SESSION_INVALID), then the object (HANDLE_INVALID / UUID_INVALID).
 * Method names are case-sensitive, as on the wire: `PIF.get_record`, not `pif.get_record`.
 *
 * Every served class gets get_all, get_all_records, get_record, get_by_uuid and one get_<field> per field
 * its rows hold (so host.get_API_version_major comes free, and Bond.get_mode exists only where the dump's
 * xapi had it). Secrets such as PBD.device_config's chappassword are returned as a real xapi returns them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { eventFrom, eventInject, type EventHub } from './events';
import { isServedClass, type ServedClass } from './field-types';
import { fieldOf, recordOf } from './records';
import { parseXapiDate } from './time';
import type { Sessions } from './sessions';
import type { XapiStore } from './store';
import { ApiError, WireDateTime, WireDouble, WireInt, type CallResult, type WireCall, type WireStruct, type WireValue } from './wire-value';

export interface MethodContext {
  store: XapiStore;
  sessions: Sessions;
  hub: EventHub;
  users: ReadonlyMap<string, string>;
  /** Set on a simulated pool member: logins answer HOST_IS_SLAVE with this master address. */
  memberOf?: string;
  onLogin(ok: boolean): void;
}

interface Method {
  /** Wire parameter count, session included; [min, max] where xapi accepts optional trailing ones. */
  arity: number | readonly [number, number];
  /** False only for the login calls. */
  needsSession: boolean;
  run(params: WireValue[], signal: AbortSignal): WireValue | null | Promise<WireValue | null>;
}

const describe = (value: WireValue | undefined) => (typeof value === 'string' ? value : String(value ?? ''));

function text(params: WireValue[], index: number, name: string): string {
  const value = params[index];
  if (typeof value !== 'string') throw new ApiError('FIELD_TYPE_ERROR', name);
  return value;
}

function strings(params: WireValue[], index: number, name: string): string[] {
  const value = params[index];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new ApiError('FIELD_TYPE_ERROR', name);
  return value as string[];
}

/** A float parameter: xapi wants <double>, but an int or numeric string is accepted here. */
function float(params: WireValue[], index: number, name: string): number {
  const value = params[index];
  const number =
    value instanceof WireDouble ? value.value : value instanceof WireInt ? Number(value.decimal) : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number) || (typeof value === 'string' && value.trim() === '')) throw new ApiError('FIELD_TYPE_ERROR', name);
  return number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function passwordMatches(expected: string | undefined, given: string): boolean {
  // Compared through fixed-size digests in constant time, so even a simulator leaks nothing by timing.
  return expected !== undefined && timingSafeEqual(digest(expected), digest(given));
}

function classMethods(ctx: MethodContext, cls: ServedClass, name: string): Method | undefined {
  const { store } = ctx;
  const table = () => store.table(cls);
  const row = (ref: string) => {
    const found = store.get(cls, ref);
    if (!found) throw new ApiError('HANDLE_INVALID', cls, ref);
    return found;
  };
  const allRecords = (filter: (fields: ReadonlyMap<string, unknown>) => boolean = () => true) => {
    const result: WireStruct = new Map();
    for (const r of table().rows.values()) if (filter(r.fields)) result.set(r.ref, recordOf(store, cls, r));
    return result;
  };
  switch (name) {
    case 'get_all':
      return { arity: 1, needsSession: true, run: () => [...table().rows.keys()] };
    case 'get_all_records':
      return { arity: 1, needsSession: true, run: () => allRecords() };
    case 'get_record':
      return { arity: 2, needsSession: true, run: (p) => recordOf(store, cls, row(text(p, 1, 'self'))) };
    case 'get_by_uuid':
      return {
        arity: 2,
        needsSession: true,
        run: (p) => {
          const uuid = text(p, 1, 'uuid');
          const found = store.byUuid(cls, uuid);
          if (!found) throw new ApiError('UUID_INVALID', cls, uuid);
          return found.ref;
        },
      };
  }
  if (name === 'get_by_name_label' && cls !== 'pool' && store.knownFields(cls).includes('name_label')) {
    return {
      arity: 2,
      needsSession: true,
      run: (p) => {
        const label = text(p, 1, 'label');
        return [...table().rows.values()].filter((r) => r.fields.get('name_label') === label).map((r) => r.ref);
      },
    };
  }
  if (cls === 'message' && name === 'get_since') {
    return {
      arity: 2,
      needsSession: true,
      run: (p) => {
        const value = p[1];
        const since = value instanceof WireDateTime ? parseXapiDate(value.iso) : typeof value === 'string' ? parseXapiDate(value) : NaN;
        if (Number.isNaN(since)) throw new ApiError('FIELD_TYPE_ERROR', 'since');
        return allRecords((fields) => parseXapiDate(String(fields.get('timestamp') ?? '')) > since);
      },
    };
  }
  if (name.startsWith('get_')) {
    const field = name.slice(4);
    if (!store.knownFields(cls).includes(field)) return undefined;
    return {
      arity: 2,
      needsSession: true,
      run: (p) => {
        const self = text(p, 1, 'self');
        return fieldOf(store, cls, row(self), field);
      },
    };
  }
  return undefined;
}

function findMethod(ctx: MethodContext, method: string): Method | undefined {
  switch (method) {
    case 'session.login_with_password':
      return {
        arity: [2, 4],
        needsSession: false,
        run: (p) => {
          if (ctx.memberOf !== undefined) throw new ApiError('HOST_IS_SLAVE', ctx.memberOf);
          const user = text(p, 0, 'uname');
          const password = text(p, 1, 'pwd');
          if (!passwordMatches(ctx.users.get(user), password)) {
            ctx.onLogin(false);
            throw new ApiError('SESSION_AUTHENTICATION_FAILED', user, 'Authentication failure');
          }
          ctx.onLogin(true);
          return ctx.sessions.create(user);
        },
      };
    case 'session.logout':
      return {
        arity: 1,
        needsSession: true,
        run: (p) => {
          ctx.sessions.logout(p[0] as string);
          return '';
        },
      };
    case 'session.get_this_host':
      return {
        arity: 2,
        needsSession: true,
        run: (p) => {
          const self = text(p, 1, 'self');
          if (!ctx.sessions.get(self)) throw new ApiError('HANDLE_INVALID', 'session', self);
          const pool = ctx.store.table('pool').rows.values().next().value;
          return (pool?.fields.get('master') as string | undefined) ?? 'OpaqueRef:NULL';
        },
      };
    case 'event.from':
      return {
        arity: 4,
        needsSession: true,
        run: (p, signal) => eventFrom(ctx, p[0] as string, strings(p, 1, 'classes'), text(p, 2, 'token'), float(p, 3, 'timeout'), signal),
      };
    case 'event.inject':
      return { arity: 3, needsSession: true, run: (p) => eventInject(ctx.store, text(p, 1, 'class'), text(p, 2, 'ref')) };
  }
  const dot = method.indexOf('.');
  if (dot <= 0) return undefined;
  const cls = method.slice(0, dot);
  return isServedClass(cls) ? classMethods(ctx, cls, method.slice(dot + 1)) : undefined;
}

/** Runs one call. Resolves to null when the server closed while the call was blocked (event.from). */
export async function dispatch(ctx: MethodContext, call: WireCall, signal: AbortSignal): Promise<CallResult | null> {
  const method = findMethod(ctx, call.method);
  if (!method) return { ok: false, error: ['MESSAGE_METHOD_UNKNOWN', call.method] };
  const [min, max] = typeof method.arity === 'number' ? [method.arity, method.arity] : method.arity;
  if (call.params.length < min || call.params.length > max) {
    return { ok: false, error: ['MESSAGE_PARAMETER_COUNT_MISMATCH', call.method, String(max), String(call.params.length)] };
  }
  if (method.needsSession) {
    const session = call.params[0];
    if (typeof session !== 'string' || !ctx.sessions.get(session)) return { ok: false, error: ['SESSION_INVALID', describe(session)] };
  }
  try {
    const value = await method.run(call.params, signal);
    return value === null ? null : { ok: true, value };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.error };
    throw error;
  }
}
