/**
 * multipath.storage-on-bond: an iSCSI path that leaves by a bond. For iSCSI the vendors recommend
 * multipathing over separate NICs instead of bonding: a bond gives failover to one session, multipathing
 * gives each path its own NIC, subnet and queue (arrays such as EqualLogic, which want a bond, excepted).
 * Source: XCP-ng multipathing ("do not use bonded network interfaces … for iSCSI"), XS 6.0 Admin Guide;
 * reference xenapi.md §8.2.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const multipathStorageOnBond: Rule = {
  id: 'multipath.storage-on-bond',
  finds: 'an iSCSI path that leaves by a bond instead of its own NIC',
  source: 'xenapi.md §8.2: XCP-ng multipathing guide, XS 6.0 Admin Guide',
  run(lab) {
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const path of lab.graph.paths) {
      const on = path.interface.split('.')[0]!;
      const bond = lab.bond.get(`${path.host}:${on}`);
      if (!bond || seen.has(bond.key)) continue;
      seen.add(bond.key);
      out.push({
        subject: `${path.host}:${path.interface}`,
        severity: 'info',
        devices: [path.host],
        ports: bond.members,
        title: `${path.host} sends iSCSI over ${bond.device} (${path.interface}), a bond`,
        explanation:
          `${path.host}'s storage address ${path.ip} is on ${path.interface}, which rides the bond ${bond.device}. For iSCSI, separate ` +
          `NICs on separate subnets with multipathing fail over faster and use both links; a bond gives one session failover only. ` +
          `Unless the SAN asks for a bond, unbond them and give each NIC its own storage subnet.`,
        evidence: [`${path.host} PIF ${path.interface}: ${path.ip}, on bond ${bond.device} (${bond.mode ?? 'balance-slb'})`],
      });
    }
    return out;
  },
};
