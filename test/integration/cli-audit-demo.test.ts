/**
 * `labwarden audit --demo --json --data-dir DIR`, in-process through runCli: the demo lab's simulators started
 * on loopback, the demo polled once over XenAPI, SNMP, iSCSI discovery and DSM, and the audit document naming
 * the faults the demo was built with, by rule. Then `labwarden ports --json --data-dir DIR` without --poll
 * answers from what the first run stored.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src-main/shells/cli/commands';
import type { AuditDocument, PortsDocument } from '../../src-main/api/contract';

const root = mkdtempSync(join(tmpdir(), 'labwarden-cli-demo-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, staticDir: '/nonexistent' };
  const { code } = await runCli(argv, io);
  return { code, out, err };
}

describe('labwarden audit --demo', () => {
  it('polls the demo once and names its known problems by rule; ports then answers from what it stored', async () => {
    const audit = await cli(['audit', '--demo', '--json', '--data-dir', dataDir]);
    expect(audit.err).not.toMatch(/^\s+at /m);
    expect(audit.code).toBe(0);
    // Progress on stderr: every protocol of the demo answered (a simulator each).
    for (const line of ['hp-pool (XenAPI)', 'sw-a (SNMP)', 'sw-b (SNMP)', 'syno-dr (SNMP)', 'syno-dr (DSM)', 'dlink-san (iSCSI discovery)']) {
      expect(audit.err).toMatch(new RegExp(`^polled ${line.replace(/[()]/g, '\\$&')} \\d+\\.\\d s$`, 'm'));
    }
    expect(audit.err).toMatch(/^Poll round in \d+\.\d s: 6 answered, 0 failed\.$/m);

    const document = JSON.parse(audit.out) as AuditDocument;
    expect(Object.keys(document)).toEqual(expect.arrayContaining(['findings', 'links', 'summary', 'builtAt']));
    const byRule = (rule: string) => document.findings.filter((f) => f.rule === rule);
    expect(byRule('bond.degraded').map((f) => f.id)).toContain('bond.degraded:xen3:bond0');
    expect(byRule('bond.degraded').find((f) => f.id === 'bond.degraded:xen3:bond0')?.devices).toContain('xen3');
    expect(byRule('multipath.disabled').map((f) => f.id)).toContain('multipath.disabled:xen4');
    expect(byRule('spof.management-single-nic').map((f) => f.id)).toEqual(
      expect.arrayContaining(['xen1', 'xen2', 'xen3', 'xen4'].map((h) => `spof.management-single-nic:${h}`)),
    );
    expect(document.summary.errors).toBeGreaterThan(0);
    expect(document.links.length).toBeGreaterThan(0);
    // No secret of the demo (its simulators' passwords) reaches the document.
    expect(audit.out).not.toMatch(/demo-lab-password|demo-dsm-password/);

    const ports = await cli(['ports', '--json', '--data-dir', dataDir]);
    expect(ports.code).toBe(0);
    expect(ports.err).toBe(''); // no poll round this time
    const rows = (JSON.parse(ports.out) as PortsDocument).ports;
    const row = (key: string) => rows.find((r) => r.port === key);
    // What only the stored observations could tell: link state, LLDP peers, the degraded bond's dead member.
    expect(row('xen1:eth1')).toMatchObject({ observed: true, state: 'up', peer: 'sw-a:5', peerSource: 'lldp', bond: 'bond0' });
    expect(row('xen3:eth2')).toMatchObject({ observed: true, state: 'down' });
    expect(row('xen3:eth2')?.findings).toContain('bond.degraded:xen3:bond0');
    expect(row('sw-b:eth1/0/6')?.observed).toBe(true);
  }, 60_000);
});
