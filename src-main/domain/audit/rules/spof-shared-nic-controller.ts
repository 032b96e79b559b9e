/**
 * spof.shared-nic-controller: a bond's members, or an SR's multipath NICs, that are ports of one PCI device.
 * A dual-port card (or an onboard controller) fails, resets or needs its firmware updated as one: both ports
 * go together. Source: the usual advice to split a bond across cards (HP LeftHand XenServer guide: matching
 * NICs, on separate controllers), XCP-ng multipathing ("two different network interfaces").
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { pciDevice } from '../../graph/names';
import { sharedDomains } from '../../graph/domains';

export const sharedNicController: Rule = {
  id: 'spof.shared-nic-controller',
  finds: "a bond's or multipath's NICs on one PCI device",
  source: 'xenapi.md §8.12 (matching NICs), XCP-ng multipathing guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const bond of lab.graph.bonds) {
      if (!bond.observed || bond.members.length < 2) continue;
      const pcis = bond.members.map((m) => pciDevice(lab.port.get(m)?.obs?.pciBusPath ?? ''));
      if (pcis.some((p) => p === null) || !pcis.every((p) => p === pcis[0])) continue;
      out.push({
        subject: `${bond.host}:${bond.device}`,
        severity: 'warning',
        devices: [bond.host],
        ports: bond.members,
        title: `${bond.host}'s ${bond.device} has every member on PCI device ${pcis[0]}`,
        explanation:
          `${lab.describeAll(bond.members)} are ports of one NIC controller (PCI ${pcis[0]}). A card that fails, hangs or resets ` +
          `for a firmware update takes every member at once, and the bond with them. Use a port of another card for one member.`,
        evidence: bond.members.map((m) => `${m} PIF_metrics pci_bus_path ${lab.port.get(m)?.obs?.pciBusPath}`),
      });
    }
    for (const sr of lab.graph.srs) {
      for (const attachment of sr.hosts) {
        const paths = lab.pathsOf(attachment.host, sr.name);
        const interfaces = new Set(paths.map((p) => p.interface));
        if (paths.length < 2 || interfaces.size < 2) continue;
        const common = sharedDomains(paths.map((p) => p.domains)).filter((d) => d.startsWith('nic:') && d.includes('/'));
        if (common.length === 0) continue;
        const pci = common[0]!.slice(common[0]!.indexOf('/') + 1);
        out.push({
          subject: `${attachment.host}:sr:${sr.name}`,
          severity: 'warning',
          devices: [attachment.host],
          ports: [...new Set(paths.flatMap((p) => p.legs))],
          title: `${attachment.host}'s paths to ${sr.name} all leave by NIC controller ${pci}`,
          explanation:
            `${attachment.host} multipaths ${sr.name} over ${[...interfaces].join(' and ')}, which are ports of one PCI device (${pci}). ` +
            `If that card fails every path goes at once. Put one storage NIC on another card.`,
          evidence: [...new Set(paths.flatMap((p) => p.legs))].map((m) => `${m} pci_bus_path ${lab.port.get(m)?.obs?.pciBusPath}`),
        });
      }
    }
    return out;
  },
};
