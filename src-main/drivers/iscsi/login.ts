/**
 * The login phase of a discovery session (RFC 7143 §6.3, §11.12, §11.13): Security stage (AuthMethod None, or
 * CHAP with MD5 and optionally mutual), then Operational stage, then the Full Feature Phase. Login PDUs are
 * immediate, so all carry the same CmdSN and ITT (§4.2.2.1, §11.12.6); ExpStatSN follows the last StatSN.
 * Only `SessionType=Discovery` is ever sent: a normal session would count against the target's session limit
 * (a Synology target allows one by default, reference san.md §1.7).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { ProbeError, protocolError } from './errors/probe-error';
import { describeLoginStatus, isRedirect, kindForLoginStatus } from './errors/status';
import { CHAP_MD5, MAX_CHALLENGE_BYTES, chapResponse, decodeBinary, encodeBinary, newChallenge, sameResponse } from './chap';
import { encodeKeys, parseKeys, parseNumber, uniqueKeys, type KeyPair } from './keys';
import { Opcode, RESERVED_TAG, Stage, describeOpcode, describeReject, encodeLoginRequest, readLoginResponse } from './pdu';
import { parseTargetAddress } from './sendtargets';
import type { PduConnection } from './connection';

export interface ChapCredentials {
  user: string;
  secret: string;
  /** Mutual CHAP: the name the target must answer with (unchecked when absent). */
  targetUser?: string;
  /** Mutual CHAP: the secret the target must prove it knows. */
  targetSecret?: string;
}

export interface LoginSettings {
  portal: string;
  initiatorName: string;
  chap: ChapCredentials | null;
  maxRecvDataSegmentLength: number;
  responseTimeoutMs: number;
}

/** What the probe knows so far, kept even when the login fails (the result reports the method tried). */
export interface LoginProgress {
  authMethod: 'None' | 'CHAP' | null;
}

export type LoginOutcome =
  | {
      kind: 'full-feature';
      /** The CmdSN for the first non-immediate command: the final response's ExpCmdSN (§4.2.2.1). */
      cmdSN: number;
      expStatSN: number;
      /** Every key the target answered in the Operational stage and after. */
      negotiated: Map<string, string>;
      /** What the target declared (§13.12); 8192 when it did not say. */
      targetMaxRecvDataSegmentLength: number;
    }
  | { kind: 'redirect'; address: string; port: number; permanent: boolean };

/** A login that needs more round trips than this is going in circles. */
const MAX_LOGIN_ROUNDS = 16;
/** Login answers continued with C=1 (§11.13.2) are joined up to this size. */
const MAX_LOGIN_TEXT_BYTES = 64 * 1024;
const DEFAULT_MAX_RECV = 8192;

/** ISID type 10 "Random" (§11.12.5): 0x80, 24 random bits (B, C), a 16-bit qualifier (D). */
function randomIsid(): Buffer {
  const isid = randomBytes(6);
  isid[0] = 0x80;
  return isid;
}

/** A task tag other than the reserved 0xffffffff. */
export const newTaskTag = () => randomInt(0, RESERVED_TAG);

