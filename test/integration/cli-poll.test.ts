/**
 * `labwarden poll xenapi://…` against the XAPI simulator, as a script would run it: the documented JSON on
 * stdout, the first-use certificate on stderr, one clear line and exit 1 for everything that goes wrong.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src-main/shells/cli/commands';
import { parseXenapiTarget } from '../../src-main/shells/cli/poll';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { makeCertificate, type Certificate } from '../unit/drivers/xenapi/local-servers';
import { startMemberAndMaster } from '../unit/simulators/xapi-member';
import { readFixture } from './helpers/xapi-dump-reader';

const PASSWORD = 'poll password with spaces';
let dir: string;
let passwordFile: string;
let plain: XapiSimulator;
let secure: XapiSimulator;
let cert: Certificate;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labwarden-poll-'));
  passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`); // as `echo … > file` leaves it
  cert = makeCertificate(dir, 'xapi-poll');
  const dump = readFixture('state4.xml');
  plain = await startXapiSimulator({ dump, users: { root: PASSWORD } });
  secure = await startXapiSimulator({ dump, users: { root: PASSWORD }, tls: cert });
});

afterAll(async () => {
  await plain.close();
  await secure.close();
  rmSync(dir, { recursive: true, force: true });
});

async function poll(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, staticDir: dir };
  const { code } = await runCli(['poll', ...argv], io);
  return { code, out, err };
}

const target = (sim: XapiSimulator, scheme: string) => `${scheme}://root@127.0.0.1:${sim.port}`;

describe('labwarden poll xenapi://', () => {
  it('prints the documented JSON document for a pool over plain HTTP', async () => {
    const { code, out, err } = await poll(target(plain, 'xenapi+http'), '--password-file', passwordFile, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(Object.keys(report)).toEqual(['pool', 'hosts', 'bonds', 'vlans', 'networks', 'storage']);
    expect(Object.keys(report.pool)).toEqual(['name', 'master', 'haEnabled']);
    expect(report.hosts).toHaveLength(2);
    expect(Object.keys(report.hosts[0])).toEqual(['name', 'address', 'multipathing', 'nics']);
    const multipathed = report.storage.find((s: { multipathed: boolean }) => s.multipathed);
    expect(multipathed).toMatchObject({ activePaths: 2, totalPaths: 2, iscsiSessions: 2, attached: true });
    expect(out).not.toContain(PASSWORD);
  });

  it('accepts the first certificate over HTTPS and prints its fingerprint to stderr, then insists on it', async () => {
    const first = await poll(target(secure, 'xenapi'), '--password-file', passwordFile, '--json');
    expect(first.code).toBe(0);
    expect(first.err).toContain(`SHA256 ${cert.fingerprint256}`);
    expect(JSON.parse(first.out).hosts).toHaveLength(2);

    const pinned = await poll(target(secure, 'xenapi'), '--password-file', passwordFile, '--fingerprint', cert.fingerprint256.toLowerCase(), '--json');
    expect(pinned).toMatchObject({ code: 0, err: '' });

    const wrong = 'AA:'.repeat(31) + 'AA';
    const refused = await poll(target(secure, 'xenapi'), '--password-file', passwordFile, '--fingerprint', wrong);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/certificate/i);
    expect(refused.err).toContain(cert.fingerprint256); // what it presented, to compare with the host's console
  });

  it("on a pool member's address, prints the member's certificate, which --fingerprint then insists on", async () => {
    const memberCert = makeCertificate(dir, 'xapi-poll-member');
    const masterCert = makeCertificate(dir, 'xapi-poll-master');
    const users = { root: PASSWORD };
    const dump = readFixture('state4.xml');
    const { member, master } = await startMemberAndMaster({ dump, users, tls: memberCert }, { dump, users, tls: masterCert });
    try {
      const first = await poll(target(member, 'xenapi'), '--password-file', passwordFile, '--json');
      expect(first.code).toBe(0);
      expect(first.err).toContain(`--fingerprint ${memberCert.fingerprint256}`);
      expect(first.err).not.toContain(masterCert.fingerprint256);
      const again = await poll(target(member, 'xenapi'), '--password-file', passwordFile, '--fingerprint', memberCert.fingerprint256, '--json');
      expect(again).toMatchObject({ code: 0, err: '' });
      expect(JSON.parse(again.out).hosts).toHaveLength(2);
      expect(master.stats().logins).toBe(2);
    } finally {
      await member.close();
      await master.close();
    }
  });

  it('prints a short summary for a person without --json', async () => {
    const { code, out } = await poll(target(plain, 'xenapi+http'), '--password-file', passwordFile);
    expect(code).toBe(0);
    expect(out).toMatch(/^Pool .*: master .*, HA off, 2 host\(s\)/);
    expect(out).toContain('2 of 2 paths active (2 iSCSI sessions)');
  });

  it('says what is wrong in one line, exit 1, never with the password', async () => {
    const wrongFile = join(dir, 'wrong');
    writeFileSync(wrongFile, 'not it\n');
    const refused = await poll(target(plain, 'xenapi+http'), '--password-file', wrongFile);
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toContain('refused the user name or password');
    expect(refused.err).not.toContain('not it');

    const closed = await startXapiSimulator({ dump: readFixture('boston-db.xml') });
    const port = closed.port;
    await closed.close();
    const unreachable = await poll(`xenapi+http://root@127.0.0.1:${port}`, '--password-file', passwordFile, '--timeout', '3');
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toContain(`127.0.0.1:${port}`);

    const missing = await poll(target(plain, 'xenapi+http'), '--password-file', join(dir, 'nope'));
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toContain('no such file');
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await poll(target(plain, 'xenapi+http'))).code).toBe(2); // no --password-file
    expect((await poll('snmp://sw1', '--password-file', passwordFile)).code).toBe(2);
    expect((await poll('xenapi://root@host:99999', '--password-file', passwordFile)).code).toBe(2);
    const badPin = await poll(target(plain, 'xenapi'), '--password-file', passwordFile, '--fingerprint', 'AB:CD');
    expect(badPin.code).toBe(2);
    expect(badPin.err).toContain('not a SHA-256 fingerprint');
  });

  it('reads targets the way the README writes them', () => {
    expect(parseXenapiTarget('xenapi://root@10.0.0.1')).toEqual({ url: 'https://10.0.0.1', username: 'root' });
    expect(parseXenapiTarget('xenapi://admin@xen1.lab:8443')).toEqual({ url: 'https://xen1.lab:8443', username: 'admin' });
    expect(parseXenapiTarget('xenapi+http://10.0.0.1:80')).toEqual({ url: 'http://10.0.0.1:80', username: 'root' });
    expect(parseXenapiTarget('xenapi://root@[2001:db8::1]:443')).toEqual({ url: 'https://[2001:db8::1]:443', username: 'root' });
    expect(() => parseXenapiTarget('xenapi://root@host/path')).toThrow(/not xenapi:/);
  });
});
