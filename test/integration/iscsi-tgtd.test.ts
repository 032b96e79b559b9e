/**
 * The discovery probe against a real iSCSI target: Debian's tgtd, in a network namespace of its own, probed from
 * a second namespace over two veth paths (reference san.md §2). Proves the probe's reading of RFC 7143 against
 * an implementation we did not write, including tgtd's quirks (F=0 without C on long answers, TargetAddress from
 * the connection's own address, a 0x0201 for a discovery login without the CHAP it requires), and what a monitor
 * sees when a path fails: link down, portal deleted, target process frozen.
 * Needs root, ip and tgt; skips with the reason otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ProbeResult } from '../../src-main/drivers/iscsi/probe';
import { startTgtdLab, tgtdLabUnavailable, type TgtdLab } from './helpers/tgtd-lab';

const unavailable = tgtdLabUnavailable();
if (unavailable !== null) console.warn(`iscsi-tgtd.test.ts skipped: ${unavailable}`);

const IQN = 'iqn.2024-01.lab.test:dsn1550';
const MONITOR = { user: 'monitor', secret: 'Secret1234567' };
const SANSIDE = { user: 'sanside', secret: 'MutualSecret99' };

describe.skipIf(unavailable !== null)('the discovery probe against tgtd in network namespaces', () => {
  let lab: TgtdLab;
  const probe = (list: Record<string, unknown>[]) => lab.probe<ProbeResult>(list.map((o) => ({ responseTimeoutMs: 3_000, connectTimeoutMs: 2_000, ...o })));

  beforeAll(async () => {
    lab = await startTgtdLab();
    await lab.newTarget(1, `${IQN}.heartbeat`);
    await lab.newTarget(2, `${IQN}.vmstore`);
  }, 60_000);

  afterAll(async () => {
    const problems = (await lab?.teardown()) ?? [];
    expect(problems).toEqual([]);
  }, 60_000);

  it('lists the targets on both portals, each answering with only its own address (tgtd builds it from getsockname)', async () => {
    const [a, b] = await probe([{ host: lab.portalA }, { host: lab.portalB }]);
    for (const [result, address] of [[a!, lab.portalA], [b!, lab.portalB]] as const) {
      expect(result.error).toBeNull();
      expect(result).toMatchObject({ ok: true, portal: `${address}:3260`, authMethod: 'None' });
      expect(result.timings.textResponses).toBe(1); // two targets fit in one Text Response
      expect(result.targets).toEqual([
        { iqn: `${IQN}.heartbeat`, alias: null, portals: [{ address, port: 3260, tpgt: 1 }] },
        { iqn: `${IQN}.vmstore`, alias: null, portals: [{ address, port: 3260, tpgt: 1 }] },
      ]);
    }
  });

  it('reads 60 targets that tgtd splits over many Text Responses when MaxRecvDataSegmentLength is 512', async () => {
    const bulk = Array.from({ length: 58 }, (_, i) => ({ tid: 100 + i, iqn: `${IQN}.bulk${String(i).padStart(2, '0')}` }));
    try {
      for (const { tid, iqn } of bulk) await lab.newTarget(tid, iqn);
      const [result] = await probe([{ host: lab.portalA, maxRecvDataSegmentLength: 512 }]);
      expect(result!.error).toBeNull();
      expect(result!.targets.map((t) => t.iqn).sort()).toEqual([`${IQN}.heartbeat`, `${IQN}.vmstore`, ...bulk.map((t) => t.iqn)].sort());
      // Counted by the probe as it read them off the wire, not inferred from what it parsed; and no fewer than
      // 512-byte PDUs can carry what it parsed.
      expect(result!.timings.textResponses).toBeGreaterThanOrEqual(2);
      const textBytes = result!.targets.reduce((n, t) => n + `TargetName=${t.iqn}\0TargetAddress=${lab.portalA}:3260,1\0`.length, 0);
      expect(result!.timings.textResponses).toBeGreaterThanOrEqual(Math.ceil(textBytes / 512));
    } finally {
      for (const { tid } of bulk) await lab.deleteTarget(tid);
    }
  }, 30_000);

  it('CHAP on discovery: right secret lists, wrong or missing credentials get 0x0201, mutual CHAP is verified', async () => {
    await lab.tgtadm('--op', 'new', '--mode', 'account', '--user', MONITOR.user, '--password', MONITOR.secret);
    await lab.tgtadm('--op', 'new', '--mode', 'account', '--user', SANSIDE.user, '--password', SANSIDE.secret);
    try {
      await lab.tgtadm('--op', 'bind', '--mode', 'account', '--user', MONITOR.user); // no --tid: the discovery target
      const [right, wrong, none] = await probe([
        { host: lab.portalA, chap: MONITOR },
        { host: lab.portalA, chap: { user: MONITOR.user, secret: 'NotTheSecret1' } },
        { host: lab.portalA },
      ]);
      expect(right!.error).toBeNull();
      expect(right).toMatchObject({ ok: true, authMethod: 'CHAP' });
      expect(right!.targets).toHaveLength(2);
      for (const refused of [wrong!, none!]) {
        expect(refused.error).toMatchObject({ kind: 'auth-failed', statusClass: 2, statusDetail: 1 });
        expect(refused.error!.message).toBe(`${lab.portalA}:3260: iSCSI login rejected: authentication failed (status 0x0201)`);
      }

      await lab.tgtadm('--op', 'bind', '--mode', 'account', '--user', SANSIDE.user, '--outgoing');
      const [mutual, impostor] = await probe([
        { host: lab.portalB, chap: { ...MONITOR, targetUser: SANSIDE.user, targetSecret: SANSIDE.secret } },
        { host: lab.portalB, chap: { ...MONITOR, targetUser: SANSIDE.user, targetSecret: 'NotTheTarget1' } },
      ]);
      expect(mutual!.error).toBeNull();
      expect(mutual!.targets).toHaveLength(2);
      expect(impostor!.error?.kind).toBe('auth-failed');
      expect(impostor!.error?.message).toMatch(/mutual CHAP failed/);
      expect(impostor!.targets).toEqual([]);
    } finally {
      await lab.tgtadm('--op', 'unbind', '--mode', 'account', '--user', SANSIDE.user, '--outgoing').catch(() => {});
      await lab.tgtadm('--op', 'unbind', '--mode', 'account', '--user', MONITOR.user).catch(() => {});
      await lab.tgtadm('--op', 'delete', '--mode', 'account', '--user', SANSIDE.user).catch(() => {});
      await lab.tgtadm('--op', 'delete', '--mode', 'account', '--user', MONITOR.user).catch(() => {});
    }
    const [open] = await probe([{ host: lab.portalA }]);
    expect(open!.ok).toBe(true);
  }, 30_000);

  it('path B down: its link down gives unreachable or timeout, its portal deleted gives refused; path A is unaffected', async () => {
    await lab.ipInSan('link', 'set', lab.sanLinkB, 'down');
    try {
      const [a, b] = await probe([{ host: lab.portalA }, { host: lab.portalB, connectTimeoutMs: 1_500 }]);
      expect(a!.ok).toBe(true);
      expect(['unreachable', 'timeout']).toContain(b!.error?.kind);
      expect(b!.timings.connectMs).toBeNull();
    } finally {
      await lab.ipInSan('link', 'set', lab.sanLinkB, 'up');
    }

    await lab.tgtadm('--op', 'delete', '--mode', 'portal', '--param', `portal=${lab.portalB}:3260`);
    try {
      const [b] = await probe([{ host: lab.portalB }]);
      expect(b!.error?.kind).toBe('refused');
      expect(b!.error?.message).toMatch(new RegExp(`^${lab.portalB.replaceAll('.', '\\.')}:3260: connection refused`));
    } finally {
      await lab.tgtadm('--op', 'new', '--mode', 'portal', '--param', `portal=${lab.portalB}:3260`);
    }
    const [back] = await probe([{ host: lab.portalB }]);
    expect(back!.error).toBeNull();
  }, 30_000);

  it('a frozen tgtd (SIGSTOP: TCP still accepted by the kernel, no iSCSI answer) gives timeout on both paths', async () => {
    const pid = lab.tgtdPid();
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('tgtd'); // ip netns exec execs tgtd in place
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const results = await probe([
        { host: lab.portalA, responseTimeoutMs: 800 },
        { host: lab.portalB, responseTimeoutMs: 800 },
      ]);
      for (const result of results) {
        expect(result.error?.kind).toBe('timeout');
        expect(result.timings.connectMs).not.toBeNull();
      }
      expect(Date.now() - started).toBeLessThan(5_000); // both in parallel, plus the child's start-up
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const [again] = await probe([{ host: lab.portalA }]);
    expect(again!.ok).toBe(true);
  }, 30_000);
});
