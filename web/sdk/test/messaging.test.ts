import { isRequestMessage } from '@opendialer/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DialerTimeoutError, InvalidPhoneNumberError, Net2PhoneDialerError } from '../src/index';
import { SERVER, createDialer, settle } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('requests before ready', () => {
  it('queues placeCall until ready, then posts a valid request to the server origin only', async () => {
    const { dialer, posted, ready, respond } = createDialer();
    const placed = dialer.placeCall({ to: '+15551234567' });
    await settle();
    expect(posted).toHaveLength(0);

    ready();
    await settle();
    expect(posted).toHaveLength(1);
    const [{ data, targetOrigin }] = posted;
    expect(targetOrigin).toBe(SERVER);
    expect(isRequestMessage(data)).toBe(true);
    expect(data).toMatchObject({ method: 'placeCall', params: { to: '+15551234567' } });

    respond(data.id, null);
    await expect(placed).resolves.toBeUndefined();
  });

  it('rejects queued and later requests with DialerTimeoutError when ready does not come in time', async () => {
    const { dialer, posted } = createDialer({ readyTimeoutMs: 1000 });
    const placed = dialer.placeCall({ to: '101' });
    const state = dialer.getAuthState();
    vi.advanceTimersByTime(999);
    await settle();
    vi.advanceTimersByTime(1);
    await expect(placed).rejects.toThrow(DialerTimeoutError);
    await expect(state).rejects.toThrow(/did not become ready within 1000 ms/);
    await expect(dialer.signOut()).rejects.toThrow(DialerTimeoutError);
    expect(posted).toHaveLength(0);
  });

  it('recovers when ready arrives after the ready timeout', async () => {
    const { dialer, posted, ready, respond } = createDialer({ readyTimeoutMs: 10 });
    vi.advanceTimersByTime(10);
    await expect(dialer.signOut()).rejects.toThrow(DialerTimeoutError);
    ready();
    await settle();
    const signedOut = dialer.signOut();
    await settle();
    respond(posted[0]!.data.id, null);
    await expect(signedOut).resolves.toBeUndefined();
  });
});

describe('responses', () => {
  it('matches responses to requests by id, whatever their order', async () => {
    const { dialer, posted, ready, respond } = createDialer();
    ready();
    await settle();
    const first = dialer.getAuthState();
    const second = dialer.getAuthState();
    await settle();
    const [a, b] = posted.map((p) => p.data.id);
    expect(a).not.toBe(b);
    respond(b!, { signed_in: true, user: null });
    respond(a!, { signed_in: false, user: null });
    await expect(first).resolves.toEqual({ signed_in: false, user: null });
    await expect(second).resolves.toEqual({ signed_in: true, user: null });
  });

  it('rebuilds a failed response as the named error class', async () => {
    const { dialer, posted, ready, fail } = createDialer();
    ready();
    await settle();
    const placed = dialer.placeCall({ to: '12' });
    await settle();
    fail(posted[0]!.data.id, 'InvalidPhoneNumberError', '"12" is not a phone number');
    const error = await placed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPhoneNumberError);
    expect(error).toMatchObject({ name: 'InvalidPhoneNumberError', message: '"12" is not a phone number' });
  });

  it('rejects with DialerTimeoutError when no response comes within 30 s', async () => {
    const { dialer, ready } = createDialer();
    ready();
    await settle();
    const state = dialer.getAuthState();
    await settle();
    vi.advanceTimersByTime(29_999);
    await settle();
    vi.advanceTimersByTime(1);
    await expect(state).rejects.toThrow(DialerTimeoutError);
  });
});

describe('messages the SDK ignores', () => {
  async function pendingRequest() {
    const harness = createDialer();
    harness.ready();
    await settle();
    let outcome: string = 'pending';
    harness.dialer.getAuthState().then(
      () => (outcome = 'resolved'),
      () => (outcome = 'rejected'),
    );
    await settle();
    const id = harness.posted[0]!.data.id;
    const response = { ns: 'net2phone-dialer', v: 1, kind: 'response', id, ok: true, result: { signed_in: true, user: null } };
    return { ...harness, id, response, outcome: () => outcome };
  }

  it('ignores a response from another origin', async () => {
    const h = await pendingRequest();
    h.deliver(h.response, { origin: 'http://evil.test' });
    h.deliver(h.response, { origin: 'http://dialer.test' }); // same host, other port
    await settle();
    expect(h.outcome()).toBe('pending');
    h.deliver(h.response);
    await settle();
    expect(h.outcome()).toBe('resolved');
  });

  it('ignores a response from another window at the right origin', async () => {
    const h = await pendingRequest();
    h.deliver(h.response, { source: window });
    h.deliver(h.response, { source: null });
    await settle();
    expect(h.outcome()).toBe('pending');
  });

  it.each<[string, (r: Record<string, unknown>) => unknown]>([
    ['another namespace', (r) => ({ ...r, ns: 'penpal' })],
    ['another version', (r) => ({ ...r, v: 2 })],
    ['an unknown kind', (r) => ({ ...r, kind: 'reply' })],
    ['an id over 64 characters', (r) => ({ ...r, id: `${r.id}${'x'.repeat(64)}` })],
    ['an unknown id', (r) => ({ ...r, id: 'not-ours' })],
    ['a string instead of an object', (r) => JSON.stringify(r)],
    ['an error without a message', (r) => ({ ...r, ok: false, error: { name: 'AuthenticationError' } })],
  ])('ignores a response with %s', async (_, mutate) => {
    const h = await pendingRequest();
    h.deliver(mutate(h.response));
    await settle();
    expect(h.outcome()).toBe('pending');
  });

  it('does not become ready on a forged ready message', async () => {
    const { dialer, posted, deliver } = createDialer();
    void dialer.signOut();
    deliver({ ns: 'net2phone-dialer', v: 1, kind: 'ready' }, { origin: 'http://evil.test' });
    deliver({ ns: 'net2phone-dialer', v: 1, kind: 'ready' }, { source: window });
    await settle();
    expect(posted).toHaveLength(0);
  });

  it('rebuilds unknown error names as Net2PhoneDialerError', async () => {
    const h = await pendingRequest();
    h.fail(h.id, 'SomethingNewError', 'new failure');
    await settle();
    expect(h.outcome()).toBe('rejected');
    const again = h.dialer.getAuthState();
    await settle();
    h.fail(h.posted[1]!.data.id, 'TypeError', 'boom');
    const error = await again.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Net2PhoneDialerError);
    expect(error).toMatchObject({ name: 'Net2PhoneDialerError', message: 'boom' });
  });
});
