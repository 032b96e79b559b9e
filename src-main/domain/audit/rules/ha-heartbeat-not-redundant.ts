/**
 * ha.heartbeat-not-redundant: the HA heartbeat SR reached by a single path from some host. HA fences a host
 * that loses the heartbeat: a single storage NIC, cable or portal failing can make HA reboot a healthy host,
 * or the whole pool. Source: XCP-ng HA guide (multipathed heartbeat SR), xenapi.md §8.13.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { independentPair } from './spof-storage-single-path';
import { listText } from '../../graph/names';

export const haHeartbeatNotRedundant: Rule = {
  id: 'ha.heartbeat-not-redundant',
  finds: 'the HA heartbeat SR on a single path',
  source: 'xenapi.md §8.13: XCP-ng HA guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const pool of lab.graph.pools) {
      if (!pool.haEnabled) continue;
      const sr = lab.graph.srs.find((s) => s.pool === pool.name && s.haHeartbeat);
      // An NFS (or other) heartbeat SR cannot be multipathed: its redundancy is the network's, not a path count.
      if (!sr || !sr.multipathCapable) continue;
      const single = sr.hosts.filter((h) => {
        if (!h.attached) return true;
        const paths = lab.pathsOf(h.host, sr.name);
        return paths.length > 0 ? !independentPair(paths) : (h.totalPaths ?? 1) < 2;
      });
      if (single.length === 0) continue;
      out.push({
        subject: pool.name,
        severity: 'warning',
        devices: [pool.name, ...single.map((h) => h.host)],
        ports: [...new Set(single.flatMap((h) => lab.pathsOf(h.host, sr.name).flatMap((p) => p.legs)))],
        title: `${pool.name}'s HA heartbeat SR ${sr.name} has a single path from ${listText(single.map((h) => h.host))}`,
        explanation:
          `HA writes its heartbeat to ${sr.name}; a host that cannot reach it for the timeout is fenced (rebooted). From ` +
          `${listText(single.map((h) => h.host))} the heartbeat SR hangs on one path, so one storage NIC, cable, switch port or ` +
          `portal failing reboots a healthy host, and a shared fault reboots the pool. Multipath the heartbeat SR on every host.`,
        evidence: single.map((h) => {
          const n = lab.pathsOf(h.host, sr.name).length || h.totalPaths || 1;
          return `${h.host} PBD of ${sr.name}: ${!h.attached ? 'not attached' : n === 1 ? 'one path' : `${n} paths, not independent`}`;
        }),
      });
    }
    return out;
  },
};
