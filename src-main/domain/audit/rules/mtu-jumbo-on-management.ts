/**
 * mtu.jumbo-on-management: a management interface with an MTU above 1500. XenServer does not support
 * non-standard MTUs on the management interface; the pool's own traffic and every client meet it there.
 * Source: XCP-ng networking guide, MTU section ("not supported on management interfaces"); xenapi.md §8.10.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const mtuJumboOnManagement: Rule = {
  id: 'mtu.jumbo-on-management',
  finds: 'a management interface with an MTU above 1500',
  source: 'xenapi.md §8.10: XCP-ng networking guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const host of lab.graph.hosts) {
      const address = host.addresses.find((a) => a.management);
      if (!address || address.mtu === null || address.mtu <= 1500) continue;
      out.push({
        subject: `${host.name}:${address.interface}`,
        severity: 'warning',
        devices: [host.name],
        ports: address.legs,
        title: `${host.name}'s management interface ${address.interface} has MTU ${address.mtu}`,
        explanation:
          `Jumbo frames are not supported on the management interface: pool traffic, XenCenter and every client reach the host there, ` +
          `and one hop with a smaller MTU breaks them. Set ${address.interface} back to 1500 and keep jumbo frames on storage networks.`,
        evidence: [`${host.name} PIF ${address.interface}: MTU ${address.mtu}, management = true`],
      });
    }
    return out;
  },
};
