/**
 * IF-MIB ifTable + ifXTable, and EtherLike-MIB duplex → one SnmpPort per ifIndex. VLANs, PVID and LAG
 * membership are left empty here; observation.ts fills them from the bridge, Q-BRIDGE and LAG decoders.
 */
import type { SnmpPort } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, byNumber, bytes, colonHex, columnByIndex, counter64, int, text, uint32 } from './values';

const IF_ADMIN_UP = 1;
const IF_OPER_UP = 1;
const DUPLEX_HALF = 2;
const DUPLEX_FULL = 3;

export function decodeInterfaces(walk: Walk, gaps: Gaps): SnmpPort[] {
  const col = <T>(oid: string, name: string, read: (vb: Varbind) => T | null) => columnByIndex(walk, oid, gaps, name, read);
  const mac = (vb: Varbind) => {
    const b = bytes(vb);
    return b ? colonHex(b) : null;
  };
  // Names are trimmed: agents pad them (EdgeSwitch: " Link Aggregate 1"), and a padded name matches nothing.
  const trimmed = (vb: Varbind) => text(vb)?.trim() ?? null;
  const descr = col(O.ifDescr, 'ifDescr', trimmed);
  const type = col(O.ifType, 'ifType', int);
  const mtu = col(O.ifMtu, 'ifMtu', int);
  const speed = col(O.ifSpeed, 'ifSpeed', uint32);
  const phys = col(O.ifPhysAddress, 'ifPhysAddress', mac);
  const admin = col(O.ifAdminStatus, 'ifAdminStatus', int);
  const oper = col(O.ifOperStatus, 'ifOperStatus', int);
  const inOctets = col(O.ifInOctets, 'ifInOctets', counter64);
  const inErrors = col(O.ifInErrors, 'ifInErrors', uint32);
  const outOctets = col(O.ifOutOctets, 'ifOutOctets', counter64);
  const outErrors = col(O.ifOutErrors, 'ifOutErrors', uint32);
  const name = col(O.ifName, 'ifName', trimmed);
  const hcIn = col(O.ifHCInOctets, 'ifHCInOctets', counter64);
  const hcOut = col(O.ifHCOutOctets, 'ifHCOutOctets', counter64);
  const highSpeed = col(O.ifHighSpeed, 'ifHighSpeed', uint32);
  const alias = col(O.ifAlias, 'ifAlias', trimmed);
  const duplex = col(O.dot3StatsDuplexStatus, 'dot3StatsDuplexStatus', int);

  const ifIndexes = new Set<number>();
  for (const m of [descr, type, mtu, speed, phys, admin, oper, name, highSpeed, alias]) for (const k of m.keys()) ifIndexes.add(k);
  // An index of 0 is not an interface (InterfaceIndex is 1..2147483647).
  ifIndexes.delete(0);

  const ports: SnmpPort[] = [];
  for (const ifIndex of [...ifIndexes].sort(byNumber)) {
    const d = descr.get(ifIndex) ?? '';
    const n = name.get(ifIndex) ?? '';
    const hasHc = hcIn.has(ifIndex) || hcOut.has(ifIndex);
    const has32 = inOctets.has(ifIndex) || outOctets.has(ifIndex);
    const dup = duplex.get(ifIndex);
    ports.push({
      ifIndex,
      name: n !== '' ? n : d,
      descr: d,
      alias: alias.get(ifIndex) ?? '',
      type: type.get(ifIndex) ?? 0,
      adminUp: admin.get(ifIndex) === IF_ADMIN_UP,
      operUp: oper.get(ifIndex) === IF_OPER_UP,
      speedMbps: speedOf(highSpeed.get(ifIndex), speed.get(ifIndex)),
      mtu: mtu.get(ifIndex) ?? null,
      mac: phys.get(ifIndex) ?? '',
      duplex: dup === DUPLEX_FULL ? 'full' : dup === DUPLEX_HALF ? 'half' : null,
      pvid: null,
      taggedVlans: [],
      untaggedVlans: [],
      lagIfIndex: null,
      stackMember: null,
      inOctets: hasHc ? (hcIn.get(ifIndex) ?? null) : (inOctets.get(ifIndex) ?? null),
      outOctets: hasHc ? (hcOut.get(ifIndex) ?? null) : (outOctets.get(ifIndex) ?? null),
      counterBits: hasHc ? 64 : has32 ? 32 : null,
      inErrors: inErrors.get(ifIndex) ?? null,
      outErrors: outErrors.get(ifIndex) ?? null,
    });
  }
  return ports;
}

/**
 * Mb/s: ifHighSpeed when it says something (it is exact above 4.29 Gb/s, where ifSpeed saturates), else
 * ifSpeed / 10^6 (also for links under 1 Mb/s, which ifHighSpeed rounds to 0); null when both say 0.
 */
export function speedOf(highSpeedMbps: number | undefined, speedBps: number | undefined): number | null {
  if (highSpeedMbps !== undefined && highSpeedMbps > 0) return highSpeedMbps;
  if (speedBps !== undefined && speedBps > 0) return speedBps / 1e6;
  return null;
}
