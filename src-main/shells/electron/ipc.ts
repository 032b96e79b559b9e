import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatch, type DispatchLog } from '../../api/dispatch';
import type { Handlers, Envelope, AppEvents, EventName } from '../../api/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../api/method-names';
import { isTrustedSender, isAppUrl } from './window';

/**
 * Thrown (not answered with an envelope) when a frame other than our app:// page calls the API.
 * A foreign frame is not our renderer: it gets no structured answer to probe, no error code that the
 * contract would have to grow, only a rejected promise (Electron passes the message, never a stack).
 */
export class ForeignSender extends Error {
  constructor() {
    super('refused: only the Labwarden window may call its API');
    this.name = 'ForeignSender';
  }
}

export type IpcLog = DispatchLog & { warn(message: string): void };

/** The frame that sent an IPC message, as much of it as the check needs (null once the frame is gone). */
export type CallEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/**
 * The one API handler: sender check first (a parsed origin, exactly ours), then `dispatch`, which
 * validates the method name and every argument against the contract and never throws.
 */
export function apiCallHandler(handlers: Handlers, log?: IpcLog) {
  return async (event: CallEvent, method: unknown, args: unknown): Promise<Envelope> => {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSender(frameUrl)) {
      // The URL only, never the arguments: they may hold credentials.
      log?.warn(`refused an API call from ${describeFrame(frameUrl)}`);
      throw new ForeignSender();
    }
    return dispatch(handlers, method, args, log);
  };
}

export function bindApi(ipcMain: Pick<IpcMain, 'handle'>, handlers: Handlers, log?: IpcLog): void {
  ipcMain.handle(IPC_CALL_CHANNEL, apiCallHandler(handlers, log));
}

/** A window's contents, as much as event delivery needs. */
export type EventReceiver = Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>;

/**
 * Pushes an API event to every window showing our own page, as `{event, payload}` on the event channel
 * (the same frame shape serve mode sends over its WebSocket).
 */
export function broadcastEvent<E extends EventName>(targets: readonly EventReceiver[], event: E, payload: AppEvents[E]): void {
  for (const target of targets) {
    if (target.isDestroyed() || !isAppUrl(target.getURL())) continue;
    target.send(IPC_EVENT_CHANNEL, { event, payload });
  }
}

function describeFrame(url: string | undefined): string {
  if (url === undefined) return 'a frame that no longer exists';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'a frame with an unparsable URL';
  }
}
