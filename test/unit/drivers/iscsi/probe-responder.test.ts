/**
 * The probe against the discovery responder (src-main/simulators/iscsi/) on loopback: the two are written
 * apart, so each checks the other's reading of RFC 7143. Every way a portal can fail maps to one error kind,
 * and no probe leaves a socket open, on either side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { probePortal, probePortals, type ProbeOptions } from '../../../../src-main/drivers/iscsi/probe';
import { startIscsiResponder, type IscsiResponder, type IscsiResponderOptions } from '../../../../src-main/simulators/iscsi';

const open: IscsiResponder[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function responder(options: Partial<IscsiResponderOptions> = {}): Promise<IscsiResponder> {
  const started = await startIscsiResponder({
    targets: [
      { iqn: 'iqn.2024-01.lab.test:dsn1550.heartbeat', alias: 'heartbeat', portals: ['10.10.20.20:3260,1', '10.10.21.20:3260,2'] },
      { iqn: 'iqn.2024-01.lab.test:dsn1550.vmstore' },
    ],
    ...options,
  });
  open.push(started);
  return started;
}

const at = (r: IscsiResponder, extra: Partial<ProbeOptions> = {}): ProbeOptions => ({ host: r.host, port: r.port, responseTimeoutMs: 2_000, ...extra });

/** Both ends closed: the responder has no connection left, and this process holds no more TCP sockets than before. */
async function expectNoSocketsLeft(r: IscsiResponder, tcpBefore: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  while ((r.openConnections() > 0 || tcpSockets() > tcpBefore) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(r.openConnections()).toBe(0);
  expect(tcpSockets()).toBeLessThanOrEqual(tcpBefore);
}
const tcpSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

const CHAP = { user: 'monitor', secret: 'Secret1234567' };

describe('probePortal against the discovery responder', () => {
  it('lists the targets with no authentication, with aliases, given portals and the portal it connected to', async () => {
    const r = await responder();
    const tcpBefore = tcpSockets();
    const result = await probePortal(at(r));
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ ok: true, portal: `127.0.0.1:${r.port}`, authMethod: 'None' });
    expect(result.targets).toEqual([
      {
        iqn: 'iqn.2024-01.lab.test:dsn1550.heartbeat',
        alias: 'heartbeat',
        portals: [
          { address: '10.10.20.20', port: 3260, tpgt: 1 },
          { address: '10.10.21.20', port: 3260, tpgt: 2 },
        ],
      },
      // No portals configured: like tgtd, the address the discovery connection arrived on.
      { iqn: 'iqn.2024-01.lab.test:dsn1550.vmstore', alias: null, portals: [{ address: '127.0.0.1', port: r.port, tpgt: 1 }] },
    ]);
    expect(result.timings.connectMs).not.toBeNull();
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.connectMs!);
    expect(result.timings.textResponses).toBe(1);
    expect(r.stats()).toMatchObject({ discoveryLogins: 1, refusedLogins: 0, textRequests: 1 });
    await expectNoSocketsLeft(r, tcpBefore);
  });

  it('logs in with CHAP when the target requires it', async () => {
    const r = await responder({ chap: CHAP });
    const result = await probePortal(at(r, { chap: CHAP }));
    expect(result.error).toBeNull();
    expect(result.authMethod).toBe('CHAP');
    expect(result.targets).toHaveLength(2);
  });

  it('reports auth-failed with the RFC status for a wrong CHAP secret, and for no credentials at all', async () => {
    const r = await responder({ chap: CHAP });
    const wrong = await probePortal(at(r, { chap: { user: 'monitor', secret: 'NotTheSecret99' } }));
    expect(wrong).toMatchObject({ ok: false, authMethod: 'CHAP', targets: [] });
    expect(wrong.timings.textResponses).toBe(0);
    expect(wrong.error).toMatchObject({ kind: 'auth-failed', statusClass: 2, statusDetail: 1 });
    expect(wrong.error!.message).toBe(`127.0.0.1:${r.port}: iSCSI login rejected: authentication failed (status 0x0201)`);
    expect(wrong.error!.message).not.toContain('NotTheSecret99');
    const none = await probePortal(at(r));
    expect(none.error).toMatchObject({ kind: 'auth-failed', statusClass: 2, statusDetail: 1 });
  });

  it('uses no CHAP when it offers CHAP,None and the target has no account', async () => {
    const r = await responder();
    const result = await probePortal(at(r, { chap: CHAP }));
    expect(result).toMatchObject({ ok: true, authMethod: 'None' });
  });

  it('verifies the target in mutual CHAP, and refuses a target that does not know the target secret', async () => {
    const r = await responder({ chap: { ...CHAP, mutualUser: 'sanside', mutualSecret: 'MutualSecret99' } });
    const good = await probePortal(at(r, { chap: { ...CHAP, targetUser: 'sanside', targetSecret: 'MutualSecret99' } }));
    expect(good.error).toBeNull();
    expect(good.authMethod).toBe('CHAP');
    const badSecret = await probePortal(at(r, { chap: { ...CHAP, targetUser: 'sanside', targetSecret: 'SomethingElse1' } }));
    expect(badSecret.error?.kind).toBe('auth-failed');
    expect(badSecret.error?.message).toMatch(/mutual CHAP failed: the target's answer to the probe's challenge is wrong/);
    expect(badSecret.targets).toEqual([]);
    const badName = await probePortal(at(r, { chap: { ...CHAP, targetUser: 'impostor', targetSecret: 'MutualSecret99' } }));
    expect(badName.error?.message).toMatch(/calls itself "sanside", expected "impostor"/);
  });

  it('insists on CHAP when mutual CHAP is configured: a target offering only None fails', async () => {
    const r = await responder();
    const result = await probePortal(at(r, { chap: { ...CHAP, targetSecret: 'MutualSecret99' } }));
    expect(result.error?.kind).toBe('auth-failed');
  });

  it('refuses to use the same secret both ways (RFC 7143 §12.1.3) before connecting', async () => {
    const result = await probePortal({ host: '127.0.0.1', port: 9, chap: { ...CHAP, targetSecret: CHAP.secret } });
    expect(result.error?.kind).toBe('auth-failed');
    expect(result.timings.connectMs).toBeNull();
  });

  it('reads 60 targets sent over many Text Responses, with C=1 (RFC) and with F=0 only (tgtd)', async () => {
    const targets = Array.from({ length: 60 }, (_, i) => ({ iqn: `iqn.2024-01.lab.test:bulk.lun${String(i).padStart(2, '0')}`, portals: ['198.51.100.10:3260,1'] }));
    for (const textSplit of ['rfc', 'tgtd'] as const) {
      const r = await responder({ targets, textSplit });
      const result = await probePortal(at(r, { maxRecvDataSegmentLength: 512 }));
      expect(result.error).toBeNull();
      expect(result.targets.map((t) => t.iqn)).toEqual(targets.map((t) => t.iqn));
      // Counted by the probe as it read them: the responder cuts its answer into parts of at most 512 bytes.
      const bytes = targets.reduce((n, t) => n + `TargetName=${t.iqn}\0TargetAddress=${t.portals[0]}\0`.length, 0);
      expect(result.timings.textResponses).toBe(Math.ceil(bytes / 512));
      expect(result.targets.every((t) => t.portals.length === 1 && t.portals[0]!.address === '198.51.100.10')).toBe(true);
    }
  });

  it('follows one "target moved" redirect, and refuses a second', async () => {
    const final = await responder();
    const first = await responder({ redirectTo: `127.0.0.1:${final.port},1` });
    const moved = await probePortal(at(first));
    expect(moved.error).toBeNull();
    expect(moved.portal).toBe(`127.0.0.1:${first.port}`);
    expect(moved.targets).toHaveLength(2);
    const loop = await responder({ redirectTo: `127.0.0.1:${first.port}` });
    const twice = await probePortal(at(loop));
    expect(twice.error?.kind).toBe('login-rejected');
    expect(twice.error?.message).toMatch(/redirected again/);
  });

  it.each([
    ['malformed-pdu', 'protocol'],
    ['oversized-pdu', 'too-large'],
    ['close-mid-login', 'closed'],
    ['slow', 'timeout'],
    ['text-loop', 'protocol'],
    ['garbage', 'protocol'],
  ] as const)('fault %s → %s, and no socket left open', async (fault, kind) => {
    const r = await responder();
    r.fault(fault);
    const tcpBefore = tcpSockets();
    const result = await probePortal(at(r, { responseTimeoutMs: 300, maxTextRounds: 20 }));
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe(kind);
    expect(result.error?.message).toContain(`127.0.0.1:${r.port}`);
    await expectNoSocketsLeft(r, tcpBefore);
  });

  it('bounds the total SendTargets answer (maxResponseBytes → too-large)', async () => {
    const targets = Array.from({ length: 60 }, (_, i) => ({ iqn: `iqn.2024-01.lab.test:bulk.lun${i}` }));
    const r = await responder({ targets });
    const result = await probePortal(at(r, { maxResponseBytes: 1000 }));
    expect(result.error?.kind).toBe('too-large');
  });

  it('reports refused for a closed port and unreachable for an unusable host', async () => {
    const r = await responder();
    const port = r.port;
    await r.close();
    open.length = 0;
    const refused = await probePortal({ host: '127.0.0.1', port });
    expect(refused.error?.kind).toBe('refused');
    expect(refused.error?.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}: connection refused`));
    const bad = await probePortal({ host: 'not a host', port: 3260 });
    expect(bad.error?.kind).toBe('unreachable');
    const badPort = await probePortal({ host: '127.0.0.1', port: 70000 });
    expect(badPort.error?.kind).toBe('unreachable');
  });

  it('rejects programming errors (bad limits, initiator name or credentials) with a RangeError', async () => {
    await expect(probePortal({ host: '127.0.0.1', responseTimeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(probePortal({ host: '127.0.0.1', maxRecvDataSegmentLength: 100 })).rejects.toThrow(RangeError);
    await expect(probePortal({ host: '127.0.0.1', initiatorName: 'iqn.bad name' })).rejects.toThrow(RangeError);
    await expect(probePortal({ host: '127.0.0.1', chap: { user: '', secret: 'x' } })).rejects.toThrow(RangeError);
  });

  it('times out on a portal that accepts TCP and never answers, and aborts on the signal', async () => {
    const accepted = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      accepted.add(socket);
      socket.resume(); // read and drop, so the probe's close is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const timedOut = await probePortal({ host: '127.0.0.1', port, responseTimeoutMs: 200 });
      expect(timedOut.error?.kind).toBe('timeout');
      expect(timedOut.error?.message).toMatch(/no answer within 0\.2 s while the probe waited for the answer to the first Login Request/);
      expect(Date.now() - started).toBeLessThan(2_000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const aborted = await probePortal({ host: '127.0.0.1', port, signal: controller.signal });
      expect(aborted.error?.kind).toBe('aborted');
      const already = await probePortal({ host: '127.0.0.1', port, signal: AbortSignal.abort() });
      expect(already.error?.kind).toBe('aborted');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('probePortals keeps input order and runs the probes side by side', async () => {
    const r = await responder();
    r.fault('slow', { delayMs: 5_000 });
    const good = await responder();
    const list: ProbeOptions[] = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? at(r, { responseTimeoutMs: 300 }) : at(good)));
    const started = Date.now();
    const results = await probePortals(list);
    expect(Date.now() - started).toBeLessThan(1_500); // five 300 ms timeouts in parallel, not in a row
    expect(results.map((x) => x.ok)).toEqual(list.map((_, i) => i % 2 === 1));
    expect(results.map((x) => x.portal)).toEqual(list.map((o) => `127.0.0.1:${o.port}`));
  });
});
