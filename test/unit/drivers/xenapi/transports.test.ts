/**
 * Both wire protocols and the HTTP helper against small local servers with canned answers (127.0.0.1, port 0).
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { ServerResponse } from 'node:http';
import { HttpClient, type HttpClientOptions } from '../../../../src-main/drivers/xenapi/transports/http';
import { XmlRpcTransport } from '../../../../src-main/drivers/xenapi/transports/xml-rpc';
import { JsonRpcTransport } from '../../../../src-main/drivers/xenapi/transports/json-rpc';
import { AutoTransport } from '../../../../src-main/drivers/xenapi/transports/auto';
import { XapiDouble, encodeMethodResponse } from '../../../../src-main/drivers/xenapi/xml-value';
import { XapiError, XapiTransportError } from '../../../../src-main/drivers/xenapi/errors';
import { startServer, xmlSuccess, xmlFailure, jsonAnswer, xmlMethod, fakeXapi, type Handler, type LocalServer } from './local-servers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(handler: Handler): Promise<LocalServer> {
  const started = await startServer(handler);
  cleanups.push(() => started.close());
  return started;
}

function client(url: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const http = new HttpClient({ url, ...options });
  cleanups.push(() => http.close());
  return http;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

async function transportFailure(promise: Promise<unknown>): Promise<XapiTransportError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(XapiTransportError);
  return error as XapiTransportError;
}

/** Streams `total` bytes of a never-ending XML string in 32 KiB pieces, yielding between pieces, until closed. */
function streamHuge(response: ServerResponse, total: number, seen: { written: number; closedEarly: boolean }, contentType = 'text/xml') {
  response.writeHead(200, { 'Content-Type': contentType });
  response.write('<?xml version="1.0"?><methodResponse><params><param><value><string>');
  const piece = 'x'.repeat(32 * 1024);
  const next = () => {
    if (response.destroyed || response.writableEnded) return;
    if (seen.written >= total) {
      response.end('</string></value></param></params></methodResponse>');
      return;
    }
    response.write(piece);
    seen.written += piece.length;
    setTimeout(next, 1);
  };
  response.on('close', () => {
    if (seen.written < total) seen.closedEarly = true;
  });
  next();
}

describe('the XML-RPC transport', () => {
  it('POSTs text/xml to / with ints as strings and unwraps a Success', async () => {
    const host = await server((_request, response) => xmlSuccess(response, { MTU: '9000', carrier: true }));
    const value = await new XmlRpcTransport(client(host.url)).call('PIF.get_record', ['OpaqueRef:s', 'OpaqueRef:p', 9000]);
    expect(value).toEqual({ MTU: '9000', carrier: true });
    const [request] = host.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/' });
    expect(request!.headers['content-type']).toBe('text/xml');
    expect(xmlMethod(request!.body)).toBe('PIF.get_record');
    expect(request!.body).toContain('<param><value><string>9000</string></value></param>');
  });

  it('turns a Failure into a XapiError with the code and its parameters', async () => {
    const host = await server((_request, response) => xmlFailure(response, 'HANDLE_INVALID', 'PIF', 'OpaqueRef:gone'));
    const error = await rejection(new XmlRpcTransport(client(host.url)).call('PIF.get_record', ['OpaqueRef:s', 'OpaqueRef:gone']));
    expect(error).toBeInstanceOf(XapiError);
    expect(error).toMatchObject({ code: 'HANDLE_INVALID', params: ['PIF', 'OpaqueRef:gone'] });
  });

  it('keeps one connection alive across calls', async () => {
    const host = await server((_request, response) => xmlSuccess(response, 'ok'));
    const rpc = new XmlRpcTransport(client(host.url));
    for (let i = 0; i < 3; i++) expect(await rpc.call('pool.get_all', ['OpaqueRef:s'])).toBe('ok');
    expect(host.requests).toHaveLength(3);
    expect(host.connections).toBe(1);
  });

  it('stops reading at the size cap: a 2 MiB answer with a 1 MiB cap fails and the server sees the socket close early', async () => {
    const seen = { written: 0, closedEarly: false };
    const host = await server((_request, response) => streamHuge(response, 2 * 1024 * 1024, seen));
    const error = await transportFailure(new XmlRpcTransport(client(host.url, { maxResponseBytes: 1024 * 1024 })).call('VM.get_all_records', []));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('the response is larger than 1 MiB');
    await expect.poll(() => seen.closedEarly, { timeout: 5000 }).toBe(true);
    expect(seen.written).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses at once an answer whose declared length is over the cap', async () => {
    const host = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': 5000 });
      response.write('<methodResponse>');
    });
    const error = await transportFailure(new XmlRpcTransport(client(host.url, { maxResponseBytes: 4096 })).call('x', []));
    expect(error.message).toBe('the response is larger than 4 KiB');
  });

  it('reports a body cut off mid-way with the byte count', async () => {
    const host = await server((request, response) => {
      const partial = encodeMethodResponse({ Status: 'Success', Value: 'x'.repeat(500) }).slice(0, 100);
      response.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': 1000 });
      response.write(partial, () => setTimeout(() => response.socket?.destroy(), 20));
      void request;
    });
    const error = await transportFailure(new XmlRpcTransport(client(host.url)).call('x', []));
    expect(error.kind).toBe('closed');
    expect(error.message).toBe(`the response from 127.0.0.1:${host.port} was cut off after 100 bytes`);
  });

  it('aborts the request as soon as the streamed XML goes wrong', async () => {
    const seen = { written: 0, closedEarly: false };
    const host = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/xml' });
      response.write('<methodResponse><params><param><value><bogus>');
      response.on('close', () => (seen.closedEarly = !response.writableEnded));
    });
    const error = await transportFailure(new XmlRpcTransport(client(host.url)).call('x', []));
    expect(error.kind).toBe('malformed');
    expect(error.message).toBe('malformed XML-RPC response: unexpected <bogus> inside <value> at line 1');
    await expect.poll(() => seen.closedEarly, { timeout: 5000 }).toBe(true);
  });
});

