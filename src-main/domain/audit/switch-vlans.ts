/**
 * What a switch carries at the far end of a host's cable: the port's own VLAN membership, or its LAG's
 * where the switch keeps membership on the aggregate (as most do once a port joins a LAG). Null when the
 * switch reports no VLAN data for it (no Q-BRIDGE-MIB): then nothing can be said either way.
 */
import type { PortKey } from '../graph/types';
import type { Lab } from './lab';

export interface SwitchVlans {
  /** The interface whose membership this is: the port, or its LAG. */
  on: PortKey;
  device: string;
  tagged: number[];
  untagged: number | null;
  pvid: number | null;
}

export function switchVlans(lab: Lab, key: PortKey): SwitchVlans | null {
  const lag = lab.lag.get(key);
  if (lag) return lag.observed && (lag.tagged.length > 0 || lag.untagged !== null) ? { on: lag.key, device: lag.device, tagged: lag.tagged, untagged: lag.untagged, pvid: null } : null;
  const port = lab.port.get(key);
  if (!port?.obs || port.kind !== 'switch-port') return null;
  const own = port.obs.tagged.length > 0 || port.obs.untagged !== null;
  const ofLag = lab.lagOfPort.get(key);
  if (!own && ofLag && (ofLag.tagged.length > 0 || ofLag.untagged !== null)) {
    return { on: ofLag.key, device: ofLag.device, tagged: ofLag.tagged, untagged: ofLag.untagged, pvid: port.obs.pvid };
  }
  if (!own && port.obs.pvid === null) return null;
  return { on: key, device: port.device, tagged: port.obs.tagged, untagged: port.obs.untagged, pvid: port.obs.pvid };
}
