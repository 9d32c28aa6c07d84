import { afterEach, describe, expect, it, vi } from 'vitest';
import { DialerDisposedError, InvalidPhoneNumberError, type PlaceCallCommand } from '../src/index';
import { createDialer, settle, wireCall } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('dispose', () => {
  it('removes the iframe, and is idempotent', () => {
    const { dialer, root } = createDialer();
    dialer.dispose();
    expect(root.querySelector('iframe')).toBeNull();
    expect(() => dialer.dispose()).not.toThrow();
  });

  it('removes its window message listener', () => {
    const remove = vi.spyOn(window, 'removeEventListener');
    const { dialer } = createDialer();
    dialer.dispose();
    expect(remove).toHaveBeenCalledWith('message', expect.any(Function));
  });

  it('rejects pending and queued requests with DialerDisposedError', async () => {
    const { dialer, ready } = createDialer();
    const queued = dialer.placeCall({ to: '101' });
    ready();
    await settle();
    const pending = dialer.getAuthState();
    await settle();
    dialer.dispose();
    await expect(queued).rejects.toThrow(DialerDisposedError);
    await expect(pending).rejects.toThrow(DialerDisposedError);
  });

  it('rejects every method afterwards, and subscribe throws', async () => {
    const { dialer } = createDialer();
    dialer.dispose();
    await expect(dialer.placeCall({ to: '101' })).rejects.toThrow(DialerDisposedError);
    await expect(dialer.getAuthState()).rejects.toThrow(DialerDisposedError);
    await expect(dialer.signOut()).rejects.toThrow(DialerDisposedError);
    expect(() => dialer.subscribe(() => undefined)).toThrow(DialerDisposedError);
  });

  it('ends all subscriptions', () => {
    const { dialer, emit } = createDialer();
    const callback = vi.fn();
    dialer.subscribe(callback);
    dialer.dispose();
    emit({ type: 'callStateChanged', call: wireCall });
    expect(callback).not.toHaveBeenCalled();
  });
});

describe('placeCall validates locally', () => {
  it.each<[string, unknown]>([
    ['no command', undefined],
    ['a null command', null],
    ['a string command', '+15551234567'],
    ['a missing to', {}],
    ['a number to', { to: 15551234567 }],
    ['an empty to', { to: '' }],
    ['a 65-character to', { to: '1'.repeat(65) }],
    ['a 10 KB to', { to: '5'.repeat(10 * 1024) }],
  ])('rejects %s with InvalidPhoneNumberError and sends nothing', async (_, command) => {
    const { dialer, posted, ready } = createDialer();
    ready();
    await settle();
    const error = await dialer.placeCall(command as PlaceCallCommand).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPhoneNumberError);
    expect((error as Error).message.length).toBeLessThan(200);
    await settle();
    expect(posted).toHaveLength(0);
  });

  it('sends a 64-character to', async () => {
    const { dialer, posted, ready } = createDialer();
    ready();
    await settle();
    void dialer.placeCall({ to: '1'.repeat(64) });
    await settle();
    expect(posted[0]!.data.params).toEqual({ to: '1'.repeat(64) });
  });
});
