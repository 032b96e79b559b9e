/**
 * The discovery responder (src-main/simulators/iscsi/) on the wire, PDU by PDU: what a target must do by
 * RFC 7143 beyond what the probe happens to exercise. Normal sessions refused with a login status, SendTargets
 * cut to the initiator's MaxRecvDataSegmentLength with the right F/C/TTT, sequence numbers enforced, Rejects
 * for what a discovery session cannot do, CHAP reflection refused, and bounded connections. PDUs are built and
 * read with the driver's pdu.ts, whose byte layouts test/unit/drivers/iscsi/pdu.test.ts pins down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { startIscsiResponder, type IscsiResponder, type IscsiResponderOptions } from '../../../src-main/simulators/iscsi';
import {
  Opcode,
  PduReader,
  RESERVED_TAG,
  Stage,
  encodeLoginRequest,
  encodeLogoutRequest,
  encodeTextRequest,
  readLoginResponse,
  readTextResponse,
  type Pdu,
} from '../../../src-main/drivers/iscsi/pdu';
import { encodeKeys, parseKeys, type KeyPair } from '../../../src-main/drivers/iscsi/keys';
import { parseSendTargets } from '../../../src-main/drivers/iscsi/sendtargets';
import { probePortal } from '../../../src-main/drivers/iscsi/probe';
import { prng } from '../helpers/prng';

const ISID = Buffer.from('80aabbcc0001', 'hex');
const ITT = 0x1000;
const running: IscsiResponder[] = [];
const clients: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function responder(options: Partial<IscsiResponderOptions> = {}): Promise<IscsiResponder> {
  const r = await startIscsiResponder({ targets: [{ iqn: 'iqn.2024-01.lab.test:a', portals: ['10.10.20.20:3260'] }, { iqn: 'iqn.2024-01.lab.test:b', alias: 'bee' }], ...options });
  running.push(r);
  return r;
}

/** A raw initiator: send PDUs, read the target's, see the close. */
class Wire {
  private readonly reader = new PduReader({ maxDataSegmentLength: 65536 }, () => true);
  private readonly queue: Pdu[] = [];
  private wake: (() => void) | null = null;
  closed = false;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(...this.reader.push(chunk));
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }
  static async open(r: IscsiResponder): Promise<Wire> {
    const socket = connect(r.port, r.host);
    clients.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    return new Wire(socket);
  }
  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }
  async next(timeoutMs = 2_000): Promise<Pdu | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.queue.shift() ?? null;
  }
  async closes(timeoutMs = 2_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }
}

const login = (transit: boolean, csg: number, nsg: number, pairs: KeyPair[]) =>
  encodeLoginRequest({ transit, csg: csg as Stage, nsg: nsg as Stage, isid: ISID, tsih: 0, itt: ITT, cid: 0, cmdSN: 1, expStatSN: 0 }, encodeKeys(pairs));
const keysOf = (pdu: Pdu) => new Map(parseKeys(pdu.data));
const OPENING: KeyPair[] = [['InitiatorName', 'iqn.2026-11.org.labwarden:test'], ['SessionType', 'Discovery'], ['AuthMethod', 'None']];

/** A discovery login without CHAP, declaring maxRecv; returns the CmdSN for the first command. */
async function discoveryLogin(wire: Wire, maxRecv = 8192): Promise<number> {
  wire.send(login(true, Stage.Security, Stage.Operational, OPENING));
  const first = readLoginResponse((await wire.next())!);
  expect(first).toMatchObject({ transit: true, csg: 0, nsg: 1, statusClass: 0, itt: ITT });
  wire.send(login(true, Stage.Operational, Stage.FullFeature, [['HeaderDigest', 'None'], ['MaxRecvDataSegmentLength', String(maxRecv)]]));
  const final = (await wire.next())!;
  const response = readLoginResponse(final);
  expect(response).toMatchObject({ transit: true, csg: 1, nsg: 3, statusClass: 0 });
  expect(response.tsih).toBeGreaterThan(0);
  expect(keysOf(final).get('HeaderDigest')).toBe('None');
  return response.expCmdSN;
}

