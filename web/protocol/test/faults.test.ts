import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DEVICE_ID_PATTERN,
  MAX_RESUME_CALLS,
  isDeviceId,
  isWsMediaMovedEvent,
  isWsResumeParams,
  type WsMethodParams,
} from '../src/index';

describe('part 5: device id in hello', () => {
  it('is 1 to 64 of A-Z, a-z, 0-9, "_" and "-"', () => {
    expect(isDeviceId('a')).toBe(true);
    expect(isDeviceId('Zx_-09'.padEnd(64, 'q'))).toBe(true);
    expect(isDeviceId('q'.repeat(65))).toBe(false);
    expect(isDeviceId('')).toBe(false);
    expect(isDeviceId('abc=')).toBe(false);
    expect(isDeviceId('ab/c')).toBe(false);
    expect(isDeviceId('ab\n')).toBe(false);
    expect(isDeviceId(12)).toBe(false);
    expect(DEVICE_ID_PATTERN.source).toBe('^[A-Za-z0-9_-]{1,64}$');
  });
  it('is optional in the hello params type', () => {
    expectTypeOf<{ protocol: 1 }>().toMatchTypeOf<WsMethodParams<'hello'>>();
    expectTypeOf<{ protocol: 1; device: string }>().toMatchTypeOf<WsMethodParams<'hello'>>();
  });
});

describe('part 5: resume with the calls shown', () => {
  it('accepts a token alone, or with up to 50 calls each with a positive integer seq', () => {
    expect(isWsResumeParams({ session_token: 't' })).toBe(true);
    expect(isWsResumeParams({ session_token: 't', calls: [] })).toBe(true);
    expect(isWsResumeParams({ session_token: 't', calls: [{ call_id: 'c-1', seq: 3 }] })).toBe(true);
    const many = Array.from({ length: MAX_RESUME_CALLS }, (_, i) => ({ call_id: `c-${i}`, seq: 1 }));
    expect(isWsResumeParams({ session_token: 't', calls: many })).toBe(true);
    expect(isWsResumeParams({ session_token: 't', calls: [...many, { call_id: 'x', seq: 1 }] })).toBe(false);
  });
  it.each([
    [{ call_id: '', seq: 1 }],
    [{ call_id: 'c', seq: 0 }],
    [{ call_id: 'c', seq: 1.5 }],
    [{ call_id: 'c', seq: '2' }],
    [{ seq: 2 }],
    ['c'],
  ])('rejects the entry %j', (entry) => {
    expect(isWsResumeParams({ session_token: 't', calls: [entry] })).toBe(false);
  });
  it('rejects calls that is not an array, and a missing token', () => {
    expect(isWsResumeParams({ session_token: 't', calls: {} })).toBe(false);
    expect(isWsResumeParams({ calls: [] })).toBe(false);
  });
});

describe('part 5: mediaMoved and updateMedia take', () => {
  it('mediaMoved names a call', () => {
    expect(isWsMediaMovedEvent({ type: 'mediaMoved', call_id: 'c-1' })).toBe(true);
    expect(isWsMediaMovedEvent({ type: 'mediaMoved', call_id: '' })).toBe(false);
    expect(isWsMediaMovedEvent({ type: 'mediaMoved' })).toBe(false);
    expect(isWsMediaMovedEvent({ type: 'mediaUpdate', call_id: 'c-1' })).toBe(false);
  });
  it('updateMedia takes an optional take flag', () => {
    expectTypeOf<{ call_id: string; sdp: string; take: true }>().toMatchTypeOf<WsMethodParams<'updateMedia'>>();
    expectTypeOf<WsMethodParams<'updateMedia'>['take']>().toEqualTypeOf<boolean | undefined>();
  });
});
