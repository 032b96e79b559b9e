/**
 * storage.pif-can-unplug: a storage interface (an address, not management) that xapi may unplug. Without
 * disallow_unplug, xapi can take the interface down on a network change and the SR loses its path;
 * xapi itself warns with IP_CONFIGURED_PIF_CAN_UNPLUG. Source: XCP-ng "dedicated storage NIC"
 * (disallow-unplug=true), xapi's IP_CONFIGURED_PIF_CAN_UNPLUG; reference xenapi.md §8.6.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const storagePifCanUnplug: Rule = {
  id: 'storage.pif-can-unplug',
  finds: 'a storage interface without disallow_unplug',
  source: 'xenapi.md §8.6: XCP-ng dedicated storage NIC, IP_CONFIGURED_PIF_CAN_UNPLUG',
  run(lab) {
    const out: RawFinding[] = [];
    for (const host of lab.graph.hosts) {
      for (const address of host.addresses) {
        if (address.management || address.disallowUnplug) continue;
        if (!lab.graph.paths.some((p) => p.host === host.name && p.interface === address.interface)) continue;
        out.push({
          subject: `${host.name}:${address.interface}`,
          severity: 'info',
          devices: [host.name],
          ports: address.legs,
          title: `${host.name}'s storage interface ${address.interface} may be unplugged by xapi`,
          explanation:
            `${address.interface} carries iSCSI (${address.ip}) but is not marked disallow-unplug, so xapi may unplug it on a network ` +
            `reconfiguration and the SR loses that path. Set disallow-unplug=true on it (XenCenter does when you mark it as storage).`,
          evidence: [`${host.name} PIF ${address.interface}: disallow_unplug = false, IP ${address.ip}`],
        });
      }
    }
    return out;
  },
};
