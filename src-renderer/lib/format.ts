/**
 * Display helpers. Sizes follow the SAN's own labels: powers of 1000 unless a binary unit fits exactly. No DOM
 * here (download.ts has that), so tests under Node can import it.
 */
import type { HostNic, PollState } from '../../src-main/domain/model';
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

/* Shared by the status screens (pools, switches, storage): tones, times that move, speeds, portals. */

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'muted';

/** How each polling state looks on every status screen; each screen words its own hints. */
export const STATE_TONE: Record<PollState, Tone> = {
  ok: 'ok',
  connecting: 'info',
  slow: 'warn',
  idle: 'muted',
  unreachable: 'bad',
  'auth-failed': 'bad',
  'certificate-unknown': 'warn',
  'certificate-changed': 'bad',
  'not-master': 'warn',
  error: 'bad',
};

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago"; `now` comes from a ticking clock so the text moves. */
/**
 * Whether a time is a real one: the collectors say "since the epoch" (1970) for a state whose start nobody
 * knows (a device never polled), which must not read as "20794 d ago".
 */
export function knownTime(iso: string | null | undefined): iso is string {
  if (!iso) return false;
  const at = Date.parse(iso);
  return Number.isFinite(at) && at > 0;
}

export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  if (at <= 0) return 'never';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The wall-clock time, with the date when it is not today; for title attributes and alert lists. */
export function clockTime(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

export function speedText(mbps: number | null, duplex: HostNic['duplex']): string {
  if (mbps === null) return '—';
  const speed = mbps >= 1000 ? `${Number((mbps / 1000).toFixed(1))} Gbit/s` : `${mbps} Mbit/s`;
  return duplex ? `${speed} ${duplex}` : speed;
}

/** A fingerprint in groups of eight bytes, so it can wrap and be compared a group at a time. */
export function groupedFingerprint(fingerprint: string): string {
  const bytes = fingerprint.split(':');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) groups.push(bytes.slice(i, i + 8).join(':'));
  return groups.join(': ');
}

export function portalText(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
