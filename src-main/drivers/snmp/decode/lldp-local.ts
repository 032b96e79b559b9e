/**
 * This switch's own LLDP identity (LLDP-MIB lldpLocalSystemData, LLDP-V2-MIB lldpV2LocalSystemData): its chassis
 * ID, the port ID it sends on each port, and which interface each v1 local port number is.
 *
 * A v1 lldpLocPortNum (an LldpPortNumber, which the MIB ties to dot1dBasePort on a bridge and many vendors set to
 * the ifIndex) is resolved in this order (first that gives exactly one interface wins):
 *   1. lldpLocPortId of that port number, when it is text, equal to one ifName, else one ifDescr;
 *   2. lldpLocPortDesc of that port number equal to one ifDescr, else one ifName (the MIB says it should be
 *      the ifDescr);
 *   3. dot1dBasePortIfIndex[port number];
 *   4. the port number itself, when it is an ifIndex in the ifTable.
 * LibreNMS (includes/discovery/discovery-protocols.inc.php) does 1, then 3 or else 4; 2 only adds a
 * name-based match before the numeric ones. v2 local ports are indexed by ifIndex.
 *
 * The chassis ID is v1's when the agent has it, else v2's; the per-port ID likewise, both decoded as a
 * neighbour's would be (lldp-ids.ts), so they compare equal to what the neighbour reports of this switch.
 */
import type { SnmpPort } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { PORT_MAC, PORT_NETWORK, decodeChassisId, decodePortId } from './lldp-ids';
import { type Gaps, bufferText, bytes, column, int, isPrintable, scalar, text } from './values';

interface LocalPortRows {
  idSubtype: Map<number, number>;
  id: Map<number, Buffer>;
  desc: Map<number, string>;
}

function localPortRows(walk: Walk, tableOid: string, object: string, gaps: Gaps): LocalPortRows {
  const rows: LocalPortRows = { idSubtype: new Map(), id: new Map(), desc: new Map() };
  for (const { index, vb } of column(walk, tableOid, gaps, object)) {
    if (index.length !== 2) continue;
    const [col, port] = index as [number, number];
    if (col === 2) {
      const n = int(vb);
      if (n !== null) rows.idSubtype.set(port, n);
    } else if (col === 3) {
      const b = bytes(vb);
      if (b) rows.id.set(port, b);
    } else if (col === 4) {
      const t = text(vb);
      if (t !== null) rows.desc.set(port, t.trim());
    }
  }
  return rows;
}

export interface LldpLocal {
  /** lldpLocChassisId (else lldpV2LocChassisId) decoded by its subtype; '' when absent. */
  chassisId: string;
  /** ifIndex → the port ID this switch sends on it. */
  portIds: Map<number, string>;
  /** v1 lldpLocPortNum → ifIndex, by the rules in the header; null when none matches. */
  localOf: (portNum: number) => number | null;
}

function chassisIdOf(walk: Walk, subtypeOid: string, idOid: string): string {
  const id = scalar(walk, idOid);
  const b = id ? bytes(id) : null;
  if (!b || b.length === 0) return '';
  const sub = scalar(walk, subtypeOid);
  return decodeChassisId(b, sub ? int(sub) : null);
}

export function decodeLldpLocal(walk: Walk, ports: readonly SnmpPort[], bridgePorts: ReadonlyMap<number, number>, gaps: Gaps): LldpLocal {
  const unique = (values: Map<string, number[]>, key: string): number | null => {
    const found = values.get(key);
    return found && found.length === 1 ? found[0]! : null;
  };
  const byName = new Map<string, number[]>();
  const byDescr = new Map<string, number[]>();
  const index = (map: Map<string, number[]>, key: string, ifIndex: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [ifIndex]);
    else if (list.length < 2) list.push(ifIndex); // two are enough to know it is not unique
  };
  for (const p of ports) {
    if (p.name !== '') index(byName, p.name, p.ifIndex);
    if (p.descr !== '') index(byDescr, p.descr, p.ifIndex);
  }
  const known = new Set(ports.map((p) => p.ifIndex));
  const v1 = localPortRows(walk, O.lldpLocPortTable, 'lldpLocPortTable', gaps);
  const localOf = (portNum: number): number | null => {
    const id = v1.id.get(portNum);
    const subtype = v1.idSubtype.get(portNum);
    if (id && id.length > 0 && subtype !== PORT_MAC && subtype !== PORT_NETWORK && isPrintable(id)) {
      const name = bufferText(id).trim();
      const hit = unique(byName, name) ?? unique(byDescr, name);
      if (hit !== null) return hit;
    }
    const desc = v1.desc.get(portNum);
    if (desc) {
      const hit = unique(byDescr, desc) ?? unique(byName, desc);
      if (hit !== null) return hit;
    }
    const viaBridge = bridgePorts.get(portNum);
    if (viaBridge !== undefined) return viaBridge;
    return known.has(portNum) ? portNum : null;
  };

  const portIds = new Map<number, string>();
  for (const [portNum, id] of v1.id) {
    const ifIndex = localOf(portNum);
    if (ifIndex !== null && id.length > 0 && !portIds.has(ifIndex)) portIds.set(ifIndex, decodePortId(id, v1.idSubtype.get(portNum) ?? null));
  }
  const v2 = localPortRows(walk, O.lldpV2LocPortTable, 'lldpV2LocPortTable', gaps);
  for (const [ifIndex, id] of v2.id) {
    if (ifIndex !== 0 && id.length > 0 && !portIds.has(ifIndex)) portIds.set(ifIndex, decodePortId(id, v2.idSubtype.get(ifIndex) ?? null));
  }

  const chassisId = chassisIdOf(walk, O.lldpLocChassisIdSubtype, O.lldpLocChassisId) || chassisIdOf(walk, O.lldpV2LocChassisIdSubtype, O.lldpV2LocChassisId);
  return { chassisId, portIds, localOf };
}
