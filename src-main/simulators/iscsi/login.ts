/**
 * The login phase, seen from the target (RFC 7143 §6.3, §11.12–§11.13): stage bookkeeping, AuthMethod None or
 * CHAP (MD5, optionally mutual), the operational keys a discovery session can meet, and the status that ends a
 * login the responder refuses. Normal sessions are always refused: this responder only answers discovery.
 */
import { randomInt } from 'node:crypto';
import { chapMd5, newTargetChallenge, readBinary, sameBytes } from './chap';
import type { ResponderTarget } from './sendtargets';

export interface ResponderChap {
  user: string;
  secret: string;
  /** Mutual CHAP: the name the responder gives when the initiator challenges it. */
  mutualUser?: string;
  mutualSecret?: string;
}

/** A refusal: Status-Class and Status-Detail (§11.13.5), and the keys to send with it. */
export class LoginRefusal extends Error {
  constructor(
    readonly statusClass: number,
    readonly statusDetail: number,
    why: string,
    readonly keys: [string, string][] = [],
  ) {
    super(why);
  }
}

/** Keys of normal sessions that mean nothing to a discovery session (§13): answered `Irrelevant`. */
const IRRELEVANT = new Set([
  'MaxConnections', 'InitialR2T', 'ImmediateData', 'MaxBurstLength', 'FirstBurstLength', 'MaxOutstandingR2T',
  'DataPDUInOrder', 'DataSequenceInOrder', 'ErrorRecoveryLevel', 'IFMarker', 'OFMarker', 'OFMarkInt', 'IFMarkInt',
  'TaskReporting', 'iSCSIProtocolLevel',
]);
/** Declarative keys the initiator states and the target does not answer. */
const DECLARATIVE = new Set(['InitiatorName', 'InitiatorAlias', 'SessionType', 'TargetName', 'MaxRecvDataSegmentLength']);

export const RESPONDER_MAX_RECV = 8192;

type Auth = 'none-yet' | 'offered' | 'challenged' | 'done';

export interface LoginStep {
  transit: boolean;
  csg: number;
  nsg: number;
  keys: [string, string][];
  /** Set when the login reached the Full Feature Phase. */
  tsih?: number;
}

export class LoginState {
  stage: number | null = null;
  itt = 0;
  cmdSN = 0;
  isid: Buffer = Buffer.alloc(6);
  /** What the initiator declared it can receive (§13.12); the default until it says. */
  initiatorMaxRecv = 8192;
  private auth: Auth = 'none-yet';
  private challenge: { identifier: number; challenge: Buffer } | null = null;

  constructor(
    private readonly targets: readonly ResponderTarget[],
    private readonly chap: ResponderChap | null,
  ) {}

  /** One complete Login Request (its text joined); throws LoginRefusal. */
  step(request: { first: boolean; transit: boolean; csg: number; nsg: number }, keys: [string, string][]): LoginStep {
    const map = new Map<string, string>();
    for (const [key, value] of keys) {
      if (map.has(key)) throw new LoginRefusal(2, 0, `${key} sent twice`);
      map.set(key, value);
    }
    if (request.first) this.checkOpening(request.csg, map);
    if (request.csg !== this.stage) throw new LoginRefusal(2, 0x0b, `a request for stage ${request.csg} during stage ${this.stage}`);
    const answer: [string, string][] = request.first ? [['TargetPortalGroupTag', '1']] : [];
    for (const [key, value] of map) {
      if (DECLARATIVE.has(key)) {
        if (key === 'MaxRecvDataSegmentLength') this.declareMaxRecv(value, answer);
      } else if (key === 'AuthMethod') {
        answer.push(['AuthMethod', this.chooseAuth(value)]);
      } else if (key.startsWith('CHAP_')) {
        // Handled below, as one exchange.
      } else if (key === 'HeaderDigest' || key === 'DataDigest') {
        answer.push([key, value.split(',').includes('None') ? 'None' : 'Reject']);
      } else if (key === 'DefaultTime2Wait') {
        answer.push([key, String(Math.max(Number(value) || 0, 2))]); // result function Max (§13.15)
      } else if (key === 'DefaultTime2Retain') {
        answer.push([key, '0']); // result function Min (§13.16)
      } else {
        answer.push([key, IRRELEVANT.has(key) ? 'Irrelevant' : 'NotUnderstood']);
      }
    }
    if ([...map.keys()].some((k) => k.startsWith('CHAP_'))) answer.push(...this.chapExchange(map));
    if (!request.transit) return { transit: false, csg: request.csg, nsg: 0, keys: answer };

    if (this.stage === 0 && this.auth !== 'done') {
      if (this.chap !== null) throw new LoginRefusal(2, 1, 'leaving the Security stage before CHAP finished');
      if (this.auth === 'none-yet') this.auth = 'done'; // no AuthMethod offered and none required
    }
    if (request.nsg <= request.csg || request.nsg === 2) throw new LoginRefusal(2, 0x0b, `a move from stage ${request.csg} to stage ${request.nsg}`);
    if (request.nsg === 3) return { transit: true, csg: request.csg, nsg: 3, keys: answer, tsih: randomInt(1, 0x10000) };
    this.stage = request.nsg;
    return { transit: true, csg: request.csg, nsg: request.nsg, keys: answer };
  }

