/** xapi's datetime text: `20240101T10:00:00Z` (UTC, no separators in the date, no fraction). */
export function formatDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  );
}

/** xapi's datetime forms: 20240101T10:00:00Z, 2024-01-01T10:00:00Z, with or without Z (UTC assumed). */
export function parseXapiDate(text: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return NaN;
  const zone = m[8] && m[8] !== 'Z' ? `${m[8].slice(0, 3)}:${m[8].slice(-2)}` : 'Z';
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
}
