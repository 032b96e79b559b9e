import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type DispatchLog } from '../../api/dispatch';
import type { Handlers, AppEvents, EventName } from '../../api/contract';
import { readStatic } from '../common/static-files';
import { SECURITY_HEADERS } from '../common/security-headers';
import { isLoopback, newToken, tokenMatches, loopbackHostHeaders } from './security';

export interface ServeOptions {
  handlers: Handlers;
  /** The built UI (out/renderer). */
  staticDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Required when host is not loopback; generated when not given. Optional on loopback. */
  token?: string;
  log?: DispatchLog & { info(message: string): void };
}

export interface RunningServer {
  /** The address to open, with the token in the fragment when one is required. */
  url: string;
  host: string;
  port: number;
  token: string | null;
  broadcast<E extends EventName>(event: E, payload: AppEvents[E]): void;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 6 * 1024 * 1024;

export class ServeRefused extends Error {}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = options.token ?? (loopback ? null : newToken());
  if (token !== null && token.length < 16) throw new ServeRefused('a token must be at least 16 characters');
  let allowedHosts: Set<string> | null = null; // filled once the port is known

  const hostAllowed = (req: IncomingMessage) => !loopback || allowedHosts?.has(String(req.headers.host ?? '').toLowerCase());

  const http = createServer((req, res) => {
    void serveHttp(req, res);
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (!hostAllowed(req)) return send(421, 'This server answers only to its loopback address.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Only GET here; the API is a WebSocket at /api.\n', { Allow: 'GET, HEAD' });
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      return send(400, 'Bad request.\n');
    }
    if (path === '/api') return send(426, 'The API is a WebSocket.\n', { Upgrade: 'websocket' });
    const file = await readStatic(options.staticDir, path);
    if (!file) {
      return send(404, path === '/' ? 'The UI is not built: run "npm run build".\n' : 'Not found.\n');
    }
    send(200, req.method === 'HEAD' ? '' : file.body, {
      'Content-Type': file.type,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
  }

  const sockets = new WebSocketServer({
    server: http,
    path: '/api',
    maxPayload: MAX_FRAME_BYTES,
    verifyClient: ({ req, origin }, done) => {
      // Browsers send Origin on every WebSocket; it must be this server's own page.
      const hostHeader = String(req.headers.host ?? '');
      if (!hostAllowed(req)) return done(false, 421, 'Misdirected request');
      if (!origin || origin !== `http://${hostHeader}`) return done(false, 403, 'Foreign origin');
      if (token !== null) {
        const given = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
        if (!tokenMatches(given, token)) return done(false, 401, 'Token required');
      }
      done(true);
    },
  });

  // ws re-emits the HTTP server's listen error (port in use); the listen promise below reports it.
  sockets.on('error', () => undefined);

  sockets.on('connection', (socket: WebSocket) => {
    // A frame over the cap or a broken one: ws closes the socket and reports it here; the server goes on.
    socket.on('error', (error) => options.log?.info(`closed a WebSocket: ${error.message}`));
    socket.on('message', (data, isBinary) => {
      void answer(socket, isBinary ? null : data.toString());
    });
  });

  async function answer(socket: WebSocket, text: string | null): Promise<void> {
    let request: { id?: unknown; method?: unknown; args?: unknown };
    try {
      request = text === null ? {} : JSON.parse(text);
      if (request === null || typeof request !== 'object') throw new Error('not an object');
    } catch {
      socket.send(JSON.stringify({ id: null, ok: false, error: { code: 'bad-arguments', message: 'a request is a JSON object {id, method, args}' } }));
      return;
    }
    const envelope = await dispatch(options.handlers, request.method, request.args ?? [], options.log);
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id: request.id ?? null, ...envelope }));
  }

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolveListen();
    });
  });
  const port = (http.address() as AddressInfo).port;
  allowedHosts = loopbackHostHeaders(port, host);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token !== null ? `#token=${token}` : ''}`;

  return {
    url,
    host,
    port,
    token,
    broadcast(event, payload) {
      const frame = JSON.stringify({ event, payload });
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.closeAllConnections();
        http.close(() => resolveClose());
      }),
  };
}