export async function login(connection: PduConnection, settings: LoginSettings, progress: LoginProgress): Promise<LoginOutcome> {
  const { portal, chap } = settings;
  const isid = randomIsid();
  const itt = newTaskTag();
  const cmdSN = 1;
  let expStatSN = 0;
  let rounds = 0;

  interface Answer {
    transit: boolean;
    nsg: number;
    expCmdSN: number;
    keys: Map<string, string>;
  }

  /** One request, and its answer joined across C=1 continuations. A redirect comes back as `redirect`. */
  const exchange = async (transit: boolean, csg: Stage, nsg: Stage, pairs: readonly KeyPair[], waitingFor: string): Promise<Answer | { address: string; port: number; permanent: boolean }> => {
    const texts: Buffer[] = [];
    let textBytes = 0;
    let send = encodeLoginRequest({ transit, csg, nsg, isid, tsih: 0, itt, cid: 0, cmdSN, expStatSN }, encodeKeys(pairs));
    for (;;) {
      if (++rounds > MAX_LOGIN_ROUNDS) throw protocolError(`${portal}: the login did not finish within ${MAX_LOGIN_ROUNDS} round trips`);
      connection.send(send);
      const pdu = await connection.next(settings.responseTimeoutMs, waitingFor);
      if (pdu.opcode === Opcode.Reject) throw protocolError(`${portal}: the target rejected a Login Request: ${describeReject(pdu)}`);
      if (pdu.opcode !== Opcode.LoginResponse) throw protocolError(`${portal}: expected a Login Response, got ${describeOpcode(pdu.opcode)}`);
      const response = readLoginResponse(pdu);
      if (response.itt !== itt) throw protocolError(`${portal}: the Login Response carries another task tag (0x${response.itt.toString(16)})`);
      expStatSN = (response.statSN + 1) >>> 0;
      textBytes += pdu.data.length;
      if (textBytes > MAX_LOGIN_TEXT_BYTES) throw new ProbeError('too-large', `${portal}: the login answer is longer than ${MAX_LOGIN_TEXT_BYTES} bytes`);
      texts.push(pdu.data);
      if (response.statusClass !== 0) {
        const keys = uniqueKeys(parseKeys(Buffer.concat(texts)), `${portal}: login response`);
        const address = keys.get('TargetAddress');
        if (isRedirect(response.statusClass, response.statusDetail) && address !== undefined) {
          const target = parseTargetAddress(address);
          return { address: target.address, port: target.port, permanent: response.statusDetail === 2 };
        }
        throw new ProbeError(kindForLoginStatus(response.statusClass, response.statusDetail), `${portal}: iSCSI login rejected: ${describeLoginStatus(response.statusClass, response.statusDetail)}`, {
          statusClass: response.statusClass,
          statusDetail: response.statusDetail,
        });
      }
      if (response.versionActive !== 0) throw protocolError(`${portal}: the target chose iSCSI version ${response.versionActive}; RFC 7143 is version 0`);
      if (response.csg !== csg) throw protocolError(`${portal}: the Login Response is for stage ${response.csg}, the request was for stage ${csg}`);
      if (response.continue) {
        if (response.transit) throw protocolError(`${portal}: a Login Response with both T and C set (RFC 7143 §11.13.2)`);
        // The target has more text: an empty request with the same stage fetches it (§6.2).
        send = encodeLoginRequest({ transit: false, csg, nsg: 0, isid, tsih: 0, itt, cid: 0, cmdSN, expStatSN });
        continue;
      }
      if (response.transit && (!transit || response.nsg !== nsg)) throw protocolError(`${portal}: the target moved to stage ${response.nsg}, the probe asked for ${transit ? nsg : 'no move'}`);
      const keys = uniqueKeys(parseKeys(Buffer.concat(texts)), `${portal}: login response`);
      return { transit: response.transit, nsg: response.nsg, expCmdSN: response.expCmdSN, keys };
    }
  };

  /** Ask again, with no keys, until the target agrees to move on (it may answer T=0 while it is not ready). */
  const transitTo = async (first: Answer, csg: Stage, nsg: Stage, waitingFor: string): Promise<Answer | { address: string; port: number; permanent: boolean }> => {
    let answer: Answer | { address: string; port: number; permanent: boolean } = first;
    while ('keys' in answer && !answer.transit) answer = await exchange(true, csg, nsg, [], waitingFor);
    return answer;
  };

  const mutual = chap !== null && chap.targetSecret !== undefined;
  const offered = chap === null ? 'None' : mutual ? 'CHAP' : 'CHAP,None';
  const opening: KeyPair[] = [
    ['InitiatorName', settings.initiatorName],
    ['SessionType', 'Discovery'],
    ['AuthMethod', offered],
  ];

  // Security stage. Offering CHAP leaves T=0: the CHAP exchange has to happen before the target may move on.
  let answer = await exchange(chap === null, Stage.Security, chap === null ? Stage.Operational : Stage.Security, opening, 'the answer to the first Login Request');
  if (!('keys' in answer)) return { kind: 'redirect', ...answer };
  const chosen = answer.keys.get('AuthMethod') ?? (chap === null ? 'None' : undefined);
  if (chosen === 'CHAP' && chap !== null) {
    progress.authMethod = 'CHAP';
    answer = await exchange(false, Stage.Security, Stage.Security, [['CHAP_A', String(CHAP_MD5)]], 'the CHAP challenge');
    if (!('keys' in answer)) return { kind: 'redirect', ...answer };
    const algorithm = answer.keys.get('CHAP_A');
    if (algorithm !== String(CHAP_MD5)) throw new ProbeError('auth-failed', `${portal}: the target chose CHAP algorithm ${algorithm ?? '(none)'}; the probe offers only MD5 (CHAP_A=5)`);
    const identifier = parseNumber(answer.keys.get('CHAP_I') ?? '', 0, 255);
    const challengeText = answer.keys.get('CHAP_C');
    if (identifier === null || challengeText === undefined) throw protocolError(`${portal}: the CHAP challenge lacks a valid CHAP_I or CHAP_C`);
    const theirChallenge = decodeBinary(challengeText, 'CHAP_C', MAX_CHALLENGE_BYTES);
    const reply: KeyPair[] = [
      ['CHAP_N', chap.user],
      ['CHAP_R', encodeBinary(chapResponse(identifier, chap.secret, theirChallenge))],
    ];
    const ours = mutual ? newChallenge(theirChallenge) : null;
    if (ours) reply.push(['CHAP_I', String(ours.identifier)], ['CHAP_C', encodeBinary(ours.challenge)]);
    answer = await exchange(true, Stage.Security, Stage.Operational, reply, 'the CHAP verdict');
    if (!('keys' in answer)) return { kind: 'redirect', ...answer };
    if (ours && chap.targetSecret !== undefined) verifyTarget(answer.keys, chap, ours, portal);
  } else if (chosen === 'None' && chap?.targetSecret === undefined) {
    progress.authMethod = 'None';
    if (chap !== null) answer = await exchange(true, Stage.Security, Stage.Operational, [], 'the end of the Security stage');
  } else {
    const detail = chosen === undefined || chosen === 'Reject' ? 'accepts none of the offered methods' : `chose AuthMethod=${chosen}`;
    throw new ProbeError('auth-failed', `${portal}: the target ${detail} (the probe offered AuthMethod=${offered})${chap === null ? '; it probably requires CHAP credentials' : ''}`);
  }
  answer = await transitTo(answer as Answer, Stage.Security, Stage.Operational, 'the end of the Security stage');
  if (!('keys' in answer)) return { kind: 'redirect', ...answer };

  // Operational stage: keys that matter to a discovery session (§13; the others are irrelevant to it).
  const operational: KeyPair[] = [
    ['HeaderDigest', 'None'],
    ['DataDigest', 'None'],
    ['MaxRecvDataSegmentLength', String(settings.maxRecvDataSegmentLength)],
    ['DefaultTime2Wait', '0'],
    ['DefaultTime2Retain', '0'],
  ];
  answer = await exchange(true, Stage.Operational, Stage.FullFeature, operational, 'the Operational stage answer');
  if (!('keys' in answer)) return { kind: 'redirect', ...answer };
  const negotiated = new Map(answer.keys);
  answer = await transitTo(answer, Stage.Operational, Stage.FullFeature, 'the end of the Operational stage');
  if (!('keys' in answer)) return { kind: 'redirect', ...answer };
  for (const [key, value] of answer.keys) negotiated.set(key, value);
  for (const digest of ['HeaderDigest', 'DataDigest']) {
    const value = negotiated.get(digest);
    if (value !== undefined && value !== 'None') throw protocolError(`${portal}: the target wants ${digest}=${value.slice(0, 40)}; the probe offered only None`);
  }
  const declared = negotiated.get('MaxRecvDataSegmentLength');
  return {
    kind: 'full-feature',
    cmdSN: answer.expCmdSN,
    expStatSN,
    negotiated,
    targetMaxRecvDataSegmentLength: (declared === undefined ? null : parseNumber(declared, 512, 0xffffff)) ?? DEFAULT_MAX_RECV,
  };
}

/** Mutual CHAP: the target must answer our challenge with the target secret (and name itself as expected). */
function verifyTarget(keys: Map<string, string>, chap: ChapCredentials, ours: { identifier: number; challenge: Buffer }, portal: string): void {
  const name = keys.get('CHAP_N');
  const response = keys.get('CHAP_R');
  if (response === undefined) throw new ProbeError('auth-failed', `${portal}: mutual CHAP failed: the target did not answer the probe's challenge`);
  if (chap.targetUser !== undefined && name !== chap.targetUser) {
    throw new ProbeError('auth-failed', `${portal}: mutual CHAP failed: the target calls itself "${(name ?? '').slice(0, 64)}", expected "${chap.targetUser}"`);
  }
  const expected = chapResponse(ours.identifier, chap.targetSecret ?? '', ours.challenge);
  if (!sameResponse(expected, decodeBinary(response, 'CHAP_R', 64))) {
    throw new ProbeError('auth-failed', `${portal}: mutual CHAP failed: the target's answer to the probe's challenge is wrong (it does not know the target secret)`);
  }
}
