/**
 * ha.off: HA switched off in a pool of three or more hosts. Without it, a host that dies takes its VMs down
 * until someone restarts them by hand; with three hosts the pool has the quorum HA needs.
 * Source: XCP-ng HA guide (three hosts or more), xapi HA prerequisites; reference xenapi.md §8.13.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const haOff: Rule = {
  id: 'ha.off',
  finds: 'HA off in a pool of three or more hosts',
  source: 'xenapi.md §8.13: XCP-ng HA guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const pool of lab.graph.pools) {
      if (pool.haEnabled || pool.hosts.length < 3) continue;
      out.push({
        subject: pool.name,
        severity: 'warning',
        devices: [pool.name],
        ports: [],
        title: `HA is off in ${pool.name} (${pool.hosts.length} hosts)`,
        explanation:
          `${pool.name} has ${pool.hosts.length} hosts but HA is off: when a host fails, its VMs stay down until someone restarts ` +
          `them elsewhere by hand. Turn HA on with a shared heartbeat SR (at least 4 GiB, multipathed, not CHAP iSCSI).`,
        evidence: [`${pool.name} pool.ha_enabled = false`],
      });
    }
    return out;
  },
};
