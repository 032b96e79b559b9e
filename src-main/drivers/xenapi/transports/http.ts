/**
 * The one HTTP(S) POST helper under both wire protocols. It owns what a XenAPI connection needs beyond a plain
 * request: a keep-alive agent per client, a connect timeout and a per-call timeout, trust on first use of the
 * host's certificate (checked before a single byte of the request is sent, so a password never reaches an
 * impostor), old-host TLS (reference §1.5), a response size cap enforced while streaming, and errors that name
 * the host and the problem. The mechanism is shared with the DSM driver (drivers/common/pinned-http.ts); what is
 * XenAPI's own is chosen here: XapiTransportError, TLSv1.0 at security level 0, streamed bodies, quoted error
 * pages (except a login's), and the caller (the session) deciding what to pin.
 */
import { PinnedHttp, collectedTextReader, streamingTextReader, type PinnedHttpDialect, type PinnedResponseHead } from '../../common/pinned-http';
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

/** Status and the Content-Type header as sent ('' when absent). */
export type ResponseHead = PinnedResponseHead;

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

const XAPI_DIALECT: PinnedHttpDialect<'closed'> = {
  createError: (kind, message, extras) => new XapiTransportError(kind, message, extras),
  closedKind: 'closed',
  adoptError: asTransportError,
  urlHint: 'https://host or http://host',
  // XenServer 6.5 speaks TLSv1.0 only, and OpenSSL 3 refuses it below security level 0 (reference §1.5).
  legacyTls: true,
  // The session pins the certificate it logged in with (client.ts), not the helper.
  pinFirstCertificate: false,
  // Quoted, except when the request held a password (CallOptions.carriesSecret).
  errorPages: 'quote',
  // close() is how a waiting event.from is aborted: pending calls fail with 'closed' at once.
  failPendingOnClose: true,
  /**
   * Connections per host: one for a waiting event.from, three for calls. A pool load's eleven parallel
   * get_all_records then share them instead of opening (and TLS-handshaking) eleven, which costs the
   * client and, more, a small dom0.
   */
  maxSockets: 4,
  defaults: { timeoutMs: DEFAULT_TIMEOUT_MS, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES },
  messages: {
    certificateChanged: (_endpoint, pinned, presented) => `the certificate changed: pinned ${pinned}, presented ${presented}`,
    tooLarge: (_endpoint, cap) => `the response is larger than ${cap}`,
    cutOff: (endpoint, received) => `the response from ${endpoint} was cut off after ${received} bytes`,
  },
  describeDuration,
  describeSize,
};

export class HttpClient extends PinnedHttp<'closed'> {
  constructor(options: HttpClientOptions) {
    super(options, XAPI_DIALECT);
  }

  /** POSTs `body` to basePath + `path`; resolves when the whole response went through `options.sink`. */
  post(path: string, body: string, contentType: string, options: PostOptions): Promise<void> {
    return this.exchange(path, body, {
      contentType,
      timeoutMs: options.timeoutMs,
      carriesSecret: options.carriesSecret,
      onHead: options.onHead,
      reader: () => streamingTextReader((text) => options.sink.write(text)),
    });
  }

  /** POSTs `body` and resolves with the whole response as one string (for a parser that needs it whole). */
  postForText(path: string, body: string, contentType: string, options: Omit<PostOptions, 'sink'>): Promise<string> {
    return this.exchange(path, body, {
      contentType,
      timeoutMs: options.timeoutMs,
      carriesSecret: options.carriesSecret,
      onHead: options.onHead,
      // The bytes are kept and decoded once: one native pass, instead of a string per chunk joined again.
      reader: collectedTextReader,
    });
  }
}

function asTransportError(error: unknown): XapiTransportError {
  if (error instanceof XapiTransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new XapiTransportError('malformed', `malformed response: ${message}`, { cause: error });
}
