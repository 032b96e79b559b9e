/**
 * CHAP responses (RFC 7143 §12.1.3 on RFC 1994): MD5(CHAP_I byte || secret || challenge). Expected digests are
 * computed outside our code: fixed vectors computed once with Python's hashlib (values below), and random
 * cases checked against the openssl command line.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chapResponse, decodeBinary, encodeBinary, newChallenge, sameResponse } from '../../../../src-main/drivers/iscsi/chap';
import { prng } from '../../helpers/prng';

const hex = (text: string) => Buffer.from(text, 'hex');

function opensslMd5(bytes: Buffer): string | null {
  try {
    return execFileSync('openssl', ['dgst', '-md5', '-binary'], { input: bytes }).toString('hex');
  } catch {
    return null;
  }
}

describe('chapResponse', () => {
  it('matches fixed vectors (hashlib.md5(bytes([id]) + secret + challenge))', () => {
    expect(chapResponse(1, 'Secret1234567', hex('00112233445566778899aabbccddeeff')).toString('hex')).toBe('f7806ba5de2ff16a0937330f856b44d7');
    expect(chapResponse(255, 'sécret✓', Buffer.from(Array.from({ length: 48 }, (_, i) => i))).toString('hex')).toBe('696a8f4245bc32474d887b8c0b081216');
    expect(chapResponse(0, '', Buffer.of(0)).toString('hex')).toBe('c4103f122d27677c9db144cae1394a66');
  });

  it('matches openssl on random identifiers, secrets and challenges', (context) => {
    if (opensslMd5(Buffer.alloc(0)) === null) {
      console.warn('chap.test.ts: the openssl comparison skipped: `openssl dgst -md5` is not available');
      context.skip();
    }
    const random = prng(7143);
    for (let n = 0; n < 10; n++) {
      const identifier = random.int(0, 255);
      const secret = Array.from({ length: random.int(1, 24) }, () => String.fromCharCode(random.int(0x21, 0x7e))).join('');
      const challenge = Buffer.from(Array.from({ length: random.int(1, 64) }, () => random.int(0, 255)));
      const expected = opensslMd5(Buffer.concat([Buffer.of(identifier), Buffer.from(secret), challenge]));
      expect(chapResponse(identifier, secret, challenge).toString('hex')).toBe(expected);
    }
  });

  it('refuses an identifier that is not one byte', () => {
    expect(() => chapResponse(256, 's', Buffer.of(1))).toThrow(RangeError);
    expect(() => chapResponse(-1, 's', Buffer.of(1))).toThrow(RangeError);
  });
});

describe('binary values (§6.1)', () => {
  it('reads 0x hex (odd digit counts padded) and 0b base64, writes 0x lower-case hex', () => {
    expect(decodeBinary('0xA1b2', 'CHAP_C', 1024)).toEqual(hex('a1b2'));
    expect(decodeBinary('0X1', 'CHAP_C', 1024)).toEqual(hex('01'));
    expect(decodeBinary('0boRE=', 'CHAP_C', 1024)).toEqual(hex('a111'));
    expect(encodeBinary(hex('00ff10'))).toBe('0x00ff10');
  });

  it('refuses other forms and values above the limit', () => {
    for (const bad of ['', '0x', '0xzz', '1234', '0b', '0b@@@@', '0bQQ']) {
      expect(() => decodeBinary(bad, 'CHAP_C', 1024), bad).toThrow(expect.objectContaining({ kind: 'protocol' }));
    }
    expect(() => decodeBinary(`0x${'ab'.repeat(1025)}`, 'CHAP_C', 1024)).toThrow(/longer than 1024 bytes/);
    expect(() => decodeBinary(`0b${'QUFB'.repeat(400)}`, 'CHAP_C', 1024)).toThrow(/longer than 1024 bytes/);
  });
});

describe('our challenge for mutual CHAP', () => {
  it("is 16 fresh random bytes, never the target's own challenge, with a one-byte identifier", () => {
    const theirs = Buffer.alloc(16, 7);
    const seen = new Set<string>();
    for (let n = 0; n < 50; n++) {
      const { identifier, challenge } = newChallenge(theirs);
      expect(challenge).toHaveLength(16);
      expect(challenge.equals(theirs)).toBe(false);
      expect(identifier).toBeGreaterThanOrEqual(0);
      expect(identifier).toBeLessThanOrEqual(255);
      seen.add(challenge.toString('hex'));
    }
    expect(seen.size).toBe(50);
  });

  it('compares responses in constant time and by length', () => {
    expect(sameResponse(hex('0102'), hex('0102'))).toBe(true);
    expect(sameResponse(hex('0102'), hex('0103'))).toBe(false);
    expect(sameResponse(hex('0102'), hex('010203'))).toBe(false);
  });
});
