/**
 * HTTP(S) for the DSM simulator: GET or POST on /webapi/<cgi>, parameters from the query string and from a
 * form body (the body wins), DSM's envelope on HTTP 200 for every API answer, a 404 page for anything else.
 * Bounded like any parser of untrusted input: request bodies over 1 MiB are refused with 413.
 * Hand-made from the field lists in san.md §3, not recorded from a device.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { handle, precheck, type ApiState, type Answer, type Call } from './apis';
import { answerWithFault, sendJson, type ScheduledFault, type ScriptQueue, type DsmRefusal } from './faults';

const MAX_BODY_BYTES = 1024 * 1024;
/** The recent calls kept for stats(): enough for a test to see what a read did, bounded for the demo. */
const LOG_SIZE = 500;

export interface LoggedCall {
  httpMethod: string;
  cgi: string;
  api: string;
  method: string;
  version: string;
  /** The answer's error code; 0 on success, -1 when a fault answered instead. */
  code: number;
}

export interface ServerState extends ApiState {
  faults: ScriptQueue<ScheduledFault>;
  refusals: ScriptQueue<DsmRefusal>;
  counters: { requests: number; calls: Record<string, number> };
  log: LoggedCall[];
}

export interface RunningServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

function cookieSid(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'id' && rest.length > 0) return rest.join('=');
  }
  return null;
}

function envelope(answer: Answer): string {
  if (!answer.ok) return JSON.stringify({ error: { code: answer.code }, success: false });
  return JSON.stringify(answer.data === undefined ? { success: true } : { data: answer.data, success: true });
}

function notFound(response: http.ServerResponse): void {
  const page = '<html><body>404 Not Found</body></html>';
  response.writeHead(404, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
  response.end(page);
}

async function serve(state: ServerState, request: http.IncomingMessage, response: http.ServerResponse, body: string): Promise<void> {
  state.counters.requests += 1;
  const url = new URL(request.url ?? '/', 'http://dsm.invalid');
  const match = /^\/webapi\/([A-Za-z0-9_.\-/]+\.cgi)$/.exec(url.pathname);
  if (!match || (request.method !== 'GET' && request.method !== 'POST')) {
    notFound(response);
    return;
  }
  const params = new URLSearchParams(url.search);
  if (request.method === 'POST') for (const [name, value] of new URLSearchParams(body)) params.set(name, value);
  const call: Call = { cgi: match[1]!, params, cookieSid: cookieSid(request.headers.cookie) };
  const api = params.get('api') ?? '';
  const method = params.get('method') ?? '';
  const logged: LoggedCall = { httpMethod: request.method, cgi: call.cgi, api, method, version: params.get('version') ?? '', code: 0 };
  state.log.push(logged);
  if (state.log.length > LOG_SIZE) state.log.splice(0, state.log.length - LOG_SIZE);

  let answer = precheck(state, call);
  if (answer === null) {
    state.counters.calls[`${api} ${method}`] = (state.counters.calls[`${api} ${method}`] ?? 0) + 1;
    const refusal = state.refusals.take((r) => r.api === api && (r.method === undefined || r.method === method));
    answer = refusal ? { ok: false, code: refusal.code } : handle(state, call);
  }
  logged.code = answer.ok ? 0 : answer.code;
  const text = envelope(answer);
  const fault = state.faults.take((f) => f.api === undefined || f.api === api);
  if (fault) {
    if (fault.kind !== 'slow') logged.code = -1;
    await answerWithFault(fault, request, response, text, url.search.slice(1) + (body ? `&${body}` : ''));
    return;
  }
  sendJson(response, text, answer.ok && answer.cookie ? { 'Set-Cookie': `id=${answer.cookie}; path=/; HttpOnly` } : {});
}

export function startServer(state: ServerState, options: { host: string; port: number; tls?: { key: string | Buffer; cert: string | Buffer } }): Promise<RunningServer> {
  const onRequest = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Over the limit the rest is read and dropped, so a client still sending gets its 413 rather than a reset;
      // a client that never stops is cut off.
      if (size > MAX_BODY_BYTES * 16) request.socket.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
        response.end('request body too large');
        return;
      }
      serve(state, request, response, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
          response.end('internal error');
        } else {
          response.destroy();
        }
      });
    });
    request.on('error', () => response.destroy());
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : http.createServer(onRequest);
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
