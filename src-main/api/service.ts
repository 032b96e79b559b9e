/**
 * The API's implementation: each handler receives arguments already validated by the contract and
 * works through the store. Every change announces `inventory.changed` so other windows reload.
 */
import type { Handlers, AppInfo, AppEvents, ImportSummary, YamlCheck, EventName, PoolSummary, PoolView, StorageOverview, SnmpDeviceView, SnmpDeviceSummary } from './contract';
import type { MethodName } from './method-names';
import type { Db } from '../store/db';
import { schemaVersion } from '../store/db';
import type { SecretBox } from '../store/credentials';
import { setCredential, clearCredential, setTargetCredential, clearTargetCredential } from '../store/credentials';
import { listDevices, getDevice, insertDevice, updateDevice, deviceDeleteImpact, deleteDevice } from '../store/devices';
import { insertPort, updatePort, portDeleteImpact, deletePort } from '../store/ports';
import { listLinks, insertLink, updateLink, deleteLink } from '../store/links';
import { listVlans, insertVlan, updateVlan, vlanDeleteImpact, deleteVlan } from '../store/vlans';
import { listTargets, insertTarget, updateTarget, targetDeleteImpact, deleteTarget } from '../store/targets';
import { readInventory, replaceInventory, countStored, LAB_NAME_KEY } from '../store/inventory';
import { getSetting, setSetting } from '../store/settings';
import { inventoryToYaml, parseInventoryYaml, describeProblem } from './interchange/yaml';
import { devicesToCsv } from './interchange/csv';
import { importDevicesCsv } from './interchange/csv-import';
import { InvalidInput } from '../domain/errors';
import { countInventory, type InventoryCounts } from '../domain/model/inventory';
import { CREDENTIAL_PROTOCOL, CREDENTIAL_PURPOSES } from '../domain/model/credentials';
import { TARGET_CREDENTIAL_PURPOSES, TARGET_CREDENTIAL_LABELS, targetCredentialWanted } from '../domain/model/storage';
import type { ParsedArgs } from './contract';
import { VOCABULARY } from '../domain/model/vocabulary';
import { PoolCollector } from '../collect/pools';
import { StorageCollector } from '../collect/storage';
import { SnmpCollector } from '../collect/snmp';
import { sanView } from '../domain/health/san';
import { replicationView } from '../domain/health/replication';
import { DEFAULT_RECOVERY_POINT_HOURS } from '../domain/model/san';
import { poolHealth } from '../domain/health/pool';
import { DEVICE_KIND_LABELS, type Device } from '../domain/model/devices';
import { LabAnalysis, recoveryPointKey } from '../collect/lab-analysis';
import { createLabHandlers } from './lab-service';
import demoLabYaml from '../../resources/demo-lab.yaml?raw';

export interface ServiceDeps {
  db: Db;
  box: SecretBox;
  databasePath: string;
  mode: AppInfo['mode'];
  version: string;
  emit<E extends EventName>(event: E, payload: AppEvents[E]): void;
  /**
   * The running pool collector. Without one (the CLI, most tests) pools show their last stored observation
   * and an idle status.
   */
  pools?: PoolCollector;
  /** The running storage collector (probes, DSM); without one, the last stored observations show. */
  storage?: StorageCollector;
  /** The running SNMP poller; without one, the last stored views show. */
  snmp?: SnmpCollector;
  /** The lab graph kept current over those collectors; made here when not given. */
  analysis?: LabAnalysis;
}

/** The lab.changed payload: when the graph was built and how many open findings of each severity. */
export function labChanged(builtAt: string, findings: readonly { severity: string; accepted: boolean }[]) {
  const open = (severity: string) => findings.filter((f) => !f.accepted && f.severity === severity).length;
  return { builtAt, errors: open('error'), warnings: open('warning'), info: open('info') };
}

/** How the first run began: 'demo', 'empty' or 'import'; the demo's simulators run only for 'demo'. */
export const START_CHOSEN_KEY = 'start.chosen';

