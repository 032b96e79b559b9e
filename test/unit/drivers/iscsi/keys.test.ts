/** Text keys (RFC 7143 §6.1), SendTargets answers (§13.3, Appendix C), and the login status table (§11.13.5). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_LIMITS, encodeKeys, parseKeys, parseNumber, uniqueKeys } from '../../../../src-main/drivers/iscsi/keys';
import { parseSendTargets, parseTargetAddress } from '../../../../src-main/drivers/iscsi/sendtargets';
import { describeLoginStatus, isRedirect, kindForLoginStatus, statusCode } from '../../../../src-main/drivers/iscsi/errors/status';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const kindOf = (action: () => unknown): string | null => {
  try {
    action();
    return null;
  } catch (error) {
    return (error as { kind?: string }).kind ?? 'not a ProbeError';
  }
};

describe('parseKeys', () => {
  it('reads key=value pairs, keeps duplicates in order, and splits only at the first "="', () => {
    expect(parseKeys(bytes('TargetName=iqn.a\0TargetAddress=10.0.0.1:3260,1\0TargetName=iqn.b\0X-Odd=a=b\0'))).toEqual([
      ['TargetName', 'iqn.a'],
      ['TargetAddress', '10.0.0.1:3260,1'],
      ['TargetName', 'iqn.b'],
      ['X-Odd', 'a=b'],
    ]);
  });

  it('accepts an empty text, empty values, NUL padding, and UTF-8 values', () => {
    expect(parseKeys(Buffer.alloc(0))).toEqual([]);
    expect(parseKeys(bytes('TargetAlias=\0\0\0\0'))).toEqual([['TargetAlias', '']]);
    expect(parseKeys(bytes('TargetAlias=Speicher für VMs ✓\0'))).toEqual([['TargetAlias', 'Speicher für VMs ✓']]);
  });

  it('refuses malformed pairs as protocol errors', () => {
    for (const text of ['AuthMethod=None', 'AuthMethod\0', '=None\0', 'authMethod=None\0', 'Auth Method=None\0', '__proto__=x\0', `${'K'.repeat(64)}=v\0`]) {
      expect(kindOf(() => parseKeys(bytes(text))), text).toBe('protocol');
    }
    expect(kindOf(() => parseKeys(Buffer.from([0x41, 0x3d, 0xff, 0xfe, 0x00])))).toBe('protocol'); // not UTF-8
    expect(kindOf(() => parseKeys(bytes(`${'K'.repeat(63)}=v\0`)))).toBeNull();
  });

  it('bounds values and pair counts (too-large)', () => {
    expect(kindOf(() => parseKeys(bytes(`TargetAlias=${'a'.repeat(DEFAULT_KEY_LIMITS.maxValueBytes + 1)}\0`)))).toBe('too-large');
    expect(kindOf(() => parseKeys(bytes('A=1\0'.repeat(11)), { ...DEFAULT_KEY_LIMITS, maxPairs: 10 }))).toBe('too-large');
  });

  it('uniqueKeys refuses a key sent twice in one negotiation (§6.2), and a __proto__-like key stays data', () => {
    expect(kindOf(() => uniqueKeys([['AuthMethod', 'None'], ['AuthMethod', 'CHAP']], 'login'))).toBe('protocol');
    const map = uniqueKeys([['Constructor', 'x']], 'login');
    expect(map.get('Constructor')).toBe('x');
  });
});

describe('encodeKeys and parseNumber', () => {
  it('encodes what parseKeys reads back, and refuses what it would refuse', () => {
    const pairs = [['InitiatorName', 'iqn.2026-11.org.labwarden:monitor'], ['AuthMethod', 'CHAP,None']] as const;
    expect(parseKeys(encodeKeys(pairs))).toEqual(pairs.map((p) => [...p]));
    expect(() => encodeKeys([['bad key', 'x']])).toThrow(RangeError);
    expect(() => encodeKeys([['Key', 'a\0b']])).toThrow(RangeError);
  });

  it('reads decimal and 0x numbers within bounds (§6.1)', () => {
    expect(parseNumber('8192', 512, 0xffffff)).toBe(8192);
    expect(parseNumber('0x2000', 512, 0xffffff)).toBe(8192);
    expect(parseNumber('100', 512, 0xffffff)).toBeNull();
    expect(parseNumber('-1', 0, 10)).toBeNull();
    expect(parseNumber('1e3', 0, 5000)).toBeNull();
    expect(parseNumber('', 0, 5)).toBeNull();
  });
});

describe('SendTargets', () => {
  it('reads TargetAddress forms: IPv4, host name, bracketed IPv6, default port, no tpgt', () => {
    expect(parseTargetAddress('10.10.20.20:3260,1')).toEqual({ address: '10.10.20.20', port: 3260, tpgt: 1 });
    expect(parseTargetAddress('san.lab.example')).toEqual({ address: 'san.lab.example', port: 3260, tpgt: null });
    expect(parseTargetAddress('[fd00::20]:13260,2')).toEqual({ address: 'fd00::20', port: 13260, tpgt: 2 });
    expect(parseTargetAddress('[fe80::1%eth0]')).toEqual({ address: 'fe80::1%eth0', port: 3260, tpgt: null });
    expect(parseTargetAddress('fd00::20,1')).toEqual({ address: 'fd00::20', port: 3260, tpgt: 1 }); // unbracketed, read leniently
    for (const bad of ['', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.1:3260,99999', 'a b', '[::1', '10.0.0.1:3260,1,2']) {
      expect(kindOf(() => parseTargetAddress(bad)), bad).toBe('protocol');
    }
  });

  it('groups addresses and aliases under their TargetName, merges a name listed twice, keeps a portal once', () => {
    const targets = parseSendTargets(
      parseKeys(
        bytes(
          'TargetName=iqn.a\0TargetAlias=heartbeat\0TargetAddress=10.0.0.1:3260,1\0TargetAddress=10.0.1.1:3260,2\0' +
            'TargetName=iqn.b\0TargetAddress=10.0.0.1:3260,1\0TargetName=iqn.a\0TargetAddress=10.0.0.1:3260,1\0TargetAddress=10.0.2.1:3260,3\0',
        ),
      ),
    );
    expect(targets).toEqual([
      {
        iqn: 'iqn.a',
        alias: 'heartbeat',
        portals: [
          { address: '10.0.0.1', port: 3260, tpgt: 1 },
          { address: '10.0.1.1', port: 3260, tpgt: 2 },
          { address: '10.0.2.1', port: 3260, tpgt: 3 },
        ],
      },
      { iqn: 'iqn.b', alias: null, portals: [{ address: '10.0.0.1', port: 3260, tpgt: 1 }] },
    ]);
  });

  it('refuses an address before any name and a name above 223 bytes; ignores keys that are not SendTargets keys', () => {
    expect(kindOf(() => parseSendTargets([['TargetAddress', '10.0.0.1']]))).toBe('protocol');
    expect(kindOf(() => parseSendTargets([['TargetName', `iqn.${'x'.repeat(220)}`]]))).toBe('protocol');
    expect(parseSendTargets([['X-Vendor', '1'], ['TargetName', 'iqn.a']])).toEqual([{ iqn: 'iqn.a', alias: null, portals: [] }]);
    expect(parseSendTargets([])).toEqual([]);
  });
});

describe('login status (RFC 7143 §11.13.5)', () => {
  it('names each status with its code, and sorts credentials/ACL from other refusals', () => {
    expect(describeLoginStatus(2, 1)).toBe('authentication failed (status 0x0201)');
    expect(describeLoginStatus(2, 2)).toBe('not authorized (the target does not allow this initiator) (status 0x0202)');
    expect(describeLoginStatus(2, 9)).toBe('session type not supported (status 0x0209)');
    expect(describeLoginStatus(3, 1)).toBe('service unavailable (status 0x0301)');
    expect(describeLoginStatus(3, 0x44)).toBe('target error, detail 68 (status 0x0344)');
    expect(describeLoginStatus(9, 9)).toBe('unknown status class, detail 9 (status 0x0909)');
    expect(statusCode(1, 2)).toBe('0x0102');
    expect(kindForLoginStatus(2, 1)).toBe('auth-failed');
    expect(kindForLoginStatus(2, 2)).toBe('auth-failed');
    expect(kindForLoginStatus(2, 3)).toBe('login-rejected');
    expect(kindForLoginStatus(3, 2)).toBe('login-rejected');
    expect([isRedirect(1, 1), isRedirect(1, 2), isRedirect(1, 3), isRedirect(2, 1)]).toEqual([true, true, false, false]);
  });
});
