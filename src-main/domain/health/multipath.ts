/**
 * "N of M paths active (K iSCSI sessions)", and XenCenter's red rule for it (GeneralTabPage.cs): red when
 * fewer paths are active than exist, or when fewer paths exist than there are iSCSI sessions. We add what
 * XenCenter leaves unsaid: an attached multipath-capable SR with a single path has no redundancy.
 */
import type { SrAttachment, XenHost, XenStorage } from '../model/pools';

export type PathState = 'ok' | 'degraded' | 'single-path' | 'not-multipathed' | 'detached' | 'not-applicable';

export interface PathHealth {
  state: PathState;
  /** What XenCenter would print, e.g. "1 of 2 paths active (2 iSCSI sessions)", or why there is none. */
  text: string;
  /** XenCenter's red mark: active < total, or total < sessions. */
  red: boolean;
}

/** Parses SM's "[2, 4]" (Python 2 may print "[2L, 4L]"), as XenCenter's regex does. */
export function parsePathCounts(text: string): { active: number; total: number } | null {
  const match = /^\s*\[(\d{1,6})L?,\s*(\d{1,6})L?\]\s*$/.exec(text);
  if (!match) return null;
  return { active: Number(match[1]), total: Number(match[2]) };
}

export function pathHealth(sr: XenStorage, attachment: SrAttachment, host: XenHost | undefined): PathHealth {
  if (!sr.multipathCapable) return { state: 'not-applicable', text: 'not multipath capable', red: false };
  if (!attachment.attached) return { state: 'detached', text: 'not attached', red: true };
  if (!attachment.multipathed || attachment.activePaths === null || attachment.totalPaths === null) {
    const why = host && !host.multipathing ? 'multipathing is off on this host' : 'multipath not active';
    const sessions = attachment.iscsiSessions !== null ? ` (${plural(attachment.iscsiSessions, 'iSCSI session')})` : '';
    return { state: 'not-multipathed', text: why + sessions, red: true };
  }
  const { activePaths: active, totalPaths: total, iscsiSessions: sessions } = attachment;
  const text =
    `${active} of ${plural(total, 'path')} active` + (sessions !== null ? ` (${plural(sessions, 'iSCSI session')})` : '');
  const red = active < total || (sessions !== null && total < sessions);
  const state: PathState = red || active === 0 ? 'degraded' : total < 2 ? 'single-path' : 'ok';
  return { state, text, red };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
