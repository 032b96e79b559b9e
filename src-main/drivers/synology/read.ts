/**
 * One read of a NAS: what it is (model, DSM version, host name), its iSCSI LUNs and targets, and its
 * Snapshot Replication plans, as a NasObservation (domain/model/nas.ts). The calls run in parallel on one
 * session. The DR package is optional: without it DSM does not list SYNO.DR.Plan, and the observation says
 * `replicationAvailable: false` rather than failing. Identity is optional too: a NAS that refuses or lacks
 * SYNO.DSM.Info still has LUNs worth showing.
 */
import type { NasObservation } from '../../domain/model/nas';
import { DsmError, type DsmSession } from './client';
import { listOf, normalizeLun, normalizePlan, normalizeTarget, text } from './normalize';

export type { NasLun, NasObservation, NasTarget, ReplicationPlan } from '../../domain/model/nas';

/** Every LUN kind DSM knows (san.md §3.3): without `types` some releases list only some of them. */
const LUN_TYPES = ['BLOCK', 'FILE', 'THIN', 'ADV', 'SINK', 'CINDER', 'CINDER_BLUN', 'CINDER_BLUN_THICK', 'BLUN', 'BLUN_THICK', 'BLUN_SINK', 'BLUN_THICK_SINK'];
const LUN_ADDITIONAL = ['allocated_size', 'status', 'is_mapped'];
const TARGET_ADDITIONAL = ['mapped_lun', 'connected_sessions', 'status'];
const PLAN_ADDITIONAL = ['sync_policy', 'sync_report', 'main_site_info', 'dr_site_info', 'last_op_info', 'topology'];

interface Identity {
  model: string;
  dsmVersion: string;
  hostname: string;
}

export async function readNas(session: DsmSession, now: () => Date = () => new Date()): Promise<NasObservation> {
  // Settled in full, then the first failure in a fixed order: the same NAS gives the same error every time.
  const [lunsRead, targetsRead, replicationRead, identityRead] = await Promise.allSettled([
    session.call<unknown>('SYNO.Core.ISCSI.LUN', 'list', { types: LUN_TYPES, additional: LUN_ADDITIONAL }),
    session.call<unknown>('SYNO.Core.ISCSI.Target', 'list', { additional: TARGET_ADDITIONAL }),
    readReplication(session),
    readIdentity(session),
  ]);
  const luns = settled(lunsRead);
  const targets = settled(targetsRead);
  const replication = settled(replicationRead);
  const identity = settled(identityRead);
  const normalizedTargets = listOf(targets, 'targets', 'SYNO.Core.ISCSI.Target list').map(normalizeTarget);
  const mappedByTargets = new Set(normalizedTargets.flatMap((target) => target.mappedLunUuids));
  return {
    observedAt: now().toISOString(),
    ...identity,
    luns: listOf(luns, 'luns', 'SYNO.Core.ISCSI.LUN list').map((lun) => normalizeLun(lun, mappedByTargets)),
    targets: normalizedTargets,
    replication: replication ? listOf(replication, 'plans', 'SYNO.DR.Plan list').map(normalizePlan) : [],
    replicationAvailable: replication !== null,
  };
}

/** The plan list, or null when the package is absent (not listed, or DSM says the API does not exist). */
async function readReplication(session: DsmSession): Promise<unknown> {
  if (!session.apis.has('SYNO.DR.Plan')) return null;
  try {
    return await session.call<unknown>('SYNO.DR.Plan', 'list', { additional: PLAN_ADDITIONAL });
  } catch (error) {
    // Listed but gone: the package was being uninstalled between discovery and this call.
    if (error instanceof DsmError && error.code === 102) return null;
    throw error;
  }
}

/** Model and version from SYNO.DSM.Info (or SYNO.Core.System), host name from SYNO.DSM.Network; '' where refused. */
async function readIdentity(session: DsmSession): Promise<Identity> {
  const [info, network] = await Promise.all([
    session.apis.has('SYNO.DSM.Info')
      ? optional(session.call<unknown>('SYNO.DSM.Info', 'getinfo'))
      : session.apis.has('SYNO.Core.System')
        ? optional(session.call<unknown>('SYNO.Core.System', 'info'))
        : null,
    session.apis.has('SYNO.DSM.Network') ? optional(session.call<unknown>('SYNO.DSM.Network', 'list')) : null,
  ]);
  const infoData = isRecord(info) ? info : {};
  const networkData = isRecord(network) ? network : {};
  return {
    model: text(infoData.model),
    // DSM.Info says "DSM 7.1.1-42962 Update 6"; Core.System says firmware_ver.
    dsmVersion: text(infoData.version_string) || text(infoData.firmware_ver),
    hostname: text(networkData.hostname) || text(infoData.hostname) || text(infoData.server_name),
  };
}

/** An identity call DSM refuses (105 for a non-admin, say) leaves the field empty; a broken transport still fails the read. */
async function optional(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof DsmError) return null;
    throw error;
  }
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
