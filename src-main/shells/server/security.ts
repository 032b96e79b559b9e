import { timingSafeEqual, createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Host names a loopback-bound server answers to. Anything else in the Host header is a DNS-rebinding
 * attempt (a foreign name resolved to 127.0.0.1) and is refused.
 */
export function loopbackHostHeaders(port: number, boundTo?: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  // The address it was told to bind (127.0.0.2, ::1): the URL it prints must work.
  if (boundTo) hosts.add(`${boundTo.includes(':') ? `[${boundTo.toLowerCase()}]` : boundTo.toLowerCase()}:${port}`);
  return hosts;
}
