/**
 * The audit end to end through the command line, on a lab of real data: a real xapi dump (XenCenter's
 * cowley1.xml: hosts chester and grimsby, each with bond0 over eth3+eth4 and VLAN 2 on eth2) served by the
 * XAPI simulator on loopback, and a real switch (LibreNMS's recording of a UniFi US-8: port 0/1 trunks VLANs
 * 2,5–12, ports 0/2–0/7 are access ports) replayed by Debian's snmpsim. Which NIC is cabled to which port is
 * DERIVED: the inventory this test writes joins the two (they were never one lab).
 *
 * Faults planted and removed: chester's eth2 (VLAN 2 tagged) cabled to an access port, and its bond members
 * without carrier (as recorded); then the cable moved to the trunk and the carrier brought back in the
 * simulator, and the audit follows — through `labwarden import`, `secret set` and `audit --poll --json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src-main/shells/cli/commands';
import type { AuditDocument, PortsDocument } from '../../src-main/api/contract';
import { startXapiSimulator, type XapiSimulator } from '../../src-main/simulators/xapi';
import { startSnmpsim, snmpsimUnavailable, type Snmpsim } from './helpers/snmpsim';

const FIXTURES = join(__dirname, '../fixtures');
const RECORDING = 'edgeswitch_us-8-v2';
const unavailable = snmpsimUnavailable();
const root = mkdtempSync(join(tmpdir(), 'labwarden-real-lab-'));
const dataDir = join(root, 'data');
let xapi: XapiSimulator;
let snmpsim: Snmpsim;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, staticDir: '/nonexistent' };
  const { code } = await runCli(argv, io);
  return { code, out, err };
}

/** The derived join: cowley1's hosts cabled to the US-8's ports. `eth2Port` is where chester's eth2 goes. */
function inventory(eth2Port: string): string {
  return `format: 1
name: cowley1 on a US-8 (DERIVED join of two real recordings)
vlans:
  - {id: 2, name: vlan2, purpose: vm}
devices:
  - {name: cowley, kind: xen-pool, address: 127.0.0.1, xenapi: {url: "${xapi.url}", username: root}}
  - name: chester
    kind: xen-host
    address: 10.80.227.23
    memberOf: cowley
    ports:
      - {name: eth2, role: vm, taggedVlans: [2]}
      - {name: eth3, role: vm, aggregate: bond0}
      - {name: eth4, role: vm, aggregate: bond0}
  - {name: grimsby, kind: xen-host, address: 10.80.226.1, memberOf: cowley}
  - name: us8
    kind: switch
    address: ${snmpsim.host}
    snmp: {version: v2c, port: ${snmpsim.port}}
    ports:
      - {name: "0/1", role: vm, untaggedVlan: null}
      - {name: "0/2", role: vm}
      - {name: "0/3", role: vm}
      - {name: "0/4", role: vm}
links:
  - {a: {device: chester, port: eth2}, b: {device: us8, port: "${eth2Port}"}}
  - {a: {device: chester, port: eth3}, b: {device: us8, port: "0/3"}}
  - {a: {device: chester, port: eth4}, b: {device: us8, port: "0/4"}}
targets: []
`;
}

async function audited(): Promise<{ code: number; document: AuditDocument; err: string }> {
  const run = await cli('audit', '--poll', '--json', '--timeout', '30', '--data-dir', dataDir);
  expect(run.err).not.toMatch(/^\s+at /m);
  return { code: run.code, document: JSON.parse(run.out) as AuditDocument, err: run.err };
}

