/**
 * The walker against an SNMP agent we did not write: Debian's snmpsim replaying every real recording in
 * test/fixtures/snmp/ (reference snmp.md §4b). What the walker returns under each root must be exactly what
 * the .snmprec file holds there, read independently here (no code shared with the responder's parser).
 * Covers v2c GetBulk, v1 GetNext (D-Link), SNMPv3 (snmpsim's built-in MD5/DES user, SHA-256/AES authPriv,
 * SHA-512 authNoPriv, AES-256 authPriv in both key localizations: Blumenthal and Reeder), and the failures a
 * poller meets first: wrong community, wrong v3 key, DES without OpenSSL's legacy provider.
 * Needs root and snmpsim; skips with the reason otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WALK_ROOTS } from '../../src-main/drivers/snmp/oids';
import { desIsAvailable, SnmpFailure, type SnmpTarget } from '../../src-main/drivers/snmp/session';
import type { Varbind } from '../../src-main/drivers/snmp/varbinds';
import { walkSubtrees } from '../../src-main/drivers/snmp/walker';
import { decodeObservation } from '../../src-main/drivers/snmp/decode/observation';
import { loadWalk } from '../unit/drivers/snmp/snmprec';
import { buildCommonJs } from './helpers/commonjs-build';
import { SIMULATOR_USER, snmpsimUnavailable, startSnmpsim, type Snmpsim } from './helpers/snmpsim';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/snmp');
const RECORDINGS = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.snmprec'))
  .map((f) => f.slice(0, -'.snmprec'.length))
  .sort();
const LAB_USER = { user: 'labuser', authKey: 'authpass123', privKey: 'privpass123' };
/** authNoPriv with SHA-512 (RFC 7860): authenticated, not encrypted. */
const NOPRIV_USER = { user: 'noprivuser', authKey: 'authpass-sha512' };
/**
 * AES-256 authPriv (net-snmp aes256b/aes256r; snmpsim AES256BLMT/AES256). The two variants localize the privacy
 * key differently only when the auth hash is shorter than the 32 bytes AES-256 needs, so these users take
 * SHA-224 (28 bytes) and SHA-1 (20): with SHA-256 or longer both would be the same key and prove nothing.
 */
const AES256B_USER = { user: 'aes256b-user', authKey: 'authpass-sha224', privKey: 'privpass-aes256b' };
const AES256R_USER = { user: 'aes256r-user', authKey: 'authpass-sha1', privKey: 'privpass-aes256r' };

const unavailable = snmpsimUnavailable();
if (unavailable !== null) console.warn(`snmp-snmpsim.test.ts skipped: ${unavailable}`);

// ---- an independent reading of a .snmprec: what an agent replaying it must return under a root ----

interface Expected {
  oid: string;
  type: number;
  value: unknown;
}

