/**
 * connectXapi against local fake hosts: login over either protocol, HOST_IS_SLAVE redirects, the errors a user
 * meets, and the session's calls.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { tempDirs } from '../../helpers/temp-dir';
import { connectXapi, type XapiConnectOptions, type XapiSession } from '../../../../src-main/drivers/xenapi/client';
import { XapiError, XapiTransportError } from '../../../../src-main/drivers/xenapi/errors';
import { XapiDouble } from '../../../../src-main/drivers/xenapi/xml-value';
import { startServer, routedServers, fakeXapi, xmlMethod, xmlStringParams, makeCertificate, type Certificate, type Handler, type LocalServer } from './local-servers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function host(handler: Handler): Promise<LocalServer> {
  const started = await startServer(handler);
  cleanups.push(() => started.close());
  return started;
}

async function connect(options: XapiConnectOptions): Promise<XapiSession> {
  const session = await connectXapi(options);
  cleanups.push(() => session.close());
  return session;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, and none came');
}

const loginsOf = (server: { requests: { url: string; body: string }[] }) =>
  server.requests.filter((r) => (r.url === '/jsonrpc' ? r.body.includes('session.login_with_password') : xmlMethod(r.body) === 'session.login_with_password'));

describe('logging in', () => {
  it('logs in over XML-RPC, and moves to JSON-RPC where the master is API 2.8 or later and has it; every call carries the session ref', async () => {
    const server = await host(fakeXapi({ apiVersion: [2, 8], respond: (method, params) => ({ method, params: params.map((p) => (typeof p === 'number' ? p : String(p))) }) }));
    const session = await connect({ url: server.url, username: 'root', password: 'pw' });
    expect(session).toMatchObject({ transport: 'json-rpc', apiVersion: { major: 2, minor: 8 }, sessionRef: 'OpaqueRef:session-1', url: server.url, fingerprint: null });
    expect(await session.call('event.from', ['pif'], '', new XapiDouble(60.1))).toEqual({
      method: 'event.from',
      params: ['OpaqueRef:session-1', 'pif', '', 60.1],
    });
    // Two arguments: user and password (reference §1.5), over XML-RPC, which every version speaks.
    expect(server.requests[0]!.url).toBe('/');
    expect(xmlMethod(server.requests[0]!.body)).toBe('session.login_with_password');
    expect(xmlStringParams(server.requests[0]!.body)).toEqual(['root', 'pw']);
  });

  it('stays on XML-RPC below API 2.8, though /jsonrpc would answer', async () => {
    const server = await host(fakeXapi({ apiVersion: [2, 0], respond: (method) => `did ${method}` }));
    const session = await connect({ url: server.url, username: 'root', password: 'pw' });
    expect(session).toMatchObject({ transport: 'xml-rpc', apiVersion: { major: 2, minor: 0 } });
    expect(await session.call('pool.get_all')).toBe('did pool.get_all');
    expect(server.requests.every((r) => r.url === '/')).toBe(true);
  });

  it('logs in over XML-RPC on a host without JSON-RPC', async () => {
    const server = await host(fakeXapi({ json: false, apiVersion: [2, 21], respond: (method) => `did ${method}` }));
    const session = await connect({ url: server.url, username: 'root', password: 'pw' });
    expect(session.transport).toBe('xml-rpc');
    expect(await session.call('pool.get_all')).toBe('did pool.get_all');
    const last = server.requests.at(-1)!;
    expect(xmlStringParams(last.body)).toEqual(['OpaqueRef:session-1']);
  });

  it('uses the protocol it is told to, from the login on, whatever the version', async () => {
    const xml = await host(fakeXapi({ apiVersion: [2, 21] }));
    const session = await connect({ url: xml.url, username: 'root', password: 'pw', transport: 'xml-rpc' });
    expect(session).toMatchObject({ transport: 'xml-rpc', apiVersion: null });
    expect(xml.requests.map((r) => r.url)).toEqual(['/']);

    const json = await host(fakeXapi({ apiVersion: [1, 7] }));
    const old = await connect({ url: json.url, username: 'root', password: 'pw', transport: 'json-rpc' });
    expect(old).toMatchObject({ transport: 'json-rpc', apiVersion: null });
    await old.call('pool.get_all');
    expect(json.requests.map((r) => r.url)).toEqual(['/jsonrpc', '/jsonrpc']);
  });

  it('surfaces a wrong password as SESSION_AUTHENTICATION_FAILED, with no password in the error', async () => {
    const server = await host(fakeXapi({ password: 'right' }));
    const error = await rejection(connectXapi({ url: server.url, username: 'root', password: 'wrong-secret', transport: 'xml-rpc' }));
    expect(error).toBeInstanceOf(XapiError);
    expect(error).toMatchObject({ code: 'SESSION_AUTHENTICATION_FAILED', params: ['root', 'Authentication failure'] });
    expect(JSON.stringify({ message: error.message, params: (error as XapiError).params })).not.toContain('wrong-secret');
  });

  it('keeps the password out of the error when a host echoes the login, cut short, in its error page', async () => {
    // Cut mid-password: no search for the password could find what is left of it.
    const server = await host((request, response) => {
      response.writeHead(500, { 'Content-Type': 'text/html' });
      response.end(`Xmlrpc.Parse_error(${request.body.slice(0, 180)})`);
    });
    const error = await rejection(connectXapi({ url: server.url, username: 'root', password: 's3&<cret', transport: 'xml-rpc' }));
    expect(error).toBeInstanceOf(XapiTransportError);
    expect(error).toMatchObject({ kind: 'http', httpStatus: 500 });
    expect(server.requests[0]!.body.slice(0, 180)).toContain('<string>s3&amp;&lt;cre');
    expect(error.message).toBe(`HTTP 500 from 127.0.0.1:${server.port} (the page is not quoted: the request held a password)`);
  });

  it('reports an unreachable host by address and port', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const error = await rejection(connectXapi({ url: gone.url, username: 'root', password: 'pw' }));
    expect(error).toMatchObject({ kind: 'unreachable', message: `127.0.0.1:${gone.port} refused the connection` });
  });

  it('refuses a login answer that is not a session reference', async () => {
    const server = await host(fakeXapi({ login: () => undefined, sessionRef: '' }));
    const error = await rejection(connectXapi({ url: server.url, username: 'root', password: 'pw' }));
    expect(error).toMatchObject({ kind: 'malformed' });
  });
});

describe('HOST_IS_SLAVE', () => {
  it('follows a pool member to its master, with the same scheme and port, and logs in there', async () => {
    const pool = await routedServers(['member', 'master'], {
      member: fakeXapi({ login: () => (pool.route('master'), { fail: ['HOST_IS_SLAVE', '127.0.0.1'] }) }),
      master: fakeXapi({ sessionRef: 'OpaqueRef:on-master', respond: () => 'from the master' }),
    });
    cleanups.push(() => pool.close());
    const session = await connect({ url: `http://127.0.0.1:${pool.port}/`, username: 'root', password: 'pw' });
    expect(session.sessionRef).toBe('OpaqueRef:on-master');
    expect(session.url).toBe(`http://127.0.0.1:${pool.port}`);
    expect(await session.call('pool.get_all')).toBe('from the master');
    expect(loginsOf(pool.state('member'))).toHaveLength(1);
    expect(loginsOf(pool.state('master'))).toHaveLength(1);
  });

  it('gives up after three redirects and reports HOST_IS_SLAVE', async () => {
    const pool = await routedServers(['member'], { member: fakeXapi({ login: () => ({ fail: ['HOST_IS_SLAVE', '127.0.0.1'] }) }) });
    cleanups.push(() => pool.close());
    const error = await rejection(connectXapi({ url: pool.url, username: 'root', password: 'pw', transport: 'xml-rpc' }));
    expect(error).toMatchObject({ code: 'HOST_IS_SLAVE', params: ['127.0.0.1'] });
    expect(loginsOf(pool.state('member'))).toHaveLength(4);
  });

  it('refuses a master address that is not a host name', async () => {
    const server = await host(fakeXapi({ login: () => ({ fail: ['HOST_IS_SLAVE', 'evil.example/path@x'] }) }));
    const error = await rejection(connectXapi({ url: server.url, username: 'root', password: 'pw' }));
    expect(error).toMatchObject({ kind: 'malformed' });
    expect(error.message).toContain('named no usable master address');
  });
});

describe('HOST_IS_SLAVE over https', () => {
  const dirs = tempDirs('labwarden-xapi-client-');
  let memberCert: Certificate;
  let masterCert: Certificate;
  beforeAll(() => {
    const dir = dirs.make();
    memberCert = makeCertificate(dir, 'member');
    masterCert = makeCertificate(dir, 'master');
  }, 60_000);
  afterAll(() => dirs.cleanup());

  /** A member that redirects to its master, each with its own certificate, on one address (routed by the test). */
  async function memberAndMaster() {
    const pool = await routedServers(
      ['member', 'master'],
      {
        member: fakeXapi({ login: () => (pool.route('master'), { fail: ['HOST_IS_SLAVE', '127.0.0.1'] }) }),
        master: fakeXapi({ sessionRef: 'OpaqueRef:on-master' }),
      },
      { member: { key: memberCert.key, cert: memberCert.cert }, master: { key: masterCert.key, cert: masterCert.cert } },
    );
    cleanups.push(() => pool.close());
    return pool;
  }

  it('does not hold the master to the member\'s pin; it reports the master\'s certificate for the caller to judge', async () => {
    const pool = await memberAndMaster();
    const seen: string[] = [];
    const session = await connect({ url: pool.url, username: 'root', password: 'pw', fingerprint: memberCert.fingerprint256, onCertificate: (f) => seen.push(f) });
    expect(session.sessionRef).toBe('OpaqueRef:on-master');
    expect(seen).toEqual([memberCert.fingerprint256, masterCert.fingerprint256]);
    expect(session.fingerprint).toBe(masterCert.fingerprint256);
    // Which host showed which: the member's is the one `fingerprint` pins, the master's is the caller's to judge.
    expect(session.hops).toEqual([
      { url: pool.url, fingerprint: memberCert.fingerprint256 },
      { url: pool.url, fingerprint: masterCert.fingerprint256 },
    ]);
  });

  it('holds a redirect to a host it already trusts to that certificate, refused before the password is sent', async () => {
    const pool = await memberAndMaster();
    const trusted = 'AB:'.repeat(31) + 'AB';
    const error = await rejection(
      connectXapi({
        url: pool.url,
        username: 'root',
        password: 'pw',
        fingerprint: memberCert.fingerprint256,
        // The member and its master share this address in the test; the first hop is held to `fingerprint`.
        knownCertificates: new Map([[`${pool.url}/`, trusted]]),
      }),
    );
    expect(error).toBeInstanceOf(XapiTransportError);
    expect(error).toMatchObject({ kind: 'certificate-changed', presentedFingerprint: masterCert.fingerprint256, url: pool.url });
    expect(pool.state('master').requests).toHaveLength(0);

    // With the master's own certificate known, the same redirect goes through.
    pool.route('member');
    const session = await connect({
      url: pool.url,
      username: 'root',
      password: 'pw',
      fingerprint: memberCert.fingerprint256,
      knownCertificates: new Map([[pool.url, masterCert.fingerprint256]]),
    });
    expect(session.sessionRef).toBe('OpaqueRef:on-master');
  });

  it("names the host whose certificate was refused: the URL given, when it is that host's", async () => {
    const server = await startServer(fakeXapi({}), { key: masterCert.key, cert: masterCert.cert });
    cleanups.push(() => server.close());
    const error = await rejection(connectXapi({ url: server.url, username: 'root', password: 'pw', fingerprint: memberCert.fingerprint256 }));
    expect(error).toMatchObject({ kind: 'certificate-changed', url: server.url, presentedFingerprint: masterCert.fingerprint256 });
  });
});

