/**
 * Rules that span fields of one record. Both the API validators (one edit at a time) and the import
 * (a whole document) apply them, so an imported inventory obeys exactly what the forms enforce.
 */
import { PROTOCOLS_BY_KIND, DEVICE_KIND_LABELS, type DeviceKind, type SnmpSettings } from '../model/devices';
import type { FieldIssue } from '../errors';

interface ProtocolChoice {
  kind: DeviceKind;
  snmp: SnmpSettings | null;
  xenapi: unknown;
  dsm: unknown;
}

/** A protocol set on a kind that cannot speak it (XenAPI on a switch, …). */
export function protocolIssues(device: ProtocolChoice): FieldIssue[] {
  const allowed = PROTOCOLS_BY_KIND[device.kind];
  const label = DEVICE_KIND_LABELS[device.kind];
  const issues: FieldIssue[] = [];
  if (device.snmp && !allowed.snmp) issues.push({ path: ['snmp'], message: `a ${label} is not polled over SNMP` });
  if (device.xenapi && !allowed.xenapi) issues.push({ path: ['xenapi'], message: `a ${label} has no XenAPI` });
  if (device.dsm && !allowed.dsm) issues.push({ path: ['dsm'], message: `only a NAS has a DSM API` });
  if (device.snmp?.version === 'v3' && device.snmp.v3User.trim() === '') {
    issues.push({ path: ['snmp', 'v3User'], message: 'SNMPv3 needs a user name' });
  }
  return issues;
}

/** A VLAN cannot be both the untagged VLAN of a port and tagged on it. */
export function portVlanIssues(port: { untaggedVlan: number | null; taggedVlans: number[] }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  port.taggedVlans.forEach((vlan, index) => {
    if (seen.has(vlan)) issues.push({ path: ['taggedVlans', index], message: `VLAN ${vlan} is listed twice` });
    seen.add(vlan);
  });
  if (port.untaggedVlan !== null && seen.has(port.untaggedVlan)) {
    issues.push({
      path: ['taggedVlans'],
      message: `VLAN ${port.untaggedVlan} is already the untagged VLAN of this port; a port carries a VLAN either tagged or untagged`,
    });
  }
  return issues;
}

/** Only a pool can have members, and only hosts can be members. */
export function membershipIssue(kind: DeviceKind, memberOf: unknown, poolKind: DeviceKind | undefined): FieldIssue | null {
  if (memberOf === null || memberOf === undefined) return null;
  if (kind !== 'xen-host') return { path: ['memberOf'], message: 'only a XenServer host can be a member of a pool' };
  if (poolKind === undefined) return { path: ['memberOf'], message: 'that pool does not exist' };
  if (poolKind !== 'xen-pool') return { path: ['memberOf'], message: 'a host can only be a member of a XenServer pool' };
  return null;
}

/**
 * Only switches form stacks: a stack is one logical switch made of several. On another kind a stack name is
 * refused rather than dropped, so a file that says one is not silently changed.
 */
export function stackIssue(device: { kind: DeviceKind; stack?: string }): FieldIssue | null {
  if ((device.stack ?? '') === '' || device.kind === 'switch') return null;
  return { path: ['stack'], message: 'only switches can be stacked' };
}

/** Storage targets are served by a SAN or a NAS. */
export function targetDeviceIssue(kind: DeviceKind | undefined): FieldIssue | null {
  if (kind === undefined) return { path: ['deviceId'], message: 'that device does not exist' };
  if (kind !== 'iscsi-san' && kind !== 'nas') {
    return { path: ['deviceId'], message: `an iSCSI target is served by an iSCSI SAN or a NAS, not a ${DEVICE_KIND_LABELS[kind]}` };
  }
  return null;
}

/** Natural order for port and device names: eth2 before eth10, 1/0/2 before 1/0/10. */
export const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;
