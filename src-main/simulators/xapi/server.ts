/**
 * The HTTP(S) face of the simulator, routed as xapi routes (longest prefix, POST only):
 * `/jsonrpc…` → JSON-RPC; `/json…` → the legacy handler, which reads XML-RPC and answers text/xml;
 * everything else (`/`, `/RPC2`, XO's `/xmlrpc`) → XML-RPC. With `jsonRpc: false` (a host too old for
 * /jsonrpc) a JSON-RPC request falls to the legacy handler and gets text/xml back, which is how clients
 * detect that they must fall back to XML-RPC.
 *
 * Request bodies are capped; unparsable XML-RPC gets xapi's HTTP 500 page naming Xmlrpc.Parse_error.
 * On close, blocked event.from calls are released and every connection is dropped at once.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dispatch, type MethodContext } from './methods';
import { FaultQueue, holdSlow, replacesAnswer, writeFault, writeTruncated, type FaultSpec, type Protocol } from './faults';
import { encodeJsonRpcResponse, parseJsonRpcCall, JsonRpcParseError, type JsonRpcCall } from './wire-json';
import { encodeXmlRpcResponse, internalErrorPage, parseXmlRpcCall, XmlRpcParseError } from './wire-xml';
import type { CallResult, WireCall } from './wire-value';

/** Bigger than any XenAPI call a client sends (xapi's own cap is 300 KiB); bounds what one request costs. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface ServerOptions {
  host: string;
  port: number;
  jsonRpc: boolean;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface CallStats {
  requests: number;
  /** Requests routed to the JSON-RPC handler (POST /jsonrpc…). */
  jsonRpcRequests: number;
  logins: number;
  failedLogins: number;
  calls: Map<string, number>;
}

export interface RunningServer {
  url: string;
  port: number;
  faults: FaultQueue;
  stats: CallStats;
  close(): Promise<void>;
}

type Route = 'xml' | 'json' | 'legacy-json';

function routeOf(url: string | undefined, jsonRpc: boolean): Route {
  const path = (url ?? '/').split('?')[0]!;
  if (jsonRpc && path.startsWith('/jsonrpc')) return 'json';
  if (path.startsWith('/json')) return 'legacy-json';
  return 'xml';
}

const COMMON_HEADERS = {
  'cache-control': 'no-cache, no-store',
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'X-Requested-With',
};

function sendPage(res: ServerResponse, status: number, page: string): void {
  res.writeHead(status, {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(page),
    connection: 'close',
    'cache-control': 'no-cache, no-store',
  });
  res.end(page);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startServer(ctx: MethodContext, options: ServerOptions): Promise<RunningServer> {
  const lifetime = new AbortController();
  const faults = new FaultQueue();
  const stats: CallStats = { requests: 0, jsonRpcRequests: 0, logins: 0, failedLogins: 0, calls: new Map() };
  const countedCtx: MethodContext = {
    ...ctx,
    onLogin(ok) {
      if (ok) stats.logins += 1;
      else stats.failedLogins += 1;
      ctx.onLogin(ok);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests += 1;
    if (req.method !== 'POST') {
      // xapi's answer for a request no handler takes (http_svr.ml default_callback).
      sendPage(res, 403, '<html><body><h1>HTTP 403 forbidden</h1>Access to the requested resource is forbidden.</body></html>');
      return;
    }
    const route = routeOf(req.url, options.jsonRpc);
    if (route === 'json') stats.jsonRpcRequests += 1;
    const body = await readBody(req);
    if (body === null) {
      sendPage(res, 500, internalErrorPage(`Request body larger than ${MAX_REQUEST_BYTES} bytes`));
      req.socket.destroy();
      return;
    }
    const protocol: Protocol = route === 'json' ? 'json' : 'xml';

    let call: WireCall | JsonRpcCall;
    try {
      call = route === 'json' ? parseJsonRpcCall(body) : parseXmlRpcCall(body);
    } catch (error) {
      if (route === 'legacy-json' && error instanceof XmlRpcParseError) {
        // What an old host's /json handler makes of a JSON-RPC body: an XML-RPC-shaped failure (inferred).
        const failure = encodeXmlRpcResponse({ ok: false, error: ['INTERNAL_ERROR', error.message] });
        send(res, 'xml', failure);
        return;
      }
      if (error instanceof XmlRpcParseError) return sendPage(res, 500, internalErrorPage(error.message));
      if (error instanceof JsonRpcParseError) return sendPage(res, 500, internalErrorPage(`Jsonrpc.Malformed_method_request("${error.message}")`));
      throw error;
    }

    const fault = faults.take(call.method);
    // Aborted when the server closes or this client goes away, whichever comes first (a blocked
    // event.from or a streaming fault must not outlive either). Built by hand rather than with
    // AbortSignal.any so that no listener stays behind on the long-lived server signal.
    const request = new AbortController();
    const abort = () => request.abort();
    lifetime.signal.addEventListener('abort', abort, { once: true });
    res.on('close', () => {
      lifetime.signal.removeEventListener('abort', abort);
      abort();
    });
    const signal = request.signal;
    if (fault && replacesAnswer(fault.kind)) return writeFault(req, res, protocol, fault, signal);

    stats.calls.set(call.method, (stats.calls.get(call.method) ?? 0) + 1);
    const result: CallResult | null = await dispatch(countedCtx, call, signal);
    if (result === null || res.destroyed) {
      req.socket.destroy(); // closing, or the client left while event.from waited
      return;
    }
    const text = route === 'json' ? encodeJsonRpcResponse(call as JsonRpcCall, result) : encodeXmlRpcResponse(result);
    if (fault?.kind === 'truncate') return writeTruncated(res, protocol, text);
    if (fault?.kind === 'slow' && !(await holdSlow(fault, signal))) {
      req.socket.destroy();
      return;
    }
    send(res, protocol, text);
  }

  function send(res: ServerResponse, protocol: Protocol, text: string): void {
    if (res.destroyed) return;
    const bytes = Buffer.from(text, 'utf8');
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': protocol === 'json' ? 'application/json' : 'text/xml',
      'content-length': bytes.length,
    });
    res.end(bytes);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the simulator must not take the test process down: answer like xapi does for an exception.
      if (!res.headersSent && !res.destroyed) sendPage(res, 500, internalErrorPage(String((error as Error)?.message ?? error)));
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;

  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    faults,
    stats,
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export type { FaultSpec };
