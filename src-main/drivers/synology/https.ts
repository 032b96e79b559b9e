/**
 * The one HTTP(S) helper under the DSM client: form POSTs to /webapi/<path>, a keep-alive agent, a connect
 * timeout and a per-call timeout, trust on first use of the NAS's certificate (checked on the handshake,
 * before a byte of the request is written, so the password never reaches an impostor), a response size cap
 * enforced while streaming, and errors that name the NAS and the problem but never quote a page that might
 * echo the request (DSM's requests carry the password or the session id).
 *
 * The XenAPI driver has its own helper of the same shape (drivers/xenapi/transports/http.ts); each driver
 * keeps its own so neither depends on the other's protocol quirks (XenServer 6.5's TLSv1.0, streaming XML).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { DsmTransportError, describeDuration, describeSize } from './errors';

export interface DsmHttpOptions {
  /** 'https://nas:5001' or 'http://nas:5000'; a path is kept as a prefix (before /webapi). */
  url: string;
  /** Pinned SHA-256 fingerprint ('AB:CD:…', any case, colons optional); any other certificate is refused. */
  fingerprint?: string | null;
  /** Called with the fingerprint of every certificate seen, once per new TLS connection. */
  onCertificate?: (fingerprint256: string) => void;
  /** Per call, default 30 s. */
  timeoutMs?: number;
  /** Default 64 MiB: a NAS's LUN, target and plan lists are kilobytes. */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
/** A read runs four or five calls in parallel; a small NAS should not see more connections than that. */
const MAX_SOCKETS = 4;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT', 'EADDRNOTAVAIL', 'EPIPE']);

/** 'AB:CD:…' upper case, whatever form the pin was typed in. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.toUpperCase().replace(/[^0-9A-F]/g, '');
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

/** A request the agent gave an idle socket that the NAS had closed just before we wrote: safe to send again. */
class _StaleSocket extends Error {}

export class DsmHttp {
  readonly secure: boolean;
  /** 'host:port', for messages. */
  readonly endpoint: string;
  /** The certificate last accepted (https); null before the first connection and on http. */
  fingerprint: string | null = null;
  /** The pinned certificate: the caller's, or else the first one seen. */
  pin: string | null;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly onCertificate: ((fingerprint256: string) => void) | undefined;
  private readonly agent: http.Agent;
  private readonly handshaken = new WeakSet<Socket>();
  private closed = false;