describe('the JSON-RPC transport', () => {
  it('POSTs JSON-RPC 2.0 to /jsonrpc with numeric ids and doubles as numbers', async () => {
    const host = await server((request, response) => {
      const call = JSON.parse(request.body) as { id: number };
      jsonAnswer(response, { jsonrpc: '2.0', result: { token: 't', events: [] }, id: call.id });
    });
    const rpc = new JsonRpcTransport(client(host.url));
    expect(await rpc.call('event.from', ['OpaqueRef:s', ['pif'], '', new XapiDouble(60.1)])).toEqual({ token: 't', events: [] });
    await rpc.call('event.from', ['OpaqueRef:s', ['pif'], 't', new XapiDouble(60.1)]);
    const calls = host.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(host.requests[0]).toMatchObject({ url: '/jsonrpc', headers: { 'content-type': 'application/json' } });
    expect(calls[0]).toMatchObject({ jsonrpc: '2.0', method: 'event.from', params: ['OpaqueRef:s', ['pif'], '', 60.1] });
    expect(typeof calls[0]!['id']).toBe('number');
    expect(calls[1]!['id']).not.toBe(calls[0]!['id']);
  });

  it('accepts the v2 error object, the v1 error array (result present too) and a v1 success', async () => {
    const answers = [
      { jsonrpc: '2.0', error: { code: 1, message: 'SESSION_INVALID', data: ['OpaqueRef:s'] }, id: 1 },
      { result: 'ignored', error: ['HOST_IS_SLAVE', '10.0.0.2'], id: 2 },
      { result: 'OpaqueRef:v1', error: null, id: 3 },
    ];
    const host = await server((_request, response) => jsonAnswer(response, answers.shift()));
    const rpc = new JsonRpcTransport(client(host.url));
    expect(await rejection(rpc.call('pool.get_all', ['OpaqueRef:s']))).toMatchObject({ code: 'SESSION_INVALID', params: ['OpaqueRef:s'] });
    const v1 = await rejection(rpc.call('session.login_with_password', ['root', 'pw']));
    expect(v1).toBeInstanceOf(XapiError);
    expect(v1).toMatchObject({ code: 'HOST_IS_SLAVE', params: ['10.0.0.2'] });
    expect(await rpc.call('pool.get_all', ['OpaqueRef:s'])).toBe('OpaqueRef:v1');
  });

  it('keeps a __proto__ key in a result as data', async () => {
    const host = await server((_request, response) => {
      const text = '{"jsonrpc":"2.0","result":{"__proto__":{"polluted":"yes"}},"id":1}';
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(text);
    });
    const result = (await new JsonRpcTransport(client(host.url)).call('x', [])) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('stops reading at the size cap: a 2 MiB answer with a 1 MiB cap fails and the server sees the socket close early', async () => {
    const seen = { written: 0, closedEarly: false };
    const host = await server((_request, response) => streamHuge(response, 2 * 1024 * 1024, seen, 'application/json'));
    const error = await transportFailure(new JsonRpcTransport(client(host.url, { maxResponseBytes: 1024 * 1024 })).call('VM.get_all_records', []));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('the response is larger than 1 MiB');
    await expect.poll(() => seen.closedEarly, { timeout: 5000 }).toBe(true);
    expect(seen.written).toBeLessThan(2 * 1024 * 1024);
  });

  it('reports a reply that is not JSON as malformed', async () => {
    const host = await server((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"jsonrpc":"2.0","result":');
    });
    const error = await transportFailure(new JsonRpcTransport(client(host.url)).call('x', []));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^malformed JSON-RPC response: /);
  });
});

describe('the auto transport', () => {
  /** Logs in through `rpc` and settles it, as connectXapi does. */
  async function loginAndSettle(rpc: AutoTransport) {
    const session = (await rpc.call('session.login_with_password', ['root', 'pw'])) as string;
    return rpc.settle(session);
  }

  it.each([
    [[1, 7], 'XenServer 5.6 FP1'],
    [[2, 0], 'XenServer 6.2'],
    [[2, 7], 'XenServer 7.2'],
  ] as const)('stays on XML-RPC for API %j (%s) although /jsonrpc answers JSON: no JSON-RPC request is ever sent', async (version, _release) => {
    const host = await server(fakeXapi({ apiVersion: [...version], respond: (method) => `answer to ${method}` }));
    const rpc = new AutoTransport(client(host.url));
    expect(rpc.name).toBe('xml-rpc');
    expect(await loginAndSettle(rpc)).toEqual({ major: version[0], minor: version[1] });
    expect(rpc.name).toBe('xml-rpc');
    expect(await rpc.call('pool.get_all', ['OpaqueRef:session-1'])).toBe('answer to pool.get_all');
    expect(host.requests.map((r) => r.url)).toEqual(['/', '/', '/', '/', '/']);
    expect(host.requests.map((r) => xmlMethod(r.body)).slice(0, 2)).toEqual(['session.login_with_password', 'session.get_this_host']);
  });

  it.each([
    [2, 8],
    [2, 21],
    [3, 0],
  ] as const)('moves to JSON-RPC for API %i.%i where /jsonrpc answers JSON, after an XML-RPC login', async (major, minor) => {
    const host = await server(fakeXapi({ apiVersion: [major, minor], respond: (method) => `answer to ${method}` }));
    const rpc = new AutoTransport(client(host.url));
    expect(await loginAndSettle(rpc)).toEqual({ major, minor });
    expect(rpc.name).toBe('json-rpc');
    expect(await rpc.call('pool.get_all', ['OpaqueRef:session-1'])).toBe('answer to pool.get_all');
    // The login and the version over XML-RPC, one probe of /jsonrpc, then JSON-RPC for good.
    expect(host.requests.map((r) => r.url)).toEqual(['/', '/', '/', '/', '/jsonrpc', '/jsonrpc']);
    expect(JSON.parse(host.requests.at(-1)!.body)).toMatchObject({ method: 'pool.get_all', params: ['OpaqueRef:session-1'] });
  });

  it('stays on XML-RPC at API 2.8 and later when /jsonrpc answers text/xml, as a host without the handler does', async () => {
    const host = await server(fakeXapi({ json: false, apiVersion: [2, 12] }));
    const rpc = new AutoTransport(client(host.url));
    expect(await loginAndSettle(rpc)).toEqual({ major: 2, minor: 12 });
    expect(rpc.name).toBe('xml-rpc');
    await rpc.call('pool.get_all', ['OpaqueRef:session-1']);
    expect(host.requests.map((r) => r.url)).toEqual(['/', '/', '/', '/', '/jsonrpc', '/']);
  });

  it('stays on XML-RPC at API 2.8 and later when /jsonrpc answers an HTML error page', async () => {
    const xapi = fakeXapi({ apiVersion: [2, 8] });
    const host = await server((request, response) => {
      if (request.url !== '/jsonrpc') return xapi(request, response);
      response.writeHead(404, { 'Content-Type': 'text/html' });
      response.end('<html><body>not here</body></html>');
    });
    const rpc = new AutoTransport(client(host.url));
    await loginAndSettle(rpc);
    expect(rpc.name).toBe('xml-rpc');
  });

  it('moves to JSON-RPC when the probe gets a XenAPI error back as JSON: the endpoint speaks it', async () => {
    const xapi = fakeXapi({ apiVersion: [2, 8] });
    const host = await server((request, response) => {
      if (request.url !== '/jsonrpc') return xapi(request, response);
      const call = JSON.parse(request.body) as { id: number };
      jsonAnswer(response, { jsonrpc: '2.0', error: { code: 1, message: 'MESSAGE_METHOD_UNKNOWN', data: ['session.get_this_host'] }, id: call.id });
    });
    const rpc = new AutoTransport(client(host.url));
    await loginAndSettle(rpc);
    expect(rpc.name).toBe('json-rpc');
  });

  it('stays on XML-RPC, sending no JSON, where the host will not say its version', async () => {
    for (const respond of [
      () => '', // get_this_host names no host
      (method: string) => (method === 'session.get_this_host' ? 'OpaqueRef:h' : 'not a number'),
    ]) {
      const host = await server(fakeXapi({ respond }));
      const rpc = new AutoTransport(client(host.url));
      expect(await loginAndSettle(rpc)).toBeNull();
      expect(rpc.name).toBe('xml-rpc');
      expect(host.requests.every((r) => r.url === '/')).toBe(true);
    }
    const refusing = await server((request, response) =>
      xmlMethod(request.body) === 'session.login_with_password' ? xmlSuccess(response, 'OpaqueRef:s') : xmlFailure(response, 'MESSAGE_METHOD_UNKNOWN', 'x'),
    );
    const rpc = new AutoTransport(client(refusing.url));
    expect(await loginAndSettle(rpc)).toBeNull();
    expect(rpc.name).toBe('xml-rpc');
  });

  it('throws a lost connection while reading the version, as any call would', async () => {
    const xapi = fakeXapi({ apiVersion: [2, 8] });
    const host = await server((request, response) => {
      if (xmlMethod(request.body) === 'session.get_this_host') return void response.socket?.destroy();
      xapi(request, response);
    });
    const rpc = new AutoTransport(client(host.url));
    const error = await transportFailure(loginAndSettle(rpc));
    expect(['unreachable', 'closed']).toContain(error.kind);
  });
});

describe('failures of the connection itself', () => {
  it('names host and port when the connection is refused', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const error = await transportFailure(new XmlRpcTransport(client(gone.url)).call('x', []));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(`127.0.0.1:${gone.port} refused the connection`);
  });

  it('gives up on a host that never answers after the per-call timeout', async () => {
    const host = await server(() => undefined);
    const started = Date.now();
    const error = await transportFailure(new XmlRpcTransport(client(host.url, { timeoutMs: 200 })).call('x', []));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`no answer from 127.0.0.1:${host.port} within 0.2 s`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('lets one call wait longer than the client default (event.from)', async () => {
    const host = await server((_request, response) => setTimeout(() => xmlSuccess(response, 'late'), 400));
    const rpc = new XmlRpcTransport(client(host.url, { timeoutMs: 100 }));
    expect(await rpc.call('event.from', [], { timeoutMs: 5000 })).toBe('late');
  });

  it('close() aborts a pending call at once and refuses new ones', async () => {
    const host = await server(() => undefined);
    const http = client(host.url, { timeoutMs: 60_000 });
    const rpc = new XmlRpcTransport(http);
    const pending = rpc.call('event.from', []);
    await expect.poll(() => host.requests.length).toBe(1);
    http.close();
    const error = await transportFailure(pending);
    expect(error.kind).toBe('closed');
    expect(error.message).toBe(`the connection to 127.0.0.1:${host.port} was closed by the client`);
    expect((await transportFailure(rpc.call('x', []))).kind).toBe('closed');
  });

  it('refuses URLs it cannot use, and URLs carrying credentials', () => {
    expect(() => new HttpClient({ url: 'ftp://host' })).toThrow(/not http: or https:/);
    expect(() => new HttpClient({ url: 'not a url' })).toThrow(/is not a URL/);
    expect(() => new HttpClient({ url: 'https://root:secret@host' })).toThrow(/must not carry credentials/);
  });

  it('takes a pin in any usual spelling, and refuses one that is not a SHA-256 fingerprint instead of failing every handshake', () => {
    const hex = 'ab'.repeat(32);
    const pinned = 'AB:'.repeat(31) + 'AB';
    expect(new HttpClient({ url: 'https://host', fingerprint: hex }).pin).toBe(pinned);
    expect(new HttpClient({ url: 'https://host', fingerprint: `sha256:${pinned.toLowerCase()}` }).pin).toBe(pinned);
    expect(() => new HttpClient({ url: 'https://host', fingerprint: 'ab:cd' })).toThrow('"ab:cd" is not a SHA-256 fingerprint (64 hex digits, colons optional)');
    expect(() => new HttpClient({ url: 'https://host', fingerprint: 'zz'.repeat(32) })).toThrow(/is not a SHA-256 fingerprint/);
  });
});
