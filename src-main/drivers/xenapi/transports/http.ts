/**
 * The one HTTP(S) POST helper under both wire protocols. It owns what a XenAPI connection needs beyond a plain
 * request: a keep-alive agent per client, a connect timeout and a per-call timeout, trust on first use of the
 * host's certificate (checked before a single byte of the request is sent, so a password never reaches an
 * impostor), old-host TLS (reference §1.5), a response size cap enforced while streaming, and errors that name
 * the host and the problem.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { StringDecoder } from 'node:string_decoder';
import { XapiTransportError, describeDuration, describeSize } from '../errors';
import type { XapiValue } from '../xml-value';

export interface CallOptions {
  /** Overrides the client's per-call timeout (an event.from call waits longer than its own timeout). */
  timeoutMs?: number;
  /**
   * The request holds a password (the login): an error page is then not quoted, because hosts echo the request
   * in it (xapi's "Xmlrpc.Parse_error(…)"), possibly cut short in the middle of the password where no search
   * for the password would find it.
   */
  carriesSecret?: boolean;
}

/** What each wire protocol implements over this helper. */
export interface Transport {
  readonly name: 'xml-rpc' | 'json-rpc';
  call(method: string, params: XapiValue[], options?: CallOptions): Promise<unknown>;
}

export interface HttpClientOptions {
  /** 'https://host[:port][/prefix]' or 'http://…'. */
  url: string;
  /** Pinned SHA-256 fingerprint ('AB:CD:…', any case, colons optional); any other certificate is refused. */
  fingerprint?: string | null;
  /** Per call, default 30 s. */
  timeoutMs?: number;
  /** TCP connect plus TLS handshake, default the smaller of 10 s and the per-call timeout. */
  connectTimeoutMs?: number;
  /** Default 256 MiB. */
  maxResponseBytes?: number;
  /** Called with the fingerprint of every certificate seen, once per new TLS connection. */
  onCertificate?: (fingerprint256: string) => void;
}

export interface ResponseHead {
  status: number;
  /** The Content-Type header as sent, '' when absent. */
  contentType: string;
}

export interface BodySink {
  /** Receives the body as text, chunk by chunk; a throw aborts the request and becomes the call's error. */
  write(chunk: string): void;
}

export interface PostOptions extends CallOptions {
  /** Sees status and headers before any of the body; a throw aborts the request and becomes the call's error. */
  onHead?: (head: ResponseHead) => void;
  sink: BodySink;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/**
 * Connections per host: one for a waiting event.from, three for calls. A pool load's eleven parallel
 * get_all_records then share them instead of opening (and TLS-handshaking) eleven, which costs the
 * client and, more, a small dom0.
 */
const MAX_SOCKETS = 4;
/** How much of an error page is read to quote from it. */
const ERROR_BODY_BYTES = 4096;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT', 'EADDRNOTAVAIL', 'EPIPE']);

/** 'AB:CD:…' upper case, whatever form the pin was typed in. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.toUpperCase().replace(/[^0-9A-F]/g, '');
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

/** A request the agent gave a socket that had been idle: the host may have closed it just before we wrote. */
class StaleSocket extends Error {}

export class HttpClient {
  readonly secure: boolean;
  /** 'host:port', for messages. */
  readonly endpoint: string;
  /** The scheme, host, port and path prefix, without a trailing slash. */
  readonly baseUrl: string;
  /** The certificate last accepted (https), null before the first connection and on http. */
  fingerprint: string | null = null;
  /** The pinned certificate; the session pins the one it logged in with. */
  pin: string | null;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly onCertificate: ((fingerprint256: string) => void) | undefined;
  private readonly agent: http.Agent;
  /** Sockets whose handshake we have seen complete (and whose certificate was checked then). */
  private readonly handshaken = new WeakSet<Socket>();
  private readonly pending = new Set<(error: XapiTransportError) => void>();
  private closed = false;

