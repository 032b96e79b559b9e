/**
 * Linux bonds as net-snmp shows them, and their detail where the host extends snmpd with
 * `extend <token> /bin/cat /proc/net/bonding/<bond>`.
 *
 * net-snmp implements neither ifStackTable nor IEEE8023-LAG-MIB, so a bond is only an ifTable row: ifType
 * ethernetCsmacd(6) (propVirtual(53) without libnl), named bond<something>, with the members' summed speed
 * (the Synology recording: bond0, 2000 Mb/s). VLAN sub-interfaces (bond0.100) are not bonds.
 *
 * The extend output (NET-SNMP-EXTEND-MIB nsExtendOutputFull, index = the token) is the bonding driver's
 * text: "Bonding Mode: …" and one "Slave Interface: …" per member. It belongs to the bond whose name is
 * the token, or ends the token ("bonding-bond0"), or — one bond, one bonding text — the only bond.
 */
import type { SnmpPort, SwitchObservation } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, LIMITS, bufferText, bytes, column } from './values';

type HostBond = SwitchObservation['hostBonds'][number];

const BOND_TYPES = new Set([6, 53, 161]);
const BOND_NAME = /^bond[^.:]*$/;
/** The text is the whole of /proc/net/bonding/<bond>: a few KB even with many members. */
const BONDING_TEXT_CHARS = 65536;
const MAX_MEMBERS = 64;

/** bond_mode_name() in the kernel's bond_main.c → the mode's short name (as `ip link` and ifenslave spell it). */
const MODES: [RegExp, string][] = [
  [/round-robin/i, 'balance-rr'],
  [/active-backup/i, 'active-backup'],
  [/\(xor\)/i, 'balance-xor'],
  [/broadcast/i, 'broadcast'],
  [/802\.3ad/i, '802.3ad'],
  [/transmit load balancing/i, 'balance-tlb'],
  [/adaptive load balancing/i, 'balance-alb'],
];

export interface BondingText {
  mode: string;
  members: string[];
}

/** Parse /proc/net/bonding/<bond>; null when the text is not one (an extend running something else). */
export function parseBondingText(textIn: string): BondingText | null {
  const lines = textIn.slice(0, BONDING_TEXT_CHARS).split(/\r?\n/);
  let modeLine: string | null = null;
  const members: string[] = [];
  for (const line of lines) {
    const m = /^\s*(Bonding Mode|Slave Interface):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Bonding Mode') modeLine ??= m[2]!;
    else if (m[2] && members.length < MAX_MEMBERS && !members.includes(m[2])) members.push(m[2]);
  }
  if (modeLine === null) return null;
  const mode = MODES.find(([re]) => re.test(modeLine!))?.[1] ?? modeLine;
  return { mode, members };
}

/** The extend token of an nsExtendOutputFull index: length, then that many ASCII codes. */
function tokenOf(index: readonly number[]): string | null {
  const [len, ...codes] = index;
  if (len === undefined || codes.length !== len || codes.some((c) => c > 255)) return null;
  return Buffer.from(codes).toString('latin1');
}

export function decodeHostBonds(walk: Walk, ports: readonly SnmpPort[], gaps: Gaps): HostBond[] {
  const bonds: HostBond[] = ports
    .filter((p) => BOND_TYPES.has(p.type) && BOND_NAME.test(p.name))
    .map((p) => ({ name: p.name, ifIndex: p.ifIndex, members: [], mode: '' }));
  const byName = new Map(ports.map((p) => [p.name, p]));
  const bondByName = new Map(bonds.map((b) => [b.name, b]));

  const texts: { token: string; parsed: BondingText }[] = [];
  const outputs = column(walk, O.nsExtendOutputFull, gaps, 'nsExtendOutputFull');
  if (outputs.length > LIMITS.extendOutputs) gaps.note(`nsExtendOutputFull: ${outputs.length} outputs; only the first ${LIMITS.extendOutputs} were read`);
  for (const { index, vb } of outputs.slice(0, LIMITS.extendOutputs)) {
    const token = tokenOf(index);
    const b = bytes(vb);
    const t = b ? bufferText(b, BONDING_TEXT_CHARS) : typeof vb.value === 'string' ? vb.value : null;
    if (token === null || t === null) {
      gaps.skip('nsExtendOutputFull', token === null ? 'index is not a token' : 'wrong type', index);
      continue;
    }
    const parsed = parseBondingText(t);
    if (parsed) texts.push({ token, parsed });
  }

  for (const { token, parsed } of texts) {
    let bond = bondByName.get(token) ?? bonds.find((b) => token.endsWith(b.name));
    if (!bond && bonds.length === 1 && texts.length === 1) bond = bonds[0];
    if (!bond) {
      // The token names an interface that is not called bond*: a bond all the same, since the text says so.
      const port = byName.get(token);
      if (port) {
        bond = { name: port.name, ifIndex: port.ifIndex, members: [], mode: '' };
        bonds.push(bond);
        bondByName.set(bond.name, bond);
      } else {
        gaps.note(`extend "${token.slice(0, 64)}" shows a bond that no ifTable row is named after`);
        continue;
      }
    }
    bond.members = parsed.members;
    bond.mode = parsed.mode;
  }
  return bonds.sort((a, b) => a.ifIndex - b.ifIndex);
}
