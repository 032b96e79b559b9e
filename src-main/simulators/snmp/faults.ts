/**
 * Scripted misbehaviour, for the driver's failure paths (and the demo's "what if"). A fault applies to every
 * request answered after it is set, for one community or all, until cleared with fault(null).
 */

export type SnmpResponderFault =
  /**
   * GETNEXT/GETBULK stop moving forward, as buggy agents do (node-net-snmp#101): mode 'repeat' (default)
   * answers the asked OID itself when it exists, 'backwards' answers the record before it.
   */
  | 'non-increasing'
  /** Every answer is bytes that are not SNMP (an HTTP error page). */
  | 'garbage'
  /** Every answer is cut short: a correct response missing its last third. */
  | 'truncated'
  /** No answers at all (a filtered port, a dead agent, a wrong community everywhere). */
  | 'silent'
  /** A response with more than `maxVarbinds` varbinds (default 10) is answered tooBig instead; 0: everything. */
  | 'too-big'
  /** Every answer is held back `delayMs` (default 2,000 ms). */
  | 'slow';

export const FAULTS: readonly SnmpResponderFault[] = ['non-increasing', 'garbage', 'truncated', 'silent', 'too-big', 'slow'];

export interface FaultOptions {
  /** Only requests with this community misbehave. */
  community?: string;
  /** 'non-increasing': how. */
  mode?: 'repeat' | 'backwards';
  /** 'too-big': the most varbinds a response may carry. */
  maxVarbinds?: number;
  /** 'slow': the delay. */
  delayMs?: number;
}

export interface FaultSettings {
  kind: SnmpResponderFault;
  community: string | null;
  mode: 'repeat' | 'backwards';
  maxVarbinds: number;
  delayMs: number;
}

export function faultSettings(kind: SnmpResponderFault, options: FaultOptions = {}): FaultSettings {
  if (!FAULTS.includes(kind)) throw new RangeError(`unknown fault "${String(kind)}"`);
  const maxVarbinds = options.maxVarbinds ?? 10;
  const delayMs = options.delayMs ?? 2_000;
  if (!Number.isInteger(maxVarbinds) || maxVarbinds < 0) throw new RangeError('maxVarbinds must be a non-negative integer');
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 600_000) throw new RangeError('delayMs must be 0–600000');
  return { kind, community: options.community ?? null, mode: options.mode ?? 'repeat', maxVarbinds, delayMs };
}

/** Not SNMP at all: what a port held by a web server might send back. */
export const GARBAGE = Buffer.from('HTTP/1.1 400 Bad Request\r\nServer: not-an-snmp-agent\r\nContent-Length: 0\r\n\r\n', 'latin1');

/** A correct response missing its last third (at least one byte). */
export function truncate(datagram: Buffer): Buffer {
  return datagram.subarray(0, Math.max(1, Math.min(datagram.length - 1, Math.floor((datagram.length * 2) / 3))));
}
