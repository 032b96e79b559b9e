/**
 * What LLDP, CDP and FDP put in their IDs, addresses and capability fields, in the lab's words.
 *
 * IDs are decoded by subtype: MAC address (chassis 4, port 3) as colon hex — also when the agent sends it as
 * text, as Aruba CX does; network address (chassis 5, port 4) as IANA family octet + address; the name-like
 * subtypes as text, or colon hex when not printable.
 *
 * Capabilities: LLDP's LldpSystemCapabilitiesMap is BITS, most significant bit first (bit 0 other … 7
 * stationOnly; LLDP-V2 adds 8 cVLAN, 9 sVLAN, 10 tpmr). LibreNMS's recordings hold net-snmp's display of BITS
 * instead, as text: the octets in hex, then the numbers of the bits set ("28 2 4" = 0x28 = bridge, router);
 * that text is read when it is consistent with itself (the listed bits are exactly the octets' bits), which
 * binary BITS of at most 2 octets cannot be by accident. CDP's capabilities are a 32-bit word (CDP spec bits:
 * 0x01 router, 0x02 transparent bridge, 0x04 source-route bridge, 0x08 switch, 0x10 host, 0x20 IGMP,
 * 0x40 repeater, 0x80 phone); FDP's are text ("Router Switch").
 */
import { bufferText, colonHex, isPrintable, macFrom } from './values';

const CHASSIS_MAC = 4;
const CHASSIS_NETWORK = 5;
export const PORT_MAC = 3;
export const PORT_NETWORK = 4;
export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;

/** An LLDP chassis or port ID, decoded by its subtype (`mac` and `network` say which subtype numbers mean those). */
export function decodeLldpId(id: Buffer, subtype: number | null, macSubtype: number, networkSubtype: number): string {
  if (subtype === macSubtype) {
    const mac = macFrom(id);
    if (mac !== null) return mac;
  }
  if (subtype === networkSubtype && id.length >= 1) {
    const address = addressText(id[0]!, id.subarray(1));
    if (address !== null) return address;
  }
  if (isPrintable(id)) return bufferText(id);
  return colonHex(id) ?? '';
}

export const decodeChassisId = (id: Buffer, subtype: number | null): string => decodeLldpId(id, subtype, CHASSIS_MAC, CHASSIS_NETWORK);
export const decodePortId = (id: Buffer, subtype: number | null): string => decodeLldpId(id, subtype, PORT_MAC, PORT_NETWORK);

/** RFC 5952 text of a 16-octet IPv6 address. */
export function ipv6Text(addr: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(addr.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** An address of IANA family 1 (IPv4) or 2 (IPv6) as text; null for other families or wrong lengths. */
export function addressText(family: number, addr: Buffer | readonly number[]): string | null {
  const octets = Buffer.isBuffer(addr) ? addr : addr.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? Buffer.from(addr) : null;
  if (octets === null) return null;
  if (family === AFI_IPV4 && octets.length === 4) return [...octets].join('.');
  if (family === AFI_IPV6 && octets.length === 16) return ipv6Text(octets);
  return null;
}

/**
 * The management address to show of several a neighbour advertised: the first IPv4 that is not 0.0.0.0, else
 * the first IPv6 that is not ::, else ''.
 */
export function preferredAddress(addresses: readonly string[]): string {
  return addresses.find((a) => a.includes('.') && a !== '0.0.0.0') ?? addresses.find((a) => a.includes(':') && a !== '::') ?? '';
}

/** LLDP capability names by bit number (LldpSystemCapabilitiesMap, LLDP-V2's LldpV2SystemCapabilitiesMap). */
export const LLDP_CAPABILITIES = ['other', 'repeater', 'bridge', 'wlan-access-point', 'router', 'telephone', 'docsis-cable-device', 'station', 'c-vlan', 's-vlan', 'tpmr'] as const;
const ORDER = new Map<string, number>(LLDP_CAPABILITIES.map((c, i) => [c, i]));
const inOrder = (names: Iterable<string>): string[] => [...new Set(names)].sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);

/** The bits set in a BITS value, MSB first: octet 0's 0x80 is bit 0. */
function bitsOf(octets: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < octets.length; i++) for (let b = 0; b < 8; b++) if (octets[i]! & (0x80 >> b)) out.push(i * 8 + b);
  return out;
}

