/**
 * One initiator connection: login, then the Full Feature Phase of a discovery session (Text SendTargets,
 * NOP-Out pings, Logout). Sequence numbers are checked as a target must: non-immediate commands carry the
 * expected CmdSN, continuations echo our Target Transfer Tag. Anything else gets a Reject (§11.17) or, during
 * login, a status and the end of the connection. Every connection has an idle deadline and bounded buffers.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { GARBAGE, MALFORMED_TEXT, OVERSIZED_LENGTH, type FaultSettings } from './faults';
import { LoginRefusal, LoginState, RESPONDER_MAX_RECV, type ResponderChap } from './login';
import { sendTargetsText, splitText, type ResponderTarget } from './sendtargets';
import { BHS, InitiatorPduReader, Op, RESERVED_TAG, WireError, encodeTargetPdu, encodeTextKeys, parseTextKeys, u32, type InitiatorPdu } from './wire';

export interface SessionConfig {
  targets: readonly ResponderTarget[];
  chap: ResponderChap | null;
  /** Answer every login with "target moved temporarily" to this 'host:port[,tpgt]'. */
  redirectTo: string | null;
  /** 'rfc': C=1 on a part that ends inside a pair; 'tgtd': F=0 without C, as tgtd does (san.md §1.4). */
  textSplit: 'rfc' | 'tgtd';
  idleTimeoutMs: number;
}

export interface SessionCounters {
  discoveryLogins: number;
  refusedLogins: number;
  textRequests: number;
}

const MAX_LOGIN_TEXT = 64 * 1024;
/** Reject reasons (§11.17.1). */
const REJECT_PROTOCOL = 0x04;
const REJECT_NOT_SUPPORTED = 0x05;
const REJECT_INVALID_FIELD = 0x09;

export class ResponderSession {
  private readonly reader = new InitiatorPduReader(RESPONDER_MAX_RECV);
  private readonly login: LoginState;
  private phase: 'login' | 'full-feature' | 'ending' = 'login';
  private firstLogin = true;
  private loginText: Buffer[] = [];
  private statSN = randomInt(1, 0x7fffffff);
  private expCmdSN = 0;
  private nextTtt = 1;
  private text: { itt: number; ttt: number; parts: Buffer[]; next: number } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idle: NodeJS.Timeout | null = null;
  private seenData = false;

