import type { Db } from './db';
import { listDevices, insertDevice } from './devices';
import { allPorts } from './ports';
import { listLinks } from './links';
import { listVlans, insertVlan } from './vlans';
import { listTargets, insertTarget } from './targets';
import { openableCredentials, openableTargetCredentials, setCredential, setTargetCredential, type SecretBox } from './credentials';
import { getSetting, setSetting } from './settings';
import { listAcceptances, replaceAcceptances } from './findings';
import { naturalOrder } from '../domain/checks/rules';
import { CREDENTIAL_PROTOCOL } from '../domain/model/credentials';
import { targetCredentialWanted } from '../domain/model/storage';
import { INVENTORY_FORMAT, type Inventory, type InventoryCounts } from '../domain/model/inventory';

export const LAB_NAME_KEY = 'lab.name';

/** The whole intended lab, keyed by names, in a stable order (so two exports of one lab are identical). */
export function readInventory(db: Db): Inventory {
  const devices = listDevices(db);
  const nameOf = new Map(devices.map((d) => [d.id, d.name]));
  const ports = allPorts(db);
  return {
    format: INVENTORY_FORMAT,
    name: getSetting(db, LAB_NAME_KEY) ?? '',
    vlans: listVlans(db).map(({ id, name, purpose, notes }) => ({ id, name, purpose, notes })),
    devices: devices.map((d) => ({
      name: d.name,
      kind: d.kind,
      address: d.address,
      vendor: d.vendor,
      model: d.model,
      location: d.location,
      notes: d.notes,
      memberOf: d.memberOf === null ? null : (nameOf.get(d.memberOf) ?? null),
      stack: d.stack,
      snmp: d.snmp,
      xenapi: d.xenapi,
      dsm: d.dsm,
      ports: ports
        .filter((p) => p.deviceId === d.id)
        .map(({ name, role, aggregate, mac, untaggedVlan, taggedVlans, notes }) => ({
          name,
          role,
          aggregate,
          mac,
          untaggedVlan,
          taggedVlans,
          notes,
        })),
    })),
    links: listLinks(db).map((l) => ({
      a: { device: l.a.deviceName, port: l.a.portName },
      b: { device: l.b.deviceName, port: l.b.portName },
      source: l.source,
      notes: l.notes,
    })),
    targets: listTargets(db)
      .map((t) => ({ device: t.deviceName, iqn: t.iqn, alias: t.alias, portals: t.portals, luns: t.luns, notes: t.notes, chap: t.chap }))
      .sort((x, y) => naturalOrder(x.device, y.device) || naturalOrder(x.iqn, y.iqn)),
    acceptedFindings: listAcceptances(db).map(({ id, note }) => ({ id, note })),
  };
}

export function countStored(db: Db): InventoryCounts {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { devices: n('devices'), ports: n('ports'), links: n('links'), vlans: n('vlans'), targets: n('targets'), luns: n('luns') };
}

export interface ReplaceResult {
  /** Credentials carried over to the device of the same name (or the target of the same IQN) in the new inventory. */
  keptCredentials: number;
  /** Credentials that could not be carried over (device or target gone, protocol or CHAP dropped, or sealed by another shell). */
  droppedCredentials: number;
}

/**
 * Replaces the whole inventory with `inventory` in one transaction: on any error nothing changes. The
 * accepted findings are replaced too (none when the document has no list), each accepted at `at` (the
 * import time: the document does not carry when). When each finding was seen open (findings_seen) and the
 * topology positions are not part of the document and stay as they are.
 * The document must already be validated (api/interchange does that and names lines); the database's own
 * constraints are the backstop. Stored credentials survive for devices whose name and protocol remain, and a
 * target's CHAP secrets for the target of the same IQN that still uses CHAP, so exporting, editing and
 * re-importing a lab does not wipe its passwords (exports never contain them).
 */
