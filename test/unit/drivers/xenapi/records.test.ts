import { describe, it, expect } from 'vitest';
import { isoTime } from '../../../../src-main/drivers/xenapi/records';

const at = (text: unknown) => isoTime({ timestamp: text as string }, 'timestamp');

describe("xapi's datetimes as ISO 8601 UTC", () => {
  it("reads xapi's basic form, as both wire protocols carry it, and the extended form", () => {
    expect(at('20240315T09:41:52Z')).toBe('2024-03-15T09:41:52.000Z');
    expect(at('2024-03-15T09:41:52Z')).toBe('2024-03-15T09:41:52.000Z');
    expect(at(' 20240315T09:41:52Z ')).toBe('2024-03-15T09:41:52.000Z');
  });

  it('takes no zone as UTC, as xapi writes, and turns an offset into UTC', () => {
    expect(at('20240315T09:41:52')).toBe('2024-03-15T09:41:52.000Z');
    expect(at('20240315T09:41:52+02:00')).toBe('2024-03-15T07:41:52.000Z');
    expect(at('20240315T09:41:52-0130')).toBe('2024-03-15T11:11:52.000Z');
  });

  it('keeps milliseconds of a fraction and drops finer digits', () => {
    expect(at('2024-03-15T09:41:52.123456Z')).toBe('2024-03-15T09:41:52.123Z');
  });

  it('keeps text that is no datetime as it is, and gives "" for a missing field', () => {
    expect(at('yesterday')).toBe('yesterday');
    expect(at('20241315T09:41:52Z')).toBe('20241315T09:41:52Z'); // month 13
    expect(isoTime({}, 'timestamp')).toBe('');
    expect(isoTime(undefined, 'timestamp')).toBe('');
  });
});
