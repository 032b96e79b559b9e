/**
 * drift.host-missing: a host the inventory puts in a pool that the pool (answering, freshly) does not list.
 * It was ejected, renamed, or never joined: everything the plan says about it goes unchecked, and the pool
 * has one host fewer than the owner counts on for HA and capacity. Source: anchors.md §4.8 (intended state
 * against live polling).
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { listText } from '../../graph/names';

export const driftHostMissing: Rule = {
  id: 'drift.host-missing',
  finds: 'a host the inventory puts in a pool that the pool does not report',
  source: 'anchors.md §4.8',
  run(lab) {
    const out: RawFinding[] = [];
    for (const device of lab.graph.devices) {
      if (device.kind !== 'xen-host' || !device.inInventory || !device.pool || device.reported) continue;
      const pool = lab.graph.pools.find((p) => p.name === device.pool);
      const poolDevice = lab.device.get(device.pool);
      if (!pool || !poolDevice || poolDevice.health === 'stale' || poolDevice.health === 'unreachable') continue;
      out.push({
        subject: device.name,
        severity: 'warning',
        devices: [device.name, pool.name],
        ports: [],
        title: `${pool.name} does not report ${device.name}, which the inventory puts in it`,
        explanation:
          `The inventory has ${device.name} as a member of ${pool.name}, but the pool lists ${pool.hosts.length ? listText(pool.hosts) : 'no host'}. ` +
          `Either ${device.name} left the pool (ejected, reinstalled, renamed), or the inventory names it differently (Labwarden matches a ` +
          `host by its name, then by its management address ${device.address || '(none set)'}). Until they agree, nothing about ${device.name} is checked.`,
        evidence: [`${pool.name} host.get_all_records: ${pool.hosts.join(', ') || 'none'}`, `inventory: ${device.name} memberOf ${pool.name}`],
      });
    }
    return out;
  },
};