  constructor(options: HttpClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`"${options.url}" is not a URL; expected https://host or http://host`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`"${url.protocol}" is not http: or https:`);
    if (url.username || url.password) throw new TypeError('the URL must not carry credentials; pass username and password');
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port ? Number(url.port) : this.secure ? 443 : 80;
    this.endpoint = `${url.hostname}:${this.port}`;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.baseUrl = `${url.protocol}//${url.host}${this.basePath}`;
    this.pin = options.fingerprint ? normalizeFingerprint(options.fingerprint) : null;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? Math.min(DEFAULT_CONNECT_TIMEOUT_MS, this.timeoutMs);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.onCertificate = options.onCertificate;
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets: MAX_SOCKETS,
          // Trust is decided by the fingerprint below, not by a CA: lab hosts have self-signed certificates.
          rejectUnauthorized: false,
          // XenServer 6.5 speaks TLSv1.0 only, and OpenSSL 3 refuses it below security level 0 (reference §1.5).
          minVersion: 'TLSv1',
          ciphers: 'DEFAULT:@SECLEVEL=0',
          // Every new connection does a full handshake, so every connection shows us the certificate.
          maxCachedSessions: 0,
        })
      : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  /** POSTs `body` to basePath + `path`; resolves when the whole response went through `options.sink`. */
  async post(path: string, body: string, contentType: string, options: PostOptions): Promise<void> {
    try {
      return await this.send(path, body, contentType, options, true);
    } catch (error) {
      if (!(error instanceof StaleSocket)) throw error;
      // Node's documented remedy: the host never saw the request, so sending it again is safe.
      return this.send(path, body, contentType, options, false);
    }
  }

  /** Destroys every socket; pending calls fail with 'closed' (this is how a waiting event.from is aborted). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new XapiTransportError('closed', `the connection to ${this.endpoint} was closed by the client`);
    for (const abort of [...this.pending]) abort(error);
    this.agent.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private send(path: string, body: string, contentType: string, options: PostOptions, mayRetry: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new XapiTransportError('closed', `the connection to ${this.endpoint} was closed by the client`));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const payload = Buffer.from(body, 'utf8');
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let answered = false;
      let handshakeDone = !this.secure;
      let connectTimer: NodeJS.Timeout | undefined;
      const request = (this.secure ? https : http).request({
        host: this.host,
        port: this.port,
        path: `${this.basePath}${path}`,
        method: 'POST',
        agent: this.agent,
        headers: { 'Content-Type': contentType, 'Content-Length': payload.length, 'User-Agent': 'Labwarden' },
      });
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(callTimer);
        clearTimeout(connectTimer);
        this.pending.delete(finish);
        if (error) {
          request.destroy();
          reject(error);
        } else {
          resolve();
        }
      };
      this.pending.add(finish);
      const callTimer = setTimeout(
        () => finish(new XapiTransportError('timeout', `no answer from ${this.endpoint} within ${describeDuration(timeoutMs)}`)),
        timeoutMs,
      );

      request.on('socket', (socket: Socket) => {
        if (settled) return;
        const reused = this.secure ? this.handshaken.has(socket) : !socket.connecting;
        if (!reused) {
          connectTimer = setTimeout(
            () => finish(new XapiTransportError('unreachable', `could not connect to ${this.endpoint} within ${describeDuration(this.connectTimeoutMs)}`)),
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
            finish(new XapiTransportError('tls', `${this.endpoint} presented no certificate`));
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
              new XapiTransportError('certificate-changed', `the certificate changed: pinned ${this.pin}, presented ${presented}`, {
                presentedFingerprint: presented,
              }),
            );
            return;
          }
          this.fingerprint = presented;
          // Only now do headers and body leave: nothing goes to a host whose certificate we refused.
          request.end(payload);
        };
        if (reused) checkThenSend(false);
        else tlsSocket.once('secureConnect', () => checkThenSend(true));
      });

      // Plain HTTP has nothing to check first; https sends from checkThenSend.
      if (!this.secure) request.end(payload);

      request.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        if (mayRetry && !answered && request.reusedSocket && error.code === 'ECONNRESET') {
          finish(new StaleSocket());
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
        const contentType = String(response.headers['content-type'] ?? '');
        try {
          options.onHead?.({ status, contentType });
        } catch (error) {
          finish(asTransportError(error));
          return;
        }
        let received = 0;
        const decoder = new StringDecoder('utf8');
        const tooLarge = () =>
          new XapiTransportError('too-large', `the response is larger than ${describeSize(this.maxResponseBytes)}`);
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
          finish(tooLarge());
          return;
        }
        const cutOff = () =>
          finish(new XapiTransportError('closed', `the response from ${this.endpoint} was cut off after ${received} bytes`));
        response.on('error', () => cutOff());
        response.on('close', () => {
          if (!response.complete) cutOff();
        });

        if (status !== 200) {
          let text = '';
          const quote = () => {
            const snippet = (text + decoder.end()).replace(/\s+/g, ' ').trim().slice(0, 200);
            const shown = options.carriesSecret ? ' (the page is not quoted: the request held a password)' : snippet ? `: ${snippet}` : '';
            finish(new XapiTransportError('http', `HTTP ${status} from ${this.endpoint}${shown}`, { httpStatus: status }));
          };
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            text += decoder.write(chunk);
            if (received >= ERROR_BODY_BYTES) quote();
          });
          response.on('end', quote);
          return;
        }

        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          // Checked per chunk, before the chunk is decoded: a 500 MB answer is dropped at the cap, never held.
          if (received > this.maxResponseBytes) {
            finish(tooLarge());
            return;
          }
          try {
            const text = decoder.write(chunk);
            if (text) options.sink.write(text);
          } catch (error) {
            finish(asTransportError(error));
          }
        });
        response.on('end', () => {
          if (settled) return;
          try {
            const rest = decoder.end();
            if (rest) options.sink.write(rest);
          } catch (error) {
            finish(asTransportError(error));
            return;
          }
          finish();
        });
      });
    });
  }

  private describeSocketError(error: NodeJS.ErrnoException, handshakeDone: boolean): XapiTransportError {
    const code = error.code ?? '';
    if (this.closed) return new XapiTransportError('closed', `the connection to ${this.endpoint} was closed by the client`, { cause: error });
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || (!handshakeDone && code === 'ECONNRESET' && this.secure)) {
      return new XapiTransportError('tls', `the TLS handshake with ${this.endpoint} failed: ${error.message}`, { cause: error });
    }
    if (code === 'ECONNREFUSED') return new XapiTransportError('unreachable', `${this.endpoint} refused the connection`, { cause: error });
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new XapiTransportError('unreachable', `cannot resolve ${this.host} (${code})`, { cause: error });
    if (code === 'ECONNRESET') return new XapiTransportError('unreachable', `the connection to ${this.endpoint} was reset before an answer came`, { cause: error });
    if (UNREACHABLE_CODES.has(code)) return new XapiTransportError('unreachable', `cannot reach ${this.endpoint} (${code})`, { cause: error });
    return new XapiTransportError('unreachable', `cannot reach ${this.endpoint}: ${error.message}`, { cause: error });
  }
}

function asTransportError(error: unknown): XapiTransportError {
  if (error instanceof XapiTransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new XapiTransportError('malformed', `malformed response: ${message}`, { cause: error });
}
