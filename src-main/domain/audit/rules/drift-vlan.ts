/**
 * drift.vlan: a port's VLANs as the device reports them differ from the plan: a planned membership missing,
 * or one present that the plan does not have. On a host NIC the tagged VLANs are its VLAN interfaces (its
 * bond's too); the untagged VLAN of a host NIC cannot be seen from the host and is left to the switch side.
 * A port the plan gives no VLANs at all has no opinion to differ from.
 * Source: anchors.md §4.8 (drift), §4.2 (VLAN membership, tagged and untagged).
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { switchVlans } from '../switch-vlans';
import { vlansText } from '../lab';

export const driftVlan: Rule = {
  id: 'drift.vlan',
  finds: 'a planned VLAN membership missing, or an unplanned one present',
  source: 'anchors.md §4.8, §4.2',
  run(lab) {
    const out: RawFinding[] = [];
    for (const port of lab.graph.ports) {
      const plan = port.plan;
      if (!plan || !port.obs || (plan.taggedVlans.length === 0 && plan.untaggedVlan === null)) continue;
      let tagged: number[];
      let untagged: number | null = null;
      let where = port.device;
      if (port.kind === 'host-nic') {
        tagged = port.obs.tagged;
      } else {
        const far = switchVlans(lab, port.key);
        if (!far) continue;
        tagged = far.tagged;
        untagged = far.untagged;
        if (far.on !== port.key) where = `${port.device} (on ${lab.short(far.on)})`;
      }
      const missing = plan.taggedVlans.filter((v) => !tagged.includes(v));
      const extra = tagged.filter((v) => !plan.taggedVlans.includes(v) && v !== plan.untaggedVlan);
      const problems: string[] = [];
      if (missing.length) problems.push(`${vlansText(missing)} tagged ${missing.length === 1 ? 'is' : 'are'} planned but missing`);
      if (extra.length) problems.push(`${vlansText(extra)} tagged ${extra.length === 1 ? 'is' : 'are'} there but not planned`);
      if (port.kind !== 'host-nic' && plan.untaggedVlan !== null && untagged !== plan.untaggedVlan) {
        problems.push(untagged === null ? `untagged VLAN ${plan.untaggedVlan} is planned, the port has none` : `untagged VLAN ${plan.untaggedVlan} is planned, the port has ${untagged}`);
      }
      if (problems.length === 0) continue;
      out.push({
        subject: port.key,
        severity: 'warning',
        devices: [port.device],
        ports: [port.key],
        title: `${port.key}'s VLANs differ from the plan: ${problems.join('; ')}`,
        explanation:
          `The inventory plans ${port.key} with ${plan.untaggedVlan !== null ? `VLAN ${plan.untaggedVlan} untagged` : 'no untagged VLAN'}` +
          `${plan.taggedVlans.length ? ` and ${vlansText(plan.taggedVlans)} tagged` : ''}; ${where} reports ` +
          `${port.kind === 'host-nic' ? '' : `${untagged !== null ? `VLAN ${untagged} untagged` : 'no untagged VLAN'} and `}${tagged.length ? `${vlansText(tagged)} tagged` : 'no tagged VLAN'}. ` +
          `Either the device is configured wrong or the plan is out of date: fix whichever is wrong.`,
        evidence: [
          `plan: untagged ${plan.untaggedVlan ?? 'none'}, tagged ${plan.taggedVlans.join(',') || 'none'}`,
          `${port.obs.source === 'xenapi' ? `${port.device} VLAN PIFs` : `${port.device} Q-BRIDGE-MIB`}: untagged ${untagged ?? (port.kind === 'host-nic' ? 'n/a' : 'none')}, tagged ${tagged.join(',') || 'none'}`,
        ],
      });
    }
    return out;
  },
};
