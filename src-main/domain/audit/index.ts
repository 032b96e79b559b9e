/**
 * The audit: every rule run over the graph, each finding given its stable id (`rule:subject`), the
 * owner's acceptance, and a place in the order the overview shows (errors first, then by id). A rule that
 * throws on a malformed graph costs only its own findings: the audit says so in a finding of its own
 * rather than failing the whole answer.
 */
import type { LabGraph } from '../graph/types';
import type { Acceptance, Finding, RawFinding } from './finding';
import { severityRank } from './finding';
import { Lab } from './lab';
import type { Rule } from './rule';
import { managementSingleNic } from './rules/spof-management-single-nic';
import { storageSinglePath } from './rules/spof-storage-single-path';
import { sharedSwitch } from './rules/spof-shared-switch';
import { sharedNicController } from './rules/spof-shared-nic-controller';
import { bondSwitchLagMismatch } from './rules/bond-switch-lag-mismatch';
import { bondDegraded } from './rules/bond-degraded';
import { bondLacpNeedsVswitch } from './rules/bond-lacp-needs-vswitch';
import { lagMemberDown } from './rules/lag-member-down';
import { vlanMissingOnSwitch } from './rules/vlan-missing-on-switch';
import { vlanUntaggedMismatch } from './rules/vlan-untagged-mismatch';
import { linkMtuMismatch } from './rules/link-mtu-mismatch';
import { linkSpeedMismatch } from './rules/link-speed-mismatch';
import { linkDuplexMismatch } from './rules/link-duplex-mismatch';
import { linkConflict } from './rules/link-conflict';
import { multipathDisabled } from './rules/multipath-disabled';
import { multipathPathsDown } from './rules/multipath-paths-down';
import { multipathSameSubnet } from './rules/multipath-same-subnet';
import { multipathStorageOnBond } from './rules/multipath-storage-on-bond';
import { storageGatewayOnStoragePif } from './rules/storage-gateway';
import { storagePifCanUnplug } from './rules/storage-pif-can-unplug';
import { mtuJumboOnManagement } from './rules/mtu-jumbo-on-management';
import { poolAsymmetricNetwork } from './rules/pool-asymmetric-network';
import { haOff } from './rules/ha-off';
import { haHeartbeatNotRedundant } from './rules/ha-heartbeat-not-redundant';
import { replicationRpoExceeded } from './rules/replication-rpo-exceeded';
import { driftPortMissing } from './rules/drift-port-missing';
import { driftVlan } from './rules/drift-vlan';
import { driftBond } from './rules/drift-bond';
import { driftHostMissing } from './rules/drift-host-missing';

/** Every rule, in the order the contract lists them. Ids are stable: add rules, never rename one. */
export const RULES: readonly Rule[] = [
  managementSingleNic,
  storageSinglePath,
  sharedSwitch,
  sharedNicController,
  bondSwitchLagMismatch,
  bondDegraded,
  bondLacpNeedsVswitch,
  lagMemberDown,
  vlanMissingOnSwitch,
  vlanUntaggedMismatch,
  linkMtuMismatch,
  linkSpeedMismatch,
  linkDuplexMismatch,
  linkConflict,
  multipathDisabled,
  multipathPathsDown,
  multipathSameSubnet,
  multipathStorageOnBond,
  storageGatewayOnStoragePif,
  storagePifCanUnplug,
  mtuJumboOnManagement,
  poolAsymmetricNetwork,
  haOff,
  haHeartbeatNotRedundant,
  replicationRpoExceeded,
  driftPortMissing,
  driftVlan,
  driftBond,
  driftHostMissing,
];

export const RULE_IDS = RULES.map((r) => r.id);

export function findingOrder(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function runAudit(graph: LabGraph, acceptances: readonly Acceptance[] = []): Finding[] {
  const lab = new Lab(graph);
  const accepted = new Map(acceptances.map((a) => [a.id, a]));
  const findings = new Map<string, Finding>();
  for (const rule of RULES) {
    let raw: RawFinding[];
    try {
      raw = rule.run(lab);
    } catch (error) {
      raw = [
        {
          subject: 'audit',
          severity: 'info',
          devices: [],
          ports: [],
          title: `the ${rule.id} check could not run`,
          explanation: `The check failed on this lab's data (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}); its findings are missing from this audit. This is a Labwarden bug worth reporting.`,
          evidence: [],
        },
      ];
    }
    for (const r of raw) {
      const id = `${rule.id}:${r.subject}`;
      if (findings.has(id)) continue;
      const acceptance = accepted.get(id);
      findings.set(id, {
        id,
        rule: rule.id,
        severity: r.severity,
        devices: [...new Set(r.devices)],
        ports: [...new Set(r.ports)],
        title: r.title,
        explanation: r.explanation,
        evidence: r.evidence,
        accepted: acceptance !== undefined,
        ...(acceptance ? { acceptedNote: acceptance.note, acceptedAt: acceptance.at } : {}),
      });
    }
  }
  return [...findings.values()].sort(findingOrder);
}
