/**
 * Identifiers: xapi's opaque refs and DCE uuids. The simulator makes up new ones deterministically (from a
 * seed text through SHA-256) so that a scripted run gives the same refs every time, while sessions use
 * random ones like a real host, because a client must never be able to predict another client's session.
 */
import { createHash, randomUUID } from 'node:crypto';

/** A version-4-shaped uuid derived from `seed`: the same seed always gives the same uuid. */
export function deriveUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const NULL_REF = 'OpaqueRef:NULL';

export const newSessionRef = () => `OpaqueRef:${randomUUID()}`;
