/**
 * spof.storage-single-path: an SR on a host with fewer than two independent paths. Two paths are
 * independent when they leave by different NICs and reach different portals; one NIC to two portals, or
 * two NICs to one portal, still fails with that NIC or that portal. Where no path can be worked out from
 * addresses (a routed or FC SR), the storage manager's own path count stands in.
 * Source: CTX129309 and the XCP-ng multipath guide (one NIC per path, separate subnets, several targets per
 * LUN); reference xenapi.md §8.1 and §8.5.
 */
import type { LabPath } from '../../graph/types';
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { plural } from '../../graph/names';

export function independentPair(paths: readonly LabPath[]): boolean {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i]!, paths[j]!];
      if (a.portal !== b.portal && !a.legs.some((leg) => b.legs.includes(leg))) return true;
    }
  }
  return false;
}

export const storageSinglePath: Rule = {
  id: 'spof.storage-single-path',
  finds: 'an SR on a host with fewer than two independent paths (NIC × portal)',
  source: 'xenapi.md §8.1, §8.5: CTX129309, XCP-ng multipathing guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const sr of lab.graph.srs) {
      if (!sr.multipathCapable || !sr.shared) continue;
      for (const attachment of sr.hosts) {
        if (!attachment.attached) continue;
        const paths = lab.pathsOf(attachment.host, sr.name);
        let count: number;
        let how: string;
        if (paths.length > 0) {
          if (independentPair(paths)) continue;
          count = paths.length;
          const nics = [...new Set(paths.map((p) => p.interface))];
          const portals = [...new Set(paths.map((p) => p.portal))];
          how = `${plural(nics.length, 'NIC')} (${nics.join(', ')}) on the portals' subnets × ${plural(portals.length, 'portal')} (${portals.join(', ')})`;
        } else {
          count = attachment.totalPaths ?? attachment.iscsiSessions ?? 1;
          if (count >= 2) continue;
          how = attachment.totalPaths !== null ? `the storage manager counts ${plural(attachment.totalPaths, 'path')}` : 'no second path can be seen';
        }
        const legs = [...new Set(paths.flatMap((p) => p.legs))];
        const via = paths[0] ? ` (${paths[0].interface} → ${paths[0].portal})` : '';
        out.push({
          subject: `${attachment.host}:${sr.name}`,
          severity: 'warning',
          devices: [attachment.host],
          ports: legs,
          title: `${attachment.host} reaches ${sr.name} by ${count > 1 ? 'paths that share a NIC or portal' : 'one path'}${via}`,
          explanation:
            `${sr.name} is attached on ${attachment.host} with ${how}, so one NIC, cable, switch port or portal failing takes the ` +
            `SR away from ${attachment.host} and every VM on it stops. Give the host a second storage NIC on its own subnet ` +
            `and the SAN a portal on that subnet, cabled through another switch, and turn multipathing on.`,
          evidence: [
            `${attachment.host} PBD of ${sr.name}: ${attachment.activePaths !== null ? `mpath [${attachment.activePaths}, ${attachment.totalPaths}]` : 'no mpath count'}${attachment.iscsiSessions !== null ? `, iscsi_sessions ${attachment.iscsiSessions}` : ''}`,
            ...paths.map((p) => `path ${p.interface} ${p.ip} → ${p.portal}`),
          ],
        });
      }
    }
    return out;
  },
};
