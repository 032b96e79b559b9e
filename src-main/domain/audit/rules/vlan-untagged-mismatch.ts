/**
 * vlan.untagged-mismatch: untagged traffic on a host NIC that the switch port at the other end puts in the
 * wrong VLAN, or in none. A host's management or storage address usually rides untagged; the switch port
 * decides which VLAN that is (its PVID and untagged membership). When the port has no untagged VLAN, or
 * another one than the host's subnet lives in (the other hosts' NICs on that subnet land in VLAN N), or than
 * the inventory plans, the address cannot reach its subnet.
 * Source: anchors.md §4.2 (host ↔ switch VLAN consistency, untagged/egress sets).
 */
import type { RawFinding, Severity } from '../finding';
import type { Rule } from '../rule';
import { switchVlans, type SwitchVlans } from '../switch-vlans';
import { ipv4Number } from '../../checks/addresses';

function subnetOf(ip: string, netmask: string): string | null {
  const a = ipv4Number(ip);
  if (a === null) return null;
  const prefix = /^\/?(\d{1,2})$/.exec(netmask.trim());
  const bits = prefix ? Number(prefix[1]) : ipv4Number(netmask) !== null ? countBits(ipv4Number(netmask)!) : null;
  if (bits === null || bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const n = (a & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${bits}`;
}

function countBits(mask: number): number {
  let bits = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) bits++;
  return bits;
}

export const vlanUntaggedMismatch: Rule = {
  id: 'vlan.untagged-mismatch',
  finds: "untagged traffic on the host NIC and the switch port's PVID/untagged VLAN disagree",
  source: 'anchors.md §4.2: host ↔ switch VLAN consistency',
  run(lab) {
    const legs: { key: string; device: string; name: string; subnet: string | null; far: SwitchVlans; planned: number | null; what: string }[] = [];
    for (const port of lab.graph.ports) {
      if (port.kind !== 'host-nic' || !port.obs?.untaggedInUse) continue;
      const peer = lab.peer(port.key);
      const far = peer ? switchVlans(lab, peer) : null;
      if (!far) continue;
      const what = port.obs.management ? 'management' : port.obs.ip ? `address ${port.obs.ip}` : 'untagged traffic';
      legs.push({ key: port.key, device: port.device, name: port.name, subnet: port.obs.ip ? subnetOf(port.obs.ip, port.obs.netmask) : null, far, planned: port.plan?.untaggedVlan ?? null, what });
    }
    // Which VLAN each subnet lives in, by the most of its hosts' switch ports.
    const bySubnet = new Map<string, Map<number, number>>();
    for (const leg of legs) {
      if (!leg.subnet || leg.far.untagged === null) continue;
      const counts = bySubnet.get(leg.subnet) ?? new Map<number, number>();
      counts.set(leg.far.untagged, (counts.get(leg.far.untagged) ?? 0) + 1);
      bySubnet.set(leg.subnet, counts);
    }
    const majority = (subnet: string | null): { vlan: number; of: number } | null => {
      const counts = subnet ? bySubnet.get(subnet) : undefined;
      if (!counts || counts.size < 2) return null;
      const sorted = [...counts].sort((a, b) => b[1] - a[1]);
      if (sorted[0]![1] === sorted[1]![1]) return null;
      return { vlan: sorted[0]![0], of: [...counts.values()].reduce((a, b) => a + b, 0) };
    };
    const out: RawFinding[] = [];
    for (const leg of legs) {
      const at = lab.describe(leg.far.on);
      let problem: string | null = null;
      let severity: Severity = 'error';
      const usual = majority(leg.subnet);
      if (leg.far.untagged === null) problem = `${at} has no untagged VLAN${leg.far.pvid !== null ? ` (PVID ${leg.far.pvid}, not an untagged member)` : ''}, so the host's untagged frames go nowhere`;
      else if (usual && usual.vlan !== leg.far.untagged) problem = `${at} puts it in VLAN ${leg.far.untagged}, while the other hosts' NICs on ${leg.subnet} land in VLAN ${usual.vlan}`;
      else if (leg.planned !== null && leg.planned !== leg.far.untagged) {
        problem = `${at} puts it in VLAN ${leg.far.untagged}, and the inventory plans VLAN ${leg.planned}`;
        severity = 'warning';
      }
      if (!problem) continue;
      out.push({
        subject: `${leg.device}:${leg.name}`,
        severity,
        devices: [leg.device, leg.far.device],
        ports: [leg.key, leg.far.on],
        title: `${leg.device} ${leg.name}'s untagged ${leg.what} and ${at} disagree`,
        explanation:
          `${leg.device} sends its ${leg.what} untagged on ${leg.name}, but ${problem}. ` +
          `Set ${at}'s untagged VLAN (and PVID) to the VLAN of ${leg.subnet ?? 'that network'}, or move the host's interface to a tagged VLAN.`,
        evidence: [
          `${leg.device} PIF ${leg.name}: ${leg.what}${leg.subnet ? ` on ${leg.subnet}` : ''}`,
          `${leg.far.device} Q-BRIDGE-MIB: ${lab.short(leg.far.on)} untagged ${leg.far.untagged ?? 'none'}, PVID ${leg.far.pvid ?? 'not reported'}`,
        ],
      });
    }
    return out;
  },
};

export { subnetOf };
