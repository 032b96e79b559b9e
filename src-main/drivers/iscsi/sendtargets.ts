/**
 * The answer to `SendTargets=All` (RFC 7143 §13.3 and Appendix C): `TargetName=<iSCSI name>` opens a target,
 * each following `TargetAddress=<host>[:port][,tpgt]` is one of its portals (IPv6 in brackets), and some
 * targets add a `TargetAlias`. tgtd lists only the address the discovery connection arrived on (reference
 * san.md §1.7), so one portal's answer says nothing about the others.
 */
import { protocolError } from './errors/probe-error';
import type { KeyPair } from './keys';

export const ISCSI_PORT = 3260;
/** §4.2.7.1: an iSCSI name is at most 223 bytes. */
const MAX_NAME_BYTES = 223;

export interface TargetPortal {
  address: string;
  port: number;
  tpgt: number | null;
}

export interface DiscoveredTarget {
  iqn: string;
  alias: string | null;
  portals: TargetPortal[];
}

const BRACKETED = /^\[([0-9A-Za-z:.%_-]+)\](?::([0-9]{1,5}))?(?:,([0-9]{1,5}))?$/;
const PLAIN = /^([0-9A-Za-z._-]+)(?::([0-9]{1,5}))?(?:,([0-9]{1,5}))?$/;
const BARE_V6 = /^([0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(?:,([0-9]{1,5}))?$/;

/** `TargetAddress` (§13.8): `10.0.0.1:3260,1`, `[fe80::1]:3260,2`, `san.lab`; a bare IPv6 literal is read leniently. */
export function parseTargetAddress(value: string): TargetPortal {
  let address: string | undefined;
  let port: string | undefined;
  let tpgt: string | undefined;
  const bracketed = BRACKETED.exec(value);
  const plain = bracketed ? null : PLAIN.exec(value);
  const bare = bracketed || plain ? null : BARE_V6.exec(value);
  if (bracketed) [, address, port, tpgt] = bracketed;
  else if (plain) [, address, port, tpgt] = plain;
  else if (bare && (bare[1]!.match(/:/g) ?? []).length >= 2) [, address, tpgt] = bare;
  const portNumber = port === undefined ? ISCSI_PORT : Number(port);
  const tpgtNumber = tpgt === undefined ? null : Number(tpgt);
  if (address === undefined || portNumber < 1 || portNumber > 65535 || (tpgtNumber !== null && tpgtNumber > 65535)) {
    throw protocolError(`TargetAddress "${value.slice(0, 80)}" is not host[:port][,tpgt]`);
  }
  return { address, port: portNumber, tpgt: tpgtNumber };
}

/** The targets in order of first appearance; a name listed twice is merged, a portal listed twice kept once. */
export function parseSendTargets(pairs: readonly KeyPair[]): DiscoveredTarget[] {
  const byName = new Map<string, DiscoveredTarget>();
  let current: DiscoveredTarget | null = null;
  for (const [key, value] of pairs) {
    if (key === 'TargetName') {
      if (value === '' || Buffer.byteLength(value) > MAX_NAME_BYTES) throw protocolError(`TargetName "${value.slice(0, 80)}" is not an iSCSI name of 1 to ${MAX_NAME_BYTES} bytes`);
      current = byName.get(value) ?? null;
      if (!current) {
        current = { iqn: value, alias: null, portals: [] };
        byName.set(value, current);
      }
    } else if (key === 'TargetAddress' || key === 'TargetAlias') {
      if (!current) throw protocolError(`${key} comes before any TargetName`);
      if (key === 'TargetAlias') {
        current.alias = value === '' ? null : value;
      } else {
        const portal = parseTargetAddress(value);
        const known = current.portals.some((p) => p.address === portal.address && p.port === portal.port && p.tpgt === portal.tpgt);
        if (!known) current.portals.push(portal);
      }
    }
    // Any other key is not part of a SendTargets answer (§13.3) and is ignored.
  }
  return [...byName.values()];
}