export function replaceInventory(db: Db, box: SecretBox, inventory: Inventory, at = new Date().toISOString()): ReplaceResult {
  return db.transaction((): ReplaceResult => {
    // Secrets are kept by name (device) and IQN (target): opened here, sealed again under the new rows' ids.
    const saved = new Map(listDevices(db).map((device) => [device.name.toLowerCase(), openableCredentials(db, box, device.id)]));
    const savedTargets = new Map(listTargets(db).map((target) => [target.iqn.toLowerCase(), openableTargetCredentials(db, box, target.id)]));

    db.exec('DELETE FROM links; DELETE FROM targets; DELETE FROM devices; DELETE FROM vlans;');
    for (const vlan of inventory.vlans) insertVlan(db, vlan);

    const ids = new Map<string, number>();
    // Pools first, so that hosts can refer to them.
    const ordered = [...inventory.devices].sort((a, b) => Number(b.kind === 'xen-pool') - Number(a.kind === 'xen-pool'));
    for (const device of ordered) {
      const { ports: _ports, memberOf, ...fields } = device;
      const memberId = memberOf === null ? null : (ids.get(memberOf.toLowerCase()) ?? null);
      ids.set(device.name.toLowerCase(), insertDevice(db, { ...fields, memberOf: memberId, stack: fields.stack ?? '' }));
    }

    const portIds = new Map<string, number>();
    const insertPort = db.prepare('INSERT INTO ports (device_id, name, role, aggregate, mac, notes) VALUES (?, ?, ?, ?, ?, ?)');
    const insertMembership = db.prepare('INSERT INTO port_vlans (port_id, vlan_id, tagged) VALUES (?, ?, ?)');
    for (const device of inventory.devices) {
      const deviceId = ids.get(device.name.toLowerCase())!;
      for (const port of device.ports) {
        const portId = Number(insertPort.run(deviceId, port.name, port.role, port.aggregate, port.mac, port.notes).lastInsertRowid);
        portIds.set(`${device.name}\u0000${port.name}`.toLowerCase(), portId);
        if (port.untaggedVlan !== null) insertMembership.run(portId, port.untaggedVlan, 0);
        for (const vlan of port.taggedVlans) insertMembership.run(portId, vlan, 1);
      }
    }

    const portId = (ref: { device: string; port: string }) => portIds.get(`${ref.device}\u0000${ref.port}`.toLowerCase())!;
    const insertLink = db.prepare('INSERT INTO links (a_port_id, b_port_id, source, notes) VALUES (?, ?, ?, ?)');
    for (const link of inventory.links) insertLink.run(portId(link.a), portId(link.b), link.source, link.notes);

    const targetIds = new Map<string, number>();
    for (const target of inventory.targets) {
      const { device, ...fields } = target;
      targetIds.set(target.iqn.toLowerCase(), insertTarget(db, { ...fields, deviceId: ids.get(device.toLowerCase())! }));
    }

    setSetting(db, LAB_NAME_KEY, inventory.name);
    replaceAcceptances(db, inventory.acceptedFindings ?? [], at);

    let kept = 0;
    let dropped = 0;
    for (const [name, credentials] of saved) {
      const device = inventory.devices.find((d) => d.name.toLowerCase() === name);
      for (const credential of credentials) {
        if (!device || credential.plain === null || device[CREDENTIAL_PROTOCOL[credential.purpose]] === null) {
          dropped++;
          continue;
        }
        setCredential(db, box, ids.get(name)!, credential.purpose, credential.plain);
        kept++;
      }
    }
    for (const [iqn, credentials] of savedTargets) {
      const target = inventory.targets.find((t) => t.iqn.toLowerCase() === iqn);
      for (const credential of credentials) {
        if (!target || credential.plain === null || !targetCredentialWanted(credential.purpose, target.chap)) {
          dropped++;
          continue;
        }
        setTargetCredential(db, box, targetIds.get(iqn)!, credential.purpose, credential.plain);
        kept++;
      }
    }
    return { keptCredentials: kept, droppedCredentials: dropped };
  }).immediate();
}

