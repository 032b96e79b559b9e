/**
 * link.mtu-mismatch: the two ends of a link disagree on frame size. A host interface with an MTU above the
 * switch port's has its large frames dropped at the switch (NFS and iSCSI stall while pings work); two
 * switches whose MTUs differ by more than a header do the same on the inter-switch link. Switches count
 * their MTU with or without the Ethernet header (1500, 1518, 1522, 9216…), so only a host MTU above the
 * switch's, or a switch-to-switch gap of more than 100 bytes, is flagged.
 * Source: XCP-ng networking (MTU section) and multipathing ("keep the default MTU on storage networks",
 * ping -M do -s 1472), XenCenter network help; reference xenapi.md §8.10.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { liveLinks } from '../link-ends';

export const linkMtuMismatch: Rule = {
  id: 'link.mtu-mismatch',
  finds: "the two ends of a link differ in MTU (a host MTU above the switch port's)",
  source: 'xenapi.md §8.10: XCP-ng MTU and multipath guides',
  run(lab) {
    const out: RawFinding[] = [];
    for (const { link, a, b, subject } of liveLinks(lab)) {
      const [ma, mb] = [a.obs!.mtu, b.obs!.mtu];
      if (ma === null || mb === null) continue;
      const aSwitch = a.kind === 'switch-port';
      const bSwitch = b.kind === 'switch-port';
      let bad: boolean;
      if (aSwitch && bSwitch) bad = Math.abs(ma - mb) > 100;
      else if (aSwitch !== bSwitch) bad = (aSwitch ? mb : ma) > (aSwitch ? ma : mb);
      else bad = ma !== mb;
      if (!bad) continue;
      const [big, small] = ma > mb ? [a, b] : [b, a];
      out.push({
        subject,
        severity: 'error',
        devices: [a.device, b.device],
        ports: [a.key, b.key],
        title: `MTU ${big.obs!.mtu} on ${big.key} but ${small.obs!.mtu} on ${small.key}`,
        explanation:
          `${big.key} sends frames of up to ${big.obs!.mtu} bytes, and ${small.key} at the other end of the cable takes ` +
          `${small.obs!.mtu}. Small packets pass, so pings work, but full-size frames are dropped: storage and migrations stall. ` +
          `Set both ends to the same MTU (on a switch, at least the host's MTU plus headers).`,
        evidence: [`${a.key} MTU ${ma} (${a.obs!.source === 'xenapi' ? 'PIF.MTU' : 'ifMtu'})`, `${b.key} MTU ${mb} (${b.obs!.source === 'xenapi' ? 'PIF.MTU' : 'ifMtu'})`, `link ${link.source}`],
      });
    }
    return out;
  },
};
