/**
 * CHAP for iSCSI (RFC 7143 §12.1.3, on RFC 1994): with algorithm 5 (MD5, the only one the probe offers), the
 * response is MD5(one byte of CHAP_I || secret || challenge bytes). Binary values travel as `0x<hex>` or
 * `0b<base64>` (§6.1, "binary-value").
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { protocolError } from './errors/probe-error';

export const CHAP_MD5 = 5;
/** §12.1.3: a challenge is at most 1024 bytes. */
export const MAX_CHALLENGE_BYTES = 1024;
/** Our challenge to the target (mutual CHAP): as long as the MD5 hash, fresh each login. */
export const OUR_CHALLENGE_BYTES = 16;

export function chapResponse(identifier: number, secret: string, challenge: Uint8Array): Buffer {
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 255) throw new RangeError('CHAP_I is one byte');
  return createHash('md5').update(Buffer.of(identifier)).update(Buffer.from(secret, 'utf8')).update(challenge).digest();
}

/** `0x` and lower-case hex, the form targets accept most widely. */
export const encodeBinary = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`;

/** A binary value, `0x…` hex (an odd digit count is padded with a leading zero) or `0b…` base64, at most maxBytes. */
export function decodeBinary(value: string, name: string, maxBytes: number): Buffer {
  const prefix = value.slice(0, 2).toLowerCase();
  const body = value.slice(2);
  if (prefix === '0x') {
    if (body.length === 0 || !/^[0-9a-fA-F]+$/.test(body)) throw protocolError(`${name} is not a hex value`);
    if (body.length > maxBytes * 2) throw protocolError(`${name} is longer than ${maxBytes} bytes`);
    return Buffer.from(body.length % 2 === 1 ? `0${body}` : body, 'hex');
  }
  if (prefix === '0b') {
    if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) throw protocolError(`${name} is not a base64 value`);
    if (body.length > Math.ceil(maxBytes / 3) * 4) throw protocolError(`${name} is longer than ${maxBytes} bytes`);
    return Buffer.from(body, 'base64');
  }
  throw protocolError(`${name} is not a binary value (0x… or 0b…)`);
}

/** Our identifier and challenge for the target, never equal to the challenge it sent us (no reflection). */
export function newChallenge(theirs: Uint8Array): { identifier: number; challenge: Buffer } {
  for (;;) {
    const challenge = randomBytes(OUR_CHALLENGE_BYTES);
    if (!challenge.equals(theirs)) return { identifier: randomInt(0, 256), challenge };
  }
}

/** Constant-time comparison of a received CHAP_R with the expected one. */
export function sameResponse(expected: Uint8Array, received: Uint8Array): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}
