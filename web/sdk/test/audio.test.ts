import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CallNotFoundError,
  DialerDisposedError,
  InvalidOptionsError,
  MicrophonePermissionError,
  type AudioPlaybackBlocked,
} from '../src/index';
import { createDialer, settle } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('mute, hold and sendDtmf', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    ['mute', true, { muted: true }],
    ['mute', false, { muted: false }],
    ['hold', true, { held: true }],
    ['sendDtmf', '1234#', { digits: '1234#' }],
    ['sendDtmf', 'abcd*,0', { digits: 'abcd*,0' }],
  ])('%s(%j) posts %j and resolves to undefined', async (method, arg, params) => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    const done = (dialer[method as 'mute'] as (a: unknown) => Promise<void>).call(dialer, arg);
    await settle();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.data).toMatchObject({ kind: 'request', method, params });
    respond(posted[0]!.data.id, null);
    await expect(done).resolves.toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['mute', 'true'],
    ['mute', undefined],
    ['hold', 1],
    ['hold', null],
    ['sendDtmf', ''],
    ['sendDtmf', '12E'],
    ['sendDtmf', '1 2'],
    ['sendDtmf', '1'.repeat(65)],
    ['sendDtmf', 1234],
    ['sendDtmf', undefined],
  ])('%s(%j) rejects with InvalidOptionsError without posting', async (method, arg) => {
    const { dialer, posted, ready } = createDialer();
    ready();
    const result = (dialer[method as 'mute'] as (a: unknown) => Promise<void>).call(dialer, arg);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBeInstanceOf(InvalidOptionsError);
    await settle();
    expect(posted).toHaveLength(0);
  });

  it('rebuilds CallNotFoundError when the dialer has no answered call with audio', async () => {
    const { dialer, posted, ready, fail } = createDialer();
    ready();
    const done = dialer.hold(true);
    await settle();
    fail(posted[0]!.data.id, 'CallNotFoundError', 'There is no answered call with audio in this dialer.');
    await expect(done).rejects.toBeInstanceOf(CallNotFoundError);
  });

  it('rebuilds MicrophonePermissionError for placeCall', async () => {
    const { dialer, posted, ready, fail } = createDialer();
    ready();
    const done = dialer.placeCall({ to: '+15551234567' });
    await settle();
    fail(posted[0]!.data.id, 'MicrophonePermissionError', 'The microphone is blocked for this site.');
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MicrophonePermissionError);
    expect((error as Error).message).toBe('The microphone is blocked for this site.');
  });

  it('rejects with DialerDisposedError after dispose()', async () => {
    const { dialer } = createDialer();
    dialer.dispose();
    await expect(dialer.mute(true)).rejects.toBeInstanceOf(DialerDisposedError);
    await expect(dialer.sendDtmf('1')).rejects.toBeInstanceOf(DialerDisposedError);
  });
});

describe('audioPlaybackBlocked', () => {
  it('reaches only subscribers that opted in', () => {
    const { dialer, emit } = createDialer();
    const seed = vi.fn();
    const received: AudioPlaybackBlocked[] = [];
    dialer.subscribe(seed);
    dialer.subscribe((e) => received.push(e), { events: ['audioPlaybackBlocked'] });
    emit({ type: 'audioPlaybackBlocked', blocked: true });
    emit({ type: 'audioPlaybackBlocked', blocked: 'yes' });
    emit({ type: 'audioPlaybackBlocked', blocked: false });
    expect(received).toEqual([
      { type: 'audioPlaybackBlocked', blocked: true },
      { type: 'audioPlaybackBlocked', blocked: false },
    ]);
    expect(seed).not.toHaveBeenCalled();
  });
});
