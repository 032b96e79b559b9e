/**
 * A whole walk → SwitchObservation: every MIB group decoded, then related through the ifIndex — bridge
 * ports give VLAN membership and PVID to ports, the stack and the LAG-MIB give LAGs and each member's LAG.
 *
 * Total: whatever the walk holds, this returns. Malformed values are skipped and counted in `gaps` by the
 * group decoders; should one of them throw all the same (a bug), its part is left empty and the gap says
 * "decoder failed", which the fuzz test treats as a failure.
 */
import type { SnmpPort, SwitchObservation } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import { decodeBridgePorts } from './bridge';
import { decodeEntity } from './entity';
import { decodeFdb } from './fdb';
import { decodeInterfaces } from './interfaces';
import { decodeAddresses } from './ipmib';
import { decodeLagMib, mergeLags } from './lag';
import { decodeHostBonds } from './linux-bond';
import { decodeLldp } from './lldp';
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
    return mergeLags(fromStack, mib, (ifIndex) => byIfIndex.get(ifIndex)?.name || `ifIndex ${ifIndex}`, gaps);
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

  const neighbors = guard('lldp', [], () => decodeLldp(walk, ports, bridgePorts, gaps));
  const fdb = guard('fdb', [], () => decodeFdb(walk, bridgePorts, gaps));
  const entity = guard('entity', { model: '', serial: '' }, () => decodeEntity(walk, gaps));
  const addresses = guard('addresses', [], () => decodeAddresses(walk, gaps));
  const nas = guard('synology', null, () => decodeSynology(walk, gaps));
  const hostBonds = guard('host bonds', [], () => decodeHostBonds(walk, ports, gaps));

  return {
    observedAt,
    system,
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
