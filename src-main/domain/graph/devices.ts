/**
 * The graph's devices: every device of the inventory, and every host a pool reports (under its XenAPI
 * name_label when the inventory does not have it, so it can be adopted), each with the state of the
 * collectors that read it.
 */
import type { PollStatus } from '../model/polling';
import type { InventoryDevice } from '../model/inventory';
import type { XenHost } from '../model/pools';
import type { LabSnapshot } from './snapshot';
import type { DeviceHealth, LabDevice, ObservationSource, SourceState } from './types';
import { fold, sameName } from './names';

const UP_STATES = new Set(['ok', 'slow']);
const WAITING_STATES = new Set(['idle', 'connecting']);

export function sourceState(source: ObservationSource, status: PollStatus | null, observedAt: string | null): SourceState {
  if (!status) return { source, state: observedAt ? 'ok' : 'none', message: '', observedAt, stale: false };
  return { source, state: status.state, message: status.message, observedAt: observedAt ?? status.lastGoodAt, stale: status.staleSince !== undefined };
}

export function deviceHealth(sources: readonly SourceState[]): DeviceHealth {
  const polled = sources.filter((s) => s.state !== 'none');
  if (polled.length === 0) return 'not-polled';
  if (polled.some((s) => !UP_STATES.has(s.state) && !WAITING_STATES.has(s.state))) return 'unreachable';
  if (polled.some((s) => s.stale)) return 'stale';
  if (polled.every((s) => WAITING_STATES.has(s.state) && s.observedAt === null)) return 'not-polled';
  return 'up';
}

export interface DeviceIndex {
  devices: LabDevice[];
  byName: Map<string, LabDevice>;
  /** pool device → XenAPI host name → the graph's device name. */
  hostNames: Map<string, Map<string, string>>;
}

/** The inventory device a pool's host is, by name, else by management address; undefined when none. */
function inventoryHost(inventory: readonly InventoryDevice[], pool: string, host: XenHost): InventoryDevice | undefined {
  const hosts = inventory.filter((d) => d.kind === 'xen-host');
  return (
    hosts.find((d) => sameName(d.name, host.name)) ??
    hosts.find((d) => d.memberOf === pool && host.address !== '' && d.address === host.address)
  );
}

export function buildDevices(snapshot: LabSnapshot): DeviceIndex {
  const inventory = snapshot.inventory.devices;
  const snmpOf = new Map(snapshot.snmp.map((s) => [s.device, s]));
  const nasOf = new Map(snapshot.nases.map((n) => [n.device, n]));
  const probesOf = new Map(snapshot.probes.map((p) => [p.device, p]));
  const poolOf = new Map(snapshot.pools.map((p) => [p.device, p]));
  const devices: LabDevice[] = [];
  const byName = new Map<string, LabDevice>();
  const hostNames = new Map<string, Map<string, string>>();

  const add = (device: LabDevice) => {
    devices.push(device);
    byName.set(device.name, device);
  };

  for (const device of inventory) {
    const sources: SourceState[] = [];
    if (device.kind === 'xen-pool' || (device.kind === 'xen-host' && device.memberOf)) {
      const pool = poolOf.get(device.kind === 'xen-pool' ? device.name : device.memberOf!);
      if (pool) sources.push(sourceState('xenapi', pool.status, pool.observation?.observedAt ?? null));
    }
    const snmp = snmpOf.get(device.name);
    if (snmp) sources.push(sourceState('snmp', snmp.status, snmp.view?.observedAt ?? null));
    const nas = nasOf.get(device.name);
    if (nas && device.dsm) sources.push(sourceState('dsm', nas.status, nas.observation?.observedAt ?? null));
    const probes = probesOf.get(device.name);
    if (probes && probes.probes.length > 0) {
      const ok = probes.probes.some((p) => p.ok);
      const newest = probes.probes.map((p) => p.probedAt).sort().at(-1) ?? null;
      sources.push({ source: 'iscsi', state: ok ? 'ok' : 'unreachable', message: ok ? '' : probes.probes[0]!.message, observedAt: newest, stale: false });
    }
    const view = snmp?.view;
    add({
      name: device.name,
      kind: device.kind,
      inInventory: true,
      address: device.address,
      pool: device.kind === 'xen-host' ? device.memberOf : null,
      stack: device.stack ?? '',
      sources,
      health: deviceHealth(sources),
      reported: false,
      stale: false,
      stackMembers: (view?.stackMembers ?? []).length > 1 ? view!.stackMembers!.map((m) => ({ index: m.index, name: m.name })) : [],
    });
  }

  for (const pool of snapshot.pools) {
    const names = new Map<string, string>();
    hostNames.set(pool.device, names);
    if (!pool.observation) continue;
    for (const host of pool.observation.hosts) {
      const known = inventoryHost(inventory, pool.device, host);
      if (known) {
        names.set(host.name, known.name);
        const device = byName.get(known.name)!;
        if (host.live === false) {
          device.sources.push({ source: 'xenapi', state: 'unreachable', message: `the pool master reports ${host.name} as not live`, observedAt: pool.observation.observedAt, stale: false });
          device.health = deviceHealth(device.sources);
        }
        continue;
      }
      // A host only the pool reports. A name another kind of device already has gets the pool's name beside it.
      const name = byName.has(host.name) ? `${host.name} (${pool.device})` : host.name;
      names.set(host.name, name);
      const sources = [sourceState('xenapi', pool.status, pool.observation.observedAt)];
      if (host.live === false) sources.push({ source: 'xenapi', state: 'unreachable', message: `the pool master reports ${host.name} as not live`, observedAt: pool.observation.observedAt, stale: false });
      add({ name, kind: 'xen-host', inInventory: false, address: host.address, pool: pool.device, stack: '', sources, health: deviceHealth(sources), reported: false, stale: false, stackMembers: [] });
    }
  }
  devices.sort((a, b) => (fold(a.name) < fold(b.name) ? -1 : fold(a.name) > fold(b.name) ? 1 : 0));
  return { devices, byName, hostNames };
}
