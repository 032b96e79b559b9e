/**
 * replication.rpo-exceeded: the newest good replica on a NAS older than the recovery point the owner set
 * (24 h unless changed), or none at all. A disaster now loses everything since that replica.
 * Source: anchors.md §4.7 (Synology SYNO.DR.Plan last good sync as an RPO alert); san.md §3.2, §6.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { formatHours } from '../../health/replication';

export const replicationRpoExceeded: Rule = {
  id: 'replication.rpo-exceeded',
  finds: 'the newest good replica older than the recovery-point target',
  source: 'anchors.md §4.7; san.md §3.2: SYNO.DR.Plan',
  run(lab) {
    const out: RawFinding[] = [];
    for (const nas of lab.graph.replication) {
      if (!nas.read || !nas.late) continue;
      // The plan that is late: one that never succeeded first, else the oldest. With several plans (one per
      // LUN or folder) another plan's fresh replica does not make this one's any younger.
      const late = nas.plans.filter((p) => p.late).sort((a, b) => (b.ageHours ?? Infinity) - (a.ageHours ?? Infinity))[0];
      const none = !late || late.ageHours === null;
      const of = late && nas.plans.length > 1 ? ` of ${late.targetName}` : '';
      out.push({
        subject: nas.nas,
        severity: none ? 'error' : 'warning',
        devices: [nas.nas],
        ports: [],
        title: !late
          ? `${nas.nas} holds no good replica (${nas.summary})`
          : none
            ? `${nas.nas} holds no good replica${of}`
            : `${nas.nas}'s ${of ? `replica${of}` : 'newest replica'} is ${formatHours(late.ageHours!)} old, past the ${nas.recoveryPointHours} h recovery point`,
        explanation:
          (none
            ? `${nas.nas} should hold a replica${of} for disaster recovery, but ${late ? 'no sync of it has succeeded yet' : nas.summary}. `
            : `The newest good replica${of} on ${nas.nas} is ${formatHours(late.ageHours!)} old; the recovery point is ${nas.recoveryPointHours} h. `) +
          `If the primary storage were lost now, everything written since would be gone. Check the replication plan on the NAS ` +
          `(its schedule, the last error, the link to the source) and run it.`,
        evidence: nas.plans.length
          ? nas.plans.map((p) => `${nas.nas} SYNO.DR.Plan ${p.targetName}: last good sync ${p.ageHours === null ? 'never' : `${formatHours(p.ageHours)} ago`}${p.lastError !== null ? `, last error ${p.lastError}` : ''}`)
          : [`${nas.nas}: ${nas.summary}`],
      });
    }
    return out;
  },
};
