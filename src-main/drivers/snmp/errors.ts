/**
 * Every way an SNMP exchange can fail, as one error class with a kind the collector can act on (back off on
 * 'timeout', ask for credentials on 'auth', …). Messages are our own words, built from error codes: net-snmp's
 * own messages can quote the community string (ECommunityNoMatch) or digests, so none is passed through.
 */

export type SnmpFailureKind =
  /** No answer within timeout × (retries + 1): device down, wrong community (agents drop those silently), filtered. */
  | 'timeout'
  /** SNMPv3 USM refused us (unknown user, wrong key, wrong level), or a SET was refused for access (noAccess). */
  | 'auth'
  /** The datagram could not be sent: host unknown, no route, bad address. */
  | 'unreachable'
  /** The agent answered something we cannot use: not SNMP, an error status, a read-back that does not match. */
  | 'protocol'
  /** The agent said tooBig even for a single GetNext. */
  | 'too-big'
  /** The agent returned an OID not after the one asked for (a walk would never end). */
  | 'loop'
  /** A subtree held more varbinds than the cap (a runaway table). */
  | 'too-many'
  /** The session was closed or the caller aborted before the answer came. */
  | 'closed';

export class SnmpFailure extends Error {
  override readonly name = 'SnmpFailure';
  readonly kind: SnmpFailureKind;
  /** The SNMP error-status (RFC 3416) when the agent sent one; walkers need tooBig and v1's noSuchName. */
  status?: number;

  constructor(kind: SnmpFailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** SNMP error-status names (RFC 3416 §3), for messages. */
export const ERROR_STATUS: readonly string[] = [
  'noError',
  'tooBig',
  'noSuchName',
  'badValue',
  'readOnly',
  'genErr',
  'noAccess',
  'wrongType',
  'wrongLength',
  'wrongEncoding',
  'wrongValue',
  'noCreation',
  'inconsistentValue',
  'resourceUnavailable',
  'commitFailed',
  'undoFailed',
  'authorizationError',
  'notWritable',
  'inconsistentName',
];

export const STATUS_TOO_BIG = 1;
export const STATUS_NO_SUCH_NAME = 2;

/** What went wrong in one request, before it is given a device's name. */
export interface RequestProblem {
  kind: SnmpFailureKind;
  /** Our words, no secrets. */
  detail: string;
  /** The SNMP error-status when the agent sent one. */
  status?: number;
}

// net-snmp's ResponseInvalidCode numbers (index.js, ResponseInvalidCode).
const E_IP4_ADDRESS_SIZE = 1;
const E_UNKNOWN_OBJECT_TYPE = 2;
const E_UNKNOWN_PDU_TYPE = 3;
const E_COULD_NOT_DECRYPT = 4;
const E_AUTH_FAILURE = 5;
const E_OUT_OF_ORDER = 8;
const E_VERSION_NO_MATCH = 9;
const E_COMMUNITY_NO_MATCH = 10;
const E_UNEXPECTED_REPORT = 11;
const E_NOT_IN_TIME_WINDOW = 14;
const E_BAD_VARBIND_LIST = 15;

const INVALID_RESPONSE: Record<number, string> = {
  [E_IP4_ADDRESS_SIZE]: 'an IpAddress that is not 4 bytes',
  [E_UNKNOWN_OBJECT_TYPE]: 'a value of an unknown type',
  [E_UNKNOWN_PDU_TYPE]: 'a PDU that is not a response',
  [E_VERSION_NO_MATCH]: 'a different SNMP version than was asked',
  [E_COMMUNITY_NO_MATCH]: 'a different community than was sent',
  [E_UNEXPECTED_REPORT]: 'an unexpected Report PDU',
  [E_BAD_VARBIND_LIST]: 'a malformed varbind list',
};

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EINVAL', 'EAFNOSUPPORT', 'EPERM', 'EACCES', 'ECONNREFUSED']);

/** USM report names net-snmp uses as the message of an EAuthFailure (from usmStats*). */
const USM_REPORTS = new Set(['unsupportedSecLevels', 'notInTimeWindows', 'unknownUserNames', 'unknownEngineIDs', 'wrongDigests', 'decryptionErrors']);

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** Turns whatever net-snmp (or dgram) handed to a callback into a problem in our words. */
export function classifyError(error: unknown): RequestProblem {
  const name = field(error, 'name');
  const message = field(error, 'message');
  if (name === 'RequestTimedOutError') return { kind: 'timeout', detail: 'no answer' };
  if (name === 'RequestFailedError') {
    const status = Number(field(error, 'status'));
    const statusName = ERROR_STATUS[status] ?? `error-status ${status}`;
    if (status === STATUS_TOO_BIG) return { kind: 'too-big', detail: 'the agent answered tooBig', status };
    if (status === 6 || status === 16) return { kind: 'auth', detail: `the agent refused access (${statusName})`, status };
    return { kind: 'protocol', detail: `the agent answered ${statusName}`, status };
  }
  if (name === 'ResponseInvalidError') {
    const code = Number(field(error, 'code'));
    if (code === E_OUT_OF_ORDER) return { kind: 'loop', detail: 'the agent returned an OID not after the one asked for' };
    if (code === E_AUTH_FAILURE) {
      const report = typeof message === 'string' && USM_REPORTS.has(message) ? message : 'wrongDigests';
      return { kind: 'auth', detail: `SNMPv3 authentication failed (usmStats ${report}): check the user, its keys and protocols` };
    }
    if (code === E_COULD_NOT_DECRYPT) return { kind: 'auth', detail: 'SNMPv3 answer could not be decrypted: check the privacy key and protocol' };
    if (code === E_NOT_IN_TIME_WINDOW) return { kind: 'auth', detail: 'SNMPv3 answer outside the time window (usmStats notInTimeWindows)' };
    return { kind: 'protocol', detail: `the agent answered with ${INVALID_RESPONSE[code] ?? 'an invalid response'}` };
  }
  if (name === 'RequestInvalidError') return { kind: 'protocol', detail: 'the request could not be built' };
  const code = field(error, 'code');
  if (code === 'ERR_OSSL_EVP_UNSUPPORTED') return { kind: 'protocol', detail: desUnsupportedDetail() };
  if (code === 'ERR_SOCKET_DGRAM_NOT_RUNNING' || (typeof message === 'string' && /forcibly closed|not running/i.test(message))) {
    return { kind: 'closed', detail: 'the session was closed' };
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { kind: 'unreachable', detail: `cannot send to it (${code})` };
  return { kind: 'protocol', detail: `unexpected client error (${typeof name === 'string' ? name : 'unknown'}${typeof code === 'string' ? ` ${code}` : ''})` };
}

export function desUnsupportedDetail(): string {
  return (
    'SNMPv3 DES privacy is not available: this Node/OpenSSL has DES only in its legacy provider ' +
    '(start the app with --openssl-legacy-provider, or switch the device to AES)'
  );
}