  constructor(options: DsmHttpOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`"${options.url}" is not a URL; expected https://nas:5001 or http://nas:5000`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`"${url.protocol}" is not http: or https:`);
    if (url.username || url.password) throw new TypeError('the URL must not carry credentials; pass username and password');
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port ? Number(url.port) : this.secure ? 443 : 80;
    this.endpoint = `${url.hostname}:${this.port}`;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pin = options.fingerprint ? normalizeFingerprint(options.fingerprint) : null;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connectTimeoutMs = Math.min(CONNECT_TIMEOUT_MS, this.timeoutMs);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.onCertificate = options.onCertificate;
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets: MAX_SOCKETS,
          // Trust is the fingerprint check below, not a CA: a NAS ships a self-signed certificate.
          rejectUnauthorized: false,
          // A full handshake on every new connection, so every connection shows its certificate.
          maxCachedSessions: 0,
        })
      : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  /** POSTs a form to `${base}/webapi/${cgi}`; resolves with the body of a 200 answer, as text. */
  async postForm(cgi: string, form: string): Promise<string> {
    try {
      return await this.send(cgi, form, true);
    } catch (error) {
      if (!(error instanceof _StaleSocket)) throw error;
      return this.send(cgi, form, false);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.agent.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private send(cgi: string, form: string, mayRetry: boolean): Promise<string> {
    const payload = Buffer.from(form, 'utf8');
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let answered = false;
      let handshakeDone = !this.secure;
      let connectTimer: NodeJS.Timeout | undefined;
      const request = (this.secure ? https : http).request({
        host: this.host,
        port: this.port,
        path: `${this.basePath}/webapi/${cgi}`,
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          'Content-Length': payload.length,
          Accept: 'application/json',
          'User-Agent': 'Labwarden',
        },
      });
      const finish = (error: Error | null, body?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(callTimer);
        clearTimeout(connectTimer);
        if (error) {
          request.destroy();
          reject(error);
        } else {
          resolve(body ?? '');
        }
      };
      const callTimer = setTimeout(
        () => finish(new DsmTransportError('timeout', `no answer from ${this.endpoint} within ${describeDuration(this.timeoutMs)}`)),
        this.timeoutMs,
      );

      request.on('socket', (socket: Socket) => {
        if (settled) return;
        const reused = this.secure ? this.handshaken.has(socket) : !socket.connecting;
        if (!reused) {
          connectTimer = setTimeout(
            () => finish(new DsmTransportError('unreachable', `could not connect to ${this.endpoint} within ${describeDuration(this.connectTimeoutMs)}`)),
            this.connectTimeoutMs,
          );
        }
        if (!this.secure) {
          if (socket.connecting) socket.once('connect', () => clearTimeout(connectTimer));
          else clearTimeout(connectTimer);
          return;
        }
        const tlsSocket = socket as TLSSocket;
        const checkThenSend = (fresh: boolean) => {
          if (settled) return;
          clearTimeout(connectTimer);
          handshakeDone = true;
          this.handshaken.add(socket);
          const presented = tlsSocket.getPeerCertificate()?.fingerprint256;
          if (!presented) {
            finish(new DsmTransportError('tls', `${this.endpoint} presented no certificate`));
            return;
          }
          if (fresh) {
            try {
              this.onCertificate?.(presented);
            } catch {
              // A listener's failure is its own; the connection goes on.
            }
          }
          if (this.pin !== null && normalizeFingerprint(presented) !== this.pin) {
            socket.destroy();
            finish(
              new DsmTransportError('certificate-changed', `the certificate of ${this.endpoint} changed: pinned ${this.pin}, presented ${presented}`, {
                presentedFingerprint: presented,
              }),
            );
            return;
          }
          this.fingerprint = presented;
          // Without a pin from the caller, the first certificate seen holds for the rest of the session.
          this.pin ??= normalizeFingerprint(presented);
          // Only now do headers and body leave: nothing goes to a NAS whose certificate we refused.
          request.end(payload);
        };
        if (reused) checkThenSend(false);
        else tlsSocket.once('secureConnect', () => checkThenSend(true));
      });

      if (!this.secure) request.end(payload);

      request.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        if (mayRetry && !answered && request.reusedSocket && error.code === 'ECONNRESET') {
          finish(new _StaleSocket());
          return;
        }
        finish(this.describeSocketError(error, handshakeDone));
      });

      request.on('response', (response: http.IncomingMessage) => {
        answered = true;
        if (settled) {
          response.destroy();
          return;
        }
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          // Not quoted: DSM's error pages may echo the request, which holds the password or the session id.
          response.resume();
          finish(new DsmTransportError('http', `HTTP ${status} from ${this.endpoint}`, { httpStatus: status }));
          return;
        }
        const tooLarge = () => new DsmTransportError('too-large', `the answer from ${this.endpoint} is larger than ${describeSize(this.maxResponseBytes)}`);
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
          finish(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          // Checked per chunk: a 500 MB answer is dropped at the cap, never held.
          if (received > this.maxResponseBytes) {
            finish(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', () => finish(new DsmTransportError('unreachable', `the answer from ${this.endpoint} was cut off after ${received} bytes`)));
        response.on('close', () => {
          if (!response.complete) finish(new DsmTransportError('unreachable', `the answer from ${this.endpoint} was cut off after ${received} bytes`));
        });
        response.on('end', () => finish(null, Buffer.concat(chunks, received).toString('utf8')));
      });
    });
  }

  private describeSocketError(error: NodeJS.ErrnoException, handshakeDone: boolean): DsmTransportError {
    const code = error.code ?? '';
    if (this.closed) return new DsmTransportError('unreachable', `the connection to ${this.endpoint} was closed by the client`, { cause: error });
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || (!handshakeDone && code === 'ECONNRESET' && this.secure)) {
      return new DsmTransportError('tls', `the TLS handshake with ${this.endpoint} failed: ${error.message}`, { cause: error });
    }
    if (code === 'ECONNREFUSED') return new DsmTransportError('unreachable', `${this.endpoint} refused the connection`, { cause: error });
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DsmTransportError('unreachable', `cannot resolve ${this.host} (${code})`, { cause: error });
    if (code === 'ECONNRESET') return new DsmTransportError('unreachable', `the connection to ${this.endpoint} was reset before an answer came`, { cause: error });
    if (UNREACHABLE_CODES.has(code)) return new DsmTransportError('unreachable', `cannot reach ${this.endpoint} (${code})`, { cause: error });
    return new DsmTransportError('unreachable', `cannot reach ${this.endpoint}: ${error.message}`, { cause: error });
  }
}
