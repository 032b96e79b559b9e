import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, USAGE, type CliIo, type CliResult } from '../../../src-main/shells/cli/commands';
import { makeHarness, type Harness } from '../helpers/harness';
import { labContent } from '../helpers/rich-lab';
import { httpGet } from '../helpers/http';

const DEMO_YAML = readFileSync(fileURLToPath(new URL('../../../resources/demo-lab.yaml', import.meta.url)), 'utf8');
const INDEX_HTML = '<!doctype html><title>Labwarden CLI test UI</title>';

interface FakeIo extends CliIo {
  stdout: string;
  stderr: string;
}

let dir: string;
let io: FakeIo;
const harnesses: Harness[] = [];
const running: CliResult[] = [];

function fakeIo(env: NodeJS.ProcessEnv): FakeIo {
  const staticDir = join(dir, 'ui');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  const fake: FakeIo = {
    stdout: '',
    stderr: '',
    out: (text) => void (fake.stdout += text),
    err: (text) => void (fake.stderr += text),
    env,
    staticDir,
  };
  return fake;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`no line containing ${needle}`);
  return index + 1;
}

/** Runs a command with fresh output buffers (the lab in the data folder persists between runs). */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string; result: CliResult }> {
  io.stdout = '';
  io.stderr = '';
  const result = await runCli(argv, io);
  if (result.server) running.push(result);
  allStderr.push(io.stderr);
  return { code: result.code, out: io.stdout, err: io.stderr, result };
}

const allStderr: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labwarden-cli-'));
  io = fakeIo({ LABWARDEN_DATA_DIR: join(dir, 'data') });
});

afterEach(async () => {
  for (const { server, lab } of running.splice(0)) {
    await server?.close();
    lab?.close();
  }
  for (const h of harnesses.splice(0)) h.close();
  // Whatever went wrong, the user reads one clear line, never a stack trace.
  for (const text of allStderr.splice(0)) expect(text).not.toMatch(/^\s+at /m);
  rmSync(dir, { recursive: true, force: true });
});

describe('labwarden (CLI): usage', () => {
  it('prints the usage and exits 2 when given no command', async () => {
    const { code, out } = await run();
    expect(code).toBe(2);
    expect(out).toBe(USAGE);
    expect(USAGE).toMatch(/labwarden serve/);
  });

  it('prints the usage and exits 0 for --help, and the version for --version', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: USAGE });
    const version = await run('--version');
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('names an unknown command on one line, then shows the usage, and exits 2', async () => {
    const { code, err, out } = await run('frobnicate');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`labwarden: unknown command "frobnicate"\n\n${USAGE}`);
  });

  it('names an unknown option on one line, then shows the usage, and exits 2', async () => {
    const { code, err } = await run('export', '--frobnicate');
    expect(code).toBe(2);
    expect(err).toBe(`labwarden: unknown option --frobnicate\n\n${USAGE}`);
  });

  it('refuses an option that needs a value when it has none', async () => {
    const { code, err } = await run('export', '--output');
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('labwarden: --output needs a value');
  });

  it('refuses import without exactly one file', async () => {
    expect((await run('import')).err.split('\n')[0]).toBe('labwarden: import takes one FILE');
    const two = await run('import', 'a.yaml', 'b.yaml');
    expect(two.code).toBe(2);
    expect(two.err.split('\n')[0]).toBe('labwarden: import takes one FILE');
  });
});

