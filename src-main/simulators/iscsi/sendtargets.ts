/**
 * The SendTargets answer (RFC 7143 §13.3, Appendix C): `TargetName`, an optional `TargetAlias`, and one
 * `TargetAddress=<host>:<port>,<tpgt>` per portal, cut into Text Response data segments no longer than the
 * initiator's MaxRecvDataSegmentLength.
 */
import { encodeTextKeys } from './wire';

export interface ResponderTarget {
  iqn: string;
  alias?: string;
  /** 'host:port[,tpgt]' / '[v6]:port[,tpgt]'. Absent: the address the connection arrived on, like tgtd. */
  portals?: string[];
}

const withTpgt = (portal: string) => (/,\d+$/.test(portal) ? portal : `${portal},1`);

/** The key text for `SendTargets=<value>`: `All`, or one target's name; anything else lists nothing. */
export function sendTargetsText(targets: readonly ResponderTarget[], value: string, arrivedOn: string): Buffer {
  const chosen = value === 'All' ? targets : targets.filter((t) => t.iqn === value);
  const pairs: [string, string][] = [];
  for (const target of chosen) {
    pairs.push(['TargetName', target.iqn]);
    if (target.alias) pairs.push(['TargetAlias', target.alias]);
    for (const portal of target.portals?.length ? target.portals : [arrivedOn]) pairs.push(['TargetAddress', withTpgt(portal)]);
  }
  return encodeTextKeys(pairs);
}

/** Splits text into parts of at most `size` bytes; a part may end inside a pair (the C bit says so). */
export function splitText(text: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.subarray(at, at + size));
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}
