/**
 * The two ways a DSM call fails. `DsmError`: DSM understood the request and refused it with an error code
 * (HTTP 200, `{success: false, error: {code}}`, reference san.md §3.1). `DsmTransportError`: no usable answer
 * came back at all. Callers branch on `code` and `kind`, never on messages; messages are for people and never
 * hold the password or the session id.
 */

/**
 * DSM's error codes in words. The common ones (100–150) and the login ones (400–411) come from Synology's
 * Login Web API guide as quoted by N4S4/synology-api (`error_codes.py`) and py-synologydsm-api (`const.py`);
 * 105 in the words of san.md §3.1. The iSCSI ones (18990xxx) are those synology-csi maps (`iscsi.go`,
 * `errCodeMapping`), the source san.md §3.3 cites.
 */
const COMMON_MEANINGS: Readonly<Record<number, string>> = {
  100: 'unknown error',
  101: 'no parameter of API, method or version',
  102: 'the requested API does not exist',
  103: 'the requested method does not exist',
  104: 'the requested version does not support the functionality',
  105: 'insufficient privilege',
  106: 'session timeout',
  107: 'session interrupted by duplicate login',
  108: 'failed to upload the file',
  109: 'the network connection is unstable or the system is busy',
  110: 'the network connection is unstable or the system is busy',
  111: 'the network connection is unstable or the system is busy',
  114: 'lost parameters for this API',
  115: 'not allowed to upload a file',
  116: 'not allowed to perform for a demo site',
  117: 'the network connection is unstable or the system is busy',
  118: 'the network connection is unstable or the system is busy',
  119: 'invalid session',
  120: 'invalid parameter',
  150: 'request source IP does not match the login IP',
  160: 'insufficient application privilege',
};

/** SYNO.API.Auth reuses 400–411 for login failures (other APIs give those numbers other meanings). */
const AUTH_MEANINGS: Readonly<Record<number, string>> = {
  400: 'no such account or incorrect password',
  401: 'disabled account',
  402: 'permission denied',
  403: 'two-factor authentication code required',
  404: 'failed to authenticate the two-factor authentication code',
  405: 'app portal incorrect',
  406: 'two-factor authentication enforced',
  407: 'blocked IP source',
  408: 'expired password, cannot change',
  409: 'expired password',
  410: 'password must be changed',
  411: 'account locked',
};

const ISCSI_MEANINGS: Readonly<Record<number, string>> = {
  18990002: 'out of free space',
  18990500: 'bad LUN type',
  18990531: 'no such LUN',
  18990532: 'no such snapshot',
  18990538: 'duplicated LUN name',
  18990541: 'the number of LUNs has reached the limit',
  18990542: 'the number of targets has reached the limit',
  18990543: 'the number of snapshots has reached the limit',
  18990744: 'duplicated target name',
};

/** Codes that mean "this session is gone": the client logs in again once and retries. */
export const SESSION_GONE_CODES: ReadonlySet<number> = new Set([106, 107, 119]);

/** What `code` means for `api`, in words ("insufficient privilege"); never empty. */
export function meaningOf(api: string, code: number): string {
  const common = COMMON_MEANINGS[code];
  if (common) return common;
  if (api === 'SYNO.API.Auth') {
    const auth = AUTH_MEANINGS[code];
    if (auth) return auth;
  }
  if (api.startsWith('SYNO.Core.ISCSI.')) {
    const iscsi = ISCSI_MEANINGS[code];
    if (iscsi) return iscsi;
    if (code > 18990000 && code < 18999999) return 'iSCSI error';
  }
  return 'no documented meaning';
}

/** DSM refused: "SYNO.DR.Plan list: error 105 (insufficient privilege)". */
export class DsmError extends Error {
  readonly code: number;
  readonly api: string;
  readonly method: string;
  readonly meaning: string;
  constructor(api: string, method: string, code: number) {
    const meaning = meaningOf(api, code);
    super(`${api} ${method}: error ${code} (${meaning})`);
    this.name = 'DsmError';
    this.code = code;
    this.api = api;
    this.method = method;
    this.meaning = meaning;
  }
}

export type DsmFailureKind = 'unreachable' | 'timeout' | 'tls' | 'certificate-changed' | 'http' | 'malformed' | 'too-large';

export interface DsmTransportErrorDetails {
  /** The SHA-256 fingerprint the NAS presented ('AB:CD:…'), on 'certificate-changed'. */
  presentedFingerprint?: string;
  /** The HTTP status, on 'http'. */
  httpStatus?: number;
  cause?: unknown;
}

/** No usable answer: the message names the problem for a person ("no answer from 10.0.0.30:5001 within 30 s"). */
export class DsmTransportError extends Error {
  readonly kind: DsmFailureKind;
  readonly presentedFingerprint?: string;
  readonly httpStatus?: number;
  constructor(kind: DsmFailureKind, message: string, details: DsmTransportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DsmTransportError';
    this.kind = kind;
    if (details.presentedFingerprint !== undefined) this.presentedFingerprint = details.presentedFingerprint;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
  }
}

/** "64 MiB", "300 KiB", "17 bytes". */
export function describeSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

/** "30 s", "0.2 s". */
export function describeDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
