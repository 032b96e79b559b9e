import { describe, it, expect } from 'vitest';
import { isIP } from 'node:net';
import {
  isIPv4,
  isIPv6,
  isHostName,
  checkAddress,
  checkManagementUrl,
  normaliseMac,
  hostForUrl,
} from '../../../src-main/domain/checks/addresses';
import { prng, type Prng } from '../helpers/prng';

// ---- generators for the fuzz: valid addresses, near misses and garbage --------------------------------

const HEX = '0123456789abcdefABCDEF';
const ZONE_CHARS = 'abcdefxyzETH0123456789-._:';
const NOISE = '0123456789abcdefABCDEFgxz:.%_-[]/ ';

function octet(r: Prng): string {
  return String(r.int(0, 255));
}

function v4(r: Prng): string {
  return [octet(r), octet(r), octet(r), octet(r)].join('.');
}

function hexGroup(r: Prng): string {
  let group = '';
  const length = r.int(1, 4);
  for (let i = 0; i < length; i++) group += r.pick([...HEX]);
  return group;
}

/** An IPv6 address, sometimes with an embedded IPv4 tail, sometimes compressed with '::' (incl. '::' alone). */
function v6(r: Prng): string {
  const embedded = r.chance(0.2);
  const units: string[] = [];
  for (let i = 0; i < (embedded ? 6 : 8); i++) units.push(hexGroup(r));
  if (embedded) units.push(r.chance(0.5) ? v4(r) : `${r.int(0, 255)}.${r.int(0, 255)}.0.1`);
  if (r.chance(0.05)) return '::';
  if (r.chance(0.6)) {
    // Drop a run of groups and write '::' in their place; an empty run makes a near miss.
    const start = r.int(0, units.length);
    const end = r.int(start, units.length);
    const head = units.slice(0, start).join(':');
    const tail = units.slice(end).join(':');
    return `${head}::${tail}`;
  }
  return units.join(':');
}

function zone(r: Prng): string {
  let text = '%';
  const length = r.int(0, 6);
  for (let i = 0; i < length; i++) text += r.pick([...ZONE_CHARS]);
  return text;
}

function mutate(r: Prng, text: string): string {
  let out = text;
  const edits = r.int(1, 3);
  for (let e = 0; e < edits; e++) {
    const at = r.int(0, out.length);
    switch (r.int(0, 4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + r.pick([...NOISE]) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + r.pick([...NOISE]) + out.slice(at + 1);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(at, at + r.int(1, 5)) + out.slice(at);
        break;
      default:
        out = out.replace(/\d+/, () => String(r.pick([256, 300, 999, 1000, '00', '01', '007'])));
    }
  }
  return out;
}

function garbage(r: Prng): string {
  let text = '';
  const length = r.int(0, 24);
  for (let i = 0; i < length; i++) text += r.pick([...NOISE]);
  return text;
}

function fuzzCases(seed: number, count: number): string[] {
  const r = prng(seed);
  const cases: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = r.next();
    if (roll < 0.2) cases.push(v4(r));
    else if (roll < 0.5) cases.push(v6(r));
    else if (roll < 0.6) cases.push(v6(r) + zone(r));
    else if (roll < 0.9) cases.push(mutate(r, r.chance(0.4) ? v4(r) : v6(r) + (r.chance(0.2) ? zone(r) : '')));
    else cases.push(garbage(r));
  }
  return cases;
}

const CASES = fuzzCases(20240611, 4000);

