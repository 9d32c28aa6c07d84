import { describe, expect, it } from 'vitest';
import {
  isWsMediaConfigResult,
  ERROR_NAMES,
  WS_ERROR_CODES,
  WS_METHOD_NAMES,
  createWsRequest,
  errorNameForWsErrorCode,
  isErrorName,
  isLoggedCall,
  isWsRecentCallsResult,
  isMethodName,
  isWsAuthStateChangedEvent,
  isWsEvent,
  isWsPlaceCallResult,
  isWsRequest,
  isWsResponse,
  isWsServerMessage,
  isWsSignInResult,
  parseWsServerMessage,
} from '../src/index';

const request = { v: 1, type: 'request', id: '1', method: 'hello', params: { protocol: 1 } };
const ok = { v: 1, type: 'response', id: '1', ok: true, result: { call_id: 'c1' } };
const failure = { v: 1, type: 'response', id: null, ok: false, error: { code: 'bad_request', message: 'Not JSON' } };
const event = { v: 1, type: 'event', event: { type: 'authStateChanged', signed_in: false, reason: 'expired' } };

describe('isWsRequest', () => {
  it('accepts a request', () => {
    expect(isWsRequest(request)).toBe(true);
    expect(isWsRequest(createWsRequest('2', 'placeCall', { to: '101' }))).toBe(true);
  });
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', '{}'],
    ['version 2', { ...request, v: 2 }],
    ['a postMessage envelope', { ns: 'net2phone-dialer', v: 1, kind: 'request', id: '1', method: 'x', params: {} }],
    ['type response', { ...request, type: 'response' }],
    ['an unknown type', { ...request, type: 'ping' }],
    ['a numeric id', { ...request, id: 1 }],
    ['a 65-character id', { ...request, id: 'x'.repeat(65) }],
    ['a missing method', { ...request, method: undefined }],
    ['array params', { ...request, params: [] }],
  ])('rejects %s', (_, data) => expect(isWsRequest(data)).toBe(false));
});

describe('isWsResponse', () => {
  it('accepts success with an object or null result, and failures with a null id', () => {
    expect(isWsResponse(ok)).toBe(true);
    expect(isWsResponse({ ...ok, result: null })).toBe(true);
    expect(isWsResponse(failure)).toBe(true);
  });
  it.each<[string, unknown]>([
    ['a string result', { ...ok, result: 'c1' }],
    ['a missing result', { ...ok, result: undefined }],
    ['an error without a code', { ...failure, error: { message: 'x' } }],
    ['an error with a numeric code', { ...failure, error: { code: 400, message: 'x' } }],
    ['a missing id', { ...ok, id: undefined }],
    ['a numeric id', { ...ok, id: 1 }],
    ['version 0', { ...ok, v: 0 }],
    ['an array', [ok]],
  ])('rejects %s', (_, data) => expect(isWsResponse(data)).toBe(false));
});

describe('isWsEvent and isWsServerMessage', () => {
  it('accept events and responses from the gateway', () => {
    expect(isWsEvent(event)).toBe(true);
    expect(isWsServerMessage(event)).toBe(true);
    expect(isWsServerMessage(ok)).toBe(true);
    expect(isWsServerMessage(request)).toBe(false);
  });
  it('reject events without a usable type', () => {
    expect(isWsEvent({ ...event, event: {} })).toBe(false);
    expect(isWsEvent({ ...event, event: 'x' })).toBe(false);
    expect(isWsEvent({ ...event, v: 2 })).toBe(false);
    expect(isWsServerMessage(42)).toBe(false);
  });
  it('isWsAuthStateChangedEvent accepts the gateway form without user', () => {
    expect(isWsAuthStateChangedEvent(event.event)).toBe(true);
    expect(isWsAuthStateChangedEvent({ ...event.event, reason: 'whatever' })).toBe(false);
    expect(isWsAuthStateChangedEvent({ ...event.event, user: 'alice' })).toBe(false);
  });
  it('isWsSignInResult checks session and user', () => {
    const user = { username: 'a', display_name: 'A', extension: '101', number: null };
    expect(isWsSignInResult({ session: { token: 't', expires_at: '2026-11-25T00:00:00Z' }, user })).toBe(true);
    expect(isWsSignInResult({ session: { token: 't', expires_at: 'never' }, user })).toBe(false);
    expect(isWsSignInResult({ session: { token: 't', expires_at: '2026-11-25T00:00:00Z' }, user: null })).toBe(false);
  });
});

describe('isWsPlaceCallResult', () => {
  it('accepts { call_id } and rejects anything without a usable id', () => {
    expect(isWsPlaceCallResult({ call_id: 'c-1' })).toBe(true);
    expect(isWsPlaceCallResult({ call_id: '' })).toBe(false);
    expect(isWsPlaceCallResult({ call_id: 1 })).toBe(false);
    expect(isWsPlaceCallResult(null)).toBe(false);
  });
  it('accepts the gateway\'s SDP answer, null, or none (a gateway without audio)', () => {
    expect(isWsPlaceCallResult({ call_id: 'c-1', sdp: 'v=0\r\n' })).toBe(true);
    expect(isWsPlaceCallResult({ call_id: 'c-1', sdp: null })).toBe(true);
    expect(isWsPlaceCallResult({ call_id: 'c-1', sdp: 7 })).toBe(false);
  });
});

