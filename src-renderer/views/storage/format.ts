/** Words and tones for the storage health page: portal and path states, plan roles, times to come. */
import type { PathState, PortalState } from '../../../src-main/domain/model/san';
import type { ReplicationPlan } from '../../../src-main/domain/model/nas';
import type { PollState } from '../../../src-main/domain/model/polling';
import { STATE_LOOK, type Tone } from '../pools/format';

export const PORTAL_LOOK: Record<PortalState, { tone: Tone; label: string }> = {
  up: { tone: 'ok', label: 'up' },
  down: { tone: 'bad', label: 'down' },
  unknown: { tone: 'muted', label: 'unknown' },
};

export const PATH_LOOK: Record<PathState, { tone: Tone; label: string }> = {
  up: { tone: 'ok', label: 'up' },
  down: { tone: 'bad', label: 'down' },
  degraded: { tone: 'bad', label: 'degraded' },
  'no-nic': { tone: 'bad', label: 'no NIC' },
  inactive: { tone: 'warn', label: 'inactive' },
  unknown: { tone: 'muted', label: 'unknown' },
};

/** The polling states in a NAS's terms (the pool pages' hints speak of pools). */
const NAS_HINTS: Record<PollState, string> = {
  ok: 'Reading the NAS over the DSM Web API',
  connecting: 'Logging in to DSM',
  slow: 'DSM answers slowly',
  idle: 'Not read: no DSM URL or password',
  unreachable: 'DSM does not answer',
  'auth-failed': 'DSM refused the user name or password',
  'certificate-unknown': 'No certificate pinned yet',
  'certificate-changed': 'DSM presented a different certificate than the pinned one',
  'not-master': 'The URL does not point at the NAS itself',
  error: 'DSM answered with an error',
};

export function nasStateLook(state: PollState): { tone: Tone; hint: string } {
  return { tone: STATE_LOOK[state]?.tone ?? 'muted', hint: NAS_HINTS[state] ?? '' };
}

export const ROLE_LABEL: Record<ReplicationPlan['role'], string> = { main: 'main site', dr: 'DR site', unknown: 'unknown' };
export const PLAN_TYPE_LABEL: Record<ReplicationPlan['targetType'], string> = { share: 'shared folder', lun: 'LUN', unknown: 'unknown' };

/** "in 12 min", "in 5 h", "due now"; the counterpart of ago() for scheduled times. */
export function until(iso: string | null, now: number): string {
  if (!iso) return 'not scheduled';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  if (seconds <= 0) return 'due now';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.floor(hours / 24)} d`;
}

/** Seconds since `since` (a Date.now() value), for a running sweep's progress line. */
export function elapsed(since: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