describe('address checks agree with node:net on a seeded fuzz', () => {
  it('the fuzz covers valid IPv4, valid IPv6, zoned IPv6 and rejected strings', () => {
    const v4Count = CASES.filter((c) => isIP(c) === 4).length;
    const v6Count = CASES.filter((c) => isIP(c) === 6).length;
    const zoned = CASES.filter((c) => isIP(c) === 6 && c.includes('%')).length;
    const embedded = CASES.filter((c) => isIP(c) === 6 && c.includes('.')).length;
    const rejected = CASES.filter((c) => isIP(c) === 0).length;
    expect(v4Count).toBeGreaterThan(500);
    expect(v6Count).toBeGreaterThan(1000);
    expect(zoned).toBeGreaterThan(100);
    expect(embedded).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1000);
    expect(CASES).toContain('::');
  });

  it('isIPv4 accepts exactly what node:net calls IPv4', () => {
    const disagreements = CASES.filter((c) => isIPv4(c) !== (isIP(c) === 4));
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('isIPv6 accepts exactly what node:net calls IPv6 (including zone ids and embedded IPv4)', () => {
    const disagreements = CASES.filter((c) => isIPv6(c) !== (isIP(c) === 6)).map((c) => ({ text: c, node: isIP(c) }));
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('checkAddress accepts every address node:net accepts, and rejects address-shaped text node:net rejects', () => {
    const disagreements: { text: string; node: number; message: string | null }[] = [];
    for (const c of CASES) {
      const message = checkAddress(c);
      const node = isIP(c);
      // Text made of digits and dots, or holding a colon, can only be an address, never a host name.
      const addressShaped = /^[\d.]+$/.test(c) || c.includes(':');
      if (node !== 0 ? message !== null : addressShaped && message === null) disagreements.push({ text: c, node, message });
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });
});

describe('IPv6 zone ids', () => {
  // Zone ids follow node:net, which is what later connects to the address: a zone it accepts must be
  // accepted here, and one it rejects (it would be looked up as a host name and fail) must be refused here.
  it.each([
    ['fe80::1%eth0', true],
    ['fe80::1%1', true],
    ['fe80::1%en0.100', true],
    ['fe80::1%', false],
    ['fe80::1%a%b', false],
    ['fe80::1%br_lan', false],
    ['fe80::1%a:b', true],
  ])('%s is an IPv6 address: %s (as node:net says)', (text, expected) => {
    expect(isIP(text) === 6).toBe(expected);
    expect(isIPv6(text)).toBe(expected);
  });
});

describe('IPv6 with an embedded IPv4 address', () => {
  // The dotted quad fills the last 32 bits, so it can only come last: '::' after it is not an address.
  it.each([
    ['::1.2.3.4', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:1.2.3.4', true],
    ['1:2:3:4:5::1.2.3.4', true],
    ['1:2:3:4:5:6:7:1.2.3.4', false],
    ['1.2.3.4::', false],
    ['1:2:3:4:5:1.2.3.4::', false],
    ['::1.2.3.4:1', false],
  ])('%s is an IPv6 address: %s (as node:net says)', (text, expected) => {
    expect(isIP(text) === 6).toBe(expected);
    expect(isIPv6(text)).toBe(expected);
  });
});

describe('management addresses', () => {
  it.each(['10.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', 'fe80::1%eth0', '::ffff:10.0.0.1', 'sw-a.lab', 'sw-a', 'xen1.lab.example.'])(
    'accepts %s',
    (text) => {
      expect(checkAddress(text)).toBeNull();
    },
  );

  it('rejects 10.0.0.256 as a bad IPv4 address instead of taking it for a host name', () => {
    expect(isHostName('10.0.0.256')).toBe(false);
    expect(checkAddress('10.0.0.256')).toBe('"10.0.0.256" is not a valid IPv4 address (four numbers 0–255 separated by dots)');
  });

  it('accepts a host label of 63 characters and rejects one of 64', () => {
    expect(isHostName(`${'a'.repeat(63)}.lab`)).toBe(true);
    expect(isHostName(`${'a'.repeat(64)}.lab`)).toBe(false);
    expect(checkAddress(`${'a'.repeat(64)}.lab`)).toMatch(/neither an IP address nor a valid host name/);
  });

  it('rejects host names over 253 characters, labels starting or ending with a hyphen, and underscores', () => {
    const long = Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.'); // 255 characters
    expect(isHostName(long)).toBe(false);
    expect(isHostName('-sw.lab')).toBe(false);
    expect(isHostName('sw-.lab')).toBe(false);
    expect(isHostName('sw_a.lab')).toBe(false);
    expect(isHostName('sw-a.lab')).toBe(true);
  });

  it('names the problem in its message', () => {
    expect(checkAddress('')).toMatch(/required/);
    expect(checkAddress('   ')).toMatch(/required/);
    expect(checkAddress(' 10.0.0.1')).toMatch(/remove the spaces/);
    expect(checkAddress('10.0.0.1 ')).toMatch(/remove the spaces/);
    expect(checkAddress('10.0.0')).toMatch(/not a valid IPv4 address/);
    expect(checkAddress('fe80:::1')).toBe('"fe80:::1" is not a valid IPv6 address');
    expect(checkAddress('1:2:3:4:5:6:7:8:9')).toMatch(/not a valid IPv6 address/);
    expect(checkAddress('sw a')).toBe('"sw a" is neither an IP address nor a valid host name');
  });

  it('brackets IPv6 literals for use before a :port, and leaves other addresses alone', () => {
    expect(hostForUrl('fe80::1')).toBe('[fe80::1]');
    expect(hostForUrl('10.0.0.1')).toBe('10.0.0.1');
    expect(hostForUrl('san.lab')).toBe('san.lab');
  });
});

describe('management URLs', () => {
  it.each(['https://10.0.0.1', 'https://[fe80::1]:443', 'http://host.lab:8080/path', 'HTTPS://xen1.lab/', 'https://10.10.10.30:5001'])(
    'accepts %s',
    (url) => {
      expect(checkManagementUrl(url, 'XenAPI')).toBeNull();
    },
  );

  it('rejects other schemes, a missing host and out-of-range ports, naming the problem', () => {
    expect(checkManagementUrl('ftp://10.0.0.1', 'XenAPI')).toBe('"ftp://10.0.0.1" is not an http:// or https:// URL (for example https://10.0.0.1)');
    expect(checkManagementUrl('https://', 'XenAPI')).toMatch(/is not an http:\/\/ or https:\/\/ URL/);
    expect(checkManagementUrl('https://:443', 'XenAPI')).toMatch(/is not an http:\/\/ or https:\/\/ URL/);
    expect(checkManagementUrl('10.0.0.1', 'XenAPI')).toMatch(/is not an http:\/\/ or https:\/\/ URL/);
    expect(checkManagementUrl('https://10.0.0.1:70000', 'DSM')).toBe('port 70000 in the DSM URL is outside 1–65535');
    expect(checkManagementUrl('https://10.0.0.1:0', 'DSM')).toBe('port 0 in the DSM URL is outside 1–65535');
    expect(checkManagementUrl('', 'DSM')).toBe('the DSM URL is required');
  });

  it('rejects a bad address inside the URL, and an IPv6 literal without brackets', () => {
    expect(checkManagementUrl('https://10.0.0.256', 'XenAPI')).toBe('"10.0.0.256" in the XenAPI URL is not a valid address or host name');
    expect(checkManagementUrl('https://[fe80:::1]:443', 'XenAPI')).toMatch(/"fe80:::1" in the XenAPI URL is not a valid address/);
    expect(checkManagementUrl('https://[10.0.0.1]', 'XenAPI')).toMatch(/not a valid address/);
    expect(checkManagementUrl('https://fe80::1', 'XenAPI')).not.toBeNull();
  });
});

describe('MAC addresses', () => {
  it.each(['00:1b:21:3a:4f:10', '00:1B:21:3A:4F:10', '00-1B-21-3A-4F-10', '001b.213a.4f10', '001b213a4f10', ' 00:1b:21:3a:4f:10 '])(
    '%s is kept as 00:1b:21:3a:4f:10',
    (text) => {
      expect(normaliseMac(text)).toBe('00:1b:21:3a:4f:10');
    },
  );

  it.each(['', '00:1b:21:3a:4f', '00:1b:21:3a:4f:10:22', '00:1b:21:3a:4f:1g', 'not a mac', '0:1b:21:3a:4f:10'])('rejects "%s"', (text) => {
    expect(normaliseMac(text)).toBeNull();
  });
});
