/**
 * The HTTP(S) POST mechanism under the XenAPI and DSM clients (drivers/xenapi/transports/http.ts and
 * drivers/synology/https.ts are thin wrappers over it). It owns what a device connection needs beyond a plain
 * request: a keep-alive agent per client, a connect timeout and a per-call timeout, trust on first use of the
 * device's certificate (checked on the handshake, before a single byte of the request is written, so a password
 * never reaches an impostor), a response size cap enforced while streaming, a one-time resend when a reused
 * keep-alive socket turns out dead, and errors that name the device and the problem.
 *
 * What differs between the drivers is a `PinnedHttpDialect`: the driver's own error class (same kinds and
 * messages as each driver always had), whether an error page is quoted, old-host TLS, and the defaults.
 * Imports only Node built-ins: a driver's protocol quirks stay in the driver.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { StringDecoder } from 'node:string_decoder';
import { normalizeFingerprint } from '../../domain/checks/addresses';

/** The failures this mechanism reports itself; a dialect adds the kind it uses for "closed" (`K`). */
export type PinnedHttpKind = 'unreachable' | 'timeout' | 'tls' | 'certificate-changed' | 'http' | 'too-large';

export interface PinnedHttpErrorExtras {
  cause?: unknown;
  httpStatus?: number;
  presentedFingerprint?: string;
}

/** Builds the driver's own transport error (XapiTransportError, DsmTransportError). */
export type PinnedHttpErrorFactory<K extends string> = (kind: PinnedHttpKind | K, message: string, extras?: PinnedHttpErrorExtras) => Error;

export interface PinnedHttpDialect<K extends string> {
  createError: PinnedHttpErrorFactory<K>;
  /** The kind of a call cut short by `close()` or by a body that stopped mid-way. */
  closedKind: K;
  /** A throw from `onHead` or from a body reader, as the driver's error. */
  adoptError?: (error: unknown) => Error;
  /** Quoted in the TypeError for a bad URL: 'https://host or http://host'. */
  urlHint: string;
  /** Sent after Content-Type and Content-Length (before User-Agent). */
  extraHeaders?: Readonly<Record<string, string>>;
  /** Accept TLSv1.0 and security level 0 (XenServer 6.5). */
  legacyTls: boolean;
  /** Without a pin from the caller, the first certificate seen becomes the pin (else the caller pins). */
  pinFirstCertificate: boolean;
  /** 'quote': read up to 4 KiB of an error page and quote 200 characters of it; 'skip': never read it. */
  errorPages: 'quote' | 'skip';
  /** `close()` fails pending calls at once and refuses new ones (else pending calls fail as their sockets die). */
  failPendingOnClose: boolean;
  maxSockets: number;
  /** Used where the options leave a value out; the connect timeout is then also at most the per-call one. */
  defaults: { timeoutMs: number; connectTimeoutMs: number; maxResponseBytes: number };
  messages: {
    certificateChanged(endpoint: string, pinned: string, presented: string): string;
    tooLarge(endpoint: string, cap: string): string;
    cutOff(endpoint: string, received: number): string;
  };
  describeDuration(ms: number): string;
  describeSize(bytes: number): string;
}

export interface PinnedHttpOptions {
  /** 'https://host[:port][/prefix]' or 'http://…'. */
  url: string;
  /** Pinned SHA-256 fingerprint ('AB:CD:…', any case, colons optional); any other certificate is refused. */
  fingerprint?: string | null | undefined;
  /** Called with the fingerprint of every certificate seen, once per new TLS connection. */
  onCertificate?: ((fingerprint256: string) => void) | undefined;
  /** Per call. */
  timeoutMs?: number | undefined;
  /** TCP connect plus TLS handshake, default the smaller of the dialect's and the per-call timeout. */
  connectTimeoutMs?: number | undefined;
  maxResponseBytes?: number | undefined;
}

export interface PinnedResponseHead {
  status: number;
  /** The Content-Type header as sent, '' when absent. */
  contentType: string;
}

/** Takes a 200 answer's body chunk by chunk; a throw aborts the request and becomes the call's error. */
export interface BodyReader<T> {
  write(chunk: Buffer): void;
  end(): T;
}

export interface ExchangeOptions<T> {
  contentType: string;
  /** Overrides the client's per-call timeout. */
  timeoutMs?: number | undefined;
  /** With errorPages 'quote': the request held a password, so the page is not quoted (hosts echo the request). */
  carriesSecret?: boolean | undefined;
  /** Sees status and headers before any of the body; a throw aborts the request and becomes the call's error. */
  onHead?: ((head: PinnedResponseHead) => void) | undefined;
  /** A fresh reader per response (a resent request gets a new one). */
  reader: () => BodyReader<T>;
}

