/**
 * link.conflict: two sources disagree about where a port's cable goes — the inventory says one thing, LLDP
 * or the forwarding table another (a cable moved and the documentation did not follow, or a patch-panel
 * mix-up). Every rule that reasons about "the other end" then rests on a guess. Source: anchors.md §4.11
 * (cable candidates need agreement before they are trusted); Netdisco's topology conflicts.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const linkConflict: Rule = {
  id: 'link.conflict',
  finds: "two sources (cable, LLDP, FDB, LACP) disagree about a port's peer",
  source: 'anchors.md §4.11: cable candidates, Netdisco topology',
  run(lab) {
    const out: RawFinding[] = [];
    const byPort = new Map<string, typeof lab.graph.links>();
    for (const link of lab.graph.links) {
      if (!link.conflict) continue;
      for (const end of [link.a, link.b]) {
        if (!lab.port.has(end)) continue;
        byPort.set(end, [...(byPort.get(end) ?? []), link]);
      }
    }
    for (const [port, links] of byPort) {
      const others = links.map((l) => (l.a === port ? l.b : l.a));
      if (new Set(others).size < 2) continue;
      const best = lab.peer(port);
      const said = links.map((l) => `${[l.source, ...l.alsoSeenBy].join(' and ')}: ${l.a === port ? l.b : l.a}`);
      out.push({
        subject: port,
        severity: 'warning',
        devices: [...new Set([lab.port.get(port)!.device, ...others.map((o) => lab.port.get(o)?.device ?? lab.lag.get(o)?.device ?? lab.bond.get(o)?.host ?? '')])].filter(Boolean),
        ports: [port, ...others],
        title: `where ${port}'s cable goes: ${said.join(' — ')}`,
        explanation:
          `The sources disagree about the far end of ${port}: ${said.join('; ')}. ` +
          `Labwarden goes by the most trusted (LLDP, then LACP, then the forwarding table, then the inventory)${best ? `, ${best}` : ''}, ` +
          `but the audit of this link is only as good as that guess. Check the cable; if the discovered peer is right, accept it as the cable.`,
        evidence: links.flatMap((l) => l.evidence),
      });
    }
    return out;
  },
};
