/**
 * How old is the newest good replica, against the recovery point the owner set (24 h unless changed)? Red
 * when older, and red when there is none: a NAS meant to hold the replica that holds nothing is the
 * disaster-recovery gap this panel exists to show.
 */
import type { NasObservation } from '../model/nas';
import type { ReplicationView } from '../model/san';

export function replicationView(
  device: { id: number; name: string },
  observation: NasObservation | null,
  recoveryPointHours: number,
  now: Date,
): ReplicationView {
  const plans = (observation?.replication ?? []).map((plan) => {
    const at = plan.lastSuccessAt ? Date.parse(plan.lastSuccessAt) : NaN;
    // A time that does not parse is no replica anyone can count on.
    const ageHours = Number.isFinite(at) ? Math.max(0, (now.getTime() - at) / 3_600_000) : null;
    return { ...plan, ageHours, late: ageHours === null || ageHours > recoveryPointHours };
  });
  let summary: string;
  let late: boolean;
  if (!observation) {
    summary = 'not read yet';
    late = false;
  } else if (!observation.replicationAvailable) {
    summary = 'Snapshot Replication is not installed on this NAS';
    late = true;
  } else if (plans.length === 0) {
    summary = 'no replication plan';
    late = true;
  } else {
    const ages = plans.map((p) => p.ageHours).filter((age): age is number => age !== null);
    const newest = ages.length ? Math.min(...ages) : null;
    late = plans.some((p) => p.late);
    summary =
      newest === null
        ? `no successful replica yet (recovery point ${recoveryPointHours} h)`
        : `newest replica ${formatHours(newest)} old, recovery point ${recoveryPointHours} h`;
  }
  return { deviceId: device.id, name: device.name, recoveryPointHours, observation, plans, summary, late };
}

export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}
