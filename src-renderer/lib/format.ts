/** Display helpers. Sizes follow the SAN's own labels: powers of 1000 unless a binary unit fits exactly. */
const UNITS: [string, number][] = [
  ['PB', 1e15],
  ['TB', 1e12],
  ['GB', 1e9],
  ['MB', 1e6],
  ['KB', 1e3],
];

export function formatBytes(bytes: number): string {
  for (const [unit, factor] of UNITS) {
    if (bytes >= factor) {
      const value = bytes / factor;
      return `${Number.isInteger(value) ? value : value.toFixed(value < 10 ? 2 : 1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}

export const SIZE_UNITS = [
  { label: 'GB', factor: 1e9 },
  { label: 'TB', factor: 1e12 },
  { label: 'MB', factor: 1e6 },
  { label: 'GiB', factor: 2 ** 30 },
  { label: 'TiB', factor: 2 ** 40 },
] as const;

/** The unit that shows `bytes` as a whole number, for editing a stored size. */
export function splitSize(bytes: number): { amount: number; unit: string } {
  const exact = SIZE_UNITS.filter((u) => bytes % u.factor === 0).sort((a, b) => b.factor - a.factor)[0];
  if (exact) return { amount: bytes / exact.factor, unit: exact.label };
  return { amount: bytes / 1e9, unit: 'GB' };
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/** Saves text as a file download (works in the browser and in the desktop app's window). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
