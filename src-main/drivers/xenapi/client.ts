/**
 * Logging in to a pool: one HTTP client and one transport per host, HOST_IS_SLAVE followed to the master
 * (reference §1.5), and a session whose calls carry the session ref. Reconnection, backoff and event loops live
 * above this (a watcher built on connectXapi).
 */
import { XapiError, XapiTransportError, redact } from './errors';
import type { XapiValue } from './xml-value';
import { HttpClient, DEFAULT_TIMEOUT_MS } from './transports/http';
import { AutoTransport, createTransport, type ApiVersion, type TransportChoice } from './transports/auto';
import type { Transport } from './transports/http';

export interface XapiConnectOptions {
  /** 'https://host[:port]' or 'http://host[:port]'. */
  url: string;
  username: string;
  password: string;
  /** Pinned SHA-256 fingerprint of the host named by `url`; when given, any other certificate is refused. */
  fingerprint?: string | null;
  /**
   * Certificates already trusted for other hosts of the pool, by URL (as `session.url` gives it). A HOST_IS_SLAVE
   * redirect to one of them must show that certificate, checked on the handshake before the password is sent;
   * a redirect to any other host is held to no pin (README.md, "Trust").
   */
  knownCertificates?: ReadonlyMap<string, string>;
  /**
   * Default 'auto': XML-RPC, and JSON-RPC only where the master's API version is 2.8 or later and /jsonrpc
   * answers JSON (transports/auto.ts). 'xml-rpc' or 'json-rpc' uses that protocol from the login on.
   */
  transport?: TransportChoice;
  /** Per call, default 30 000. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Called with every certificate seen, on every host (the member first, then the master after a redirect). */
  onCertificate?: (fingerprint256: string) => void;
}

/** One host a login went through. */
export interface XapiHop {
  /** Scheme, host, port and path prefix, as `session.url` has them. */
  url: string;
  /** The certificate it showed (https), null on http. */
  fingerprint: string | null;
}

export interface XapiSession {
  /** The master's URL actually used (after HOST_IS_SLAVE redirects). */
  readonly url: string;
  /**
   * Every host the login went through: the one named by `url` first, the master last (one entry without a
   * redirect). After a redirect the first is the member, whose certificate is the one `fingerprint` pins.
   */
  readonly hops: readonly XapiHop[];
  readonly transport: 'xml-rpc' | 'json-rpc';
  /** The master's API version, as the 'auto' transport read it to choose; null with an explicit transport or when unreadable. */
  readonly apiVersion: ApiVersion | null;
  /** The certificate seen (https), null on http. */
  readonly fingerprint: string | null;
  readonly sessionRef: string;
  /** Prepends the session ref. */
  call<T = unknown>(method: string, ...params: XapiValue[]): Promise<T>;
  callWithTimeout<T = unknown>(timeoutMs: number, method: string, ...params: XapiValue[]): Promise<T>;
  /** Best effort, never throws. */
  logout(): Promise<void>;
  /** Destroys the agent and its sockets (aborts a pending event.from). */
  close(): void;
}

/** A member that is not the master names it; a chain longer than this is a misconfigured pool or a loop. */
const MAX_REDIRECTS = 3;
const LOGOUT_TIMEOUT_MS = 10_000;

/**
 * 'https://host[:port][/prefix]' as a session names it: the default port left out, no trailing slash. A URL that
 * cannot be parsed is returned as given (connecting to it fails with the reason).
 */
export function xapiBaseUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return text;
  }
}

export async function connectXapi(options: XapiConnectOptions): Promise<XapiSession> {
  let url = options.url;
  let pin = options.fingerprint ?? null;
  const known = new Map([...(options.knownCertificates ?? [])].map(([where, fingerprint]) => [xapiBaseUrl(where), fingerprint]));
  const hops: XapiHop[] = [];
  for (let hop = 0; ; hop++) {
    const http = new HttpClient({
      url,
      fingerprint: pin,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
      ...(options.onCertificate === undefined ? {} : { onCertificate: options.onCertificate }),
    });
    const transport = createTransport(options.transport ?? 'auto', http);
    let sessionRef: unknown;
    try {
      // Only user and password: reference §1.5 says version and originator may be omitted (Xen Orchestra sends
      // two), and it does not establish which releases accept the four-argument form.
      sessionRef = await transport.call('session.login_with_password', [options.username, options.password], { carriesSecret: true });
    } catch (error) {
      http.close();
      if (error instanceof XapiError && error.code === 'HOST_IS_SLAVE' && hop < MAX_REDIRECTS) {
        hops.push(hopOf(http));
        url = masterUrl(http, error.params[0]);
        // The master has its own certificate; the pin was for the member. Unless the caller already trusts one for
        // that host, it sees the master's through onCertificate and session.hops and decides whether to keep it
        // (README.md, "Trust").
        pin = known.get(xapiBaseUrl(url)) ?? null;
        continue;
      }
      throw atHost(withoutSecret(error, options.password), http);
    }
    if (typeof sessionRef !== 'string' || sessionRef === '') {
      http.close();
      throw new XapiTransportError('malformed', `${http.endpoint} answered the login without a session reference`);
    }
    // Trust on first use within the session too: later connections must show the certificate we logged in with.
    if (http.secure && http.pin === null) http.pin = http.fingerprint;
    let apiVersion: ApiVersion | null = null;
    if (transport instanceof AutoTransport) {
      try {
        apiVersion = await transport.settle(sessionRef);
      } catch (error) {
        http.close();
        throw error;
      }
    }
    hops.push(hopOf(http));
    return new Session(http, transport, sessionRef, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, apiVersion, hops);
  }
}

