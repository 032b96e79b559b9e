/**
 * The two ways a XenAPI call fails. `XapiError`: the server understood the call and refused it (its
 * ErrorDescription, reference §1.2/§1.3/§3.9). `XapiTransportError`: no usable answer came back at all. Callers
 * branch on `code` (SESSION_INVALID → log in again) and on `kind` (unreachable → back off), never on messages.
 */

/** The server's refusal: `code` is ErrorDescription[0] (or the JSON-RPC error `message`), `params` the rest. */
export class XapiError extends Error {
  readonly code: string;
  readonly params: string[];
  constructor(code: string, params: readonly string[] = []) {
    super(params.length > 0 ? `${code} (${params.join(', ')})` : code);
    this.name = 'XapiError';
    this.code = code;
    this.params = [...params];
  }
}

export type XapiFailureKind = 'unreachable' | 'timeout' | 'tls' | 'certificate-changed' | 'http' | 'malformed' | 'too-large' | 'closed';

export interface XapiTransportErrorDetails {
  /** The SHA-256 fingerprint the server presented ('AB:CD:…'), on 'certificate-changed'. */
  presentedFingerprint?: string;
  /** The HTTP status, on 'http'. */
  httpStatus?: number;
  /** On a 'certificate-changed' at login: the URL of the host that showed the certificate (a member or its master). */
  url?: string;
  cause?: unknown;
}

/** No usable answer: the message names the problem for a human ("no answer from 10.0.0.1:443 within 30 s"). */
export class XapiTransportError extends Error {
  readonly kind: XapiFailureKind;
  readonly presentedFingerprint?: string;
  readonly httpStatus?: number;
  readonly url?: string;
  constructor(kind: XapiFailureKind, message: string, details: XapiTransportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'XapiTransportError';
    this.kind = kind;
    if (details.presentedFingerprint !== undefined) this.presentedFingerprint = details.presentedFingerprint;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.url !== undefined) this.url = details.url;
  }
}

/** "256 MiB", "1.5 MiB", "300 KiB", "17 bytes": sizes as a person reads them in an error message. */
export function describeSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** "30 s", "0.2 s". */
export function describeDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Error parameters are strings on the wire; anything else is shown as JSON rather than "[object Object]". */
export function describeParam(param: unknown): string {
  return typeof param === 'string' ? param : (JSON.stringify(param) ?? String(param));
}

/** The forms a secret takes on the wire and in an echo of it: as is, XML-escaped, JSON-escaped. */
function secretForms(secret: string): string[] {
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  return [...new Set([secret, xml, JSON.stringify(secret).slice(1, -1)])].filter((form) => form !== '');
}

/** `text` with every form of every secret replaced by "***". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) for (const form of secretForms(secret)) out = out.split(form).join('***');
  return out;
}

