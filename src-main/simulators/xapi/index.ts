/**
 * A stand-in for a XenServer pool master (or member): it loads a real xapi database dump and answers
 * XenAPI over XML-RPC and JSON-RPC as xapi does on the wire, with event.from, sessions, and a scripting
 * side for tests and the demo lab (links going down, paths failing, events lost, broken responses).
 *
 *   const sim = await startXapiSimulator({ dump: readFileSync('cowley1.xml', 'utf8') });
 *   // POST XML-RPC to sim.url, JSON-RPC to `${sim.url}/jsonrpc`
 *   sim.setCarrier('xen3', 'eth1', false);
 *   await sim.close();
 */
import { EventHub, formatToken } from './events';
import { SERVED_CLASSES, isServedClass, type ServedClass } from './field-types';
import type { FaultSpec } from './faults';
import type { MethodContext } from './methods';
import { addMessage, findHost, findPif, findSr, setCarrier, setPaths, type MessageInput } from './script';
import { startServer } from './server';
import { Sessions } from './sessions';
import { XapiStore, type DbValue, type FieldInput } from './store';

export interface XapiSimulatorOptions {
  /** The xapi database dump, as XML text. */
  dump: string;
  /** Accepted logins (default `{ root: 'xenroot' }`). */
  users?: Readonly<Record<string, string>>;
  /** Act as a pool member: every login answers HOST_IS_SLAVE with this master address. */
  memberOf?: string;
  /** Serve /jsonrpc (default true). False emulates a host older than the JSON-RPC handler. */
  jsonRpc?: boolean;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

/** A field as scripts read it: text for scalars, a list for a set, an object for a map. */
export type SimValue = string | string[] | Record<string, string>;

export interface SimRecord {
  ref: string;
  fields: Record<string, SimValue>;
}

export interface SimStats {
  /** HTTP requests received, whatever their fate. */
  requests: number;
  /** Of those, the ones the JSON-RPC handler took (POST /jsonrpc with `jsonRpc` on). */
  jsonRpcRequests: number;
  logins: number;
  failedLogins: number;
  /** Calls that reached the API, per method name as sent. */
  calls: Record<string, number>;
  /** Sessions open now. */
  sessions: number;
  /** event.from calls blocked now. */
  waitingEventCalls: number;
}

export interface XapiSimulator {
  /** `http://127.0.0.1:PORT` (https with `tls`); JSON-RPC is at `${url}/jsonrpc`. */
  readonly url: string;
  readonly port: number;
  /** The classes served, as spelled in method names. */
  readonly classes: readonly ServedClass[];
  records(cls: ServedClass): SimRecord[];
  get(cls: ServedClass, ref: string): Record<string, SimValue> | undefined;
  findHost(nameLabel: string): string | undefined;
  findPif(hostNameLabel: string, device: string, vlan?: number): string | undefined;
  findSr(uuidOrName: string): string | undefined;
  /** Changes fields of a row: one new generation, a `mod` event (and `mod`s of rows whose reverse sets change). */
  update(cls: ServedClass, ref: string, fields: Readonly<Record<string, FieldInput>>): void;
  /** Adds a row (an `add` event); returns its ref. For 'message', use addMessage. */
  add(cls: ServedClass, fields: Readonly<Record<string, FieldInput>>, ref?: string): string;
  /** Removes a row (a `del` event). */
  remove(cls: ServedClass, ref: string): void;
  addMessage(message: MessageInput): string;
  setCarrier(hostNameLabel: string, device: string, up: boolean): void;
  setPaths(srUuidOrName: string, hostNameLabel: string, active: number, total?: number): void;
  /** The next event.from of every open session answers EVENTS_LOST. */
  loseEvents(): void;
  /**
   * The next event.from of every open session refuses its token (EVENT_FROM_TOKEN_PARSE_FAILURE), as a
   * token from before a master restart or failover can be: a client must start over from a full read.
   */
  rejectTokens(): void;
  /** Every open session becomes invalid (SESSION_INVALID), as after a host restart. */
  invalidateSessions(): void;
  /** Makes the next response(s) misbehave; see FaultSpec. */
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  stats(): SimStats;
  /** The event.from token for "now". */
  token(): string;
  close(): Promise<void>;
}

function simValue(value: DbValue): SimValue {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return Object.fromEntries(value);
  return [...(value as readonly string[])];
}

function checkClass(cls: string): ServedClass {
  if (!isServedClass(cls)) throw new Error(`${cls} is not a class the simulator serves (${SERVED_CLASSES.join(', ')})`);
  return cls;
}

export async function startXapiSimulator(options: XapiSimulatorOptions): Promise<XapiSimulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port ${port} is not a TCP port`);
  const store = XapiStore.fromXml(options.dump);
  const hub = new EventHub();
  const sessions = new Sessions(() => hub.wake());
  store.subscribe(() => hub.wake());
  const ctx: MethodContext = {
    store,
    sessions,
    hub,
    users: new Map(Object.entries(options.users ?? { root: 'xenroot' })),
    ...(options.memberOf !== undefined ? { memberOf: options.memberOf } : {}),
    onLogin: () => {},
  };
  const server = await startServer(ctx, {
    host: options.host ?? '127.0.0.1',
    port,
    jsonRpc: options.jsonRpc ?? true,
    ...(options.tls ? { tls: options.tls } : {}),
  });

  const refOf = (row: { ref: string } | undefined) => row?.ref;
  return {
    url: server.url,
    port: server.port,
    classes: SERVED_CLASSES,
    records: (cls) =>
      [...store.table(checkClass(cls)).rows.values()].map((row) => ({
        ref: row.ref,
        fields: Object.fromEntries([...row.fields].map(([name, value]) => [name, simValue(value)])),
      })),
    get: (cls, ref) => {
      const row = store.get(checkClass(cls), ref);
      return row && Object.fromEntries([...row.fields].map(([name, value]) => [name, simValue(value)]));
    },
    findHost: (nameLabel) => refOf(findHost(store, nameLabel)),
    findPif: (hostNameLabel, device, vlan = -1) => refOf(findPif(store, hostNameLabel, device, vlan)),
    findSr: (uuidOrName) => refOf(findSr(store, uuidOrName)),
    update: (cls, ref, fields) => store.update(checkClass(cls), ref, fields),
    add: (cls, fields, ref) => store.add(checkClass(cls), fields, ref),
    remove: (cls, ref) => store.remove(checkClass(cls), ref),
    addMessage: (message) => addMessage(store, message),
    setCarrier: (hostNameLabel, device, up) => setCarrier(store, hostNameLabel, device, up),
    setPaths: (srUuidOrName, hostNameLabel, active, total) => setPaths(store, srUuidOrName, hostNameLabel, active, total),
    loseEvents: () => sessions.loseEvents(),
    rejectTokens: () => sessions.rejectTokens(),
    invalidateSessions: () => sessions.invalidateAll(),
    fault: (spec) => server.faults.add(spec),
    clearFaults: () => server.faults.clear(),
    stats: () => ({
      requests: server.stats.requests,
      jsonRpcRequests: server.stats.jsonRpcRequests,
      logins: server.stats.logins,
      failedLogins: server.stats.failedLogins,
      calls: Object.fromEntries(server.stats.calls),
      sessions: sessions.count,
      waitingEventCalls: hub.waiting,
    }),
    token: () => formatToken(store.generation, store.messageGeneration),
    close: () => server.close(),
  };
}

export { readDump, DumpError, DUMP_LIMITS, type RawDump, type DumpRow } from './dump';
export { parseSExpr, writeSExpr, SExprError, type SExpr } from './sexpr';
export { parseXmlRpcCall, XmlRpcParseError } from './wire-xml';
export { parseJsonRpcCall, JsonRpcParseError } from './wire-json';
export { SERVED_CLASSES, type ServedClass, type FieldType } from './field-types';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './faults';
export type { FieldInput } from './store';
export type { MessageInput } from './script';
