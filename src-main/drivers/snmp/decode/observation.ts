/**
 * A whole walk → SwitchObservation: every MIB group decoded, then related through the ifIndex — bridge
 * ports give VLAN membership and PVID to ports, the stack, the LAG-MIB and the vendor trunk tables give LAGs
 * and each member's LAG, LLDP gives each port the ID it sends, ENTITY-MIB each port its stack member.
 *
 * Total: whatever the walk holds, this returns. Malformed values are skipped and counted in `gaps` by the
 * group decoders; should one of them throw all the same (a bug), its part is left empty and the gap says
 * "decoder failed", which the fuzz test treats as a failure.
 */
import type { SnmpPort, SwitchObservation } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import { decodeBridgeAddress, decodeBridgePorts } from './bridge';
import { decodeCdp } from './cdp';
import { decodeEntity, type EntityData } from './entity';
import { decodeFdb } from './fdb';
import { decodeInterfaces } from './interfaces';
import { decodeAddresses } from './ipmib';
import { decodeLagMib, mergeLags, type VendorLags } from './lag';
import { decodeHpTrunks, decodePagp } from './lag-vendor';
import { decodeHostBonds } from './linux-bond';
import { decodeLldp } from './lldp';
import { decodeLldpLocal, type LldpLocal } from './lldp-local';
import { decodeQBridge } from './qbridge';
import { decodeIfStack, lagsFromStack } from './stack';
import { decodeSynology } from './synology';
import { decodeSystem } from './system';
import { Gaps, byNumber } from './values';

export const DECODER_FAILED = 'decoder failed';

export function decodeObservation(walk: Walk, observedAt: string): SwitchObservation {
  const gaps = new Gaps();
  const guard = <T>(part: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (err) {
      gaps.note(`${part}: ${DECODER_FAILED} (${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'})`);
      return fallback;
    }
  };

  const system = guard('system', { name: '', descr: '', objectId: '', location: '', contact: '', uptimeTicks: null }, () => decodeSystem(walk, gaps));
  const ports = guard<SnmpPort[]>('interfaces', [], () => decodeInterfaces(walk, gaps));
  const byIfIndex = new Map(ports.map((p) => [p.ifIndex, p]));
  const bridgePorts = guard('bridge', new Map<number, number>(), () => decodeBridgePorts(walk, gaps));
  const bridgeAddress = guard('bridge address', '', () => decodeBridgeAddress(walk, gaps));

  const qbridge = guard('vlans', { vlans: [], members: [], pvids: new Map<number, number>(), source: null }, () => decodeQBridge(walk, bridgePorts, gaps));
  const placed = new Set<string>();
  for (const m of qbridge.members) {
    const port = byIfIndex.get(m.ifIndex);
    const key = `${m.ifIndex}/${m.vlan}/${m.untagged}`;
    if (!port || placed.has(key)) continue;
    placed.add(key);
    (m.untagged ? port.untaggedVlans : port.taggedVlans).push(m.vlan);
  }
  for (const [ifIndex, pvid] of qbridge.pvids) {
    const port = byIfIndex.get(ifIndex);
    if (port) port.pvid = pvid;
  }
  for (const port of ports) {
    port.taggedVlans.sort(byNumber);
    port.untaggedVlans.sort(byNumber);
  }

  const lags = guard('lags', [], () => {
    const typeOf = new Map(ports.map((p) => [p.ifIndex, p.type]));
    const fromStack = lagsFromStack(decodeIfStack(walk, gaps), typeOf);
    const mib = decodeLagMib(walk, gaps);
    const vendors = guard<VendorLags[]>('vendor trunks', [], () => [decodePagp(walk, gaps), decodeHpTrunks(walk, ports, gaps)]);
    return mergeLags(fromStack, mib, vendors, (ifIndex) => byIfIndex.get(ifIndex)?.name || `ifIndex ${ifIndex}`, gaps);
  });
  for (const lag of lags) {
    for (const member of lag.memberIfIndexes) {
      const port = byIfIndex.get(member);
      if (!port) continue;
      if (port.lagIfIndex !== null && port.lagIfIndex !== lag.ifIndex) {
        gaps.note(`ifIndex ${member} is a member of both LAG ${port.lagIfIndex} and LAG ${lag.ifIndex}; kept the first`);
        continue;
      }
      port.lagIfIndex = lag.ifIndex;
    }
  }

  const noLocal: LldpLocal = { chassisId: '', portIds: new Map(), localOf: () => null };
  const local = guard('lldp local', noLocal, () => decodeLldpLocal(walk, ports, bridgePorts, gaps));
  for (const [ifIndex, id] of local.portIds) {
    const port = byIfIndex.get(ifIndex);
    if (port) port.lldpPortId = id;
  }
  const neighbors = [...guard('lldp', [], () => decodeLldp(walk, local, gaps)), ...guard('cdp/fdp', [], () => decodeCdp(walk, gaps))];
  const fdb = guard('fdb', [], () => decodeFdb(walk, bridgePorts, gaps));
  const entity = guard<EntityData>('entity', { model: '', serial: '', stackMembers: [], memberOfPort: new Map() }, () => decodeEntity(walk, gaps));
  for (const [ifIndex, member] of entity.memberOfPort) {
    const port = byIfIndex.get(ifIndex);
    if (port) port.stackMember = member;
  }
  const addresses = guard('addresses', [], () => decodeAddresses(walk, gaps));
  const nas = guard('synology', null, () => decodeSynology(walk, gaps));
  const hostBonds = guard('host bonds', [], () => decodeHostBonds(walk, ports, gaps));

  return {
    observedAt,
    system,
    bridgeAddress,
    localChassisId: local.chassisId,
    stackMembers: entity.stackMembers,
    ports,
    lags,
    vlans: qbridge.vlans,
    neighbors,
    fdb,
    model: entity.model,
    serial: entity.serial,
    addresses,
    nas,
    hostBonds,
    gaps: gaps.toArray(),
  };
}