const hopOf = (http: HttpClient): XapiHop => ({ url: http.baseUrl, fingerprint: http.secure ? http.fingerprint : null });

/** A refused certificate names the host that showed it, for a caller that pins more than one host of a pool. */
function atHost(error: unknown, http: HttpClient): unknown {
  if (!(error instanceof XapiTransportError) || error.kind !== 'certificate-changed' || error.url !== undefined) return error;
  return new XapiTransportError(error.kind, error.message, {
    url: http.baseUrl,
    ...(error.presentedFingerprint === undefined ? {} : { presentedFingerprint: error.presentedFingerprint }),
  });
}

class Session implements XapiSession {
  constructor(
    private readonly http: HttpClient,
    private readonly rpc: Transport,
    readonly sessionRef: string,
    private readonly timeoutMs: number,
    readonly apiVersion: ApiVersion | null,
    readonly hops: readonly XapiHop[],
  ) {}

  get url(): string {
    return this.http.baseUrl;
  }

  get transport(): 'xml-rpc' | 'json-rpc' {
    return this.rpc.name;
  }

  get fingerprint(): string | null {
    return this.http.secure ? this.http.fingerprint : null;
  }

  call<T = unknown>(method: string, ...params: XapiValue[]): Promise<T> {
    return this.callWithTimeout<T>(this.timeoutMs, method, ...params);
  }

  async callWithTimeout<T = unknown>(timeoutMs: number, method: string, ...params: XapiValue[]): Promise<T> {
    return (await this.rpc.call(method, [this.sessionRef, ...params], { timeoutMs })) as T;
  }

  async logout(): Promise<void> {
    if (this.http.isClosed) return;
    try {
      await this.rpc.call('session.logout', [this.sessionRef], { timeoutMs: Math.min(this.timeoutMs, LOGOUT_TIMEOUT_MS) });
    } catch {
      // Best effort: an expired session or a gone host leaves nothing to log out of.
    }
  }

  close(): void {
    this.http.close();
  }
}

/** The master's URL: the member's scheme, port and path prefix, the address HOST_IS_SLAVE named. */
function masterUrl(member: HttpClient, address: string | undefined): string {
  const trimmed = address?.trim() ?? '';
  const unusable = () => new XapiTransportError('malformed', `${member.endpoint} is not the pool master and named no usable master address (${JSON.stringify(trimmed.slice(0, 80))})`);
  if (trimmed === '' || /[/\\@?#\s]/.test(trimmed)) throw unusable();
  const url = new URL(member.baseUrl);
  const host = trimmed.includes(':') && !trimmed.startsWith('[') ? `[${trimmed}]` : trimmed;
  try {
    url.hostname = host;
  } catch {
    throw unusable();
  }
  if (url.hostname === '' || url.hostname.replace(/^\[|\]$/g, '').toLowerCase() !== host.replace(/^\[|\]$/g, '').toLowerCase()) throw unusable();
  return url.toString().replace(/\/+$/, '');
}

/** The login error, with the password replaced wherever a server echoed it (error pages are not quoted at all). */
function withoutSecret(error: unknown, password: string): unknown {
  if (password === '') return error;
  const scrub = (text: string) => redact(text, [password]);
  if (error instanceof XapiError) {
    const params = error.params.map(scrub);
    if (params.every((p, i) => p === error.params[i]) && scrub(error.code) === error.code) return error;
    return new XapiError(scrub(error.code), params);
  }
  if (error instanceof XapiTransportError) {
    const message = scrub(error.message);
    if (message === error.message) return error;
    return new XapiTransportError(error.kind, message, {
      ...(error.presentedFingerprint === undefined ? {} : { presentedFingerprint: error.presentedFingerprint }),
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
      ...(error.url === undefined ? {} : { url: error.url }),
    });
  }
  return error;
}