describe('the session', () => {
  it('logs out at the host, and logout never throws, even when the host is gone', async () => {
    const server = await host(fakeXapi({ json: false }));
    const session = await connect({ url: server.url, username: 'root', password: 'pw' });
    await session.logout();
    const logout = server.requests.at(-1)!;
    expect(xmlMethod(logout.body)).toBe('session.logout');
    expect(xmlStringParams(logout.body)).toEqual(['OpaqueRef:session-1']);

    await server.close();
    await expect(session.logout()).resolves.toBeUndefined();
    session.close();
    await expect(session.logout()).resolves.toBeUndefined();
  });

  it('close() aborts a waiting event.from and refuses further calls', async () => {
    const server = await host((request, response) => {
      if (request.body.includes('event.from')) return; // never answers, like a quiet pool
      fakeXapi({ json: false })(request, response);
    });
    const session = await connect({ url: server.url, username: 'root', password: 'pw', timeoutMs: 5000, transport: 'xml-rpc' });
    const waiting = session.callWithTimeout(120_000, 'event.from', ['*'], '', new XapiDouble(60.1));
    await expect.poll(() => server.requests.length).toBe(2); // the login, then event.from
    session.close();
    expect(await rejection(waiting)).toMatchObject({ kind: 'closed' });
    expect(await rejection(session.call('pool.get_all'))).toMatchObject({ kind: 'closed' });
  });

  it('times out an ordinary call at the per-call timeout but lets callWithTimeout wait longer', async () => {
    const server = await host((request, response) => {
      if (request.body.includes('slow.call')) setTimeout(() => fakeXapi({ json: false })(request, response), 300);
      else fakeXapi({ json: false })(request, response);
    });
    const session = await connect({ url: server.url, username: 'root', password: 'pw', timeoutMs: 100, transport: 'xml-rpc' });
    expect(await rejection(session.call('slow.call'))).toMatchObject({ kind: 'timeout' });
    expect(await session.callWithTimeout(5000, 'slow.call')).toBe('');
  });
});
