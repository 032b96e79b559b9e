/**
 * The links whose two ends both reported themselves and are up: what the link.* rules compare. A link with an
 * end down or unobserved says nothing about speed or MTU.
 */
import type { LabLink, LabPort } from '../graph/types';
import type { Lab } from './lab';

export interface LiveLink {
  link: LabLink;
  a: LabPort;
  b: LabPort;
  /** `device:port` of the end the finding id is named after: the host end, else the first. */
  subject: string;
}

export function liveLinks(lab: Lab): LiveLink[] {
  const out: LiveLink[] = [];
  for (const link of lab.graph.links) {
    if (link.conflict) continue;
    const a = lab.port.get(link.a);
    const b = lab.port.get(link.b);
    if (!a?.obs || !b?.obs || a.obs.up !== true || b.obs.up !== true) continue;
    // Only the link a port's peer is: a weaker source that agrees adds nothing to compare.
    if (lab.peerLink(a.key) !== link && lab.peerLink(b.key) !== link) continue;
    out.push({ link, a, b, subject: link.a });
  }
  return out;
}
