import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, isAuthState, isMethodName, isMethodParams } from '../src/index';

describe('isMethodParams', () => {
  it('checks the type of placeCall.to and setToken.token', () => {
    expect(isMethodParams('placeCall', { to: '+15551234567' })).toBe(true);
    expect(isMethodParams('placeCall', { to: 15551234567 })).toBe(false);
    expect(isMethodParams('placeCall', {})).toBe(false);
    expect(isMethodParams('setToken', { token: 'abc' })).toBe(true);
    expect(isMethodParams('setToken', { token: '' })).toBe(false);
    expect(isMethodParams('setToken', { token: null })).toBe(false);
  });
  it('accepts any object for methods without params, and rejects non-objects', () => {
    expect(isMethodParams('getAuthState', {})).toBe(true);
    expect(isMethodParams('signOut', { ignored: true })).toBe(true);
    expect(isMethodParams('signOut', null)).toBe(false);
    expect(isMethodParams('getAuthState', [])).toBe(false);
  });
  it('knows exactly the four methods of part 1', () => {
    expect([...METHOD_NAMES].sort()).toEqual(['getAuthState', 'placeCall', 'setToken', 'signOut']);
    expect(isMethodName('signIn')).toBe(false);
    expect(isMethodName('toString')).toBe(false);
  });
});

describe('isAuthState', () => {
  it('accepts signed-out and signed-in states', () => {
    expect(isAuthState({ signed_in: false, user: null })).toBe(true);
    expect(
      isAuthState({ signed_in: true, user: { username: 'a', display_name: 'A', extension: '101', number: '+15550001111' } }),
    ).toBe(true);
  });
  it('rejects wrong field types', () => {
    expect(isAuthState({ signed_in: 'true', user: null })).toBe(false);
    expect(isAuthState({ signed_in: true })).toBe(false);
    expect(isAuthState({ signed_in: true, user: { username: 'a' } })).toBe(false);
    expect(isAuthState(undefined)).toBe(false);
  });
});
