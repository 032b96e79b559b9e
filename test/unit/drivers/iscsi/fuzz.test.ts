/**
 * Seeded fuzzing of everything the probe reads from a target: the PDU stream decoder, the key parser and the
 * SendTargets reader, and the whole probe behind a proxy that damages the responder's answers. Whatever
 * arrives, each returns or throws ProbeError (the whole probe: returns a result with a known kind), promptly,
 * with bounded buffering. Seeds are fixed, so a failure replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { prng, type Prng } from '../../helpers/prng';
import { ProbeError } from '../../../../src-main/drivers/iscsi/errors/probe-error';
import { PduReader, Opcode, pad4 } from '../../../../src-main/drivers/iscsi/pdu';
import { parseKeys } from '../../../../src-main/drivers/iscsi/keys';
import { parseSendTargets } from '../../../../src-main/drivers/iscsi/sendtargets';
import { probePortals, type ProbeResult } from '../../../../src-main/drivers/iscsi/probe';
import { startIscsiResponder, type IscsiResponder } from '../../../../src-main/simulators/iscsi';

const SENDTARGETS =
  'TargetName=iqn.2024-01.lab.test:dsn1550.heartbeat\0TargetAlias=heartbeat\0TargetAddress=10.10.20.20:3260,1\0' +
  'TargetAddress=[fd00::20]:3260,2\0TargetName=iqn.2024-01.lab.test:dsn1550.vmstore\0TargetAddress=10.10.21.20:3260,1\0';

function damage(random: Prng, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  for (let n = random.int(1, 4); n > 0; n--) {
    const at = random.int(0, Math.max(0, bytes.length - 1));
    switch (random.int(0, 5)) {
      case 0:
        if (bytes.length > 0) bytes[at] = random.int(0, 255);
        break;
      case 1:
        bytes = bytes.subarray(0, at);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(random.pick(['=', '\0', '\xff', ',', ':', '[', ']', 'TargetName=', 'TargetAddress=', '\0\0']), 'latin1'), bytes.subarray(at)]);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + random.int(1, 8))]);
        break;
      case 4: // a header length byte (DataSegmentLength, TotalAHSLength) of some PDU
        if (bytes.length > 8) bytes[random.pick([4, 5, 6, 7])] = random.int(0, 255);
        break;
      default:
        bytes = Buffer.concat([bytes, Buffer.from(Array.from({ length: random.int(1, 64) }, () => random.int(0, 255)))]);
    }
  }
  return bytes;
}

function textResponse(data: Buffer, final: boolean): Buffer {
  const pdu = Buffer.alloc(48 + pad4(data.length));
  pdu[0] = Opcode.TextResponse;
  pdu[1] = final ? 0x80 : 0;
  pdu.writeUIntBE(data.length, 5, 3);
  data.copy(pdu, 48);
  return pdu;
}

const expectProbeError = (error: unknown) => {
  expect(error).toBeInstanceOf(ProbeError);
  expect(['protocol', 'too-large']).toContain((error as ProbeError).kind);
};

describe('fuzz: PduReader', () => {
  it('returns PDUs or throws ProbeError for damaged streams fed in random chunks, holding at most one PDU', () => {
    const random = prng(0x15c51);
    const text = Buffer.from(SENDTARGETS);
    const valid = Buffer.concat([textResponse(text.subarray(0, 100), false), textResponse(text.subarray(100), true), textResponse(Buffer.alloc(0), true)]);
    const limit = 4096;
    for (let n = 0; n < 3000; n++) {
      const stream = n % 10 === 0 ? Buffer.from(Array.from({ length: random.int(0, 300) }, () => random.int(0, 255))) : damage(random, valid);
      const reader = new PduReader({ maxDataSegmentLength: limit });
      try {
        for (let at = 0; at < stream.length; ) {
          const size = random.int(1, 97);
          for (const pdu of reader.push(stream.subarray(at, at + size))) expect(pdu.data.length).toBeLessThanOrEqual(limit);
          at += size;
          expect(reader.bufferedBytes).toBeLessThanOrEqual(48 + 255 * 4 + limit + 3 + 97);
        }
      } catch (error) {
        expectProbeError(error);
      }
    }
  });
});

describe('fuzz: keys and SendTargets', () => {
  it('returns targets or throws ProbeError for damaged SendTargets text', () => {
    const random = prng(0x7143);
    const valid = Buffer.from(SENDTARGETS, 'utf8');
    let parsed = 0;
    for (let n = 0; n < 5000; n++) {
      try {
        const targets = parseSendTargets(parseKeys(damage(random, valid)));
        for (const target of targets) {
          expect(typeof target.iqn).toBe('string');
          for (const portal of target.portals) expect(portal.port).toBeGreaterThan(0);
        }
        parsed++;
      } catch (error) {
        expectProbeError(error);
      }
    }
    expect(parsed).toBeGreaterThan(100); // the damage is not so heavy that nothing ever parses
  });
});

describe('fuzz: the whole probe behind a damaging proxy', () => {
  let responder: IscsiResponder;
  let proxy: Server;
  let proxyPort = 0;
  const random = prng(0xd15c);
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    responder = await startIscsiResponder({
      targets: Array.from({ length: 12 }, (_, i) => ({ iqn: `iqn.2024-01.lab.test:fuzz${i}`, alias: `lun ${i}`, portals: ['10.10.20.20:3260,1', '[fd00::20]:3260,2'] })),
      chap: { user: 'monitor', secret: 'Secret1234567' },
    });
    // Each connection damages the responder's answers with its own probability, so some logins get far.
    proxy = createServer((client) => {
      const damageChance = random.next() * 0.5;
      const seed = random.int(0, 2 ** 31);
      const local = prng(seed);
      const upstream = connect(responder.port, responder.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.on('data', (chunk: Buffer) => upstream.write(chunk));
      upstream.on('data', (chunk: Buffer) => client.write(local.chance(damageChance) ? damage(local, chunk) : chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
    await responder.close();
  });

  it('always returns a result with a known kind, within the time bounds, and leaves no connection', async () => {
    const list = Array.from({ length: 120 }, () => ({
      host: '127.0.0.1',
      port: proxyPort,
      chap: { user: 'monitor', secret: 'Secret1234567' },
      responseTimeoutMs: 400,
      maxRecvDataSegmentLength: 512,
    }));
    const started = Date.now();
    const results: ProbeResult[] = await probePortals(list);
    expect(Date.now() - started).toBeLessThan(10_000);
    const kinds = new Set(results.map((r) => (r.ok ? 'ok' : r.error!.kind)));
    for (const kind of kinds) expect(['ok', 'protocol', 'too-large', 'timeout', 'closed', 'auth-failed', 'login-rejected']).toContain(kind);
    expect(results.filter((r) => r.error?.message.includes('failed unexpectedly')).map((r) => r.error!.message)).toEqual([]); // no bug of ours
    expect(kinds.has('ok')).toBe(true);
    expect(kinds.size).toBeGreaterThan(2);
    for (const result of results.filter((r) => r.ok)) expect(result.targets.length).toBeGreaterThan(0);
    const deadline = Date.now() + 2_000;
    while (responder.openConnections() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(responder.openConnections()).toBe(0);
  });
});
