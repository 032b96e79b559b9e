/**
 * bond.degraded: a host bond with fewer links up than members. It still carries traffic, but on fewer legs
 * than planned: the next failure is an outage. Judged by the members' own carrier (xapi's currently_attached
 * says false on every member of a healthy bond, by design) and the host's links_up where carrier is unknown.
 * Source: xenapi.md §8.12 (Bond.links_up < slaves, a slave's carrier false), XenCenter's degraded bond.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const bondDegraded: Rule = {
  id: 'bond.degraded',
  finds: 'a host bond with fewer links up than members',
  source: 'xenapi.md §8.12: Bond.links_up, PIF_metrics.carrier',
  run(lab) {
    const out: RawFinding[] = [];
    for (const bond of lab.graph.bonds) {
      if (!bond.observed || bond.membersUp === null || bond.membersUp >= bond.members.length) continue;
      const down = bond.members.filter((m) => lab.port.get(m)?.obs?.up === false);
      const peers = down.map((m) => lab.peer(m)).filter((p): p is string => p !== null);
      out.push({
        subject: `${bond.host}:${bond.device}`,
        severity: 'error',
        devices: [bond.host, ...new Set(peers.map((p) => lab.port.get(p)?.device ?? ''))].filter(Boolean),
        ports: [...down, ...peers],
        title: `${bond.host}'s ${bond.device} has ${bond.membersUp} of ${bond.members.length} links up${down.length ? `: ${down.map((m) => lab.short(m)).join(', ')} ${down.length === 1 ? 'has' : 'have'} no carrier` : ''}`,
        explanation:
          `${bond.host}'s ${bond.device} is running on ${bond.membersUp === 0 ? 'no link at all' : `${bond.membersUp} of its ${bond.members.length} links`}. ` +
          (bond.membersUp === 0
            ? `Everything on it is cut off. `
            : `Traffic still flows, but the redundancy is gone: one more failure and everything on ${bond.device} stops. `) +
          (down.length
            ? `Check ${lab.describeAll(down)}${peers.length ? ` and ${lab.describeAll(peers)} at the other end` : ''}: the cable, the switch port, the NIC.`
            : 'The host does not say which member is down.'),
        evidence: [
          `${bond.host} Bond ${bond.device}: links_up = ${bond.linksUp ?? 'not reported'}, ${bond.members.length} members`,
          ...down.map((m) => `${m} PIF_metrics carrier = false`),
        ],
      });
    }
    return out;
  },
};
