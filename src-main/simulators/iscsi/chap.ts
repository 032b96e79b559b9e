/** The target's half of CHAP (RFC 7143 §12.1.3): challenge the initiator, check its answer, answer its challenge. */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const chapMd5 = (identifier: number, secret: string, challenge: Buffer) =>
  createHash('md5').update(Buffer.of(identifier & 0xff)).update(secret, 'utf8').update(challenge).digest();

/** A fresh challenge; 32 bytes (tgtd sends 48, any length up to 1024 is allowed). */
export const newTargetChallenge = () => ({ identifier: randomInt(0, 256), challenge: randomBytes(32) });

/** `0x…` hex or `0b…` base64 (§6.1), or null when it is neither or longer than 1024 bytes. */
export function readBinary(value: string): Buffer | null {
  const body = value.slice(2);
  if (/^0[xX][0-9a-fA-F]{1,2048}$/.test(value)) return Buffer.from(body.length % 2 ? `0${body}` : body, 'hex');
  if (/^0[bB][A-Za-z0-9+/]{1,1368}={0,2}$/.test(value)) return Buffer.from(body, 'base64');
  return null;
}

export const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
