/** Words and tones for the storage health page: portal and path states, plan roles, times to come. */
import type { DiscoveryAuth, LunMatch, PathState, PortalState } from '../../../src-main/domain/model/san';
import type { ReplicationPlan } from '../../../src-main/domain/model/nas';
import type { PollState } from '../../../src-main/domain/model/polling';
import { STATE_TONE, type Tone } from '../../lib/format';

/** 'refuses discovery' is amber, not red: TCP answers, so the fix is credentials or the SAN's service, not cables. */
export const PORTAL_LOOK: Record<PortalState, { tone: Tone; label: string }> = {
  up: { tone: 'ok', label: 'up' },
  'discovery-failed': { tone: 'warn', label: 'refuses discovery' },
  down: { tone: 'bad', label: 'down' },
  unknown: { tone: 'muted', label: 'unknown' },
};

export const AUTH_LABEL: Record<DiscoveryAuth, string> = { none: 'no authentication', chap: 'CHAP', 'mutual-chap': 'mutual CHAP' };

/** Which evidence tied an SR to its LUN, and what would make a weak one exact. */
export const MATCH_LOOK: Record<LunMatch, { label: string; title: string }> = {
  'lun-id': { label: 'matched by LUN number', title: "The SR's PBD names this LUN number (device_config LUNid)." },
  'scsi-id': { label: 'matched by SCSI id', title: "The SR's SCSIid is the one recorded for this LUN." },
  'only-lun': { label: 'the only LUN', title: "The target has one LUN and the SR sits on the target. Record the LUN's SCSI id to make it exact." },
  'ha-heartbeat': { label: 'matched as HA heartbeat', title: "The SR holds the pool's HA statefile and this LUN is the heartbeat LUN. Record the LUN's SCSI id to make it exact." },
  size: { label: 'matched by size', title: "The SR's size is the nearest to this LUN's. Record the LUN's SCSI id to make it exact." },
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
  return { tone: STATE_TONE[state] ?? 'muted', hint: NAS_HINTS[state] ?? '' };
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
