/**
 * DSM's raw list answers → the lab's NasLun / NasTarget / ReplicationPlan (domain/model/nas.ts). Field names
 * and codes from san.md §3.2–3.3. Lenient on each field (numbers as strings, missing fields become "unknown"
 * or null), strict on the shape that carries them: a list that is not a list, or an entry that is not an
 * object, is a malformed answer, never silently dropped.
 *
 * New objects are built field by field and nothing is spread from DSM's records, so what DSM sends beside
 * the fields we read (the target's CHAP `user`, `password`, `mutual_user`, `mutual_password`) is left behind.
 */
import type { NasLun, NasTarget, ReplicationPlan } from '../../domain/model/nas';
import { DsmTransportError } from './errors';

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** No list or entry we keep is larger than this; a NAS has tens of LUNs and targets, not millions. */
const MAX_ENTRIES = 10_000;

/** `data[key]` as a list of records, or a malformed-answer error naming the call. */
export function listOf(data: unknown, key: string, call: string): Raw[] {
  const list = isRecord(data) ? data[key] : undefined;
  if (!Array.isArray(list)) throw new DsmTransportError('malformed', `malformed answer to ${call}: no "${key}" list`);
  if (list.length > MAX_ENTRIES) throw new DsmTransportError('malformed', `malformed answer to ${call}: more than ${MAX_ENTRIES} ${key}`);
  return list.map((entry, index) => {
    if (!isRecord(entry)) throw new DsmTransportError('malformed', `malformed answer to ${call}: ${key}[${index}] is not an object`);
    return entry;
  });
}

/** Text fields: strings as they are (bounded), numbers written out, anything else `fallback`. */
export function text(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value.length > 1024 ? value.slice(0, 1024) : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fallback;
}

/** A non-negative whole number, from a number or a decimal string; null otherwise. */
export function count(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** Any integer (error codes, status codes), from a number or a decimal string; null otherwise. */
function integer(value: unknown): number | null {
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

/** DSM booleans: true/false, and 1/0 or "true"/"yes" from older releases. */
function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true' || value === 'yes') return true;
  if (value === 0 || value === '0' || value === 'false' || value === 'no') return false;
  return null;
}

/** Epoch seconds → ISO; null for 0, negatives, non-numbers and dates no calendar holds. */
export function epochToIso(value: unknown): string | null {
  const seconds = typeof value === 'string' && /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 253_402_300_799) return null;
  return new Date(Math.round(seconds * 1000)).toISOString();
}

export function normalizeLun(raw: Raw, mappedByTargets: ReadonlySet<string>): NasLun {
  const uuid = text(raw.uuid);
  return {
    name: text(raw.name),
    uuid,
    sizeBytes: count(raw.size) ?? 0,
    allocatedBytes: count(raw.allocated_size),
    status: text(raw.status, 'unknown') || 'unknown',
    mapped: flag(raw.is_mapped) ?? mappedByTargets.has(uuid),
    location: text(raw.location),
    // type_str is the name ("BLUN"); type alone is DSM's number for it (263).
    type: text(raw.type_str) || text(raw.type, 'unknown'),
  };
}

/**
 * DSM's auth_type, in our reading (san.md §3.3 names the field only; synology-csi creates targets with 0 for
 * "no CHAP"): 0 none, 1 CHAP, 2 mutual CHAP.
 */
function authTypeOf(value: unknown): string {
  const code = integer(value);
  if (code === 0) return 'none';
  if (code === 1) return 'chap';
  if (code === 2) return 'mutual-chap';
  return code === null ? 'unknown' : String(code);
}

function records(value: unknown): Raw[] {
  return Array.isArray(value) ? value.slice(0, MAX_ENTRIES).filter(isRecord) : [];
}

export function normalizeTarget(raw: Raw): NasTarget {
  return {
    iqn: text(raw.iqn),
    name: text(raw.name),
    status: text(raw.status, 'unknown') || 'unknown',
    enabled: flag(raw.is_enabled) ?? true,
    maxSessions: count(raw.max_sessions),
    mappedLunUuids: records(raw.mapped_luns)
      .map((mapping) => text(mapping.lun_uuid))
      .filter((uuid) => uuid !== ''),
    connectedSessions: records(raw.connected_sessions).map((session) => ({ iqn: text(session.iqn), ip: text(session.ip) })),
    portals: records(raw.network_portals)
      .map((portal) => ({ address: text(portal.ip) || text(portal.interface_name), port: count(portal.port) ?? 3260 }))
      .filter((portal) => portal.address !== '' && portal.port > 0 && portal.port < 65536),
    authType: authTypeOf(raw.auth_type),
  };
}

/** san.md §3.2: role 1 main site, 2 DR site. */
function roleOf(raw: Raw): ReplicationPlan['role'] {
  const role = integer(raw.role);
  if (role === 1 || raw.role_str === 'mainsite') return 'main';
  if (role === 2 || raw.role_str === 'drsite') return 'dr';
  return 'unknown';
}

/** san.md §3.2 (per dsmctl): target_type 2 shared folder, 1 LUN. */
function targetTypeOf(value: unknown): ReplicationPlan['targetType'] {
  const type = integer(value);
  if (type === 2) return 'share';
  if (type === 1) return 'lun';
  return 'unknown';
}

/** The newest finish_time of a successful, finished sync: the age of the newest good replica (san.md §3.2). */
function lastSuccessOf(report: Raw): string | null {
  let newest: number | null = null;
  for (const record of records(report.recent_records)) {
    if (flag(record.is_success) !== true || flag(record.is_done) === false) continue;
    const at = epochToIso(record.finish_time);
    if (at === null) continue;
    const ms = Date.parse(at);
    if (newest === null || ms > newest) newest = ms;
  }
  return newest === null ? null : new Date(newest).toISOString();
}

export function normalizePlan(raw: Raw): ReplicationPlan {
  const additional = isRecord(raw.additional) ? raw.additional : {};
  const report = isRecord(additional.sync_report) ? additional.sync_report : {};
  const policy = isRecord(additional.sync_policy) ? additional.sync_policy : {};
  const lastOp = isRecord(additional.last_op_info) ? additional.last_op_info : {};
  const mainSite = isRecord(additional.main_site_info) ? additional.main_site_info : {};
  const drSite = isRecord(additional.dr_site_info) ? additional.dr_site_info : {};
  const topologyTarget = isRecord(additional.topology) && isRecord(additional.topology.target) ? additional.topology.target : {};
  const role = roleOf(raw);
  const here = role === 'dr' ? drSite : mainSite;
  const remote = role === 'dr' ? mainSite : role === 'main' ? drSite : {};
  const errorCode = integer(lastOp.err_code);
  return {
    id: text(raw.plan_id),
    role,
    status: integer(raw.status) ?? integer(here.status),
    targetName: text(raw.target_name) || text(here.target_name) || text(raw.target_id),
    targetType: targetTypeOf(raw.target_type ?? topologyTarget.target_type),
    lastSuccessAt: lastSuccessOf(report),
    failCount: count(report.fail_sync_count) ?? 0,
    successCount: count(report.success_sync_count) ?? 0,
    syncing: isRecord(report.syncing_record),
    nextSyncAt: epochToIso(policy.next_trigger_time),
    lastError: errorCode !== null && errorCode !== 0 ? errorCode : null,
    enabled: flag(policy.enabled) ?? false,
    remoteHost: text(remote.hostname),
  };
}
