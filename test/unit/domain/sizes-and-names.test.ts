import { describe, it, expect } from 'vitest';
import { parseSize, formatSize } from '../../../src-main/domain/checks/sizes';
import { checkIscsiName } from '../../../src-main/domain/checks/iscsi';
import { prng } from '../helpers/prng';

describe('storage sizes as people write them', () => {
  it.each([
    ['10 GB', 10e9],
    ['1 TB', 1e12],
    ['500 GiB', 500 * 2 ** 30],
    ['1.5 TB', 1.5e12],
    ['1073741824', 2 ** 30],
    ['4096 B', 4096],
    ['10GB', 10e9],
    ['  2 tib  ', 2 * 2 ** 40],
    ['1 PB', 1e15],
    ['512 KiB', 512 * 1024],
    ['100 mb', 100e6],
  ])('"%s" is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('takes a positive whole number of bytes as it is', () => {
    expect(parseSize(1e12)).toBe(1e12);
    expect(parseSize(1)).toBe(1);
  });

  it('says what is wrong with text that is not a size', () => {
    expect(parseSize('')).toBe('"" is not a size; write it like 10 GB, 1 TB or 500 GiB');
    expect(parseSize('ten GB')).toBe('"ten GB" is not a size; write it like 10 GB, 1 TB or 500 GiB');
    expect(parseSize('-5 GB')).toMatch(/is not a size; write it like 10 GB/);
    expect(parseSize('1e12')).toBe('"1e12" is not a size; write it like 10 GB, 1 TB or 500 GiB');
    expect(parseSize('10 XB')).toBe('"XB" is not a size unit; use B, KB, MB, GB, TB, PB or KiB … PiB');
    expect(parseSize('10 GB 5')).toMatch(/is not a size; write it like/);
    expect(parseSize('0 GB')).toBe('"0 GB" is not a positive size that fits');
    expect(parseSize('0')).toBe('"0" is not a positive size that fits');
    expect(parseSize('99999999 PB')).toBe('"99999999 PB" is not a positive size that fits');
  });

  it('refuses numbers that are not a positive whole count of bytes', () => {
    expect(parseSize(0)).toBe('0 is not a positive whole number of bytes');
    expect(parseSize(-1)).toBe('-1 is not a positive whole number of bytes');
    expect(parseSize(1.5)).toBe('1.5 is not a positive whole number of bytes');
    expect(parseSize(Number.NaN)).toBe('NaN is not a positive whole number of bytes');
    expect(parseSize(2 ** 60)).toMatch(/is not a positive whole number of bytes/);
  });

  it('writes the shortest exact spelling, decimal or binary', () => {
    expect(formatSize(10e9)).toBe('10 GB');
    expect(formatSize(1e12)).toBe('1 TB');
    expect(formatSize(2 ** 40)).toBe('1 TiB');
    expect(formatSize(500 * 2 ** 30)).toBe('500 GiB');
    expect(formatSize(1.5e12)).toBe('1500 GB');
    expect(formatSize(1024)).toBe('1 KiB');
    expect(formatSize(1000)).toBe('1 KB');
    expect(formatSize(1023)).toBe('1023');
    expect(formatSize(1)).toBe('1');
  });

  it.each(['10 GB', '1 TB', '500 GiB', '1 TiB', '3 PiB', '7 MB', '1023'])('"%s" reads back as it was written', (text) => {
    const bytes = parseSize(text);
    expect(typeof bytes).toBe('number');
    expect(formatSize(bytes as number)).toBe(text);
  });

  it('a size re-read from its spelling is the same size, for any spelling people use', () => {
    for (const text of ['1.5 TB', '2048 MiB', '0.5 GiB', '1000000 KB', '10GB', '1048576']) {
      const bytes = parseSize(text) as number;
      expect(typeof bytes).toBe('number');
      expect(parseSize(formatSize(bytes))).toBe(bytes);
    }
  });

  it('parse(format(n)) is n for a seeded fuzz of whole byte counts', () => {
    const r = prng(7);
    const factors = [1, 1e3, 1e6, 1e9, 1e12, 1e15, 2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40, 2 ** 50];
    const mismatches: { n: number; written: string; read: number | string }[] = [];
    for (let i = 0; i < 3000; i++) {
      let n: number;
      switch (i % 3) {
        case 0: // any byte count that fits
          n = r.int(1, Number.MAX_SAFE_INTEGER);
          break;
        case 1: {
          // a whole number of some unit, the values a SAN shows
          const factor = r.pick(factors);
          n = r.int(1, Math.min(100_000, Math.floor(Number.MAX_SAFE_INTEGER / factor))) * factor;
          break;
        }
        default: // small counts
          n = r.int(1, 5000);
      }
      const written = formatSize(n);
      const read = parseSize(written);
      if (read !== n) mismatches.push({ n, written, read });
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});

describe('iSCSI names', () => {
  it.each([
    'iqn.2013-03.com.dlink:dns-1550-04.vm-store',
    'iqn.2013-03.com.dlink:dns-1550-04.ha-heartbeat',
    'iqn.2000-01.com.synology:rs2212rp.target-1',
    'iqn.1994-05.com.redhat:5e3b9c1a2f',
    'iqn.2010-10.org.openstack',
    'eui.02004567A425678D',
    'naa.52004567BA64678D',
    'naa.6001405AB6E1F3B7C8D9E0F1A2B3C4D5',
  ])('accepts %s', (name) => {
    expect(checkIscsiName(name)).toBeNull();
  });

  it('says iqn names are lower case when the naming authority is not', () => {
    expect(checkIscsiName('iqn.2013-03.com.DLink:dns-1550-04.vm-store')).toBe('iqn names are lower case');
    expect(checkIscsiName('iqn.2013-03.COM.dlink')).toBe('iqn names are lower case');
  });

  it.each([
    ['IQN.2013-03.com.dlink:x', 'an upper-case prefix'],
    ['iqn.2013-13.com.dlink:x', 'month 13'],
    ['iqn.2013-00.com.dlink:x', 'month 00'],
    ['iqn.2013-3.com.dlink:x', 'a one-digit month'],
    ['iqn.13-03.com.dlink:x', 'a two-digit year'],
    ['iqn.2013-03.com.dlink:', 'an empty identifier'],
    ['iqn.2013-03.com.dlink:vm store', 'a space'],
    ['iqn.2013-03.-com.dlink:x', 'a label starting with a hyphen'],
    ['iqn.2013-03:x', 'no naming authority'],
    ['eui.02004567a425678d', 'lower-case eui hex'],
    ['eui.02004567A425678', '15 hex digits'],
    ['naa.52004567BA64678D00', '18 hex digits'],
    ['10.0.0.1', 'an address'],
  ])('rejects %s (%s) and shows the expected form', (name) => {
    const message = checkIscsiName(name);
    expect(message).not.toBeNull();
    if (!name.startsWith('iqn.') || name === name.toLowerCase()) {
      expect(message).toBe(`"${name}" is not an iSCSI name; expected iqn.YYYY-MM.reversed.domain[:identifier] (or eui./naa.)`);
    }
  });

  it('asks for a name when there is none, and refuses one over 223 bytes', () => {
    expect(checkIscsiName('')).toMatch(/is required/);
    const long = `iqn.2013-03.com.dlink:${'a'.repeat(223)}`;
    expect(checkIscsiName(long)).toBe('an iSCSI name is at most 223 bytes long');
    expect(checkIscsiName(long.slice(0, 223))).toBeNull();
  });
});
