/**
 * Trust on first use against local https servers with certificates made at test time (never committed).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import tls, { type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type https from 'node:https';
import { tempDirs } from '../../helpers/temp-dir';
import { HttpClient, type HttpClientOptions } from '../../../../src-main/drivers/xenapi/transports/http';
import { XmlRpcTransport } from '../../../../src-main/drivers/xenapi/transports/xml-rpc';
import { connectXapi } from '../../../../src-main/drivers/xenapi/client';
import { XapiTransportError } from '../../../../src-main/drivers/xenapi/errors';
import { makeCertificate, startServer, xmlSuccess, fakeXapi, type Certificate, type Handler, type LocalServer } from './local-servers';

const dirs = tempDirs('labwarden-xapi-tls-');
let first: Certificate;
let second: Certificate;

beforeAll(() => {
  const dir = dirs.make();
  first = makeCertificate(dir, 'first');
  second = makeCertificate(dir, 'second');
}, 60_000);
afterAll(() => dirs.cleanup());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tlsServer(handler: Handler, certificate: Certificate, extra: Record<string, unknown> = {}): Promise<LocalServer> {
  const started = await startServer(handler, { key: certificate.key, cert: certificate.cert, ...extra });
  cleanups.push(() => started.close());
  return started;
}

function client(options: HttpClientOptions): HttpClient {
  const http = new HttpClient(options);
  cleanups.push(() => http.close());
  return http;
}

async function transportFailure(promise: Promise<unknown>): Promise<XapiTransportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(XapiTransportError);
    return error as XapiTransportError;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe('trust on first use of a host certificate', () => {
  it('reports the certificate of a first connection, once per new connection', async () => {
    const host = await tlsServer((_request, response) => xmlSuccess(response, 'ok'), first);
    const seen: string[] = [];
    const http = client({ url: host.url, onCertificate: (fingerprint) => seen.push(fingerprint) });
    const rpc = new XmlRpcTransport(http);
    expect(await rpc.call('pool.get_all', [])).toBe('ok');
    expect(await rpc.call('pool.get_all', [])).toBe('ok');
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(seen).toEqual([first.fingerprint256]);
    expect(http.fingerprint).toBe(first.fingerprint256);
  });

  it('talks to a host whose certificate matches the pin, in whatever case and punctuation the pin was typed', async () => {
    const host = await tlsServer((_request, response) => xmlSuccess(response, 'ok'), first);
    const typed = first.fingerprint256.replace(/:/g, '').toLowerCase();
    expect(await new XmlRpcTransport(client({ url: host.url, fingerprint: typed })).call('pool.get_all', [])).toBe('ok');
  });

  it('refuses a different certificate before sending anything: the password never reaches the impostor', async () => {
    // A raw TLS server, so every decrypted byte is seen (an https server hands its sockets to the HTTP parser in
    // C++, where no 'data' event shows them). TLS 1.2, so the server's side of the handshake completes before the
    // client's: the server holds a decrypting socket before the client decides.
    const plaintext: Buffer[] = [];
    let handshakes = 0;
    let closed = 0;
    const impostor = tls.createServer({ key: second.key, cert: second.cert, maxVersion: 'TLSv1.2' }, (socket) => {
      handshakes += 1;
      socket.on('data', (chunk: Buffer) => plaintext.push(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
    });
    impostor.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    const port = (impostor.address() as AddressInfo).port;

    const seen: string[] = [];
    const error = await transportFailure(
      connectXapi({ url: `https://127.0.0.1:${port}`, username: 'root', password: 'hunter2-secret', fingerprint: first.fingerprint256, onCertificate: (f) => seen.push(f) }),
    );
    expect(error.kind).toBe('certificate-changed');
    expect(error.presentedFingerprint).toBe(second.fingerprint256);
    expect(error.message).toBe(`the certificate changed: pinned ${first.fingerprint256}, presented ${second.fingerprint256}`);
    expect(seen).toEqual([second.fingerprint256]);
    // The handshake happened (that is how the certificate was seen), the client hung up, and in between nothing
    // came: no request line, no header, no password.
    await expect.poll(() => closed, { timeout: 5000 }).toBe(1);
    expect(handshakes).toBe(1);
    expect(Buffer.concat(plaintext).toString('latin1')).toBe('');
  });

  it('holds a session to the certificate it logged in with: a swapped certificate on a new connection is refused', async () => {
    const host = await tlsServer(fakeXapi({ json: false }), first);
    // Every answer closes its connection, so each call opens a new one and shows a certificate again.
    const handler = host.handler;
    host.handler = (request, response) => {
      response.setHeader('Connection', 'close');
      handler(request, response);
    };
    const session = await connectXapi({ url: host.url, username: 'root', password: 'pw', transport: 'xml-rpc' });
    cleanups.push(() => session.close());
    expect(session.fingerprint).toBe(first.fingerprint256);
    expect(await session.call('pool.get_all')).toBe('');
    (host.server as https.Server).setSecureContext({ key: second.key, cert: second.cert });
    const error = await transportFailure(session.call('pool.get_all'));
    expect(error.kind).toBe('certificate-changed');
    expect(error.presentedFingerprint).toBe(second.fingerprint256);
  });

  it('talks to a TLSv1.0-only host, as XenServer 6.5 is', async () => {
    const protocols: (string | null)[] = [];
    const host = await tlsServer((_request, response) => xmlSuccess(response, 'old but fine'), first, {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    host.server.on('secureConnection', (socket: TLSSocket) => protocols.push(socket.getProtocol()));
    expect(await new XmlRpcTransport(client({ url: host.url })).call('pool.get_all', [])).toBe('old but fine');
    expect(protocols).toEqual(['TLSv1']);
  });

  it('reports a failed handshake as a TLS problem naming the host', async () => {
    // A plain-HTTP server on the port: the client's ClientHello gets an HTTP 400 back, not a ServerHello.
    const plain = await startServer((_request, response) => response.end('plain'));
    cleanups.push(() => plain.close());
    const error = await transportFailure(new XmlRpcTransport(client({ url: `https://127.0.0.1:${plain.port}` })).call('x', []));
    expect(error.kind).toBe('tls');
    expect(error.message).toContain(`the TLS handshake with 127.0.0.1:${plain.port} failed`);
  });
});
