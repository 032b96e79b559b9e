/**
 * The UI's one way to the main process. In the desktop app the sandboxed preload exposes
 * `window.labwarden`; in serve mode the same calls travel over a WebSocket to /api.
 * Both answer with the contract's Envelope; a failure becomes an ApiError.
 */
import type { Args, Results, Envelope, AppEvents, EventName, ApiErrorBody } from '../../src-main/api/contract';
import type { MethodName } from '../../src-main/api/method-names';

interface Bridge {
  call: { [M in MethodName]: (...args: unknown[]) => Promise<Envelope> };
  on(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    labwarden?: Bridge;
  }
}

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }

  /** Messages keyed by field path ('address', 'snmp.v3User', 'luns.0.lun') for the argument at `arg`. */
  fieldErrors(arg = 0): Record<string, string> {
    const out: Record<string, string> = {};
    for (const issue of this.body.issues ?? []) {
      if (issue.arg !== undefined && issue.arg !== arg) continue;
      const key = issue.path.join('.');
      out[key] ??= issue.message;
    }
    return out;
  }
}

export const connection = $state({ status: 'connecting' as 'connecting' | 'open' | 'lost', attempts: 0 });

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

function deliver(event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) listener(payload);
}

/** Serve mode: one socket, requests matched to answers by id, reconnect with backoff. */
class SocketTransport {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (e: Envelope) => void; reject: (e: Error) => void }>();
  private ready: Promise<void> | null = null;

  constructor(private readonly url: string) {}

  private connect(): Promise<void> {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => {
        connection.status = 'open';
        connection.attempts = 0;
        resolve();
      };
      socket.onmessage = (message) => this.receive(String(message.data));
      socket.onclose = () => {
        const wasOpen = connection.status === 'open';
        connection.status = 'lost';
        this.ready = null;
        this.socket = null;
        for (const { reject: fail } of this.pending.values()) fail(new Error('The connection to Labwarden was lost; retrying.'));
        this.pending.clear();
        if (!wasOpen) reject(new Error('Labwarden is not answering; is `labwarden serve` still running?'));
        const delay = Math.min(10_000, 500 * 2 ** connection.attempts++);
        setTimeout(() => void this.connect().then(() => deliver('connection.restored', null)).catch(() => {}), delay);
      };
    });
    return this.ready;
  }

  private receive(text: string): void {
    const frame = JSON.parse(text) as ({ id: number } & Envelope) | { event: string; payload: unknown };
    if ('event' in frame) {
      deliver(frame.event, frame.payload);
      return;
    }
    const waiting = this.pending.get(frame.id);
    if (!waiting) return;
    this.pending.delete(frame.id);
    const { id: _id, ...envelope } = frame;
    waiting.resolve(envelope as Envelope);
  }

  async call(method: string, args: unknown[]): Promise<Envelope> {
    await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket!.send(JSON.stringify({ id, method, args }));
    });
  }
}

const TOKEN_KEY = 'labwarden.token';

/** A server bound beyond loopback prints its URL with #token=…; keep it for this tab and tidy the address bar. */
function takeToken(): string | null {
  const match = /^#token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', `${location.pathname}#/overview`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

let socket: SocketTransport | null = null;

function transport(): (method: string, args: unknown[]) => Promise<Envelope> {
  const bridge = window.labwarden;
  if (bridge) {
    connection.status = 'open';
    return (method, args) => bridge.call[method as MethodName](...args);
  }
  if (!socket) {
    const token = takeToken();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new SocketTransport(`${scheme}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  }
  const s = socket;
  return (method, args) => s.call(method, args);
}

export async function call<M extends MethodName>(method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await transport()(method, args as unknown[]);
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.result as Results[M];
}

/** Subscribes to a main-process event (or 'connection.restored'); returns the unsubscribe. */
export function onEvent<E extends EventName>(event: E | 'connection.restored', callback: (payload: AppEvents[E]) => void): () => void {
  const set = listeners.get(event) ?? new Set();
  listeners.set(event, set);
  set.add(callback as Listener);
  const bridgeOff = window.labwarden?.on(event, callback as Listener);
  return () => {
    set.delete(callback as Listener);
    bridgeOff?.();
  };
}

/** A message for any error a call can throw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failed save as the form shows it: a message per field, and one line for the top of the form. */
export function formFailure(error: unknown, arg: number): { errors: Record<string, string>; formError: string } {
  if (!(error instanceof ApiError)) return { errors: {}, formError: messageOf(error) };
  const errors = error.fieldErrors(arg);
  return { errors, formError: Object.keys(errors).length ? 'Some fields need attention.' : error.message };
}
