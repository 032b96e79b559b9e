/**
 * SYNOLOGY-SYSTEM-MIB, -DISK-MIB, -RAID-MIB and -ISCSILUN-MIB (./synology-lun.ts) → NasHealth, or null when
 * the agent answers none of them (a Synology uses the generic net-snmp Linux sysObjectID, so the MIB
 * answering is the only tell).
 * Status words are the MIB's enumeration labels with a lower-case first letter ('normal', 'crashed',
 * 'degrade', …); a value outside the enumeration reads 'unknown(<n>)', a missing one 'unknown'.
 */
import type { NasHealth } from '../../../domain/model/switches';
import type { Varbind, Walk } from '../varbinds';
import * as O from '../oids';
import { decodeIscsiLuns } from './synology-lun';
import { type Gaps, byNumber, columnByIndex, counter64, int, scalar, text } from './values';

const SYSTEM_STATUS = ['normal', 'failed'];
const DISK_STATUS = ['normal', 'initialized', 'notInitialized', 'systemPartitionFailed', 'crashed'];
const DISK_HEALTH = ['normal', 'warning', 'critical', 'failing'];
/** 1–12 from SYNOLOGY-RAID-MIB; 13–21 from its later revisions (DSM 7; the labels LibreNMS's dsm state table uses). */
const RAID_STATUS = [
  'normal', 'repairing', 'migrating', 'expanding', 'deleting', 'creating', 'raidSyncing',
  'raidParityChecking', 'raidAssembling', 'canceling', 'degrade', 'crashed',
  'dataScrubbing', 'raidDeploying', 'raidUnDeploying', 'raidMountCache', 'raidUnmountCache',
  'raidExpandingUnfinishedSHR', 'raidConvertSHRToPool', 'raidMigrateSHR1ToSHR2', 'raidUnknownStatus',
];

/** The label of a 1-based enumeration value. */
export function label(labels: readonly string[], value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  return labels[value - 1] ?? `unknown(${value})`;
}

export function decodeSynology(walk: Walk, gaps: Gaps): NasHealth | null {
  const scalarInt = (oid: string, name: string): number | null => {
    const vb = scalar(walk, oid);
    if (!vb) return null;
    const n = int(vb);
    if (n === null) gaps.skip(name, 'wrong type', '0');
    return n;
  };
  const scalarText = (oid: string, name: string): string | null => {
    const vb = scalar(walk, oid);
    if (!vb) return null;
    const t = text(vb);
    if (t === null) gaps.skip(name, 'wrong type', '0');
    return t;
  };
  const systemStatus = scalarInt(O.synoSystemStatus, 'systemStatus');
  const temperature = scalarInt(O.synoTemperature, 'temperature');
  const power = scalarInt(O.synoPowerStatus, 'powerStatus');
  const systemFan = scalarInt(O.synoSystemFanStatus, 'systemFanStatus');
  const cpuFan = scalarInt(O.synoCpuFanStatus, 'cpuFanStatus');
  const model = scalarText(O.synoModelName, 'modelName');
  const serial = scalarText(O.synoSerialNumber, 'serialNumber');
  const version = scalarText(O.synoVersion, 'version');

  const col = <T>(oid: string, name: string, read: (vb: Varbind) => T | null) => columnByIndex(walk, oid, gaps, name, read);
  const diskId = col(O.synoDiskID, 'diskID', text);
  const diskModel = col(O.synoDiskModel, 'diskModel', text);
  const diskStatus = col(O.synoDiskStatus, 'diskStatus', int);
  const diskTemp = col(O.synoDiskTemperature, 'diskTemperature', int);
  const diskHealth = col(O.synoDiskHealthStatus, 'diskHealthStatus', int);
  const raidName = col(O.synoRaidName, 'raidName', text);
  const raidStatus = col(O.synoRaidStatus, 'raidStatus', int);
  const raidFree = col(O.synoRaidFreeSize, 'raidFreeSize', counter64);
  const raidTotal = col(O.synoRaidTotalSize, 'raidTotalSize', counter64);

  const diskIndexes = [...new Set([...diskId.keys(), ...diskModel.keys(), ...diskStatus.keys()])].sort(byNumber);
  const raidIndexes = [...new Set([...raidName.keys(), ...raidStatus.keys()])].sort(byNumber);
  const luns = decodeIscsiLuns(walk, gaps);
  const anything =
    [systemStatus, temperature, power, systemFan, cpuFan, model, serial, version].some((v) => v !== null) ||
    diskIndexes.length > 0 ||
    raidIndexes.length > 0 ||
    luns.length > 0;
  if (!anything) return null;

  // One word for both fans: failed if either is, normal when every fan reported is.
  const fans = [systemFan, cpuFan].filter((f): f is number => f !== null);
  return {
    system: label(SYSTEM_STATUS, systemStatus),
    temperatureC: temperature,
    power: label(SYSTEM_STATUS, power),
    fans: fans.length === 0 ? 'unknown' : fans.includes(2) ? 'failed' : fans.every((f) => f === 1) ? 'normal' : `unknown(${fans.find((f) => f !== 1)})`,
    model: (model ?? '').trim(),
    serial: (serial ?? '').trim(),
    version: (version ?? '').trim(),
    disks: diskIndexes.map((i) => ({
      id: (diskId.get(i) ?? '').trim(),
      model: (diskModel.get(i) ?? '').trim(),
      status: label(DISK_STATUS, diskStatus.get(i)),
      health: label(DISK_HEALTH, diskHealth.get(i)),
      temperatureC: diskTemp.get(i) ?? null,
    })),
    raids: raidIndexes.map((i) => ({
      name: (raidName.get(i) ?? '').trim(),
      status: label(RAID_STATUS, raidStatus.get(i)),
      freeBytes: raidFree.get(i) ?? null,
      totalBytes: raidTotal.get(i) ?? null,
    })),
    luns,
  };
}
