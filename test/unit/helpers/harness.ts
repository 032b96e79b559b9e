import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/store/db';
import { KeyFileBox } from '../../../src-main/store/keyfile-box';
import { createHandlers } from '../../../src-main/api/service';
import { dispatch } from '../../../src-main/api/dispatch';
import type { Api, Envelope, AppEvents, EventName } from '../../../src-main/api/contract';
import { METHOD_NAMES } from '../../../src-main/api/method-names';

export class CallFailed extends Error {
  constructor(readonly body: Extract<Envelope, { ok: false }>['error']) {
    super(body.message);
  }
}

export interface Harness {
  dir: string;
  dbPath: string;
  db: Db;
  box: KeyFileBox;
  /** Calls go through dispatch, exactly as a transport would send them. */
  api: Api;
  raw(method: unknown, args: unknown): Promise<Envelope>;
  events: { event: EventName; payload: AppEvents[EventName] }[];
  close(): void;
}

/** A fresh database and key file in a temporary folder, with the real handlers behind dispatch. */
export function makeHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'labwarden-test-'));
  const dbPath = join(dir, 'labwarden.db');
  const db = openDatabase(dbPath);
  const box = new KeyFileBox(join(dir, 'labwarden.key'));
  const events: Harness['events'] = [];
  const handlers = createHandlers({
    db,
    box,
    databasePath: dbPath,
    mode: 'cli',
    version: 'test',
    emit: (event, payload) => events.push({ event, payload }),
  });
  const raw = (method: unknown, args: unknown) => dispatch(handlers, method, args);
  const api = Object.fromEntries(
    METHOD_NAMES.map((name) => [
      name,
      async (...args: unknown[]) => {
        const envelope = await raw(name, args);
        if (!envelope.ok) throw new CallFailed(envelope.error);
        return envelope.result;
      },
    ]),
  ) as unknown as Api;
  return {
    dir,
    dbPath,
    db,
    box,
    api,
    raw,
    events,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The error a call fails with (the test fails if it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<CallFailed['body']> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallFailed) return error.body;
    throw error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