export function createHandlers(deps: ServiceDeps): Handlers {
  const { db, box } = deps;
  // Every change the service announces also marks the lab graph stale (it rebuilds once, then says lab.changed).
  let analysis: LabAnalysis | undefined = deps.analysis;
  const emit: ServiceDeps['emit'] = (event, payload) => {
    deps.emit(event, payload);
    if (event !== 'lab.changed') analysis?.invalidate(event === 'inventory.changed' ? 'inventory' : 'observation');
  };
  const changed = (method: MethodName) => emit('inventory.changed', { method });
  const isEmpty = (counts: InventoryCounts) => Object.values(counts).every((n) => n === 0);

  const info = (): AppInfo => {
    const described = box.describe();
    return {
      version: deps.version,
      schemaVersion: schemaVersion(db),
      databasePath: deps.databasePath,
      mode: deps.mode,
      secrets: { scheme: box.scheme, ...described },
      firstRun: getSetting(db, START_CHOSEN_KEY) === undefined && isEmpty(countStored(db)),
      labName: getSetting(db, LAB_NAME_KEY) ?? '',
    };
  };

  /** Writes a device's credentials after its fields: set, clear, and drop those of protocols turned off. */
  const writeSecrets = (deviceId: number, device: ParsedArgs<'devices.create'>[0]) => {
    for (const purpose of CREDENTIAL_PURPOSES) {
      const value = device.secrets[purpose];
      if (device[CREDENTIAL_PROTOCOL[purpose]] === null || value === null) clearCredential(db, deviceId, purpose);
      else if (value !== undefined) setCredential(db, box, deviceId, purpose, value);
    }
  };

  /**
   * Writes a target's CHAP secrets after its fields, as writeSecrets does a device's: set, clear, and drop
   * those whose CHAP setting is gone. A CHAP name without a secret, given or stored, is refused: the probe
   * could not use it, and the form is where the user can still type it.
   */
  const writeTargetSecrets = (targetId: number, target: ParsedArgs<'targets.create'>[0]) => {
    const stored = new Set(listTargets(db).find((t) => t.id === targetId)?.credentials ?? []);
    for (const purpose of TARGET_CREDENTIAL_PURPOSES) {
      const value = target.secrets[purpose];
      if (!targetCredentialWanted(purpose, target.chap) || value === null) {
        clearTargetCredential(db, targetId, purpose);
        stored.delete(purpose);
      } else if (value !== undefined) {
        setTargetCredential(db, box, targetId, purpose, value);
        stored.add(purpose);
      } else if (!stored.has(purpose)) {
        throw InvalidInput.field(
          ['secrets', purpose],
          `enter the ${TARGET_CREDENTIAL_LABELS[purpose]}: ${purpose === 'chap-secret' ? 'discovery CHAP' : 'mutual CHAP'} needs it`,
        );
      }
    }
  };

  /**
   * A pinned certificate changes only through pools.acceptCertificate or a first-use pin, never through a
   * form that was open meanwhile: while the URL stays, the stored pin wins. A new URL takes what was sent.
   */
  const keepPins = (stored: Device, fields: { xenapi: Device['xenapi']; dsm: Device['dsm'] }) => {
    for (const protocol of ['xenapi', 'dsm'] as const) {
      const before = stored[protocol];
      const after = fields[protocol];
      if (!before || !after || before.url !== after.url) continue;
      if (before.fingerprint) after.fingerprint = before.fingerprint;
      else delete after.fingerprint;
    }
  };

  const importInventory = (text: string): ImportSummary => {
    const parsed = parseInventoryYaml(text);
    if (!parsed.ok) {
      throw new InvalidInput(
        parsed.problems.map((p) => ({ path: [], message: describeProblem(p) })),
        `the inventory was not imported, nothing changed: ${parsed.problems.map(describeProblem).join('; ')}`,
      );
    }
    const replaced = countStored(db);
    const result = replaceInventory(db, box, parsed.inventory);
    setSetting(db, START_CHOSEN_KEY, 'import');
    return { counts: countInventory(parsed.inventory), replaced, ...result };
  };

  const poolCollector =
    deps.pools ??
    new PoolCollector({ db, box, onPoolChanged: (deviceId) => emit('pool.changed', { deviceId }), onInventoryChanged: () => {} });

  const storage =
    deps.storage ??
    new StorageCollector({ db, box, onChanged: (deviceId) => emit('storage.changed', { deviceId }), onInventoryChanged: () => {} });

  const snmp = deps.snmp ?? new SnmpCollector({ db, box, onChanged: (deviceId) => emit('snmp.changed', { deviceId }) });

  analysis ??= new LabAnalysis({
    db,
    pools: poolCollector,
    storage,
    snmp,
    onChanged: ({ graph, findings }) => emit('lab.changed', labChanged(graph.builtAt, findings)),
  });

  const snmpView = (device: Device): SnmpDeviceView => {
    const { view, status, note, polling } = snmp.state(device);
    return {
      deviceId: device.id,
      name: device.name,
      kind: device.kind,
      status,
      note,
      observedAt: view?.observedAt ?? null,
      ports: view?.ports.length ?? 0,
      portsUp: view?.ports.filter((p) => p.operUp).length ?? 0,
      lags: view?.lags.length ?? 0,
      polling,
      view,
    };
  };
  const snmpSummary = (device: Device): SnmpDeviceSummary => {
    const { view: _view, ...summary } = snmpView(device);
    return summary;
  };

  const storageOverview = (): StorageOverview => {
    const devices = listDevices(db);
    const targets = listTargets(db);
    const pools = devices
      .filter((device) => device.kind === 'xen-pool')
      .map((device) => ({ deviceId: device.id, name: device.name, observation: poolCollector.state(device).observation }))
      .filter((pool): pool is { deviceId: number; name: string; observation: NonNullable<typeof pool.observation> } => pool.observation !== null);
    const sans = devices
      .filter((device) => (device.kind === 'iscsi-san' || device.kind === 'nas') && targets.some((t) => t.deviceId === device.id))
      .map((device) =>
        sanView({
          device: { id: device.id, name: device.name, kind: device.kind as 'iscsi-san' | 'nas', address: device.address },
          targets: targets.filter((t) => t.deviceId === device.id),
          probes: storage.portalProbes(device.id),
          pools,
        }),
      );
    const now = new Date();
    const replication = devices
      .filter((device) => device.kind === 'nas')
      .map((device) => {
        const { observation, status, note } = storage.nasState(device);
        const hours = Number(getSetting(db, recoveryPointKey(device.id)) ?? DEFAULT_RECOVERY_POINT_HOURS);
        return { ...replicationView(device, observation, hours, now), status, note, url: device.dsm?.url ?? '' };
      });
    return { sans, replication, probing: storage.sweeping, lastProbeAt: storage.lastProbeAt };
  };

  const poolDevice = (id: number): Device => {
    const device = getDevice(db, id);
    if (device.kind !== 'xen-pool') {
      throw InvalidInput.field([], `${device.name} is a ${DEVICE_KIND_LABELS[device.kind]}, not a XenServer pool`);
    }
    return device;
  };

  const poolView = (device: Device): PoolView => {
    const { observation, status, note } = poolCollector.state(device);
    const health = observation ? poolHealth(observation) : null;
    return {
      deviceId: device.id,
      name: device.name,
      url: device.xenapi?.url ?? '',
      status,
      note,
      observedAt: observation?.observedAt ?? null,
      hosts: observation?.hosts.length ?? 0,
      bondsDegraded: health?.bondsDegraded ?? 0,
      pathsRed: health?.pathsRed ?? 0,
      observation,
      health,
    };
  };

  const poolSummary = (device: Device): PoolSummary => {
    const { observation: _observation, health: _health, ...summary } = poolView(device);
    return summary;
  };

  const openDemo = (): ImportSummary => {
    const summary = importInventory(demoLabYaml);
    setSetting(db, START_CHOSEN_KEY, 'demo');
    return summary;
  };

  return {
    ...createLabHandlers(db, analysis, changed),
    'app.info': info,
    'app.vocabulary': () => VOCABULARY,
    'app.chooseStart': (choice) => {
      if (choice === 'demo') {
        if (!isEmpty(countStored(db))) {
          throw InvalidInput.field([], 'the inventory is not empty; open the demo lab from the Import / export page, which replaces it');
        }
        openDemo();
        changed('app.chooseStart');
      } else {
        setSetting(db, START_CHOSEN_KEY, 'empty');
      }
      return info();
    },

    'devices.list': () => listDevices(db),
    'devices.get': (id) => getDevice(db, id),
    'devices.create': (device) => {
      const id = db.transaction(() => {
        const { secrets: _secrets, ...fields } = device;
        const newId = insertDevice(db, fields);
        writeSecrets(newId, device);
        return newId;
      })();
      changed('devices.create');
      return { id };
    },
    'devices.update': (id, device) => {
      db.transaction(() => {
        const { secrets: _secrets, ...fields } = device;
        keepPins(getDevice(db, id), fields);
        updateDevice(db, id, fields);
        writeSecrets(id, device);
      })();
      changed('devices.update');
    },
    'devices.deleteImpact': (id) => deviceDeleteImpact(db, id),
    'devices.delete': (id) => {
      deleteDevice(db, id);
      changed('devices.delete');
    },
    'devices.exportCsv': () => devicesToCsv(listDevices(db)),
    'devices.importCsv': (text) => {
      const summary = importDevicesCsv(db, text);
      changed('devices.importCsv');
      return summary;
    },

    'ports.create': (deviceId, port) => {
      const id = insertPort(db, deviceId, port);
      changed('ports.create');
      return { id };
    },
    'ports.update': (id, port) => {
      updatePort(db, id, port);
      changed('ports.update');
    },
    'ports.deleteImpact': (id) => portDeleteImpact(db, id),
    'ports.delete': (id) => {
      deletePort(db, id);
      changed('ports.delete');
    },

    'links.list': () => listLinks(db),
    'links.create': (link) => {
      const id = insertLink(db, link);
      changed('links.create');
      return { id };
    },
    'links.update': (id, link) => {
      updateLink(db, id, link);
      changed('links.update');
    },
    'links.delete': (id) => {
      deleteLink(db, id);
      changed('links.delete');
    },

    'vlans.list': () => listVlans(db),
    'vlans.create': (vlan) => {
      insertVlan(db, vlan);
      changed('vlans.create');
    },
    'vlans.update': (id, vlan) => {
      updateVlan(db, id, vlan);
      changed('vlans.update');
    },
    'vlans.deleteImpact': (id) => vlanDeleteImpact(db, id),
    'vlans.delete': (id) => {
      deleteVlan(db, id);
      changed('vlans.delete');
    },

    'targets.list': () => listTargets(db),
    'targets.create': (target) => {
      const id = db.transaction(() => {
        const { secrets: _secrets, ...fields } = target;
        const newId = insertTarget(db, fields);
        writeTargetSecrets(newId, target);
        return newId;
      })();
      changed('targets.create');
      return { id };
    },
    'targets.update': (id, target) => {
      db.transaction(() => {
        const { secrets: _secrets, ...fields } = target;
        updateTarget(db, id, fields);
        writeTargetSecrets(id, target);
      })();
      changed('targets.update');
    },
    'targets.deleteImpact': (id) => targetDeleteImpact(db, id),
    'targets.delete': (id) => {
      deleteTarget(db, id);
      changed('targets.delete');
    },

    'inventory.counts': () => countStored(db),
    'inventory.exportYaml': () => inventoryToYaml(readInventory(db)),
    'inventory.checkYaml': (text): YamlCheck => {
      const parsed = parseInventoryYaml(text);
      return parsed.ok
        ? { ok: true, counts: countInventory(parsed.inventory), problems: [], current: countStored(db) }
        : { ok: false, counts: null, problems: parsed.problems, current: countStored(db) };
    },
    'inventory.importYaml': (text) => {
      const summary = importInventory(text);
      changed('inventory.importYaml');
      return summary;
    },
    'inventory.openDemo': () => {
      const summary = openDemo();
      changed('inventory.openDemo');
      return summary;
    },

    'pools.list': () => listDevices(db).filter((device) => device.kind === 'xen-pool').map(poolSummary),
    'pools.get': (id) => poolView(poolDevice(id)),
    'pools.acceptCertificate': (id, fingerprint) => {
      poolDevice(id);
      poolCollector.acceptCertificate(id, fingerprint);
    },
    'pools.refresh': (id) => {
      poolDevice(id);
      poolCollector.refresh(id);
    },

    'storage.overview': storageOverview,
    'storage.probeNow': () => {
      storage.probeNow();
      storage.readNasesNow();
    },
    'storage.setRecoveryPoint': (id, hours) => {
      const device = getDevice(db, id);
      if (device.kind !== 'nas') throw InvalidInput.field([], `${device.name} is a ${DEVICE_KIND_LABELS[device.kind]}, not a NAS`);
      setSetting(db, recoveryPointKey(id), String(hours));
      emit('storage.changed', { deviceId: id });
    },
    'snmp.list': () => listDevices(db).filter((device) => device.snmp !== null).map(snmpSummary),
    'snmp.device': (id) => {
      const device = getDevice(db, id);
      if (!device.snmp) throw InvalidInput.field([], `${device.name} has no SNMP settings: set them on the device to poll it`);
      return snmpView(device);
    },
    'snmp.pollNow': (id) => {
      getDevice(db, id);
      snmp.pollNow(id);
    },
    'storage.acceptCertificate': (id, fingerprint) => {
      const device = getDevice(db, id);
      if (device.kind !== 'nas') throw InvalidInput.field([], `${device.name} is a ${DEVICE_KIND_LABELS[device.kind]}, not a NAS`);
      storage.acceptCertificate(id, fingerprint);
    },
  };
}