  constructor(
    private readonly socket: Socket,
    private readonly config: SessionConfig,
    private readonly fault: FaultSettings | null,
    private readonly counters: SessionCounters,
  ) {
    this.login = new LoginState(config.targets, config.chap);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => this.end());
    socket.on('close', () => this.dispose());
    this.touch();
  }

  private ending(): boolean {
    return this.phase === 'ending';
  }

  private onData(chunk: Buffer): void {
    if (this.ending()) return;
    this.touch();
    if (!this.seenData && this.fault?.kind === 'garbage') {
      this.seenData = true;
      this.write(GARBAGE);
      this.end();
      return;
    }
    this.seenData = true;
    let pdus: InitiatorPdu[];
    try {
      pdus = this.reader.push(chunk);
    } catch {
      this.socket.destroy(); // not iSCSI, or above our MaxRecvDataSegmentLength: nothing sensible to answer
      return;
    }
    for (const pdu of pdus) {
      if (this.ending()) return; // a refusal or a logout ended the connection: the rest goes unanswered
      try {
        this.handle(pdu);
      } catch {
        this.socket.destroy(); // a bug of ours must cost one connection, never the process serving the demo lab
        return;
      }
    }
  }

  private handle(pdu: InitiatorPdu): void {
    if (this.phase === 'login') {
      if (pdu.opcode !== Op.LoginRequest) {
        this.socket.destroy(); // §6.3: only Login PDUs before the login completes
        return;
      }
      this.onLogin(pdu);
      return;
    }
    switch (pdu.opcode) {
      case Op.TextRequest:
        this.onText(pdu);
        break;
      case Op.LogoutRequest:
        this.onLogout(pdu);
        break;
      case Op.NopOut:
        if (u32(pdu.bhs, 16) !== RESERVED_TAG) this.reply({ opcode: Op.NopIn, flags: 0x80, itt: u32(pdu.bhs, 16), ttt: RESERVED_TAG }, pdu.data, false);
        break;
      case Op.LoginRequest:
        this.reject(pdu, REJECT_PROTOCOL);
        this.end();
        break;
      default:
        this.reject(pdu, REJECT_NOT_SUPPORTED); // SCSI commands and the rest: not in a discovery session
    }
  }

  private onLogin(pdu: InitiatorPdu): void {
    const { bhs, flags } = pdu;
    const first = this.firstLogin;
    const request = { first, transit: (flags & 0x80) !== 0, csg: (flags >> 2) & 3, nsg: flags & 3 };
    const itt = u32(bhs, 16);
    const cmdSN = u32(bhs, 24);
    if (first) {
      this.firstLogin = false;
      if (this.fault?.kind === 'close-mid-login') {
        this.socket.destroy();
        return;
      }
      this.login.itt = itt;
      this.login.cmdSN = cmdSN;
      this.login.isid = Buffer.from(bhs.subarray(8, 14));
      this.expCmdSN = cmdSN;
    }
    try {
      if (first && bhs[3]! > 0) throw new LoginRefusal(2, 5, `version-min ${bhs[3]}`);
      if (first && bhs.readUInt16BE(14) !== 0) throw new LoginRefusal(2, 0x0a, 'a TSIH for a session that does not exist');
      if (itt !== this.login.itt || cmdSN !== this.login.cmdSN) throw new LoginRefusal(2, 0, 'ITT or CmdSN changed during login (§11.12)');
      this.loginText.push(pdu.data);
      if (this.loginText.reduce((n, b) => n + b.length, 0) > MAX_LOGIN_TEXT) throw new LoginRefusal(2, 0, 'too much login text');
      if ((flags & 0x40) !== 0) {
        // C=1: more text follows; an empty answer asks for it (§6.2).
        this.loginReply({ transit: false, csg: request.csg, nsg: 0 }, []);
        return;
      }
      let keys: [string, string][];
      try {
        keys = parseTextKeys(Buffer.concat(this.loginText));
      } catch (error) {
        throw new LoginRefusal(2, 0, error instanceof WireError ? error.message : 'unreadable keys');
      }
      this.loginText = [];
      if (first && this.fault?.kind === 'malformed-pdu') {
        this.write(this.loginPdu({ transit: false, csg: request.csg, nsg: 0 }, 0, 0, MALFORMED_TEXT));
        return;
      }
      if (first && this.fault?.kind === 'oversized-pdu') {
        const head = this.loginPdu({ transit: false, csg: request.csg, nsg: 0 }, 0, 0, Buffer.alloc(0));
        head.writeUIntBE(OVERSIZED_LENGTH, 5, 3);
        this.write(Buffer.concat([head, Buffer.alloc(64 * 1024, 0x41)]));
        return;
      }
      if (first && this.config.redirectTo !== null) {
        this.write(this.loginPdu({ transit: false, csg: request.csg, nsg: 0 }, 1, 1, encodeTextKeys([['TargetAddress', this.config.redirectTo]])));
        this.end();
        return;
      }
      const step = this.login.step(request, keys);
      if (step.tsih !== undefined) {
        this.phase = 'full-feature';
        this.counters.discoveryLogins++;
        this.reader.maxDataSegmentLength = RESPONDER_MAX_RECV;
      }
      this.loginReply(step, step.keys, step.tsih);
    } catch (error) {
      if (!(error instanceof LoginRefusal)) throw error;
      this.counters.refusedLogins++;
      this.write(this.loginPdu({ transit: false, csg: request.csg, nsg: 0 }, error.statusClass, error.statusDetail, encodeTextKeys(error.keys)));
      this.end(); // §11.13.5: a login with a non-zero status ends the connection
    }
  }

  private loginReply(step: { transit: boolean; csg: number; nsg: number }, keys: [string, string][], tsih = 0): void {
    this.write(this.loginPdu(step, 0, 0, encodeTextKeys(keys), tsih));
  }

  private loginPdu(step: { transit: boolean; csg: number; nsg: number }, statusClass: number, statusDetail: number, data: Buffer, tsih = 0): Buffer {
    const flags = (step.transit ? 0x80 : 0) | (step.csg << 2) | (step.transit ? step.nsg : 0);
    return encodeTargetPdu(
      { opcode: Op.LoginResponse, flags, isid: this.login.isid, tsih, itt: this.login.itt, statSN: this.statSN++, expCmdSN: this.expCmdSN, maxCmdSN: this.expCmdSN + 16, statusClass, statusDetail },
      data,
    );
  }

  /** Non-immediate commands must carry ExpCmdSN (§4.2.2.1); this responder is strict so a probe's mistake shows. */
  private inOrder(pdu: InitiatorPdu): boolean {
    if (pdu.immediate) return true;
    if (u32(pdu.bhs, 24) !== this.expCmdSN) {
      this.reject(pdu, REJECT_PROTOCOL);
      return false;
    }
    this.expCmdSN = (this.expCmdSN + 1) >>> 0;
    return true;
  }

  private onText(pdu: InitiatorPdu): void {
    if (!this.inOrder(pdu)) return;
    const itt = u32(pdu.bhs, 16);
    const ttt = u32(pdu.bhs, 20);
    if (ttt !== RESERVED_TAG) {
      if (this.text === null || this.text.itt !== itt || this.text.ttt !== ttt) return this.reject(pdu, REJECT_INVALID_FIELD);
      return this.sendPart(this.text);
    }
    if ((pdu.flags & 0x40) !== 0) return this.reject(pdu, REJECT_INVALID_FIELD); // a continued request: never needed for SendTargets
    this.counters.textRequests++;
    let keys: [string, string][];
    try {
      keys = parseTextKeys(pdu.data);
    } catch {
      return this.reject(pdu, REJECT_PROTOCOL);
    }
    const other = keys.filter(([key]) => key !== 'SendTargets').map(([key]): [string, string] => [key, 'NotUnderstood']);
    const value = keys.find(([key]) => key === 'SendTargets')?.[1];
    const arrivedOn = this.socket.localAddress?.includes(':') ? `[${this.socket.localAddress}]:${this.socket.localPort}` : `${this.socket.localAddress}:${this.socket.localPort}`;
    const text = Buffer.concat([value === undefined ? Buffer.alloc(0) : sendTargetsText(this.config.targets, value, arrivedOn), encodeTextKeys(other)]);
    this.text = { itt, ttt: RESERVED_TAG, parts: splitText(text, this.login.initiatorMaxRecv), next: 0 };
    this.sendPart(this.text);
  }

  private sendPart(text: { itt: number; ttt: number; parts: Buffer[]; next: number }): void {
    if (this.fault?.kind === 'text-loop') {
      text.ttt = this.nextTtt++;
      this.reply({ opcode: Op.TextResponse, flags: 0, itt: text.itt, ttt: text.ttt }, Buffer.alloc(0));
      return;
    }
    const part = text.parts[text.next++]!;
    const last = text.next >= text.parts.length;
    text.ttt = last ? RESERVED_TAG : this.nextTtt++;
    const splitsPair = part.length > 0 && part[part.length - 1] !== 0;
    const flags = last ? 0x80 : this.config.textSplit === 'rfc' && splitsPair ? 0x40 : 0;
    this.reply({ opcode: Op.TextResponse, flags, itt: text.itt, ttt: text.ttt }, part);
    if (last) this.text = null;
  }

  private onLogout(pdu: InitiatorPdu): void {
    if (!this.inOrder(pdu)) return;
    this.reply({ opcode: Op.LogoutResponse, flags: 0x80, byte2: 0, itt: u32(pdu.bhs, 16) }, Buffer.alloc(0));
    this.end();
  }

  private reject(pdu: InitiatorPdu, reason: number): void {
    this.reply({ opcode: Op.Reject, flags: 0x80, byte2: reason, itt: RESERVED_TAG, ttt: RESERVED_TAG }, Buffer.from(pdu.bhs.subarray(0, BHS)));
  }

  private reply(fields: { opcode: number; flags: number; byte2?: number; itt: number; ttt?: number }, data: Buffer, advance = true): void {
    const statSN = advance ? this.statSN++ : this.statSN;
    this.write(encodeTargetPdu({ ...fields, statSN, expCmdSN: this.expCmdSN, maxCmdSN: this.expCmdSN + 16 }, data));
  }

  /** Writes now, or after the 'slow' fault's delay. */
  private write(bytes: Buffer): void {
    this.later(() => {
      if (!this.socket.destroyed) this.socket.write(bytes);
    });
  }

  /** Half-closes after everything written so far (in order, even when delayed). */
  private end(): void {
    if (this.phase === 'ending') return;
    this.phase = 'ending';
    this.later(() => this.socket.end());
  }

  private later(action: () => void): void {
    if (this.fault?.kind !== 'slow') return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, this.fault.delayMs);
    this.timers.add(timer);
  }

  private touch(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.socket.destroy(), this.config.idleTimeoutMs);
  }

  private dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
