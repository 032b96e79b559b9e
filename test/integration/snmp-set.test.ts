/**
 * The fix SETs against snmpsim's writecache module (reference snmp.md §4b): a copy of the real ProCurve
 * recording whose ifAdminStatus.2, ifAlias.2 and dot1qPvid.2 lines, and a static VLAN 20 (egress + untagged,
 * which the recording lacks), are writable. Each SET is read back by the driver; here each is also read back
 * by a separate GET, and the agent's log shows that egress and untagged went in one PDU.
 * Needs root and snmpsim; skips with the reason otherwise.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAdminStatus, setAlias, setPvid, setVlanPorts } from '../../src-main/drivers/snmp/set';
import { SnmpFailure, type SnmpTarget } from '../../src-main/drivers/snmp/session';
import { snmpsimUnavailable, sortSnmprec, startSnmpsim, type Snmpsim } from './helpers/snmpsim';

const ROOT = resolve(__dirname, '../..');
const ADMIN = '1.3.6.1.2.1.2.2.1.7';
const ALIAS = '1.3.6.1.2.1.31.1.1.1.18';
const PVID = '1.3.6.1.2.1.17.7.1.4.5.1.1';
const EGRESS = '1.3.6.1.2.1.17.7.1.4.3.1.2';
const UNTAGGED = '1.3.6.1.2.1.17.7.1.4.3.1.4';

/** procurve.snmprec with the lines the fixes write turned into writecache ones (and VLAN 20's rows added). */
function writableProcurve(): string {
  const writable = new Map([
    [`${ADMIN}.2`, '2:writecache|value=1'],
    [`${ALIAS}.2`, '4:writecache|value=S:1234'],
  ]);
  const lines = readFileSync(join(ROOT, 'test/fixtures/snmp/procurve.snmprec'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const oid = line.slice(0, line.indexOf('|'));
      return writable.has(oid) ? `${oid}|${writable.get(oid)}` : line;
    });
  expect(lines.filter((l) => l.includes(':writecache'))).toHaveLength(2);
  lines.push(
    // Gauge32 like the MIB; values over 4000 refused with wrongValue, as a switch with fewer VLANs would.
    `${PVID}.2|66:writecache|value=1,vlist=gt:4000:wrongvalue`,
    `${EGRESS}.20|4:writecache|hexvalue=000000000000`,
    `${UNTAGGED}.20|4:writecache|hexvalue=000000000000`,
  );
  return `${sortSnmprec(lines).join('\n')}\n`;
}

const unavailable = snmpsimUnavailable();
if (unavailable !== null) console.warn(`snmp-set.test.ts skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('fix SETs against snmpsim writecache, each read back', () => {
  let sim: Snmpsim;
  let target: SnmpTarget;
  const fast = { readBackAttempts: 2, readBackIntervalMs: 50 };

  /** A plain GET through net-snmp, not through the driver. */
  const read = (oids: string[]) =>
    new Promise<snmp.Varbind[]>((resolveGet, reject) => {
      const session = snmp.createSession(sim.host, 'procurve-rw', { port: sim.port, version: snmp.Version2c, timeout: 2_000 });
      session.get(oids, (error, varbinds) => {
        session.close();
        if (error) reject(error);
        else resolveGet(varbinds!);
      });
    });

  beforeAll(async () => {
    sim = await startSnmpsim({ recordings: { 'procurve-rw': writableProcurve() } });
    target = { host: sim.host, port: sim.port, version: 'v2c', community: 'procurve-rw', timeoutMs: 2_000, retries: 1 };
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it('takes a port down and up again (ifAdminStatus INTEGER 2, then 1)', async () => {
    await setAdminStatus(target, 2, false, fast);
    expect((await read([`${ADMIN}.2`]))[0]).toMatchObject({ type: snmp.ObjectType.Integer, value: 2 });
    await setAdminStatus(target, 2, true, fast);
    expect((await read([`${ADMIN}.2`]))[0]).toMatchObject({ value: 1 });
  });

  it('writes a port description (ifAlias)', async () => {
    await setAlias(target, 2, 'uplink to xen1 eth2', fast);
    expect(String((await read([`${ALIAS}.2`]))[0]!.value)).toBe('uplink to xen1 eth2');
  });

  it('sets the access VLAN as a Gauge32 (dot1qPvid)', async () => {
    await setPvid(target, 2, 20, fast);
    expect((await read([`${PVID}.2`]))[0]).toMatchObject({ type: snmp.ObjectType.Gauge, value: 20 });
  });

  it('sets egress and untagged PortLists of VLAN 20 in one PDU', async () => {
    const egress = Buffer.from('e00000000000', 'hex'); // ports 1–3
    const untagged = Buffer.from('600000000000', 'hex'); // ports 2–3
    await setVlanPorts(target, 20, egress, untagged, fast);
    const [e, u] = await read([`${EGRESS}.20`, `${UNTAGGED}.20`]);
    expect((e!.value as Buffer).toString('hex')).toBe('e00000000000');
    expect((u!.value as Buffer).toString('hex')).toBe('600000000000');
    // snmpsimd logs each request's varbinds on one line: both PortLists arrived in the same SET.
    const setLines = sim.log().split('\n').filter((l) => /Request var-binds/.test(l) && /SET/.test(l));
    expect(setLines.some((l) => l.includes(`${EGRESS}.20=`) && l.includes(`${UNTAGGED}.20=`))).toBe(true);
  });

  it('reports a value the agent refuses (wrongValue) with what was being set', async () => {
    const error = await setPvid(target, 2, 4001, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnmpFailure);
    expect(error).toMatchObject({ kind: 'protocol' });
    expect((error as Error).message).toMatch(/answered wrongValue \(setting dot1qPvid\.2 = 4001\)/);
    expect((await read([`${PVID}.2`]))[0]).toMatchObject({ value: 20 }); // unchanged
  });

  it('reports an object the agent cannot write (snmpsim answers noSuchInstance) instead of claiming success', async () => {
    const error = await setAlias(target, 3, 'nope', fast).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'protocol' });
    expect((error as Error).message).toMatch(/did not take ifAlias\.3 \(it answered noSuchInstance/);
  });

  it('a SET with a community the agent does not know times out, and the message does not name the community', async () => {
    const error = await setAlias({ ...target, community: 'wrong-rw', timeoutMs: 300, retries: 0 }, 2, 'x', fast).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).not.toContain('wrong-rw');
  });

  it('refuses bad input before sending anything', async () => {
    await expect(setPvid(target, 2, 4095)).rejects.toThrow(RangeError);
    await expect(setAdminStatus(target, 0, true)).rejects.toThrow(RangeError);
    await expect(setAlias(target, 2, 'x'.repeat(65))).rejects.toThrow(/at most 64 bytes/);
    await expect(setVlanPorts(target, 20, Buffer.from('80', 'hex'), Buffer.from('40', 'hex'))).rejects.toThrow(/untagged ports must also be egress/);
    await expect(setVlanPorts(target, 20, Buffer.from('8000', 'hex'), Buffer.from('80', 'hex'))).rejects.toThrow(/differ in length/);
  });
});
