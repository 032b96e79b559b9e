/**
 * multipath.same-subnet: two storage interfaces of one host on one subnet. Multipathing needs one subnet per
 * path: with two interfaces on one subnet, Linux routes both paths' traffic out of one of them (the first
 * route wins), so the "second path" shares the first NIC, and fails with it.
 * Source: CTX129309 ("each NIC … on separate subnets"), CH 8.2 multipath guide, Dell SC guide ("at least two
 * separate subnets"); reference xenapi.md §8.1.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { subnetOf } from './vlan-untagged-mismatch';

export const multipathSameSubnet: Rule = {
  id: 'multipath.same-subnet',
  finds: 'two storage PIFs of one host on one subnet',
  source: 'xenapi.md §8.1: CTX129309, CH 8.2 multipathing, Dell SC guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const host of lab.graph.hosts) {
      const bySubnet = new Map<string, typeof host.addresses>();
      for (const address of host.addresses) {
        if (address.management) continue;
        const subnet = subnetOf(address.ip, address.netmask);
        if (!subnet) continue;
        bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), address]);
      }
      for (const [subnet, list] of bySubnet) {
        if (list.length < 2) continue;
        out.push({
          subject: `${host.name}:${subnet}`,
          severity: 'warning',
          devices: [host.name],
          ports: [...new Set(list.flatMap((a) => a.legs))],
          title: `${host.name} has ${list.map((a) => a.interface).join(' and ')} on one subnet (${subnet})`,
          explanation:
            `${list.map((a) => `${a.interface} (${a.ip})`).join(' and ')} are both on ${subnet}. Multipathing needs one subnet per path: ` +
            `with two on one, the host sends both paths' traffic through whichever interface its route table picks first, so one NIC ` +
            `failing can take both paths. Put each storage interface (and a SAN portal) on its own subnet, ideally its own VLAN.`,
          evidence: list.map((a) => `${host.name} ${a.interface}: ${a.ip}/${a.netmask}`),
        });
      }
    }
    return out;
  },
};
