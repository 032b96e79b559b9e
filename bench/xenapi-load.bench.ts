/**
 * Loading a pool, cold: a fresh login, every class read with get_all_records, decoded and normalised into
 * the PoolObservation. Measured against the floor of merely parsing the very same response bytes with the
 * same parser (saxes for XML-RPC, JSON.parse for JSON-RPC), in the same run, for the largest real dump the
 * XAPI simulator serves. Parsing bytes includes turning them into the text the parser reads (both parsers
 * read strings, and on this machine that decoding costs as much as JSON.parse itself); the ratio to the
 * parse of ready-made text is printed beside it. Prints figures; asserts nothing about speed.
 */
import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startXapiSimulator } from '../src-main/simulators/xapi';
import { pollPoolOnce } from '../src-main/collect/poll-once';
import { encodeMethodCall } from '../src-main/drivers/xenapi/xml-value';
import { POOL_CLASSES } from '../src-main/drivers/xenapi/records';

const DUMP = 'cowley1.xml'; // the largest of test/fixtures/xapi/
const USER = 'root';
const PASSWORD = 'bench';
const RUNS = 30;
const SCALE = 40;

async function post(url: string, path: string, type: string, body: string): Promise<string> {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': type }, body });
  return response.text();
}

type Protocol = 'xml-rpc' | 'json-rpc';

/**
 * Every answer one load receives, by method, captured raw from the simulator. A replay server then serves
 * exactly these bytes, so the simulator's own encoding (in this same process) is not counted as ours.
 */
async function capture(url: string, protocol: Protocol): Promise<Map<string, string>> {
  const call = (method: string, params: unknown[]) =>
    protocol === 'xml-rpc'
      ? post(url, '/', 'text/xml', encodeMethodCall(method, params as never))
      : post(url, '/jsonrpc', 'application/json', JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }));
  const bodies = new Map<string, string>();
  const login = await call('session.login_with_password', [USER, PASSWORD]);
  bodies.set('session.login_with_password', login);
  const session = /OpaqueRef:[0-9a-f-]+/.exec(login)![0];
  const pools = await call('pool.get_all', [session]);
  bodies.set('pool.get_all', pools);
  const pool = /OpaqueRef:[0-9a-f-]+/.exec(pools)![0];
  bodies.set('event.inject', await call('event.inject', [session, 'pool', pool]));
  for (const cls of POOL_CLASSES) bodies.set(`${cls}.get_all_records`, await call(`${cls}.get_all_records`, [session]));
  bodies.set('session.logout', await call('session.logout', [session]));
  return bodies;
}

/**
 * The replay server runs in its own process (plain Node, no TypeScript), so the CPU measured in this one is
 * the client's alone: connections, HTTP, decoding, normalising.
 */
