/**
 * Small canned XenAPI servers for the client tests: node:http / node:https on 127.0.0.1, port 0. Each records what
 * it received (so a test can prove what was, and was not, sent) and answers with whatever the test says.
 * Certificates are made at test time with /usr/bin/openssl into a temporary folder; no key is ever committed.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { encodeMethodResponse, type XapiValue } from '../../../../src-main/drivers/xenapi/xml-value';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Received, response: http.ServerResponse) => void;

export interface LocalServer {
  readonly server: http.Server;
  readonly port: number;
  readonly url: string;
  readonly requests: Received[];
  /** Connections accepted (TCP for http, after the handshake for https). */
  connections: number;
  handler: Handler;
  close(): Promise<void>;
}

export interface Certificate {
  key: string;
  cert: string;
  /** 'AB:CD:…', as Node reports it. */
  fingerprint256: string;
}

export function makeCertificate(dir: string, name: string): Certificate {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-days', '2', '-keyout', keyFile, '-out', certFile], {
    stdio: 'ignore',
    timeout: 20_000,
  });
  const cert = readFileSync(certFile, 'utf8');
  return { key: readFileSync(keyFile, 'utf8'), cert, fingerprint256: new X509Certificate(cert).fingerprint256 };
}

/** An http(s) server that is not listening: `startServer` listens; `routedServers` feeds it connections. */
function makeServer(handler: Handler, tls?: https.ServerOptions): { server: http.Server; state: Omit<LocalServer, 'port' | 'url' | 'close' | 'server'> } {
  const state = { requests: [] as Received[], connections: 0, handler };
  const onRequest = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: Received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.requests.push(received);
      state.handler(received, response);
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', () => (state.connections += 1));
  // A client that drops a TLS handshake (a refused pin) is expected here.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());
  return { server, state };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function shut(server: net.Server & { closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startServer(handler: Handler, tls?: https.ServerOptions): Promise<LocalServer> {
  const { server, state } = makeServer(handler, tls);
  const port = await listen(server);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return Object.assign(state, {
    server,
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return shut(server);
    },
  });
}

/**
 * Several servers behind one 127.0.0.1 port, for HOST_IS_SLAVE: a redirect keeps the port and changes only the
 * address, and tests may bind nothing but 127.0.0.1, so each new connection goes to the server `route` names
 * (the member, then the master once the member has answered HOST_IS_SLAVE).
 */
export async function routedServers(names: string[], handlers: Record<string, Handler>, tls?: Record<string, https.ServerOptions>) {
  const servers = new Map(names.map((name) => [name, makeServer(handlers[name]!, tls?.[name])]));
  let current = names[0]!;
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    servers.get(current)!.server.emit('connection', socket);
  });
  const port = await listen(front);
  return {
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    state: (name: string) => servers.get(name)!.state,
    route(name: string) {
      current = name;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await shut(front);
      for (const { server } of servers.values()) server.close();
    },
  };
}

// ---- canned XenAPI answers

export function xmlAnswer(response: http.ServerResponse, value: XapiValue, headers: http.OutgoingHttpHeaders = {}): void {
  const body = encodeMethodResponse(value);
  response.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

export const xmlSuccess = (response: http.ServerResponse, value: XapiValue, headers?: http.OutgoingHttpHeaders) =>
  xmlAnswer(response, { Status: 'Success', Value: value }, headers);

export const xmlFailure = (response: http.ServerResponse, code: string, ...params: string[]) =>
  xmlAnswer(response, { Status: 'Failure', ErrorDescription: [code, ...params] });

export function jsonAnswer(response: http.ServerResponse, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** The method name of an XML-RPC call. */
export function xmlMethod(body: string): string | undefined {
  return /<methodName>([^<]*)<\/methodName>/.exec(body)?.[1];
}

/** The string params of an XML-RPC call as our encoder writes them (one <string> per <param>). */
export function xmlStringParams(body: string): string[] {
  return [...body.matchAll(/<param><value><string>([^<]*)<\/string><\/value><\/param>/g)].map((m) => m[1]!);
}

/** The host ref a fakeXapi's session is on. */
export const FAKE_HOST = 'OpaqueRef:host-1';

/**
 * A minimal host: XML-RPC on '/', JSON-RPC on '/jsonrpc' unless `json` is false (then '/jsonrpc' answers text/xml
 * as an old host would), one user, `respond` for every other method. With `apiVersion`, session.get_this_host and
 * host.get_API_version_major/minor answer as a host of that version does (ints as strings on XML-RPC, numbers on
 * JSON-RPC); without it they fall to `respond` like any other method.
 */
export function fakeXapi(options: {
  json?: boolean;
  password?: string;
  sessionRef?: string;
  apiVersion?: [major: number, minor: number];
  login?: (params: string[]) => { fail: [string, ...string[]] } | undefined;
  respond?: (method: string, params: unknown[]) => XapiValue;
}): Handler {
  const password = options.password ?? 'pw';
  const sessionRef = options.sessionRef ?? 'OpaqueRef:session-1';
  const answer = (method: string, params: unknown[], json: boolean): { ok: XapiValue } | { fail: [string, ...string[]] } => {
    if (method === 'session.login_with_password') {
      const custom = options.login?.(params as string[]);
      if (custom) return custom;
      return params[1] === password ? { ok: sessionRef } : { fail: ['SESSION_AUTHENTICATION_FAILED', String(params[0]), 'Authentication failure'] };
    }
    if (params[0] !== sessionRef) return { fail: ['SESSION_INVALID', String(params[0])] };
    if (method === 'session.logout') return { ok: '' };
    if (options.apiVersion) {
      const [major, minor] = options.apiVersion;
      const int = (n: number) => (json ? n : String(n));
      if (method === 'session.get_this_host') return { ok: FAKE_HOST };
      if (method === 'host.get_API_version_major' && params[1] === FAKE_HOST) return { ok: int(major) };
      if (method === 'host.get_API_version_minor' && params[1] === FAKE_HOST) return { ok: int(minor) };
    }
    return { ok: options.respond?.(method, params) ?? '' };
  };
  return (request, response) => {
    if (request.url === '/jsonrpc' && options.json !== false) {
      const call = JSON.parse(request.body) as { method: string; params: unknown[]; id: number };
      const result = answer(call.method, call.params, true);
      if ('ok' in result) jsonAnswer(response, { jsonrpc: '2.0', result: result.ok, id: call.id });
      else jsonAnswer(response, { jsonrpc: '2.0', error: { code: 1, message: result.fail[0], data: result.fail.slice(1) }, id: call.id });
      return;
    }
    if (request.url === '/jsonrpc') {
      // What a host without the /jsonrpc handler does: the longest-prefix match lands on an XML handler.
      xmlFailure(response, 'MESSAGE_METHOD_UNKNOWN', 'json');
      return;
    }
    const method = xmlMethod(request.body) ?? '';
    const result = answer(method, xmlStringParams(request.body), false);
    if ('ok' in result) xmlSuccess(response, result.ok);
    else xmlFailure(response, ...result.fail);
  };
}
