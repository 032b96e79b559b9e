/**
 * The simulator over JSON-RPC (v1.0 and v2.0 shapes, as xapi's /jsonrpc answers them), sessions shared
 * with XML-RPC, and a host too old for /jsonrpc, whose answer there is text/xml so clients fall back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { fixture, jsonrpc, login, methodCall, post, readResponse, x } from './wire';

let sim: XapiSimulator;

beforeAll(async () => {
  sim = await startXapiSimulator({ dump: fixture('TampaTwoHostPoolSelectioniSCSI.xml'), users: { root: 'pw' } });
});
afterAll(() => sim.close());

describe('JSON-RPC 2.0', () => {
  it('logs in and answers {"jsonrpc":"2.0","result","id"} as application/json, ints as numbers, bools as true/false', async () => {
    const loggedIn = await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'session.login_with_password', params: ['root', 'pw'], id: 7 });
    expect(loggedIn.contentType).toBe('application/json');
    expect(loggedIn.json).toEqual({ jsonrpc: '2.0', result: expect.stringMatching(/^OpaqueRef:/), id: 7 });
    const pifs = await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'PIF.get_all_records', params: [loggedIn.json.result], id: 8 });
    const records = Object.values(pifs.json.result as Record<string, Record<string, unknown>>);
    expect(records).toHaveLength(4);
    expect(records[0]!.MTU).toBe(1500);
    expect(records[0]!.VLAN).toBe(-1);
    expect(records[0]!.physical).toBe(true);
    expect(pifs.body).toContain('"MTU":1500');
  });

  it('answers an error as {"error":{"code":1,"message":CODE,"data":[params]}} with no result', async () => {
    const answer = await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'host.get_all', params: ['OpaqueRef:bad'], id: 'a' });
    expect(answer.json).toEqual({ jsonrpc: '2.0', error: { code: 1, message: 'SESSION_INVALID', data: ['OpaqueRef:bad'] }, id: 'a' });
  });

  it('sends datetimes as strings and floats as numbers', async () => {
    const session = await login(sim.url, 'root', 'pw');
    const answer = await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'PIF_metrics.get_all_records', params: [session], id: 1 });
    const metrics = Object.values(answer.json.result as Record<string, Record<string, unknown>>)[0]!;
    expect(metrics.last_updated).toMatch(/^\d{8}T\d\d:\d\d:\d\dZ$/);
    expect(metrics.io_read_kbs).toBe(0);
    expect(metrics.speed).toBeTypeOf('number');
  });
});

describe('JSON-RPC 1.0', () => {
  it('answers {"result","error":null,"id"} and errors as an array in "error" with a null result', async () => {
    const ok = await jsonrpc(sim.url, { method: 'session.login_with_password', params: ['root', 'pw'], id: 1 });
    expect(ok.json).toEqual({ result: expect.stringMatching(/^OpaqueRef:/), error: null, id: 1 });
    const failed = await jsonrpc(sim.url, { method: 'session.login_with_password', params: ['root', 'nope'], id: 2 });
    expect(failed.json).toEqual({ result: null, error: ['SESSION_AUTHENTICATION_FAILED', 'root', 'Authentication failure'], id: 2 });
  });

  it('refuses a request without an id (a notification) with xapi’s HTTP 500 page', async () => {
    const answer = await post(`${sim.url}/jsonrpc`, JSON.stringify({ method: 'pool.get_all', params: [] }), 'application/json');
    expect(answer.status).toBe(500);
    expect(answer.contentType).toBe('text/html');
  });
});

describe('sessions across transports', () => {
  it('accepts a session made over XML-RPC on JSON-RPC, and one made over JSON-RPC on XML-RPC', async () => {
    const fromXml = await login(sim.url, 'root', 'pw');
    const pools = await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'pool.get_all', params: [fromXml], id: 1 });
    expect(pools.json.result).toHaveLength(1);
    const fromJson = (await jsonrpc(sim.url, { jsonrpc: '2.0', method: 'session.login_with_password', params: ['root', 'pw'], id: 2 })).json
      .result as string;
    const answer = await post(sim.url, methodCall('pool.get_all', x.str(fromJson)));
    expect(readResponse(answer.body).Status).toBe('Success');
  });
});

describe('a host without the /jsonrpc handler (jsonRpc: false)', () => {
  it('answers a JSON-RPC request on /jsonrpc with text/xml from the legacy /json handler', async () => {
    const old = await startXapiSimulator({ dump: fixture('state4.xml'), jsonRpc: false });
    try {
      const answer = await post(`${old.url}/jsonrpc`, JSON.stringify({ jsonrpc: '2.0', method: 'pool.get_all', params: [], id: 1 }), 'application/json');
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('text/xml');
      expect(readResponse(answer.body).Status).toBe('Failure');
      // The same client then falls back to XML-RPC on /, which works.
      const session = await login(old.url);
      expect(session).toMatch(/^OpaqueRef:/);
    } finally {
      await old.close();
    }
  });
});
