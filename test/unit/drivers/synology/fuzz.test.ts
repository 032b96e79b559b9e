/**
 * Seeded fuzz of the DSM answer handling: real answers of the DSM simulator, recorded once, then mutated at
 * random (values swapped for other types, keys dropped, lists emptied or doubled, text cut, bytes flipped,
 * nesting made deep) and fed to the client. Whatever comes back, the client either returns a well-formed
 * observation or throws DsmError / DsmTransportError: never a TypeError, never a hang, never a half-filled
 * object. The same seed gives the same cases, so a failure names its case and reproduces.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDsm, DsmError, DsmTransportError, type DsmApiInfo, type DsmSession } from '../../../../src-main/drivers/synology/client';
import { parseAnswer, parseApiInfo } from '../../../../src-main/drivers/synology/envelope';
import { readNas, type NasObservation } from '../../../../src-main/drivers/synology/read';
import { startDsmSimulator } from '../../../../src-main/simulators/dsm';
import { prng, type Prng } from '../../helpers/prng';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The answers a read sees, by API name, as the simulator sent them. */
const recorded = new Map<string, string>();

beforeAll(async () => {
  const sim = await startDsmSimulator();
  try {
    const record = async (cgi: string, params: Record<string, string>) => {
      const response = await fetch(`${sim.url}/webapi/${cgi}`, { method: 'POST', body: new URLSearchParams(params) });
      recorded.set(params.api!, await response.text());
    };
    await record('query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' });
    await record('entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login', account: 'monitor', passwd: 'dsm-password', format: 'sid' });
    const sid = (JSON.parse(recorded.get('SYNO.API.Auth')!) as { data: { sid: string } }).data.sid;
    await record('entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid });
    await record('entry.cgi', { api: 'SYNO.DSM.Network', version: '1', method: 'list', _sid: sid });
    await record('entry.cgi', { api: 'SYNO.Core.ISCSI.LUN', version: '1', method: 'list', additional: '["allocated_size","status","is_mapped"]', _sid: sid });
    await record('entry.cgi', { api: 'SYNO.Core.ISCSI.Target', version: '1', method: 'list', additional: '["mapped_lun","connected_sessions","status"]', _sid: sid });
    await record('entry.cgi', {
      api: 'SYNO.DR.Plan',
      version: '1',
      method: 'list',
      additional: '["sync_policy","sync_report","main_site_info","dr_site_info","last_op_info","topology"]',
      _sid: sid,
    });
  } finally {
    await sim.close();
  }
  for (const text of recorded.values()) expect(JSON.parse(text)).toMatchObject({ success: true });
});

const ODD_VALUES: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  'x',
  '12',
  '-7',
  '1e3',
  'NaN',
  'ä\u0000\u202e',
  'x'.repeat(5000),
  [],
  [null],
  [1, 'a', {}],
  {},
  { __proto__: 'polluted' } as unknown as Json,
  { code: 119 },
  18990531,
];

/** Every place in the tree a value sits: [parent, key]. */
function places(root: Json): [Json[] | { [key: string]: Json }, string | number][] {
  const found: [Json[] | { [key: string]: Json }, string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) node.forEach((child, index) => (found.push([node, index]), stack.push(child)));
    else if (node !== null && typeof node === 'object') for (const key of Object.keys(node)) found.push([node, key]), stack.push(node[key]!);
  }
  return found;
}

function deepNesting(depth: number): string {
  return '{"success":true,"data":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
}

/** One mutation of one answer: structural (most of the time) or textual. */
function mutate(text: string, random: Prng): string {
  let root: Json | undefined;
  try {
    // Already broken by an earlier mutation, or nested too deep to rebuild here: only textual mutations apply.
    if (!text.includes('[[[[[[[[')) root = JSON.parse(text) as Json;
  } catch {
    root = undefined;
  }
  const kind = random.int(root === undefined ? 6 : 0, 9);
  if (kind <= 5 && root !== undefined) {
    for (let n = random.int(1, 4); n > 0; n--) {
      const all = places(root);
      if (all.length === 0) break;
      const [parent, key] = random.pick(all);
      const action = random.int(0, 4);
      if (Array.isArray(parent)) {
        const index = key as number;
        if (action === 0) parent.splice(index, 1);
        else if (action === 1) parent.push(structuredClone(parent[index]!));
        else parent[index] = structuredClone(random.pick(ODD_VALUES));
      } else {
        const name = key as string;
        if (action === 0) delete parent[name];
        else if (action === 1 && Array.isArray(parent[name])) parent[name] = [];
        else parent[name] = structuredClone(random.pick(ODD_VALUES));
      }
    }
    return JSON.stringify(root);
  }
  if (kind === 6) return text.slice(0, random.int(0, text.length));
  if (kind === 7) {
    const at = random.int(0, text.length - 1);
    return text.slice(0, at) + String.fromCharCode(random.int(0, 255)) + text.slice(at + 1);
  }
  if (kind === 8) return random.pick(['', 'null', '[]', '{}', '{"success":true}', '{"success":false,"error":{}}', '<html>502</html>']);
  return deepNesting(random.int(10, 20_000));
}

/** A session that answers from `answers` without a network, as the real one would after parsing. */
function replaySession(apis: Map<string, DsmApiInfo>, answers: Map<string, string>): DsmSession {
  return {
    apis,
    fingerprint: null,
    logout: async () => undefined,
    call: async <T>(api: string, method: string) => {
      if (!apis.has(api)) throw new DsmError(api, method, 102);
      return parseAnswer(answers.get(api) ?? '{"success":false,"error":{"code":103}}', api, method) as T;
    },
  };
}

