/**
 * `labwarden probe iscsi://…` against the discovery responder: the documented JSON, CHAP from a secret
 * file, and one clear line with exit 1 when the portal does not answer.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src-main/shells/cli/commands';
import { parseIscsiTarget } from '../../src-main/shells/cli/probe';
import { startIscsiResponder, type IscsiResponder } from '../../src-main/simulators/iscsi';

let dir: string;
let open: IscsiResponder;
let chap: IscsiResponder;
const TARGETS = [
  { iqn: 'iqn.2013-03.com.dlink:dns-1550-04.ha-heartbeat', alias: 'ha-heartbeat', portals: ['10.10.20.20:3260,1'] },
  { iqn: 'iqn.2013-03.com.dlink:dns-1550-04.vm-store', alias: 'vm-store', portals: ['10.10.20.20:3260,1', '10.10.21.20:3260,2'] },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labwarden-probe-'));
  open = await startIscsiResponder({ targets: TARGETS });
  chap = await startIscsiResponder({ targets: TARGETS, chap: { user: 'monitor', secret: 'chap-secret-1234' } });
});

afterAll(async () => {
  await open.close();
  await chap.close();
  rmSync(dir, { recursive: true, force: true });
});

async function probe(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, staticDir: dir };
  const { code } = await runCli(['probe', ...argv], io);
  return { code, out, err };
}

describe('labwarden probe iscsi://', () => {
  it('prints the documented JSON document with every target and its portals', async () => {
    const { code, out, err } = await probe(`iscsi://127.0.0.1:${open.port}`, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ portal: `127.0.0.1:${open.port}`, ok: true, error: null, authMethod: 'None' });
    expect(report.targets).toEqual([
      { iqn: TARGETS[0]!.iqn, alias: 'ha-heartbeat', portals: ['10.10.20.20:3260'] },
      { iqn: TARGETS[1]!.iqn, alias: 'vm-store', portals: ['10.10.20.20:3260', '10.10.21.20:3260'] },
    ]);
  });

  it('logs in with CHAP from a secret file, and names an authentication failure', async () => {
    const good = join(dir, 'secret');
    writeFileSync(good, 'chap-secret-1234\n');
    const ok = await probe(`iscsi://127.0.0.1:${chap.port}`, '--chap', `monitor:${good}`, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, authMethod: 'CHAP' });

    const bad = join(dir, 'bad');
    writeFileSync(bad, 'not-the-secret-99\n');
    const refused = await probe(`iscsi://127.0.0.1:${chap.port}`, '--chap', `monitor:${bad}`, '--json');
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.out);
    expect(report).toMatchObject({ ok: false, errorKind: 'auth-failed', targets: [] });
    expect(report.error).toMatch(/authentication/i);
    expect(refused.out + refused.err).not.toContain('not-the-secret-99');
  });

  it('says what went wrong in one line, exit 1, for a portal where nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const { code, err } = await probe(`iscsi://127.0.0.1:${port}`, '--timeout', '2');
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await probe('iscsi://host:70000')).code).toBe(2);
    expect((await probe('http://host')).code).toBe(2);
    expect((await probe(`iscsi://127.0.0.1:${open.port}`, '--chap', 'just-a-user')).code).toBe(2);
    expect(parseIscsiTarget('iscsi://10.0.0.1')).toEqual({ host: '10.0.0.1', port: 3260 });
    expect(parseIscsiTarget('iscsi://[fe80::1]:3261')).toEqual({ host: 'fe80::1', port: 3261 });
  });
});
