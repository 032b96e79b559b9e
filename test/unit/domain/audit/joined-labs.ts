/**
 * Labs joined for the rule tests: a real xapi dump's hosts (read through the XAPI simulator) and real SNMP
 * recordings (decoded by the driver), put in one lab by an inventory the test declares.
 *
 * Everything that joins the two is DERIVED: the dumps and the recordings were never one lab, so the
 * cables, the port MACs and the stack names here are this file's (or the test's) choice, and a test that
 * uses them says so. Mutations go through copies (the `with*` helpers of lab-fixtures.ts and the ones
 * below), never the cached originals.
 */
import type { Inventory, InventoryDevice, InventoryLink, InventoryPort, InventoryTarget } from '../../../../src-main/domain/model/inventory';
import { DEFAULT_SNMP, type DeviceKind } from '../../../../src-main/domain/model/devices';
import type { PoolObservation, XenStorage } from '../../../../src-main/domain/model/pools';
import type { SwitchView } from '../../../../src-main/domain/model/switches';
import type { LabSnapshot, SnapshotNas } from '../../../../src-main/domain/graph/snapshot';
import type { Finding } from '../../../../src-main/domain/audit/finding';
import { AT, emptyInventory } from '../graph/lab-fixtures';

export function port(name: string, extra: Partial<InventoryPort> = {}): InventoryPort {
  return { name, role: 'vm', aggregate: '', mac: '', untaggedVlan: null, taggedVlans: [], notes: '', ...extra };
}

export function device(name: string, kind: DeviceKind, extra: Partial<InventoryDevice> = {}): InventoryDevice {
  return {
    name,
    kind,
    address: '',
    vendor: '',
    model: '',
    location: '',
    notes: '',
    memberOf: null,
    stack: '',
    snmp: kind === 'switch' ? { ...DEFAULT_SNMP } : null,
    xenapi: null,
    dsm: null,
    ports: [],
    ...extra,
  };
}

/** A DERIVED cable: `a` and `b` as "device:port". */
export function cable(a: string, b: string): InventoryLink {
  const split = (x: string) => ({ device: x.slice(0, x.indexOf(':')), port: x.slice(x.indexOf(':') + 1) });
  return { a: split(a), b: split(b), source: 'manual', notes: 'DERIVED: declared by the test' };
}

export interface JoinedLab {
  /** The pool device's name and its observation (a dump read through the simulator, maybe changed by a with* helper). */
  pool?: { name: string; observation: PoolObservation };
  /** Switch (or NAS) device name → its decoded recording. */
  views?: Record<string, SwitchView>;
  /** Extra inventory devices (switches get one automatically for each view unless listed here). */
  devices?: InventoryDevice[];
  cables?: string[][];
  targets?: InventoryTarget[];
  nases?: SnapshotNas[];
  /** Inventory host entries (by XenAPI name) with planned ports; hosts not listed are left out of the inventory. */
  hosts?: Record<string, InventoryPort[]>;
  /** A change to the finished inventory. */
  edit?: (inventory: Inventory) => void;
}

/** The DERIVED lab: the pool's hosts in the inventory (memberOf the pool), a switch per view, the declared cables. */
export function joined(lab: JoinedLab): LabSnapshot {
  const inventory = emptyInventory();
  const devices: InventoryDevice[] = [...(lab.devices ?? [])];
  if (lab.pool) {
    devices.push(device(lab.pool.name, 'xen-pool'));
    for (const host of lab.pool.observation.hosts) {
      devices.push(device(host.name, 'xen-host', { memberOf: lab.pool.name, address: host.address, ports: lab.hosts?.[host.name] ?? [] }));
    }
  }
  for (const name of Object.keys(lab.views ?? {})) if (!devices.some((d) => d.name === name)) devices.push(device(name, 'switch'));
  inventory.devices = devices;
  inventory.links = (lab.cables ?? []).map(([a, b]) => cable(a!, b!));
  inventory.targets = lab.targets ?? [];
  lab.edit?.(inventory);
  return {
    at: AT,
    inventory,
    pools: lab.pool ? [{ device: lab.pool.name, observation: lab.pool.observation, status: null }] : [],
    snmp: Object.entries(lab.views ?? {}).map(([name, view]) => ({ device: name, view, status: null })),
    probes: [],
    nases: lab.nases ?? [],
  };
}

/** DERIVED: a copy of a pool with anything changed (networks, storage, the pool record). */
export function withPool(pool: PoolObservation, change: (p: PoolObservation) => void): PoolObservation {
  const copy = structuredClone(pool);
  change(copy);
  return copy;
}

/** DERIVED: a copy of a switch view with anything changed (its FDB, LAGs, neighbours). */
export function withView(view: SwitchView, change: (v: SwitchView) => void): SwitchView {
  const copy = structuredClone(view);
  change(copy);
  return copy;
}

/** The SR of a pool by name (the first, for SRs every host has one of). */
export function srOf(pool: PoolObservation, name: string): XenStorage {
  const sr = pool.storage.find((s) => s.name === name);
  if (!sr) throw new Error(`no SR ${name}`);
  return sr;
}

/** Prose a finding shows the owner: no hole where a value should be. */
export function cleanProse(finding: Finding): boolean {
  // A value that is not there: a JS hole, or an empty list left in the sentence ("reports )", "on , and").
  return ![finding.title, finding.explanation, ...finding.evidence].some((text) => /\bundefined\b|\bnull\b|\bNaN\b|\[object |\(\s*\)|\s[,.)]|\s\s/.test(text));
}

/** The one finding with this id, or a failure that lists what the audit did find. */
export function findingOf(findings: readonly Finding[], id: string): Finding {
  const found = findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id}; the audit found: ${findings.map((f) => f.id).join(', ') || 'nothing'}`);
  return found;
}

/** Hours before the snapshot time, as an ISO time. */
export const hoursAgo = (hours: number) => new Date(Date.parse(AT) - hours * 3_600_000).toISOString();
