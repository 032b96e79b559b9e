/**
 * A discovery sweep over 64 portals at once, most of which accept TCP and never answer iSCSI (a frozen target,
 * a wrong service on the port): with every probe in flight together, the sweep should take about one timeout,
 * not one per silent portal. Reference measured in the same run: one timeout (2 s), and a few of the same
 * silent portals probed one after the other. Prints figures; asserts nothing about speed.
 */
import { test } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { probePortal, probePortals, type ProbeOptions } from '../src-main/drivers/iscsi/probe';
import { startIscsiResponder, type IscsiResponder } from '../src-main/simulators/iscsi';

const TIMEOUT_MS = 2_000;
const ANSWERING = 16;
const SLOW = 16; // responder 'slow' fault: iSCSI answers held back far beyond the timeout
const SILENT = 32; // plain TCP servers that read and never write
const SEQUENTIAL = 3;

async function silentServer(sockets: Set<Socket>): Promise<Server> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ms: number) => `${(ms / TIMEOUT_MS).toFixed(2)}×`;

test('iSCSI discovery sweep: 64 portals in flight vs one timeout', async () => {
  const responders: IscsiResponder[] = [];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  try {
    const targets = Array.from({ length: 8 }, (_, i) => ({ iqn: `iqn.2024-01.lab.bench:lun${i}`, portals: ['10.10.20.20:3260,1'] }));
    for (let i = 0; i < ANSWERING + SLOW; i++) {
      const responder = await startIscsiResponder({ targets });
      if (i >= ANSWERING) responder.fault('slow', { delayMs: 60_000 });
      responders.push(responder);
    }
    for (let i = 0; i < SILENT; i++) servers.push(await silentServer(sockets));
    const at = (port: number): ProbeOptions => ({ host: '127.0.0.1', port, connectTimeoutMs: TIMEOUT_MS, responseTimeoutMs: TIMEOUT_MS });
    const portals = [...responders.map((r) => at(r.port)), ...servers.map((s) => at((s.address() as { port: number }).port))];
    // Interleave, so answering and silent portals share the sweep as they would in a lab.
    const list = portals.map((p, i) => portals[(i * 37) % portals.length]!);

    await probePortals(list.slice(0, 2)); // warm-up: code paths compiled, sockets machinery ready

    let started = performance.now();
    const answeringOnly = await probePortals(responders.slice(0, ANSWERING).map((r) => at(r.port)));
    const answeringMs = performance.now() - started;

    started = performance.now();
    const results = await probePortals(list);
    const sweepMs = performance.now() - started;

    started = performance.now();
    for (const server of servers.slice(0, SEQUENTIAL)) await probePortal(at((server.address() as { port: number }).port));
    const sequentialMs = performance.now() - started;

    const ok = results.filter((r) => r.ok).length;
    const timeouts = results.filter((r) => r.error?.kind === 'timeout').length;
    const line = (label: string, figure: string) => `  ${label.padEnd(34)}${figure}`;
    console.log(
      [
        `iSCSI discovery sweep, ${list.length} portals at once (${ANSWERING} answer, ${SLOW} 'slow' responders, ${SILENT} silent TCP servers), ${TIMEOUT_MS / 1000} s timeout:`,
        line('whole sweep:', `${seconds(sweepMs)} = ${ratio(sweepMs)} one timeout (${ok} ok, ${timeouts} timeout)`),
        line(`the ${ANSWERING} answering portals alone:`, `${seconds(answeringMs)} (${answeringOnly.filter((r) => r.ok).length} ok)`),
        line(
          `${SEQUENTIAL} silent portals in a row:`,
          `${seconds(sequentialMs)} = ${ratio(sequentialMs)} one timeout (all ${SLOW + SILENT} silent ones in a row ≈ ${seconds((sequentialMs / SEQUENTIAL) * (SLOW + SILENT))})`,
        ),
      ].join('\n'),
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await Promise.all(responders.map((r) => r.close()));
  }
});
