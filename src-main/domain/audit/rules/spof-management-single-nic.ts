/**
 * spof.management-single-nic: a host whose management interface is one NIC, not a bond. Lose that NIC, its
 * cable or its switch port, and the pool loses the host: XenCenter, HA and every API call go through it.
 * Source: XenServer 6 Administrator's Guide (bond the management interface for failover) and XCP-ng's HA
 * guide ("strongly recommend to use a bonded management interface"); reference xenapi.md §8.7.
 */
import type { Rule } from '../rule';

export const managementSingleNic: Rule = {
  id: 'spof.management-single-nic',
  finds: 'a host whose management interface is one NIC, not a bond',
  source: 'xenapi.md §8.7: XS 6 Admin Guide, XCP-ng HA guide',
  run(lab) {
    const out = [];
    for (const host of lab.graph.hosts) {
      if (!host.management) continue;
      const bond = lab.bond.get(`${host.name}:${host.management.on}`);
      if (bond && bond.members.length >= 2) continue;
      // The NIC's port key: the inventory may call it by another name than its XenAPI device (matched by MAC).
      const own = lab.graph.ports.find((p) => p.device === host.name && p.aliases.includes(host.management!.on))?.key ?? `${host.name}:${host.management.on}`;
      const nic = bond ? (bond.members[0] ?? own) : own;
      const on = host.management.tag !== null ? `VLAN ${host.management.tag} on ${host.management.on}` : host.management.on;
      const peer = lab.peer(nic);
      out.push({
        subject: host.name,
        severity: 'warning' as const,
        devices: [host.name, ...(peer ? [lab.port.get(peer)?.device ?? lab.lag.get(peer)?.device ?? ''] : [])].filter(Boolean),
        ports: [nic, ...(peer ? [peer] : [])],
        title: `${host.name}'s management runs on one NIC (${lab.short(nic)})`,
        explanation:
          `${host.name} is managed over ${on}, a single NIC${peer ? ` cabled to ${lab.describe(peer)}` : ''}. If that NIC, its cable or ` +
          `the switch port fails, the pool master loses ${host.name}: XenCenter and the API cannot reach it and HA may fence it. ` +
          `Bond the management interface with a second NIC on another switch (active-backup is enough).`,
        evidence: [`${host.name} PIF ${host.management.on}: management = true${bond ? `, a bond of ${bond.members.length}` : ', not a bond'}`],
      });
    }
    return out;
  },
};
