/**
 * A pool view that reloads itself whenever the main process says that pool changed (or the inventory did, or
 * the connection came back). Must be created while a component initialises: its effect ends with the component.
 */
import type { PoolView } from '../../../src-main/api/contract';
import { call, onEvent, messageOf, ApiError } from '../../lib/api.svelte';
import { app } from '../../lib/app-state.svelte';

export interface LivePool {
  readonly view: PoolView | null;
  readonly error: string;
  /** The API says there is no such device: the page shows "not found", not an error. */
  readonly notFound: boolean;
  readonly loaded: boolean;
  reload(): Promise<void>;
}

/** `deviceId` is a getter so the page's prop is read where it is used, not captured once. */
export function livePool(deviceId: () => number): LivePool {
  const state = $state({ view: null as PoolView | null, error: '', notFound: false, loaded: false });
  // Answers can overtake each other when events come in bursts; only the latest request may write.
  let latest = 0;

  async function reload(): Promise<void> {
    const mine = ++latest;
    try {
      const view = await call('pools.get', deviceId());
      if (mine !== latest) return;
      state.view = view;
      state.error = '';
      state.notFound = false;
    } catch (error) {
      if (mine !== latest) return;
      state.error = messageOf(error);
      state.notFound = error instanceof ApiError && error.body.code === 'not-found';
    } finally {
      if (mine === latest) state.loaded = true;
    }
  }

  // app.revision moves on inventory.changed and when the connection is restored.
  $effect(() => {
    void app.revision;
    void deviceId();
    void reload();
  });
  $effect(() =>
    onEvent('pool.changed', (payload) => {
      if (payload.deviceId === deviceId()) void reload();
    }),
  );

  return {
    get view() {
      return state.view;
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
