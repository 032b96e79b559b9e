import { openDatabase, type Db } from '../../store/db';
import { KeyFileBox } from '../../store/keyfile-box';
import type { SecretBox } from '../../store/credentials';
import { createHandlers } from '../../api/service';
import { PoolCollector } from '../../collect/pools';
import { StorageCollector } from '../../collect/storage';
import { SnmpCollector } from '../../collect/snmp';
import { getSetting } from '../../store/settings';
import { START_CHOSEN_KEY, labChanged } from '../../api/service';
import { LabAnalysis } from '../../collect/lab-analysis';
import { DemoPeers } from './demo-peers';
import type { Handlers, AppInfo, AppEvents, EventName } from '../../api/contract';
import { dataFiles, ensureDataDir } from './data-dir';
import { version } from '../../../package.json';

export type EventListener = <E extends EventName>(event: E, payload: AppEvents[E]) => void;

export interface OpenLab {
  db: Db;
  /** What seals this lab's secrets (the CLI's `secret set` and poll round use it). */
  box: SecretBox;
  handlers: Handlers;
  databasePath: string;
  /** Subscribes to API events (inventory changes); returns the unsubscribe. */
  onEvent(listener: EventListener): () => void;
  /** Stops the collectors, then closes the database. */
  close(): Promise<void>;
}

export interface OpenLabOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  /** The desktop shell passes its safeStorage box; others get the key file beside the database. */
  box?: SecretBox;
  nativeBinding?: string;
  /** Poll the lab (serve and the desktop app); the CLI's import and export leave it alone. */
  collect?: boolean;
  /** Answer the demo lab's devices (pool, SAN portal, DSM, SNMP agents) from the built-in simulators (serve and the desktop app). */
  demoPeers?: boolean;
}

/** Opens the inventory in `dataDir` (creating it on first use) with the API's handlers on top. */
export function openLab(options: OpenLabOptions): OpenLab {
  ensureDataDir(options.dataDir);
  const files = dataFiles(options.dataDir);
  const db = openDatabase(files.database, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  let box: SecretBox;
  try {
    box = options.box ?? new KeyFileBox(files.keyFile);
  } catch (error) {
    db.close();
    throw error;
  }
  const listeners = new Set<EventListener>();
  // Declared before the collectors, whose every change marks the lab graph stale.
  let analysis: LabAnalysis | undefined;
  const emit: EventListener = (event, payload) => {
    if (event !== 'lab.changed') analysis?.invalidate(event === 'inventory.changed' ? 'inventory' : 'observation');
    for (const listener of listeners) listener(event, payload);
  };
  // Declared before the collector, which asks it where the demo pool answers.
  let pools: PoolCollector | undefined;
  let storage: StorageCollector | undefined;
  let snmp: SnmpCollector | undefined;
  const demo = options.demoPeers
    ? new DemoPeers(() => {
        pools?.sync();
        storage?.sync();
        storage?.probeNow();
        snmp?.sync();
      })
    : null;
  const demoActive = () => getSetting(db, START_CHOSEN_KEY) === 'demo';
  pools = options.collect
    ? new PoolCollector({
        db,
        box,
        onPoolChanged: (deviceId) => emit('pool.changed', { deviceId }),
        onInventoryChanged: () => emit('inventory.changed', { method: 'pools.acceptCertificate' }),
        ...(demo ? { redirect: (device) => (demoActive() ? demo.redirect(device) : null) } : {}),
      })
    : undefined;
  storage = options.collect
    ? new StorageCollector({
        db,
        box,
        onChanged: (deviceId) => emit('storage.changed', { deviceId }),
        onSweep: () => emit('storage.changed', { deviceId: null }),
        onInventoryChanged: () => emit('inventory.changed', { method: 'storage.acceptCertificate' }),
        ...(demo
          ? {
              redirect: {
                portal: (device, address, port) => (demoActive() ? demo.redirectPortal(device, address, port) : null),
                dsm: (device) => (demoActive() ? demo.redirectDsm(device) : null),
              },
            }
          : {}),
      })
    : undefined;
  snmp = options.collect
    ? new SnmpCollector({
        db,
        box,
        onChanged: (deviceId) => emit('snmp.changed', { deviceId }),
        ...(demo ? { redirect: (device) => (demoActive() ? demo.redirectSnmp(device) : null) } : {}),
      })
    : undefined;
  if (pools && storage && snmp) {
    analysis = new LabAnalysis({ db, pools, storage, snmp, onChanged: ({ graph, findings }) => emit('lab.changed', labChanged(graph.builtAt, findings)) });
  }
  const handlers = createHandlers({
    db,
    box,
    databasePath: files.database,
    mode: options.mode,
    version,
    emit,
    ...(pools ? { pools } : {}),
    ...(storage ? { storage } : {}),
    ...(snmp ? { snmp } : {}),
    ...(analysis ? { analysis } : {}),
  });
  if (pools && storage && snmp) {
    // The demo's devices carry the lab's real-looking addresses: until its simulators listen, nothing is
    // polled (the collectors would reach for 10.10.x.x); they sync as soon as the simulators are up.
    const syncAll = () => {
      if (demo && demoActive() && !demo.listening) {
        void demo.whenReady();
        return;
      }
      pools.sync();
      storage.sync();
      snmp.sync();
    };
    listeners.add((event) => {
      if (event === 'inventory.changed') syncAll();
    });
    syncAll();
  }
  return {
    db,
    box,
    handlers,
    databasePath: files.database,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      analysis?.close();
      await pools?.stop();
      await storage?.stop();
      await snmp?.stop();
      await demo?.close();
      db.close();
    },
  };
}

export const LABWARDEN_VERSION = version;
