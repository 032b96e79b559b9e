/**
 * `labwarden audit | ports | whatif | secret`: usage mistakes (exit 2), exit codes (1 when it could not answer,
 * 3 for --fail-on), the JSON documents' top-level shape, and secrets stored sealed and never printed. The lab
 * with findings is the demo, polled once from its loopback simulators (`audit --demo`); every other run here
 * answers from the store and contacts nothing.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, USAGE, type CliIo } from '../../../src-main/shells/cli/commands';
import { openLab } from '../../../src-main/shells/common/open-lab';
import { dispatch } from '../../../src-main/api/dispatch';
import { listDevices } from '../../../src-main/store/devices';
import { listTargets } from '../../../src-main/store/targets';
import { credentialsOf, revealCredential, revealTargetCredential, targetCredentialsOf } from '../../../src-main/store/credentials';
import type { AuditDocument, PortsDocument, WhatIfResult } from '../../../src-main/api/contract';

interface Run {
  code: number;
  out: string;
  err: string;
}

const roots: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, extra: Partial<CliIo> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, staticDir: '/nonexistent', ...extra };
  const { code } = await runCli(argv, io);
  // Whatever went wrong, one clear line, never a stack trace.
  expect(err).not.toMatch(/^\s+at /m);
  return { code, out, err };
}

const firstLine = (text: string) => text.split('\n')[0];

/** A lab whose every address is loopback, so nothing here could reach out even by mistake. */
const TEST_LAB = `format: 1
name: CLI test lab
devices:
  - name: pool1
    kind: xen-pool
    address: 127.0.0.1
    xenapi: {url: "https://127.0.0.1:9", username: root}
  - name: sw-t
    kind: switch
    address: 127.0.0.1
    snmp: {version: v2c, port: 9}
  - name: sw-v3
    kind: switch
    address: 127.0.0.1
    snmp: {version: v3, port: 9, v3User: mon, v3Level: authNoPriv, v3AuthProtocol: sha256}
  - name: sw-plain
    kind: switch
    address: 127.0.0.1
  - name: nas1
    kind: nas
    address: 127.0.0.1
    dsm: {url: "https://127.0.0.1:9", username: mon}
  - name: san1
    kind: iscsi-san
    address: 127.0.0.1
targets:
  - device: san1
    iqn: iqn.2024-01.test.lab:chap
    portals: ["127.0.0.1:9"]
    chap: {user: mon}
  - device: san1
    iqn: iqn.2024-01.test.lab:open
    portals: ["127.0.0.1:9"]
`;

let dir: string;
let dataDir: string;
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeEach(() => {
  dir = tempDir('labwarden-cli-lab-');
  dataDir = join(dir, 'data');
});

afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('labwarden audit / ports / whatif / secret: usage mistakes exit 2', () => {
  const cases: [string[], string | RegExp][] = [
    [['audit', 'extra'], 'audit takes no argument "extra"'],
    [['audit', '--fail-on', 'info'], '--fail-on takes warning or error, not "info"'],
    [['audit', '--fail-on'], '--fail-on needs a value'],
    [['audit', '--timeout', '5'], '--timeout is the budget of --poll; add --poll'],
    [['audit', '--poll', '--timeout', '0'], '--timeout 0 is not 1–600 seconds'],
    [['audit', '--poll', '--timeout', 'soon'], '--timeout soon is not 1–600 seconds'],
    [['ports', 'sw-a'], 'ports takes no argument "sw-a"'],
    [['ports', '--csv'], 'unknown option --csv'],
    [['whatif'], 'whatif takes what to take out: DEVICE, DEVICE:PORT or a portal ADDRESS:PORT, one or more'],
    [['whatif', '--json'], 'whatif takes what to take out: DEVICE, DEVICE:PORT or a portal ADDRESS:PORT, one or more'],
    [['secret'], 'secret takes set or clear: secret set DEVICE NAME --file FILE'],
    [['secret', 'show', 'sw-t', 'snmp-community'], 'secret show: the actions are set and clear'],
    [['secret', 'set', 'sw-t'], "secret set takes DEVICE NAME (for chap-secret, the target's IQN as DEVICE)"],
    [['secret', 'set', 'sw-t', 'snmp-password', '--file', 'x'], /^"snmp-password" is not a secret name; the names are snmp-community, .*, chap-secret, chap-target-secret$/],
    [['secret', 'set', 'sw-t', 'snmp-community'], 'secret set needs --file FILE (a secret is never taken on the command line)'],
    [['secret', 'set', 'sw-t', 'snmp-community', 'public'], "secret set takes DEVICE NAME (for chap-secret, the target's IQN as DEVICE)"],
    [['secret', 'clear', 'sw-t', 'snmp-community', '--file', 'x'], 'secret clear takes no --file'],
  ];
  it.each(cases)('%j → one line, then the usage', async (argv, message) => {
    const { code, out, err } = await cli([...argv, '--data-dir', dataDir]);
    expect(code).toBe(2);
    expect(out).toBe('');
    if (typeof message === 'string') expect(firstLine(err)).toBe(`labwarden: ${message}`);
    else expect(firstLine(err)!.replace(/^labwarden: /, '')).toMatch(message);
    expect(err.endsWith(USAGE)).toBe(true);
    // A usage mistake creates nothing: no lab appears in the data folder.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('lists the new commands in the usage, with the exit codes', () => {
    for (const line of ['labwarden audit [--poll]', 'labwarden audit --demo', 'labwarden ports', 'labwarden whatif DEVICE[:PORT]...', 'labwarden secret set DEVICE NAME --file FILE']) {
      expect(USAGE).toContain(line);
    }
    expect(USAGE).toMatch(/Exit codes: 0 .*1 .*2 .*3 /);
  });
});