const isText = (value: unknown) => typeof value === 'string';
const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isIsoOrNull = (value: unknown) => value === null || (typeof value === 'string' && new Date(value).toISOString() === value);

/** The observation's promises, checked field by field: what the store and the screens rely on. */
function checkObservation(observation: NasObservation): void {
  expect(isIsoOrNull(observation.observedAt) && observation.observedAt !== null).toBe(true);
  expect([observation.model, observation.dsmVersion, observation.hostname].every(isText)).toBe(true);
  expect(typeof observation.replicationAvailable).toBe('boolean');
  for (const lun of observation.luns) {
    expect([lun.name, lun.uuid, lun.status, lun.location, lun.type].every(isText)).toBe(true);
    expect(isCount(lun.sizeBytes) && (lun.allocatedBytes === null || isCount(lun.allocatedBytes)) && typeof lun.mapped === 'boolean').toBe(true);
  }
  for (const target of observation.targets) {
    expect([target.iqn, target.name, target.status, target.authType].every(isText) && typeof target.enabled === 'boolean').toBe(true);
    expect(target.maxSessions === null || isCount(target.maxSessions)).toBe(true);
    expect(target.mappedLunUuids.every(isText)).toBe(true);
    expect(target.connectedSessions.every((s) => isText(s.iqn) && isText(s.ip))).toBe(true);
    expect(target.portals.every((p) => isText(p.address) && isCount(p.port) && p.port < 65536)).toBe(true);
  }
  for (const plan of observation.replication) {
    expect(['main', 'dr', 'unknown']).toContain(plan.role);
    expect(['share', 'lun', 'unknown']).toContain(plan.targetType);
    expect([plan.id, plan.targetName, plan.remoteHost].every(isText)).toBe(true);
    expect(isIsoOrNull(plan.lastSuccessAt) && isIsoOrNull(plan.nextSyncAt)).toBe(true);
    expect(isCount(plan.failCount) && isCount(plan.successCount)).toBe(true);
    expect(plan.status === null || Number.isSafeInteger(plan.status)).toBe(true);
    expect(plan.lastError === null || Number.isSafeInteger(plan.lastError)).toBe(true);
    expect(typeof plan.syncing === 'boolean' && typeof plan.enabled === 'boolean').toBe(true);
  }
}

const typed = (error: unknown) => error instanceof DsmError || error instanceof DsmTransportError;

describe('fuzz: mutated DSM answers, parsed and normalised without a network', () => {
  it('2000 cases (seed 20250323): an observation or a typed error, nothing else', async () => {
    const random = prng(20250323);
    const outcomes = { observations: 0, dsmErrors: 0, transportErrors: 0 };
    const apiNames = [...recorded.keys()].filter((api) => api !== 'SYNO.API.Auth');
    for (let n = 0; n < 2000; n++) {
      const answers = new Map(recorded);
      for (let k = random.int(1, 2); k > 0; k--) {
        const api = random.pick(apiNames);
        answers.set(api, mutate(answers.get(api)!, random));
      }
      let result: NasObservation | unknown;
      try {
        const apis = parseApiInfo(parseAnswer(answers.get('SYNO.API.Info')!, 'SYNO.API.Info', 'query'));
        result = await readNas(replaySession(apis, answers), () => new Date(0));
      } catch (error) {
        if (!typed(error)) throw new Error(`case ${n}: ${String(error)}`, { cause: error });
        if (error instanceof DsmError) outcomes.dsmErrors += 1;
        else outcomes.transportErrors += 1;
        continue;
      }
      checkObservation(result as NasObservation);
      outcomes.observations += 1;
    }
    // The fuzz reaches both sides: some mutations are absorbed, some are refused.
    expect(outcomes.observations).toBeGreaterThan(200);
    expect(outcomes.transportErrors).toBeGreaterThan(100);
    expect(outcomes.dsmErrors).toBeGreaterThan(0);
  });
});

describe('fuzz: mutated DSM answers over HTTP, through connectDsm and readNas', () => {
  let server: http.Server;
  let url = '';
  let nextAnswer: (api: string) => string = (api) => recorded.get(api) ?? '';

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const api = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('api') ?? '';
        const body = nextAnswer(api);
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body, 'latin1') });
        response.end(body, 'latin1');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('150 sessions (seed 4711), each answer mutated with some chance: an observation or a typed error', async () => {
    const random = prng(4711);
    let observations = 0;
    let errors = 0;
    for (let n = 0; n < 150; n++) {
      nextAnswer = (api) => {
        const text = recorded.get(api) ?? '{"success":false,"error":{"code":102}}';
        return random.chance(0.3) ? mutate(text, random) : text;
      };
      let session: DsmSession | null = null;
      try {
        session = await connectDsm({ url, username: 'monitor', password: 'dsm-password', timeoutMs: 3000, maxResponseBytes: 1024 * 1024 });
        checkObservation(await readNas(session));
        observations += 1;
      } catch (error) {
        if (!typed(error)) throw new Error(`case ${n}: ${String(error)}`, { cause: error });
        errors += 1;
      } finally {
        await session?.logout();
      }
    }
    expect(observations).toBeGreaterThan(10);
    expect(errors).toBeGreaterThan(10);
  });
});
