import { openDatabase, type Db } from '../../store/db';
import { KeyFileBox } from '../../store/keyfile-box';
import type { SecretBox } from '../../store/credentials';
import { createHandlers } from '../../api/service';
import type { Handlers, AppInfo, AppEvents, EventName } from '../../api/contract';
import { dataFiles, ensureDataDir } from './data-dir';
import { version } from '../../../package.json';

export type EventListener = <E extends EventName>(event: E, payload: AppEvents[E]) => void;

export interface OpenLab {
  db: Db;
  handlers: Handlers;
  databasePath: string;
  /** Subscribes to API events (inventory changes); returns the unsubscribe. */
  onEvent(listener: EventListener): () => void;
  close(): void;
}

export interface OpenLabOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  /** The desktop shell passes its safeStorage box; others get the key file beside the database. */
  box?: SecretBox;
  nativeBinding?: string;
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
  const handlers = createHandlers({
    db,
    box,
    databasePath: files.database,
    mode: options.mode,
    version,
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload);
    },
  });
  return {
    db,
    handlers,
    databasePath: files.database,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => db.close(),
  };
}

export const LABWARDEN_VERSION = version;
