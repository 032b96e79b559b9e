/**
 * pool.asymmetric-network: a network (or VLAN) that some hosts of a pool have and others do not. A VM on it
 * can only run on the hosts that have it, so it cannot migrate, and HA cannot restart it elsewhere (xapi's
 * HA_CONSTRAINT_VIOLATION_NETWORK_NOT_SHARED). A private network (no interface on any host, a VM-only
 * network) and the host-internal management network are left out.
 * Source: XCP-ng HA guide ("network interfaces should be on pool-wide networks"), xapi's HA constraints;
 * reference xenapi.md §8.11.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { listText } from '../../graph/names';

export const poolAsymmetricNetwork: Rule = {
  id: 'pool.asymmetric-network',
  finds: 'a network or VLAN on some hosts of a pool and not on others',
  source: 'xenapi.md §8.11: XCP-ng HA guide, HA_CONSTRAINT_VIOLATION_NETWORK_NOT_SHARED',
  run(lab) {
    const out: RawFinding[] = [];
    for (const network of lab.graph.networks) {
      if (network.private || network.internal) continue;
      const pool = lab.graph.pools.find((p) => p.name === network.pool);
      if (!pool || pool.hosts.length < 2) continue;
      const having = new Set(network.hosts);
      const missing = pool.hosts.filter((h) => !having.has(h));
      if (missing.length === 0 || having.size === 0) continue;
      const tag = network.uses.find((u) => u.tag !== null)?.tag ?? null;
      out.push({
        subject: `${pool.name}:${network.name}`,
        severity: 'warning',
        devices: [pool.name, ...missing],
        ports: [],
        title: `${network.name}${tag !== null && !network.name.includes(String(tag)) ? ` (VLAN ${tag})` : ''} is missing on ${listText(missing)}`,
        explanation:
          `${network.name} exists on ${listText([...having])} but not on ${listText(missing)}. VMs on it cannot run or be restarted ` +
          `by HA on ${missing.length === 1 ? 'that host' : 'those hosts'}, and live migration to ${missing.length === 1 ? 'it' : 'them'} fails. ` +
          `Create the ${tag !== null ? `VLAN ${tag} interface` : 'interface'} on ${listText(missing)} (pool-wide, on the same NIC or bond).`,
        evidence: [`${pool.name} network ${network.name}: PIFs on ${listText([...having])}`, `no PIF on ${listText(missing)}`],
      });
    }
    return out;
  },
};
