/**
 * spof.shared-switch: redundancy that all lands on one switch. A bond whose members are all cabled to one
 * switch, or an SR whose multipath paths all cross one switch, fails with that switch however many NICs it
 * has. Members of a stack fail apart, so legs on two members of one stack are fine; a stack whose agent does
 * not say which member a port is on is given the benefit of the doubt.
 * Source: XS 6 Admin Guide "Switch Configuration" (a second, redundant switch), XCP-ng networking and
 * multipathing guides ("two different switches"); reference xenapi.md §8.3 and §8.8.
 */
import type { RawFinding } from '../finding';
import type { Lab } from '../lab';
import type { Rule } from '../rule';
import { describeDomain } from '../../graph/domains';
import { sharedDomains } from '../../graph/domains';

/** A switch domain that is one failure unit we can name: a switch, or a stack member known by ENTITY-MIB. */
function definite(lab: Lab, domain: string): boolean {
  if (!domain.startsWith('switch:')) return false;
  if (domain.includes('#')) return true;
  const device = lab.device.get(domain.slice('switch:'.length));
  return (device?.stackMembers.length ?? 0) <= 1;
}

export const sharedSwitch: Rule = {
  id: 'spof.shared-switch',
  finds: "redundancy (a bond's members, or an SR's multipath paths) that all land on one switch that is not part of a stack",
  source: 'xenapi.md §8.3, §8.8: XS 6 Admin Guide, XCP-ng networking and multipathing guides',
  run(lab) {
    const out: RawFinding[] = [];
    for (const bond of lab.graph.bonds) {
      if (!bond.observed || bond.members.length < 2) continue;
      const switches = bond.members.map((m) => lab.switchOfLeg(m));
      if (switches.some((s) => s === null)) continue;
      const domain = switches[0]!;
      if (!switches.every((s) => s === domain) || !definite(lab, domain)) continue;
      const label = describeDomain(domain).label;
      const peers = bond.members.map((m) => lab.peer(m)!);
      out.push({
        subject: `${bond.host}:${bond.device}`,
        severity: 'warning',
        devices: [bond.host, describeDomain(domain).device!],
        ports: [...bond.members, ...peers],
        title: `${bond.host}'s ${bond.device} has every member on ${label}`,
        explanation:
          `${bond.host}'s ${bond.device} bonds ${lab.describeAll(bond.members)}, but all of them are cabled to ${label} ` +
          `(${lab.describeAll(peers)}). The bond survives a NIC or a cable, not the switch: reboot or lose ${label} and ` +
          `${bond.host} loses everything on ${bond.device}. Move one member to another switch${bond.mode === 'lacp' ? ' (for LACP, one stacked or MLAG with this one)' : ''}.`,
        evidence: bond.members.map((m, i) => `${m} ↔ ${peers[i]} (${lab.peerLink(m)?.source ?? '?'})`),
      });
    }
    for (const sr of lab.graph.srs) {
      for (const attachment of sr.hosts) {
        const paths = lab.pathsOf(attachment.host, sr.name);
        if (paths.length < 2) continue;
        const common = sharedDomains(paths.map((p) => p.domains)).filter((d) => definite(lab, d));
        if (common.length === 0) continue;
        const label = describeDomain(common[0]!).label;
        out.push({
          subject: `${attachment.host}:sr:${sr.name}`,
          severity: 'warning',
          devices: [attachment.host, describeDomain(common[0]!).device!],
          ports: [...new Set(paths.flatMap((p) => p.legs))],
          title: `every path from ${attachment.host} to ${sr.name} crosses ${label}`,
          explanation:
            `${attachment.host} has ${paths.length} paths to ${sr.name}, and each of them runs through ${label}. Multipathing ` +
            `survives a NIC or a portal, not that switch: when it goes, ${sr.name} is gone from ${attachment.host}. Cable the ` +
            `second storage NIC and the second SAN port to another switch.`,
          evidence: paths.map((p) => `path ${p.interface} → ${p.portal} crosses ${p.domains.filter((d) => d.startsWith('switch:')).join(', ') || 'no known switch'}`),
        });
      }
    }
    return out;
  },
};
