import { describe, it, expect } from 'vitest';
import { secretChanges } from '../../../src-renderer/lib/secret-changes';

type P = 'snmp-community' | 'xenapi-password';
const PURPOSES = ['snmp-community', 'xenapi-password'] as const;
const none = { 'snmp-community': '', 'xenapi-password': '' };
const noForget = { 'snmp-community': false, 'xenapi-password': false };

function changes(fields: Partial<Parameters<typeof secretChanges<P>>[1]>) {
  return secretChanges<P>(PURPOSES, { wanted: () => true, typed: none, forget: noForget, stored: new Set(), ...fields });
}

describe('what a form with write-only secrets asks the API to do', () => {
  it('sets what was typed, and keeps a stored secret left alone', () => {
    expect(changes({ typed: { ...none, 'xenapi-password': 'new' }, stored: new Set(['snmp-community']) })).toEqual({ 'xenapi-password': 'new' });
  });

  it('clears a stored secret on "Forget", even when something was typed before ticking it (the field is then disabled)', () => {
    const forget = { ...noForget, 'xenapi-password': true };
    expect(changes({ typed: { ...none, 'xenapi-password': 'typed first' }, forget, stored: new Set(['xenapi-password']) })).toEqual({
      'xenapi-password': null,
    });
    // Nothing stored: nothing to clear, and the typed value is still not sent.
    expect(changes({ typed: { ...none, 'xenapi-password': 'typed first' }, forget })).toEqual({});
  });

  it('clears a stored secret the settings no longer use, and never sends one typed for a setting switched off', () => {
    const wanted = (purpose: P) => purpose === 'xenapi-password';
    expect(changes({ wanted, typed: { ...none, 'snmp-community': 'public' }, stored: new Set(['snmp-community']) })).toEqual({ 'snmp-community': null });
    expect(changes({ wanted, typed: { ...none, 'snmp-community': 'public' } })).toEqual({});
  });
});
