import { describe, expect, it } from 'vitest';
import { DialerError, toWireError } from '../src/errors';
import { validateCallTarget } from '../src/validation';
import { errorNameForWsErrorCode as errorNameForCode } from '@opendialer/protocol';
import { checkParent } from '../src/parent-check';

describe('errorNameForCode', () => {
  it.each([
    ['bad_request', 'Net2PhoneDialerError'],
    ['unknown_method', 'Net2PhoneDialerError'],
    ['internal_error', 'Net2PhoneDialerError'],
    ['invalid_phone_number', 'InvalidPhoneNumberError'],
    ['authentication_required', 'AuthenticationError'],
    ['invalid_credentials', 'AuthenticationError'],
    ['rate_limited', 'AuthenticationError'],
    ['outgoing_call_already_ringing', 'OutgoingCallAlreadyRingingError'],
    ['call_in_progress', 'CallInProgressError'],
    ['calls_unavailable', 'Net2PhoneDialerError'],
    ['toString', 'Net2PhoneDialerError'],
    ['__proto__', 'Net2PhoneDialerError'],
  ])('maps %s to %s', (code, name) => {
    expect(errorNameForCode(code)).toBe(name);
  });

  it('turns an unexpected exception into the base error name', () => {
    expect(toWireError(new TypeError('boom'))).toEqual({ name: 'Net2PhoneDialerError', message: 'boom' });
    expect(toWireError(new DialerError('ConnectionError', 'down'))).toEqual({ name: 'ConnectionError', message: 'down' });
  });
});

describe('validateCallTarget', () => {
  it.each([
    ['undefined', undefined],
    ['a number', 42],
    ['an empty string', ''],
    ['blank', '   '],
    ['65 characters', '1'.repeat(65)],
    ['10 KB', '1'.repeat(10_240)],
  ])('rejects %s with InvalidPhoneNumberError', (_n, to) => {
    expect(() => validateCallTarget(to)).toThrowError(expect.objectContaining({ errorName: 'InvalidPhoneNumberError' }));
  });

  it('accepts 64 characters and trims the value', () => {
    expect(validateCallTarget('1'.repeat(64))).toBe('1'.repeat(64));
    expect(validateCallTarget(' +16502530000 ')).toBe('+16502530000');
  });
});

describe('checkParent', () => {
  const allowed = ['https://crm.example'];
  it('accepts an allowed parent that matches the ancestor origin', () => {
    expect(checkParent({ parentOrigin: 'https://crm.example', ancestorOrigin: 'https://crm.example', inIframe: true, allowedOrigins: allowed }))
      .toEqual({ ok: true, parentOrigin: 'https://crm.example' });
  });
  it('refuses a parent that is not allowed', () => {
    expect(checkParent({ parentOrigin: 'https://evil.example', ancestorOrigin: undefined, inIframe: true, allowedOrigins: allowed }))
      .toEqual({ ok: false, reason: 'not-allowed', origin: 'https://evil.example' });
  });
  it('refuses an allowed parentOrigin that lies about the real ancestor', () => {
    expect(checkParent({ parentOrigin: 'https://crm.example', ancestorOrigin: 'https://evil.example', inIframe: true, allowedOrigins: allowed }))
      .toEqual({ ok: false, reason: 'not-allowed', origin: 'https://evil.example' });
  });
  it('refuses a missing parentOrigin and a top-level page', () => {
    expect(checkParent({ parentOrigin: null, ancestorOrigin: undefined, inIframe: true, allowedOrigins: allowed }).ok).toBe(false);
    expect(checkParent({ parentOrigin: 'https://crm.example', ancestorOrigin: undefined, inIframe: false, allowedOrigins: allowed }))
      .toEqual({ ok: false, reason: 'not-embedded' });
  });
});