describe.skipIf(unavailable !== null)(`the audit of a real dump and a real recording, through the CLI${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    xapi = await startXapiSimulator({ dump: readFileSync(join(FIXTURES, 'xapi/cowley1.xml'), 'utf8'), users: { root: 'cowley-password' } });
    snmpsim = await startSnmpsim({ recordings: { [RECORDING]: readFileSync(join(FIXTURES, `snmp/${RECORDING}.snmprec`), 'utf8') } });
    writeFileSync(join(root, 'lab.yaml'), inventory('0/2'));
    writeFileSync(join(root, 'password'), 'cowley-password\n');
    writeFileSync(join(root, 'community'), `${RECORDING}\n`);
    expect((await cli('import', join(root, 'lab.yaml'), '--data-dir', dataDir)).code).toBe(0);
    expect((await cli('secret', 'set', 'cowley', 'xenapi-password', '--file', join(root, 'password'), '--data-dir', dataDir)).code).toBe(0);
    expect((await cli('secret', 'set', 'us8', 'snmp-community', '--file', join(root, 'community'), '--data-dir', dataDir)).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await xapi?.close();
    await snmpsim?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the planted faults by rule, with the evidence and the cables that give them', async () => {
    const { code, document, err } = await audited();
    expect(code).toBe(0);
    expect(err).toMatch(/polled cowley \(XenAPI\)/);
    expect(err).toMatch(/polled us8 \(SNMP\)/);
    const ids = document.findings.map((f) => f.id);
    // eth2 sends VLAN 2 tagged into 0/2, an access port of the US-8.
    expect(ids).toContain('vlan.missing-on-switch:chester:eth2:2');
    const vlan = document.findings.find((f) => f.id === 'vlan.missing-on-switch:chester:eth2:2')!;
    expect(vlan).toMatchObject({ severity: 'error', devices: ['chester', 'us8'], ports: ['chester:eth2', 'us8:0/2'] });
    expect(vlan.evidence.join('\n')).toMatch(/Q-BRIDGE-MIB: 0\/2 egress none tagged/);
    // As recorded, chester's bond members have no carrier; both are cabled to the one switch.
    expect(ids).toContain('bond.degraded:chester:bond0');
    expect(ids).toContain('spof.shared-switch:chester:bond0');
    // The cables are the inventory's (a real US-8 and a 2010 dump never heard each other's LLDP).
    expect(document.links.find((l) => l.a.device === 'chester' && l.a.port === 'eth2')).toMatchObject({ b: { device: 'us8', port: '0/2' }, source: 'cable' });
    expect(document.summary.errors).toBeGreaterThan(0);
    // --fail-on error: the same answer, exit 3 for cron.
    expect((await cli('audit', '--json', '--fail-on', 'error', '--data-dir', dataDir)).code).toBe(3);
  }, 90_000);

  it('follows the faults away: the cable moved to the trunk, the carrier back', async () => {
    writeFileSync(join(root, 'lab.yaml'), inventory('0/1'));
    expect((await cli('import', join(root, 'lab.yaml'), '--data-dir', dataDir)).code).toBe(0);
    xapi.setCarrier('chester', 'eth3', true);
    xapi.setCarrier('chester', 'eth4', true);
    const { code, document } = await audited();
    expect(code).toBe(0);
    const ids = document.findings.map((f) => f.id);
    expect(ids).not.toContain('vlan.missing-on-switch:chester:eth2:2');
    expect(ids).not.toContain('bond.degraded:chester:bond0');
    // What stays true stays: both members still on one switch (and one PCI device); grimsby's bond (not
    // cabled, not touched) still has no carrier.
    expect(ids).toContain('spof.shared-switch:chester:bond0');
    expect(ids).toContain('bond.degraded:grimsby:bond0');
    expect(ids).toContain('spof.shared-nic-controller:chester:bond0');

    const ports = JSON.parse((await cli('ports', '--json', '--data-dir', dataDir)).out) as PortsDocument;
    const eth2 = ports.ports.find((r) => r.port === 'chester:eth2');
    expect(eth2).toMatchObject({ peer: 'us8:0/1', peerSource: 'cable', vlans: { tagged: [2] } });
    expect(eth2?.peerVlans?.tagged).toContain(2);
  }, 90_000);
});
