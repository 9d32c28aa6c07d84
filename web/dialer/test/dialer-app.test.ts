import { beforeEach, describe, expect, it } from 'vitest';
import { authRequired, signedIn, start, user } from './fake-gateway';
import { STORAGE_KEY } from '../src/auth';

describe('DialerApp', () => {
  beforeEach(() => localStorage.clear());

  it('resumes a stored session on load and reports it as restored', async () => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: 'tok-1', expires_at: '2030-01-01T00:00:00Z' }));
    const { app, root, events, gateway } = start({ resume: (p) => (p.session_token === 'tok-1' ? signedIn('tok-1') : authRequired) });
    await expect(app.handleHostRequest('getAuthState', {})).resolves.toEqual({ signed_in: true, user });
    expect(gateway().sent.map((m) => m.method)).toEqual(['hello', 'resume', 'recentCalls']);
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
    const { app, gateway, media } = start({
      signInWithToken: () => signedIn('tok-4'),
      placeCall: () => ({ ok: false, error: { code: 'invalid_phone_number', message: 'Not a phone number.' } }),
    });
    await app.handleHostRequest('setToken', { token: 'minted' });
    await expect(app.handleHostRequest('placeCall', { to: 42 })).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError' });
    await expect(app.handleHostRequest('placeCall', { to: 'abc' })).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError', message: 'Not a phone number.' });
    expect(gateway().sent.filter((m) => m.method === 'placeCall').map((m) => m.params.to)).toEqual(['abc']);
    expect(media.tracks.every((t) => t.stopped)).toBe(true);
  });

  it('answers placeCall with AuthenticationError when signed out, without asking for the microphone or sending an offer', async () => {
    const { app, gateway, media } = start({ placeCall: () => authRequired });
    await expect(app.handleHostRequest('placeCall', { to: '+12025550143' })).rejects.toMatchObject({ errorName: 'AuthenticationError' });
    expect(media.constraints).toEqual([]);
    expect(gateway().sent.map((m) => [m.method, m.params])).toEqual([
      ['hello', { protocol: 1, device: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) }],
      ['placeCall', { to: '+12025550143' }],
    ]);
  });

  it('signed out, a number the gateway rejects is InvalidPhoneNumberError (the number is checked before sign-in)', async () => {
    const invalid = { ok: false, error: { code: 'invalid_phone_number', message: 'Not a valid number.' } };
    const { app, media } = start({ placeCall: () => invalid });
    await expect(app.handleHostRequest('placeCall', { to: '+1 555' })).rejects.toMatchObject({ errorName: 'InvalidPhoneNumberError' });
    expect(media.constraints).toEqual([]);
  });
});

describe('DialerApp signed out by the gateway', () => {
  it('says so above the sign-in form, in words, with what to do', async () => {
    localStorage.clear();
    const { app, root, gateway } = start({ signInWithToken: () => signedIn('tok') });
    await app.handleHostRequest('setToken', { token: 't' });
    gateway().event({ type: 'authStateChanged', signed_in: false, user: null, reason: 'expired' });
    expect(root.querySelector('.session-ended')?.textContent).toBe('You were signed out. Sign in again to make and receive calls.');
  });
});
