/** SNMPv2-MIB system group → SnmpSystem. */
import type { SnmpSystem } from '../../../domain/model/switches';
import type { Walk } from '../varbinds';
import * as O from '../oids';
import { type Gaps, int, oidValue, scalar, text } from './values';

export function decodeSystem(walk: Walk, gaps: Gaps): SnmpSystem {
  const str = (oid: string, name: string): string => {
    const vb = scalar(walk, oid);
    if (!vb) return '';
    const value = text(vb);
    if (value === null) gaps.skip(name, 'wrong type', '0');
    return value ?? '';
  };
  const objectIdVb = scalar(walk, O.sysObjectID);
  const objectId = objectIdVb ? oidValue(objectIdVb) : null;
  if (objectIdVb && objectId === null) gaps.skip('sysObjectID', 'not an OID', '0');
  const uptimeVb = scalar(walk, O.sysUpTime);
  const uptime = uptimeVb ? int(uptimeVb) : null;
  if (uptimeVb && (uptime === null || uptime < 0)) gaps.skip('sysUpTime', 'wrong type', '0');
  return {
    name: str(O.sysName, 'sysName'),
    descr: str(O.sysDescr, 'sysDescr'),
    objectId: objectId ?? '',
    location: str(O.sysLocation, 'sysLocation'),
    contact: str(O.sysContact, 'sysContact'),
    uptimeTicks: uptime !== null && uptime >= 0 ? uptime : null,
  };
}
