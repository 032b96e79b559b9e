import { readFile, stat } from 'node:fs/promises';
import { resolve, sep, extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  type: string;
  /** Hashed assets never change under their name; index.html always may. */
  immutable: boolean;
}

/**
 * A file of the built UI for a URL path, or null. The decoded path must stay inside `root`: "..",
 * encoded slashes and NUL bytes cannot reach a file outside it.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relative);
  if (!full.startsWith(base + sep)) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
    const body = await readFile(full);
    return {
      body,
      type: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
      immutable: full.startsWith(resolve(base, 'assets') + sep),
    };
  } catch {
    return null;
  }
}
