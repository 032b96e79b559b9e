/**
 * How a discovery probe fails. Every failure the network or the target can cause becomes a ProbeError with one
 * of these kinds; probePortal turns it into `ok: false` instead of throwing. Callers branch on `kind`, never on
 * the message, which is for a person and always names the portal.
 */

export type ProbeFailureKind =
  | 'refused' // TCP RST: the host is up, nothing listens on the port (ECONNREFUSED)
  | 'unreachable' // no route, no ARP answer, a name that does not resolve, or an unusable portal
  | 'timeout' // no TCP connection, or no answer to a PDU, within the time allowed
  | 'auth-failed' // CHAP refused either way, or the initiator is not allowed (status 0x0201/0x0202)
  | 'login-rejected' // any other login status, or a redirect loop
  | 'protocol' // the target broke RFC 7143: malformed PDU or key, unexpected opcode, endless Text
  | 'closed' // the target closed or reset the connection before the discovery finished
  | 'too-large' // a PDU or the whole SendTargets answer is above its bound
  | 'aborted'; // the caller's AbortSignal fired

export interface ProbeErrorDetails {
  statusClass?: number;
  statusDetail?: number;
  cause?: unknown;
}

export class ProbeError extends Error {
  readonly kind: ProbeFailureKind;
  readonly statusClass?: number;
  readonly statusDetail?: number;
  constructor(kind: ProbeFailureKind, message: string, details: ProbeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProbeError';
    this.kind = kind;
    if (details.statusClass !== undefined) this.statusClass = details.statusClass;
    if (details.statusDetail !== undefined) this.statusDetail = details.statusDetail;
  }
}

/** A malformed PDU or key list: the target (or whatever answers on the port) does not speak iSCSI properly. */
export const protocolError = (message: string) => new ProbeError('protocol', message);

/** "64 KiB", "1 MiB", "300 bytes". */
export function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** "3 s", "0.5 s". */
export function describeDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
