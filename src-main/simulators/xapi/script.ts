/**
 * Things that happen to a pool, scripted: a NIC loses its link, a storage path fails. Each change is
 * written the way xapi's own daemons write it, so a client sees what it would see from a real pool:
 * - a link change is networkd's: PIF_metrics carrier/speed (65535 for "unknown" on old hosts), the bond's
 *   links_up (where that xapi has it), the bond master's carrier (up while any slave is), and a
 *   BOND_STATUS_CHANGED message "The status of the eth0+eth1 bond changed: 1/2 up (was 2/2)";
 * - a path change is SM's mpathcount: PBD other_config `mpath-<SCSIid>` = "[active, total]" plus
 *   mpathalert's MULTIPATH_PERIODIC_ALERT message about it.
 */
import { formatDate } from './time';
import type { DbValue, Row, XapiStore } from './store';

/** What an old host reports as the speed of a link that is down (e.g. XenCenter's state5.xml). */
export const SPEED_WHEN_DOWN = '65535';

const text = (value: DbValue | undefined) => (typeof value === 'string' ? value : '');

export function findHost(store: XapiStore, nameLabel: string): Row | undefined {
  for (const row of store.table('host').rows.values()) {
    if (row.fields.get('name_label') === nameLabel || row.fields.get('hostname') === nameLabel) return row;
  }
  return undefined;
}

export function findPif(store: XapiStore, hostNameLabel: string, device: string, vlan = -1): Row | undefined {
  const host = findHost(store, hostNameLabel);
  if (!host) return undefined;
  for (const row of store.table('PIF').rows.values()) {
    if (row.fields.get('host') === host.ref && row.fields.get('device') === device && Number(text(row.fields.get('VLAN'))) === vlan) return row;
  }
  return undefined;
}

