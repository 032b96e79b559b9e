/**
 * readNas against the DSM simulator: what the lab sees of a NAS (identity, LUNs, targets, replication plans),
 * DSM's codes turned into the lab's words (role 1/2 → main/dr, target_type 2/1 → share/lun), the age of the
 * newest good replica (the newest successful finish_time, wherever it sits in the list), the CHAP secrets left
 * behind, and a NAS without Snapshot Replication or without SYNO.DSM.Info read without an error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectDsm, DsmError, type DsmSession } from '../../../../src-main/drivers/synology/client';
import { readNas } from '../../../../src-main/drivers/synology/read';
import {
  DEMO_CHAP,
  DEMO_PLAN_ID,
  DEMO_TARGET_IQN,
  startDsmSimulator,
  type DsmRecord,
  type DsmSimulator,
  type DsmSimulatorOptions,
} from '../../../../src-main/simulators/dsm';

const START = new Date('2025-03-23T12:00:00.000Z');
const START_S = START.getTime() / 1000;
const HOUR = 3600;
const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

const running: { sim: DsmSimulator; session: DsmSession }[] = [];

async function nas(options: DsmSimulatorOptions = {}): Promise<{ sim: DsmSimulator; session: DsmSession }> {
  const sim = await startDsmSimulator({ now: () => START, ...options });
  const session = await connectDsm({ url: sim.url, username: 'monitor', password: 'dsm-password', timeoutMs: 5000 });
  running.push({ sim, session });
  return { sim, session };
}

afterEach(async () => {
  for (const { sim, session } of running.splice(0)) {
    await session.logout();
    await sim.close();
  }
});

function plan(fields: DsmRecord, additional: DsmRecord = {}): DsmRecord {
  return { plan_id: 'p-1', role: 1, target_type: 1, target_name: 'lun-a', status: 1, ...fields, additional };
}

describe('readNas: the default syno-dr', () => {
  it('reads identity, the LUN, the target and the DR-site plan in the lab words', async () => {
    const { session } = await nas();
    const observation = await readNas(session, () => START);
    expect(observation).toEqual({
      observedAt: START.toISOString(),
      model: 'RS2212RP+',
      dsmVersion: 'DSM 7.1.1-42962 Update 6',
      hostname: 'syno-dr',
      luns: [
        {
          name: 'xen-dr',
          uuid: expect.any(String),
          sizeBytes: 1024 ** 4,
          allocatedBytes: 412_316_860_416,
          status: 'normal',
          mapped: true,
          location: '/volume1',
          type: 'BLUN',
        },
      ],
      targets: [
        {
          iqn: DEMO_TARGET_IQN,
          name: 'Target-1',
          status: 'online',
          enabled: true,
          maxSessions: 1,
          mappedLunUuids: [observation.luns[0]!.uuid],
          connectedSessions: [{ iqn: 'iqn.2013-06.lab.demo:xen1', ip: '10.10.10.11' }],
          portals: [{ address: '10.10.10.30', port: 3260 }],
          authType: 'mutual-chap',
        },
      ],
      replication: [
        {
          id: DEMO_PLAN_ID,
          role: 'dr',
          status: 1,
          targetName: 'vm-backups',
          targetType: 'share',
          lastSuccessAt: iso(START_S - 30 * HOUR),
          failCount: 1,
          successCount: 41,
          syncing: false,
          nextSyncAt: expect.any(String),
          lastError: 617,
          enabled: true,
          remoteHost: 'syno-main',
        },
      ],
      replicationAvailable: true,
    });
    expect(Date.parse(observation.replication[0]!.nextSyncAt!)).toBeGreaterThan(START.getTime());
  });

  it('never copies the CHAP user names or secrets, which DSM sends in clear', async () => {
    const { session } = await nas();
    const text = JSON.stringify(await readNas(session));
    for (const secret of Object.values(DEMO_CHAP)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/password|mutual_user|"user"/);
  });

  it('follows the NAS as it changes (a plan that starts syncing, a target that allows more sessions)', async () => {
    const { sim, session } = await nas();
    sim.setPlan(DEMO_PLAN_ID, { additional: { sync_report: { syncing_record: { begin_time: START_S, current_speed: 1000 } } } });
    sim.setTarget(DEMO_TARGET_IQN, { max_sessions: 0, is_enabled: false, status: 'offline' });
    const observation = await readNas(session);
    expect(observation.replication[0]!.syncing).toBe(true);
    expect(observation.targets[0]).toMatchObject({ maxSessions: 0, enabled: false, status: 'offline' });
  });
});

describe('readNas: replication plans', () => {
  it('lastSuccessAt is the newest successful, finished sync, wherever it sits in the list', async () => {
    const records: DsmRecord[] = [
      { finish_time: START_S - 2 * HOUR, is_success: false, is_done: true },
      { finish_time: String(START_S - 5 * HOUR), is_success: true, is_done: true },
      { finish_time: START_S - 50 * HOUR, is_success: true, is_done: true },
      { finish_time: START_S - 1 * HOUR, is_success: true, is_done: false },
      { finish_time: 0, is_success: true, is_done: true },
      { finish_time: 'soon', is_success: true },
    ];
    const { session } = await nas({ plans: [plan({}, { sync_report: { recent_records: records, success_sync_count: 3, fail_sync_count: '1' } })] });
    const [read] = (await readNas(session)).replication;
    expect(read!.lastSuccessAt).toBe(iso(START_S - 5 * HOUR));
    expect(read).toMatchObject({ successCount: 3, failCount: 1 });
  });

  it('no successful sync at all: lastSuccessAt is null', async () => {
    const { session } = await nas({ plans: [plan({}, { sync_report: { recent_records: [{ finish_time: START_S, is_success: false }] } })] });
    expect((await readNas(session)).replication[0]!.lastSuccessAt).toBeNull();
  });

  it('role 1 / target_type 1 is a main site replicating a LUN, its remote host from dr_site_info', async () => {
    const main: DsmRecord = {
      plan_id: 'p-main',
      role: 1,
      role_str: 'mainsite',
      target_type: 1,
      target_id: 'lun-a',
      additional: {
        main_site_info: { hostname: 'here', target_name: 'lun-a', status: 1 },
        dr_site_info: { hostname: 'far-away', target_name: 'lun-a-copy', status: 1 },
        sync_policy: { enabled: false, next_trigger_time: 0 },
        last_op_info: { err_code: 0, is_success: true },
      },
    };
    const odd: DsmRecord = { plan_id: 'p-odd', role: 9, target_type: 7 };
    const { session } = await nas({ plans: [main, odd] });
    const [first, second] = (await readNas(session)).replication;
    expect(first).toMatchObject({ id: 'p-main', role: 'main', targetType: 'lun', targetName: 'lun-a', remoteHost: 'far-away', status: 1, enabled: false, nextSyncAt: null, lastError: null });
    expect(second).toEqual({
      id: 'p-odd',
      role: 'unknown',
      status: null,
      targetName: '',
      targetType: 'unknown',
      lastSuccessAt: null,
      failCount: 0,
      successCount: 0,
      syncing: false,
      nextSyncAt: null,
      lastError: null,
      enabled: false,
      remoteHost: '',
    });
  });

  it('without Snapshot Replication: replicationAvailable false, no plans, no error, no DR call', async () => {
    const { sim, session } = await nas({ drInstalled: false });
    const observation = await readNas(session);
    expect(observation).toMatchObject({ replicationAvailable: false, replication: [] });
    expect(observation.luns).toHaveLength(1);
    expect(Object.keys(sim.stats().calls).some((call) => call.startsWith('SYNO.DR.Plan'))).toBe(false);
  });

  it('listed but gone by the time of the call (102): read as not installed', async () => {
    const { sim, session } = await nas();
    sim.refuse('SYNO.DR.Plan', 102, { count: 1 });
    expect(await readNas(session)).toMatchObject({ replicationAvailable: false, replication: [] });
  });

  it('a DR plan list refused for privilege fails the read with the meaning in the message', async () => {
    const { sim, session } = await nas();
    sim.refuse('SYNO.DR.Plan', 105);
    const error = await readNas(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsmError);
    expect((error as Error).message).toBe('SYNO.DR.Plan list: error 105 (insufficient privilege)');
  });
});

describe('readNas: what a NAS may lack', () => {
  it('no SYNO.DSM.Info nor SYNO.DSM.Network: identity left empty, the rest read', async () => {
    const { session } = await nas({ apis: { 'SYNO.DSM.Info': null, 'SYNO.DSM.Network': null } });
    const observation = await readNas(session);
    expect(observation).toMatchObject({ model: '', dsmVersion: '', hostname: '' });
    expect(observation.targets).toHaveLength(1);
  });

  it('identity refused (105 for a non-administrator): left empty, not an error', async () => {
    const { sim, session } = await nas();
    sim.refuse('SYNO.DSM.Info', 105);
    sim.refuse('SYNO.DSM.Network', 105);
    expect(await readNas(session)).toMatchObject({ model: '', hostname: '', luns: [expect.objectContaining({ name: 'xen-dr' })] });
  });

  it('a user outside the administrators cannot list LUNs: a clear 105', async () => {
    const sim = await startDsmSimulator({ users: { viewer: 'v' }, admins: [] });
    const session = await connectDsm({ url: sim.url, username: 'viewer', password: 'v' });
    running.push({ sim, session });
    await expect(readNas(session)).rejects.toThrow(/^SYNO\.Core\.ISCSI\.LUN list: error 105 \(insufficient privilege\)$/);
  });

  it('a LUN without is_mapped is mapped when a target lists it; thin LUNs keep their own allocated size', async () => {
    const luns: DsmRecord[] = [
      { name: 'a', uuid: 'u-a', size: '2048', type: 263, location: '/volume2' },
      { name: 'b', uuid: 'u-b', size: 4096, allocated_size: 0, type_str: 'FILE', is_mapped: false, status: 'crashed' },
    ];
    const targets: DsmRecord[] = [{ iqn: 'iqn.x:t', name: 't', mapped_luns: [{ lun_uuid: 'u-a', mapping_index: 1 }], max_sessions: '4', auth_type: 0, network_portals: [{ interface_name: 'bond0', port: 3261 }] }];
    const { session } = await nas({ luns, targets });
    const observation = await readNas(session);
    expect(observation.luns).toEqual([
      { name: 'a', uuid: 'u-a', sizeBytes: 2048, allocatedBytes: null, status: 'unknown', mapped: true, location: '/volume2', type: '263' },
      { name: 'b', uuid: 'u-b', sizeBytes: 4096, allocatedBytes: 0, status: 'crashed', mapped: false, location: '', type: 'FILE' },
    ]);
    expect(observation.targets[0]).toMatchObject({ maxSessions: 4, authType: 'none', status: 'unknown', portals: [{ address: 'bond0', port: 3261 }] });
  });
});
