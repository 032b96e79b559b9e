/**
 * Something the lab-graph screens show, kept current: loaded once, then again whenever the lab graph is
 * rebuilt (`lab.changed`: an observation came in, a finding was accepted), the inventory changes or the
 * connection comes back. Must be created while a component initialises: its effects end with it.
 */
import { ApiError, messageOf, onEvent } from './api.svelte';
import { app } from './app-state.svelte';

export interface Live<T> {
  readonly value: T | null;
  readonly error: string;
  /** The API answered not-found (a device id that does not exist). */
  readonly notFound: boolean;
  readonly loaded: boolean;
  reload(): Promise<void>;
}

export function liveLab<T>(load: () => Promise<T>): Live<T> {
  const state = $state({ value: null as T | null, error: '', notFound: false, loaded: false });
  // Events come in bursts and answers can overtake each other: only the latest request may write.
  let latest = 0;

  async function reload(): Promise<void> {
    const mine = ++latest;
    try {
      const value = await load();
      if (mine !== latest) return;
      state.value = value;
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

  $effect(() => {
    void app.revision;
    void reload();
  });
  $effect(() => onEvent('lab.changed', () => void reload()));

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
