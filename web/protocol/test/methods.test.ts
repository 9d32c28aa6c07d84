import { describe, expect, it } from 'vitest';
import { MAX_CALL_ID_LENGTH, MAX_DEVICE_ID_LENGTH, METHOD_NAMES, isAudioDeviceList, isAuthState, isMethodName, isMethodParams } from '../src/index';

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
  it.each(['hangUp', 'answer', 'reject'] as const)('%s takes no params or a non-empty string call_id', (method) => {
    expect(isMethodParams(method, {})).toBe(true);
    expect(isMethodParams(method, { call_id: 'c-1' })).toBe(true);
    expect(isMethodParams(method, { call_id: 'x'.repeat(MAX_CALL_ID_LENGTH) })).toBe(true);
    expect(isMethodParams(method, { call_id: 'x'.repeat(MAX_CALL_ID_LENGTH + 1) })).toBe(false);
    expect(isMethodParams(method, { call_id: '' })).toBe(false);
    expect(isMethodParams(method, { call_id: 7 })).toBe(false);
    expect(isMethodParams(method, { call_id: null })).toBe(false);
    expect(isMethodParams(method, null)).toBe(false);
  });
  it('transfer takes exactly one of to and to_call_id (attended transfer), with an optional call_id', () => {
    expect(isMethodParams('transfer', { to: '1002' })).toBe(true);
    expect(isMethodParams('transfer', { to: '1002', call_id: 'c-1' })).toBe(true);
    expect(isMethodParams('transfer', { to_call_id: 'c-2', call_id: 'c-1' })).toBe(true);
    expect(isMethodParams('transfer', { to_call_id: 'c-2' })).toBe(true);
    expect(isMethodParams('transfer', { to: '1002', to_call_id: 'c-2' })).toBe(false);
    expect(isMethodParams('transfer', { call_id: 'c-1' })).toBe(false);
    expect(isMethodParams('transfer', { to_call_id: '' })).toBe(false);
    expect(isMethodParams('transfer', { to_call_id: 7 })).toBe(false);
    expect(isMethodParams('transfer', { to_call_id: 'x'.repeat(MAX_CALL_ID_LENGTH + 1) })).toBe(false);
  });
  it('knows exactly the methods of parts 1, 3 and 4', () => {
    expect([...METHOD_NAMES].sort()).toEqual(
      ['answer', 'getAudioDevices', 'getAuthState', 'hangUp', 'hold', 'mute', 'placeCall', 'reject', 'sendDtmf', 'setAudioDevices', 'setToken', 'signOut', 'transfer'],
    );
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

describe('setAudioDevices params and the getAudioDevices result', () => {
  it('accepts any of input, output and ringer as non-empty device ids, and nothing else', () => {
    expect(isMethodParams('setAudioDevices', {})).toBe(true);
    expect(isMethodParams('setAudioDevices', { input: 'default', output: 'a1', ringer: 'b2' })).toBe(true);
    expect(isMethodParams('setAudioDevices', { input: '' })).toBe(false);
    expect(isMethodParams('setAudioDevices', { output: 7 })).toBe(false);
    expect(isMethodParams('setAudioDevices', { speaker: 'x' })).toBe(false);
    expect(isMethodParams('setAudioDevices', { input: 'x'.repeat(MAX_DEVICE_ID_LENGTH + 1) })).toBe(false);
  });
  it('checks the shape of a device list', () => {
    expect(isAudioDeviceList({ inputs: [{ id: 'a', label: 'Mic' }], outputs: [] })).toBe(true);
    expect(isAudioDeviceList({ inputs: [{ id: 'a' }], outputs: [] })).toBe(false);
    expect(isAudioDeviceList({ inputs: [] })).toBe(false);
  });
});
