import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  MAX_SDP_LENGTH,
  isAudioPlaybackBlockedEvent,
  isDialerEvent,
  isDtmfDigits,
  isMediaCodec,
  isMethodParams,
  isWsMediaUpdateEvent,
  isWsSdpResult,
} from '../src/index';

describe('part 4 postMessage methods', () => {
  it('mute and hold take a boolean', () => {
    expect(isMethodParams('mute', { muted: true })).toBe(true);
    expect(isMethodParams('mute', { muted: 'true' })).toBe(false);
    expect(isMethodParams('mute', {})).toBe(false);
    expect(isMethodParams('hold', { held: false })).toBe(true);
    expect(isMethodParams('hold', { held: 0 })).toBe(false);
  });
  it('sendDtmf takes 1 to 64 of 0-9, A-D, *, # and "," in either case', () => {
    expect(isMethodParams('sendDtmf', { digits: '123*#' })).toBe(true);
    expect(isDtmfDigits('0123456789ABCDabcd*#,')).toBe(true);
    expect(isDtmfDigits('1'.repeat(64))).toBe(true);
    expect(isDtmfDigits('1'.repeat(65))).toBe(false);
    expect(isDtmfDigits('')).toBe(false);
    expect(isDtmfDigits('12E')).toBe(false);
    expect(isDtmfDigits('1 2')).toBe(false);
    expect(isDtmfDigits('1\n')).toBe(false);
    expect(isDtmfDigits(12)).toBe(false);
    expect(isMethodParams('sendDtmf', { digits: 'x' })).toBe(false);
  });
});

describe('audioPlaybackBlocked', () => {
  it('is a known event type with a boolean blocked', () => {
    expect(EVENT_TYPES).toContain('audioPlaybackBlocked');
    expect(isAudioPlaybackBlockedEvent({ type: 'audioPlaybackBlocked', blocked: true })).toBe(true);
    expect(isDialerEvent({ type: 'audioPlaybackBlocked', blocked: false })).toBe(true);
    expect(isAudioPlaybackBlockedEvent({ type: 'audioPlaybackBlocked' })).toBe(false);
    expect(isAudioPlaybackBlockedEvent({ type: 'audioPlaybackBlocked', blocked: 'yes' })).toBe(false);
  });
});

describe('part 4 WebSocket additions', () => {
  it('mediaUpdate names a call and PCMU or PCMA', () => {
    expect(isWsMediaUpdateEvent({ type: 'mediaUpdate', call_id: 'c-1', codec: 'PCMA' })).toBe(true);
    expect(isWsMediaUpdateEvent({ type: 'mediaUpdate', call_id: 'c-1', codec: 'opus' })).toBe(false);
    expect(isWsMediaUpdateEvent({ type: 'mediaUpdate', call_id: '', codec: 'PCMU' })).toBe(false);
    expect(isWsMediaUpdateEvent({ type: 'mediaUpdate', codec: 'PCMU' })).toBe(false);
    expect(isMediaCodec('pcmu')).toBe(false);
  });
  it('answer and updateMedia results carry an SDP string or null', () => {
    expect(isWsSdpResult({ sdp: 'v=0\r\n' })).toBe(true);
    expect(isWsSdpResult({ sdp: null })).toBe(true);
    expect(isWsSdpResult({})).toBe(false);
    expect(isWsSdpResult(null)).toBe(false);
  });
  it('limits an SDP to 16 KiB', () => expect(MAX_SDP_LENGTH).toBe(16384));
});
