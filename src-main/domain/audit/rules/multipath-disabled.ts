/**
 * multipath.disabled: a host that reaches an iSCSI SR over two or more NICs with multipathing off uses one
 * of them: the second path is cabled and addressed for nothing, and the SR goes with the first. A host with
 * multipathing off in a pool where the other hosts have it on is flagged too: multipathing must be set on
 * every host (XenCenter), and the day this host gets its second path it will not use it.
 * Source: XenCenter multipathing help, XCP-ng multipathing guide ("enable it before creating these SRs");
 * reference xenapi.md §8.4.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { listText } from '../../graph/names';

export const multipathDisabled: Rule = {
  id: 'multipath.disabled',
  finds: 'a host reaches an iSCSI SR over two or more NICs and multipathing is off (or is off on one host of a pool that has it on)',
  source: 'xenapi.md §8.4: XenCenter multipathing help, XCP-ng multipathing guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const host of lab.graph.hosts) {
      if (host.multipathing) continue;
      const srs = lab.graph.srs.filter((sr) => sr.multipathCapable && sr.hosts.some((h) => h.host === host.name && h.attached));
      if (srs.length === 0) continue;
      const wide = srs.filter((sr) => new Set(lab.pathsOf(host.name, sr.name).map((p) => p.interface)).size >= 2);
      const pool = lab.graph.pools.find((p) => p.name === host.pool);
      const others = (pool?.hosts ?? []).filter((h) => h !== host.name && lab.host.get(h)?.multipathing === true);
      if (wide.length === 0 && others.length === 0) continue;
      const interfaces = [...new Set(wide.flatMap((sr) => lab.pathsOf(host.name, sr.name).map((p) => p.interface)))];
      out.push({
        subject: host.name,
        severity: wide.length > 0 ? 'error' : 'warning',
        devices: [host.name],
        ports: [...new Set(srs.flatMap((sr) => lab.pathsOf(host.name, sr.name).flatMap((p) => p.legs)))],
        title:
          wide.length > 0
            ? `multipathing is off on ${host.name}, which reaches ${listText(wide.map((s) => s.name))} over ${interfaces.join(' and ')}`
            : `multipathing is off on ${host.name}, on in the rest of ${host.pool} (${listText(others)})`,
        explanation:
          (wide.length > 0
            ? `${host.name} has ${interfaces.length} storage interfaces on the portals' subnets, but with multipathing off the storage ` +
              `manager logs in through one of them only: the other path is cabled and addressed for nothing, and the SR fails with the first. `
            : `${host.name} is the only host of ${host.pool} with multipathing off. Multipathing must be set the same on every host; ` +
              `as it is, this host will not use a second path when one is added, and the pool behaves differently per host. `) +
          `Put ${host.name} in maintenance mode, turn multipathing on (with multipathhandle=dmp on older XenServer), and take it out again.`,
        evidence: [
          `${host.name}: multipathing = false${host.multipathHandle ? `, multipathhandle = ${host.multipathHandle}` : ''}`,
          ...others.map((h) => `${h}: multipathing = true`),
          ...wide.flatMap((sr) => lab.pathsOf(host.name, sr.name).map((p) => `${sr.name}: path ${p.interface} → ${p.portal}`)),
        ],
      });
    }
    return out;
  },
};
