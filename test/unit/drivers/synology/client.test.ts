/**
 * The DSM client against the DSM simulator on 127.0.0.1: discovery first and honoured (each API's path and
 * version from API.Info), login and logout, DSM's refusals as DsmError with their meaning in the message,
 * sessions that expire (one fresh login, one retry, shared by parallel calls), and a password that never
 * appears in an error.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDsm, DsmError, DsmTransportError, meaningOf, type DsmSession } from '../../../../src-main/drivers/synology/client';
import { startDsmSimulator, type DsmSimulator } from '../../../../src-main/simulators/dsm';

const PASSWORD = 'dsm-password';

let sim: DsmSimulator;
const open: DsmSession[] = [];

async function connect(nas: DsmSimulator = sim, password = PASSWORD): Promise<DsmSession> {
  const session = await connectDsm({ url: nas.url, username: 'monitor', password, timeoutMs: 5000 });
  open.push(session);
  return session;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  sim = await startDsmSimulator();
});
afterEach(async () => {
  for (const session of open.splice(0)) await session.logout();
  sim.clearFaults();
});
afterAll(async () => {
  await sim?.close();
});

describe('connectDsm: discovery, login, logout', () => {
  it('asks API.Info first, logs in once, and logout ends the session on the NAS', async () => {
    const nas = await startDsmSimulator();
    try {
      const session = await connectDsm({ url: nas.url, username: 'monitor', password: PASSWORD });
      expect(session.apis.get('SYNO.API.Auth')).toEqual({ path: 'entry.cgi', minVersion: 1, maxVersion: 7 });
      expect(session.fingerprint).toBeNull();
      const log = nas.stats().log;
      expect(log.map((entry) => `${entry.cgi} ${entry.api} ${entry.method}`)).toEqual(['query.cgi SYNO.API.Info query', 'entry.cgi SYNO.API.Auth login']);
      expect(log.every((entry) => entry.httpMethod === 'POST')).toBe(true);
      expect(nas.stats()).toMatchObject({ logins: 1, sessions: 1 });
      await session.logout();
      expect(nas.stats()).toMatchObject({ logouts: 1, sessions: 0 });
      await expect(session.call('SYNO.DSM.Info', 'getinfo')).rejects.toThrow(/logged out/);
      await session.logout(); // twice is fine
    } finally {
      await nas.close();
    }
  });

  it("honours API.Info: each call goes to the API's path, at a version inside its range", async () => {
    const nas = await startDsmSimulator({
      apis: {
        'SYNO.API.Auth': { path: 'auth.cgi', maxVersion: 3 },
        'SYNO.Core.ISCSI.LUN': { path: 'iscsi.cgi' },
        'SYNO.DSM.Info': { maxVersion: 1 },
        'SYNO.DR.Plan': { path: 'dr.cgi', minVersion: 2, maxVersion: 4 },
      },
    });
    try {
      const session = await connectDsm({ url: nas.url, username: 'monitor', password: PASSWORD });
      await session.call('SYNO.Core.ISCSI.LUN', 'list');
      await session.call('SYNO.DSM.Info', 'getinfo');
      await session.call('SYNO.DR.Plan', 'list');
      await session.call('SYNO.DR.Plan', 'list', { version: 4 });
      await session.logout();
      const seen = nas.stats().log.map((entry) => `${entry.cgi} ${entry.api} ${entry.method} v${entry.version} ${entry.code}`);
      expect(seen).toEqual([
        'query.cgi SYNO.API.Info query v1 0',
        'auth.cgi SYNO.API.Auth login v3 0',
        'iscsi.cgi SYNO.Core.ISCSI.LUN list v1 0',
        'entry.cgi SYNO.DSM.Info getinfo v1 0',
        'dr.cgi SYNO.DR.Plan list v2 0',
        'dr.cgi SYNO.DR.Plan list v4 0',
        'auth.cgi SYNO.API.Auth logout v3 0',
      ]);
    } finally {
      await nas.close();
    }
  });

  it('an API that API.Info did not list fails with 102 without a request', async () => {
    const session = await connect();
    const before = sim.stats().requests;
    const error = await failure(session.call('SYNO.Nothing.Here', 'list'));
    expect(error).toBeInstanceOf(DsmError);
    expect(error.message).toBe('SYNO.Nothing.Here list: error 102 (the requested API does not exist)');
    expect(sim.stats().requests).toBe(before);
  });

  it('a wrong password is a clear 400, and the password is in no message', async () => {
    const error = await failure(connect(sim, 'not-the-password'));
    expect(error).toBeInstanceOf(DsmError);
    expect(error).toMatchObject({ code: 400, api: 'SYNO.API.Auth', meaning: 'no such account or incorrect password' });
    expect(error.message).toBe('SYNO.API.Auth login: error 400 (no such account or incorrect password)');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('not-the-password');
  });

  it('other login refusals carry their meaning (401 disabled, 403 two-factor code, 407 blocked)', async () => {
    for (const [code, meaning] of [
      [401, 'disabled account'],
      [403, 'two-factor authentication code required'],
      [407, 'blocked IP source'],
    ] as const) {
      sim.refuse('SYNO.API.Auth', code, { method: 'login', count: 1 });
      const error = await failure(connect());
      expect(error).toMatchObject({ code, meaning });
    }
  });

  it('a login answered by an error page that echoes the request never shows the password', async () => {
    const secret = 'Pa$$w0rd-that-must-not-leak';
    const nas = await startDsmSimulator({ users: { monitor: secret } });
    try {
      nas.fault('http-500', { api: 'SYNO.API.Auth' });
      const page = await failure(connectDsm({ url: nas.url, username: 'monitor', password: secret }));
      expect(page).toBeInstanceOf(DsmTransportError);
      expect(page).toMatchObject({ kind: 'http', httpStatus: 500 });
      nas.fault('garbage', { api: 'SYNO.API.Auth' });
      const garbage = await failure(connectDsm({ url: nas.url, username: 'monitor', password: secret }));
      expect(garbage).toMatchObject({ kind: 'malformed' });
      for (const error of [page, garbage]) {
        for (const form of [secret, encodeURIComponent(secret), 'Pa%24%24w0rd']) expect(`${error.message} ${error.stack}`).not.toContain(form);
      }
    } finally {
      await nas.close();
    }
  });

  it('parameters the client sets itself cannot be overridden', async () => {
    const session = await connect();
    await expect(session.call('SYNO.DSM.Info', 'getinfo', { _sid: 'x' })).rejects.toThrow(TypeError);
    await expect(session.call('SYNO.DSM.Info', 'getinfo', { api: 'SYNO.API.Auth' })).rejects.toThrow(TypeError);
  });
});

describe('an expired session', () => {
  for (const code of [106, 107, 119] as const) {
    it(`${code}: logs in again exactly once and retries the call`, async () => {
      const nas = await startDsmSimulator();
      try {
        const session = await connectDsm({ url: nas.url, username: 'monitor', password: PASSWORD });
        nas.expireSessions(code);
        const info = await session.call<{ model: string }>('SYNO.DSM.Info', 'getinfo');
        expect(info.model).toBe('RS2212RP+');
        expect(nas.stats().logins).toBe(2);
        expect(nas.stats().log.map((entry) => `${entry.api} ${entry.code}`)).toEqual([
          'SYNO.API.Info 0',
          'SYNO.API.Auth 0',
          `SYNO.DSM.Info ${code}`,
          'SYNO.API.Auth 0',
          'SYNO.DSM.Info 0',
        ]);
        await session.logout();
      } finally {
        await nas.close();
      }
    });
  }

  it('parallel calls that all find the session gone share one fresh login', async () => {
    const nas = await startDsmSimulator();
    try {
      const session = await connectDsm({ url: nas.url, username: 'monitor', password: PASSWORD });
      nas.expireSessions();
      const answers = await Promise.all([
        session.call('SYNO.DSM.Info', 'getinfo'),
        session.call('SYNO.Core.ISCSI.LUN', 'list'),
        session.call('SYNO.Core.ISCSI.Target', 'list'),
        session.call('SYNO.DR.Plan', 'list'),
      ]);
      expect(answers).toHaveLength(4);
      expect(nas.stats().logins).toBe(2);
      await session.logout();
    } finally {
      await nas.close();
    }
  });

  it('gone again right after the fresh login is an error, not a loop', async () => {
    const nas = await startDsmSimulator();
    try {
      const session = await connectDsm({ url: nas.url, username: 'monitor', password: PASSWORD });
      nas.refuse('SYNO.Core.ISCSI.LUN', 119, { count: 2 });
      const error = await failure(session.call('SYNO.Core.ISCSI.LUN', 'list'));
      expect(error).toBeInstanceOf(DsmError);
      expect(error.message).toBe('SYNO.Core.ISCSI.LUN list: error 119 (invalid session)');
      expect(nas.stats().logins).toBe(2);
      // The session itself is fine afterwards.
      await expect(session.call('SYNO.Core.ISCSI.LUN', 'list')).resolves.toBeDefined();
      await session.logout();
    } finally {
      await nas.close();
    }
  });

  it('105 (insufficient privilege) is not a session problem: no new login', async () => {
    const session = await connect();
    const logins = sim.stats().logins;
    sim.refuse('SYNO.DR.Plan', 105, { count: 1 });
    const error = await failure(session.call('SYNO.DR.Plan', 'list'));
    expect(error.message).toBe('SYNO.DR.Plan list: error 105 (insufficient privilege)');
    expect(sim.stats().logins).toBe(logins);
  });
});

describe("DSM's error codes carry their meaning", () => {
  const cases: [string, number, string][] = [
    ['SYNO.Core.ISCSI.LUN', 100, 'unknown error'],
    ['SYNO.Core.ISCSI.LUN', 101, 'no parameter of API, method or version'],
    ['SYNO.Core.ISCSI.LUN', 103, 'the requested method does not exist'],
    ['SYNO.Core.ISCSI.LUN', 104, 'the requested version does not support the functionality'],
    ['SYNO.Core.ISCSI.LUN', 105, 'insufficient privilege'],
    ['SYNO.Core.ISCSI.LUN', 114, 'lost parameters for this API'],
    ['SYNO.Core.ISCSI.LUN', 117, 'the network connection is unstable or the system is busy'],
    ['SYNO.Core.ISCSI.LUN', 120, 'invalid parameter'],
    ['SYNO.Core.ISCSI.LUN', 18990531, 'no such LUN'],
    ['SYNO.Core.ISCSI.LUN', 18990002, 'out of free space'],
    ['SYNO.Core.ISCSI.Target', 18990744, 'duplicated target name'],
    ['SYNO.Core.ISCSI.Target', 18990999, 'iSCSI error'],
    ['SYNO.DR.Plan', 400, 'no documented meaning'],
    ['SYNO.DR.Plan', 18990531, 'no documented meaning'],
  ];

  it.each(cases)('%s %i → "%s" in the message', async (api, code, meaning) => {
    const session = await connect();
    sim.refuse(api, code, { count: 1 });
    const error = await failure(session.call(api, 'list'));
    expect(error).toBeInstanceOf(DsmError);
    expect(error).toMatchObject({ code, api, meaning });
    expect(error.message).toBe(`${api} list: error ${code} (${meaning})`);
  });

  it('the login codes 400–411 each have a meaning of their own', () => {
    const meanings = [400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411].map((code) => meaningOf('SYNO.API.Auth', code));
    expect(new Set(meanings).size).toBe(12);
    expect(meanings).not.toContain('no documented meaning');
  });
});
