/**
 * storage.gateway-on-storage-pif: a storage (secondary) interface with a default gateway. dom0 has one
 * default route, and XenServer gives it to the management interface; a gateway on a storage interface either
 * fights it or sends iSCSI through a router. Source: XCP-ng multipathing ("do not configure network routes
 * on iSCSI interfaces"), CH networking docs (gateway only on the management interface); xenapi.md §8.3.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const storageGatewayOnStoragePif: Rule = {
  id: 'storage.gateway-on-storage-pif',
  finds: 'a storage PIF with a gateway',
  source: 'xenapi.md §8.3: XCP-ng multipathing guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const host of lab.graph.hosts) {
      for (const address of host.addresses) {
        if (address.management || address.gateway === '') continue;
        out.push({
          subject: `${host.name}:${address.interface}`,
          severity: 'warning',
          devices: [host.name],
          ports: address.legs,
          title: `${host.name}'s storage interface ${address.interface} has a gateway (${address.gateway})`,
          explanation:
            `${address.interface} (${address.ip}) is a storage interface, but it is configured with gateway ${address.gateway}. dom0 keeps ` +
            `one default route, meant for the management interface; a second gateway can steal it (management traffic leaves by the ` +
            `storage network) or send storage traffic through a router. Remove the gateway from ${address.interface}.`,
          evidence: [`${host.name} PIF ${address.interface}: gateway = ${address.gateway}, management = false`],
        });
      }
    }
    return out;
  },
};
