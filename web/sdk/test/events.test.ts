import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallDirection, CallState, InvalidOptionsError, type CallStateChanged } from '../src/index';
import { createDialer, settle, wireCall } from './harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('subscribe', () => {
  it('turns the wire times into Date objects and keeps null times null', () => {
    const { dialer, emit } = createDialer();
    const received: CallStateChanged[] = [];
    dialer.subscribe((event) => received.push(event));
    emit({ type: 'callStateChanged', call: wireCall });
    expect(received).toHaveLength(1);
    const { call } = received[0]!;
    expect(call.start_time).toBeInstanceOf(Date);
    expect(call.start_time.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(call.answer_time).toEqual(new Date('2026-11-24T10:00:04.500Z'));
    expect(call.end_time).toBeNull();
    expect(call.result).toBeNull();
    expect(call.end_reason).toBeNull();
    expect(call.state).toBe(CallState.Answered);
    expect(call.direction).toBe(CallDirection.Outbound);
    expect(call.caller).toEqual({ caller_display_name: null });
  });

  it('marks a transfer recall with recall: true and leaves the flag off every other call', () => {
    const { dialer, emit } = createDialer();
    const received: CallStateChanged[] = [];
    dialer.subscribe((event) => received.push(event));
    emit({ type: 'callStateChanged', call: { ...wireCall, id: 'recall-1', state: 'connecting', direction: 'inbound', answer_time: null, recall: true } });
    emit({ type: 'callStateChanged', call: wireCall });
    expect(received[0]!.call.recall).toBe(true);
    expect('recall' in received[1]!.call).toBe(false);
  });

  it('gives the seed signature only callStateChanged events', () => {
    const { dialer, emit } = createDialer();
    const callback = vi.fn();
    dialer.subscribe(callback);
    emit({ type: 'authStateChanged', signed_in: false, user: null, reason: 'expired' });
    emit({ type: 'connectionStateChanged', state: 'connected' });
    emit({ type: 'callStateChanged', call: wireCall });
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]![0].type).toBe('callStateChanged');
  });

  it('delivers opted-in event types', () => {
    const { dialer, emit } = createDialer();
    const callback = vi.fn();
    dialer.subscribe(callback, { events: ['authStateChanged', 'connectionStateChanged'] });
    emit({ type: 'callStateChanged', call: wireCall });
    emit({ type: 'authStateChanged', signed_in: false, user: null, reason: 'revoked' });
    emit({ type: 'connectionStateChanged', state: 'disconnected' });
    expect(callback.mock.calls.map(([event]) => event)).toEqual([
      { type: 'authStateChanged', signed_in: false, user: null, reason: 'revoked' },
      { type: 'connectionStateChanged', state: 'disconnected' },
    ]);
  });

  it('ignores malformed and unknown events', () => {
    const { dialer, emit } = createDialer();
    const callback = vi.fn();
    dialer.subscribe(callback, { events: ['callStateChanged', 'authStateChanged'] });
    emit({ type: 'callStateChanged', call: { ...wireCall, state: 'ringing' } });
    emit({ type: 'callStateChanged', call: { ...wireCall, start_time: 'soon' } });
    emit({ type: 'authStateChanged', signed_in: 'no' });
    emit({ type: 'somethingFromTheFuture' });
    expect(callback).not.toHaveBeenCalled();
  });

  it('keeps calling the other subscribers when one throws, and reports it with console.error', () => {
    const { dialer, emit } = createDialer();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = vi.fn();
    const after = vi.fn();
    dialer.subscribe(before);
    dialer.subscribe(() => {
      throw new Error('subscriber bug');
    });
    dialer.subscribe(after);
    emit({ type: 'callStateChanged', call: wireCall });
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(String(consoleError.mock.calls[0]![1])).toMatch(/subscriber bug/);
  });

  it('stops calling a disposed subscription only', () => {
    const { dialer, emit } = createDialer();
    const kept = vi.fn();
    const dropped = vi.fn();
    dialer.subscribe(kept);
    const subscription = dialer.subscribe(dropped);
    subscription.dispose();
    subscription.dispose();
    emit({ type: 'callStateChanged', call: wireCall });
    expect(dropped).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it.each<[string, unknown[]]>([
    ['a missing callback', []],
    ['a string callback', ['onEvent']],
    ['options without events', [() => undefined, {}]],
    ['an unknown event type', [() => undefined, { events: ['callRinging'] }]],
    ['events as a string', [() => undefined, { events: 'callStateChanged' }]],
  ])('throws InvalidOptionsError for %s', (_, args) => {
    const { dialer } = createDialer();
    expect(() => (dialer.subscribe as (...a: unknown[]) => unknown)(...args)).toThrow(InvalidOptionsError);
  });
});

describe('getToken', () => {
  it('hands a token to the dialer on ready, before queued requests', async () => {
    const getToken = vi.fn(() => Promise.resolve('tok-1'));
    const { dialer, posted, ready, respond } = createDialer({ getToken });
    const placed = dialer.placeCall({ to: '101' });
    ready();
    await settle();
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(posted.map((p) => p.data.method)).toEqual(['setToken']);
    expect(posted[0]!.data.params).toEqual({ token: 'tok-1' });
    respond(posted[0]!.data.id, { signed_in: true, user: null });
    await settle();
    expect(posted.map((p) => p.data.method)).toEqual(['setToken', 'placeCall']);
    respond(posted[1]!.data.id, null);
    await expect(placed).resolves.toBeUndefined();
  });

  it('asks for a new token on every tokenRequested event', async () => {
    let n = 0;
    const getToken = vi.fn(() => Promise.resolve(`tok-${++n}`));
    const { posted, ready, respond, emit } = createDialer({ getToken });
    ready();
    await settle();
    respond(posted[0]!.data.id, { signed_in: true, user: null });
    await settle();
    emit({ type: 'tokenRequested' });
    await settle();
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(posted[1]!.data).toMatchObject({ method: 'setToken', params: { token: 'tok-2' } });
  });

  it('logs a failing getToken and still sends queued requests', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { dialer, posted, ready } = createDialer({ getToken: () => Promise.reject(new Error('admin API down')) });
    void dialer.signOut();
    ready();
    await settle();
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(String(consoleError.mock.calls[0]![1])).toMatch(/admin API down/);
    expect(posted.map((p) => p.data.method)).toEqual(['signOut']);
  });

  it('logs a rejected setToken without crashing', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { posted, ready, fail } = createDialer({ getToken: () => Promise.resolve('expired-token') });
    ready();
    await settle();
    fail(posted[0]!.data.id, 'AuthenticationError', 'token expired');
    await settle();
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]![1]).toMatchObject({ name: 'AuthenticationError' });
  });
});