function compareArcs(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function readRecording(name: string): Expected[] {
  const rows: Expected[] = [];
  for (const line of readFileSync(join(FIXTURES, `${name}.snmprec`), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    // snmpsim reads `line.strip().split('|', 2)`: whitespace at either end of a line is not part of the value.
    const [oid, tag, ...rest] = line.trim().split('|');
    const text = rest.join('|');
    const hex = tag!.endsWith('x');
    const type = Number(hex ? tag!.slice(0, -1) : tag);
    let value: unknown;
    if (type === 4 || type === 68) value = hex ? Buffer.from(text, 'hex') : Buffer.from(text, 'utf8');
    else if (type === 6) value = text.replace(/^\./, '');
    else if (type === 64) value = hex ? [...Buffer.from(text, 'hex')].join('.') : text;
    else if (type === 70) value = BigInt(text);
    else if (type === 5) value = null;
    else value = Number(text);
    rows.push({ oid: oid!, type, value });
  }
  // Stable sort; of a repeated OID (procurve's ipNetToMediaPhysAddress.1277.10.1.1.1 has 7) a walk of snmpsim
  // returns the first line only.
  return rows.sort((a, b) => compareArcs(a.oid, b.oid)).filter((r, i, all) => i === 0 || all[i - 1]!.oid !== r.oid);
}

const under = (rows: readonly Expected[], root: string) => rows.filter((r) => r.oid.startsWith(`${root}.`));
const shape = (v: Varbind | Expected) => ({ oid: v.oid, type: v.type, value: Buffer.isBuffer(v.value) ? `hex:${v.value.toString('hex')}` : v.value });

describe.skipIf(unavailable !== null)('walking real recordings replayed by snmpsim', () => {
  let sim: Snmpsim;
  const v2c = (community: string, extra: Partial<SnmpTarget> = {}): SnmpTarget => ({ host: sim.host, port: sim.port, version: 'v2c', community, timeoutMs: 3_000, retries: 1, ...extra });
  const v3 = (context: string, v3Settings: SnmpTarget['v3']): SnmpTarget => ({ host: sim.host, port: sim.port, version: 'v3', v3: { ...v3Settings!, context }, timeoutMs: 3_000, retries: 1 });

  beforeAll(async () => {
    const recordings = Object.fromEntries(RECORDINGS.map((name) => [name, readFileSync(join(FIXTURES, `${name}.snmprec`), 'utf8')]));
    sim = await startSnmpsim({
      recordings,
      v3Users: [
        { user: LAB_USER.user, authProtocol: 'SHA256', authKey: LAB_USER.authKey, privProtocol: 'AES', privKey: LAB_USER.privKey },
        { user: NOPRIV_USER.user, authProtocol: 'SHA512', authKey: NOPRIV_USER.authKey },
        { user: AES256B_USER.user, authProtocol: 'SHA224', authKey: AES256B_USER.authKey, privProtocol: 'AES256BLMT', privKey: AES256B_USER.privKey },
        { user: AES256R_USER.user, authProtocol: 'SHA', authKey: AES256R_USER.authKey, privProtocol: 'AES256', privKey: AES256R_USER.privKey },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it('finds every recording the tests are about', () => {
    expect(RECORDINGS).toEqual(expect.arrayContaining(['procurve', 'dlink_dgs-1510-28', 'dsm']));
    expect(RECORDINGS.length).toBeGreaterThanOrEqual(8);
  });

  it.each(RECORDINGS)('v2c GetBulk of every WALK_ROOTS subtree of %s equals the recording', async (name) => {
    const rows = readRecording(name);
    const result = await walkSubtrees(v2c(name), WALK_ROOTS);
    expect(result.gaps).toEqual([]);
    let total = 0;
    for (const root of WALK_ROOTS) {
      const expected = under(rows, root);
      total += expected.length;
      expect(result.walk.get(root)?.map(shape), `${name} under ${root}`).toEqual(expected.map(shape));
    }
    expect(result.varbinds).toBe(total);
  });

  // librenms-parity.test.ts proves decoding the recording equals LibreNMS's parse (ports, LAG members, VLAN
  // memberships, LLDP neighbours, Synology health); this carries that proof over the real UDP path: what
  // Labwarden decodes from snmpsim is exactly what it decodes from the file.
  it.each(RECORDINGS)('the observation decoded from snmpsim serving %s equals the one the LibreNMS parity tests check', async (name) => {
    const result = await walkSubtrees(v2c(name), WALK_ROOTS);
    const at = '2026-11-25T00:00:00.000Z';
    const overUdp = decodeObservation(result.walk, at);
    expect(overUdp).toEqual(decodeObservation(loadWalk(name), at));
    expect(overUdp.system.objectId).not.toBe(''); // netgear_3 has no ports at all (ENTITY only), but every recording has a system
  });

  it.each(RECORDINGS)('a walk of the whole of %s (both top arcs) equals the recording', async (name) => {
    const rows = readRecording(name);
    const roots = ['1.0', '1.3'];
    const result = await walkSubtrees(v2c(name), roots, { concurrency: 2 });
    expect(result.gaps).toEqual([]);
    for (const root of roots) expect(result.walk.get(root)?.map(shape), `${name} under ${root}`).toEqual(under(rows, root).map(shape));
  });

  it('v1 GetNext against the D-Link equals the recording without its Counter64 values (SNMPv1 cannot carry them)', async () => {
    const rows = readRecording('dlink_dgs-1510-28').filter((r) => r.type !== 70);
    const result = await walkSubtrees({ ...v2c('dlink_dgs-1510-28'), version: 'v1' }, WALK_ROOTS);
    expect(result.gaps).toEqual([]);
    for (const root of WALK_ROOTS) expect(result.walk.get(root)?.map(shape), root).toEqual(under(rows, root).map(shape));
    // GetNext: one request per varbind, plus one that steps out of each subtree.
    expect(result.requests).toBe(result.varbinds + WALK_ROOTS.length);
  });

  it('SNMPv3 authPriv SHA-256/AES-128 reads the NAS the same as v2c', async () => {
    const target = v3('dsm', { user: LAB_USER.user, level: 'authPriv', authProtocol: 'sha256', authKey: LAB_USER.authKey, privProtocol: 'aes', privKey: LAB_USER.privKey });
    const [overV3, overV2c] = await Promise.all([walkSubtrees(target, WALK_ROOTS), walkSubtrees(v2c('dsm'), WALK_ROOTS)]);
    expect(overV3.gaps).toEqual([]);
    expect(overV3.varbinds).toBe(overV2c.varbinds);
    expect([...overV3.walk].map(([root, vbs]) => [root, vbs.map(shape)])).toEqual([...overV2c.walk].map(([root, vbs]) => [root, vbs.map(shape)]));
  });

  /** A walk of every WALK_ROOTS subtree over v3 must be the v2c walk of the same recording, varbind for varbind. */
  async function sameAsV2c(target: SnmpTarget, name: string): Promise<void> {
    const [overV3, overV2c] = await Promise.all([walkSubtrees(target, WALK_ROOTS), walkSubtrees(v2c(name), WALK_ROOTS)]);
    expect(overV3.gaps).toEqual([]);
    expect(overV3.varbinds).toBe(overV2c.varbinds);
    expect(overV3.varbinds).toBeGreaterThan(150); // dsm 196, dlink 749
    expect([...overV3.walk].map(([root, vbs]) => [root, vbs.map(shape)])).toEqual([...overV2c.walk].map(([root, vbs]) => [root, vbs.map(shape)]));
  }

  it('SNMPv3 authNoPriv with SHA-512 reads the NAS the same as v2c', async () => {
    await sameAsV2c(v3('dsm', { user: NOPRIV_USER.user, level: 'authNoPriv', authProtocol: 'sha512', authKey: NOPRIV_USER.authKey }), 'dsm');
  });

  it('SNMPv3 authNoPriv with a wrong SHA-512 key is an auth failure, never naming the key', async () => {
    const error = await walkSubtrees(v3('dsm', { user: NOPRIV_USER.user, level: 'authNoPriv', authProtocol: 'sha512', authKey: 'not-the-sha512-key' }), WALK_ROOTS).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toMatch(/\(SNMPv3 user noprivuser\): SNMPv3 authentication failed \(usmStats wrongDigests\)/);
    expect((error as Error).message).not.toContain('not-the-sha512-key');
  });

  it('SNMPv3 authPriv AES-256, Blumenthal key localization (aes256b = snmpsim AES256BLMT) with SHA-224, reads the D-Link the same as v2c', async () => {
    const settings = { user: AES256B_USER.user, level: 'authPriv', authProtocol: 'sha224', authKey: AES256B_USER.authKey, privKey: AES256B_USER.privKey } as const;
    await sameAsV2c(v3('dlink_dgs-1510-28', { ...settings, privProtocol: 'aes256b' }), 'dlink_dgs-1510-28');
    // The other localization makes another key from the same passphrase: snmpsim cannot decrypt, and says nothing.
    const wrongVariant = await walkSubtrees({ ...v3('dlink_dgs-1510-28', { ...settings, privProtocol: 'aes256r' }), timeoutMs: 300 }, ['1.3.6.1.2.1.1']).catch((e: unknown) => e);
    expect(wrongVariant).toMatchObject({ kind: 'timeout' });
  });

  it('SNMPv3 authPriv AES-256, Reeder key localization (aes256r = snmpsim AES256) with SHA-1, reads the D-Link the same as v2c', async () => {
    const settings = { user: AES256R_USER.user, level: 'authPriv', authProtocol: 'sha', authKey: AES256R_USER.authKey, privKey: AES256R_USER.privKey } as const;
    await sameAsV2c(v3('dlink_dgs-1510-28', { ...settings, privProtocol: 'aes256r' }), 'dlink_dgs-1510-28');
    const wrongVariant = await walkSubtrees({ ...v3('dlink_dgs-1510-28', { ...settings, privProtocol: 'aes256b' }), timeoutMs: 300 }, ['1.3.6.1.2.1.1']).catch((e: unknown) => e);
    expect(wrongVariant).toMatchObject({ kind: 'timeout' });
  });

  it('a wrong SNMPv3 auth key is an auth failure of the whole poll, reported as such', async () => {
    const target = v3('dsm', { user: LAB_USER.user, level: 'authPriv', authProtocol: 'sha256', authKey: 'not-the-key', privProtocol: 'aes', privKey: LAB_USER.privKey });
    const error = await walkSubtrees(target, WALK_ROOTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnmpFailure);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toMatch(/127\.0\.0\.1:\d+ \(SNMPv3 user labuser\): SNMPv3 authentication failed/);
    expect((error as Error).message).not.toContain('not-the-key');
  });

  it('an unknown SNMPv3 user gets no answer from snmpsim (pysnmp drops it): a timeout that says SNMPv3', async () => {
    const target = v3('dsm', { user: 'nobody-here', level: 'authPriv', authProtocol: 'sha256', authKey: LAB_USER.authKey, privProtocol: 'aes', privKey: LAB_USER.privKey });
    const error = await walkSubtrees({ ...target, timeoutMs: 500 }, ['1.3.6.1.2.1.1']).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toMatch(/user nobody-here\): no answer within 2 × 500 ms \(device down, filtered, or not speaking SNMPv3\)/);
  });

  it('a wrong community is a timeout of the whole poll, after one timeout window, never naming the community', async () => {
    const started = performance.now();
    const error = await walkSubtrees(v2c('no-such-recording', { timeoutMs: 500, retries: 1 }), WALK_ROOTS).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toMatch(/no answer within 2 × 500 ms/);
    expect((error as Error).message).not.toContain('no-such-recording');
    expect(performance.now() - started).toBeLessThan(5_000); // not one window per subtree
  });

  it.skipIf(desIsAvailable())('DES privacy without the legacy provider is a clear error, not a crash', async () => {
    const target = v3('dsm', { user: SIMULATOR_USER.user, level: 'authPriv', authProtocol: 'md5', authKey: SIMULATOR_USER.authKey, privProtocol: 'des', privKey: SIMULATOR_USER.privKey });
    const error = await walkSubtrees(target, WALK_ROOTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnmpFailure);
    expect(error).toMatchObject({ kind: 'protocol' });
    expect((error as Error).message).toMatch(/DES .*--openssl-legacy-provider.*AES/);
  });

  it("snmpsim's built-in user (MD5/DES authPriv) works in a Node started with --openssl-legacy-provider", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-snmp-des-'));
    try {
      const walker = buildCommonJs(join(ROOT, 'src-main/drivers/snmp/walker.ts'), join(ROOT, 'src-main'), join(dir, 'code'));
      const runner = join(dir, 'run.cjs');
      writeFileSync(
        runner,
        `const { walkSubtrees } = require(${JSON.stringify(walker)});
walkSubtrees(JSON.parse(process.argv[2]), ['1.3.6.1.2.1.1', '1.3.6.1.2.1.2.2.1.2'])
  .then((r) => console.log(JSON.stringify({ varbinds: r.varbinds, gaps: r.gaps, sysName: String(r.walk.get('1.3.6.1.2.1.1').find((v) => v.oid === '1.3.6.1.2.1.1.5.0').value) })))
  .catch((e) => { console.log(JSON.stringify({ error: e.kind, message: e.message })); });`,
      );
      const target = v3('dsm', { user: SIMULATOR_USER.user, level: 'authPriv', authProtocol: 'md5', authKey: SIMULATOR_USER.authKey, privProtocol: 'des', privKey: SIMULATOR_USER.privKey });
      const out = await new Promise<string>((resolveRun, reject) =>
        execFile(process.execPath, ['--openssl-legacy-provider', runner, JSON.stringify(target)], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, timeout: 20_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolveRun(stdout),
        ),
      );
      const rows = readRecording('dsm');
      const sysName = rows.find((r) => r.oid === '1.3.6.1.2.1.1.5.0')!.value as Buffer;
      expect(JSON.parse(out.trim())).toEqual({
        varbinds: under(rows, '1.3.6.1.2.1.1').length + under(rows, '1.3.6.1.2.1.2.2.1.2').length,
        gaps: [],
        sysName: sysName.toString(),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
