/**
 * The DSM simulator on the wire, spoken to with plain HTTP (no app code): discovery, login, DSM's checks and
 * error codes on HTTP 200, the lists with their `additional` fields and CHAP secrets in clear (as DSM sends
 * them), the scripted side (expiry, plan changes, refusals, faults), and its own bounds. The simulator is
 * hand-made from the field lists in san.md §3, so these tests pin what it promises, not what a NAS does.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHAP, DEMO_PLAN_ID, DEMO_TARGET_IQN, startDsmSimulator, type DsmSimulator } from '../../../src-main/simulators/dsm';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(port: number, cgi: string, params: Record<string, string>, options: { method?: 'GET' | 'POST'; headers?: Record<string, string> } = {}): Promise<Raw> {
  const form = new URLSearchParams(params).toString();
  const method = options.method ?? 'POST';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: method === 'GET' ? `/webapi/${cgi}?${form}` : `/webapi/${cgi}`,
        method,
        agent: false,
        headers: method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded', ...options.headers } : { ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? form : undefined);
  });
}

async function json(port: number, cgi: string, params: Record<string, string>, options?: Parameters<typeof post>[3]): Promise<{ success: boolean; data?: any; error?: { code: number } }> {
  const answer = await post(port, cgi, params, options);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body);
}

async function login(port: number, account = 'monitor', passwd = 'dsm-password'): Promise<string> {
  const answer = await json(port, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login', account, passwd, format: 'sid' });
  expect(answer.success).toBe(true);
  return answer.data.sid as string;
}

let sim: DsmSimulator;
beforeAll(async () => {
  sim = await startDsmSimulator();
});
afterAll(async () => {
  await sim?.close();
});
afterEach(() => sim.clearFaults());

describe('the DSM simulator: discovery and login', () => {
  it('lists its APIs with path and version range on query.cgi, by GET or POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const answer = await json(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' }, { method });
      expect(answer.success).toBe(true);
      expect(answer.data['SYNO.API.Auth']).toEqual({ path: 'entry.cgi', minVersion: 1, maxVersion: 7 });
      expect(Object.keys(answer.data)).toEqual(expect.arrayContaining(['SYNO.Core.ISCSI.LUN', 'SYNO.Core.ISCSI.Target', 'SYNO.DR.Plan', 'SYNO.DSM.Info']));
    }
    const some = await json(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'SYNO.API.Auth,SYNO.DR.Plan' });
    expect(Object.keys(some.data).sort()).toEqual(['SYNO.API.Auth', 'SYNO.DR.Plan']);
  });

  it('logs in on entry.cgi and on the older auth.cgi, and refuses a wrong password with 400', async () => {
    expect(await login(sim.port)).toMatch(/^[\w-]{20,}$/);
    const old = await json(sim.port, 'auth.cgi', { api: 'SYNO.API.Auth', version: '3', method: 'login', account: 'monitor', passwd: 'dsm-password', format: 'sid' });
    expect(old.success).toBe(true);
    const wrong = await json(sim.port, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login', account: 'monitor', passwd: 'nope' });
    expect(wrong).toEqual({ success: false, error: { code: 400 } });
    const nobody = await json(sim.port, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login', account: 'toString', passwd: '' });
    expect(nobody.error?.code).toBe(400);
  });

  it('takes the session as _sid or as the id cookie, and logout ends it', async () => {
    const sid = await login(sim.port);
    const byCookie = await json(sim.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo' }, { headers: { Cookie: `id=${sid}` } });
    expect(byCookie.data.model).toBe('RS2212RP+');
    await json(sim.port, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'logout', _sid: sid });
    const after = await json(sim.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid });
    expect(after.error?.code).toBe(119);
  });
});

describe("the DSM simulator: DSM's checks, as error codes on HTTP 200", () => {
  it('101 without api/method/version, 102 unknown API or wrong CGI, 103 unknown method, 104 version out of range, 119 no session', async () => {
    const sid = await login(sim.port);
    const code = async (params: Record<string, string>, cgi = 'entry.cgi') => (await json(sim.port, cgi, { _sid: sid, ...params })).error?.code;
    expect(await code({ api: 'SYNO.DSM.Info', method: 'getinfo' })).toBe(101);
    expect(await code({ api: 'SYNO.Nothing', version: '1', method: 'list' })).toBe(102);
    expect(await code({ api: 'SYNO.DSM.Info', version: '1', method: 'getinfo' }, 'other.cgi')).toBe(102);
    expect(await code({ api: 'SYNO.DSM.Info', version: '1', method: 'explode' })).toBe(103);
    expect(await code({ api: 'SYNO.Core.ISCSI.LUN', version: '2', method: 'list' })).toBe(104);
    expect(await code({ api: 'SYNO.Core.ISCSI.LUN', version: 'x', method: 'list' })).toBe(104);
    expect((await json(sim.port, 'entry.cgi', { api: 'SYNO.Core.ISCSI.LUN', version: '1', method: 'list' })).error?.code).toBe(119);
  });

  it('answers 105 to a user outside the administrators for the iSCSI and DR APIs, not for DSM.Info', async () => {
    const nas = await startDsmSimulator({ users: { admin: 'a', viewer: 'v' }, admins: ['admin'] });
    try {
      const sid = await login(nas.port, 'viewer', 'v');
      for (const api of ['SYNO.Core.ISCSI.LUN', 'SYNO.Core.ISCSI.Target', 'SYNO.DR.Plan']) {
        expect((await json(nas.port, 'entry.cgi', { api, version: '1', method: 'list', _sid: sid })).error?.code).toBe(105);
      }
      expect((await json(nas.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '1', method: 'getinfo', _sid: sid })).success).toBe(true);
      const adminSid = await login(nas.port, 'admin', 'a');
      expect((await json(nas.port, 'entry.cgi', { api: 'SYNO.DR.Plan', version: '1', method: 'list', _sid: adminSid })).success).toBe(true);
    } finally {
      await nas.close();
    }
  });

  it('without Snapshot Replication, API.Info leaves SYNO.DR.Plan out and a call to it answers 102', async () => {
    const nas = await startDsmSimulator({ drInstalled: false });
    try {
      const info = await json(nas.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' });
      expect(info.data['SYNO.DR.Plan']).toBeUndefined();
      const sid = await login(nas.port);
      expect((await json(nas.port, 'entry.cgi', { api: 'SYNO.DR.Plan', version: '1', method: 'list', _sid: sid })).error?.code).toBe(102);
    } finally {
      await nas.close();
    }
  });
});

describe('the DSM simulator: the default lab data (syno-dr)', () => {
  it('one 1 TiB LUN "xen-dr" on /volume1, its optional fields only when `additional` asks', async () => {
    const sid = await login(sim.port);
    const bare = await json(sim.port, 'entry.cgi', { api: 'SYNO.Core.ISCSI.LUN', version: '1', method: 'list', _sid: sid });
    expect(bare.data.luns).toHaveLength(1);
    expect(bare.data.luns[0]).toMatchObject({ name: 'xen-dr', location: '/volume1', size: 1024 ** 4, type_str: 'BLUN' });
    expect(bare.data.luns[0].status).toBeUndefined();
    const full = await json(sim.port, 'entry.cgi', { api: 'SYNO.Core.ISCSI.LUN', version: '1', method: 'list', additional: '["status","allocated_size","is_mapped"]', _sid: sid });
    expect(full.data.luns[0]).toMatchObject({ status: 'normal', is_mapped: true });
    expect(full.data.luns[0].allocated_size).toBeGreaterThan(0);
  });

  it('one target allowing a single session, with its CHAP secrets in clear as DSM sends them', async () => {
    const sid = await login(sim.port);
    const answer = await json(sim.port, 'entry.cgi', { api: 'SYNO.Core.ISCSI.Target', version: '1', method: 'list', additional: '["mapped_lun","connected_sessions","status"]', _sid: sid });
    const [target] = answer.data.targets;
    expect(target).toMatchObject({ iqn: DEMO_TARGET_IQN, max_sessions: 1, status: 'online', user: DEMO_CHAP.user, password: DEMO_CHAP.password });
    expect(target.mapped_luns).toHaveLength(1);
    expect(target.connected_sessions).toEqual([{ iqn: 'iqn.2013-06.lab.demo:xen1', ip: '10.10.10.11' }]);
  });

  it('one DR-site plan for the share "vm-backups": last good sync 30 h before start, then a failure', async () => {
    const start = new Date('2025-03-23T12:00:00Z');
    const nas = await startDsmSimulator({ now: () => start });
    try {
      const sid = await login(nas.port);
      const answer = await json(nas.port, 'entry.cgi', { api: 'SYNO.DR.Plan', version: '1', method: 'list', additional: '["sync_report","last_op_info"]', _sid: sid });
      const [plan] = answer.data.plans;
      expect(plan).toMatchObject({ plan_id: DEMO_PLAN_ID, role: 2, target_type: 2, target_name: 'vm-backups' });
      expect(Object.keys(plan.additional).sort()).toEqual(['last_op_info', 'sync_report']);
      const records = plan.additional.sync_report.recent_records as { finish_time: number; is_success: boolean }[];
      const good = Math.max(...records.filter((r) => r.is_success).map((r) => r.finish_time));
      expect(start.getTime() / 1000 - good).toBe(30 * 3600);
      expect(records.some((r) => !r.is_success)).toBe(true);
      expect(plan.additional.last_op_info.is_success).toBe(false);
    } finally {
      await nas.close();
    }
  });
});

describe('the DSM simulator: scripting', () => {
  it('expireSessions: the next call with an old sid answers 106 (or the code given); a new login works', async () => {
    const nas = await startDsmSimulator();
    try {
      const sid = await login(nas.port);
      expect(nas.stats().sessions).toBe(1);
      nas.expireSessions();
      expect(nas.stats().sessions).toBe(0);
      expect((await json(nas.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid })).error?.code).toBe(106);
      const next = await login(nas.port);
      nas.expireSessions(119);
      expect((await json(nas.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: next })).error?.code).toBe(119);
    } finally {
      await nas.close();
    }
  });

  it('setPlan merges deeply and replaces lists; an unknown plan is an error', async () => {
    const sid = await login(sim.port);
    sim.setPlan(DEMO_PLAN_ID, { additional: { sync_report: { fail_sync_count: 7, recent_records: [] } } });
    const answer = await json(sim.port, 'entry.cgi', { api: 'SYNO.DR.Plan', version: '1', method: 'list', additional: '["sync_report","sync_policy"]', _sid: sid });
    expect(answer.data.plans[0].additional.sync_report).toMatchObject({ fail_sync_count: 7, recent_records: [], success_sync_count: 41 });
    expect(answer.data.plans[0].additional.sync_policy.enabled).toBe(true);
    expect(() => sim.setPlan('nope', {})).toThrow(/no replication plan nope/);
  });

  it('refuse: an API answers a chosen code, a number of times or until cleared', async () => {
    const sid = await login(sim.port);
    const lunList = { api: 'SYNO.Core.ISCSI.LUN', version: '1', method: 'list', _sid: sid };
    sim.refuse('SYNO.Core.ISCSI.LUN', 18990531, { count: 1 });
    expect((await json(sim.port, 'entry.cgi', lunList)).error?.code).toBe(18990531);
    expect((await json(sim.port, 'entry.cgi', lunList)).success).toBe(true);
    sim.refuse('SYNO.Core.ISCSI.LUN', 105);
    expect((await json(sim.port, 'entry.cgi', lunList)).error?.code).toBe(105);
    expect((await json(sim.port, 'entry.cgi', lunList)).error?.code).toBe(105);
    sim.refuse('SYNO.Core.ISCSI.LUN', null);
    expect((await json(sim.port, 'entry.cgi', lunList)).success).toBe(true);
  });

  it('faults: a 500 page, bytes that are not JSON, an answer cut short', async () => {
    sim.fault('http-500');
    expect((await post(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).status).toBe(500);
    sim.fault('garbage');
    const garbage = await post(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' });
    expect(() => JSON.parse(garbage.body)).toThrow();
    sim.fault('truncate');
    await expect(post(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).rejects.toThrow();
    sim.fault('close');
    await expect(post(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).rejects.toThrow();
    expect((await json(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).success).toBe(true);
  });

  it('a huge answer is streamed and stops when the client leaves', async () => {
    sim.fault('huge', { bytes: 50 * 1024 * 1024 });
    const received = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: sim.port, path: '/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query', agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 1024 * 1024) {
            req.destroy();
            resolve(bytes);
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    expect(received).toBeGreaterThan(1024 * 1024);
    // The server is still answering others.
    expect((await json(sim.port, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).success).toBe(true);
  });
});

describe('the DSM simulator: its own bounds', () => {
  it('refuses a request body over 1 MiB with 413, and anything outside /webapi/ with 404', async () => {
    const big = await post(sim.port, 'entry.cgi', { api: 'SYNO.API.Info', filler: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const elsewhere = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: sim.port, path: '/index.cgi', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(elsewhere).toBe(404);
  });

  it('counts requests, logins and calls, and keeps a log of what was asked where', async () => {
    const nas = await startDsmSimulator();
    try {
      await json(nas.port, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login', account: 'monitor', passwd: 'wrong' });
      const sid = await login(nas.port);
      await json(nas.port, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid });
      const stats = nas.stats();
      expect(stats).toMatchObject({ requests: 3, logins: 1, failedLogins: 1, sessions: 1 });
      expect(stats.calls['SYNO.DSM.Info getinfo']).toBe(1);
      expect(stats.log.at(-1)).toEqual({ httpMethod: 'POST', cgi: 'entry.cgi', api: 'SYNO.DSM.Info', method: 'getinfo', version: '2', code: 0 });
    } finally {
      await nas.close();
    }
  });
});