describe('labwarden audit / ports / whatif on a lab never polled', () => {
  beforeEach(async () => {
    expect((await cli(['import', file('lab.yaml', TEST_LAB), '--data-dir', dataDir])).code).toBe(0);
  });

  it('answers from the store, exit 0, and says which devices it cannot speak for', async () => {
    const { code, out, err } = await cli(['audit', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('No open findings.');
    // The pool is not counted: its hosts are (none here).
    expect(out).toMatch(/^5 devices, 0 ports, 0 links: 0 errors, 0 warnings, 0 info open; 0 accepted\.$/m);
    expect(out).toMatch(/^Never polled: .*sw-t.*; what they would show is missing here/m);
  });

  it('--fail-on exits 0 when nothing is open', async () => {
    expect((await cli(['audit', '--data-dir', dataDir, '--fail-on', 'warning'])).code).toBe(0);
  });

  it('prints the documents as JSON with their top-level fields', async () => {
    const audit = JSON.parse((await cli(['audit', '--json', '--data-dir', dataDir])).out) as AuditDocument;
    expect(Object.keys(audit).sort()).toEqual(['builtAt', 'findings', 'links', 'summary']);
    expect(audit.findings).toEqual([]);
    expect(Object.keys(audit.summary).sort()).toEqual(['accepted', 'devices', 'errors', 'info', 'links', 'ports', 'warnings']);
    const ports = JSON.parse((await cli(['ports', '--json', '--data-dir', dataDir])).out) as PortsDocument;
    expect(Object.keys(ports).sort()).toEqual(['builtAt', 'deviceIds', 'ports']);
    expect(Array.isArray(ports.ports)).toBe(true);
    const whatif = JSON.parse((await cli(['whatif', 'sw-t', '--json', '--data-dir', dataDir])).out) as WhatIfResult;
    expect(whatif).toEqual({ removed: ['sw-t'], lost: [], newFindings: [] });
  });

  it('refuses a whatif of an unknown device: exit 1, naming it', async () => {
    const { code, out, err } = await cli(['whatif', 'sw-t', 'no-such-switch', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toMatch(/^labwarden: "no-such-switch": no such device, port or portal in the lab/);
    expect(err).not.toContain('"sw-t"');
  });
});

describe('labwarden audit --demo into a data folder that holds something else', () => {
  it('refuses a folder with another lab in it, in one line, and leaves that lab alone', async () => {
    await cli(['import', file('lab.yaml', TEST_LAB), '--data-dir', dataDir]);
    const before = (await cli(['export', '--data-dir', dataDir])).out;
    const { code, out, err } = await cli(['audit', '--demo', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`labwarden: ${dataDir} holds another lab (6 devices), not the demo; --demo leaves it alone: give it an empty or new --data-dir\n`);
    expect((await cli(['export', '--data-dir', dataDir])).out).toBe(before);
  });

  it('refuses a folder that is not empty and holds no lab, creating nothing in it', async () => {
    const folder = join(dir, 'photos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'holiday.jpg'), 'not a lab');
    const { code, err } = await cli(['audit', '--demo', '--data-dir', folder]);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^labwarden: ${folder} is not empty \\(holiday\\.jpg\\) and holds no Labwarden lab; --demo needs an empty or new folder\\n$`));
    expect(readdirSync(folder)).toEqual(['holiday.jpg']);
  });
});

describe('labwarden audit on the demo lab (polled once from its loopback simulators)', () => {
  let seeded: string;
  beforeAll(async () => {
    seeded = join(tempDir('labwarden-cli-demo-'), 'data');
    const { code, err } = await cli(['audit', '--demo', '--data-dir', seeded, '--json']);
    expect(err).toContain('Poll round in');
    expect(code).toBe(0);
  }, 60_000);

  /** A copy of the polled demo, for a test that changes it. */
  function demoCopy(): string {
    const copy = join(dir, 'demo-copy');
    cpSync(seeded, copy, { recursive: true });
    return copy;
  }

  it('exits 3 with --fail-on error and with --fail-on warning, saying why on stderr; 0 without', async () => {
    const plain = await cli(['audit', '--data-dir', seeded]);
    expect(plain.code).toBe(0);
    const errors = await cli(['audit', '--data-dir', seeded, '--fail-on', 'error']);
    expect(errors.code).toBe(3);
    expect(errors.out).toBe(plain.out);
    expect(errors.err).toMatch(/^labwarden: \d+ open findings? of severity error \(--fail-on error\)\n$/);
    const warnings = await cli(['audit', '--data-dir', seeded, '--fail-on', 'warning', '--json']);
    expect(warnings.code).toBe(3);
    expect(JSON.parse(warnings.out).findings.length).toBeGreaterThan(0);
    expect(warnings.err).toMatch(/^labwarden: \d+ open findings of severity warning or worse \(--fail-on warning\)\n$/);
  });

  it('lists open findings one line each by severity, then the counts', async () => {
    const { out } = await cli(['audit', '--data-dir', seeded]);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Open findings:');
    const findingLines = lines.filter((l) => /^ {2}(error|warning|info) /.test(l));
    expect(findingLines.length).toBeGreaterThan(3);
    const severities = findingLines.map((l) => l.trim().split(/\s+/)[0]!);
    const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
    expect(severities).toEqual([...severities].sort((a, b) => rank[a]! - rank[b]!));
    expect(out).toMatch(/^ {2}warning +spof\.management-single-nic:xen1 +xen1's management runs on one NIC/m);
    expect(out).toMatch(/^\d+ devices, \d+ ports, \d+ links: \d+ errors?, \d+ warnings?, \d+ info open; \d+ accepted\.$/m);
    expect(out).not.toContain('Never polled');
  });

  it('does not count accepted findings for --fail-on, and shows them greyed with their note', async () => {
    const copy = demoCopy();
    const document = JSON.parse((await cli(['audit', '--json', '--data-dir', copy])).out) as AuditDocument;
    const errors = document.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    const lab = openLab({ dataDir: copy, mode: 'cli' });
    try {
      for (const f of errors) {
        const answer = await dispatch(lab.handlers, 'findings.accept', [f.id, 'known, ticket LAB-7']);
        expect(answer).toMatchObject({ ok: true });
      }
    } finally {
      await lab.close();
    }
    expect((await cli(['audit', '--data-dir', copy, '--fail-on', 'error'])).code).toBe(0);
    expect((await cli(['audit', '--data-dir', copy, '--fail-on', 'warning'])).code).toBe(3);
    const { out } = await cli(['audit', '--data-dir', copy], {}, { color: true });
    const accepted = out.slice(out.indexOf('Accepted:\n'));
    expect(accepted).toContain(`\u001b[2m  error    ${errors[0]!.id}`);
    expect(accepted).toContain('(accepted: known, ticket LAB-7)\u001b[22m');
    expect(out.slice(0, out.indexOf('Accepted:'))).not.toContain(errors[0]!.id);
    const plain = (await cli(['audit', '--data-dir', copy])).out;
    expect(plain).not.toContain('\u001b[');
  });

  it('prints ports as an aligned table and whatif as what is lost, then the new findings', async () => {
    const ports = await cli(['ports', '--data-dir', seeded]);
    expect(ports.code).toBe(0);
    const lines = ports.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PORT +ROLE +PEER \(SOURCE\) +BOND\/LAG +VLANS HERE \| THERE +MTU +SPEED +STATE +FINDINGS$/);
    const peerColumn = lines[0]!.indexOf('PEER');
    const row = lines.find((l) => l.startsWith('xen1:eth1 '))!;
    expect(row.slice(peerColumn)).toMatch(/^sw-a:5 \(lldp\) +bond0 +t100,101 \| t100,101 +1500 +1G +up +-$/);
    expect(lines.at(-1)).toMatch(/^\d+ ports on \d+ devices; \d+ with open findings\.$/);

    const whatif = await cli(['whatif', 'sw-a', '--data-dir', seeded]);
    expect(whatif.code).toBe(0);
    expect(whatif.out).toMatch(/^Without sw-a:\n {2}lost: management of xen1: eth0 ran through switch sw-a\n/);
    expect(whatif.out).toMatch(/^New findings:\n {2}error +bond\.degraded:xen1:bond0 /m);
    const unknownPort = await cli(['whatif', 'sw-a', 'xen1:eth9', '--json', '--data-dir', seeded]);
    expect(unknownPort).toMatchObject({ code: 1, out: '' });
    expect(unknownPort.err).toMatch(/^labwarden: "xen1:eth9": no such device, port or portal in the lab/);
  });
});

describe('labwarden secret set / clear', () => {
  beforeEach(async () => {
    expect((await cli(['import', file('lab.yaml', TEST_LAB), '--data-dir', dataDir])).code).toBe(0);
  });

  /** Which secrets a device has stored (sealed rows, unopened). */
  async function storedFor(deviceName: string): Promise<string[]> {
    const lab = openLab({ dataDir, mode: 'cli' });
    try {
      const device = listDevices(lab.db).find((d) => d.name === deviceName)!;
      return credentialsOf(lab.db, device.id).map((c) => c.purpose);
    } finally {
      await lab.close();
    }
  }

  it('stores the secret from the file sealed, prints what it stored but never the secret', async () => {
    const secret = 'c0mmunity-Tr0ub4dor';
    const { code, out, err } = await cli(['secret', 'set', 'sw-t', 'snmp-community', '--file', file('community', `${secret}\n`), '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^Stored the SNMP community of sw-t, sealed \(AES-256-GCM, key in .*labwarden\.key \(mode 0600\)\)\.\n/);
    expect(out).toMatch(/--poll` uses it; a running app or serve picks it up at its next inventory change or restart\.\n$/);
    expect(out + err).not.toContain(secret);

    const lab = openLab({ dataDir, mode: 'cli' });
    try {
      const device = listDevices(lab.db).find((d) => d.name === 'sw-t')!;
      const [row] = credentialsOf(lab.db, device.id);
      expect(row).toMatchObject({ purpose: 'snmp-community', scheme: 'aes-256-gcm-keyfile' });
      expect(row!.sealed.includes(Buffer.from(secret))).toBe(false);
      // The trailing newline was the file's, not the secret's.
      expect(revealCredential(lab.db, lab.box, device.id, 'snmp-community')).toBe(secret);
    } finally {
      await lab.close();
    }
    for (const name of readdirSync(dataDir)) expect(readFileSync(join(dataDir, name)).includes(Buffer.from(secret))).toBe(false);
  });

  it("stores a target's CHAP secret under its IQN", async () => {
    const { code, out } = await cli(['secret', 'set', 'IQN.2024-01.test.lab:chap', 'chap-secret', '--file', file('chap', 'chap-secret-12'), '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Stored the CHAP secret of iqn\.2024-01\.test\.lab:chap \(on san1\), sealed/);
    expect(out).toContain('at its next probe sweep');
    const lab = openLab({ dataDir, mode: 'cli' });
    try {
      const target = listTargets(lab.db).find((t) => t.iqn.endsWith(':chap'))!;
      expect(targetCredentialsOf(lab.db, target.id).map((c) => c.purpose)).toEqual(['chap-secret']);
      expect(revealTargetCredential(lab.db, lab.box, target.id, 'chap-secret')).toBe('chap-secret-12');
    } finally {
      await lab.close();
    }
  });

  const refusals: [string, string, string][] = [
    ['sw-plain', 'snmp-community', 'sw-plain has no SNMP settings, so it takes no SNMP community; set snmp in the inventory first'],
    ['sw-t', 'snmp-auth-key', 'sw-t uses SNMP v2c, which takes snmp-community, not SNMPv3 keys'],
    ['sw-v3', 'snmp-community', 'sw-v3 uses SNMPv3, which takes snmp-auth-key and snmp-priv-key, not a community'],
    ['sw-v3', 'snmp-priv-key', "sw-v3's SNMPv3 level is authNoPriv, which takes an auth key but no privacy key"],
    ['sw-t', 'xenapi-password', 'sw-t has no XenAPI URL set, so there is nothing a XenAPI password would open; set its xenapi URL in the inventory first'],
    ['pool1', 'dsm-password', 'pool1 has no DSM URL set, so there is nothing a DSM password would open; set its dsm URL in the inventory first'],
    ['san1', 'chap-secret', 'chap-secret belongs to an iSCSI target: give its IQN as DEVICE (san1 has iqn.2024-01.test.lab:chap, iqn.2024-01.test.lab:open)'],
    ['iqn.2024-01.test.lab:open', 'chap-secret', 'iqn.2024-01.test.lab:open has no discovery CHAP set, so it takes no CHAP secret; set chap: {user: …} on the target first'],
    ['iqn.2024-01.test.lab:chap', 'chap-target-secret', 'iqn.2024-01.test.lab:chap has no mutual CHAP target user, so it takes no mutual CHAP target secret; set chap.targetUser on the target first'],
    ['iqn.2024-01.test.lab:chap', 'snmp-community', "iqn.2024-01.test.lab:chap is an iSCSI target name; snmp-community belongs to a device: give the device's name"],
    ['sw-z', 'snmp-community', 'no device named "sw-z" in the inventory'],
  ];
  it.each(refusals)('refuses %s %s with a line naming what is wrong, storing nothing', async (owner, name, message) => {
    const { code, out, err } = await cli(['secret', 'set', owner, name, '--file', file('s', 'a-secret-value'), '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.startsWith(`labwarden: ${message}`)).toBe(true);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).not.toContain('a-secret-value');
    const lab = openLab({ dataDir, mode: 'cli' });
    try {
      for (const d of listDevices(lab.db)) expect(credentialsOf(lab.db, d.id)).toEqual([]);
      for (const t of listTargets(lab.db)) expect(targetCredentialsOf(lab.db, t.id)).toEqual([]);
    } finally {
      await lab.close();
    }
  });

  it('refuses a missing, empty, oversized or multi-line file', async () => {
    const missing = join(dir, 'no-such-file');
    const set = (path: string) => cli(['secret', 'set', 'sw-t', 'snmp-community', '--file', path, '--data-dir', dataDir]);
    expect(await set(missing)).toEqual({ code: 1, out: '', err: `labwarden: cannot read ${missing}: no such file\n` });
    const empty = file('empty', '\n');
    expect(await set(empty)).toEqual({ code: 1, out: '', err: `labwarden: ${empty} is empty; put the secret in it, on one line\n` });
    const big = file('big', 'x'.repeat(4097));
    expect(await set(big)).toEqual({ code: 1, out: '', err: `labwarden: ${big} is 4097 bytes; a secret file holds one line of at most 4 KiB\n` });
    const two = file('two', 'first\nsecond\n');
    expect(await set(two)).toEqual({ code: 1, out: '', err: `labwarden: ${two} holds more than one line; a secret is one line (one trailing newline is ignored)\n` });
    expect(await storedFor('sw-t')).toEqual([]);
  });

  it('refuses an SNMPv3 key under 8 characters', async () => {
    const { code, err } = await cli(['secret', 'set', 'sw-v3', 'snmp-auth-key', '--file', file('k', 'short'), '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(err).toBe('labwarden: SNMPv3 keys are at least 8 characters (RFC 3414)\n');
  });

  it('clears a stored secret, and says so when there was none', async () => {
    await cli(['secret', 'set', 'nas1', 'dsm-password', '--file', file('pw', 'dsm-pass'), '--data-dir', dataDir]);
    expect(await storedFor('nas1')).toEqual(['dsm-password']);
    expect(await cli(['secret', 'clear', 'nas1', 'dsm-password', '--data-dir', dataDir])).toMatchObject({ code: 0, out: expect.stringMatching(/^Cleared the DSM password of nas1/) });
    expect(await storedFor('nas1')).toEqual([]);
    expect(await cli(['secret', 'clear', 'nas1', 'dsm-password', '--data-dir', dataDir])).toMatchObject({ code: 0, out: 'nas1 has no DSM password stored; nothing changed.\n' });
  });

  it('says there is no lab when the data folder has none, creating nothing', async () => {
    const empty = join(dir, 'nothing-here');
    const { code, err } = await cli(['secret', 'set', 'sw-t', 'snmp-community', '--file', file('c', 'public'), '--data-dir', empty]);
    expect(code).toBe(1);
    expect(err).toBe(`labwarden: there is no lab in ${empty}: import an inventory first (labwarden import FILE)\n`);
    expect(existsSync(empty)).toBe(false);
  });
});
