/**
 * Plain HTTP and WebSocket clients for the serve-mode tests. Loopback only: every helper connects to
 * 127.0.0.1 and sends the request path exactly as given (no normalisation), like an attacker's client would.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { WebSocket, type RawData } from 'ws';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends `raw` bytes and returns the status line of the answer, or null when the server closes or stays
 * silent for `waitMs` (a bound on the wait, not an assertion about speed).
 */
export function rawHttp(port: number, raw: string, waitMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let done = false;
    const finish = (value: string | null) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(waitMs, () => finish(received ? received.split('\r\n')[0]! : null));
    socket.on('connect', () => socket.write(raw));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) finish(received.split('\r\n')[0]!);
    });
    socket.on('error', () => finish(received ? received.split('\r\n')[0]! : null));
    socket.on('close', () => finish(received ? received.split('\r\n')[0]! : null));
  });
}

export type Frame = Record<string, unknown>;

/** A WebSocket client that queues what it receives, so a test can wait for the next matching frame. */
export class TestClient {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => {
      const frame = JSON.parse(data.toString()) as Frame;
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The next frame (already received or still to come) that `match` accepts. */
  next(match: (f: Frame) => boolean = () => true): Promise<Frame> {
    const index = this.frames.findIndex(match);
    if (index !== -1) return Promise.resolve(this.frames.splice(index, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async call(id: number, method: string, args: unknown[] = []): Promise<Frame> {
    this.socket.send(JSON.stringify({ id, method, args }));
    return this.next((f) => f.id === id);
  }

  close(): void {
    this.socket.terminate();
  }
}

export type WsOutcome = { ok: true; client: TestClient } | { ok: false; status: number };

/** Opens a WebSocket; refused upgrades come back as their HTTP status. */
export function openSocket(url: string, options: { origin?: string; headers?: Record<string, string>; maxPayload?: number } = {}): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { ...options });
    socket.once('open', () => resolve({ ok: true, client: new TestClient(socket) }));
    socket.once('unexpected-response', (req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 });
      req.destroy();
      res.destroy();
    });
    // Kept for the socket's life: a late error (after a refusal or a close) must not go unheard.
    socket.on('error', reject);
  });
}
