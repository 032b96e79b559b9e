/**
 * Times on screen: a state whose start nobody knows (a device never polled: the collectors say "since" the
 * epoch) reads as never, not as "since 20794 d ago".
 */
import { describe, expect, it } from 'vitest';
import { ago, knownTime } from '../../../src-renderer/lib/format';

describe('times on screen', () => {
  const now = Date.parse('2026-12-08T12:00:00Z');
  it('say never for the epoch and for no time at all', () => {
    expect(ago(new Date(0).toISOString(), now)).toBe('never');
    expect(ago(null, now)).toBe('never');
    expect(knownTime(new Date(0).toISOString())).toBe(false);
    expect(knownTime(null)).toBe(false);
  });
  it('count real times from now', () => {
    expect(ago('2026-12-08T11:59:30Z', now)).toBe('30 s ago');
    expect(ago('2026-12-06T12:00:00Z', now)).toBe('2 d ago');
    expect(knownTime('2026-12-08T11:59:30Z')).toBe(true);
  });
});