describe('the discovery responder on the wire', () => {
  it('refuses Normal sessions with a login status and closes: 0x0209, 0x0203 for an unknown target, 0x0207 without TargetName', async () => {
    const r = await responder();
    const cases: [KeyPair[], number][] = [
      [[['InitiatorName', 'iqn.x:y'], ['SessionType', 'Normal'], ['TargetName', 'iqn.2024-01.lab.test:a']], 0x0209],
      [[['InitiatorName', 'iqn.x:y'], ['TargetName', 'iqn.2024-01.lab.test:a']], 0x0209], // SessionType defaults to Normal
      [[['InitiatorName', 'iqn.x:y'], ['SessionType', 'Normal'], ['TargetName', 'iqn.nope']], 0x0203],
      [[['InitiatorName', 'iqn.x:y'], ['SessionType', 'Normal']], 0x0207],
      [[['SessionType', 'Discovery']], 0x0207], // no InitiatorName
    ];
    for (const [pairs, status] of cases) {
      const wire = await Wire.open(r);
      wire.send(login(true, 0, 1, pairs));
      const response = readLoginResponse((await wire.next())!);
      expect((response.statusClass << 8) | response.statusDetail).toBe(status);
      expect(await wire.closes()).toBe(true);
    }
    expect(r.stats()).toMatchObject({ refusedLogins: cases.length, discoveryLogins: 0 });
  });

  it('refuses an unsupported version (0x0205) and a TSIH for a session that does not exist (0x020a)', async () => {
    const r = await responder();
    const version = login(true, 0, 1, OPENING);
    version[3] = 1; // Version-min
    const tsih = login(true, 0, 1, OPENING);
    tsih.writeUInt16BE(7, 14);
    for (const [pdu, status] of [[version, 0x0205], [tsih, 0x020a]] as const) {
      const wire = await Wire.open(r);
      wire.send(pdu);
      const response = readLoginResponse((await wire.next())!);
      expect((response.statusClass << 8) | response.statusDetail).toBe(status);
    }
  });

  it("cuts SendTargets to the initiator's MaxRecvDataSegmentLength: F=0 with a TTT until the last part, C=1 inside a pair (rfc) or never (tgtd)", async () => {
    const targets = Array.from({ length: 60 }, (_, i) => ({ iqn: `iqn.2024-01.lab.test:bulk${i}`, portals: ['198.51.100.10:3260,1'] }));
    for (const textSplit of ['rfc', 'tgtd'] as const) {
      const r = await responder({ targets, textSplit });
      const wire = await Wire.open(r);
      let cmdSN = await discoveryLogin(wire, 512);
      let ttt = RESERVED_TAG;
      const parts: Buffer[] = [];
      const flags: { final: boolean; continue: boolean }[] = [];
      for (let round = 0; round < 100; round++) {
        wire.send(encodeTextRequest({ final: true, itt: 77, ttt, cmdSN: cmdSN++, expStatSN: 0 }, round === 0 ? encodeKeys([['SendTargets', 'All']]) : undefined));
        const pdu = (await wire.next())!;
        expect(pdu.opcode).toBe(Opcode.TextResponse);
        const response = readTextResponse(pdu);
        expect(pdu.data.length).toBeLessThanOrEqual(512);
        expect(response.itt).toBe(77);
        parts.push(pdu.data);
        flags.push({ final: response.final, continue: response.continue });
        if (response.final) {
          expect(response.ttt).toBe(RESERVED_TAG);
          break;
        }
        expect(response.ttt).not.toBe(RESERVED_TAG);
        ttt = response.ttt;
      }
      const text = Buffer.concat(parts);
      expect(parts.length).toBe(Math.ceil(text.length / 512));
      expect(parts.length).toBeGreaterThan(8);
      expect(parseSendTargets(parseKeys(text)).map((t) => t.iqn)).toEqual(targets.map((t) => t.iqn));
      const continued = flags.filter((f) => f.continue).length;
      if (textSplit === 'tgtd') expect(continued).toBe(0);
      else expect(continued).toBe(parts.slice(0, -1).filter((p) => p[p.length - 1] !== 0).length);
      expect(flags.filter((f) => f.final)).toHaveLength(1);
    }
  });

  it('answers SendTargets=<name> with that target only, portals defaulting to the address the connection arrived on', async () => {
    const r = await responder();
    const wire = await Wire.open(r);
    const cmdSN = await discoveryLogin(wire);
    wire.send(encodeTextRequest({ final: true, itt: 5, ttt: RESERVED_TAG, cmdSN, expStatSN: 0 }, encodeKeys([['SendTargets', 'iqn.2024-01.lab.test:b']])));
    const pdu = (await wire.next())!;
    expect(parseKeys(pdu.data)).toEqual([
      ['TargetName', 'iqn.2024-01.lab.test:b'],
      ['TargetAlias', 'bee'],
      ['TargetAddress', `127.0.0.1:${r.port},1`],
    ]);
  });

  it('rejects a wrong CmdSN (0x04), a continuation with a TTT it never issued (0x09), and SCSI commands (0x05); answers pings', async () => {
    const r = await responder();
    const wire = await Wire.open(r);
    const cmdSN = await discoveryLogin(wire);
    const rejectReason = async () => {
      const pdu = (await wire.next())!;
      expect(pdu.opcode).toBe(Opcode.Reject);
      return pdu.bhs[2];
    };
    wire.send(encodeTextRequest({ final: true, itt: 1, ttt: RESERVED_TAG, cmdSN: cmdSN + 5, expStatSN: 0 }, encodeKeys([['SendTargets', 'All']])));
    expect(await rejectReason()).toBe(0x04);
    wire.send(encodeTextRequest({ final: true, itt: 1, ttt: 1234, cmdSN, expStatSN: 0 }));
    expect(await rejectReason()).toBe(0x09);
    const scsi = Buffer.alloc(48);
    scsi[0] = 0x41; // SCSI Command, immediate
    scsi[1] = 0x80;
    wire.send(scsi);
    expect(await rejectReason()).toBe(0x05);
    const ping = Buffer.alloc(52);
    ping[0] = 0x40; // NOP-Out, immediate
    ping[1] = 0x80;
    ping.writeUIntBE(4, 5, 3);
    ping.writeUInt32BE(99, 16);
    ping.writeUInt32BE(RESERVED_TAG, 20);
    ping.write('ping', 48);
    wire.send(ping);
    const pong = (await wire.next())!;
    expect(pong.opcode).toBe(Opcode.NopIn);
    expect(pong.bhs.readUInt32BE(16)).toBe(99);
    expect(pong.data.toString()).toBe('ping');
  });

  it('answers Logout with response 0 and closes', async () => {
    const r = await responder();
    const wire = await Wire.open(r);
    const cmdSN = await discoveryLogin(wire);
    wire.send(encodeLogoutRequest({ reason: 0, itt: 42, cid: 0, cmdSN, expStatSN: 0 }));
    const pdu = (await wire.next())!;
    expect(pdu.opcode).toBe(Opcode.LogoutResponse);
    expect(pdu.bhs[2]).toBe(0);
    expect(pdu.bhs.readUInt32BE(16)).toBe(42);
    expect(await wire.closes()).toBe(true);
    expect(r.openConnections()).toBe(0);
  });

  it('refuses CHAP done wrong: None offered (0x0201), and the initiator reflecting our challenge back (0x0201)', async () => {
    const chap = { user: 'monitor', secret: 'Secret1234567', mutualUser: 'sanside', mutualSecret: 'MutualSecret99' };
    const r = await responder({ chap });
    const none = await Wire.open(r);
    none.send(login(true, 0, 1, OPENING));
    const refused = (await none.next())!;
    expect(readLoginResponse(refused)).toMatchObject({ statusClass: 2, statusDetail: 1 });
    expect(keysOf(refused).get('AuthMethod')).toBe('Reject');

    const wire = await Wire.open(r);
    wire.send(login(false, 0, 0, [['InitiatorName', 'iqn.x:y'], ['SessionType', 'Discovery'], ['AuthMethod', 'CHAP']]));
    expect(keysOf((await wire.next())!).get('AuthMethod')).toBe('CHAP');
    wire.send(login(false, 0, 0, [['CHAP_A', '7,5']]));
    const challenge = keysOf((await wire.next())!);
    expect(challenge.get('CHAP_A')).toBe('5');
    const id = Number(challenge.get('CHAP_I'));
    const theirs = Buffer.from(challenge.get('CHAP_C')!.slice(2), 'hex');
    const answer = createHash('md5').update(Buffer.of(id)).update(chap.secret).update(theirs).digest('hex');
    wire.send(login(true, 0, 1, [['CHAP_N', 'monitor'], ['CHAP_R', `0x${answer}`], ['CHAP_I', String(id)], ['CHAP_C', challenge.get('CHAP_C')!]]));
    expect(readLoginResponse((await wire.next())!)).toMatchObject({ statusClass: 2, statusDetail: 1 });
    expect(await wire.closes()).toBe(true);
  });

  it('closes a connection that does not speak iSCSI, and one left idle', async () => {
    const r = await responder({ idleTimeoutMs: 200 });
    const http = await Wire.open(r);
    http.send(Buffer.from('GET / HTTP/1.1\r\nHost: san\r\n\r\n'.padEnd(64, ' ')));
    expect(await http.closes()).toBe(true);
    const idle = await Wire.open(r);
    expect(await idle.closes(1_000)).toBe(true);
  });

  it('holds at most maxConnections, and close() drops the ones still open', async () => {
    const r = await responder({ maxConnections: 2 });
    const [a, b] = [await Wire.open(r), await Wire.open(r)];
    const c = await Wire.open(r);
    expect(await c.closes()).toBe(true);
    expect(r.openConnections()).toBe(2);
    await r.close();
    running.length = 0;
    expect(await a.closes()).toBe(true);
    expect(await b.closes()).toBe(true);
  });

  it("holds every answer back by the 'slow' fault's delay", async () => {
    const r = await responder();
    r.fault('slow', { delayMs: 300 });
    const wire = await Wire.open(r);
    const started = Date.now();
    wire.send(login(true, 0, 1, OPENING));
    expect(await wire.next(100)).toBeNull();
    const pdu = await wire.next(2_000);
    expect(pdu?.opcode).toBe(Opcode.LoginResponse);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    r.fault(null);
    const quick = await Wire.open(r);
    quick.send(login(true, 0, 1, OPENING));
    expect((await quick.next(200))?.opcode).toBe(Opcode.LoginResponse);
  });

  it('survives seeded damaged initiator streams (with CHAP on), and still serves a clean probe afterwards', async () => {
    const r = await responder({ chap: { user: 'monitor', secret: 'Secret1234567' }, idleTimeoutMs: 300 });
    const random = prng(0x1e5);
    const valid = Buffer.concat([
      login(false, 0, 0, [['InitiatorName', 'iqn.x:y'], ['SessionType', 'Discovery'], ['AuthMethod', 'CHAP,None']]),
      login(false, 0, 0, [['CHAP_A', '5']]),
      login(true, 0, 1, [['CHAP_N', 'monitor'], ['CHAP_R', '0x00112233'], ['CHAP_I', '7'], ['CHAP_C', '0xabcdef']]),
      login(true, 1, 3, [['MaxRecvDataSegmentLength', '512']]),
      encodeTextRequest({ final: true, itt: 1, ttt: RESERVED_TAG, cmdSN: 1, expStatSN: 0 }, encodeKeys([['SendTargets', 'All']])),
    ]);
    const wires = await Promise.all(
      Array.from({ length: 150 }, async () => {
        const bytes = Buffer.from(valid);
        for (let n = random.int(1, 6); n > 0; n--) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
        const wire = await Wire.open(r);
        for (let at = 0; at < bytes.length; at += 61) wire.send(bytes.subarray(at, at + 61));
        return wire;
      }),
    );
    for (const wire of wires) wire.socket.destroy();
    const result = await probePortal({ host: r.host, port: r.port, chap: { user: 'monitor', secret: 'Secret1234567' } });
    expect(result.error).toBeNull();
    expect(result.targets).toHaveLength(2);
  });

  it('validates its options', async () => {
    await expect(startIscsiResponder({ targets: [{ iqn: '' }] })).rejects.toThrow(RangeError);
    await expect(startIscsiResponder({ targets: [{ iqn: 'iqn.a', portals: ['not a portal'] }] })).rejects.toThrow(RangeError);
    await expect(startIscsiResponder({ targets: [], chap: { user: 'u', secret: 'same-secret-1', mutualSecret: 'same-secret-1' } })).rejects.toThrow(/different secret/);
    const r = await responder();
    expect(() => r.fault('nonsense' as never)).toThrow(RangeError);
    expect(r.portal).toBe(`127.0.0.1:${r.port}`);
  });
});
