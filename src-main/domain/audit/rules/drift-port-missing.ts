/**
 * drift.port-missing: a port the inventory plans that the device does not report. Either the plan names it
 * wrongly (then every cable and VLAN rule about it is blind), or the NIC or line card is gone. Only devices
 * whose report is fresh count: a device that did not answer reports nothing, which is not drift.
 * Source: anchors.md §4.8 (intended state against live polling: drift detection).
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';

export const driftPortMissing: Rule = {
  id: 'drift.port-missing',
  finds: 'a planned port that the device does not report',
  source: 'anchors.md §4.8: NetBox-style intended state against live polling',
  run(lab) {
    const out: RawFinding[] = [];
    for (const port of lab.graph.ports) {
      if (!port.plan || port.obs) continue;
      const device = lab.device.get(port.device);
      if (!device?.reported || device.stale) continue;
      const names = lab.portsOf(port.device).filter((p) => p.obs).map((p) => p.name);
      // A report without a single interface (an agent whose view hides IF-MIB, as netgear_3.snmprec) says
      // nothing about which ports exist: that is a gap in what was read, not every planned port gone.
      if (names.length === 0) continue;
      out.push({
        subject: port.key,
        severity: 'warning',
        devices: [port.device],
        ports: [port.key],
        title: `${port.device} reports no port ${port.name}`,
        explanation:
          `The inventory plans ${port.name} on ${port.device} (${port.plan.role}), but ${port.device} reports no such interface. ` +
          `Either the inventory calls it by another name (${port.device} reports ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}), ` +
          `and its cable and VLANs go unchecked, or the NIC is gone. Rename the port in the inventory to what the device reports, or check the hardware.`,
        evidence: [`${port.device}: no interface named ${port.name}${port.plan.mac ? ` or with MAC ${port.plan.mac}` : ''}`],
      });
    }
    return out;
  },
};
