/**
 * BRIDGE-MIB dot1dBasePortIfIndex, dot1dBaseBridgeAddress and the PortList encoding.
 *
 * Every Q-BRIDGE PortList bit, dot1qPvid index and FDB port is a *bridge port*, not an ifIndex: D-Link and
 * TP-Link happen to number them alike, Cisco SB, Aruba and HP do not, and a Linux bridge renumbers them on
 * a cache refresh. So the map is read on every poll and every bit goes through it.
 */
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, LIMITS, bytes, colonHex, columnByIndex, scalar, uint32 } from './values';

/** dot1dBaseBridgeAddress as lower-case colon hex; '' when absent or all zero; a value that is no MAC is a gap. */
export function decodeBridgeAddress(walk: Walk, gaps: Gaps): string {
  const vb = scalar(walk, O.dot1dBaseBridgeAddress);
  if (!vb) return '';
  const b = bytes(vb);
  if (b === null || b.length !== 6) {
    gaps.skip('dot1dBaseBridgeAddress', 'not a 6-octet MAC address', '0');
    return '';
  }
  return b.every((x) => x === 0) ? '' : colonHex(b)!;
}

/** dot1dBasePort → ifIndex. Ports mapped to ifIndex 0 (no interface) are left out. */
export function decodeBridgePorts(walk: Walk, gaps: Gaps): Map<number, number> {
  const map = columnByIndex(walk, O.dot1dBasePortIfIndex, gaps, 'dot1dBasePortIfIndex', uint32);
  for (const [port, ifIndex] of map) if (port === 0 || ifIndex === 0) map.delete(port);
  return map;
}

/**
 * The bridge ports set in a PortList (Q-BRIDGE-MIB PortList TC): octet 0 covers ports 1–8 and its most
 * significant bit is port 1, so port = 8 × octet + (7 − bit) + 1 with bit 0 the least significant.
 * Any length is accepted (agents send 1 to ~460 octets); octets past LIMITS.portListBytes are ignored.
 */
export function portListBits(list: Buffer): number[] {
  const ports: number[] = [];
  const n = Math.min(list.length, LIMITS.portListBytes);
  for (let octet = 0; octet < n; octet++) {
    const byte = list[octet]!;
    if (byte === 0) continue;
    for (let bit = 7; bit >= 0; bit--) if (byte & (1 << bit)) ports.push(octet * 8 + (7 - bit) + 1);
  }
  return ports;
}

/**
 * The ifIndexes of the bridge ports set in a PortList. Bits without a bridge port are ignored: that is what
 * makes the mangled recordings (real octets, then the ASCII of a hex dump) decode to the real members.
 */
export function portListIfIndexes(list: Buffer, bridgePorts: ReadonlyMap<number, number>): { bridgePort: number; ifIndex: number }[] {
  const out: { bridgePort: number; ifIndex: number }[] = [];
  for (const bridgePort of portListBits(list)) {
    const ifIndex = bridgePorts.get(bridgePort);
    if (ifIndex !== undefined) out.push({ bridgePort, ifIndex });
  }
  return out;
}