const REPLAY_SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const [file, protocol] = process.argv.slice(1);
const bodies = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8'))));
const type = protocol === 'xml-rpc' ? 'text/xml' : 'application/json';
const pattern = protocol === 'xml-rpc' ? /<methodName>([^<]+)</ : /"method":"([^"]+)"/;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = bodies.get((pattern.exec(Buffer.concat(chunks).toString()) || [])[1] || '');
    if (body === undefined) return void res.writeHead(404).end('not recorded');
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function replayServer(bodies: Map<string, string>, protocol: Protocol): Promise<{ url: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'labwarden-bench-'));
  const file = join(dir, 'bodies.json');
  writeFileSync(file, JSON.stringify(Object.fromEntries(bodies)));
  const child = spawn(process.execPath, ['-e', REPLAY_SERVER, file, protocol], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the replay server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tables a pool load reads whose rows the scale-up clones (the pool row itself stays one). */
const CLONED = ['host', 'host_metrics', 'PIF', 'PIF_metrics', 'Bond', 'VLAN', 'network', 'SR', 'PBD'];

/**
 * A hand-made scale-up of a real dump, for per-object figures that fixed costs (login, 15 round trips) do not
 * swamp: every row of the cloned tables is copied `times` times, each copy's refs, uuids and host names
 * rewritten so every copy is a self-consistent set of hosts with their NICs, bonds, VLANs and storage.
 */
function scaleUp(xml: string, times: number): string {
  return xml.replace(/<table name="([^"]+)">([\s\S]*?)<\/table>/g, (whole, name: string, body: string) => {
    if (!CLONED.includes(name)) return whole;
    const copies = [body];
    for (let k = 1; k < times; k++) {
      const tag = k.toString(16).padStart(4, '0');
      copies.push(
        body
          .replace(/OpaqueRef:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{4}/g, `OpaqueRef:$1${tag}`)
          .replace(/uuid="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{4}/g, `uuid="$1${tag}`)
          .replace(/name__label="([^"]*)"/g, name === 'host' ? `name__label="$1-${k}"` : 'name__label="$1"'),
      );
    }
    return `<table name="${name}">${copies.join('')}</table>`;
  });
}

function parseXml(bodies: string[]): void {
  for (const body of bodies) {
    const parser = new SaxesParser();
    parser.on('error', (error) => {
      throw error;
    });
    parser.write(body).close();
  }
}

function best(values: number[]): number {
  return Math.min(...values);
}

async function time(work: () => unknown | Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

test(`load and normalise ${DUMP} from the XAPI simulator, cold, against parsing the same bytes`, async () => {
  const real = readFileSync(join(__dirname, '../test/fixtures/xapi', DUMP), 'utf8');
  const lines: string[] = [];
  // The real dump's figures per protocol, so the scale-up can be shown per added object too: what the
  // extra objects cost beyond the real load, against what parsing their extra bytes costs.
  const baseline = new Map<Protocol, { load: number; cpu: number; floor: number; objects: number }>();
  for (const [label, dump] of [[DUMP, real], [`${DUMP} ×${SCALE} (hand-made scale-up)`, scaleUp(real, SCALE)]] as const)
  for (const protocol of ['xml-rpc', 'json-rpc'] as const) {
    const sim = await startXapiSimulator({ dump, users: { [USER]: PASSWORD }, jsonRpc: protocol === 'json-rpc' });
    const objects = POOL_CLASSES.reduce((n, cls) => n + sim.records(cls).length, 0);
    const bodies = [...(await capture(sim.url, protocol)).values()];
    const bodyBytes = bodies.map((body) => Buffer.from(body, 'utf8'));
    const replay = await replayServer(await capture(sim.url, protocol), protocol);
    await sim.close();
    try {
      const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
      const parse = protocol === 'xml-rpc' ? () => parseXml(bodies) : () => bodies.forEach((b) => JSON.parse(b));
      const decodeAndParse =
        protocol === 'xml-rpc'
          ? () => parseXml(bodyBytes.map((b) => b.toString('utf8')))
          : () => bodyBytes.forEach((b) => JSON.parse(b.toString('utf8')));
      const floors: number[] = [];
      const textFloors: number[] = [];
      const loads: number[] = [];
      const cpus: number[] = [];
      // Interleaved, so a slow moment of the machine hits both alike. Every load is cold: a new client,
      // new connections, a new login.
      for (let i = 0; i < RUNS; i++) {
        floors.push(await time(decodeAndParse));
        textFloors.push(await time(parse));
        const cpu = process.cpuUsage();
        loads.push(
          await time(async () => {
            const result = await pollPoolOnce({ url: replay.url, username: USER, password: PASSWORD, fingerprint: null, transport: protocol });
            if (result.transport !== protocol) throw new Error(`expected ${protocol}, got ${result.transport}`);
          }),
        );
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1000);
      }
      const floor = best(floors);
      const textFloor = best(textFloors);
      const load = best(loads);
      const cpu = best(cpus);
      const per = (ms: number) => ((ms / objects) * 1000).toFixed(1);
      const base = baseline.get(protocol);
      if (!base) baseline.set(protocol, { load, cpu, floor, objects });
      lines.push(
        `${label}, ${protocol}: ${objects} objects in ${(bytes / 1024).toFixed(0)} KiB over ${bodies.length} answers, best of ${RUNS}`,
        `  bytes to text and parse (floor): ${floor.toFixed(2)} ms = ${per(floor)} ms per 1,000 objects (parsing ready-made text alone: ${textFloor.toFixed(2)} ms)`,
        `  cold load + normalise, wall:     ${load.toFixed(2)} ms = ${per(load)} ms per 1,000 objects = ${(load / floor).toFixed(2)}× the floor (${(load / textFloor).toFixed(2)}× parsing text alone)`,
        `  cold load + normalise, CPU:      ${cpu.toFixed(2)} ms = ${(cpu / floor).toFixed(2)}× the floor (${(cpu / textFloor).toFixed(2)}× parsing text alone; the client only, the replay server runs in its own process)`,
      );
      if (base) {
        // The fixed part of a load (login, 15 round trips, connections) cancels out: this is the cost per object.
        const added = objects - base.objects;
        const floorAdded = floor - base.floor;
        lines.push(
          `  per added object (×${SCALE} minus the real dump, ${added} objects): load ${(load - base.load).toFixed(2)} ms wall, ${(cpu - base.cpu).toFixed(2)} ms CPU, against ${floorAdded.toFixed(2)} ms more parsing = ${((load - base.load) / floorAdded).toFixed(2)}× wall, ${((cpu - base.cpu) / floorAdded).toFixed(2)}× CPU`,
        );
      }
    } finally {
      await replay.close();
    }
  }
  console.log(lines.join('\n'));
}, 120_000);
