/**
 * bond.lacp-needs-vswitch: an LACP bond on a host whose network backend is the Linux bridge. XenServer runs
 * LACP only on Open vSwitch; on the bridge backend the bond cannot negotiate. Source: CTX135690 ("LACP is
 * supported only for vSwitch"); reference xenapi.md §8.9.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const bondLacpNeedsVswitch: Rule = {
  id: 'bond.lacp-needs-vswitch',
  finds: 'an LACP bond on a host that runs the Linux bridge network backend',
  source: 'xenapi.md §8.9: CTX135690',
  run(lab) {
    const out: RawFinding[] = [];
    for (const bond of lab.graph.bonds) {
      if (!bond.observed || bond.mode !== 'lacp' || bond.networkBackend !== 'bridge') continue;
      out.push({
        subject: `${bond.host}:${bond.device}`,
        severity: 'error',
        devices: [bond.host],
        ports: bond.members,
        title: `${bond.host}'s ${bond.device} is LACP on the Linux bridge backend`,
        explanation:
          `${bond.host} uses the Linux bridge network backend, and XenServer runs LACP only on Open vSwitch: ${bond.device} cannot ` +
          `negotiate LACP. Switch the host to Open vSwitch (xe-switch-network-backend openvswitch, then reboot) or use balance-slb or active-backup.`,
        evidence: [`${bond.host} software_version network_backend = bridge`, `${bond.host} Bond ${bond.device}: mode = lacp`],
      });
    }
    return out;
  },
};
