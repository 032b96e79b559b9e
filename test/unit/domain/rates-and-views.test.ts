import { describe, it, expect } from 'vitest';
import { octetRate, type CounterReading } from '../../../src-main/domain/health/rates';

const at = (value: bigint, atMs: number, bits: 32 | 64 = 64, uptimeTicks: number | null = atMs / 10): CounterReading => ({ value, bits, atMs, uptimeTicks });

describe('counters become rates', () => {
  it('bits per second over the interval', () => {
    expect(octetRate(at(1_000n, 0), at(126_000n, 10_000), 1000)).toBe(100_000); // 125,000 octets in 10 s
  });
  it('counts a 32-bit wrap once', () => {
    const before = at(4_294_967_000n, 0, 32);
    const after = at(704n, 1_000, 32); // 296 + 704 = 1,000 octets in 1 s
    expect(octetRate(before, after, 1000)).toBe(8_000);
  });
  it('gives no rate for a 64-bit counter that went down, a restart, the first reading, or a mixed pair', () => {
    expect(octetRate(at(5_000n, 0), at(10n, 1_000), 1000)).toBeNull();
    expect(octetRate(at(5_000n, 0, 64, 500_000), at(6_000n, 1_000, 64, 20), 1000)).toBeNull(); // sysUpTime went back
    expect(octetRate(undefined, at(6_000n, 1_000), 1000)).toBeNull();
    expect(octetRate(at(5_000n, 0, 32), at(6_000n, 1_000, 64), 1000)).toBeNull();
    expect(octetRate(at(5_000n, 1_000), at(6_000n, 1_000), 1000)).toBeNull(); // no time passed
  });
  it('calls a "wrap" faster than the port can carry a reset', () => {
    // 100 Mb/s port: a wrap would mean ~34 Gb/s.
    expect(octetRate(at(4_000_000_000n, 0, 32), at(100n, 1_000, 32), 100)).toBeNull();
  });
});
