/**
 * replication.rpo-exceeded on the demo lab with the Synology's DSM reading (SYNO.DR.Plan) replaced by a
 * hand-made one (`nasReading`: the replica's age is what the test needs), against the default 24 h recovery
 * point. The reading is hand-made, not a recording; the second plan below is DERIVED from it.
 */
import { describe, expect, it } from 'vitest';
import type { NasObservation } from '../../../../src-main/domain/model/nas';
import { audit, demoSnapshot, nasReading } from '../graph/lab-fixtures';
import { cleanProse, findingOf, hoursAgo } from './joined-labs';

const withNas = async (observation: NasObservation | null, recoveryPointHours = 24) =>
  audit(await demoSnapshot({ nases: [{ device: 'syno-dr', observation, status: null, recoveryPointHours }] }));

describe('replication.rpo-exceeded', () => {
  it('flags a replica 30 h old against a 24 h recovery point', async () => {
    const f = findingOf((await withNas(nasReading(hoursAgo(30)))).findings, 'replication.rpo-exceeded:syno-dr');
    expect(f).toMatchObject({ severity: 'warning', devices: ['syno-dr'], ports: [], title: "syno-dr's newest replica is 30 h old, past the 24 h recovery point" });
    expect(f.evidence).toEqual(['syno-dr SYNO.DR.Plan vm-store: last good sync 30 h ago']);
  });

  it('raises nothing for a replica 2 h old, nor for 30 h against a 48 h recovery point', async () => {
    expect((await withNas(nasReading(hoursAgo(2)))).of('replication.rpo-exceeded')).toEqual([]);
    expect((await withNas(nasReading(hoursAgo(30)), 48)).of('replication.rpo-exceeded')).toEqual([]);
  });

  it('flags a NAS that holds no good replica at all as an error', async () => {
    const f = findingOf((await withNas(nasReading(null))).findings, 'replication.rpo-exceeded:syno-dr');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(['syno-dr SYNO.DR.Plan vm-store: last good sync never']);
    const notInstalled = findingOf((await withNas(nasReading(hoursAgo(2), false))).findings, 'replication.rpo-exceeded:syno-dr');
    expect(notInstalled.title).toContain('Snapshot Replication is not installed');
  });

  it('says nothing before the NAS is read', async () => {
    expect((await withNas(null)).of('replication.rpo-exceeded')).toEqual([]);
  });

  it('names the late plan when another plan is fresh, never calling a fresh replica late (DERIVED second plan)', async () => {
    const reading = nasReading(hoursAgo(2));
    reading.replication.push({ ...reading.replication[0]!, id: 'plan-2', targetName: 'ha-heartbeat', lastSuccessAt: hoursAgo(30) });
    const f = findingOf((await withNas(reading)).findings, 'replication.rpo-exceeded:syno-dr');
    expect(f.title).not.toContain('2 h old');
    expect(f.title).toContain('30 h');
    expect(f.title).toContain('ha-heartbeat');
    expect(f.evidence).toEqual(['syno-dr SYNO.DR.Plan vm-store: last good sync 2 h ago', 'syno-dr SYNO.DR.Plan ha-heartbeat: last good sync 30 h ago']);
    expect(cleanProse(f)).toBe(true);

    // A plan that never succeeded beside a fresh one: that plan holds no replica.
    const never = nasReading(hoursAgo(2));
    never.replication.push({ ...never.replication[0]!, id: 'plan-2', targetName: 'ha-heartbeat', lastSuccessAt: null });
    const g = findingOf((await withNas(never)).findings, 'replication.rpo-exceeded:syno-dr');
    expect(g.severity).toBe('error');
    expect(g.title).toContain('ha-heartbeat');
    expect(g.title).not.toContain('2 h old');
  });
});
