/**
 * The whole intended lab as one document, keyed by names instead of database ids. It is the shape of the
 * YAML export and import, and of the built-in demo lab. Secrets never appear in it.
 */
import type { DeviceKind, SnmpSettings, ApiEndpoint } from './devices';
import type { PortRole } from './ports';
import type { LinkSource } from './links';
import type { VlanPurpose } from './vlans';
import type { DiscoveryChap, LunUse, Portal } from './storage';

/** Bumped when the document's shape changes in a way an older Labwarden could not read. */
export const INVENTORY_FORMAT = 1;

export interface InventoryPort {
  name: string;
  role: PortRole;
  aggregate: string;
  mac: string;
  untaggedVlan: number | null;
  taggedVlans: number[];
  notes: string;
}

export interface InventoryDevice {
  name: string;
  kind: DeviceKind;
  address: string;
  vendor: string;
  model: string;
  location: string;
  notes: string;
  memberOf: string | null;
  /**
   * Switches with the same stack name are one stack: one logical switch (a LAG may span them), each member
   * still its own failure domain. '' for none. It is the device's `Device.stack`: readInventory and the
   * YAML import always fill it; optional only so that inventories written as literals need not say it
   * (absent means '').
   */
  stack?: string;
  snmp: SnmpSettings | null;
  xenapi: ApiEndpoint | null;
  dsm: ApiEndpoint | null;
  ports: InventoryPort[];
}

export interface PortRef {
  device: string;
  port: string;
}

export interface InventoryLink {
  a: PortRef;
  b: PortRef;
  source: LinkSource;
  notes: string;
}

export interface InventoryVlan {
  id: number;
  name: string;
  purpose: VlanPurpose;
  notes: string;
}

export interface InventoryLun {
  lun: number;
  name: string;
  sizeBytes: number;
  use: LunUse;
  scsiId: string;
}

export interface InventoryTarget {
  device: string;
  iqn: string;
  alias: string;
  portals: Portal[];
  luns: InventoryLun[];
  notes: string;
  /** The CHAP names only; the secrets stay in the database and are kept across a re-import by IQN. */
  chap: DiscoveryChap | null;
}

/**
 * A finding the owner accepted (a known single point of failure they live with), by its finding id
 * (`rule:device:subject`), with their note. When it was accepted is the database's: an import sets it to the
 * import time.
 */
export interface InventoryAcceptedFinding {
  id: string;
  note: string;
}

export interface Inventory {
  format: typeof INVENTORY_FORMAT;
  name: string;
  vlans: InventoryVlan[];
  devices: InventoryDevice[];
  links: InventoryLink[];
  targets: InventoryTarget[];
  /**
   * The accepted findings, sorted by id. readInventory and the YAML import always fill it; optional only so
   * that inventories written as literals need not say it. Replacing the inventory replaces them (absent
   * means none). Not counted by countInventory: they are not part of the lab's gear.
   */
  acceptedFindings?: InventoryAcceptedFinding[];
}

/** Counts a user reads before replacing an inventory. */
export interface InventoryCounts {
  devices: number;
  ports: number;
  links: number;
  vlans: number;
  targets: number;
  luns: number;
}

export function countInventory(inventory: Inventory): InventoryCounts {
  return {
    devices: inventory.devices.length,
    ports: inventory.devices.reduce((sum, device) => sum + device.ports.length, 0),
    links: inventory.links.length,
    vlans: inventory.vlans.length,
    targets: inventory.targets.length,
    luns: inventory.targets.reduce((sum, target) => sum + target.luns.length, 0),
  };
}
