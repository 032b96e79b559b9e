/**
 * The sources weighed: claims of the same cable merge into one link (its source the most trusted one that
 * saw it, the others in `alsoSeenBy`); claims that give one physical port two different peers are both kept,
 * each naming the other in `conflict`, and the audit turns that into a finding. A claim about an aggregate
 * (a bond's MAC on a LAG, a LACP partner) agrees with claims about its members.
 */
import type { LabDevice, LabLink, LinkSource, PortKey } from './types';
import { LINK_SOURCE_ORDER } from './types';
import { type DiscoveryInput, type LinkClaim, Interfaces, cableClaims, claimKey, fdbClaims, lacpClaims, lldpClaims } from './discover';

const trust = (source: LinkSource) => LINK_SOURCE_ORDER.indexOf(source);

export interface ResolvedLinks {
  links: LabLink[];
  peers: Map<PortKey, { peer: PortKey; link: LabLink }>;
  interfaces: Interfaces;
}

export function resolveLinks(input: DiscoveryInput): ResolvedLinks {
  const ifs = new Interfaces(input);
  const portKeys = new Set(input.ports.map((p) => p.key));
  const known = (key: PortKey) => ifs.aggregates.has(key) || portKeys.has(key);
  const lldp = lldpClaims(input, ifs);
  const claims: LinkClaim[] = [...lldp, ...lacpClaims(input, ifs), ...fdbClaims(input, ifs, lldp), ...cableClaims(input)];

  const merged = new Map<string, { a: PortKey; b: PortKey; sources: Set<LinkSource>; evidence: string[] }>();
  for (const claim of claims) {
    if (claim.a === claim.b || !known(claim.a) || !known(claim.b)) continue;
    const key = claimKey(claim.a, claim.b);
    const entry = merged.get(key) ?? { a: claim.a, b: claim.b, sources: new Set<LinkSource>(), evidence: [] };
    entry.sources.add(claim.source);
    if (!entry.evidence.includes(claim.evidence)) entry.evidence.push(claim.evidence);
    merged.set(key, entry);
  }

  const physical = new Set(input.ports.filter((p) => p.physical).map((p) => p.key));
  const kindOf = new Map<string, LabDevice['kind']>();
  for (const d of input.devices) if (!kindOf.has(d.name)) kindOf.set(d.name, d.kind);
  const links: LabLink[] = [...merged.values()].map((entry) => {
    const sources = [...entry.sources].sort((x, y) => trust(x) - trust(y));
    // The host end first where there is one, so a link reads "xen1:eth1 ↔ sw-a:5".
    const hostFirst = isHostSide(kindOf, entry.b) && !isHostSide(kindOf, entry.a);
    return {
      a: hostFirst ? entry.b : entry.a,
      b: hostFirst ? entry.a : entry.b,
      source: sources[0]!,
      alsoSeenBy: sources.slice(1),
      conflict: null,
      evidence: entry.evidence,
      inInventory: entry.sources.has('cable'),
    };
  });

  // A claim that names a bond or LAG at one end and a port at the other (a bond's MAC learned on sw-a:5)
  // adds its source to the link that names the member at that end, when one does; it is not a link of its own.
  const isAggregate = (key: PortKey) => !physical.has(key);
  for (const coarse of [...links]) {
    const aggregateEnd = isAggregate(coarse.a) ? coarse.a : isAggregate(coarse.b) ? coarse.b : null;
    if (aggregateEnd === null) continue;
    const portEnd = aggregateEnd === coarse.a ? coarse.b : coarse.a;
    if (isAggregate(portEnd)) continue;
    const fine = links.find((l) => l !== coarse && (l.a === portEnd || l.b === portEnd) && ifs.related(aggregateEnd, l.a === portEnd ? l.b : l.a) && !isAggregate(l.a === portEnd ? l.b : l.a));
    if (!fine) continue;
    for (const source of [coarse.source, ...coarse.alsoSeenBy]) {
      if (source !== fine.source && !fine.alsoSeenBy.includes(source)) fine.alsoSeenBy.push(source);
    }
    fine.alsoSeenBy.sort((x, y) => trust(x) - trust(y));
    if (trust(fine.alsoSeenBy[0]!) < trust(fine.source)) {
      fine.alsoSeenBy.push(fine.source);
      fine.source = fine.alsoSeenBy.shift()!;
      fine.alsoSeenBy.sort((x, y) => trust(x) - trust(y));
    }
    fine.evidence.push(...coarse.evidence.filter((e) => !fine.evidence.includes(e)));
    links.splice(links.indexOf(coarse), 1);
  }

  // Two links meeting at one physical port with unrelated far ends disagree.
  const atPort = new Map<PortKey, LabLink[]>();
  for (const link of links) {
    for (const end of [link.a, link.b]) {
      if (!physical.has(end)) continue;
      const list = atPort.get(end) ?? [];
      list.push(link);
      atPort.set(end, list);
    }
  }
  const other = (link: LabLink, end: PortKey) => (link.a === end ? link.b : link.a);
  for (const [end, list] of atPort) {
    for (const link of list) {
      const rivals = list.filter((r) => r !== link && !ifs.related(other(r, end), other(link, end)));
      if (rivals.length === 0) continue;
      const said = rivals.map((r) => `${[r.source, ...r.alsoSeenBy].join('+')} says ${end} ↔ ${other(r, end)}`);
      link.conflict = link.conflict ? `${link.conflict}; ${said.join('; ')}` : said.join('; ');
    }
  }

  // Each physical port's peer: the most trusted link at it; where only its bond or LAG has a link, that.
  const best = (candidates: LabLink[]) =>
    [...candidates].sort((x, y) => trust(x.source) - trust(y.source) || y.alsoSeenBy.length - x.alsoSeenBy.length)[0];
  const peers = new Map<PortKey, { peer: PortKey; link: LabLink }>();
  for (const key of physical) {
    const here = atPort.get(key) ?? [];
    const top = here.length > 0 ? best(here) : undefined;
    if (top) {
      // Sources that agree with the most trusted one may name the far port more exactly (a cable to eth1
      // where the forwarding table saw the bond): the far port wins over its bond or LAG.
      const agreeing = here.filter((l) => ifs.related(other(l, key), other(top, key)));
      const exact = agreeing.find((l) => physical.has(other(l, key))) ?? top;
      peers.set(key, { peer: other(exact, key), link: exact });
      continue;
    }
    const aggregate = ifs.bondOfMember.get(key)?.key ?? ifs.lagOfMember.get(key)?.key;
    if (!aggregate) continue;
    const viaAggregate = best(links.filter((l) => l.a === aggregate || l.b === aggregate));
    if (viaAggregate) peers.set(key, { peer: other(viaAggregate, aggregate), link: viaAggregate });
  }
  return { links, peers, interfaces: ifs };
}

function isHostSide(kindOf: ReadonlyMap<string, LabDevice['kind']>, key: PortKey): boolean {
  const device = key.slice(0, key.indexOf(':'));
  const kind = kindOf.get(device);
  return kind !== undefined && kind !== 'switch';
}
