/**
 * Is a host bond whole? Neither XenCenter nor Xen Orchestra says so directly: both show the bond
 * interface's carrier, which stays up while any one member is up. Here a bond is judged by its members'
 * own link (carrier) and by the host's links_up count; members' currently_attached is ignored because
 * xapi sets it false on every member while the bond is up.
 */
import type { HostBond, HostNic } from '../model/pools';

export type BondState = 'ok' | 'degraded' | 'down' | 'unknown';

export interface BondHealth {
  state: BondState;
  membersUp: number;
  members: number;
  /** Members without link, by device. */
  down: string[];
  /** One line for the screen, e.g. "1 of 2 links up: eth1 down". */
  text: string;
}

export function bondHealth(bond: HostBond, nics: readonly HostNic[]): BondHealth {
  const byDevice = new Map(nics.map((nic) => [nic.device, nic]));
  const known = bond.members.map((device) => byDevice.get(device)?.carrier ?? null);
  const members = bond.members.length;
  const down = bond.members.filter((_, i) => known[i] === false);
  const anyUnknown = known.some((carrier) => carrier === null);
  // Carrier per member is the finer truth; links_up fills in where the host gave no member metrics.
  let membersUp = known.filter((carrier) => carrier === true).length;
  if (anyUnknown && bond.linksUp !== null) membersUp = Math.min(bond.linksUp, members);
  else if (!anyUnknown && bond.linksUp !== null) membersUp = Math.min(membersUp, bond.linksUp);

  let state: BondState;
  if (members === 0) state = 'unknown';
  else if (anyUnknown && bond.linksUp === null) state = 'unknown';
  else if (membersUp === 0) state = 'down';
  else if (membersUp < members || members < 2) state = 'degraded';
  else state = 'ok';

  const what = state === 'unknown' ? 'link state unknown' : `${membersUp} of ${members} links up`;
  const detail =
    members < 2 && members > 0 ? ': a bond of one NIC has no second path' : down.length > 0 ? `: ${down.join(', ')} down` : '';
  return { state, membersUp, members, down, text: what + detail };
}
