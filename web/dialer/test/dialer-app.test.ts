import { beforeEach, describe, expect, it } from 'vitest';
import { DialerApp } from '../src/dialer-app';
import type { SocketLike } from '../src/gateway-client';
import { STORAGE_KEY } from '../src/auth';

class FakeGateway implements SocketLike {
  readyState = 0;
  sent: Array<{ id: string; method: string; params: Record<string, unknown> }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  /** Answers by method; a function gets the params. */
  constructor(private readonly answers: Record<string, (params: Record<string, unknown>) => object>) {
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(data: string) {
    const req = JSON.parse(data);
    this.sent.push(req);
    const answer = this.answers[req.method]?.(req.params) ?? { ok: false, error: { code: 'unknown_method', message: 'no' } };
    queueMicrotask(() => this.onmessage?.({ data: JSON.stringify({ v: 1, type: 'response', id: req.id, ...answer }) }));
  }
  close() {
    this.readyState = 3;
  }
  event(event: object) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, type: 'event', event }) });
  }
}

const user = { username: 'ada', display_name: 'Ada Whitfield', extension: '201', number: '+12025550143' };
const signedIn = (token: string) => ({ ok: true, result: { session: { token, expires_at: '2030-01-01T00:00:00Z' }, user } });
const authRequired = { ok: false, error: { code: 'authentication_required', message: 'Sign in first.' } };

function start(answers: Record<string, (p: Record<string, unknown>) => object>) {
  const root = document.createElement('main');
  document.body.replaceChildren(root);
  const events: Array<Record<string, unknown>> = [];
  let socket!: FakeGateway;
  const app = new DialerApp({
    root,
    gatewayUrl: 'ws://gw/ws',
    storage: localStorage,
    emit: (e) => events.push(e as unknown as Record<string, unknown>),
    createSocket: () => (socket = new FakeGateway({ hello: () => ({ ok: true, result: { protocol: 1, server: 'opendialer', version: 't' } }), ...answers })),
  });
  app.start();
  return { app, root, events, gateway: () => socket };
}

describe('DialerApp', () => {
  beforeEach(() => localStorage.clear());

  it('resumes a stored session on load and reports it as restored', async () => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok-1', expires_at: '2030-01-01T00:00:00Z' }));
    const { app, root, events, gateway } = start({ resume: (p) => (p.session_token === 'tok-1' ? signedIn('tok-1') : authRequired) });
    await expect(app.handleHostRequest('getAuthState', {})).resolves.toEqual({ signed_in: true, user });
    expect(gateway().sent.map((m) => m.method)).toEqual(['hello', 'resume']);
    expect(events).toContainEqual({ type: 'authStateChanged', signed_in: true, user, reason: 'restored' });
    expect(root.textContent).toContain('Ada Whitfield');
  });

  it('on authentication_required from placeCall: clears storage, shows the form, emits authStateChanged and tokenRequested for getToken hosts', async () => {
    const { app, root, events } = start({
      signInWithToken: () => signedIn('tok-2'),
      placeCall: () => authRequired,
    });
    await app.handleHostRequest('setToken', { token: 'minted' });
    expect(localStorage.getItem(STORAGE_KEY)).toContain('tok-2');
    await expect(app.handleHostRequest('placeCall', { to: '+12025550143' })).rejects.toMatchObject({ errorName: 'AuthenticationError' });
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(root.querySelector('label[for="username"]')?.textContent).toBe('Username');
    expect(events.slice(-2)).toEqual([
      { type: 'authStateChanged', signed_in: false, user: null, reason: 'expired' },
      { type: 'tokenRequested' },
    ]);
  });

  it('a gateway authStateChanged revoked event signs out; an explicit signOut does not ask the host for a token', async () => {
    const { app, events, gateway } = start({ signInWithToken: () => signedIn('tok-3'), signOut: () => ({ ok: true, result: null }) });
    await app.handleHostRequest('setToken', { token: 'minted' });
    gateway().event({ type: 'authStateChanged', signed_in: false, reason: 'revoked' });
    expect(events.slice(-2)).toEqual([
      { type: 'authStateChanged', signed_in: false, user: null, reason: 'revoked' },
      { type: 'tokenRequested' },
    ]);
    await app.handleHostRequest('setToken', { token: 'minted-again' });
    const before = events.length;
    await app.handleHostRequest('signOut', {});
    expect(events.slice(before)).toEqual([{ type: 'authStateChanged', signed_in: false, user: null, reason: 'signed_out' }]);
    expect(gateway().sent.map((m) => m.method)).toContain('signOut');
  });

  it('rejects a bad number locally without sending it, and maps a gateway error otherwise', async () => {
    const { app, gateway } = start({ placeCall: () => ({ ok: false, error: { code: 'invalid_phone_number', message: 'Not a phone number.' } }) });
    await expect(app.handleHostRequest('placeCall', { to: 42 })).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError' });
    await expect(app.handleHostRequest('placeCall', { to: 'abc' })).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError', message: 'Not a phone number.' });
    expect(gateway().sent.filter((m) => m.method === 'placeCall').map((m) => m.params)).toEqual([{ to: 'abc' }]);
  });
});
