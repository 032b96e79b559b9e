/**
 * The Full Feature Phase of a discovery session: one Text exchange for `SendTargets=All`, then Logout.
 * Text Requests are non-immediate, so each carries the next CmdSN (§4.2.2.1); the first is the final Login
 * Response's ExpCmdSN. A long answer comes in several Text Responses (§11.11): F=0 with a Target Transfer Tag
 * means "more"; the probe then sends an empty Text Request echoing that TTT, until F=1. tgtd marks the parts
 * F=0 without C (reference san.md §1.4), others set C=1 when a pair straddles two PDUs; both are read the same
 * way, because the data of all parts is joined before it is split into pairs.
 */
import { ProbeError, describeSize, protocolError } from './errors/probe-error';
import { newTaskTag } from './login';
import {
  Opcode,
  RESERVED_TAG,
  describeOpcode,
  describeReject,
  encodeLogoutRequest,
  encodeNopOut,
  encodeTextRequest,
  readLogoutResponse,
  readNopIn,
  readTextResponse,
  type Pdu,
} from './pdu';
import type { PduConnection } from './connection';

export interface SessionNumbers {
  /** The CmdSN the next non-immediate PDU carries. */
  cmdSN: number;
  /** Last StatSN received + 1. */
  expStatSN: number;
}

export interface TextLimits {
  portal: string;
  responseTimeoutMs: number;
  maxTextRounds: number;
  maxResponseBytes: number;
}

/** Pings (NOP-In with a TTT) answered while waiting for one answer; more is a target playing games. */
const MAX_PINGS_PER_WAIT = 8;

/**
 * The next PDU that is not housekeeping: NOP-In pings are answered (§11.19), a Reject or an Async Message ends
 * the probe with the reason.
 */
async function nextAnswer(connection: PduConnection, numbers: SessionNumbers, limits: TextLimits, waitingFor: string): Promise<Pdu> {
  for (let pings = 0; ; pings++) {
    const pdu = await connection.next(limits.responseTimeoutMs, waitingFor);
    if (pdu.opcode === Opcode.NopIn && pings < MAX_PINGS_PER_WAIT) {
      const nop = readNopIn(pdu);
      if (nop.ttt !== RESERVED_TAG) connection.send(encodeNopOut({ itt: RESERVED_TAG, ttt: nop.ttt, cmdSN: numbers.cmdSN, expStatSN: numbers.expStatSN }, pdu.data));
      continue;
    }
    if (pdu.opcode === Opcode.Reject) throw protocolError(`${limits.portal}: the target rejected the probe's request: ${describeReject(pdu)}`);
    if (pdu.opcode === Opcode.AsyncMessage) throw new ProbeError('closed', `${limits.portal}: the target asked to end the session (asynchronous event ${pdu.bhs[36]})`);
    return pdu;
  }
}

/** What the exchange has read so far, kept when it fails part-way (the probe reports it either way). */
export interface TextProgress {
  /** Text Response PDUs read for SendTargets (NOP-In pings and the like not counted). */
  textResponses: number;
}

/** The joined data of every Text Response to `SendTargets=All`. */
export async function sendTargets(connection: PduConnection, numbers: SessionNumbers, limits: TextLimits, progress: TextProgress = { textResponses: 0 }): Promise<Buffer> {
  const { portal } = limits;
  const itt = newTaskTag();
  const parts: Buffer[] = [];
  let total = 0;
  let ttt = RESERVED_TAG;
  let data: Buffer = Buffer.from('SendTargets=All\0', 'utf8');
  for (let round = 1; ; round++) {
    connection.send(encodeTextRequest({ final: true, itt, ttt, cmdSN: numbers.cmdSN, expStatSN: numbers.expStatSN }, data));
    numbers.cmdSN = (numbers.cmdSN + 1) >>> 0;
    const pdu = await nextAnswer(connection, numbers, limits, round === 1 ? 'the SendTargets answer' : `part ${round} of the SendTargets answer`);
    if (pdu.opcode !== Opcode.TextResponse) throw protocolError(`${portal}: expected a Text Response, got ${describeOpcode(pdu.opcode)}`);
    progress.textResponses++;
    const response = readTextResponse(pdu);
    if (response.itt !== itt) throw protocolError(`${portal}: the Text Response carries another task tag (0x${response.itt.toString(16)})`);
    numbers.expStatSN = (response.statSN + 1) >>> 0;
    total += pdu.data.length;
    if (total > limits.maxResponseBytes) throw new ProbeError('too-large', `${portal}: the SendTargets answer is longer than the ${describeSize(limits.maxResponseBytes)} accepted`);
    parts.push(pdu.data);
    if (response.final) {
      if (response.continue) throw protocolError(`${portal}: a Text Response with both F and C set (RFC 7143 §11.11.2)`);
      return Buffer.concat(parts);
    }
    if (response.ttt === RESERVED_TAG) throw protocolError(`${portal}: a Text Response with F=0 but the reserved Target Transfer Tag (RFC 7143 §11.11.4)`);
    if (round >= limits.maxTextRounds) throw protocolError(`${portal}: the target kept its SendTargets answer going past ${limits.maxTextRounds} Text Responses`);
    ttt = response.ttt;
    data = Buffer.alloc(0);
  }
}

/**
 * Logout reason 0, close the session (§11.14), sent immediate with the current CmdSN (tgtd accepts this,
 * san.md §1.3). Best effort: the targets are already read, so a target that does not answer only costs the wait.
 */
export async function logout(connection: PduConnection, numbers: SessionNumbers, limits: TextLimits): Promise<void> {
  const itt = newTaskTag();
  connection.send(encodeLogoutRequest({ reason: 0, itt, cid: 0, cmdSN: numbers.cmdSN, expStatSN: numbers.expStatSN }));
  try {
    for (let n = 0; n < 4; n++) {
      const pdu = await nextAnswer(connection, numbers, limits, 'the Logout Response');
      if (pdu.opcode === Opcode.LogoutResponse && readLogoutResponse(pdu).itt === itt) return;
    }
  } catch {
    // Closed, timed out or rejected: the caller closes the connection either way.
  }
}
