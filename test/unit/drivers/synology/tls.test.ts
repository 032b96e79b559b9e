/**
 * Trust on first use of a NAS's self-signed certificate: the DSM simulator over HTTPS with certificates made at
 * test time by /usr/bin/openssl (no key is committed). A pinned fingerprint that does not match fails with
 * 'certificate-changed' before a single request reaches the server, so the password never goes to an impostor;
 * without a pin, a session holds on to the certificate it started with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDsm, DsmTransportError } from '../../../../src-main/drivers/synology/client';
import { startDsmSimulator, type DsmSimulator } from '../../../../src-main/simulators/dsm';
import { tempDirs } from '../../helpers/temp-dir';
import { makeCertificate, type Certificate } from '../xenapi/local-servers';

const dirs = tempDirs('labwarden-dsm-tls-');
let first: Certificate;
let second: Certificate;
let sim: DsmSimulator;

beforeAll(async () => {
  const dir = dirs.make();
  first = makeCertificate(dir, 'syno-dr');
  second = makeCertificate(dir, 'impostor');
  sim = await startDsmSimulator({ tls: { key: first.key, cert: first.cert } });
}, 60_000);
afterAll(async () => {
  await sim?.close();
  dirs.cleanup();
});

const login = { username: 'monitor', password: 'dsm-password', timeoutMs: 5000 };

describe('DSM over HTTPS', () => {
  it('hears the certificate and reports its fingerprint without a pin', async () => {
    const seen: string[] = [];
    const session = await connectDsm({ url: sim.url, ...login, onCertificate: (fp) => seen.push(fp) });
    expect(session.fingerprint).toBe(first.fingerprint256);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(new Set(seen)).toEqual(new Set([first.fingerprint256]));
    await session.logout();
  });

  it('accepts the pinned certificate, however the pin was typed', async () => {
    const typed = first.fingerprint256.toLowerCase().replace(/:/g, '');
    const session = await connectDsm({ url: sim.url, ...login, fingerprint: typed });
    await expect(session.call('SYNO.DSM.Info', 'getinfo')).resolves.toMatchObject({ model: 'RS2212RP+' });
    await session.logout();
  });

  it('refuses another certificate before sending anything: certificate-changed with the one presented', async () => {
    const before = sim.stats().requests;
    const error = await connectDsm({ url: sim.url, ...login, fingerprint: second.fingerprint256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsmTransportError);
    expect(error).toMatchObject({ kind: 'certificate-changed', presentedFingerprint: first.fingerprint256 });
    expect((error as Error).message).not.toContain('dsm-password');
    expect(sim.stats().requests).toBe(before);
  });

  it('without a pin, a session refuses a different certificate later (the NAS was swapped under it)', async () => {
    const original = await startDsmSimulator({ tls: { key: first.key, cert: first.cert } });
    const session = await connectDsm({ url: original.url, ...login });
    expect(session.fingerprint).toBe(first.fingerprint256);
    const port = original.port;
    await original.close();
    const impostor = await startDsmSimulator({ port, tls: { key: second.key, cert: second.cert } });
    try {
      const error = await session.call('SYNO.DSM.Info', 'getinfo').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'certificate-changed', presentedFingerprint: second.fingerprint256 });
      expect(impostor.stats().requests).toBe(0);
      await session.logout();
      expect(impostor.stats().requests).toBe(0);
    } finally {
      await impostor.close();
    }
  });

  it('plain http has no certificate: fingerprint null, a pin is not asked about', async () => {
    const plain = await startDsmSimulator();
    try {
      const session = await connectDsm({ url: plain.url, ...login, fingerprint: null });
      expect(session.fingerprint).toBeNull();
      await session.logout();
    } finally {
      await plain.close();
    }
  });

  it('an https URL to a plain-http server is a TLS failure, not a hang', async () => {
    const plain = await startDsmSimulator();
    try {
      const error = await connectDsm({ url: plain.url.replace('http:', 'https:'), ...login }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsmTransportError);
      expect((error as DsmTransportError).kind).toBe('tls');
    } finally {
      await plain.close();
    }
  });
});
