/**
 * Answers that are not DSM answers: a 500 page, bytes that are not JSON, JSON that is not DSM's envelope,
 * an answer too large (refused while streaming, whether or not its length was declared), a slow answer, one
 * cut short, a dropped connection, nobody listening, and an API list a hostile NAS could send. Each is a
 * DsmTransportError of the right kind, quickly, and none quotes what was sent (the session id included).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDsm, DsmTransportError, type DsmSession } from '../../../../src-main/drivers/synology/client';
import { parseApiInfo } from '../../../../src-main/drivers/synology/envelope';
import { startDsmSimulator, type DsmSimulator } from '../../../../src-main/simulators/dsm';

let sim: DsmSimulator;
let session: DsmSession;

beforeAll(async () => {
  sim = await startDsmSimulator();
});
afterEach(() => sim.clearFaults());
afterAll(async () => {
  await session?.logout();
  await sim?.close();
});

async function freshSession(options: { timeoutMs?: number; maxResponseBytes?: number } = {}): Promise<DsmSession> {
  await session?.logout();
  session = await connectDsm({ url: sim.url, username: 'monitor', password: 'dsm-password', timeoutMs: 5000, ...options });
  return session;
}

async function transportFailure(promise: Promise<unknown>): Promise<DsmTransportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DsmTransportError);
  return error as DsmTransportError;
}

/** A server answering SYNO.API.Info and the login like DSM, and every other call with `body`. */
async function oddServer(body: (api: string) => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const api = params.get('api') ?? '';
      const text =
        api === 'SYNO.API.Info'
          ? JSON.stringify({ success: true, data: { 'SYNO.API.Auth': { path: 'entry.cgi', minVersion: 1, maxVersion: 6 }, 'SYNO.X': { path: 'entry.cgi', minVersion: 1, maxVersion: 1 } } })
          : api === 'SYNO.API.Auth'
            ? JSON.stringify({ success: true, data: { sid: 'sid-0123456789' } })
            : body(api);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('answers that are not DSM answers', () => {
  it('an HTTP 500 page is an "http" error that quotes nothing (the page echoes the session id)', async () => {
    const s = await freshSession();
    sim.fault('http-500', { api: 'SYNO.Core.ISCSI.LUN' });
    const error = await transportFailure(s.call('SYNO.Core.ISCSI.LUN', 'list'));
    expect(error).toMatchObject({ kind: 'http', httpStatus: 500 });
    expect(error.message).toBe(`HTTP 500 from ${new URL(sim.url).host}`);
  });

  it('bytes that are not JSON are "malformed", and the message does not quote them', async () => {
    const s = await freshSession();
    sim.fault('garbage', { api: 'SYNO.Core.ISCSI.LUN' });
    const error = await transportFailure(s.call('SYNO.Core.ISCSI.LUN', 'list'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^malformed answer to SYNO\.Core\.ISCSI\.LUN list: not JSON/);
    expect(error.message).not.toContain('html');
  });

  it.each([
    ['a JSON list', '[1,2]', /not a JSON object/],
    ['no success flag', '{"data":{}}', /no "success" flag/],
    ['"success" as text', '{"success":"true","data":{}}', /no "success" flag/],
    ['a failure without a code', '{"success":false}', /without an error code/],
    ['an error code that is text', '{"success":false,"error":{"code":"105"}}', /without an error code/],
  ])('%s is malformed', async (_what, body, message) => {
    const server = await oddServer(() => body);
    try {
      const s = await connectDsm({ url: server.url, username: 'u', password: 'p' });
      const error = await transportFailure(s.call('SYNO.X', 'list'));
      expect(error.kind).toBe('malformed');
      expect(error.message).toMatch(message);
      await s.logout();
    } finally {
      await server.close();
    }
  });

  it('a login that gives no usable session id is malformed', async () => {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const api = new URLSearchParams(Buffer.concat(chunks).toString()).get('api');
        response.end(
          api === 'SYNO.API.Info'
            ? JSON.stringify({ success: true, data: { 'SYNO.API.Auth': { path: 'entry.cgi', minVersion: 1, maxVersion: 6 } } })
            : JSON.stringify({ success: true, data: { sid: 'has spaces\nand a newline' } }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await transportFailure(connectDsm({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, username: 'u', password: 'p' }));
      expect(error.message).toBe('malformed answer to SYNO.API.Auth login: no session id');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('an API list from a hostile NAS: paths that climb out of /webapi/ and nonsense versions are left out; names are data', () => {
    // As JSON text, so "__proto__" arrives as an own key, the way JSON.parse gives it.
    const apis = parseApiInfo(
      JSON.parse(`{
        "SYNO.API.Auth": { "path": "entry.cgi", "minVersion": 1, "maxVersion": "7" },
        "SYNO.Climb": { "path": "../../../etc/passwd", "minVersion": 1, "maxVersion": 1 },
        "SYNO.Hidden": { "path": "a/../../b.cgi", "minVersion": 1, "maxVersion": 1 },
        "SYNO.Absolute": { "path": "/etc/x.cgi", "minVersion": 1, "maxVersion": 1 },
        "SYNO.Upside": { "path": "entry.cgi", "minVersion": 3, "maxVersion": 1 },
        "SYNO.Float": { "path": "entry.cgi", "minVersion": 1.5, "maxVersion": 2 },
        "SYNO.NoPath": { "minVersion": 1, "maxVersion": 1 },
        "__proto__": { "path": "entry.cgi", "minVersion": 1, "maxVersion": 1 }
      }`),
    );
    expect([...apis.keys()].sort()).toEqual(['SYNO.API.Auth', '__proto__']);
    expect(Object.getPrototypeOf(apis)).toBe(Map.prototype);
    expect(apis.get('SYNO.API.Auth')).toEqual({ path: 'entry.cgi', minVersion: 1, maxVersion: 7 });
    expect(() => parseApiInfo({ 'SYNO.Other': { path: 'entry.cgi', minVersion: 1, maxVersion: 1 } })).toThrow(/SYNO\.API\.Auth is not listed/);
    expect(() => parseApiInfo([])).toThrow(DsmTransportError);
  });
});

describe('answers too large, too slow, cut short, or none', () => {
  it('a streamed answer over the cap is "too-large", dropped at the cap', async () => {
    const s = await freshSession({ maxResponseBytes: 1024 * 1024 });
    sim.fault('huge', { api: 'SYNO.Core.ISCSI.LUN', bytes: 200 * 1024 * 1024 });
    const started = Date.now();
    const error = await transportFailure(s.call('SYNO.Core.ISCSI.LUN', 'list'));
    expect(error.kind).toBe('too-large');
    expect(error.message).toMatch(/larger than 1 MiB/);
    expect(Date.now() - started).toBeLessThan(5000);
    // The session still works afterwards.
    await expect(s.call('SYNO.DSM.Info', 'getinfo')).resolves.toBeDefined();
  });

  it('a declared length over the cap is refused before the body is read', async () => {
    const s = await freshSession({ maxResponseBytes: 1024 * 1024 });
    sim.fault('huge', { api: 'SYNO.Core.ISCSI.LUN', bytes: 300 * 1024 * 1024, declareLength: true });
    expect((await transportFailure(s.call('SYNO.Core.ISCSI.LUN', 'list'))).kind).toBe('too-large');
  });

  it('a slow answer is a "timeout" after timeoutMs', async () => {
    const s = await freshSession({ timeoutMs: 300 });
    sim.fault('slow', { api: 'SYNO.DR.Plan', delayMs: 3000 });
    const error = await transportFailure(s.call('SYNO.DR.Plan', 'list'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/within 0\.3 s$/);
  });

  it('an answer cut short, or a connection dropped, is "unreachable"', async () => {
    const s = await freshSession();
    sim.fault('truncate', { api: 'SYNO.Core.ISCSI.Target' });
    expect((await transportFailure(s.call('SYNO.Core.ISCSI.Target', 'list'))).kind).toBe('unreachable');
    sim.fault('close', { api: 'SYNO.Core.ISCSI.Target' });
    expect((await transportFailure(s.call('SYNO.Core.ISCSI.Target', 'list'))).kind).toBe('unreachable');
  });

  it('nobody listening is "unreachable"', async () => {
    const closed = await startDsmSimulator();
    const url = closed.url;
    await closed.close();
    const error = await transportFailure(connectDsm({ url, username: 'monitor', password: 'dsm-password', timeoutMs: 2000 }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/refused the connection/);
  });

  it('a URL that is not http(s) or carries credentials is refused up front', async () => {
    await expect(connectDsm({ url: 'ftp://nas', username: 'u', password: 'p' })).rejects.toThrow(TypeError);
    await expect(connectDsm({ url: 'https://u:p@nas', username: 'u', password: 'p' })).rejects.toThrow(/must not carry credentials/);
    await expect(connectDsm({ url: 'not a url', username: 'u', password: 'p' })).rejects.toThrow(TypeError);
  });
});
