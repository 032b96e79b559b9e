/**
 * Login Response status (RFC 7143 §11.13.5): Status-Class in byte 36, Status-Detail in byte 37. Class 0 is
 * success, 1 a redirection (with a TargetAddress key), 2 the initiator's fault, 3 the target's.
 */
import type { ProbeFailureKind } from './probe-error';

const MEANINGS: ReadonlyMap<number, string> = new Map([
  [0x0000, 'success'],
  [0x0101, 'target moved temporarily'],
  [0x0102, 'target moved permanently'],
  [0x0200, 'initiator error'],
  [0x0201, 'authentication failed'],
  [0x0202, 'not authorized (the target does not allow this initiator)'],
  [0x0203, 'target not found'],
  [0x0204, 'target removed'],
  [0x0205, 'unsupported iSCSI version'],
  [0x0206, 'too many connections'],
  [0x0207, 'missing parameter'],
  [0x0208, "can't include this connection in the session"],
  [0x0209, 'session type not supported'],
  [0x020a, 'session does not exist'],
  [0x020b, 'invalid request during login'],
  [0x0300, 'target error'],
  [0x0301, 'service unavailable'],
  [0x0302, 'out of resources'],
]);

const CLASS_MEANINGS: readonly string[] = ['success', 'redirection', 'initiator error', 'target error'];

/** '0x0201'. */
export function statusCode(statusClass: number, statusDetail: number): string {
  return `0x${((statusClass << 8) | statusDetail).toString(16).padStart(4, '0')}`;
}

/** "authentication failed (status 0x0201)"; an unlisted detail falls back to its class. */
export function describeLoginStatus(statusClass: number, statusDetail: number): string {
  const code = (statusClass << 8) | statusDetail;
  const meaning = MEANINGS.get(code) ?? `${CLASS_MEANINGS[statusClass] ?? 'unknown status class'}, detail ${statusDetail}`;
  return `${meaning} (status ${statusCode(statusClass, statusDetail)})`;
}

export const isRedirect = (statusClass: number, statusDetail: number) => statusClass === 1 && (statusDetail === 1 || statusDetail === 2);

/** Credentials or ACL (0x0201, 0x0202) are for the user to fix; everything else is a refusal of another sort. */
export function kindForLoginStatus(statusClass: number, statusDetail: number): ProbeFailureKind {
  return statusClass === 2 && (statusDetail === 1 || statusDetail === 2) ? 'auth-failed' : 'login-rejected';
}
