/**
 * `labwarden poll snmp://…` against the SNMP responder replaying a real recording: the documented JSON,
 * and clear usage errors for the v3 option.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src-main/shells/cli/commands';
import { parseSnmpTarget } from '../../src-main/shells/cli/poll-snmp';
import { startSnmpResponder } from '../../src-main/simulators/snmp';

let responder: Awaited<ReturnType<typeof startSnmpResponder>>;
beforeAll(async () => {
  responder = await startSnmpResponder({ recordings: { procurve: readFileSync(join(__dirname, '../fixtures/snmp/procurve.snmprec'), 'utf8') } });
});
afterAll(async () => {
  await responder.close();
});

async function poll(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, staticDir: '/nonexistent' };
  const { code } = await runCli(['poll', ...argv], io);
  return { code, out, err };
}

describe('labwarden poll snmp://', () => {
  it('prints the documented document: ports with LAG and VLANs, LAGs, VLANs, neighbours, MAC table', async () => {
    const { code, out, err } = await poll(`snmp://procurve@127.0.0.1:${responder.port}`, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(Object.keys(report)).toEqual(['system', 'ports', 'lags', 'vlans', 'neighbors', 'fdb']);
    expect(report.system).toEqual({ name: '<private>', descr: 'HP Stack, revision KA.00.00.0000', objectId: '1.3.6.1.4.1.11.2.3.7.8.5.2' });
    expect(Object.keys(report.ports[0])).toEqual(['ifIndex', 'name', 'descr', 'alias', 'type', 'adminUp', 'operUp', 'speedMbps', 'mtu', 'mac', 'pvid', 'taggedVlans', 'untaggedVlans', 'lagIfIndex']);
    expect(report.lags).toContainEqual({ ifIndex: 962, name: 'Trk1', memberIfIndexes: [55, 56] });
    expect(report.ports.find((p: { ifIndex: number }) => p.ifIndex === 55)).toMatchObject({ name: 'A1', lagIfIndex: 962, mac: '70:10:6f:8f:78:49' });
    expect(report.vlans).toContainEqual({ id: 1, name: 'default' });
    expect(report.neighbors).toContainEqual(expect.objectContaining({ localIfIndex: 27, remoteSystemName: 'axis' }));
    expect(report.fdb.length).toBeGreaterThan(100);
    for (const entry of report.fdb.slice(0, 20)) expect(entry.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  });

  it('prints a short summary without --json', async () => {
    const { code, out } = await poll(`snmp://procurve@127.0.0.1:${responder.port}`);
    expect(code).toBe(0);
    expect(out).toMatch(/78 ports \(\d+ up\), 29 VLANs, 1 LAGs/);
    expect(out).toContain('Trk1: A1, A2');
  });

  it('a community the agent does not know is a timeout, exit 1, without the community in the message', async () => {
    const { code, err } = await poll(`snmp://guessme@127.0.0.1:${responder.port}`, '--timeout', '1');
    expect(code).toBe(1);
    expect(err).toMatch(/127\.0\.0\.1/);
    expect(err).not.toContain('guessme');
  });

  it('reads the v3 option and refuses what it cannot mean', () => {
    expect(parseSnmpTarget('snmp://10.0.0.2', false, 'user=mon,auth=sha256,authKey=k1k1k1k1,priv=aes,privKey=k2k2k2k2')).toMatchObject({
      host: '10.0.0.2', port: 161, version: 'v3', v3: { user: 'mon', level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes' },
    });
    expect(parseSnmpTarget('snmp://10.0.0.2:1161', true, undefined)).toMatchObject({ version: 'v1', community: 'public', port: 1161 });
    expect(() => parseSnmpTarget('snmp://c@10.0.0.2', false, 'user=mon')).toThrow(/no community/);
    expect(() => parseSnmpTarget('snmp://10.0.0.2', false, 'user=mon,priv=aes,privKey=x')).toThrow(/needs auth/);
    expect(() => parseSnmpTarget('snmp://10.0.0.2', false, 'user=mon,auth=sha9,authKey=x')).toThrow(/one of/);
    expect(() => parseSnmpTarget('snmp://10.0.0.2', true, 'user=mon')).toThrow(/exclude/);
  });
});
