/**
 * Storage sizes as people write them ("10 GB", "1 TB", "500 GiB") ↔ bytes.
 * Decimal units are powers of 1000 (as SAN web UIs label them), binary units powers of 1024.
 * formatSize picks the largest unit that represents the value exactly, so parse(format(x)) === x.
 */

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  PIB: 2 ** 50,
};

const DISPLAY: [string, number][] = [
  ['PiB', 2 ** 50],
  ['PB', 1e15],
  ['TiB', 2 ** 40],
  ['TB', 1e12],
  ['GiB', 2 ** 30],
  ['GB', 1e9],
  ['MiB', 2 ** 20],
  ['MB', 1e6],
  ['KiB', 2 ** 10],
  ['KB', 1e3],
];

/** Bytes from "10 GB", "1.5 TB", "1073741824" or a number; a message string when it is not a size. */
export function parseSize(input: string | number): number | string {
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) && input > 0 ? input : `${input} is not a positive whole number of bytes`;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!match) return `"${input}" is not a size; write it like 10 GB, 1 TB or 500 GiB`;
  const unit = (match[2] ?? '').toUpperCase() || 'B';
  const factor = UNITS[unit];
  if (factor === undefined) return `"${match[2]}" is not a size unit; use B, KB, MB, GB, TB, PB or KiB … PiB`;
  const bytes = Math.round(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) return `"${input}" is not a positive size that fits`;
  return bytes;
}

/** The shortest exact spelling: 10 GB for 1e10, 1 TiB for 2^40, plain bytes otherwise. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of DISPLAY) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor} ${unit}`;
  }
  return String(bytes);
}
