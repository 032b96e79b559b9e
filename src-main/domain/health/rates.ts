/**
 * Counters to rates. An interface counter only grows, until it wraps (a 32-bit octet counter wraps in 34 s at
 * 1 Gb/s) or the device restarts (counters and sysUpTime start over). A wrap is counted once, as IF-MIB
 * allows; a reset, or a wrap that would mean a rate above what the port can carry, gives no rate rather
 * than a spike.
 */
export interface CounterReading {
  value: bigint;
  /** 32 or 64 (ifHCInOctets). */
  bits: 32 | 64;
  /** When it was read, in ms. */
  atMs: number;
  /** sysUpTime at the read, in hundredths of a second, when known. */
  uptimeTicks: number | null;
}

/** Bits per second between two readings of an octet counter, or null when no honest rate can be given. */
export function octetRate(previous: CounterReading | undefined, current: CounterReading, speedMbps: number | null): number | null {
  if (!previous || previous.bits !== current.bits) return null;
  const seconds = (current.atMs - previous.atMs) / 1000;
  if (!(seconds > 0)) return null;
  if (previous.uptimeTicks !== null && current.uptimeTicks !== null && current.uptimeTicks < previous.uptimeTicks) return null; // restarted
  let delta = current.value - previous.value;
  if (delta < 0n) {
    if (current.bits === 64) return null; // a 64-bit counter does not wrap in a lab's lifetime: a reset
    delta += 1n << 32n;
  }
  const bps = (Number(delta) * 8) / seconds;
  // A "wrap" faster than the port is a reset in disguise.
  if (speedMbps !== null && speedMbps > 0 && bps > speedMbps * 1e6 * 1.05) return null;
  return bps;
}
