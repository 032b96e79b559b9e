/**
 * Staleness of a polled device's data (domain/model/polling.ts): the last good observation is stale once it is
 * more than STALE_AFTER_INTERVALS poll intervals old, whatever the state says (a poller that silently stopped
 * still says 'ok'). The rule is pure (the clock is passed in); the screens' version with a ticking clock
 * (views/snmp/format.ts) must agree with it to the millisecond.
 */
import { describe, it, expect } from 'vitest';
import { STALE_AFTER_INTERVALS, staleSince, withStaleness, type PollStatus } from '../../../src-main/domain/model/polling';
import { staleSince as staleOnScreen } from '../../../src-renderer/views/snmp/format';

const MINUTE = 60_000;
const lastGoodAt = '2026-11-25T10:00:00.000Z';
const t0 = Date.parse(lastGoodAt);
const okStatus: PollStatus = { state: 'ok', message: '52 ports read in 0.3 s', since: '2026-11-25T09:00:00.000Z', lastGoodAt };

describe('a device whose last good poll is older than 3 of its intervals is stale since that poll', () => {
  it('is three intervals', () => {
    expect(STALE_AFTER_INTERVALS).toBe(3);
  });

  it('at the boundary: fresh at exactly 3 intervals, stale 1 ms later', () => {
    expect(staleSince(lastGoodAt, MINUTE, t0)).toBeNull();
    expect(staleSince(lastGoodAt, MINUTE, t0 + 3 * MINUTE - 1)).toBeNull();
    expect(staleSince(lastGoodAt, MINUTE, t0 + 3 * MINUTE)).toBeNull();
    expect(staleSince(lastGoodAt, MINUTE, t0 + 3 * MINUTE + 1)).toBe(lastGoodAt);
    expect(staleSince(lastGoodAt, 10 * MINUTE, t0 + 30 * MINUTE + 1)).toBe(lastGoodAt); // the device's own interval
    expect(staleSince(lastGoodAt, 10 * MINUTE, t0 + 29 * MINUTE)).toBeNull();
  });

  it('never without a good poll, nor with a time or interval that makes no sense', () => {
    expect(staleSince(null, MINUTE, t0 + 999 * MINUTE)).toBeNull();
    expect(staleSince('not a time', MINUTE, t0 + 999 * MINUTE)).toBeNull();
    expect(staleSince(lastGoodAt, 0, t0 + 999 * MINUTE)).toBeNull();
  });

  it("marks an 'ok' status too: a poller that stopped is not ok forever", () => {
    expect(withStaleness(okStatus, MINUTE, t0 + MINUTE)).toEqual({ ...okStatus, staleAt: '2026-11-25T10:03:00.000Z' });
    expect(withStaleness(okStatus, MINUTE, t0 + 3 * MINUTE + 1)).toEqual({ ...okStatus, staleSince: lastGoodAt, staleAt: '2026-11-25T10:03:00.000Z' });
  });

  it('drops an earlier mark once a new good poll makes it fresh again, and has none without a good poll', () => {
    const marked: PollStatus = { ...okStatus, staleSince: '2026-11-24T00:00:00.000Z', staleAt: '2026-11-24T00:03:00.000Z' };
    expect(withStaleness(marked, MINUTE, t0 + 1)).toEqual({ ...okStatus, staleAt: '2026-11-25T10:03:00.000Z' });
    const never: PollStatus = { state: 'unreachable', message: 'no answer', since: lastGoodAt, lastGoodAt: null, staleSince: 'x' };
    expect(withStaleness(never, MINUTE, t0 + 999 * MINUTE)).toEqual({ state: 'unreachable', message: 'no answer', since: lastGoodAt, lastGoodAt: null });
  });

  it('the screen, with its own ticking clock, marks it stale at the same instant without a new status', () => {
    const sent = withStaleness(okStatus, MINUTE, t0 + MINUTE); // fetched while fresh; no status comes after
    expect(staleOnScreen(sent, t0 + 2 * MINUTE)).toBeNull();
    expect(staleOnScreen(sent, t0 + 3 * MINUTE)).toBeNull();
    expect(staleOnScreen(sent, t0 + 3 * MINUTE + 1)).toBe(lastGoodAt);
    expect(staleOnScreen(withStaleness(okStatus, MINUTE, t0 + 4 * MINUTE), t0)).toBe(lastGoodAt); // the collector said so
    expect(staleOnScreen({ lastGoodAt: null }, t0 + 999 * MINUTE)).toBeNull();
  });
});
