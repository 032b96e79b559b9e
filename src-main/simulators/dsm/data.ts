/**
 * The DSM simulator's default lab data: the demo lab's Synology "syno-dr" (RackStation RS2212RP+).
 * Hand-made from the field lists in san.md §3, not recorded from a device. Records are kept in DSM's own
 * wire shapes (snake_case, epoch seconds, numeric codes), the CHAP secrets of the target in clear as DSM
 * returns them, so the client has the same work to do as against a real NAS.
 *
 * The story it tells: one 1 TiB thin LUN for XenServer DR storage, one target that allows a single session
 * (so only one pool host can connect), and a Snapshot Replication plan in which this NAS is the DR site for
 * the shared folder "vm-backups". Its last good sync finished 30 h before the simulator started and the
 * last attempt failed, so a 24 h recovery-point objective shows red.
 */

/** A DSM record as it travels: JSON values only. */
export type DsmValue = null | boolean | number | string | DsmValue[] | { [key: string]: DsmValue };
export type DsmRecord = { [key: string]: DsmValue };

export interface DefaultData {
  luns: DsmRecord[];
  targets: DsmRecord[];
  plans: DsmRecord[];
}

const HOUR = 3600;

const DEMO_LUN_UUID = '6d1f7c2a-3b9e-4c55-8a0d-2e4f6a8b9c01';
const MAIN_NODE_ID = '0f6e2d4c-8a1b-4c3d-9e5f-7a6b5c4d3e21';
const DR_NODE_ID = '3a5c7e9b-1d2f-4e6a-8c0b-9d8e7f6a5b43';
export const DEMO_PLAN_ID = 'c4e1b7a2-5d3f-4a9e-b8c6-1f2e3d4c5b6a';
export const DEMO_TARGET_IQN = 'iqn.2000-01.com.synology:syno-dr.Target-1';
/** The demo target's CHAP secrets: DSM sends these in clear; the client must never copy them. */
export const DEMO_CHAP = { user: 'xen-chap', password: 'chap-Secret-4711', mutualUser: 'syno-chap', mutualPassword: 'mutual-Secret-0815' } as const;

/** A snapshot version the way DSM names them, "GMT+00-2025.03.23-15.17.39". */
function snapshotVersion(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return `GMT+00-${iso.slice(0, 10).replace(/-/g, '.')}-${iso.slice(11, 19).replace(/:/g, '.')}`;
}

function syncRecord(finishTime: number, durationSeconds: number, success: boolean, bytes: number): DsmRecord {
  const beginTime = finishTime - durationSeconds;
  return {
    begin_time: beginTime,
    finish_time: finishTime,
    elapsed_time: durationSeconds,
    is_done: true,
    is_stopped: false,
    is_success: success,
    sync_size_byte: success ? bytes : 0,
    data_size_byte: bytes,
    total_size_byte: success ? bytes : 0,
    snapshot_version: success ? snapshotVersion(beginTime) : '',
    main_site: MAIN_NODE_ID,
    dr_site: DR_NODE_ID,
    update_time: finishTime,
  };
}

export function defaultLuns(): DsmRecord[] {
  return [
    {
      name: 'xen-dr',
      uuid: DEMO_LUN_UUID,
      lun_id: 1,
      description: 'XenServer DR storage',
      type: 263,
      type_str: 'BLUN',
      location: '/volume1',
      size: 1024 ** 4,
      allocated_size: 412_316_860_416,
      block_size: 512,
      status: 'normal',
      is_mapped: true,
      flashcache_status: 'no_cache',
      is_action_locked: false,
      dev_attribs: [
        { dev_attrib: 'emulate_tpws', enable: 1 },
        { dev_attrib: 'emulate_caw', enable: 1 },
        { dev_attrib: 'emulate_3pc', enable: 1 },
      ],
      snapshots: [],
    },
  ];
}

