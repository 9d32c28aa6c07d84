import { describe, expect, it } from 'vitest';
import {
  END_REASONS,
  isAuthStateChangedEvent,
  isEndReason,
  isCallStateChangedEvent,
  isConnectionStateChangedEvent,
  isDialerEvent,
  isTokenRequestedEvent,
  isWireCall,
  isWireUser,
  type WireCall,
} from '../src/index';

const call: WireCall = {
  id: 'c1',
  state: 'disconnected',
  direction: 'outbound',
  result: 'answered',
  from: '+15550001111',
  to: null,
  caller: { caller_display_name: null },
  start_time: '2026-11-24T10:00:00.000Z',
  answer_time: '2026-11-24T10:00:05.000Z',
  end_time: '2026-11-24T10:01:00Z',
  end_reason: 'remote_hangup',
  seq: 3,
};
const user = { username: 'alice', display_name: 'Alice', extension: '101', number: null };

describe('isWireCall', () => {
  it('accepts a complete call, and a connecting one with nulls', () => {
    expect(isWireCall(call)).toBe(true);
    expect(
      isWireCall({ ...call, state: 'connecting', result: null, answer_time: null, end_time: null, end_reason: null }),
    ).toBe(true);
  });
  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [call]],
    ['an empty id', { ...call, id: '' }],
    ['an unknown state', { ...call, state: 'ringing' }],
    ['an unknown direction', { ...call, direction: 'sideways' }],
    ['an unknown result', { ...call, result: 'busy' }],
    ['a numeric from', { ...call, from: 15550001111 }],
    ['a missing caller', { ...call, caller: undefined }],
    ['a caller with a numeric name', { ...call, caller: { caller_display_name: 1 } }],
    ['a Date start_time', { ...call, start_time: new Date() }],
    ['a null start_time', { ...call, start_time: null }],
    ['an unparseable answer_time', { ...call, answer_time: 'yesterday-ish' }],
    ['a missing end_reason', { ...call, end_reason: undefined }],
    ['a numeric end_reason', { ...call, end_reason: 486 }],
    ['a missing seq', { ...call, seq: undefined }],
    ['a string seq', { ...call, seq: '3' }],
    ['a zero seq', { ...call, seq: 0 }],
    ['a negative seq', { ...call, seq: -1 }],
    ['a fractional seq', { ...call, seq: 1.5 }],
    ['an unsafe integer seq', { ...call, seq: 2 ** 53 }],
  ])('rejects %s', (_, value) => expect(isWireCall(value)).toBe(false));
});

describe('end reasons', () => {
  it('isWireCall accepts a reason this version does not know, so the final event is not lost', () => {
    expect(isWireCall({ ...call, end_reason: 'transferred' })).toBe(true);
  });
  it('isEndReason knows exactly the reasons of protocol.md parts 3 to 7', () => {
    expect([...END_REASONS].sort()).toEqual(
      ['answered_elsewhere', 'busy', 'canceled', 'connection_lost', 'declined', 'failed', 'gateway_restart', 'gateway_shutdown', 'local_hangup', 'media_failed', 'media_timeout', 'no_answer', 'remote_hangup', 'session_expired', 'transferred', 'unreachable'],
    );
    expect(END_REASONS.every((r) => isEndReason(r))).toBe(true);
    expect(isEndReason('moved_away')).toBe(false);
    expect(isEndReason(null)).toBe(false);
    expect(isEndReason('toString')).toBe(false);
  });
});

describe('isWireUser', () => {
  it('accepts a user with or without a number', () => {
    expect(isWireUser(user)).toBe(true);
    expect(isWireUser({ ...user, number: '+15550001111' })).toBe(true);
  });
  it('rejects missing or mistyped fields', () => {
    expect(isWireUser({ ...user, username: undefined })).toBe(false);
    expect(isWireUser({ ...user, extension: 101 })).toBe(false);
    expect(isWireUser({ ...user, number: undefined })).toBe(false);
    expect(isWireUser('alice')).toBe(false);
  });
});

describe('event guards', () => {
  it('isCallStateChangedEvent checks the call', () => {
    expect(isCallStateChangedEvent({ type: 'callStateChanged', call })).toBe(true);
    expect(isCallStateChangedEvent({ type: 'callStateChanged', call: { ...call, state: 'x' } })).toBe(false);
    expect(isCallStateChangedEvent({ type: 'authStateChanged', call })).toBe(false);
  });
  it('isAuthStateChangedEvent checks signed_in, user and reason', () => {
    expect(isAuthStateChangedEvent({ type: 'authStateChanged', signed_in: true, user, reason: 'signed_in' })).toBe(true);
    expect(isAuthStateChangedEvent({ type: 'authStateChanged', signed_in: false, user: null, reason: 'revoked' })).toBe(true);
    expect(isAuthStateChangedEvent({ type: 'authStateChanged', signed_in: 'yes', user: null, reason: 'signed_in' })).toBe(false);
    expect(isAuthStateChangedEvent({ type: 'authStateChanged', signed_in: false, user: null, reason: 'bored' })).toBe(false);
    expect(isAuthStateChangedEvent({ type: 'authStateChanged', signed_in: true, user: {}, reason: 'signed_in' })).toBe(false);
  });
  it('isConnectionStateChangedEvent checks the state', () => {
    expect(isConnectionStateChangedEvent({ type: 'connectionStateChanged', state: 'connected' })).toBe(true);
    expect(isConnectionStateChangedEvent({ type: 'connectionStateChanged', state: 'up' })).toBe(false);
  });
  it('isTokenRequestedEvent checks the type', () => {
    expect(isTokenRequestedEvent({ type: 'tokenRequested' })).toBe(true);
    expect(isTokenRequestedEvent({ type: 'tokenrequested' })).toBe(false);
    expect(isTokenRequestedEvent(null)).toBe(false);
  });
  it('isDialerEvent accepts the four known events and nothing else', () => {
    expect(isDialerEvent({ type: 'callStateChanged', call })).toBe(true);
    expect(isDialerEvent({ type: 'tokenRequested' })).toBe(true);
    expect(isDialerEvent({ type: 'somethingNew' })).toBe(false);
    expect(isDialerEvent({ type: 'connectionStateChanged' })).toBe(false);
    expect(isDialerEvent(undefined)).toBe(false);
  });
});
