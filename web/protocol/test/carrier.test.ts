import { describe, expect, expectTypeOf, it } from 'vitest';
import { isWsCallProgressEvent, type WsMethodParams, type WsMethodResult } from '../src/index';

describe('part 4: callProgress and checkNumber', () => {
  it('callProgress names a call and says whether early media flows', () => {
    expect(isWsCallProgressEvent({ type: 'callProgress', call_id: 'c-1', early_media: true })).toBe(true);
    expect(isWsCallProgressEvent({ type: 'callProgress', call_id: 'c-1', early_media: false })).toBe(true);
    expect(isWsCallProgressEvent({ type: 'callProgress', call_id: 'c-1' })).toBe(false);
    expect(isWsCallProgressEvent({ type: 'callProgress', call_id: '', early_media: true })).toBe(false);
    expect(isWsCallProgressEvent({ type: 'callProgress', call_id: 'c-1', early_media: 'yes' })).toBe(false);
  });
  it('checkNumber takes a number and answers it as the gateway would dial it', () => {
    expectTypeOf<WsMethodParams<'checkNumber'>>().toEqualTypeOf<{ to: string }>();
    expectTypeOf<WsMethodResult<'checkNumber'>>().toEqualTypeOf<{ to: string }>();
  });
});
