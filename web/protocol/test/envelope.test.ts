import { describe, expect, it } from 'vitest';
import {
  createErrorResponse,
  createEventMessage,
  createReadyMessage,
  createRequestMessage,
  createSuccessResponse,
  isDialerToSdkMessage,
  isEnvelope,
  isEventMessage,
  isReadyMessage,
  isRequestMessage,
  isResponseMessage,
} from '../src/index';

const header = { ns: 'net2phone-dialer', v: 1 } as const;
const request = { ...header, kind: 'request', id: 'a-1', method: 'placeCall', params: { to: '+15551234567' } };
const okResponse = { ...header, kind: 'response', id: 'a-1', ok: true, result: null };
const errorResponse = {
  ...header,
  kind: 'response',
  id: 'a-1',
  ok: false,
  error: { name: 'InvalidPhoneNumberError', message: 'bad' },
};
const event = { ...header, kind: 'event', event: { type: 'tokenRequested' } };

/** Inputs every guard must reject, whatever the kind. */
const notEnvelopes: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'net2phone-dialer'],
  ['a number', 1],
  ['an array', [header]],
  ['an unknown kind', { ...header, kind: 'hello' }],
  ['no kind', { ...header }],
];

describe('isReadyMessage', () => {
  it('accepts { ns, v: 1, kind: "ready" }', () => {
    expect(isReadyMessage({ ...header, kind: 'ready' })).toBe(true);
    expect(isReadyMessage(createReadyMessage())).toBe(true);
  });
  it.each(notEnvelopes)('rejects %s', (_, data) => expect(isReadyMessage(data)).toBe(false));
  it('rejects another namespace, another version, another kind', () => {
    expect(isReadyMessage({ ns: 'other', v: 1, kind: 'ready' })).toBe(false);
    expect(isReadyMessage({ ns: 'net2phone-dialer', v: 2, kind: 'ready' })).toBe(false);
    expect(isReadyMessage({ ns: 'net2phone-dialer', v: '1', kind: 'ready' })).toBe(false);
    expect(isReadyMessage({ ns: 'net2phone-dialer', kind: 'ready' })).toBe(false);
    expect(isReadyMessage(event)).toBe(false);
  });
});

describe('isRequestMessage', () => {
  it('accepts a request with a 1..64 character id and object params', () => {
    expect(isRequestMessage(request)).toBe(true);
    expect(isRequestMessage({ ...request, id: 'x' })).toBe(true);
    expect(isRequestMessage({ ...request, id: 'x'.repeat(64) })).toBe(true);
    expect(isRequestMessage(createRequestMessage('r1', 'getAuthState', {}))).toBe(true);
  });
  it.each(notEnvelopes)('rejects %s', (_, data) => expect(isRequestMessage(data)).toBe(false));
  it.each<[string, unknown]>([
    ['a missing id', { ...request, id: undefined }],
    ['an empty id', { ...request, id: '' }],
    ['a 65-character id', { ...request, id: 'x'.repeat(65) }],
    ['a numeric id', { ...request, id: 7 }],
    ['a missing method', { ...request, method: undefined }],
    ['an empty method', { ...request, method: '' }],
    ['a numeric method', { ...request, method: 1 }],
    ['missing params', { ...request, params: undefined }],
    ['null params', { ...request, params: null }],
    ['array params', { ...request, params: ['+1555'] }],
    ['string params', { ...request, params: '+1555' }],
    ['another namespace', { ...request, ns: 'penpal' }],
    ['version 2', { ...request, v: 2 }],
  ])('rejects %s', (_, data) => expect(isRequestMessage(data)).toBe(false));
});

describe('isResponseMessage', () => {
  it('accepts ok: true with a result (null included)', () => {
    expect(isResponseMessage(okResponse)).toBe(true);
    expect(isResponseMessage({ ...okResponse, result: { signed_in: false, user: null } })).toBe(true);
    expect(isResponseMessage(createSuccessResponse<'placeCall'>('a', null))).toBe(true);
  });
  it('accepts ok: false with { name, message }', () => {
    expect(isResponseMessage(errorResponse)).toBe(true);
    expect(isResponseMessage(createErrorResponse('a', new TypeError('boom')))).toBe(true);
  });
  it.each(notEnvelopes)('rejects %s', (_, data) => expect(isResponseMessage(data)).toBe(false));
  it.each<[string, unknown]>([
    ['ok: true without result', { ...header, kind: 'response', id: 'a', ok: true }],
    ['ok as a string', { ...okResponse, ok: 'true' }],
    ['no ok', { ...header, kind: 'response', id: 'a', result: null }],
    ['ok: false without error', { ...header, kind: 'response', id: 'a', ok: false }],
    ['an error without a name', { ...errorResponse, error: { message: 'x' } }],
    ['an error with a numeric message', { ...errorResponse, error: { name: 'X', message: 1 } }],
    ['a string error', { ...errorResponse, error: 'InvalidPhoneNumberError' }],
    ['a 65-character id', { ...okResponse, id: 'x'.repeat(65) }],
    ['a missing id', { ...okResponse, id: undefined }],
    ['a null id', { ...okResponse, id: null }],
    ['another namespace', { ...okResponse, ns: 'x' }],
    ['version 0', { ...okResponse, v: 0 }],
  ])('rejects %s', (_, data) => expect(isResponseMessage(data)).toBe(false));
});

describe('isEventMessage', () => {
  it('accepts an event object with a string type, known or not', () => {
    expect(isEventMessage(event)).toBe(true);
    expect(isEventMessage({ ...event, event: { type: 'somethingNew', extra: 1 } })).toBe(true);
    expect(isEventMessage(createEventMessage({ type: 'connectionStateChanged', state: 'connected' }))).toBe(true);
  });
  it.each(notEnvelopes)('rejects %s', (_, data) => expect(isEventMessage(data)).toBe(false));
  it.each<[string, unknown]>([
    ['no event', { ...header, kind: 'event' }],
    ['a string event', { ...event, event: 'tokenRequested' }],
    ['an event without type', { ...event, event: {} }],
    ['an event with an empty type', { ...event, event: { type: '' } }],
    ['an event with a numeric type', { ...event, event: { type: 3 } }],
    ['another version', { ...event, v: 2 }],
  ])('rejects %s', (_, data) => expect(isEventMessage(data)).toBe(false));
});

describe('isDialerToSdkMessage and isEnvelope', () => {
  it('accept what the dialer sends to the SDK, and requests only as envelopes', () => {
    for (const m of [createReadyMessage(), okResponse, errorResponse, event]) {
      expect(isDialerToSdkMessage(m)).toBe(true);
      expect(isEnvelope(m)).toBe(true);
    }
    expect(isDialerToSdkMessage(request)).toBe(false);
    expect(isEnvelope(request)).toBe(true);
  });
  it.each(notEnvelopes)('reject %s', (_, data) => {
    expect(isDialerToSdkMessage(data)).toBe(false);
    expect(isEnvelope(data)).toBe(false);
  });
});
