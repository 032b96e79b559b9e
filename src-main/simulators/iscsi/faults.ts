/**
 * Scripted misbehaviour, for the probe's failure paths. A fault applies to connections accepted after it is
 * set, until it is cleared with fault(null).
 */

export type IscsiResponderFault =
  /** The first Login Response carries text that is not key=value pairs (and not UTF-8). */
  | 'malformed-pdu'
  /** The first Login Response announces a 16 MiB data segment and starts sending it. */
  | 'oversized-pdu'
  /** The connection is dropped when the first Login Request arrives. */
  | 'close-mid-login'
  /** Every answer is held back for `delayMs` (default 30 s): a portal that accepts TCP but does not answer. */
  | 'slow'
  /** SendTargets answers forever with F=0 and a new Target Transfer Tag, never F=1. */
  | 'text-loop'
  /** The first request is answered with an HTTP error page, as if a web server held the port. */
  | 'garbage';

export const FAULTS: readonly IscsiResponderFault[] = ['malformed-pdu', 'oversized-pdu', 'close-mid-login', 'slow', 'text-loop', 'garbage'];

export interface FaultSettings {
  kind: IscsiResponderFault;
  delayMs: number;
}

export const DEFAULT_SLOW_DELAY_MS = 30_000;

/** Not iSCSI at all: what a misconfigured portal that is really a web server sends back. */
export const GARBAGE = Buffer.from(
  'HTTP/1.1 400 Bad Request\r\nServer: not-an-iscsi-target\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request',
  'latin1',
);

/** Malformed text for a Login Response: no `=`, no NUL terminator, bytes that are not UTF-8. */
export const MALFORMED_TEXT = Buffer.from([0x41, 0x75, 0x74, 0x68, 0xff, 0xfe, 0x20, 0x4e, 0x6f, 0x6e, 0x65]);

/** What the oversized fault announces as its DataSegmentLength: just under the 24-bit maximum. */
export const OVERSIZED_LENGTH = 0xfffff0;