describe('labwarden import / export', () => {
  it('imports a YAML inventory and prints a one-line summary', async () => {
    const demo = file('demo.yaml', DEMO_YAML);
    const { code, out, err } = await run('import', demo);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(
      `Imported ${demo}: 9 devices, 42 ports, 21 cables, 5 VLANs, 2 targets, 2 LUNs (replaced 0 device(s); 0 stored credential(s) kept).\n`,
    );
  });

  it('exports the imported inventory as YAML that re-imports to the same lab', async () => {
    await run('import', file('demo.yaml', DEMO_YAML));
    const { code, out } = await run('export');
    expect(code).toBe(0);
    expect(out).toMatch(/^# Labwarden inventory/);

    const reimported = makeHarness();
    harnesses.push(reimported);
    await reimported.api['inventory.importYaml'](out);
    const reference = makeHarness();
    harnesses.push(reference);
    await reference.api['inventory.importYaml'](DEMO_YAML);
    expect(await labContent(reimported.api)).toEqual(await labContent(reference.api));
    expect(await reimported.api['inventory.exportYaml']()).toBe(out);
  });

  it('writes the device CSV to --output and says so on stderr, leaving stdout empty', async () => {
    await run('import', file('demo.yaml', DEMO_YAML));
    const output = join(dir, 'devices.csv');
    const { code, out, err } = await run('export', '--csv', '--output', output);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(`Wrote ${output}\n`);
    const csv = readFileSync(output, 'utf8');
    expect(csv.split('\n')[0]).toBe('name,kind,address,vendor,model,location,notes,memberOf,stack');
    expect(csv).toContain('xen1,xen-host,10.10.10.11,HP,ProLiant DL360 G7,"Rack A, U10",,hp-pool');
    // Written through a temporary file and a rename: no leftovers beside it.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('imports a device CSV (added / updated)', async () => {
    await run('import', file('demo.yaml', DEMO_YAML));
    const csv = file('more.csv', 'name,kind,address\nsw-a,switch,10.10.10.2\nsw-c,switch,10.10.10.4\n');
    const { code, out } = await run('import', csv);
    expect(code).toBe(0);
    expect(out).toBe(`Imported ${csv}: 1 device(s) added, 1 updated.\n`);
  });

  it('refuses a YAML file with a bad address: names the line on stderr, exits 1, and changes nothing', async () => {
    await run('import', file('demo.yaml', DEMO_YAML));
    const before = (await run('export')).out;
    const badText = DEMO_YAML.replace('address: 10.10.10.12', 'address: 10.10.10.256');
    const bad = file('bad.yaml', badText);
    const line = lineOf(badText, '10.10.10.256');

    const { code, out, err } = await run('import', bad);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toMatch(/^labwarden: the inventory was not imported, nothing changed: /);
    expect(err).toContain(`line ${line}, devices[2].address: "10.10.10.256" is not a valid IPv4 address`);
    expect((await run('export')).out).toBe(before);
  });

  it('lists the problems of --check as FILE:LINE: field: message, exits 1, and imports nothing', async () => {
    const badText = DEMO_YAML.replace('address: 10.10.10.12', 'address: 10.10.10.256').replace('kind: nas', 'kind: fridge');
    const bad = file('bad.yaml', badText);
    const { code, out, err } = await run('import', '--check', bad);
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.split('\n').filter(Boolean);
    expect(lines).toEqual([
      `${bad}:${lineOf(badText, '10.10.10.256')}: devices[2].address: "10.10.10.256" is not a valid IPv4 address (four numbers 0–255 separated by dots)`,
      `${bad}:${lineOf(badText, 'kind: fridge')}: devices[6].kind: "fridge" is not one of: xen-pool, xen-host, switch, iscsi-san, nas, linux-host`,
    ]);
    expect((await run('export')).out).not.toContain('xen1');
  });

  it('says a valid file is valid with --check, and still imports nothing', async () => {
    const demo = file('demo.yaml', DEMO_YAML);
    const { code, out } = await run('import', demo, '--check');
    expect(code).toBe(0);
    expect(out).toBe(`${demo} is a valid inventory: 9 devices, 42 ports, 21 cables, 5 VLANs, 2 targets, 2 LUNs.\n`);
    expect((await run('export', '--csv')).out).toBe('name,kind,address,vendor,model,location,notes,memberOf,stack\n');
  });

  it('says "no such file" for a missing file and exits 1', async () => {
    const missing = join(dir, 'missing.yaml');
    const { code, err } = await run('import', missing);
    expect(code).toBe(1);
    expect(err).toBe(`labwarden: cannot read ${missing}: no such file\n`);
  });

  it('refuses a file over 5 MB without reading it into the lab', async () => {
    const big = file('big.yaml', `name: ${'x'.repeat(6 * 1024 * 1024)}\n`);
    const { code, err } = await run('import', big);
    expect(code).toBe(1);
    expect(err).toMatch(/^labwarden: .*big\.yaml is 6 MB; an inventory is at most 5 MB\n$/);
  });

  it('reports an unwritable --output on one line, without a stack trace', async () => {
    const { code, err } = await run('export', '--output', join(dir, 'no-such-folder', 'lab.yaml'));
    expect(code).toBe(1);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toMatch(/^labwarden: /);
    expect(err).not.toMatch(/^\s+at /m);
  });

  it('uses --data-dir over $LABWARDEN_DATA_DIR', async () => {
    const other = join(dir, 'other-data');
    await run('import', file('demo.yaml', DEMO_YAML), '--data-dir', other);
    expect(existsSync(join(other, 'labwarden.db'))).toBe(true);
    expect((await run('export', '--csv')).out.split('\n').filter(Boolean)).toHaveLength(1); // the env's lab is still empty
    expect((await run('export', '--csv', '--data-dir', other)).out).toContain('hp-pool');
  });
});

describe('labwarden serve', () => {
  it('starts on 127.0.0.1 with --port 0 and serves the UI until closed', async () => {
    const { code, out, result } = await run('serve', '--port', '0');
    expect(code).toBe(0);
    expect(result.server).toBeDefined();
    const server = result.server!;
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
    expect(server.port).toBeGreaterThan(0);
    expect(out).toContain(`Labwarden is serving at ${server.url}\n`);
    expect(out).toContain(`Inventory: ${join(dir, 'data', 'labwarden.db')}\n`);

    const answer = await httpGet(server.port, '/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(INDEX_HTML);
  });

  it('refuses --port 99999 as a usage error, starting nothing', async () => {
    const { code, err, result } = await run('serve', '--port', '99999');
    expect(code).toBe(2);
    expect(result.server).toBeUndefined();
    expect(err.split('\n')[0]).toBe('labwarden: --port 99999 is not a port number (0–65535)');
    expect(err).toContain(USAGE);
  });

  it('refuses a port that is not a number', async () => {
    const { code, err } = await run('serve', '--port', 'eighty');
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('labwarden: --port eighty is not a port number (0–65535)');
  });

  it('says which port is in use instead of failing obscurely', async () => {
    const first = await run('serve', '--port', '0');
    const port = first.result.server!.port;
    const watch = watchProcessErrors();
    // Bounded wait: a serve that neither starts nor fails within 5 s is reported as hanging.
    let timer: NodeJS.Timeout | undefined;
    const second = await Promise.race([
      run('serve', '--port', String(port)),
      new Promise<'never settled'>((resolve) => (timer = setTimeout(() => resolve('never settled'), 5000))),
    ]);
    clearTimeout(timer);
    watch.stop();
    expect(watch.errors).toEqual([]);
    expect(second).not.toBe('never settled');
    if (second === 'never settled') return;
    expect(second.code).toBe(1);
    expect(second.err).toBe(`labwarden: port ${port} on 127.0.0.1 is in use; pick another with --port\n`);
  });
});

/** Uncaught exceptions and unhandled rejections while a command runs: in the real CLI either one ends the process. */
function watchProcessErrors(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const record = (error: unknown) => errors.push(String((error as Error)?.message ?? error));
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