export function findSr(store: XapiStore, uuidOrName: string): Row | undefined {
  const rows = [...store.table('SR').rows.values()];
  return rows.find((row) => row.fields.get('uuid') === uuidOrName) ?? rows.find((row) => row.fields.get('name_label') === uuidOrName);
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not found in the simulated pool`);
  return value;
}

function metricsOf(store: XapiStore, pif: Row): Row | undefined {
  return store.get('PIF_metrics', text(pif.fields.get('metrics')));
}

const carrierOf = (store: XapiStore, pif: Row) => metricsOf(store, pif)?.fields.get('carrier') === 'true';

function poolUuid(store: XapiStore): string {
  return text(store.table('pool').rows.values().next().value?.fields.get('uuid'));
}

export interface MessageInput {
  name: string;
  priority: number;
  cls: string;
  obj_uuid: string;
  body: string;
  /** Defaults to now. */
  timestamp?: Date;
}

export function addMessage(store: XapiStore, message: MessageInput): string {
  return store.add('message', {
    name: message.name,
    priority: String(message.priority),
    cls: message.cls,
    obj_uuid: message.obj_uuid,
    timestamp: formatDate(message.timestamp ?? new Date()),
    body: message.body,
  });
}

/** Remembers each NIC's speed while its link is down, to give it back when the link returns. */
const speedsBeforeDown = new WeakMap<Row, string>();

export function setCarrier(store: XapiStore, hostNameLabel: string, device: string, up: boolean): void {
  const host = need(findHost(store, hostNameLabel), `host ${hostNameLabel}`);
  const pif = need(findPif(store, hostNameLabel, device), `PIF ${device} on ${hostNameLabel}`);
  const metrics = need(metricsOf(store, pif), `PIF_metrics of ${device} on ${hostNameLabel}`);
  const bond = store.get('Bond', text(pif.fields.get('bond_slave_of')));
  const slaves = bond ? [...store.table('PIF').rows.values()].filter((row) => row.fields.get('bond_slave_of') === bond.ref) : [];
  const upBefore = slaves.filter((slave) => carrierOf(store, slave)).length;

  const speed = text(metrics.fields.get('speed'));
  if (!up && speed !== SPEED_WHEN_DOWN) speedsBeforeDown.set(metrics, speed);
  store.update('PIF_metrics', metrics.ref, {
    carrier: up ? 'true' : 'false',
    speed: up ? (speedsBeforeDown.get(metrics) ?? (speed === SPEED_WHEN_DOWN ? '1000' : speed)) : SPEED_WHEN_DOWN,
    duplex: up ? 'true' : 'false',
  });
  if (!bond) return;

  const upNow = slaves.filter((slave) => carrierOf(store, slave)).length;
  if (bond.fields.has('links_up')) store.update('Bond', bond.ref, { links_up: String(upNow) });
  const master = store.get('PIF', text(bond.fields.get('master')));
  const masterMetrics = master ? metricsOf(store, master) : undefined;
  if (masterMetrics && masterMetrics !== metrics) {
    // networkd: a bond's carrier is "any slave up", its speed the sum of the slaves that carry traffic.
    const speedSum = slaves
      .filter((slave) => carrierOf(store, slave))
      .reduce((sum, slave) => sum + (Number(text(metricsOf(store, slave)?.fields.get('speed'))) || 0), 0);
    store.update('PIF_metrics', masterMetrics.ref, {
      carrier: upNow > 0 ? 'true' : 'false',
      speed: upNow > 0 ? String(speedSum) : SPEED_WHEN_DOWN,
    });
  }
  if (upNow !== upBefore) {
    const devices = slaves.map((slave) => text(slave.fields.get('device'))).sort();
    addMessage(store, {
      name: 'BOND_STATUS_CHANGED',
      priority: 3,
      cls: 'Host',
      obj_uuid: text(host.fields.get('uuid')),
      body: `The status of the ${devices.join('+')} bond changed: ${upNow}/${slaves.length} up (was ${upBefore}/${slaves.length})`,
    });
  }
}

/** `[active, total]` as SM's mpathcount writes it (Python's str of a list). */
export const formatPaths = (active: number, total: number) => `[${active}, ${total}]`;

export function setPaths(store: XapiStore, srUuidOrName: string, hostNameLabel: string, active: number, total?: number): void {
  const sr = need(findSr(store, srUuidOrName), `SR ${srUuidOrName}`);
  const host = need(findHost(store, hostNameLabel), `host ${hostNameLabel}`);
  const pbd = need(
    [...store.table('PBD').rows.values()].find((row) => row.fields.get('SR') === sr.ref && row.fields.get('host') === host.ref),
    `PBD of ${srUuidOrName} on ${hostNameLabel}`,
  );
  const deviceConfig = pbd.fields.get('device_config');
  const scsiId = deviceConfig instanceof Map ? deviceConfig.get('SCSIid') : undefined;
  if (!scsiId) throw new Error(`the PBD of ${srUuidOrName} on ${hostNameLabel} has no SCSIid in its device_config`);
  const otherConfig = new Map(pbd.fields.get('other_config') instanceof Map ? (pbd.fields.get('other_config') as Map<string, string>) : []);
  const key = `mpath-${scsiId}`;
  const previousTotal = Number(/\[\d+L?, (\d+)L?\]/.exec(otherConfig.get(key) ?? '')?.[1] ?? '0');
  // mpathcount never lowers the total below the highest seen (sm libs/sm/mpathcount.py update_config).
  const newTotal = Math.max(total ?? previousTotal, active);
  otherConfig.set(key, formatPaths(active, newTotal));
  store.update('PBD', pbd.ref, { other_config: otherConfig });

  const line = `[${formatDate(new Date())}] host=${text(host.fields.get('uuid'))}; host-name="${text(host.fields.get('name_label'))}"; pbd=${text(pbd.fields.get('uuid'))}; scsi_id=${scsiId}; current=${active}; max=${newTotal}`;
  const unhealthy = active !== newTotal ? `Unhealthy paths:\n${line}\n` : '';
  addMessage(store, {
    name: 'MULTIPATH_PERIODIC_ALERT',
    priority: 3,
    cls: 'Pool',
    obj_uuid: poolUuid(store),
    body: `${unhealthy}Events received during the last 120 seconds:\n${line}\n`,
  });
}
