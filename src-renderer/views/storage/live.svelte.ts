/**
 * The storage overview, reloading itself when a probe sweep starts or ends, a SAN's probes or a NAS's
 * reading change (storage.changed), a pool's observation changes (paths are judged from it), or the
 * inventory changes or the connection comes back (app.revision). Must be created while a component
 * initialises: its effects end with the component.
 */
import type { StorageOverview } from '../../../src-main/api/contract';
import { call, onEvent, messageOf } from '../../lib/api.svelte';
import { app } from '../../lib/app-state.svelte';

export interface LiveStorage {
  readonly overview: StorageOverview | null;
  readonly error: string;
  readonly loaded: boolean;
  reload(): Promise<void>;
}

export function liveStorage(): LiveStorage {
  const state = $state({ overview: null as StorageOverview | null, error: '', loaded: false });
  // Pools poll every few seconds and sweeps send bursts of events: one request in flight at a time, and
  // one more after it when something changed meanwhile, so the page never falls behind nor floods.
  let running: Promise<void> | null = null;
  let again = false;

  async function load(): Promise<void> {
    try {
      state.overview = await call('storage.overview');
      state.error = '';
    } catch (error) {
      state.error = messageOf(error);
    } finally {
      state.loaded = true;
    }
  }

  function reload(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await load();
      } while (again);
      running = null;
    })();
    return running;
  }

  $effect(() => {
    void app.revision;
    void reload();
  });
  $effect(() => onEvent('storage.changed', () => void reload()));
  $effect(() => onEvent('pool.changed', () => void reload()));

  return {
    get overview() {
      return state.overview;
    },
    get error() {
      return state.error;
    },
    get loaded() {
      return state.loaded;
    },
    reload,
  };
}
