import { request as httpRequest } from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src-main/shells/server/server';
import { openLab, type OpenLab } from '../../../src-main/shells/common/open-lab';
import { httpGet, rawHttp, openSocket, type TestClient } from '../helpers/http';

const INDEX_HTML = '<!doctype html><title>Labwarden test UI</title>';
const APP_JS = 'console.log("labwarden test bundle");';
const OUTSIDE_SECRET = 'TOP-SECRET-OUTSIDE-THE-UI-FOLDER';

let dir: string;
let staticDir: string;
let lab: OpenLab;
let server: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labwarden-serve-'));
  staticDir = join(dir, 'ui');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'assets', 'app.js'), APP_JS);
  // A file beside the UI folder that no URL may reach.
  writeFileSync(join(dir, 'secret.txt'), OUTSIDE_SECRET);

  lab = openLab({ dataDir: join(dir, 'data'), mode: 'serve' });
  server = await startServer({ handlers: lab.handlers, staticDir, host: '127.0.0.1', port: 0 });
  lab.onEvent((event, payload) => server.broadcast(event, payload));
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.close();
  lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Records uncaught exceptions and unhandled rejections while a test provokes the server: in the real
 * `labwarden serve` process either one stops the server.
 */
function watchProcessErrors(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const record = (error: unknown) => errors.push(String((error as Error)?.message ?? error));
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

const origin = () => `http://127.0.0.1:${server.port}`;
const apiUrl = (query = '') => `ws://127.0.0.1:${server.port}/api${query}`;

async function connected(url = apiUrl(), options: Parameters<typeof openSocket>[1] = { origin: origin() }): Promise<TestClient> {
  const outcome = await openSocket(url, options);
  if (!outcome.ok) throw new Error(`the WebSocket was refused with ${outcome.status}`);
  clients.push(outcome.client);
  return outcome.client;
}

describe('serve mode: the UI over HTTP', () => {
  it('listens on 127.0.0.1 with the port it was given (0 = a free one) and says so in its URL', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.token).toBeNull();
  });

  it('serves index.html at / with a strict Content-Security-Policy and nosniff', async () => {
    const answer = await httpGet(server.port, '/', { Host: `127.0.0.1:${server.port}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(INDEX_HTML);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('serves hashed assets as immutable JavaScript', async () => {
    const answer = await httpGet(server.port, '/assets/app.js');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(APP_JS);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['cache-control']).toContain('immutable');
  });

  const escapes = [
    '/../../etc/passwd',
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/%2fetc%2fpasswd',
    '/..%5csecret.txt',
    '/index.html%00',
    '/index.html%00.js',
    '/%00',
    '/%',
    '/%c0%ae%c0%ae/secret.txt',
  ];
  for (const path of escapes) {
    it(`answers 404 for ${path}, never a file outside the UI folder`, async () => {
      const answer = await httpGet(server.port, path);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain(OUTSIDE_SECRET);
      expect(answer.body).not.toMatch(/root:/);
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    });
  }

  it('answers 404 to an absolute-form request target that climbs out of the UI folder', async () => {
    const status = await rawHttp(server.port, `GET http://127.0.0.1:${server.port}/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    expect(status).toMatch(/^HTTP\/1\.1 404/);
  });

  it('answers a request target that is not a URL path ("//") with a client error instead of failing', async () => {
    const watch = watchProcessErrors();
    const status = await rawHttp(server.port, `GET // HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`, 3000);
    watch.stop();
    expect(status ?? 'no answer').toMatch(/^HTTP\/1\.1 4\d\d/);
    // In a real serve process an unhandled rejection ends the process.
    expect(watch.errors).toEqual([]);
    expect((await httpGet(server.port, '/')).status).toBe(200);
  });

  it('refuses a foreign Host header with 421 (DNS rebinding), and accepts localhost', async () => {
    const evil = await httpGet(server.port, '/', { Host: `evil.example:${server.port}` });
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain(INDEX_HTML);
    expect((await httpGet(server.port, '/', { Host: `localhost:${server.port}` })).status).toBe(200);
    // The right address with another port is another server's name, not this one's.
    expect((await httpGet(server.port, '/', { Host: '127.0.0.1:1' })).status).toBe(421);
  });

  it('answers to the loopback address it was told to bind: serve --host 127.0.0.2 opens at the URL it prints', async () => {
    const other = await startServer({ handlers: lab.handlers, staticDir, host: '127.0.0.2', port: 0 });
    try {
      expect(other.url).toBe(`http://127.0.0.2:${other.port}/`);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.2', port: other.port, path: '/', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('answers 405 to anything but GET and HEAD, and 426 to a plain GET of /api', async () => {
    expect((await httpGet(server.port, '/', {}, 'POST')).status).toBe(405);
    expect((await httpGet(server.port, '/', {}, 'DELETE')).status).toBe(405);
    const head = await httpGet(server.port, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await httpGet(server.port, '/api')).status).toBe(426);
  });
});

describe('serve mode: the API over a WebSocket', () => {
  it('answers a request from its own origin with {id, ok, result}', async () => {
    const client = await connected();
    const answer = await client.call(1, 'app.info');
    expect(answer).toMatchObject({ id: 1, ok: true, result: { mode: 'serve', databasePath: lab.databasePath } });
  });

  it('refuses a socket from a foreign origin (cross-site WebSocket hijacking) with 403', async () => {
    expect(await openSocket(apiUrl(), { origin: 'http://evil.example' })).toEqual({ ok: false, status: 403 });
    expect(await openSocket(apiUrl(), { origin: `http://evil.example:${server.port}` })).toEqual({ ok: false, status: 403 });
    expect(await openSocket(apiUrl(), { origin: `https://127.0.0.1:${server.port}` })).toEqual({ ok: false, status: 403 });
  });

  it('refuses a socket without an Origin header with 403', async () => {
    expect(await openSocket(apiUrl(), {})).toEqual({ ok: false, status: 403 });
  });

  it('refuses a socket whose Host is a foreign name even when Origin matches it (DNS rebinding) with 421', async () => {
    const outcome = await openSocket(apiUrl(), {
      origin: `http://evil.example:${server.port}`,
      headers: { Host: `evil.example:${server.port}` },
    });
    expect(outcome).toEqual({ ok: false, status: 421 });
  });

  it('answers an unreadable frame with an error envelope and keeps the connection usable', async () => {
    const client = await connected();
    for (const bad of ['not json', '"a string"', 'null', '42', '{"id": 5, "method": "app.info", "args": [']) {
      client.socket.send(bad);
      const answer = await client.next();
      expect(answer).toMatchObject({ id: null, ok: false, error: { code: 'bad-arguments' } });
    }
    client.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect(await client.next()).toMatchObject({ ok: false });
    expect(await client.call(2, 'inventory.counts')).toMatchObject({ id: 2, ok: true, result: { devices: 0 } });
  });

  it('passes API errors through with the request id (unknown method, bad arguments)', async () => {
    const client = await connected();
    expect(await client.call(3, 'constructor')).toMatchObject({ id: 3, ok: false, error: { code: 'unknown-method' } });
    const bad = await client.call(4, 'devices.create', [{ name: 'sw1', kind: 'switch', address: '10.0.0.256' }]);
    expect(bad).toMatchObject({ id: 4, ok: false, error: { code: 'bad-arguments', issues: [{ arg: 0, path: ['address'] }] } });
  });

  it('closes a connection that sends a frame over 6 MB, and keeps serving everyone else', async () => {
    const client = await connected();
    const watch = watchProcessErrors();
    client.socket.send('x'.repeat(7 * 1024 * 1024));
    const closed = await client.closed;
    watch.stop();
    expect(closed.code).toBe(1009); // "message too big"
    // In a real serve process an uncaught exception here would end the process for every user.
    expect(watch.errors).toEqual([]);

    const other = await connected();
    expect(await other.call(6, 'app.info')).toMatchObject({ id: 6, ok: true });
  });

  it('tells every other client when one changes the inventory', async () => {
    const a = await connected();
    const b = await connected();
    const created = await a.call(7, 'vlans.create', [{ id: 10, name: 'mgmt', purpose: 'management' }]);
    expect(created).toEqual({ id: 7, ok: true, result: null });
    expect(await b.next((f) => f.event !== undefined)).toEqual({ event: 'inventory.changed', payload: { method: 'vlans.create' } });
    expect(await a.next((f) => f.event !== undefined)).toEqual({ event: 'inventory.changed', payload: { method: 'vlans.create' } });
    expect(await b.call(8, 'vlans.list')).toMatchObject({ ok: true, result: [{ id: 10, name: 'mgmt' }] });
  });
});

describe('serve mode with a token', () => {
  const TOKEN = 'a-test-token-of-24-chars';
  let tokenServer: RunningServer;
  let tokenLab: OpenLab;

  beforeAll(async () => {
    tokenLab = openLab({ dataDir: join(dir, 'token-data'), mode: 'serve' });
    tokenServer = await startServer({ handlers: tokenLab.handlers, staticDir, host: '127.0.0.1', port: 0, token: TOKEN });
  });
  afterAll(async () => {
    await tokenServer?.close();
    tokenLab?.close();
  });

  const url = (query: string) => `ws://127.0.0.1:${tokenServer.port}/api${query}`;
  const own = () => ({ origin: `http://127.0.0.1:${tokenServer.port}` });

  it('puts the token in the URL fragment, which browsers never send to a server', () => {
    expect(tokenServer.token).toBe(TOKEN);
    expect(tokenServer.url).toBe(`http://127.0.0.1:${tokenServer.port}/#token=${TOKEN}`);
  });

  it('refuses a socket without the token or with a wrong one (401), and accepts the right one', async () => {
    expect(await openSocket(url(''), own())).toEqual({ ok: false, status: 401 });
    expect(await openSocket(url('?token='), own())).toEqual({ ok: false, status: 401 });
    expect(await openSocket(url(`?token=${TOKEN.slice(0, -1)}`), own())).toEqual({ ok: false, status: 401 });
    expect(await openSocket(url(`?token=${TOKEN}x`), own())).toEqual({ ok: false, status: 401 });

    const outcome = await openSocket(url(`?token=${encodeURIComponent(TOKEN)}`), own());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    clients.push(outcome.client);
    expect(await outcome.client.call(1, 'app.info')).toMatchObject({ id: 1, ok: true });
  });

  it('still checks the origin when the token is right', async () => {
    expect(await openSocket(url(`?token=${TOKEN}`), { origin: 'http://evil.example' })).toEqual({ ok: false, status: 403 });
  });

  it('refuses to start with a token shorter than 16 characters', async () => {
    await expect(startServer({ handlers: tokenLab.handlers, staticDir, host: '127.0.0.1', port: 0, token: 'short' })).rejects.toThrow(
      /at least 16 characters/,
    );
  });
});
