/**
 * Scripted misbehaviour, checked from the client's side of a raw socket or fetch: each fault kind breaks
 * exactly the responses it was asked to and the next response is normal again. Plus a live fuzz: mutated
 * requests never take the server down.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { prng } from '../helpers/prng';
import { call, fixture, login, methodCall, mutate, post, readResponse, x, xmlrpc } from './wire';

let sim: XapiSimulator;
let session: string;

beforeAll(async () => {
  sim = await startXapiSimulator({ dump: fixture('boston-db.xml') });
  session = await login(sim.url);
});
afterAll(() => sim.close());

/** Posts with node:http and reports what arrived: status, declared length, bytes received, how it ended. */
function rawPost(path: string, body: string, stopAfterBytes = Infinity) {
  return new Promise<{ status: number; declared: number | null; received: number; ended: 'complete' | 'aborted' | 'error'; head: string }>(
    (resolve) => {
      const req = request({ host: '127.0.0.1', port: sim.port, path, method: 'POST', agent: false, headers: { 'content-type': 'text/xml' } }, (res) => {
        let received = 0;
        let head = '';
        const declared = res.headers['content-length'] === undefined ? null : Number(res.headers['content-length']);
        const finish = (ended: 'complete' | 'aborted' | 'error') => resolve({ status: res.statusCode ?? 0, declared, received, ended, head });
        res.on('data', (chunk: Buffer) => {
          if (head.length < 200) head += chunk.toString('latin1').slice(0, 200 - head.length);
          received += chunk.length;
          if (received >= stopAfterBytes) {
            req.destroy();
            finish('aborted');
          }
        });
        res.on('end', () => finish('complete'));
        res.on('error', () => finish('error'));
        res.on('aborted', () => finish('error'));
      });
      req.on('error', () => resolve({ status: 0, declared: null, received: 0, ended: 'error', head: '' }));
      req.end(body);
    },
  );
}

const getAll = () => methodCall('host.get_all', x.str(session));

describe('faults', () => {
  it('http-500: the next N responses are xapi’s 500 page, then answers are normal again', async () => {
    sim.fault({ kind: 'http-500', count: 2 });
    expect((await post(sim.url, getAll())).status).toBe(500);
    expect((await post(sim.url, getAll())).status).toBe(500);
    expect(readResponse((await post(sim.url, getAll())).body).Status).toBe('Success');
  });

  it('truncate: the full Content-Length is announced, half the body arrives, the connection drops', async () => {
    sim.fault({ kind: 'truncate' });
    const answer = await rawPost('/', getAll());
    expect(answer.status).toBe(200);
    expect(answer.declared).toBeGreaterThan(100);
    expect(answer.received).toBe(Math.floor(answer.declared! / 2));
    expect(answer.ended).toBe('error');
  });

  it('garbage: neither XML nor JSON, under the right content type', async () => {
    sim.fault({ kind: 'garbage', count: 2 });
    const xml = await post(sim.url, getAll());
    expect(xml.contentType).toBe('text/xml');
    expect(() => readResponse(xml.body)).toThrow();
    const json = await post(`${sim.url}/jsonrpc`, JSON.stringify({ jsonrpc: '2.0', method: 'pool.get_all', params: [session], id: 1 }), 'application/json');
    expect(json.contentType).toBe('application/json');
    expect(() => JSON.parse(json.body)).toThrow();
  });

  it('slow: holds the real answer for the given time', async () => {
    sim.fault({ kind: 'slow', delayMs: 300 });
    const started = Date.now();
    const answer = await post(sim.url, getAll());
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(readResponse(answer.body).Status).toBe('Success');
  });

  it('huge: streams a well-formed-looking answer of the asked size and stops when the client hangs up', async () => {
    sim.fault({ kind: 'huge', bytes: 500_000_000 });
    const answer = await rawPost('/', getAll(), 2_000_000);
    expect(answer.declared).toBe(500_000_000);
    expect(answer.ended).toBe('aborted');
    expect(answer.head).toMatch(/^<\?xml version="1.0"\?><methodResponse>/);
    // The server let go: it answers the next call at once.
    expect(readResponse((await post(sim.url, getAll())).body).Status).toBe('Success');
  });

  it('huge with a small size: exactly that many bytes, and still parseable', async () => {
    sim.fault({ kind: 'huge', bytes: 300_007 });
    const answer = await post(sim.url, getAll());
    expect(Buffer.byteLength(answer.body)).toBe(300_007);
    expect((readResponse(answer.body).Value as string[]).length).toBeGreaterThan(1000);
  });

  it('xml-bomb: a billion-laughs DOCTYPE payload', async () => {
    sim.fault({ kind: 'xml-bomb' });
    const answer = await post(sim.url, getAll());
    expect(answer.body).toContain('<!DOCTYPE lolz [');
    expect(answer.body).toContain('<!ENTITY lol9 "&lol8;&lol8;');
    expect(answer.body.length).toBeLessThan(2000);
  });

  it('close: the connection drops without an answer', async () => {
    sim.fault({ kind: 'close' });
    await expect(post(sim.url, getAll())).rejects.toThrow();
  });

  it('deep: 100 000 levels of arrays inside a Success envelope', async () => {
    sim.fault({ kind: 'deep' });
    const answer = await post(sim.url, getAll());
    expect(answer.body.split('<value><array><data>').length - 1).toBe(100_000);
    expect(answer.body.startsWith('<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value>')).toBe(true);
  });

  it('method: only calls of that method misbehave', async () => {
    sim.fault({ kind: 'http-500', method: 'pool.get_all' });
    expect((await post(sim.url, getAll())).status).toBe(200);
    expect((await xmlrpc(sim.url, 'pool.get_all', x.str(session))).status).toBe(500);
    expect((await xmlrpc(sim.url, 'pool.get_all', x.str(session))).status).toBe(200);
  });

  it('counts logins and calls per method', async () => {
    const before = sim.stats();
    await login(sim.url);
    await call(sim.url, 'PIF.get_all_records', x.str(session));
    const after = sim.stats();
    expect(after.logins).toBe(before.logins + 1);
    expect(after.calls['PIF.get_all_records']).toBe((before.calls['PIF.get_all_records'] ?? 0) + 1);
  });
});

describe('a hostile client', () => {
  it('fuzz: mutated XML-RPC and JSON-RPC bodies get a 200 or a 500, and the server keeps answering', async () => {
    const random = prng(31337);
    const seeds = [methodCall('PIF.get_record', x.str(session), x.str('OpaqueRef:x')), getAll()];
    const jsonSeed = JSON.stringify({ jsonrpc: '2.0', method: 'host.get_all', params: [session], id: 1 });
    for (let i = 0; i < 150; i++) {
      const json = random.chance(0.4);
      const body = mutate(random, json ? jsonSeed : random.pick(seeds));
      const answer = await post(json ? `${sim.url}/jsonrpc` : sim.url, body, json ? 'application/json' : 'text/xml');
      expect([200, 500], body).toContain(answer.status);
    }
    expect(readResponse((await post(sim.url, getAll())).body).Status).toBe('Success');
  });

  it('refuses a request body over 1 MiB with a 500 and stays up', async () => {
    const answer = await post(sim.url, methodCall('host.get_all', x.str('a'.repeat(1_100_000)))).catch(() => null);
    if (answer) expect(answer.status).toBe(500);
    expect(readResponse((await post(sim.url, getAll())).body).Status).toBe('Success');
  });
});