describe('parseWsServerMessage', () => {
  it('parses valid frames and returns null for anything else', () => {
    expect(parseWsServerMessage(JSON.stringify(ok))).toEqual(ok);
    expect(parseWsServerMessage('not json')).toBeNull();
    expect(parseWsServerMessage('[1]')).toBeNull();
    expect(parseWsServerMessage(JSON.stringify(request))).toBeNull();
  });
});

describe('error codes and names', () => {
  it('maps every gateway code as the table in protocol.md says', () => {
    expect(WS_ERROR_CODES.map((code) => [code, errorNameForWsErrorCode(code)])).toEqual([
      ['bad_request', 'Net2PhoneDialerError'],
      ['unknown_method', 'Net2PhoneDialerError'],
      ['internal_error', 'Net2PhoneDialerError'],
      ['invalid_phone_number', 'InvalidPhoneNumberError'],
      ['authentication_required', 'AuthenticationError'],
      ['invalid_credentials', 'AuthenticationError'],
      ['outgoing_call_already_ringing', 'OutgoingCallAlreadyRingingError'],
      ['call_in_progress', 'CallInProgressError'],
      ['calls_unavailable', 'Net2PhoneDialerError'],
      ['call_not_found', 'CallNotFoundError'],
      ['media_moved', 'Net2PhoneDialerError'],
      ['rate_limited', 'AuthenticationError'],
      ['destination_not_allowed', 'DestinationNotAllowedError'],
      ['call_rate_limited', 'CallRateLimitedError'],
      ['transfer_failed', 'TransferFailedError'],
      ['node_draining', 'Net2PhoneDialerError'],
    ]);
  });
  it('maps unknown codes, and inherited property names, to the base error', () => {
    expect(errorNameForWsErrorCode('over_quota')).toBe('Net2PhoneDialerError');
    expect(errorNameForWsErrorCode('toString')).toBe('Net2PhoneDialerError');
  });
  it('knows the fifteen error names, CallNotFoundError, AudioOutputUnsupportedError, DestinationNotAllowedError and TransferFailedError included, and the methods', () => {
    expect(ERROR_NAMES).toHaveLength(15);
    expect(isErrorName('TransferFailedError')).toBe(true);
    expect(isErrorName('AudioOutputUnsupportedError')).toBe(true);
    expect(isErrorName('DestinationNotAllowedError')).toBe(true);
    expect(isErrorName('CallNotFoundError')).toBe(true);
    expect(WS_METHOD_NAMES).toEqual(['hello', 'placeCall', 'checkNumber', 'hangUp', 'answer', 'updateMedia', 'hold', 'transfer', 'reject', 'signIn', 'signInWithToken', 'resume', 'signOut', 'recentCalls', 'mediaConfig']);
    expect(isErrorName('ConnectionError')).toBe(true);
    expect(isErrorName('TypeError')).toBe(false);
    expect(isMethodName('placeCall')).toBe(true);
    expect(isMethodName('hello')).toBe(false);
  });
});

describe('recentCalls', () => {
  const logged = {
    id: 'c1', state: 'disconnected', direction: 'outbound', result: 'answered', from: '201', to: '+16505550100',
    caller: { caller_display_name: 'Ada' }, start_time: '2026-01-01T10:00:00Z', answer_time: '2026-01-01T10:00:02Z',
    end_time: '2026-01-01T10:01:00Z', end_reason: 'local_hangup',
  };
  it('accepts a LoggedCall (a WireCall without seq) and rejects one without an id', () => {
    expect(isLoggedCall(logged)).toBe(true);
    expect(isLoggedCall({ ...logged, id: '' })).toBe(false);
    expect(isLoggedCall({ ...logged, start_time: 'yesterday' })).toBe(false);
  });
  it('accepts a result with a calls array only', () => {
    expect(isWsRecentCallsResult({ calls: [logged] })).toBe(true);
    expect(isWsRecentCallsResult({ calls: null })).toBe(false);
  });
});

describe('mediaConfig', () => {
  const ok = {
    ice_servers: [{ urls: ['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'], username: '1733400000:42', credential: 'R+91mDsxmTlboJiIXbiokqUoy/o=' }],
    ice_servers_expire_at: '2024-12-05T12:00:00Z',
    gateway: { address: '127.0.0.1', udp_port: 19000, tcp_port: 19000, turn: true },
  };
  it('accepts the gateway result, with or without TURN', () => {
    expect(isWsMediaConfigResult(ok)).toBe(true);
    expect(isWsMediaConfigResult({ ...ok, ice_servers: [], ice_servers_expire_at: null, gateway: { ...ok.gateway, tcp_port: 0, turn: false } })).toBe(true);
  });
  it('rejects servers that are not TURN, missing credentials and bad ports', () => {
    expect(isWsMediaConfigResult({ ...ok, ice_servers: [{ ...ok.ice_servers[0], urls: ['stun:evil.example'] }] })).toBe(false);
    expect(isWsMediaConfigResult({ ...ok, ice_servers: [{ urls: ['turn:x'] }] })).toBe(false);
    expect(isWsMediaConfigResult({ ...ok, gateway: { ...ok.gateway, udp_port: 70000 } })).toBe(false);
    expect(isWsMediaConfigResult({ ...ok, gateway: undefined })).toBe(false);
    expect(isWsMediaConfigResult(null)).toBe(false);
  });
});

