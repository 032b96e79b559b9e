/**
 * vlan.missing-on-switch: a VLAN the host carries on a NIC or bond that the switch port (or its LAG) at the
 * other end does not send and receive tagged. VMs on that VLAN lose traffic whenever the host puts it on that
 * link: on a balance-slb bond, the VMs hashed to that member; on a lone NIC, all of them.
 * Source: anchors.md §4.2 (XAPI VLAN PIFs against Q-BRIDGE egress sets, bond → port-channel inheritance);
 * Netdisco's PortVLANMismatch does the switch↔switch half.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { switchVlans } from '../switch-vlans';
import { vlansText } from '../lab';

export const vlanMissingOnSwitch: Rule = {
  id: 'vlan.missing-on-switch',
  finds: "a VLAN the host carries on a NIC or bond that is not in the switch port's (or LAG's) egress list",
  source: 'anchors.md §4.2: XAPI VLAN PIFs vs Q-BRIDGE-MIB dot1qVlanCurrentEgressPorts',
  run(lab) {
    const out: RawFinding[] = [];
    const done = new Set<string>();
    for (const port of lab.graph.ports) {
      if (port.kind !== 'host-nic' || !port.obs || port.obs.tagged.length === 0) continue;
      const peer = lab.peer(port.key);
      if (!peer) continue;
      const far = switchVlans(lab, peer);
      if (!far) continue;
      const bond = port.obs.aggregate ? lab.bond.get(`${port.device}:${port.obs.aggregate}`) : undefined;
      // Against a LAG the bond is the unit; against single ports each member is.
      const onLag = far.on !== peer || lab.lag.has(peer);
      const iface = onLag && bond ? bond.device : port.name;
      for (const tag of port.obs.tagged) {
        if (far.tagged.includes(tag)) continue;
        const subject = `${port.device}:${iface}:${tag}`;
        if (done.has(subject)) continue;
        done.add(subject);
        const carriedBy = bond ? `${port.device}'s ${bond.device}${onLag ? '' : ` (member ${port.name})`}` : `${port.device}'s ${port.name}`;
        const untaggedThere = far.untagged === tag;
        out.push({
          subject,
          severity: 'error',
          devices: [port.device, far.device],
          ports: [onLag && bond ? bond.key : port.key, far.on],
          title: `VLAN ${tag} is missing on ${lab.describe(far.on)}, which ${carriedBy} uses`,
          explanation:
            `${carriedBy} sends VLAN ${tag} tagged, but ${lab.describe(far.on)} at the other end ${untaggedThere ? `has VLAN ${tag} untagged, so the tagged frames are dropped` : `does not carry VLAN ${tag}`} ` +
            `(it carries ${far.tagged.length ? vlansText(far.tagged) + ' tagged' : 'no tagged VLAN'}). ` +
            (bond && !onLag
              ? `Whenever ${bond.device} puts a VM of VLAN ${tag} on ${port.name}, that VM loses its network. `
              : `Every VM on VLAN ${tag} through this link loses its network. `) +
            `Add VLAN ${tag} tagged to ${lab.describe(far.on)}.`,
          evidence: [
            `${port.device} VLAN PIF: tag ${tag} on ${bond ? bond.device : port.name}`,
            `${far.device} Q-BRIDGE-MIB: ${lab.short(far.on)} egress ${far.tagged.length ? far.tagged.join(',') : 'none'} tagged${far.untagged !== null ? `, ${far.untagged} untagged` : ''}`,
            `cable ${port.key} ↔ ${peer} (${lab.peerLink(port.key)?.source ?? '?'})`,
          ],
        });
      }
    }
    return out;
  },
};
