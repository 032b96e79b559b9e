/**
 * The sandboxed preload (bundled to out/preload/index.js, CommonJS). A sandboxed preload may require only
 * 'electron' (and a few Node built-ins), so this file imports nothing else but the method-name list, which
 * the bundler inlines.
 *
 * It exposes exactly this, and nothing more, to the page:
 *
 *   window.labwarden = {
 *     call: { [method in METHOD_NAMES]: (...args) => Promise<Envelope> },
 *     on(event: string, callback: (payload) => void): () => void,   // returns the unsubscribe
 *   }
 *
 * `call['devices.get'](7)` resolves to the API envelope `{ok: true, result} | {ok: false, error}` (it
 * rejects only if the main process refuses the caller). `on('inventory.changed', cb)` calls `cb(payload)`
 * for each `{event, payload}` the main process broadcasts. ipcRenderer itself, and the IPC event object
 * (whose `sender` is ipcRenderer), never reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../api/method-names';

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, frame: unknown) => {
  if (frame === null || typeof frame !== 'object') return;
  const { event, payload } = frame as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string') return;
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      // One view's failing listener must not stop the others from hearing the event.
      console.error(`labwarden: a listener for ${event} failed`, error);
    }
  }
});

const call = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(IPC_CALL_CHANNEL, method, args)]),
);

function on(event: string, callback: Listener): () => void {
  if (typeof event !== 'string' || typeof callback !== 'function') {
    throw new TypeError('labwarden.on(event, callback) takes an event name and a function');
  }
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}

contextBridge.exposeInMainWorld('labwarden', { call, on });
