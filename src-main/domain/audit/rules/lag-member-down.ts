/**
 * lag.member-down: a switch LAG member that is down, not LACP-collecting, or detached from its aggregator.
 * The LAG carries on over the rest; below two working members it has no redundancy left. Source: NAV's
 * LAG-degraded alert; IEEE8023-LAG-MIB dot3adAggPortActorOperState (collecting, distributing) and
 * dot3adAggPortAttachedAggID; reference anchors.md §4.1, snmp.md §1.5.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const lagMemberDown: Rule = {
  id: 'lag.member-down',
  finds: 'a switch LAG member that is down or not LACP-collecting',
  source: 'anchors.md §4.1, snmp.md §1.5: IEEE8023-LAG-MIB actor state, NAV LAG-degraded',
  run(lab) {
    const out: RawFinding[] = [];
    for (const lag of lab.graph.lags) {
      if (!lag.observed || lag.memberStates.length === 0) continue;
      // A LAG whose every member the owner shut (ifAdminStatus down) is out of service, not degraded.
      if (lag.memberStates.every((s) => lab.port.get(s.port)?.obs?.adminUp === false)) continue;
      const bad = lag.memberStates
        .map((s) => {
          const up = lab.port.get(s.port)?.obs?.up ?? s.up;
          const adminDown = lab.port.get(s.port)?.obs?.adminUp === false;
          const why = adminDown ? 'administratively down' : up === false ? 'link down' : s.collecting === false ? 'not LACP collecting/distributing' : s.attached === false ? 'not attached to the aggregator' : null;
          return why ? { port: s.port, why } : null;
        })
        .filter((x): x is { port: string; why: string } => x !== null);
      if (bad.length === 0) continue;
      const working = lag.memberStates.length - bad.length;
      out.push({
        subject: `${lag.device}:${lag.name}`,
        severity: working < 2 ? 'error' : 'warning',
        devices: [lag.device],
        ports: [lag.key, ...bad.map((b) => b.port)],
        title: `${lag.device}'s LAG ${lag.name}: ${bad.map((b) => `${lab.short(b.port)} ${b.why}`).join(', ')}`,
        explanation:
          `${lag.name} on ${lag.device} has ${working} of ${lag.memberStates.length} members carrying traffic. ` +
          (working < 2 ? 'It has no redundancy left: one more failure and the link is gone. ' : 'It still has redundancy, with less bandwidth. ') +
          `Check ${lab.describeAll(bad.map((b) => b.port))}: the cable, and that the device at the other end runs LACP on that NIC.`,
        evidence: bad.map((b) => `${lag.device} ${lab.short(b.port)}: ${b.why} (ifOperStatus / dot3adAggPortActorOperState)`),
      });
    }
    return out;
  },
};