  private checkOpening(csg: number, keys: Map<string, string>): void {
    if (csg !== 0 && csg !== 1) throw new LoginRefusal(2, 0x0b, `a login that starts in stage ${csg}`);
    if (!keys.get('InitiatorName')) throw new LoginRefusal(2, 7, 'no InitiatorName in the first Login Request');
    const sessionType = keys.get('SessionType') ?? 'Normal';
    if (sessionType !== 'Discovery') {
      const name = keys.get('TargetName');
      if (name === undefined) throw new LoginRefusal(2, 7, 'a normal session without TargetName');
      if (!this.targets.some((t) => t.iqn === name)) throw new LoginRefusal(2, 3, `no target ${name}`);
      throw new LoginRefusal(2, 9, 'this responder answers discovery sessions only');
    }
    if (this.chap !== null && csg !== 0) throw new LoginRefusal(2, 1, 'CHAP is required, but the login skipped the Security stage');
    this.stage = csg;
  }

  private declareMaxRecv(value: string, answer: [string, string][]): void {
    const n = /^[0-9]{1,8}$/.test(value) ? Number(value) : /^0x[0-9a-fA-F]{1,6}$/.test(value) ? Number.parseInt(value.slice(2), 16) : NaN;
    if (!Number.isFinite(n)) throw new LoginRefusal(2, 0, `MaxRecvDataSegmentLength=${value.slice(0, 32)}`);
    this.initiatorMaxRecv = Math.min(Math.max(n, 512), 0xffffff);
    answer.push(['MaxRecvDataSegmentLength', String(RESPONDER_MAX_RECV)]);
  }

  private chooseAuth(offered: string): string {
    if (this.stage !== 0) throw new LoginRefusal(2, 0x0b, 'AuthMethod outside the Security stage');
    const methods = offered.split(',');
    if (this.chap !== null) {
      if (!methods.includes('CHAP')) throw new LoginRefusal(2, 1, 'CHAP is required', [['AuthMethod', 'Reject']]);
      this.auth = 'offered';
      return 'CHAP';
    }
    if (!methods.includes('None')) throw new LoginRefusal(2, 1, 'no CHAP account is configured', [['AuthMethod', 'Reject']]);
    this.auth = 'done';
    return 'None';
  }

  private chapExchange(keys: Map<string, string>): [string, string][] {
    const chap = this.chap;
    if (chap === null || this.stage !== 0) throw new LoginRefusal(2, 1, 'CHAP keys without CHAP');
    if (this.auth === 'offered' && keys.has('CHAP_A')) {
      if (!keys.get('CHAP_A')!.split(',').includes('5')) throw new LoginRefusal(2, 1, 'no MD5 among the CHAP algorithms', [['CHAP_A', 'Reject']]);
      this.challenge = newTargetChallenge();
      this.auth = 'challenged';
      return [
        ['CHAP_A', '5'],
        ['CHAP_I', String(this.challenge.identifier)],
        ['CHAP_C', `0x${this.challenge.challenge.toString('hex')}`],
      ];
    }
    if (this.auth !== 'challenged' || this.challenge === null) throw new LoginRefusal(2, 1, 'CHAP keys out of order');
    const response = readBinary(keys.get('CHAP_R') ?? '');
    const expected = chapMd5(this.challenge.identifier, chap.secret, this.challenge.challenge);
    if (keys.get('CHAP_N') !== chap.user || response === null || !sameBytes(expected, response)) throw new LoginRefusal(2, 1, 'wrong CHAP name or response');
    const theirId = keys.get('CHAP_I');
    const theirChallenge = keys.get('CHAP_C');
    this.auth = 'done';
    if (theirId === undefined && theirChallenge === undefined) return [];
    // Mutual CHAP: the initiator challenges us in turn.
    const identifier = theirId !== undefined && /^[0-9]{1,3}$/.test(theirId) ? Number(theirId) : -1;
    const challenge = readBinary(theirChallenge ?? '');
    if (identifier < 0 || identifier > 255 || challenge === null) throw new LoginRefusal(2, 1, 'a malformed CHAP_I/CHAP_C');
    if (chap.mutualSecret === undefined) throw new LoginRefusal(2, 1, 'mutual CHAP asked, but no mutual secret is configured');
    if (challenge.equals(this.challenge.challenge)) throw new LoginRefusal(2, 1, 'the initiator reflected our challenge');
    return [
      ['CHAP_N', chap.mutualUser ?? 'labwarden-responder'],
      ['CHAP_R', `0x${chapMd5(identifier, chap.mutualSecret, challenge).toString('hex')}`],
    ];
  }
}
