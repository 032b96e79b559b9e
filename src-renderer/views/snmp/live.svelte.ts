/**
 * The SNMP pages' data, reloading itself when a poll of the device finishes (snmp.changed), the inventory
 * changes or the connection comes back (app.revision). A rack of switches finishing polls together sends a
 * burst of events: one request in flight at a time, and one more after it when something changed
 * meanwhile, so a page never falls behind nor floods. Must be created while a component initialises.
 */
import type { SnmpDeviceSummary, SnmpDeviceView } from '../../../src-main/api/contract';
import { call, onEvent, messageOf, ApiError } from '../../lib/api.svelte';
import { app } from '../../lib/app-state.svelte';

export interface Live<T> {
  readonly value: T | null;
  readonly error: string;
  /** The API says there is no such device: the page shows "not found", not an error. */
  readonly notFound: boolean;
  readonly loaded: boolean;
  reload(): Promise<void>;
}

function live<T>(fetch: () => Promise<T>, wants: (deviceId: number) => boolean, track: () => void = () => {}): Live<T> {
  const state = $state({ value: null as T | null, error: '', notFound: false, loaded: false });
  let running: Promise<void> | null = null;
  let again = false;

  async function load(): Promise<void> {
    try {
      state.value = await fetch();
      state.error = '';
      state.notFound = false;
    } catch (error) {
      state.error = messageOf(error);
      state.notFound = error instanceof ApiError && error.body.code === 'not-found';
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
    track();
    void reload();
  });
  $effect(() =>
    onEvent('snmp.changed', (payload) => {
      if (wants(payload.deviceId)) void reload();
    }),
  );

  return {
    get value() {
      return state.value;
    },
    get error() {
      return state.error;
    },
    get notFound() {
      return state.notFound;
    },
    get loaded() {
      return state.loaded;
    },
    reload,
  };
}

/** Every device polled over SNMP, for the list. */
export function liveSnmpList(): Live<SnmpDeviceSummary[]> {
  return live(() => call('snmp.list'), () => true);
}

/** One device's view; `deviceId` is a getter so the page's prop is read where it is used. */
export function liveSnmpDevice(deviceId: () => number): Live<SnmpDeviceView> {
  return live(
    () => call('snmp.device', deviceId()),
    (id) => id === deviceId(),
    () => void deviceId(),
  );
}
