/**
 * IP-MIB addresses → {address, ifIndex, prefixLength}: the legacy ipAddrTable (IPv4, index a.b.c.d, mask
 * in ipAdEntNetMask) and ipAddressTable (index addrType.len.addr, prefix length as the last
 * sub-identifier of the ipAddressPrefix RowPointer). Unspecified (0.0.0.0, ::) and broadcast(3) rows are
 * left out; zoned types (ipv4z, ipv6z) too, since a link-local zone names no routable address. When both
 * tables list an address, ipAddrTable's row is kept.
 */
import type { SwitchObservation } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { ipv6Text } from './lldp';
import { type Gaps, column, int, ipv4Value, oidValue, uint32 } from './values';

type Address = SwitchObservation['addresses'][number];

const ADDR_IPV4 = 1;
const ADDR_IPV6 = 2;
const TYPE_BROADCAST = 3;

/** 255.255.240.0 → 20; null for a non-contiguous mask. */
export function maskLength(mask: string): number | null {
  const bits = mask
    .split('.')
    .map((part) => Number(part).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits) && bits.length === 32 ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : null;
}

export function decodeAddresses(walk: Walk, gaps: Gaps): Address[] {
  const out = new Map<string, Address>();
  const masks = new Map<string, string>();
  for (const { index, vb } of column(walk, O.ipAdEntNetMask, gaps, 'ipAdEntNetMask')) {
    const mask = ipv4Value(vb);
    if (index.length === 4 && mask !== null) masks.set(index.join('.'), mask);
  }
  for (const { index, vb } of column(walk, O.ipAdEntIfIndex, gaps, 'ipAdEntIfIndex')) {
    const ifIndex = uint32(vb);
    if (index.length !== 4 || index.some((p) => p > 255) || ifIndex === null) {
      gaps.skip('ipAdEntIfIndex', ifIndex === null ? 'wrong type' : 'index is not an IPv4 address', index);
      continue;
    }
    const address = index.join('.');
    if (address === '0.0.0.0' || ifIndex === 0) continue;
    const mask = masks.get(address);
    out.set(address, { address, ifIndex, prefixLength: mask === undefined ? null : maskLength(mask) });
  }

  const types = new Map<string, number>();
  for (const { index, vb } of column(walk, O.ipAddressType, gaps, 'ipAddressType')) {
    const t = int(vb);
    if (t !== null) types.set(index.join('.'), t);
  }
  const prefixes = new Map<string, number>();
  for (const { index, vb } of column(walk, O.ipAddressPrefix, gaps, 'ipAddressPrefix')) {
    const pointer = oidValue(vb);
    const last = pointer?.split('.').pop();
    // 0.0 is the RowPointer "none".
    if (pointer && pointer !== '0.0' && last !== undefined) prefixes.set(index.join('.'), Number(last));
  }
  for (const { index, vb } of column(walk, O.ipAddressIfIndex, gaps, 'ipAddressIfIndex')) {
    const ifIndex = uint32(vb);
    const [addrType, len, ...addr] = index;
    if (ifIndex === null || addrType === undefined || len === undefined || addr.length !== len || addr.some((p) => p > 255)) {
      gaps.skip('ipAddressIfIndex', ifIndex === null ? 'wrong type' : 'index is not type.length.address', index);
      continue;
    }
    if (types.get(index.join('.')) === TYPE_BROADCAST || ifIndex === 0) continue;
    let address: string;
    let maxPrefix: number;
    if (addrType === ADDR_IPV4 && len === 4) [address, maxPrefix] = [addr.join('.'), 32];
    else if (addrType === ADDR_IPV6 && len === 16) [address, maxPrefix] = [ipv6Text(Buffer.from(addr)), 128];
    else continue;
    if (address === '0.0.0.0' || address === '::' || out.has(address)) continue;
    const prefix = prefixes.get(index.join('.'));
    out.set(address, { address, ifIndex, prefixLength: prefix !== undefined && prefix <= maxPrefix ? prefix : null });
  }
  return [...out.values()];
}