export function defaultTargets(): DsmRecord[] {
  return [
    {
      target_id: 1,
      name: 'Target-1',
      iqn: DEMO_TARGET_IQN,
      status: 'online',
      is_enabled: true,
      // One session only: the second XenServer host that tries to log in is turned away.
      max_sessions: 1,
      auth_type: 2,
      user: DEMO_CHAP.user,
      password: DEMO_CHAP.password,
      mutual_user: DEMO_CHAP.mutualUser,
      mutual_password: DEMO_CHAP.mutualPassword,
      has_header_checksum: false,
      has_data_checksum: false,
      max_recv_seg_bytes: 262_144,
      max_send_seg_bytes: 262_144,
      mapped_luns: [{ lun_uuid: DEMO_LUN_UUID, mapping_index: 1 }],
      connected_sessions: [{ iqn: 'iqn.2013-06.lab.demo:xen1', ip: '10.10.10.11' }],
      network_portals: [{ controller_id: 0, interface_name: 'eth0', ip: '10.10.10.30', port: 3260 }],
      acls: [{ iqn: 'iqn.2013-06.lab.demo:xen1', permission: 'rw' }],
    },
  ];
}

/** `nowSeconds`: the simulator's start, epoch seconds. */
export function defaultPlans(nowSeconds: number): DsmRecord[] {
  const lastGood = nowSeconds - 30 * HOUR;
  const lastFailed = nowSeconds - 6 * HOUR;
  const site = (hostname: string, nodeId: string, role: number): DsmRecord => ({
    hostname,
    node_id: nodeId,
    plan_id: DEMO_PLAN_ID,
    role,
    status: 1,
    target_id: 'vm-backups',
    target_name: 'vm-backups',
    op_info: { op_progress: { percentage: -1 }, op_status: 1 },
  });
  return [
    {
      plan_id: DEMO_PLAN_ID,
      role: 2,
      role_str: 'drsite',
      status: 1,
      solution_type: 1,
      sync_mode: 2,
      target_id: 'vm-backups',
      target_name: 'vm-backups',
      target_type: 2,
      main_site: MAIN_NODE_ID,
      dr_site: DR_NODE_ID,
      is_to_local: false,
      additional: {
        sync_policy: {
          enabled: true,
          mode: 2,
          // The next scheduled run, a little after the next full hour.
          next_trigger_time: Math.ceil(nowSeconds / HOUR) * HOUR + 2 * HOUR,
          is_send_encrypted: false,
          is_app_aware: false,
          schedule: { date_type: 0, hour: 1, min: 0, repeat_hour: 0, repeat_min: 0, last_work_hour: 0, week_name: '0,1,2,3,4,5,6' },
        },
        sync_report: {
          success_sync_count: 41,
          fail_sync_count: 1,
          syncing_record: null,
          recent_records: [
            syncRecord(lastGood - 24 * HOUR, 540, true, 9_663_676_416),
            syncRecord(lastGood, 612, true, 11_811_160_064),
            syncRecord(lastFailed, 95, false, 0),
          ],
          total_success_sync_size_byte: 21_474_836_480,
          total_success_sync_time_sec: 1152,
        },
        main_site_info: site('syno-main', MAIN_NODE_ID, 1),
        dr_site_info: site('syno-dr', DR_NODE_ID, 2),
        can_do: { can_sync: false, can_failover: true, can_switchover: false, can_testfailover: true, can_delete: true, can_edit: false },
        op_info: { op_progress: { percentage: -1 }, op_status: 1 },
        // An arbitrary non-zero code: DSM's DR error codes are not documented publicly.
        last_op_info: { err_code: 617, is_success: false, op_status: 16, update_time: lastFailed },
        topology: {
          target: { target_id: 'vm-backups', target_type: 2 },
          links: [{ main_site: MAIN_NODE_ID, dr_site: DR_NODE_ID, plan_id: DEMO_PLAN_ID }],
          sites: [
            { hostname: 'syno-main', node_id: MAIN_NODE_ID, addr: '', status: 1 },
            { hostname: 'syno-dr', node_id: DR_NODE_ID, addr: '', status: 1 },
          ],
        },
        testfailover_info: null,
        retention_lock_report: { first_snapshot: snapshotVersion(lastGood - 24 * HOUR - 540), last_snapshot: snapshotVersion(lastGood - 612), retain_first: false },
      },
    },
  ];
}
