import type { Protocol, CustomScheme } from 'electron';
import { readStatic } from '../common/static-files';
import { SECURITY_HEADERS } from '../common/security-headers';
import { APP_SCHEME, APP_HOST } from './window';

/**
 * app:// as a standard, secure scheme: it gets a real origin (so CSP 'self', fetch and storage work
 * per origin) without file://'s extra privileges (checklist item 18). Must be registered before 'ready'.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * Answers app:// requests from the built UI folder, with the same CSP and headers as serve mode.
 * Another host under app://, any method but GET/HEAD, or a path leaving the folder gets an error
 * response, never a file. Plain Request → Response, so it is tested without Electron.
 */
export function appRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request.\n');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET here.\n');
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return plain(404, url.pathname === '/' || url.pathname === '/index.html' ? 'The UI is not built: run "npm run build".\n' : 'Not found.\n');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': file.type,
        'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
      },
    });
  };
}

/** Serves the UI on app://labwarden/. Call after 'ready'. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appRequestHandler(rendererDir));
}