const BITS_DISPLAY = /^[0-9A-Fa-f]{2}(?: [0-9A-Fa-f]{2})*(?: \d{1,3})*$/;

/** net-snmp's display of BITS ("28 2 4"): the octets, when the bit numbers after them are exactly theirs. */
function bitsFromDisplay(s: string): Buffer | null {
  if (!BITS_DISPLAY.test(s)) return null;
  const tokens = s.split(' ');
  for (let k = tokens.length; k >= 1; k--) {
    if (!tokens.slice(0, k).every((t) => /^[0-9A-Fa-f]{2}$/.test(t))) continue;
    const octets = Buffer.from(tokens.slice(0, k).join(''), 'hex');
    const listed = tokens.slice(k).map(Number);
    const set = bitsOf(octets);
    if (listed.length === set.length && listed.every((b, i) => b === set[i])) return octets;
  }
  return null;
}

/** LLDP lldpRemSysCapEnabled (binary BITS, or net-snmp's display of them) → capability names; null when unreadable. */
export function lldpCapabilities(value: Buffer): string[] | null {
  if (value.length === 0) return [];
  let octets: Buffer = value;
  if (value.length >= 2 && isPrintable(value)) octets = bitsFromDisplay(value.toString('latin1').trim()) ?? value;
  if (octets.length > 4) return null;
  return inOrder(bitsOf(octets).flatMap((b) => (b < LLDP_CAPABILITIES.length ? [LLDP_CAPABILITIES[b]!] : [])));
}

const CDP_CAPABILITIES: readonly [number, string][] = [
  [0x01, 'router'], [0x02, 'bridge'], [0x04, 'bridge'], [0x08, 'bridge'], [0x10, 'station'], [0x40, 'repeater'], [0x80, 'telephone'],
];

function cdpWordNames(word: number): string[] {
  return inOrder(CDP_CAPABILITIES.filter(([bit]) => (word & bit) !== 0).map(([, name]) => name));
}

/** CDP cdpCacheCapabilities: up to 4 octets of a big-endian word (or, in a recording, that word's hex text) → capability names. */
export function cdpCapabilities(value: Buffer): string[] | null {
  if (value.length > 4) {
    const hex = isPrintable(value) ? value.toString('latin1').replace(/\s+/g, '') : '';
    return /^[0-9A-Fa-f]{2,8}$/.test(hex) ? cdpWordNames(parseInt(hex, 16)) : null;
  }
  let word = 0;
  for (const b of value) word = word * 256 + b;
  return cdpWordNames(word);
}

const FDP_WORDS: Readonly<Record<string, string>> = { router: 'router', switch: 'bridge', bridge: 'bridge', 'trans-bridge': 'bridge', 'source-route-bridge': 'bridge', host: 'station', repeater: 'repeater', phone: 'telephone' };

/** FDP snFdpCacheCapabilities: words ("Router Switch"), or CDP's word in hex when the entry is a CDP neighbour's. */
export function fdpCapabilities(value: Buffer): string[] {
  const s = bufferText(value).trim();
  const hex = s.replace(/^0x/i, '').replace(/\s+/g, '');
  if (/^[0-9A-Fa-f]{1,8}$/.test(hex)) return cdpWordNames(parseInt(hex, 16));
  return inOrder(s.toLowerCase().split(/[\s,;/]+/).flatMap((w) => (FDP_WORDS[w] ? [FDP_WORDS[w]] : [])));
}
