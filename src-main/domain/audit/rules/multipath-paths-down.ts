/**
 * multipath.paths-down: fewer active paths than the host knows of for an SR (the storage manager's
 * `mpath-<SCSIid>` = [active, total]), or fewer known paths than iSCSI sessions: XenCenter's red mark. The
 * SR still works while one path is active, without the redundancy it was built with.
 * Source: XenCenter GeneralTabPage (red when active < total or total < sessions); reference xenapi.md §6.1, §8.5.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { plural } from '../../graph/names';

export const multipathPathsDown: Rule = {
  id: 'multipath.paths-down',
  finds: "active paths below total on a host's SR",
  source: "xenapi.md §6.1, §8.5: XenCenter's multipath red rule",
  run(lab) {
    const out: RawFinding[] = [];
    for (const sr of lab.graph.srs) {
      for (const h of sr.hosts) {
        if (!h.attached || !h.multipathed || h.activePaths === null || h.totalPaths === null) continue;
        // What-if: paths the loss takes count as down, whatever the last poll said.
        const cut = lab.graph.removed.length > 0 ? lab.pathsOf(h.host, sr.name).filter((p) => p.state === 'down').length : 0;
        const active = Math.max(0, h.activePaths - cut);
        const fewerThanSessions = h.iscsiSessions !== null && h.totalPaths < h.iscsiSessions;
        if (active >= h.totalPaths && !fewerThanSessions) continue;
        const legs = [...new Set(lab.pathsOf(h.host, sr.name).flatMap((p) => p.legs))];
        out.push({
          subject: `${h.host}:${sr.name}`,
          severity: 'error',
          devices: [h.host],
          ports: legs,
          title:
            active < h.totalPaths
              ? `${h.host}: ${active} of ${h.totalPaths} paths to ${sr.name} active`
              : `${h.host}: ${plural(h.totalPaths, 'path')} to ${sr.name} for ${h.iscsiSessions} iSCSI sessions`,
          explanation:
            (active === 0
              ? `No path to ${sr.name} is active on ${h.host}: the SR is unreachable from it. `
              : active < h.totalPaths
                ? `${h.host} knows ${h.totalPaths} paths to ${sr.name} but only ${active} ${active === 1 ? 'is' : 'are'} active: the SR runs without its redundancy. `
                : `${h.host} has ${h.iscsiSessions} iSCSI sessions to ${sr.name} but multipath knows only ${plural(h.totalPaths, 'path')}: a session is not being used. `) +
            'Check the storage NICs, their cables and switch ports, and the SAN portals (the Storage health page says which portal is down).',
          evidence: [`${h.host} PBD of ${sr.name}: mpath [${h.activePaths}, ${h.totalPaths}]${h.iscsiSessions !== null ? `, iscsi_sessions ${h.iscsiSessions}` : ''}`],
        });
      }
    }
    return out;
  },
};
