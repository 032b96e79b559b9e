/**
 * The SNMP poller as the app runs it (openLab with collectors on): devices in the inventory polled from the
 * built-in responder replaying real recordings, each with its own status; a device that does not answer
 * never holds up another; the last good view survives a restart.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLab, type OpenLab } from '../../src-main/shells/common/open-lab';
import { dispatch } from '../../src-main/api/dispatch';
import type { MethodName } from '../../src-main/api/method-names';
import type { Args, Results, SnmpDeviceView } from '../../src-main/api/contract';
import { startSnmpResponder } from '../../src-main/simulators/snmp';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/snmp', name), 'utf8');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function lab(dataDir?: string, options: { demoPeers?: boolean; collect?: boolean } = {}): { lab: OpenLab; dataDir: string } {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'labwarden-snmp-'));
  if (!dataDir) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const opened = openLab({ dataDir: dir, mode: 'serve', collect: options.collect ?? true, ...(options.demoPeers ? { demoPeers: true } : {}) });
  cleanups.push(() => opened.close());
  return { lab: opened, dataDir: dir };
}

async function call<M extends MethodName>(l: OpenLab, method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await dispatch(l.handlers, method, args);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { body: envelope.error });
  return envelope.result as Results[M];
}

async function until(l: OpenLab, id: number, ok: (v: SnmpDeviceView) => boolean, what: string, ms = 10_000): Promise<SnmpDeviceView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const view = await call(l, 'snmp.device', id);
    if (ok(view)) return view;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(view.status)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('polling switches from the inventory', () => {
  it('reads a recorded ProCurve with its LAG, and a wrong community fails alone without holding up the other', async () => {
    const responder = await startSnmpResponder({ recordings: { procurve: fixture('procurve.snmprec') } });
    cleanups.push(() => responder.close());
    const { lab: l } = lab();
    const good = await call(l, 'devices.create', {
      name: 'sw-a', kind: 'switch', address: '127.0.0.1',
      snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'procurve' },
    });
    const bad = await call(l, 'devices.create', {
      name: 'sw-b', kind: 'switch', address: '127.0.0.1',
      snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'not-a-community' },
    });
    const view = await until(l, good.id, (v) => v.status.state === 'ok', 'sw-a polled');
    expect(view.ports).toBeGreaterThan(50);
    const trk = view.view!.lags.find((lag) => lag.name === 'Trk1')!;
    expect(trk.memberIfIndexes.length).toBe(2);
    const member = view.view!.ports.find((p) => p.ifIndex === trk.memberIfIndexes[0])!;
    expect(member.lagName).toBe('Trk1');
    expect(view.view!.vlans.length).toBeGreaterThan(10);

    const failed = await until(l, bad.id, (v) => v.status.state === 'unreachable', 'sw-b failing', 15_000);
    expect(failed.status.message).toMatch(/wrong community|no answer/);
    expect(failed.status.message).not.toContain('not-a-community');
    // The good one kept polling meanwhile.
    expect((await call(l, 'snmp.device', good.id)).status.state).toBe('ok');
    expect((await call(l, 'snmp.list')).map((d) => d.name).sort()).toEqual(['sw-a', 'sw-b']);
  });

  it('keeps the last good view across a restart, with its time', async () => {
    const responder = await startSnmpResponder({ recordings: { tplink: fixture('tplink_sg2008.snmprec') } });
    cleanups.push(() => responder.close());
    const first = lab();
    const sw = await call(first.lab, 'devices.create', {
      name: 'tp', kind: 'switch', address: '127.0.0.1', snmp: { version: 'v2c', port: responder.port }, secrets: { 'snmp-community': 'tplink' },
    });
    const seen = await until(first.lab, sw.id, (v) => v.status.state === 'ok', 'polled');
    await first.lab.close();
    const again = lab(first.dataDir, { collect: false });
    const view = await call(again.lab, 'snmp.device', sw.id);
    expect(view.status).toMatchObject({ state: 'idle', lastGoodAt: seen.observedAt });
    expect(view.view).toEqual(seen.view);
  });
});

describe('the demo lab over SNMP', () => {
  it('its switches and NAS answer from the built-in responder: ProCurve LAG, D-Link VLANs, Synology health', async () => {
    const { lab: l } = lab(undefined, { demoPeers: true });
    await call(l, 'app.chooseStart', 'demo');
    const devices = await call(l, 'devices.list');
    const id = (name: string) => devices.find((d) => d.name === name)!.id;
    const swA = await until(l, id('sw-a'), (v) => v.status.state === 'ok', 'sw-a');
    expect(swA.note).toMatch(/procurve\.snmprec/);
    expect(swA.view!.lags.map((lag) => lag.name)).toContain('Trk1');
    const swB = await until(l, id('sw-b'), (v) => v.status.state === 'ok', 'sw-b');
    expect(swB.view!.vlans.length).toBeGreaterThan(1);
    const nas = await until(l, id('syno-dr'), (v) => v.status.state === 'ok', 'syno-dr');
    expect(nas.view!.nas).toMatchObject({ system: expect.any(String) });
    expect(nas.view!.hostBonds.map((b) => b.name)).toContain('bond0');
  });
});
