/**
 * Whole-document rules for an imported inventory: names unique, every reference resolvable, every port
 * cabled at most once. Paths point into the document so an import can name the line.
 */
import type { Inventory } from '../model/inventory';
import type { FieldIssue } from '../errors';
import { protocolIssues, portVlanIssues, targetDeviceIssue, membershipIssue, stackIssue } from './rules';

const key = (text: string) => text.toLowerCase();

export function inventoryIssues(inventory: Inventory): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (path: (string | number)[], issue: FieldIssue) => issues.push({ path: [...path, ...issue.path], message: issue.message });

  const vlanIds = new Set<number>();
  const vlanNames = new Set<string>();
  inventory.vlans.forEach((vlan, i) => {
    if (vlanIds.has(vlan.id)) issues.push({ path: ['vlans', i, 'id'], message: `VLAN ${vlan.id} is listed twice` });
    if (vlanNames.has(key(vlan.name))) issues.push({ path: ['vlans', i, 'name'], message: `VLAN name "${vlan.name}" is used twice` });
    vlanIds.add(vlan.id);
    vlanNames.add(key(vlan.name));
  });

  const devices = new Map<string, Inventory['devices'][number]>();
  inventory.devices.forEach((device, i) => {
    if (devices.has(key(device.name))) {
      issues.push({ path: ['devices', i, 'name'], message: `a device named "${device.name}" is listed twice` });
    } else {
      devices.set(key(device.name), device);
    }
  });

  inventory.devices.forEach((device, i) => {
    for (const issue of protocolIssues(device)) at(['devices', i], issue);
    const stack = stackIssue(device);
    if (stack) at(['devices', i], stack);
    if (device.memberOf !== null && key(device.memberOf) === key(device.name)) {
      issues.push({ path: ['devices', i, 'memberOf'], message: 'a device cannot be a member of itself' });
    } else {
      const pool = device.memberOf === null ? undefined : devices.get(key(device.memberOf));
      const issue = membershipIssue(device.kind, device.memberOf, pool?.kind);
      if (issue) at(['devices', i], { ...issue, message: issue.message.replace('that pool', `"${device.memberOf}"`) });
    }
    const portNames = new Set<string>();
    device.ports.forEach((port, j) => {
      const path = ['devices', i, 'ports', j];
      if (portNames.has(key(port.name))) issues.push({ path: [...path, 'name'], message: `port "${port.name}" is listed twice on ${device.name}` });
      portNames.add(key(port.name));
      for (const issue of portVlanIssues(port)) at(path, issue);
      if (port.untaggedVlan !== null && !vlanIds.has(port.untaggedVlan)) {
        issues.push({ path: [...path, 'untaggedVlan'], message: `VLAN ${port.untaggedVlan} is not in the vlans list` });
      }
      port.taggedVlans.forEach((vlan, k) => {
        if (!vlanIds.has(vlan)) issues.push({ path: [...path, 'taggedVlans', k], message: `VLAN ${vlan} is not in the vlans list` });
      });
    });
  });

  const cabled = new Map<string, string>();
  inventory.links.forEach((link, i) => {
    const ends = [
      ['a', link.a],
      ['b', link.b],
    ] as const;
    for (const [end, ref] of ends) {
      const device = devices.get(key(ref.device));
      if (!device) {
        issues.push({ path: ['links', i, end, 'device'], message: `no device named "${ref.device}"` });
        continue;
      }
      if (!device.ports.some((p) => key(p.name) === key(ref.port))) {
        issues.push({ path: ['links', i, end, 'port'], message: `${device.name} has no port named "${ref.port}"` });
        continue;
      }
      const id = `${key(ref.device)}\u0000${key(ref.port)}`;
      const previous = cabled.get(id);
      if (previous) {
        issues.push({ path: ['links', i, end], message: `${ref.device} ${ref.port} is already cabled (${previous}); a port has one cable` });
      }
      cabled.set(id, `links[${i}]`);
    }
    if (key(link.a.device) === key(link.b.device) && key(link.a.port) === key(link.b.port)) {
      issues.push({ path: ['links', i, 'b'], message: 'a cable joins two different ports' });
    }
  });

  const iqns = new Set<string>();
  inventory.targets.forEach((target, i) => {
    const path = ['targets', i];
    const device = devices.get(key(target.device));
    const issue = targetDeviceIssue(device?.kind);
    if (issue) issues.push({ path: [...path, 'device'], message: device ? issue.message : `no device named "${target.device}"` });
    if (iqns.has(key(target.iqn))) issues.push({ path: [...path, 'iqn'], message: `target ${target.iqn} is listed twice` });
    iqns.add(key(target.iqn));
    const portals = new Set<string>();
    target.portals.forEach((portal, j) => {
      const id = `${key(portal.address)}:${portal.port}`;
      if (portals.has(id)) issues.push({ path: [...path, 'portals', j], message: 'this portal is listed twice' });
      portals.add(id);
    });
    const luns = new Set<number>();
    target.luns.forEach((lun, j) => {
      if (luns.has(lun.lun)) issues.push({ path: [...path, 'luns', j, 'lun'], message: `LUN ${lun.lun} is listed twice` });
      luns.add(lun.lun);
    });
  });

  // Finding ids are exact strings (the audit makes them), so they compare as written, case included.
  const accepted = new Map<string, number>();
  (inventory.acceptedFindings ?? []).forEach((acceptance, i) => {
    const first = accepted.get(acceptance.id);
    if (first !== undefined) {
      const shown = acceptance.id.length > 60 ? `${acceptance.id.slice(0, 60)}…` : acceptance.id;
      issues.push({ path: ['acceptedFindings', i, 'id'], message: `finding "${shown}" is accepted twice (also acceptedFindings[${first}])` });
    } else {
      accepted.set(acceptance.id, i);
    }
  });

  return issues;
}
