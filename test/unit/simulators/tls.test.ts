/**
 * HTTPS like a real host: a self-signed certificate made at test time with /usr/bin/openssl (no key is
 * ever committed), XenAPI over it, and the same certificate fingerprint on every connection — what a
 * client pins on first use.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { tempDirs } from '../helpers/temp-dir';
import { fixture, methodCall, readResponse, x } from './wire';

const dirs = tempDirs('labwarden-xapi-tls-');
let sim: XapiSimulator;
let cert: string;
let opensslFingerprint: string;

beforeAll(async () => {
  const dir = dirs.make();
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=xapi-test', '-days', '2', '-keyout', keyFile, '-out', certFile], {
    stdio: 'ignore',
    timeout: 15_000,
  });
  cert = readFileSync(certFile, 'utf8');
  opensslFingerprint = execFileSync('/usr/bin/openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', certFile], { encoding: 'utf8' })
    .trim()
    .replace(/^.*=/, '');
  sim = await startXapiSimulator({ dump: fixture('state4.xml'), tls: { key: readFileSync(keyFile), cert } });
});
afterAll(async () => {
  await sim?.close();
  dirs.cleanup();
});

function httpsCall(body: string): Promise<{ fingerprint: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      // Trust exactly this certificate; its name (xapi-test) is not the address, as with a real host's self-signed one.
      { host: '127.0.0.1', port: sim.port, method: 'POST', path: '/', agent: false, ca: cert, checkServerIdentity: () => undefined },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ fingerprint, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('XenAPI over HTTPS', () => {
  it('serves https:// and answers a login over TLS', async () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsCall(methodCall('session.login_with_password', x.str('root'), x.str('xenroot')));
    expect(readResponse(answer.body).Value).toMatch(/^OpaqueRef:/);
  });

  it('shows the same certificate fingerprint on every connection, the one openssl computes', async () => {
    const first = await httpsCall(methodCall('pool.get_all', x.str('x')));
    const second = await httpsCall(methodCall('pool.get_all', x.str('x')));
    expect(first.fingerprint).toBe(second.fingerprint);
    expect(first.fingerprint).toBe(opensslFingerprint);
  });
});