/** How much of an error page is read to quote from it. */
const ERROR_BODY_BYTES = 4096;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT', 'EADDRNOTAVAIL', 'EPIPE']);

/**
 * 'AB:CD:…' upper case, whatever form the pin was typed in; a pin that is not a SHA-256 fingerprint is the
 * caller's mistake, said as such, rather than a "certificate changed" on every connection.
 */
function pinOf(fingerprint: string): string {
  const pin = normalizeFingerprint(fingerprint);
  if (pin === null) throw new TypeError(`"${fingerprint.slice(0, 100)}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`);
  return pin;
}

/** A request the agent gave a socket that had been idle: the host may have closed it just before we wrote. */
class StaleSocket extends Error {}

/** A text decoder for a body read as a stream of strings (a throw from `sink` aborts the request). */
export function streamingTextReader(sink: (text: string) => void): BodyReader<void> {
  const decoder = new StringDecoder('utf8');
  return {
    write(chunk) {
      const text = decoder.write(chunk);
      if (text) sink(text);
    },
    end() {
      const rest = decoder.end();
      if (rest) sink(rest);
    },
  };
}

/** A reader that keeps the whole body and gives it as one string. */
export function collectedTextReader(): BodyReader<string> {
  const chunks: Buffer[] = [];
  return {
    write: (chunk) => void chunks.push(chunk),
    end: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export class PinnedHttp<K extends string> {
  readonly secure: boolean;
  /** 'host:port', for messages. */
  readonly endpoint: string;
  /** The scheme, host, port and path prefix, without a trailing slash. */
  readonly baseUrl: string;
  /** The certificate last accepted (https), null before the first connection and on http. */
  fingerprint: string | null = null;
  /** The pinned certificate. */
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
  private readonly pending = new Set<(error: Error) => void>();
  private closed = false;

  constructor(
    options: PinnedHttpOptions,
    private readonly dialect: PinnedHttpDialect<K>,
  ) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`"${options.url}" is not a URL; expected ${dialect.urlHint}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`"${url.protocol}" is not http: or https:`);
    if (url.username || url.password) throw new TypeError('the URL must not carry credentials; pass username and password');
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port ? Number(url.port) : this.secure ? 443 : 80;
    this.endpoint = `${url.hostname}:${this.port}`;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.baseUrl = `${url.protocol}//${url.host}${this.basePath}`;
    this.pin = options.fingerprint ? pinOf(options.fingerprint) : null;
    this.timeoutMs = options.timeoutMs ?? dialect.defaults.timeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? Math.min(dialect.defaults.connectTimeoutMs, this.timeoutMs);
    this.maxResponseBytes = options.maxResponseBytes ?? dialect.defaults.maxResponseBytes;
    this.onCertificate = options.onCertificate;
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets: dialect.maxSockets,
          // Trust is decided by the fingerprint below, not by a CA: lab hosts and NASes have self-signed certificates.
          rejectUnauthorized: false,
          // XenServer 6.5 speaks TLSv1.0 only, and OpenSSL 3 refuses it below security level 0 (reference §1.5).
          ...(dialect.legacyTls ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
          // Every new connection does a full handshake, so every connection shows us the certificate.
          maxCachedSessions: 0,
        })
      : new http.Agent({ keepAlive: true, maxSockets: dialect.maxSockets });
  }

  /** Destroys every socket (and, per dialect, fails pending calls at once: how a waiting event.from is aborted). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The error (and its stack) is made only when a call is waiting: most closes end an idle client.
    if (this.dialect.failPendingOnClose && this.pending.size > 0) {
      const error = this.closedError();
      for (const abort of [...this.pending]) abort(error);
    }
    this.agent.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** POSTs `body` to basePath + `path`; resolves with what the reader made of a 200 answer. */
  protected async exchange<T>(path: string, body: string, options: ExchangeOptions<T>): Promise<T> {
    try {
      return await this.send(path, body, options, true);
    } catch (error) {
      if (!(error instanceof StaleSocket)) throw error;
      // Node's documented remedy: the host never saw the request, so sending it again is safe.
      return this.send(path, body, options, false);
    }
  }

  private closedError(cause?: unknown): Error {
    return this.dialect.createError(
      this.dialect.closedKind,
      `the connection to ${this.endpoint} was closed by the client`,
      cause === undefined ? undefined : { cause },
    );
  }

  private adopt(error: unknown): Error {
    if (this.dialect.adoptError) return this.dialect.adoptError(error);
    return error instanceof Error ? error : new Error(String(error));
  }

  private send<T>(path: string, body: string, options: ExchangeOptions<T>, mayRetry: boolean): Promise<T> {
    const { createError, describeDuration, describeSize, messages } = this.dialect;
    if (this.closed && this.dialect.failPendingOnClose) return Promise.reject(this.closedError());
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const payload = Buffer.from(body, 'utf8');
    return new Promise<T>((resolve, reject) => {
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
        headers: { 'Content-Type': options.contentType, 'Content-Length': payload.length, ...this.dialect.extraHeaders, 'User-Agent': 'Labwarden' },
      });
      const finish = (error: Error | null, result?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(callTimer);
        clearTimeout(connectTimer);
        this.pending.delete(finish);
        if (error) {
          request.destroy();
          reject(error);
        } else {
          resolve(result as T);
        }
      };
      this.pending.add(finish);
      const callTimer = setTimeout(
        () => finish(createError('timeout', `no answer from ${this.endpoint} within ${describeDuration(timeoutMs)}`)),
        timeoutMs,
      );

      request.on('socket', (socket: Socket) => {
        if (settled) return;
        const reused = this.secure ? this.handshaken.has(socket) : !socket.connecting;
        if (!reused) {
          connectTimer = setTimeout(
            () => finish(createError('unreachable', `could not connect to ${this.endpoint} within ${describeDuration(this.connectTimeoutMs)}`)),
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
            finish(createError('tls', `${this.endpoint} presented no certificate`));
            return;
          }
          if (fresh) {
            try {
              this.onCertificate?.(presented);
            } catch {
              // A listener's failure is its own; the connection goes on.
            }
          }
          if (this.pin !== null && (normalizeFingerprint(presented) ?? presented) !== this.pin) {
            socket.destroy();
            finish(createError('certificate-changed', messages.certificateChanged(this.endpoint, this.pin, presented), { presentedFingerprint: presented }));
            return;
          }
          this.fingerprint = presented;
          // Without a pin from the caller, the first certificate seen holds for the rest of the session.
          if (this.dialect.pinFirstCertificate) this.pin ??= normalizeFingerprint(presented) ?? presented;
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
          finish(this.adopt(error));
          return;
        }
        if (status !== 200 && this.dialect.errorPages === 'skip') {
          // Not quoted: the page may echo the request, which holds the password or the session id.
          response.resume();
          finish(createError('http', `HTTP ${status} from ${this.endpoint}`, { httpStatus: status }));
          return;
        }
        let received = 0;
        const tooLarge = () => createError('too-large', messages.tooLarge(this.endpoint, describeSize(this.maxResponseBytes)));
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
          finish(tooLarge());
          return;
        }
        const cutOff = () => finish(createError(this.dialect.closedKind, messages.cutOff(this.endpoint, received)));
        response.on('error', () => cutOff());
        response.on('close', () => {
          if (!response.complete) cutOff();
        });

        if (status !== 200) {
          const decoder = new StringDecoder('utf8');
          let text = '';
          const quote = () => {
            const snippet = (text + decoder.end()).replace(/\s+/g, ' ').trim().slice(0, 200);
            const shown = options.carriesSecret ? ' (the page is not quoted: the request held a password)' : snippet ? `: ${snippet}` : '';
            finish(createError('http', `HTTP ${status} from ${this.endpoint}${shown}`, { httpStatus: status }));
          };
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            text += decoder.write(chunk);
            if (received >= ERROR_BODY_BYTES) quote();
          });
          response.on('end', quote);
          return;
        }

        const reader = options.reader();
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          // Checked per chunk, before the chunk is decoded: a 500 MB answer is dropped at the cap, never held.
          if (received > this.maxResponseBytes) {
            finish(tooLarge());
            return;
          }
          try {
            reader.write(chunk);
          } catch (error) {
            finish(this.adopt(error));
          }
        });
        response.on('end', () => {
          if (settled) return;
          let result: T;
          try {
            result = reader.end();
          } catch (error) {
            finish(this.adopt(error));
            return;
          }
          finish(null, result);
        });
      });
    });
  }

  private describeSocketError(error: NodeJS.ErrnoException, handshakeDone: boolean): Error {
    const { createError } = this.dialect;
    const code = error.code ?? '';
    if (this.closed) return this.closedError(error);
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || (!handshakeDone && code === 'ECONNRESET' && this.secure)) {
      return createError('tls', `the TLS handshake with ${this.endpoint} failed: ${error.message}`, { cause: error });
    }
    if (code === 'ECONNREFUSED') return createError('unreachable', `${this.endpoint} refused the connection`, { cause: error });
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return createError('unreachable', `cannot resolve ${this.host} (${code})`, { cause: error });
    if (code === 'ECONNRESET') return createError('unreachable', `the connection to ${this.endpoint} was reset before an answer came`, { cause: error });
    if (UNREACHABLE_CODES.has(code)) return createError('unreachable', `cannot reach ${this.endpoint} (${code})`, { cause: error });
    return createError('unreachable', `cannot reach ${this.endpoint}: ${error.message}`, { cause: error });
  }
}
