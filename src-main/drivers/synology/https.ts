/**
 * The one HTTP(S) helper under the DSM client: form POSTs to /webapi/<path>, a keep-alive agent, a connect
 * timeout and a per-call timeout, trust on first use of the NAS's certificate (checked on the handshake,
 * before a byte of the request is written, so the password never reaches an impostor), a response size cap
 * enforced while streaming, and errors that name the NAS and the problem but never quote a page that might
 * echo the request (DSM's requests carry the password or the session id).
 *
 * The mechanism is shared with the XenAPI driver (drivers/common/pinned-http.ts); what is DSM's own is chosen
 * here: DsmTransportError, modern TLS only (no TLSv1.0 as for XenServer 6.5), a body collected as one string,
 * error pages never read, and the first certificate seen pinned for the session.
 */
import { PinnedHttp, collectedTextReader, type PinnedHttpDialect } from '../common/pinned-http';
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

const DSM_DIALECT: PinnedHttpDialect<'unreachable'> = {
  createError: (kind, message, extras) => new DsmTransportError(kind, message, extras),
  // DSM has no 'closed' kind: a call cut short is 'unreachable'.
  closedKind: 'unreachable',
  urlHint: 'https://nas:5001 or http://nas:5000',
  extraHeaders: { Accept: 'application/json' },
  // A NAS speaks current TLS: no TLSv1.0 / security level 0 as for XenServer 6.5.
  legacyTls: false,
  // Without a pin from the caller, the first certificate seen holds for the rest of the session.
  pinFirstCertificate: true,
  // Not quoted: DSM's error pages may echo the request, which holds the password or the session id.
  errorPages: 'skip',
  failPendingOnClose: false,
  /** A read runs four or five calls in parallel; a small NAS should not see more connections than that. */
  maxSockets: 4,
  defaults: { timeoutMs: DEFAULT_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES },
  messages: {
    certificateChanged: (endpoint, pinned, presented) => `the certificate of ${endpoint} changed: pinned ${pinned}, presented ${presented}`,
    tooLarge: (endpoint, cap) => `the answer from ${endpoint} is larger than ${cap}`,
    cutOff: (endpoint, received) => `the answer from ${endpoint} was cut off after ${received} bytes`,
  },
  describeDuration,
  describeSize,
};

export class DsmHttp extends PinnedHttp<'unreachable'> {
  constructor(options: DsmHttpOptions) {
    // The connect timeout is not the caller's to set: always the smaller of 10 s and the per-call timeout.
    super({ ...options, connectTimeoutMs: undefined }, DSM_DIALECT);
  }

  /** POSTs a form to `${base}/webapi/${cgi}`; resolves with the body of a 200 answer, as text. */
  postForm(cgi: string, form: string): Promise<string> {
    return this.exchange(`/webapi/${cgi}`, form, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      reader: collectedTextReader,
    });
  }
}
